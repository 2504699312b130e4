#pragma once

#include "store/eventstore.h"

#include <QAbstractTableModel>
#include <QPointer>

#include <map>
#include <optional>
#include <vector>

namespace chronoscope {

/// The events of one stream or of the all-stream, read page by page as they are shown.
///
/// Windowed (when the rows map onto keys): a stream's rows are its versions 1..N, the
/// all-stream's rows its positions first..last when they have no gaps; rowCount() is every
/// event from the start, so End, Page keys and the scroll bar reach any row at once, and only
/// the pages of 256 rows around what is shown are read (one indexed range read each, at most 64
/// kept). Otherwise (a filter, positions or versions with gaps, windowed reads off) the rows
/// grow through canFetchMore() / fetchMore() as the user scrolls. Either way a store is never
/// loaded nor scanned whole, in oldest-first or newest-first order.
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

    /// Newest first (row 0 is the last event) or oldest first (the default); shows the same
    /// source again.
    void setNewestFirst(bool newestFirst);
    bool newestFirst() const { return m_newestFirst; }
    /// Reads rows by key windows where they map onto keys (the default); off: pages only.
    void setWindowedReads(bool windowed);
    /// Whether the rows shown now are windowed (every row counted from the start).
    bool isWindowed() const { return m_windowed; }
    /// Rows held in memory now (windowed: the pages read and kept; else every loaded row).
    qsizetype loadedRowCount() const;

    void setPageSize(int pageSize);
    int pageSize() const { return m_pageSize; }

    /// The stream shown, or nullopt when the all-stream (or nothing) is shown.
    std::optional<StreamId> stream() const { return m_stream; }
    bool showsAll() const { return m_all; }
    /// The event at a row (read with its page when not in memory; an empty event when it could
    /// not be read).
    RecordedEvent eventAt(int row) const;
    /// Row of an event by global position; -1 when not shown (or, paged, not loaded yet).
    int rowOfPosition(Position position) const;
    /// The row holding `version` of the shown stream (paged: loading pages until it is); -1.
    int ensureVersionLoaded(Version version);
    /// The row of the first event shown at or after `timestampMs` (in the order of the rows'
    /// keys, oldest first); -1 when none. Paged rows are loaded up to it.
    int rowAtOrAfterTime(qint64 timestampMs);

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
    /// Windowed rows were read from the store (a page, read while a view showed it): told once
    /// the view is done asking, e.g. to report upcaster failures met on the way.
    void windowRead();

private:
    struct Page {
        std::vector<RecordedEvent> events; // by row within the page; position 0: not read
        std::vector<QString> previews;
        quint64 lastUse = 0;
    };
    static constexpr int WindowPageRows = 256;
    static constexpr std::size_t MaxWindowPages = 64;

    void reset(std::optional<StreamId> stream, bool all, EventFilter filter);
    void failed(const std::exception& error);
    void onAppended();
    struct RowPlan {
        bool windowed = false;
        qint64 firstKey = 0;
        qint64 rows = 0;
        std::optional<qint64> knownEnd;
    };
    /// Windowed or paged for the source, from its cheap totals. Throws StoreError.
    RowPlan planRows() const;
    qint64 keyOfRow(qint64 row) const;
    qint64 rowOfKey(qint64 key) const; // -1 outside the rows
    qint64 keyOf(const RecordedEvent& e) const { return m_stream ? e.version.value : e.position.value; }
    /// The windowed page holding `row`, read when missing (nullptr when it could not be read).
    const Page* windowPage(int row) const;
    void reportLater(const QString& message) const;

    QPointer<const EventStore> m_store;
    std::optional<StreamId> m_stream;
    bool m_all = false;
    EventFilter m_filter;
    int m_pageSize = DefaultPageSize;
    bool m_atEnd = true;
    bool m_fetching = false;
    std::optional<qint64> m_knownEnd;    // last version / position when known at reset time
    std::vector<RecordedEvent> m_events; // paged rows
    std::vector<QString> m_previews;
    bool m_newestFirst = false;
    bool m_windowedReads = true;
    bool m_windowed = false;
    qint64 m_firstKey = 0;                  // windowed: the key (version or position) of the oldest row
    qint64 m_rows = 0;                      // windowed: rows in all
    mutable std::map<qint64, Page> m_pages; // windowed: page index -> rows read
    mutable quint64 m_useClock = 0;
    int m_recounts = 0;       // resets after a windowed page came back short, for this source
    bool m_pagedOnly = false; // this source's keys did not hold as counted: shown paged
    mutable bool m_readFailed = false;
    mutable bool m_windowReadPending = false; // windowed: a page read failed; no more until the next reset
    QMetaObject::Connection m_appendedConnection;
    QMetaObject::Connection m_changedConnection; // another program appended (StoreFollower)
};

} // namespace chronoscope
