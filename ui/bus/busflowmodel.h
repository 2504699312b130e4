#pragma once

#include "bus/bustrace.h"

#include <QAbstractItemModel>

#include <deque>
#include <memory>

namespace chronoscope {

/// Who received what: one top-level row per published event (oldest first), one child row per
/// handler that got it, with the handler's latest status (delivered, retrying, failed,
/// dead-lettered, skipped as a duplicate), attempts, latency and error. Bounded: past
/// capacity() events the oldest ones are removed.
class BusFlowModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { ItemColumn, StatusColumn, AttemptsColumn, LatencyColumn, DetailColumn, ColumnCount };
    enum Role {
        KindRole = Qt::UserRole + 1, ///< BusTraceEntry::Kind as int; an event row: its worst handler status
        PositionRole,                ///< the event's global position
        HandlerRole,                 ///< a handler row: the handler name
        SearchRole,                  ///< the row's fields as one text, for a filter box
    };

    explicit BusFlowModel(QObject* parent = nullptr);
    ~BusFlowModel() override;

    /// Applies a batch from BusTraceRecorder, in order.
    void apply(const std::vector<BusTraceEntry>& entries);
    void clear();
    qsizetype capacity() const { return m_capacity; }
    void setCapacity(qsizetype capacity);

    /// The row of the event at a position, invalid when it is not (or no longer) shown.
    QModelIndex indexOfEvent(Position position) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct HandlerRow {
        QString handler;
        BusTraceEntry::Kind status = BusTraceEntry::Kind::Delivered;
        int attempts = 0;
        qint64 latencyNs = -1;
        QString error;
        int duplicates = 0;
    };
    struct EventNode {
        qint64 seq = 0;
        Position position;
        StreamId stream;
        Version version;
        QString type;
        QUuid correlationId;
        std::vector<HandlerRow> handlers;
    };
    /// Updates a node; returns the row of the handler changed and whether it was added.
    static std::pair<int, bool> update(EventNode& node, const BusTraceEntry& entry);
    static BusTraceEntry::Kind worst(const EventNode& node);
    EventNode* node(const QModelIndex& index) const; // of an event row or a handler row's parent
    void evict(qsizetype count);

    std::deque<std::unique_ptr<EventNode>> m_nodes;
    QHash<qint64, EventNode*> m_byPosition;
    qint64 m_firstSeq = 0; // seq of m_nodes.front()
    qint64 m_nextSeq = 0;
    qsizetype m_capacity = 2000;
};

} // namespace chronoscope
