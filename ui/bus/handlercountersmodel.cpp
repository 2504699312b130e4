#include "bus/handlercountersmodel.h"

#include "bus/buslogmodel.h"

#include <QLocale>

namespace chronoscope {

HandlerCountersModel::HandlerCountersModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void HandlerCountersModel::setCounters(std::vector<HandlerCounters> counters)
{
    const bool sameHandlers = counters.size() == m_rows.size()
        && std::equal(counters.begin(), counters.end(), m_rows.begin(),
            [](const HandlerCounters& a, const HandlerCounters& b) { return a.id == b.id; });
    if (!sameHandlers) {
        beginResetModel();
        m_rows = std::move(counters);
        endResetModel();
        return;
    }
    m_rows = std::move(counters);
    if (!m_rows.empty())
        Q_EMIT dataChanged(
            index(0, DeliveredColumn), index(rowCount() - 1, ColumnCount - 1), {Qt::DisplayRole});
}

int HandlerCountersModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HandlerCountersModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void HandlerCountersModel::setDown(const QStringList& handlers)
{
    if (handlers == m_down)
        return;
    m_down = handlers;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, ModeColumn), index(int(m_rows.size()) - 1, ModeColumn));
}

QVariant HandlerCountersModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HandlerCounters& h = m_rows[std::size_t(index.row())];
    if (role == Qt::TextAlignmentRole)
        return index.column() >= DeliveredColumn ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                                                 : QVariant();
    if (role == Qt::ToolTipRole && index.column() == HandlerColumn)
        return tr("Receives: %1").arg(h.selector.toString());
    const bool down = m_down.contains(h.name);
    if (role == Qt::ToolTipRole && index.column() == ModeColumn && down)
        return tr("Switched off: every delivery fails, is retried, then dead-lettered");
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case HandlerColumn:
        return h.name;
    case ModeColumn:
        if (down)
            return h.mode == DeliveryMode::Queued ? tr("DOWN (queued)") : tr("DOWN (synchronous)");
        return h.mode == DeliveryMode::Queued ? tr("queued") : tr("synchronous");
    case DeliveredColumn:
        return locale.toString(h.counters.delivered);
    case FailedColumn:
        return locale.toString(h.counters.failed);
    case DeadLetteredColumn:
        return locale.toString(h.counters.deadLettered);
    case DuplicatesColumn:
        return locale.toString(h.counters.duplicates);
    case LatencyColumn:
        return h.counters.delivered ? BusLogModel::latencyText(qint64(h.counters.meanLatencyNs)) : QString();
    default:
        return {};
    }
}

QVariant HandlerCountersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case HandlerColumn:
        return tr("Consumer");
    case ModeColumn:
        return tr("Delivery");
    case DeliveredColumn:
        return tr("Delivered");
    case FailedColumn:
        return tr("Failed");
    case DeadLetteredColumn:
        return tr("Dead-lettered");
    case DuplicatesColumn:
        return tr("Duplicates");
    case LatencyColumn:
        return tr("Mean latency");
    default:
        return {};
    }
}

} // namespace chronoscope
