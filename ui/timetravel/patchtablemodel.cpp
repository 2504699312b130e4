#include "timetravel/patchtablemodel.h"

#include "base/style.h"
#include "widgets/jsontreemodel.h"

#include <QColor>

namespace chronoscope {

QString optionalJsonText(const std::optional<nlohmann::json>& value)
{
    return value ? jsonPreview(*value, 400) : QStringLiteral("\u2014");
}

PatchTableModel::PatchTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void PatchTableModel::setRows(std::vector<PatchRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int PatchTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PatchTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PatchTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const auto& row = m_rows[std::size_t(index.row())];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case OpColumn:
            return row.op;
        case PathColumn:
            return row.path;
        case OldColumn:
            return optionalJsonText(row.oldValue);
        case NewColumn:
            return optionalJsonText(row.newValue);
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == OpColumn) {
        if (row.op == QStringLiteral("add"))
            return style::colour(style::Colour::PatchAdd);
        if (row.op == QStringLiteral("remove"))
            return style::colour(style::Colour::PatchRemove);
        return style::colour(style::Colour::PatchReplace);
    }
    return {};
}

QVariant PatchTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case OpColumn:
        return tr("Op");
    case PathColumn:
        return tr("Path");
    case OldColumn:
        return tr("Old value");
    case NewColumn:
        return tr("New value");
    default:
        return {};
    }
}

} // namespace chronoscope
