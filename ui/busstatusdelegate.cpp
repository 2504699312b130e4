#include "busstatusdelegate.h"

#include "bustrace.h"

namespace chronoscope {

BusStatusDelegate::BusStatusDelegate(int statusColumn, int kindRole, QObject* parent, bool tintPublished)
    : QStyledItemDelegate(parent)
    , m_statusColumn(statusColumn)
    , m_kindRole(kindRole)
    , m_tint(tintPublished)
{
}

void BusStatusDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant kindValue = index.data(m_kindRole);
    if (!kindValue.isValid())
        return;
    using Kind = BusTraceEntry::Kind;
    const auto kind = Kind(kindValue.toInt());
    if (m_tint && kind == Kind::Published)
        option->backgroundBrush = QColor(0xeaf1fb);
    if (index.column() != m_statusColumn)
        return;
    QColor colour;
    bool bold = false;
    switch (kind) {
    case Kind::Published:
        colour = QColor(0x1565c0);
        break;
    case Kind::Delivered:
        colour = QColor(0x2e7d32);
        break;
    case Kind::Retrying:
        colour = QColor(0xb26a00);
        break;
    case Kind::Failed:
        colour = QColor(0xc62828);
        break;
    case Kind::DeadLettered:
        colour = QColor(0x8e0000);
        bold = true;
        break;
    case Kind::Duplicate:
        colour = QColor(0x757575);
        break;
    }
    option->palette.setColor(QPalette::Text, colour);
    if (bold)
        option->font.setBold(true);
}

} // namespace chronoscope
