#include "streams/eventtablemodel.h"

#include "base/errors.h"
#include "json/jsondepth.h"
#include "store/eventstore.h"

#include <QScopedValueRollback>

#include <algorithm>

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
    reset(stream, false, {});
}

void EventTableModel::showAll(const EventFilter& filter)
{
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
    m_knownEnd.reset();
    m_atEnd = !m_store || (!m_stream && !m_all);
    std::optional<QString> error;
    if (!m_atEnd) {
        // Cheap totals only: a stream's last version, or the store's last position.
        try {
            if (m_stream) {
                const auto info = m_store->streamInfo(*m_stream);
                m_knownEnd = info ? info->version.value : 0;
            } else if (m_filter.isEmpty()) {
                m_knownEnd = m_store->summary().lastPosition.value;
            }
        } catch (const std::exception& e) {
            m_atEnd = true;
            error = errorText(e);
        }
        if (m_knownEnd && *m_knownEnd == 0)
            m_atEnd = true;
    }
    endResetModel();
    if (error)
        Q_EMIT readFailed(*error);
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
        if (m_stream) {
            const auto from
                = m_events.empty() ? std::optional<Version>() : Version(m_events.back().version.value + 1);
            page = m_store->readStream(*m_stream, from, m_pageSize, Direction::Forward);
        } else {
            const auto from
                = m_events.empty() ? std::optional<Position>() : Position(m_events.back().position.value + 1);
            page = m_store->readAll(from, m_pageSize, m_filter, Direction::Forward);
        }
    } catch (const std::exception& e) {
        failed(e);
        return;
    }
    if (page.size() < std::size_t(m_pageSize))
        m_atEnd = true;
    if (!page.empty() && m_knownEnd) {
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
    // Rows are in increasing position order both for a stream and for the all-stream.
    const auto it = std::lower_bound(m_events.begin(), m_events.end(), position,
        [](const RecordedEvent& e, Position p) { return e.position < p; });
    return it != m_events.end() && it->position == position ? int(it - m_events.begin()) : -1;
}

int EventTableModel::ensureVersionLoaded(Version version)
{
    if (!m_stream || version.value <= 0)
        return -1;
    while ((m_events.empty() || m_events.back().version < version) && canFetchMore({}))
        fetchMore({});
    const auto it = std::lower_bound(m_events.begin(), m_events.end(), version,
        [](const RecordedEvent& e, Version v) { return e.version < v; });
    return it != m_events.end() && it->version == version ? int(it - m_events.begin()) : -1;
}

int EventTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto& e = m_events[std::size_t(index.row())];
    switch (role) {
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
            return m_previews[std::size_t(index.row())];
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
