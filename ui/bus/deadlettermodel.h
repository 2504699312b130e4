#pragma once

#include "bus/deadletters.h"

#include <QAbstractTableModel>

namespace chronoscope {

/// The dead-letter queue as a table, oldest first: event type, stream, handler, error,
/// attempts, first and last failure.
class DeadLetterModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        TypeColumn,
        StreamColumn,
        HandlerColumn,
        ErrorColumn,
        AttemptsColumn,
        FirstFailureColumn,
        LastFailureColumn,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole + 1 };

    explicit DeadLetterModel(QObject* parent = nullptr);

    /// Replaces the rows: entries no longer there are removed, new ones inserted, changed ones
    /// updated in place (a selection on a surviving entry stays).
    void setEntries(std::vector<DeadLetter> entries);
    const DeadLetter& entryAt(int row) const { return m_rows[std::size_t(row)]; }
    /// Row of the entry with this id, -1 when there is none.
    int rowOf(qint64 id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<DeadLetter> m_rows;
};

} // namespace chronoscope
