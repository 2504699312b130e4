#include "timetravel/fieldhistorymodel.h"

#include "timetravel/patchtablemodel.h"

namespace chronoscope {

FieldHistoryModel::FieldHistoryModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void FieldHistoryModel::setChanges(QString pointer, std::vector<FieldChange> changes)
{
    beginResetModel();
    m_pointer = std::move(pointer);
    m_changes = std::move(changes);
    endResetModel();
}

int FieldHistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_changes.size());
}

int FieldHistoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FieldHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const auto& change = m_changes[std::size_t(index.row())];
    if (role == VersionRole)
        return QVariant::fromValue<qint64>(change.version.value);
    if (role == Qt::TextAlignmentRole && index.column() <= PositionColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case VersionColumn:
        return QVariant::fromValue<qint64>(change.version.value);
    case PositionColumn:
        return QVariant::fromValue<qint64>(change.position.value);
    case TypeColumn:
        return change.type;
    case TimestampColumn:
        return formatTimestamp(change.timestampMs);
    case OldColumn:
        return optionalJsonText(change.oldValue);
    case NewColumn:
        return optionalJsonText(change.newValue);
    default:
        return {};
    }
}

QVariant FieldHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case VersionColumn:
        return tr("Version");
    case PositionColumn:
        return tr("Position");
    case TypeColumn:
        return tr("Event type");
    case TimestampColumn:
        return tr("Timestamp");
    case OldColumn:
        return tr("Old value");
    case NewColumn:
        return tr("New value");
    default:
        return {};
    }
}

} // namespace chronoscope
