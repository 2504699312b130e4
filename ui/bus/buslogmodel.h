#pragma once

#include "bus/bustrace.h"

#include <QAbstractTableModel>

#include <deque>

namespace chronoscope {

/// The bus monitor's log: one row per publish, delivery attempt, dead letter or skipped
/// duplicate, oldest first (newest at the bottom). Bounded: past capacity() rows, the oldest
/// rows are removed as new ones arrive, so a long session never grows without limit.
class BusLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        OutcomeColumn,
        HandlerColumn,
        TypeColumn,
        StreamColumn, ///< "cart-1 v3" (the global position is in the tooltip and PositionRole)
        AttemptColumn,
        LatencyColumn,
        CorrelationColumn,
        ErrorColumn,
        ColumnCount
    };
    enum Role {
        KindRole = Qt::UserRole + 1, ///< BusTraceEntry::Kind as int (every column)
        PositionRole,                ///< the event's global position (qint64)
        LatencyNsRole,               ///< qint64, -1 when not a delivery
        SearchRole,                  ///< every field of the row as one text, for a filter box
    };

    explicit BusLogModel(QObject* parent = nullptr);

    /// Appends entries at the bottom, removing the oldest rows beyond the capacity.
    void append(const std::vector<BusTraceEntry>& entries);
    void clear();
    const BusTraceEntry& entryAt(int row) const { return m_rows[std::size_t(row)]; }

    qsizetype capacity() const { return m_capacity; }
    /// At least 1; lowering it removes the oldest rows at once.
    void setCapacity(qsizetype capacity);
    /// Rows removed because the log was full, since the last clear().
    quint64 evicted() const { return m_evicted; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Text of an outcome as the log shows it ("delivered", "dead-lettered"...).
    static QString kindText(BusTraceEntry::Kind kind);
    /// "0.42 ms", "1.2 s", "85 µs".
    static QString latencyText(qint64 ns);

private:
    void evict(qsizetype count);

    std::deque<BusTraceEntry> m_rows;
    qsizetype m_capacity = 10000;
    quint64 m_evicted = 0;
};

} // namespace chronoscope
