#include "streams/streamlistmodel.h"

#include "store/eventstore.h"
#include "streams/idtooltip.h"

#include <QHash>
#include <QScopedValueRollback>

#include <algorithm>

namespace chronoscope {

StreamListModel::StreamListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

std::vector<StreamInfo> StreamListModel::read(const std::optional<StreamInfo>& after, qint64 limit)
{
    if (!m_store)
        return {};
    try {
        auto page = m_store->streamPage(m_query, after, limit);
        m_error.clear();
        return page;
    } catch (const std::exception& e) {
        m_error = errorText(e);
        Q_EMIT readFailed(m_error);
        return {};
    }
}

void StreamListModel::reload()
{
    m_jobs.reset(); // a search under way is not wanted any more
    if (searchesOffThread()) {
        beginResetModel();
        m_streams.clear();
        m_more = false;
        const QScopedValueRollback announcing(m_fetching, true);
        endResetModel();
        startRead(ReadKind::Reload, PageSize);
        return;
    }
    setSearching(false);
    beginResetModel();
    m_streams = read(std::nullopt, PageSize);
    m_more = m_error.isEmpty() && qint64(m_streams.size()) == PageSize;
    // No page is added while the reset is announced (a listener asking for more would insert
    // rows into a change still in flight); views ask again once it is done.
    const QScopedValueRollback announcing(m_fetching, true);
    endResetModel();
}

void StreamListModel::setSearching(bool searching)
{
    if (searching == m_searching)
        return;
    m_searching = searching;
    Q_EMIT searchingChanged(searching);
}

void StreamListModel::startRead(ReadKind kind, qint64 want)
{
    setSearching(true);
    std::optional<StreamInfo> after;
    if (kind == ReadKind::NextPage && !m_streams.empty())
        after = m_streams.back();
    // The job holds the store (a window may drop it before it tells the model); a store given by
    // pointer outlives the model, whose tracker waits for its jobs.
    m_jobs.startJob(
        [store = m_store, query = m_query, after, want](const JobCancelled&) {
            Read r;
            if (after) {
                r.rows = store->streamPage(query, after, want);
                r.more = qint64(r.rows.size()) == want;
            } else {
                r.rows = streamquery::firstStreams(*store, query, want, &r.more);
            }
            return r;
        },
        [this, kind](JobResult<Read> result) { finishRead(kind, std::move(result)); });
}

void StreamListModel::finishRead(ReadKind kind, JobResult<Read> result)
{
    // The rows go in first: whoever hears that the search is over sees what it found.
    if (!result.ok()) {
        m_error = result.error;
        m_more = false;
        setSearching(false);
        Q_EMIT readFailed(m_error);
        return;
    }
    m_error.clear();
    switch (kind) {
    case ReadKind::Reload:
    case ReadKind::NextPage: {
        m_more = result.value->more;
        const QScopedValueRollback busy(m_fetching, true);
        appendPage(std::move(result.value->rows));
        break;
    }
    case ReadKind::Refresh:
        applyFresh(std::move(result.value->rows), result.value->more);
        break;
    }
    setSearching(false);
}

void StreamListModel::appendPage(std::vector<StreamInfo> page)
{
    if (page.empty())
        return;
    beginInsertRows({}, int(m_streams.size()), int(m_streams.size() + page.size()) - 1);
    m_streams.insert(
        m_streams.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
    endInsertRows();
}

void StreamListModel::setStore(
    std::shared_ptr<const EventStore> store, const std::optional<StreamQuery>& query)
{
    m_store = std::move(store);
    if (query)
        m_query = *query;
    reload();
}

void StreamListModel::setStore(const EventStore* store, const std::optional<StreamQuery>& query)
{
    // Aliasing an empty owner: the pointer without a share of the store.
    setStore(std::shared_ptr<const EventStore>(std::shared_ptr<const EventStore>(), store), query);
}

bool StreamListModel::searchesOffThread() const
{
    return m_store && !streamquery::answeredByIndex(m_query);
}

void StreamListModel::setQuery(const StreamQuery& query)
{
    m_query = query;
    reload();
}

void StreamListModel::setText(const QString& text)
{
    // The text as a filter box means it (StreamQuery::fromFilterText: "events:3-4" counts events).
    const StreamQuery asked = StreamQuery::fromFilterText(text);
    auto query = m_query;
    query.text = asked.text;
    query.match = asked.match;
    query.minEvents = asked.minEvents;
    query.maxEvents = asked.maxEvents;
    if (query == m_query)
        return;
    setQuery(query);
}

void StreamListModel::setCategory(std::optional<QString> category)
{
    if (category == m_query.category)
        return;
    auto query = m_query;
    query.category = std::move(category);
    setQuery(query);
}

void StreamListModel::refresh()
{
    if (!m_store) {
        reload();
        return;
    }
    // As many rows as are loaded (at least a page), read again from the first.
    const qint64 want = std::max<qint64>(qint64(m_streams.size()), PageSize);
    if (searchesOffThread()) {
        if (!m_searching) // a search under way reads the appended streams too
            startRead(ReadKind::Refresh, want);
        return;
    }
    std::vector<StreamInfo> fresh;
    bool more = true;
    try {
        fresh = streamquery::firstStreams(*m_store, m_query, want, &more);
        m_error.clear();
    } catch (const std::exception& e) {
        m_error = errorText(e);
        Q_EMIT readFailed(m_error);
        return; // keep what is shown
    }
    applyFresh(std::move(fresh), more);
}

void StreamListModel::applyFresh(std::vector<StreamInfo> fresh, bool more)
{
    if (fresh.size() < m_streams.size()) {
        // Streams went away (another program rewrote the file): start again.
        beginResetModel();
        m_streams = std::move(fresh);
        m_more = more;
        endResetModel();
        return;
    }
    // Listeners to the inserts below must not fetch pages in the middle of them.
    const QScopedValueRollback busy(m_fetching, true);
    // Grow first (rows appended at the end), then move rows to their new places by id.
    if (fresh.size() > m_streams.size()) {
        beginInsertRows({}, int(m_streams.size()), int(fresh.size()) - 1);
        m_streams.insert(m_streams.end(), fresh.begin() + qsizetype(m_streams.size()), fresh.end());
        endInsertRows();
    }
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    QHash<QString, int> newRow;
    newRow.reserve(qsizetype(fresh.size()));
    for (std::size_t i = 0; i < fresh.size(); ++i)
        newRow.insert(fresh[i].stream.toString(), int(i));
    const auto persistent = persistentIndexList();
    QModelIndexList to;
    to.reserve(persistent.size());
    for (const auto& index : persistent) {
        const auto it = newRow.constFind(m_streams[std::size_t(index.row())].stream.toString());
        to.append(it == newRow.constEnd() ? QModelIndex() : createIndex(*it, index.column()));
    }
    m_streams = std::move(fresh);
    m_more = more;
    changePersistentIndexList(persistent, to);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    if (!m_streams.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

bool StreamListModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_more && !m_fetching && !m_searching;
}

void StreamListModel::fetchMore(const QModelIndex& parent)
{
    // A view (or a model tester) may ask again while the rows of this page go in.
    if (m_fetching || m_searching)
        return;
    const QScopedValueRollback busy(m_fetching, true);
    if (parent.isValid() || !m_more)
        return;
    if (searchesOffThread()) {
        startRead(ReadKind::NextPage, PageSize);
        return;
    }
    auto page = read(m_streams.empty() ? std::nullopt : std::optional(m_streams.back()), PageSize);
    m_more = m_error.isEmpty() && qint64(page.size()) == PageSize;
    appendPage(std::move(page));
}

int StreamListModel::loadUntil(const StreamId& stream, int maxPages)
{
    int row = rowOf(stream);
    if (searchesOffThread())
        return row; // pages of a search come off the GUI thread, one at a time
    for (int i = 0; row < 0 && m_more && i < maxPages; ++i) {
        const auto before = m_streams.size();
        fetchMore({});
        for (std::size_t r = before; r < m_streams.size(); ++r)
            if (m_streams[r].stream == stream)
                return int(r);
    }
    return row;
}

void StreamListModel::sort(int column, Qt::SortOrder order)
{
    auto query = m_query;
    switch (column) {
    case VersionColumn:
        query.sort = StreamQuery::Sort::Version;
        break;
    case EventsColumn:
        query.sort = StreamQuery::Sort::Events;
        break;
    case LastTimestampColumn:
        query.sort = StreamQuery::Sort::LastEvent;
        break;
    default:
        query.sort = StreamQuery::Sort::Id;
        break;
    }
    query.descending = order == Qt::DescendingOrder;
    if (query == m_query)
        return;
    setQuery(query);
}

int StreamListModel::rowOf(const StreamId& stream) const
{
    const auto found = std::find_if(
        m_streams.begin(), m_streams.end(), [&](const StreamInfo& info) { return info.stream == stream; });
    return found == m_streams.end() ? -1 : int(found - m_streams.begin());
}

int StreamListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_streams.size());
}

int StreamListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StreamListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto& info = m_streams[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case SortRole:
        switch (index.column()) {
        case StreamColumn:
            return info.stream.toString();
        case CategoryColumn:
            return info.stream.category();
        case VersionColumn:
            return qlonglong(info.version.value);
        case EventsColumn:
            return qlonglong(info.events);
        case LastTimestampColumn:
            if (role == SortRole)
                return qlonglong(info.lastTimestampMs);
            return formatTimestamp(info.lastTimestampMs);
        }
        return {};
    case Qt::ToolTipRole:
        return index.column() == StreamColumn ? idToolTip(info.stream.toString()) : QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == VersionColumn || index.column() == EventsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case StreamIdRole:
        return QVariant::fromValue(info.stream);
    case CategoryRole:
        return info.stream.category();
    case VersionRole:
        return qlonglong(info.version.value);
    case EventCountRole:
        return qlonglong(info.events);
    case LastTimestampRole:
        return qlonglong(info.lastTimestampMs);
    default:
        return {};
    }
}

QVariant StreamListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StreamColumn:
        return tr("Stream");
    case CategoryColumn:
        return tr("Category");
    case VersionColumn:
        return tr("Version");
    case EventsColumn:
        return tr("Events");
    case LastTimestampColumn:
        return tr("Last event (UTC)");
    }
    return {};
}

} // namespace chronoscope
