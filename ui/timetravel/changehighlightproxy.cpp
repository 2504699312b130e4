#include "timetravel/changehighlightproxy.h"

#include "base/style.h"
#include "widgets/jsontreemodel.h"

#include <QColor>

#include <functional>

namespace chronoscope {

ChangeHighlightProxy::ChangeHighlightProxy(QObject* parent)
    : QIdentityProxyModel(parent)
{
}

void ChangeHighlightProxy::setChanges(const std::vector<PatchRow>& changes)
{
    m_ops.clear();
    m_ancestors.clear();
    for (const auto& change : changes) {
        m_ops.insert(change.path, change.op);
        // Every container above the change: "/a/b/c" marks "/a/b" and "/a".
        QString path = change.path;
        for (qsizetype slash = path.lastIndexOf(QLatin1Char('/')); slash > 0;
             slash = path.lastIndexOf(QLatin1Char('/'))) {
            path.truncate(slash);
            ++m_ancestors[path];
        }
    }
    if (rowCount() > 0) {
        // Every row may change colour; a full dataChanged on each level is simplest.
        const std::function<void(const QModelIndex&)> touch = [&](const QModelIndex& parent) {
            const int rows = rowCount(parent);
            if (rows == 0)
                return;
            Q_EMIT dataChanged(index(0, 0, parent), index(rows - 1, columnCount(parent) - 1, parent),
                {ChangeRole, Qt::BackgroundRole});
            for (int row = 0; row < rows; ++row)
                touch(index(row, 0, parent));
        };
        touch({});
    }
}

QString ChangeHighlightProxy::changeAt(const QString& pointer) const
{
    if (const auto it = m_ops.constFind(pointer); it != m_ops.constEnd())
        return *it;
    return m_ancestors.contains(pointer) ? QStringLiteral("contains") : QString();
}

QVariant ChangeHighlightProxy::data(const QModelIndex& index, int role) const
{
    if (role != ChangeRole && role != Qt::BackgroundRole)
        return QIdentityProxyModel::data(index, role);
    if (m_ops.isEmpty() || !index.isValid())
        return role == ChangeRole ? QVariant(QString()) : QVariant();
    const QString op = changeAt(QIdentityProxyModel::data(index, JsonTreeModel::PointerRole).toString());
    if (role == ChangeRole)
        return op;
    if (op == QStringLiteral("add"))
        return style::colour(style::Colour::AddedNode);
    if (op == QStringLiteral("replace"))
        return style::colour(style::Colour::ChangedNode);
    if (op == QStringLiteral("remove"))
        return style::colour(style::Colour::RemovedNode);
    if (op == QStringLiteral("contains"))
        return style::colour(style::Colour::ChangedInside);
    return {};
}

} // namespace chronoscope
