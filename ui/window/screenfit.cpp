#include "window/screenfit.h"

#include <QScreen>
#include <QWidget>

#include <algorithm>

namespace chronoscope {

void fitToScreen(QWidget* window)
{
    if (!window || !window->screen())
        return;
    const QRect available = window->screen()->availableGeometry();
    const QSize frame = window->frameGeometry().size() - window->geometry().size();
    const QSize most = (available.size() - frame).expandedTo(QSize(320, 240));
    window->setMaximumSize(most);
    if (window->width() > most.width() || window->height() > most.height())
        window->resize(window->size().boundedTo(most));
    const QRect outer = window->frameGeometry();
    const int x = std::clamp(
        outer.x(), available.left(), std::max(available.left(), available.right() + 1 - outer.width()));
    const int y = std::clamp(
        outer.y(), available.top(), std::max(available.top(), available.bottom() + 1 - outer.height()));
    if (x != outer.x() || y != outer.y())
        window->move(x, y);
}

} // namespace chronoscope
