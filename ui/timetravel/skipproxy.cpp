#include "timetravel/skipproxy.h"

#include "base/style.h"
#include "streams/eventtablemodel.h"

#include <QColor>
#include <QFont>

namespace chronoscope {

SkipProxy::SkipProxy(QObject* parent)
    : QIdentityProxyModel(parent)
{
}

void SkipProxy::setSourceModel(QAbstractItemModel* source)
{
    if (sourceModel())
        disconnect(sourceModel(), nullptr, this, nullptr);
    QIdentityProxyModel::setSourceModel(source);
    if (source) {
        // Another stream (or the all-stream) is shown: its skips start empty.
        connect(source, &QAbstractItemModel::modelReset, this, [this] {
            if (!m_skipped.isEmpty()) {
                m_skipped.clear();
                Q_EMIT skippedChanged(m_skipped);
            }
        });
    }
}

bool SkipProxy::isEnabled() const
{
    const auto* events = qobject_cast<const EventTableModel*>(sourceModel());
    return events && events->stream().has_value();
}

qint64 SkipProxy::versionOf(const QModelIndex& index) const
{
    // Asked of the source: asking this proxy's own data() would come back here (data() needs the
    // version to know whether the row is skipped).
    const QModelIndex source = index.model() == this ? mapToSource(index) : index;
    if (!source.isValid() || !sourceModel() || source.model() != sourceModel())
        return 0;
    return source.siblingAtColumn(EventTableModel::VersionColumn)
        .data(EventTableModel::VersionRole)
        .toLongLong();
}

void SkipProxy::setSkipped(qint64 version, bool skipped)
{
    if (!isEnabled() || version <= 0 || skipped == isSkipped(version))
        return;
    if (skipped)
        m_skipped.insert(version);
    else
        m_skipped.remove(version);
    refreshRows();
    Q_EMIT skippedChanged(m_skipped);
}

void SkipProxy::clearSkips()
{
    if (m_skipped.isEmpty())
        return;
    m_skipped.clear();
    refreshRows();
    Q_EMIT skippedChanged(m_skipped);
}

void SkipProxy::refreshRows()
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1),
            {Qt::FontRole, Qt::ForegroundRole, Qt::CheckStateRole});
}

QVariant SkipProxy::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !isEnabled())
        return QIdentityProxyModel::data(index, role);
    if (role == Qt::CheckStateRole && index.column() == EventTableModel::VersionColumn)
        return isSkipped(versionOf(index)) ? Qt::Unchecked : Qt::Checked;
    if (m_skipped.isEmpty() || !isSkipped(versionOf(index)))
        return QIdentityProxyModel::data(index, role);
    if (role == Qt::FontRole) {
        QFont font = QIdentityProxyModel::data(index, role).value<QFont>();
        font.setStrikeOut(true);
        return font;
    }
    if (role == Qt::ForegroundRole)
        return style::colour(style::Colour::SkippedText);
    if (role == Qt::ToolTipRole)
        return tr("Skipped (what-if): left out of the state. The store is unchanged.");
    return QIdentityProxyModel::data(index, role);
}

bool SkipProxy::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::CheckStateRole || index.column() != EventTableModel::VersionColumn || !isEnabled())
        return QIdentityProxyModel::setData(index, value, role);
    setSkipped(versionOf(index), value.value<Qt::CheckState>() == Qt::Unchecked);
    return true;
}

Qt::ItemFlags SkipProxy::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QIdentityProxyModel::flags(index);
    if (index.isValid() && index.column() == EventTableModel::VersionColumn && isEnabled())
        f |= Qt::ItemIsUserCheckable;
    return f;
}

} // namespace chronoscope
