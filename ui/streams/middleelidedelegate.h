#pragma once

#include <QStyledItemDelegate>

namespace chronoscope {

/// Draws its column's text elided in the middle ("shopping_cart-8…e1f3"): ids that share a long
/// prefix stay apart. For one column of a view whose other columns elide at the right.
class MiddleElideDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideMiddle;
    }
};

} // namespace chronoscope
