#include "streams/streamfilterproxy.h"

#include "streams/streamlistmodel.h"

namespace chronoscope {

StreamFilterProxy::StreamFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(StreamListModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void StreamFilterProxy::setText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

void StreamFilterProxy::setCategory(std::optional<QString> category)
{
    if (category == m_category)
        return;
    m_category = std::move(category);
    invalidateRowsFilter();
}

bool StreamFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const auto index = sourceModel()->index(sourceRow, StreamListModel::StreamColumn, sourceParent);
    if (m_category && index.data(StreamListModel::CategoryRole).toString() != *m_category)
        return false;
    if (m_text.isEmpty())
        return true;
    return index.data(Qt::DisplayRole).toString().contains(m_text, Qt::CaseInsensitive);
}

} // namespace chronoscope
