#include "bus/busstatusdelegate.h"

#include "base/style.h"
#include "bus/bustrace.h"

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
        option->backgroundBrush = QColor(style::PublishedRow);
    if (index.column() != m_statusColumn)
        return;
    QColor colour;
    bool bold = false;
    switch (kind) {
    case Kind::Published:
        colour = QColor(style::InfoText);
        break;
    case Kind::Delivered:
        colour = QColor(style::SuccessText);
        break;
    case Kind::Retrying:
        colour = QColor(style::WarningText);
        break;
    case Kind::Failed:
        colour = QColor(style::FailureText);
        break;
    case Kind::DeadLettered:
        colour = QColor(style::ParkedText);
        bold = true;
        break;
    case Kind::Duplicate:
        colour = QColor(style::MutedText);
        break;
    }
    option->palette.setColor(QPalette::Text, colour);
    if (bold)
        option->font.setBold(true);
}

} // namespace chronoscope
