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
        option->backgroundBrush = style::colour(style::Colour::PublishedRow);
    if (index.column() != m_statusColumn)
        return;
    QColor colour;
    bool bold = false;
    switch (kind) {
    case Kind::Published:
        colour = style::colour(style::Colour::InfoText);
        break;
    case Kind::Delivered:
        colour = style::colour(style::Colour::SuccessText);
        break;
    case Kind::Retrying:
        colour = style::colour(style::Colour::WarningText);
        break;
    case Kind::Failed:
        colour = style::colour(style::Colour::FailureText);
        break;
    case Kind::DeadLettered:
        colour = style::colour(style::Colour::ParkedText);
        bold = true;
        break;
    case Kind::Duplicate:
        colour = style::colour(style::Colour::MutedText);
        break;
    }
    option->palette.setColor(QPalette::Text, colour);
    if (bold)
        option->font.setBold(true);
}

} // namespace chronoscope
