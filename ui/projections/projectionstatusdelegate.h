#pragma once

#include <QStyledItemDelegate>

namespace chronoscope {

/// Draws a projection's status (ProjectionListModel::StatusColumn) as a coloured dot and a
/// word: green running, grey stopped, red faulted; "rebuilding 45%" with a thin bar while busy.
class ProjectionStatusDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    /// The text shown for an index of the status column.
    static QString statusText(const QModelIndex& index);

    void paint(
        QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace chronoscope
