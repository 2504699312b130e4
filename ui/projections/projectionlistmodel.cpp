#include "projections/projectionlistmodel.h"

namespace chronoscope {

QString ProjectionRow::faultText() const
{
    if (!fault)
        return {};
    return fault->position.value > 0 ? fault->message() : fault->reason;
}

ProjectionListModel::ProjectionListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int ProjectionListModel::addRow(ProjectionRow row)
{
    const int at = size();
    beginInsertRows({}, at, at);
    m_rows.push_back(std::move(row));
    endInsertRows();
    return at;
}

void ProjectionListModel::updateRow(int index, ProjectionRow row)
{
    if (index < 0 || index >= size())
        return;
    m_rows[std::size_t(index)] = std::move(row);
    Q_EMIT dataChanged(this->index(index, 0), this->index(index, ColumnCount - 1));
}

void ProjectionListModel::removeRowAt(int index)
{
    if (index < 0 || index >= size())
        return;
    beginRemoveRows({}, index, index);
    m_rows.erase(m_rows.begin() + index);
    endRemoveRows();
}

void ProjectionListModel::clear()
{
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int ProjectionListModel::indexOf(const QString& name) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].name == name)
            return int(i);
    }
    return -1;
}

int ProjectionListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : size();
}

int ProjectionListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProjectionListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ProjectionRow& r = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return r.name;
        case StatusColumn:
            return statusName(r.status);
        case CheckpointColumn:
            return qlonglong(r.checkpoint.value);
        case LagColumn:
            return qlonglong(r.lag());
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn && r.fault)
            return r.faultText();
        return index.column() == NameColumn ? QVariant(r.description) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() >= CheckpointColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                                  : QVariant();
    case StatusRole:
        return int(r.status);
    case FaultRole:
        return r.faultText();
    case BusyRole:
        return r.busy;
    case ProgressRole:
        return r.busy && r.total > 0 ? double(r.done) / double(r.total) : -1.0;
    case ScriptRole:
        return r.script;
    case NameRole:
        return r.name;
    default:
        return {};
    }
}

QVariant ProjectionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Projection");
    case StatusColumn:
        return tr("Status");
    case CheckpointColumn:
        return tr("Checkpoint");
    case LagColumn:
        return tr("Lag");
    default:
        return {};
    }
}

} // namespace chronoscope
