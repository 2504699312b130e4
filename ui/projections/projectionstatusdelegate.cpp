#include "projections/projectionstatusdelegate.h"

#include "base/style.h"
#include "projections/projectionlistmodel.h"

#include <QApplication>
#include <QPainter>

namespace chronoscope {

namespace {
QColor statusColour(ProjectionStatus status)
{
    switch (status) {
    case ProjectionStatus::Running:
        return style::colour(style::Colour::ProjectionRunning);
    case ProjectionStatus::Faulted:
        return style::colour(style::Colour::ProjectionFaulted);
    case ProjectionStatus::Stopped:
        break;
    }
    return style::colour(style::Colour::ProjectionStopped);
}
} // namespace

QString ProjectionStatusDelegate::statusText(const QModelIndex& index)
{
    const double progress = index.data(ProjectionListModel::ProgressRole).toDouble();
    if (index.data(ProjectionListModel::BusyRole).toBool())
        return progress >= 0 ? tr("rebuilding %1%").arg(int(progress * 100)) : tr("rebuilding");
    switch (ProjectionStatus(index.data(ProjectionListModel::StatusRole).toInt())) {
    case ProjectionStatus::Running:
        return tr("running");
    case ProjectionStatus::Stopped:
        return tr("stopped");
    case ProjectionStatus::Faulted:
        return tr("faulted");
    }
    return {};
}

void ProjectionStatusDelegate::paint(
    QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // background and selection

    const auto status = ProjectionStatus(index.data(ProjectionListModel::StatusRole).toInt());
    const QRect r = option.rect.adjusted(6, 0, -4, 0);
    const int dot = std::min(10, r.height() - 6);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(statusColour(status));
    painter->drawEllipse(QRect(r.left(), r.center().y() - dot / 2, dot, dot));
    const QRect textRect = r.adjusted(dot + 6, 0, 0, 0);
    const bool selected = option.state & QStyle::State_Selected;
    painter->setPen(option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
        option.fontMetrics.elidedText(statusText(index), Qt::ElideRight, textRect.width()));
    const double progress = index.data(ProjectionListModel::ProgressRole).toDouble();
    if (progress >= 0) {
        painter->setBrush(statusColour(ProjectionStatus::Running));
        painter->drawRect(QRect(textRect.left(), r.bottom() - 2, int(textRect.width() * progress), 2));
    }
    painter->restore();
}

QSize ProjectionStatusDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(option.fontMetrics.horizontalAdvance(tr("rebuilding 100%")) + 30);
    return size;
}

} // namespace chronoscope
