#include "streams/eventtablemodel.h"

#include "base/errors.h"
#include "help/glossary.h"
#include "json/jsondepth.h"
#include "store/eventstore.h"
#include "streams/idtooltip.h"

#include <QScopedValueRollback>
#include <QTimer>

#include <algorithm>
#include <limits>

namespace chronoscope {

namespace {
constexpr int PreviewChars = 160;

QString previewOf(const QByteArray& data)
{
    // Too deep to turn into a value safely: shown as the text it is.
    const auto json = jsondepth::tooDeepAt(std::string_view(data.constData(), std::size_t(data.size())))
        ? nlohmann::json(nlohmann::json::value_t::discarded)
        : nlohmann::json::parse(data.constBegin(), data.constEnd(), nullptr, false);
    if (json.is_discarded()) {
        QString raw = QString::fromUtf8(data).simplified();
        if (raw.size() > PreviewChars)
            raw = raw.left(PreviewChars - 1) + QChar(0x2026);
        return raw;
    }
    QString text
        = QString::fromStdString(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (text.size() > PreviewChars)
        text = text.left(PreviewChars - 1) + QChar(0x2026);
    return text;
}
} // namespace

EventTableModel::EventTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void EventTableModel::setStore(const EventStore* store)
{
    disconnect(m_appendedConnection);
    disconnect(m_changedConnection);
    m_store = store;
    if (store) {
        m_appendedConnection = connect(store, &EventStore::appended, this, &EventTableModel::onAppended);
        m_changedConnection
            = connect(store, &EventStore::changedElsewhere, this, &EventTableModel::onAppended);
    }
    clear();
}

void EventTableModel::showStream(const StreamId& stream)
{
    m_recounts = 0;
    m_pagedOnly = false;
    reset(stream, false, {});
}

void EventTableModel::showAll(const EventFilter& filter)
{
    m_recounts = 0;
    m_pagedOnly = false;
    reset(std::nullopt, true, filter);
}

void EventTableModel::clear()
{
    reset(std::nullopt, false, {});
}

void EventTableModel::setPageSize(int pageSize)
{
    m_pageSize = qMax(1, pageSize);
}

void EventTableModel::setNewestFirst(bool newestFirst)
{
    if (m_newestFirst == newestFirst)
        return;
    m_newestFirst = newestFirst;
    reset(m_stream, m_all, m_filter);
}

void EventTableModel::setWindowedReads(bool windowed)
{
    if (m_windowedReads == windowed)
        return;
    m_windowedReads = windowed;
    reset(m_stream, m_all, m_filter);
}

qsizetype EventTableModel::loadedRowCount() const
{
    if (!m_windowed)
        return qsizetype(m_events.size());
    qsizetype rows = 0;
    for (const auto& [index, page] : m_pages)
        rows += qsizetype(page.events.size());
    return rows;
}

void EventTableModel::reset(std::optional<StreamId> stream, bool all, EventFilter filter)
{
    // No page is read while the reset signals are delivered; views pull the first page after.
    const QScopedValueRollback guard(m_fetching, true);
    beginResetModel();
    m_stream = std::move(stream);
    m_all = all;
    m_filter = std::move(filter);
    m_events.clear();
    m_events.shrink_to_fit();
    m_previews.clear();
    m_previews.shrink_to_fit();
    m_pages.clear();
    m_readFailed = false;
    m_knownEnd.reset();
    m_windowed = false;
    m_rows = 0;
    m_atEnd = !m_store || (!m_stream && !m_all);
    std::optional<QString> error;
    if (!m_atEnd) {
        try {
            const RowPlan plan = planRows();
            m_windowed = plan.windowed;
            m_firstKey = plan.firstKey;
            m_rows = plan.rows;
            m_knownEnd = plan.knownEnd;
            if (m_windowed || (m_knownEnd && *m_knownEnd == 0))
                m_atEnd = true;
        } catch (const std::exception& e) {
            m_atEnd = true;
            error = errorText(e);
        }
    }
    endResetModel();
    if (error)
        Q_EMIT readFailed(*error);
}

EventTableModel::RowPlan EventTableModel::planRows() const
{
    // Cheap totals only: a stream's info, or the store's summary and its first event.
    RowPlan plan;
    if (m_stream) {
        const auto info = m_store->streamInfo(*m_stream);
        plan.knownEnd = info ? info->version.value : 0;
        if (info && m_windowedReads && !m_pagedOnly && info->events > 0
            && info->events == info->version.value) {
            plan.windowed = true; // versions 1..N, no gaps
            plan.firstKey = 1;
            plan.rows = info->events;
        }
    } else if (m_filter.isEmpty()) {
        const auto summary = m_store->summary();
        plan.knownEnd = summary.lastPosition.value;
        if (m_windowedReads && !m_pagedOnly && summary.events > 0) {
            const auto first = m_store->readAll(std::nullopt, 1, {}, Direction::Forward);
            if (!first.empty()
                && summary.lastPosition.value - first.front().position.value + 1 == summary.events) {
                plan.windowed = true; // positions first..last, no gaps
                plan.firstKey = first.front().position.value;
                plan.rows = summary.events;
            }
        }
    }
    if (plan.rows > std::numeric_limits<int>::max()) // rows are ints for the views
        plan = RowPlan {false, 0, 0, plan.knownEnd};
    return plan;
}

qint64 EventTableModel::keyOfRow(qint64 row) const
{
    return m_newestFirst ? m_firstKey + m_rows - 1 - row : m_firstKey + row;
}

qint64 EventTableModel::rowOfKey(qint64 key) const
{
    const qint64 row = m_newestFirst ? m_firstKey + m_rows - 1 - key : key - m_firstKey;
    return row >= 0 && row < m_rows ? row : -1;
}

void EventTableModel::reportLater(const QString& message) const
{
    // Not from inside data(), which a view calls while painting.
    auto* self = const_cast<EventTableModel*>(this);
    QTimer::singleShot(0, self, [self, message] { Q_EMIT self->readFailed(message); });
}

const EventTableModel::Page* EventTableModel::windowPage(int row) const
{
    const qint64 index = row / WindowPageRows;
    if (auto it = m_pages.find(index); it != m_pages.end()) {
        it->second.lastUse = ++m_useClock;
        return &it->second;
    }
    if (m_readFailed || !m_store)
        return nullptr;
    const qint64 firstRow = index * WindowPageRows;
    const qint64 rows = std::min<qint64>(WindowPageRows, m_rows - firstRow);
    if (rows <= 0)
        return nullptr;
    const qint64 low = std::min(keyOfRow(firstRow), keyOfRow(firstRow + rows - 1));
    std::vector<RecordedEvent> read;
    try {
        read = m_stream ? m_store->readStream(*m_stream, Version(low), rows, Direction::Forward)
                        : m_store->readAll(Position(low), rows, {}, Direction::Forward);
    } catch (const std::exception& e) {
        m_readFailed = true;
        reportLater(errorText(e));
        return nullptr;
    }
    if (m_pages.size() >= MaxWindowPages) {
        auto oldest = m_pages.begin();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it)
            if (it->second.lastUse < oldest->second.lastUse)
                oldest = it;
        m_pages.erase(oldest);
    }
    Page page;
    page.events.resize(std::size_t(rows));
    page.previews.resize(std::size_t(rows));
    for (auto& e : read) {
        const qint64 at = rowOfKey(keyOf(e)) - firstRow;
        if (at < 0 || at >= rows)
            continue; // a gap made since the rows were counted: the rows are counted again below
        page.previews[std::size_t(at)] = previewOf(e.data);
        page.events[std::size_t(at)] = std::move(e);
    }
    if (qint64(read.size()) != rows) {
        // The store no longer holds these keys as counted (replaced, vacuumed): count again.
        // Twice for one source: it is shown paged instead.
        auto* self = const_cast<EventTableModel*>(this);
        QTimer::singleShot(0, self, [self] {
            if (++self->m_recounts > 1)
                self->m_pagedOnly = true;
            self->reset(self->m_stream, self->m_all, self->m_filter);
        });
    }
    page.lastUse = ++m_useClock;
    if (!m_windowReadPending) {
        m_windowReadPending = true;
        auto* self = const_cast<EventTableModel*>(this);
        QTimer::singleShot(0, self, [self] {
            self->m_windowReadPending = false;
            Q_EMIT self->windowRead();
        });
    }
    return &m_pages.emplace(index, std::move(page)).first->second;
}

RecordedEvent EventTableModel::eventAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    if (!m_windowed)
        return m_events[std::size_t(row)];
    const Page* page = windowPage(row);
    const auto slot = std::size_t(row % WindowPageRows);
    return page && slot < page->events.size() ? page->events[slot] : RecordedEvent {};
}

void EventTableModel::failed(const std::exception& error)
{
    m_atEnd = true;
    Q_EMIT readFailed(errorText(error));
}

void EventTableModel::onAppended()
{
    // New events may belong to what is shown: let the view pull them when it reaches the end.
    if (!m_store || (!m_stream && !m_all))
        return;
    if (m_windowed || m_events.empty()) {
        // Counted again: the same rows and new ones after them are inserted; anything else (a
        // gap, fewer events, another first event) is shown anew.
        RowPlan plan;
        try {
            plan = planRows();
        } catch (const std::exception& e) {
            failed(e);
            return;
        }
        if (plan.windowed && m_windowed && plan.firstKey == m_firstKey && plan.rows >= m_rows) {
            m_knownEnd = plan.knownEnd;
            if (plan.rows == m_rows)
                return;
            const qint64 before = m_rows;
            if (m_newestFirst) {
                beginInsertRows({}, 0, int(plan.rows - before - 1));
                m_rows = plan.rows;
                m_pages.clear(); // every row moved down
            } else {
                beginInsertRows({}, int(before), int(plan.rows - 1));
                m_rows = plan.rows;
                m_pages.erase(before / WindowPageRows); // the last page may have been short
            }
            endInsertRows();
            return;
        }
        if (plan.windowed || m_windowed) {
            reset(m_stream, m_all, m_filter);
            return;
        }
    }
    if (m_newestFirst) {
        // Paged newest first: the new events belong above what is loaded.
        reset(m_stream, m_all, m_filter);
        return;
    }
    try {
        if (m_stream) {
            const auto info = m_store->streamInfo(*m_stream);
            m_knownEnd = info ? info->version.value : 0;
        } else if (m_filter.isEmpty()) {
            m_knownEnd = m_store->summary().lastPosition.value;
        } else {
            m_knownEnd.reset();
        }
    } catch (const std::exception& e) {
        failed(e);
        return;
    }
    const qint64 last
        = m_events.empty() ? 0 : (m_stream ? m_events.back().version.value : m_events.back().position.value);
    m_atEnd = m_knownEnd && last >= *m_knownEnd;
}

bool EventTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_atEnd;
}

void EventTableModel::fetchMore(const QModelIndex& parent)
{
    // A view or a model tester may ask again while rows are being inserted: ignore that.
    if (parent.isValid() || m_atEnd || !m_store || m_fetching)
        return;
    const QScopedValueRollback guard(m_fetching, true);
    std::vector<RecordedEvent> page;
    try {
        const auto direction = m_newestFirst ? Direction::Backward : Direction::Forward;
        const qint64 step = m_newestFirst ? -1 : 1;
        if (m_stream) {
            const auto from
                = m_events.empty() ? std::optional<Version>() : Version(m_events.back().version.value + step);
            page = from && from->value < 1 ? std::vector<RecordedEvent>()
                                           : m_store->readStream(*m_stream, from, m_pageSize, direction);
        } else {
            const auto from = m_events.empty() ? std::optional<Position>()
                                               : Position(m_events.back().position.value + step);
            page = from && from->value < 1 ? std::vector<RecordedEvent>()
                                           : m_store->readAll(from, m_pageSize, m_filter, direction);
        }
    } catch (const std::exception& e) {
        failed(e);
        return;
    }
    if (page.size() < std::size_t(m_pageSize))
        m_atEnd = true;
    if (!page.empty() && m_knownEnd && !m_newestFirst) {
        const qint64 last = m_stream ? page.back().version.value : page.back().position.value;
        if (last >= *m_knownEnd)
            m_atEnd = true;
    }
    if (page.empty())
        return;
    const int first = int(m_events.size());
    beginInsertRows({}, first, first + int(page.size()) - 1);
    m_events.reserve(m_events.size() + page.size());
    for (auto& e : page) {
        m_previews.push_back(previewOf(e.data));
        m_events.push_back(std::move(e));
    }
    endInsertRows();
}

int EventTableModel::rowOfPosition(Position position) const
{
    if (m_windowed) {
        if (!m_stream)
            return int(rowOfKey(position.value));
        for (const auto& [index, page] : m_pages)
            for (std::size_t i = 0; i < page.events.size(); ++i)
                if (page.events[i].position == position)
                    return int(index * WindowPageRows + qint64(i));
        try {
            const auto e = m_store ? m_store->readAt(position) : std::nullopt;
            return e && e->stream == *m_stream ? int(rowOfKey(e->version.value)) : -1;
        } catch (const std::exception&) {
            return -1;
        }
    }
    // Paged rows are in position order (increasing, or decreasing newest first).
    const auto it = m_newestFirst ? std::lower_bound(m_events.begin(), m_events.end(), position,
                        [](const RecordedEvent& e, Position p) { return e.position > p; })
                                  : std::lower_bound(m_events.begin(), m_events.end(), position,
                                      [](const RecordedEvent& e, Position p) { return e.position < p; });
    return it != m_events.end() && it->position == position ? int(it - m_events.begin()) : -1;
}

int EventTableModel::ensureVersionLoaded(Version version)
{
    if (!m_stream || version.value <= 0)
        return -1;
    if (m_windowed)
        return int(rowOfKey(version.value));
    const auto before
        = [this](const RecordedEvent& e, Version v) { return m_newestFirst ? e.version > v : e.version < v; };
    while ((m_events.empty() || before(m_events.back(), version)) && canFetchMore({}))
        fetchMore({});
    const auto it = std::lower_bound(m_events.begin(), m_events.end(), version, before);
    return it != m_events.end() && it->version == version ? int(it - m_events.begin()) : -1;
}

int EventTableModel::rowAtOrAfterTime(qint64 timestampMs)
{
    if (!m_store || (!m_stream && !m_all))
        return -1;
    std::optional<RecordedEvent> found;
    try {
        if (m_stream) {
            // A stream's events are read page by page (bounded by the stream's length).
            std::optional<Version> from;
            for (;;) {
                const auto page = m_store->readStream(*m_stream, from, 1000, Direction::Forward);
                for (const auto& e : page)
                    if (e.timestampMs >= timestampMs && m_filter.matches(e)) {
                        found = e;
                        break;
                    }
                if (found || page.size() < 1000)
                    break;
                from = Version(page.back().version.value + 1);
            }
        } else {
            EventFilter filter = m_filter;
            filter.fromTimeMs = filter.fromTimeMs ? std::max(*filter.fromTimeMs, timestampMs) : timestampMs;
            const auto first = m_store->readAll(std::nullopt, 1, filter, Direction::Forward);
            if (!first.empty())
                found = first.front();
        }
    } catch (const std::exception& e) {
        failed(e);
        return -1;
    }
    if (!found)
        return -1;
    if (m_windowed)
        return m_stream ? int(rowOfKey(found->version.value)) : int(rowOfKey(found->position.value));
    // Paged: load until the event's row is there.
    while (rowOfPosition(found->position) < 0 && canFetchMore({}))
        fetchMore({});
    return rowOfPosition(found->position);
}

int EventTableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return m_windowed ? int(m_rows) : int(m_events.size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RecordedEvent* found = nullptr;
    const QString* preview = nullptr;
    if (m_windowed) {
        const Page* page = windowPage(index.row());
        if (!page)
            return {};
        const auto slot = std::size_t(index.row() % WindowPageRows);
        if (slot >= page->events.size() || page->events[slot].position.value == 0)
            return {};
        found = &page->events[slot];
        preview = &page->previews[slot];
    } else {
        found = &m_events[std::size_t(index.row())];
        preview = &m_previews[std::size_t(index.row())];
    }
    const RecordedEvent& e = *found;
    switch (role) {
    case Qt::ToolTipRole:
        return index.column() == StreamColumn ? idToolTip(e.stream.toString()) : QVariant();
    case Qt::DisplayRole:
        switch (index.column()) {
        case PositionColumn:
            return qlonglong(e.position.value);
        case StreamColumn:
            return e.stream.toString();
        case VersionColumn:
            return qlonglong(e.version.value);
        case TypeColumn:
            return e.type;
        case TimestampColumn:
            return formatTimestamp(e.timestampMs);
        case SchemaColumn:
            return e.schemaVersion;
        case DataColumn:
            return *preview;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == PositionColumn || index.column() == VersionColumn
            || index.column() == SchemaColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EventRole:
        return QVariant::fromValue(e);
    case PositionRole:
        return qlonglong(e.position.value);
    case StreamIdRole:
        return QVariant::fromValue(e.stream);
    case VersionRole:
        return qlonglong(e.version.value);
    case TimestampRole:
        return qlonglong(e.timestampMs);
    default:
        return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        // The words of the vocabulary explain themselves (the glossary's tooltip).
        switch (section) {
        case PositionColumn:
            return help::glossaryTip(QStringLiteral("position"));
        case StreamColumn:
            return help::glossaryTip(QStringLiteral("stream"));
        case VersionColumn:
            return help::glossaryTip(QStringLiteral("version"));
        case TypeColumn:
            return help::glossaryTip(QStringLiteral("event"));
        case SchemaColumn:
            return help::glossaryTip(QStringLiteral("schema-version"));
        }
        return {};
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case PositionColumn:
        return tr("Position");
    case StreamColumn:
        return tr("Stream");
    case VersionColumn:
        return tr("Version");
    case TypeColumn:
        return tr("Type");
    case TimestampColumn:
        return tr("Timestamp (UTC)");
    case SchemaColumn:
        return tr("Schema");
    case DataColumn:
        return tr("Data");
    }
    return {};
}

} // namespace chronoscope
