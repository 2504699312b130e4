#include "topics/partitionmodel.h"

#include "base/style.h"
#include "topics/consumergroup.h"

#include <QBrush>

namespace chronoscope {

PartitionModel::PartitionModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void PartitionModel::setGroup(const topics::ConsumerGroup* group)
{
    m_group = group;
    reload();
}

void PartitionModel::reload()
{
    beginResetModel();
    m_rows = m_group ? m_group->partitionCount() : 0;
    m_moved.clear();
    endResetModel();
}

void PartitionModel::refresh()
{
    if (!m_group || m_group->partitionCount() != m_rows) {
        reload();
        return;
    }
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1));
}

void PartitionModel::setMoved(const QSet<int>& partitions)
{
    m_moved = partitions;
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1),
            {Qt::BackgroundRole, Qt::ToolTipRole, MovedRole});
}

int PartitionModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int PartitionModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PartitionModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_group
        || index.row() >= m_group->partitionCount())
        return {};
    const topics::GroupPartition& p = m_group->partitions()[size_t(index.row())];
    const bool moved = m_moved.contains(p.partition);
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case PartitionColumn:
            return p.partition;
        case StreamsColumn:
            return p.streams;
        case MemberColumn:
            return p.member.isEmpty() ? tr("(none)") : p.member;
        case CommittedColumn:
            return p.committed;
        case EndColumn:
            return p.events;
        case LagColumn:
            return p.lag();
        case ColumnCount:
            break;
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == MemberColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                              : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() == MemberColumn && p.member.isEmpty())
            return QBrush(style::colour(style::Colour::MutedText));
        if (index.column() == LagColumn && p.lag() > 0)
            return QBrush(style::colour(style::Colour::WarningText));
        return {};
    case Qt::BackgroundRole:
        return moved ? QVariant(QBrush(style::colour(style::Colour::ChangedNode))) : QVariant();
    case Qt::ToolTipRole:
        if (moved)
            return tr("Moved to %1 by the last rebalance").arg(p.member.isEmpty() ? tr("nobody") : p.member);
        if (p.member.isEmpty())
            return tr("No member reads this partition: its lag only grows");
        return {};
    case MovedRole:
        return moved;
    default:
        return {};
    }
}

QVariant PartitionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (Column(section)) {
        case PartitionColumn:
            return tr("Partition");
        case StreamsColumn:
            return tr("Streams");
        case MemberColumn:
            return tr("Member");
        case CommittedColumn:
            return tr("Committed");
        case EndColumn:
            return tr("End offset");
        case LagColumn:
            return tr("Lag");
        case ColumnCount:
            break;
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case PartitionColumn:
            return tr("The partition number: a stream's events all go to one, by a hash of its id");
        case StreamsColumn:
            return tr("Streams whose id hashes to this partition");
        case MemberColumn:
            return tr("The group member that reads this partition (range assignment)");
        case CommittedColumn:
            return tr("The group's committed offset: events of this partition read so far");
        case EndColumn:
            return tr("The partition's end: the events in it so far");
        case LagColumn:
            return tr("End offset minus committed offset: events not read yet");
        case ColumnCount:
            break;
        }
    }
    return {};
}

} // namespace chronoscope
