#pragma once

#include "store/eventstore.h"

#include <QAbstractTableModel>
#include <QPointer>

#include <optional>
#include <vector>

namespace chronoscope {

/// The events of one stream or of the all-stream, loaded lazily page by page.
///
/// Nothing is read when a source is chosen: views pull pages through canFetchMore() /
/// fetchMore() as the user scrolls, so a large store is never loaded nor counted whole.
/// Columns: position, stream, version, type, timestamp (ISO UTC), schema version, data preview.
class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        PositionColumn,
        StreamColumn,
        VersionColumn,
        TypeColumn,
        TimestampColumn,
        SchemaColumn,
        DataColumn,
        ColumnCount
    };
    enum Role {
        EventRole = Qt::UserRole + 1, ///< chronoscope::RecordedEvent
        PositionRole,                 ///< qint64
        StreamIdRole,                 ///< chronoscope::StreamId
        VersionRole,                  ///< qint64
        TimestampRole,                ///< qint64, ms since epoch (UTC)
    };
    static constexpr int DefaultPageSize = 200;

    explicit EventTableModel(QObject* parent = nullptr);

    /// The store to read (null: none). Clears the source. The store must outlive its use here.
    void setStore(const EventStore* store);
    const EventStore* store() const { return m_store; }
    /// Shows one stream's events in version order.
    void showStream(const StreamId& stream);
    /// Shows the all-stream in global order, optionally filtered.
    void showAll(const EventFilter& filter = {});
    /// Shows nothing.
    void clear();

    void setPageSize(int pageSize);
    int pageSize() const { return m_pageSize; }

    /// The stream shown, or nullopt when the all-stream (or nothing) is shown.
    std::optional<StreamId> stream() const { return m_stream; }
    bool showsAll() const { return m_all; }
    /// The loaded event at a row.
    const RecordedEvent& eventAt(int row) const { return m_events[std::size_t(row)]; }
    /// Row of a loaded event by global position; -1 when not loaded.
    int rowOfPosition(Position position) const;
    /// Loads pages until the row holding `version` of the shown stream is loaded; its row or -1.
    int ensureVersionLoaded(Version version);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

Q_SIGNALS:
    /// Reading the store failed (e.g. its database server went away): no more pages are read
    /// until the next reset.
    void readFailed(const QString& message);

private:
    void reset(std::optional<StreamId> stream, bool all, EventFilter filter);
    void failed(const std::exception& error);
    void onAppended();

    QPointer<const EventStore> m_store;
    std::optional<StreamId> m_stream;
    bool m_all = false;
    EventFilter m_filter;
    int m_pageSize = DefaultPageSize;
    bool m_atEnd = true;
    bool m_fetching = false;
    std::optional<qint64> m_knownEnd; // last version / position when known at reset time
    std::vector<RecordedEvent> m_events;
    std::vector<QString> m_previews;
    QMetaObject::Connection m_appendedConnection;
    QMetaObject::Connection m_changedConnection; // another program appended (StoreFollower)
};

} // namespace chronoscope
