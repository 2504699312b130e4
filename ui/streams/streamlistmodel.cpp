#include "streams/streamlistmodel.h"

#include "store/eventstore.h"

#include <algorithm>

namespace chronoscope {

StreamListModel::StreamListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void StreamListModel::setStore(const EventStore* store)
{
    setStreams(store ? store->streams() : std::vector<StreamInfo>());
}

void StreamListModel::setStreams(std::vector<StreamInfo> streams)
{
    beginResetModel();
    m_streams = std::move(streams);
    endResetModel();
}

int StreamListModel::rowOf(const StreamId& stream) const
{
    const auto it = std::lower_bound(m_streams.begin(), m_streams.end(), stream,
        [](const StreamInfo& info, const StreamId& id) { return info.stream < id; });
    if (it != m_streams.end() && it->stream == stream)
        return int(it - m_streams.begin());
    // Streams are ordered by id by every store; fall back to a scan should one not be.
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
