#pragma once

#include "store/streaminfo.h"

#include <QAbstractTableModel>

#include <vector>

namespace chronoscope {

class EventStore;

/// The streams of a store, one row each: stream, category, version, events, last timestamp.
/// DisplayRole gives the cell text; the custom roles give raw values (SortRole is what a
/// proxy should sort by: numbers for the number columns).
class StreamListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        StreamColumn,
        CategoryColumn,
        VersionColumn,
        EventsColumn,
        LastTimestampColumn,
        ColumnCount
    };
    enum Role {
        StreamIdRole = Qt::UserRole + 1, ///< chronoscope::StreamId
        CategoryRole,                    ///< QString, empty when the id has no '-'
        VersionRole,                     ///< qint64, last version
        EventCountRole,                  ///< qint64
        LastTimestampRole,               ///< qint64, ms since epoch (UTC)
        SortRole,                        ///< raw value of the cell's column
    };

    explicit StreamListModel(QObject* parent = nullptr);

    /// Reloads from the store (null: empties the model).
    void setStore(const EventStore* store);
    /// Replaces the rows (a model reset).
    void setStreams(std::vector<StreamInfo> streams);
    const std::vector<StreamInfo>& streams() const { return m_streams; }
    /// Row of a stream, -1 when absent.
    int rowOf(const StreamId& stream) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<StreamInfo> m_streams;
};

} // namespace chronoscope
