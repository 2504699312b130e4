#include "bus/buslogmodel.h"

#include "help/glossary.h"

#include <QDateTime>

namespace chronoscope {

BusLogModel::BusLogModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

QString BusLogModel::kindText(BusTraceEntry::Kind kind)
{
    switch (kind) {
    case BusTraceEntry::Kind::Published:
        return tr("published");
    case BusTraceEntry::Kind::Delivered:
        return tr("delivered");
    case BusTraceEntry::Kind::Retrying:
        return tr("failed, retrying");
    case BusTraceEntry::Kind::Failed:
        return tr("failed");
    case BusTraceEntry::Kind::DeadLettered:
        return tr("dead-lettered");
    case BusTraceEntry::Kind::Duplicate:
        return tr("skipped (duplicate)");
    }
    return {};
}

QString BusLogModel::latencyText(qint64 ns)
{
    if (ns < 0)
        return {};
    if (ns < 1000)
        return tr("%1 ns").arg(ns);
    if (ns < 1000000)
        return tr("%1 \u00b5s").arg(double(ns) / 1e3, 0, 'f', ns < 10000 ? 1 : 0);
    if (ns < 1000000000)
        return tr("%1 ms").arg(double(ns) / 1e6, 0, 'f', ns < 10000000 ? 2 : 1);
    return tr("%1 s").arg(double(ns) / 1e9, 0, 'f', 2);
}

void BusLogModel::append(const std::vector<BusTraceEntry>& entries)
{
    if (entries.empty())
        return;
    // Only the newest `capacity` of the batch can stay.
    auto first = entries.begin();
    if (qsizetype(entries.size()) > m_capacity) {
        m_evicted += entries.size() - std::size_t(m_capacity);
        first = entries.end() - m_capacity;
    }
    const auto incoming = qsizetype(entries.end() - first);
    evict(qsizetype(m_rows.size()) + incoming - m_capacity);
    const int start = int(m_rows.size());
    beginInsertRows({}, start, start + int(incoming) - 1);
    m_rows.insert(m_rows.end(), first, entries.end());
    endInsertRows();
}

void BusLogModel::evict(qsizetype count)
{
    count = std::min<qsizetype>(count, qsizetype(m_rows.size()));
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, int(count) - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + count);
    endRemoveRows();
    m_evicted += quint64(count);
}

void BusLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_evicted = 0;
    endResetModel();
}

void BusLogModel::setCapacity(qsizetype capacity)
{
    m_capacity = std::max<qsizetype>(1, capacity);
    evict(qsizetype(m_rows.size()) - m_capacity);
}

int BusLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BusLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BusLogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BusTraceEntry& e = m_rows[std::size_t(index.row())];
    switch (role) {
    case KindRole:
        return int(e.kind);
    case PositionRole:
        return qint64(e.event.position.value);
    case LatencyNsRole:
        return e.latencyNs;
    case SearchRole:
        return QStringList {kindText(e.kind), e.handler, e.event.type, e.event.stream.toString(),
            e.correlationId.toString(QUuid::WithoutBraces), e.error, QString::number(e.event.position.value)}
            .join(QLatin1Char(' '));
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case AttemptColumn:
        case LatencyColumn:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == ErrorColumn || index.column() == OutcomeColumn)
            return e.error.isEmpty() ? QVariant() : QVariant(e.error);
        if (index.column() == CorrelationColumn && !e.correlationId.isNull())
            return e.correlationId.toString(QUuid::WithoutBraces);
        if (index.column() == StreamColumn || index.column() == TypeColumn)
            return tr("%1 version %2, global position %3")
                .arg(e.event.stream.toString())
                .arg(e.event.version.value)
                .arg(e.event.position.value);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    case OutcomeColumn:
        return kindText(e.kind);
    case HandlerColumn:
        return e.kind == BusTraceEntry::Kind::Published ? QStringLiteral("\u2014") : e.handler;
    case TypeColumn:
        return e.event.type;
    case StreamColumn:
        return tr("%1 v%2").arg(e.event.stream.toString()).arg(e.event.version.value);
    case AttemptColumn:
        return e.attempt > 0 ? QVariant(e.attempt) : QVariant();
    case LatencyColumn:
        return latencyText(e.latencyNs);
    case CorrelationColumn:
        // The first block of the UUID is enough to tell stories apart at a glance.
        return e.correlationId.isNull() ? QString() : e.correlationId.toString(QUuid::WithoutBraces).left(8);
    case ErrorColumn:
        return e.kind == BusTraceEntry::Kind::DeadLettered && e.deadLetterId > 0
            ? tr("#%1: %2").arg(e.deadLetterId).arg(e.error)
            : e.error;
    default:
        return {};
    }
}

QVariant BusLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        switch (section) {
        case HandlerColumn:
            return help::glossaryTip(QStringLiteral("consumer"));
        case AttemptColumn:
            return help::glossaryTip(QStringLiteral("retry"));
        case CorrelationColumn:
            return help::glossaryTip(QStringLiteral("correlation-id"));
        case StreamColumn:
            return help::glossaryTip(QStringLiteral("stream"));
        }
        return {};
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case OutcomeColumn:
        return tr("Outcome");
    case HandlerColumn:
        return tr("Handler");
    case TypeColumn:
        return tr("Event");
    case StreamColumn:
        return tr("Stream");
    case AttemptColumn:
        return tr("Try");
    case LatencyColumn:
        return tr("Latency");
    case CorrelationColumn:
        return tr("Correlation");
    case ErrorColumn:
        return tr("Error");
    default:
        return {};
    }
}

} // namespace chronoscope
