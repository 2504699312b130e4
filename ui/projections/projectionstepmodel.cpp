#include "projections/projectionstepmodel.h"

namespace chronoscope {

ProjectionStepModel::ProjectionStepModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void ProjectionStepModel::setSteps(std::vector<ProjectionStep> steps)
{
    beginResetModel();
    m_steps = std::move(steps);
    m_changes.assign(m_steps.size(), -1); // counted when first shown: a diff of a large state costs
    endResetModel();
}

int ProjectionStepModel::rowOfPosition(Position position) const
{
    const auto it = std::lower_bound(m_steps.begin(), m_steps.end(), position,
        [](const ProjectionStep& s, Position p) { return s.position < p; });
    return it != m_steps.end() && it->position == position ? int(it - m_steps.begin()) : -1;
}

int ProjectionStepModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : size();
}

int ProjectionStepModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProjectionStepModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ProjectionStep& s = m_steps[std::size_t(index.row())];
    int& changes = m_changes[std::size_t(index.row())];
    if (changes < 0)
        changes = s.error.isEmpty() ? int(nlohmann::json::diff(s.before, s.after).size()) : 0;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PositionColumn:
            return qlonglong(s.position.value);
        case StreamColumn:
            return s.stream.toString();
        case VersionColumn:
            return qlonglong(s.version.value);
        case TypeColumn:
            return s.type;
        case ElapsedColumn:
            return QStringLiteral("%1 \u00b5s").arg(double(s.elapsedNs) / 1000.0, 0, 'f', 1);
        case ChangesColumn:
            return s.error.isEmpty() ? QVariant(changes) : QVariant();
        case ErrorColumn:
            return s.error;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return index.column() == ErrorColumn && !s.error.isEmpty() ? QVariant(s.error) : QVariant();
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case PositionColumn:
        case VersionColumn:
        case ElapsedColumn:
        case ChangesColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    case ElapsedNsRole:
        return qlonglong(s.elapsedNs);
    case ChangeCountRole:
        return changes;
    default:
        return {};
    }
}

QVariant ProjectionStepModel::headerData(int section, Qt::Orientation orientation, int role) const
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
    case ElapsedColumn:
        return tr("Elapsed");
    case ChangesColumn:
        return tr("Changes");
    case ErrorColumn:
        return tr("Error");
    default:
        return {};
    }
}

} // namespace chronoscope
