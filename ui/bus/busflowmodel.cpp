#include "bus/busflowmodel.h"

#include "bus/buslogmodel.h"

namespace chronoscope {

using Kind = BusTraceEntry::Kind;

namespace {
/// How bad a status is: an event row shows the worst of its handlers'.
int severity(Kind kind)
{
    switch (kind) {
    case Kind::DeadLettered:
        return 5;
    case Kind::Failed:
        return 4;
    case Kind::Retrying:
        return 3;
    case Kind::Delivered:
        return 2;
    case Kind::Duplicate:
        return 1;
    case Kind::Published:
        return 0;
    }
    return 0;
}
} // namespace

BusFlowModel::BusFlowModel(QObject* parent)
    : QAbstractItemModel(parent)
{
}

BusFlowModel::~BusFlowModel() = default;

std::pair<int, bool> BusFlowModel::update(EventNode& node, const BusTraceEntry& entry)
{
    if (entry.kind == Kind::Published)
        return {-1, false};
    auto it = std::find_if(node.handlers.begin(), node.handlers.end(),
        [&](const HandlerRow& h) { return h.handler == entry.handler; });
    const bool added = it == node.handlers.end();
    if (added) {
        node.handlers.push_back(HandlerRow {entry.handler, entry.kind, 0, -1, {}, 0});
        it = node.handlers.end() - 1;
    }
    HandlerRow& row = *it;
    if (entry.kind == Kind::Duplicate) {
        // A repeat of an event the handler already processed: the earlier status stays.
        ++row.duplicates;
        if (!added)
            return {int(it - node.handlers.begin()), false};
    } else {
        row.status = entry.kind;
        row.attempts = std::max(row.attempts, entry.attempt);
        if (entry.kind == Kind::Delivered) {
            row.latencyNs = entry.latencyNs;
            row.error.clear();
        } else {
            row.error = entry.error;
        }
    }
    return {int(it - node.handlers.begin()), added};
}

Kind BusFlowModel::worst(const EventNode& node)
{
    Kind out = Kind::Published;
    for (const auto& h : node.handlers)
        if (severity(h.status) > severity(out))
            out = h.status;
    return out;
}

void BusFlowModel::apply(const std::vector<BusTraceEntry>& entries)
{
    // Entries of events already shown update their rows one by one; events new in this batch
    // are built first and inserted with a single signal (a flood stays cheap for the views).
    std::vector<std::unique_ptr<EventNode>> fresh;
    QHash<qint64, EventNode*> freshByPosition;
    for (const auto& entry : entries) {
        const qint64 key = entry.event.position.value;
        if (EventNode* existing = m_byPosition.value(key)) {
            const int parentRow = int(existing->seq - m_firstSeq);
            const QModelIndex parentIndex = index(parentRow, 0);
            if (entry.kind == Kind::Published)
                continue;
            const auto row = std::find_if(existing->handlers.begin(), existing->handlers.end(),
                [&](const HandlerRow& h) { return h.handler == entry.handler; });
            if (row == existing->handlers.end()) {
                const int at = int(existing->handlers.size());
                beginInsertRows(parentIndex, at, at);
                update(*existing, entry);
                endInsertRows();
            } else {
                const int at = update(*existing, entry).first;
                Q_EMIT dataChanged(index(at, 0, parentIndex), index(at, ColumnCount - 1, parentIndex));
            }
            Q_EMIT dataChanged(parentIndex, index(parentRow, ColumnCount - 1));
            continue;
        }
        EventNode*& target = freshByPosition[key];
        if (!target) {
            fresh.push_back(std::make_unique<EventNode>());
            target = fresh.back().get();
            target->position = entry.event.position;
            target->stream = entry.event.stream;
            target->version = entry.event.version;
            target->type = entry.event.type;
            target->correlationId = entry.correlationId;
        }
        update(*target, entry);
    }
    if (fresh.empty())
        return;
    auto first = fresh.begin();
    if (qsizetype(fresh.size()) > m_capacity)
        first = fresh.end() - m_capacity;
    const auto incoming = qsizetype(fresh.end() - first);
    evict(qsizetype(m_nodes.size()) + incoming - m_capacity);
    const int start = int(m_nodes.size());
    beginInsertRows({}, start, start + int(incoming) - 1);
    for (auto it = first; it != fresh.end(); ++it) {
        (*it)->seq = m_nextSeq++;
        m_byPosition.insert((*it)->position.value, it->get());
        m_nodes.push_back(std::move(*it));
    }
    if (m_nodes.size() == std::size_t(incoming))
        m_firstSeq = m_nodes.front()->seq;
    endInsertRows();
}

void BusFlowModel::evict(qsizetype count)
{
    count = std::min<qsizetype>(count, qsizetype(m_nodes.size()));
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, int(count) - 1);
    for (qsizetype i = 0; i < count; ++i) {
        m_byPosition.remove(m_nodes.front()->position.value);
        m_nodes.pop_front();
    }
    m_firstSeq = m_nodes.empty() ? m_nextSeq : m_nodes.front()->seq;
    endRemoveRows();
}

void BusFlowModel::clear()
{
    beginResetModel();
    m_nodes.clear();
    m_byPosition.clear();
    m_firstSeq = m_nextSeq;
    endResetModel();
}

void BusFlowModel::setCapacity(qsizetype capacity)
{
    m_capacity = std::max<qsizetype>(1, capacity);
    evict(qsizetype(m_nodes.size()) - m_capacity);
}

QModelIndex BusFlowModel::indexOfEvent(Position position) const
{
    const EventNode* n = m_byPosition.value(position.value);
    return n ? index(int(n->seq - m_firstSeq), 0) : QModelIndex();
}

BusFlowModel::EventNode* BusFlowModel::node(const QModelIndex& index) const
{
    const qint64 seq = index.internalId() == 0 ? m_firstSeq + index.row() : qint64(index.internalId()) - 1;
    const qint64 row = seq - m_firstSeq;
    return row >= 0 && row < qint64(m_nodes.size()) ? m_nodes[std::size_t(row)].get() : nullptr;
}

QModelIndex BusFlowModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    const EventNode* n = node(parent);
    return n ? createIndex(row, column, quintptr(n->seq + 1)) : QModelIndex();
}

QModelIndex BusFlowModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    const qint64 row = qint64(child.internalId()) - 1 - m_firstSeq;
    return row >= 0 && row < qint64(m_nodes.size()) ? createIndex(int(row), 0, quintptr(0)) : QModelIndex();
}

int BusFlowModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return int(m_nodes.size());
    if (parent.column() != 0 || parent.internalId() != 0)
        return 0;
    const EventNode* n = node(parent);
    return n ? int(n->handlers.size()) : 0;
}

int BusFlowModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant BusFlowModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const EventNode* n = node(index);
    if (!n)
        return {};
    if (index.internalId() == 0) { // an event
        const Kind status = worst(*n);
        switch (role) {
        case KindRole:
            return int(status);
        case PositionRole:
            return qint64(n->position.value);
        case SearchRole:
            return QStringList {n->type, n->stream.toString(),
                n->correlationId.toString(QUuid::WithoutBraces), QString::number(n->position.value)}
                .join(QLatin1Char(' '));
        case Qt::ToolTipRole:
            return n->correlationId.isNull()
                ? QVariant()
                : QVariant(tr("Correlation %1").arg(n->correlationId.toString(QUuid::WithoutBraces)));
        case Qt::DisplayRole:
            break;
        default:
            return {};
        }
        switch (index.column()) {
        case ItemColumn:
            return tr("%1  %2 v%3  #%4")
                .arg(n->type, n->stream.toString())
                .arg(n->version.value)
                .arg(n->position.value);
        case StatusColumn:
            if (n->handlers.empty())
                return tr("no handler");
            return BusLogModel::kindText(status);
        case AttemptsColumn: {
            int delivered = 0;
            for (const auto& h : n->handlers)
                delivered += h.status == Kind::Delivered || h.status == Kind::Duplicate;
            return n->handlers.empty() ? QString() : tr("%1/%2 ok").arg(delivered).arg(n->handlers.size());
        }
        case DetailColumn:
            return n->correlationId.isNull() ? QString()
                                             : n->correlationId.toString(QUuid::WithoutBraces).left(8);
        default:
            return {};
        }
    }
    if (index.row() >= int(n->handlers.size()))
        return {};
    const HandlerRow& h = n->handlers[std::size_t(index.row())];
    switch (role) {
    case KindRole:
        return int(h.status);
    case PositionRole:
        return qint64(n->position.value);
    case HandlerRole:
        return h.handler;
    case SearchRole:
        return QStringList {h.handler, BusLogModel::kindText(h.status), h.error}.join(QLatin1Char(' '));
    case Qt::ToolTipRole:
        return h.error.isEmpty() ? QVariant() : QVariant(h.error);
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case ItemColumn:
        return h.handler;
    case StatusColumn:
        return BusLogModel::kindText(h.status);
    case AttemptsColumn:
        return h.attempts > 0 ? QVariant(h.attempts) : QVariant();
    case LatencyColumn:
        return BusLogModel::latencyText(h.latencyNs);
    case DetailColumn:
        if (h.duplicates > 0 && h.error.isEmpty())
            return tr("%n duplicate(s) skipped", nullptr, h.duplicates);
        return h.error;
    default:
        return {};
    }
}

QVariant BusFlowModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ItemColumn:
        return tr("Event \u2192 handler");
    case StatusColumn:
        return tr("Status");
    case AttemptsColumn:
        return tr("Attempts");
    case LatencyColumn:
        return tr("Latency");
    case DetailColumn:
        return tr("Detail");
    default:
        return {};
    }
}

} // namespace chronoscope
