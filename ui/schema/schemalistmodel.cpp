#include "schema/schemalistmodel.h"

#include <QFileInfo>

namespace chronoscope {

SchemaListModel::SchemaListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

SchemaListModel::~SchemaListModel() = default;

void SchemaListModel::setRegistry(std::shared_ptr<const SchemaRegistry> registry)
{
    beginResetModel();
    m_registry = std::move(registry);
    m_rows.clear();
    if (m_registry) {
        for (const auto& key : m_registry->keys()) {
            Row row;
            row.key = key;
            const auto draft = m_registry->draft(key.first, key.second);
            row.draft = draft ? draftName(*draft) : QString();
            row.origin = m_registry->origin(key.first, key.second);
            m_rows.push_back(std::move(row));
        }
    }
    endResetModel();
}

int SchemaListModel::rowOf(const QString& type, int version) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].key.first == type && m_rows[i].key.second == version)
            return int(i);
    }
    return -1;
}

int SchemaListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SchemaListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SchemaListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[std::size_t(index.row())];
    switch (role) {
    case TypeRole:
        return row.key.first;
    case VersionRole:
        return row.key.second;
    case Qt::ToolTipRole:
        return row.origin;
    case Qt::TextAlignmentRole:
        return index.column() == VersionColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case TypeColumn:
            return row.key.first;
        case VersionColumn:
            return row.key.second;
        case DraftColumn:
            return row.draft;
        case OriginColumn:
            return QFileInfo(row.origin).fileName();
        case ColumnCount:
            break;
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant SchemaListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TypeColumn:
        return tr("Type");
    case VersionColumn:
        return tr("Version");
    case DraftColumn:
        return tr("Draft");
    case OriginColumn:
        return tr("File");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace chronoscope
