#include "window/windowfeature.h"

#include "window/workspaces.h"

#include <QDockWidget>
#include <QMainWindow>

namespace chronoscope {

QDockWidget* makeDock(const QString& title, const QString& name, QWidget* content, QMainWindow* window)
{
    auto* dock = new QDockWidget(title, window);
    dock->setObjectName(name); // saveState() needs it
    // Its size from below is this, whatever the contents ask for: a long stream id in a label
    // or a row of buttons must not widen the dock (and the window past the screen). Contents
    // shrink (labels elide, tables scroll) rather than push.
    content->setMinimumSize(MinimumDockSize);
    dock->setWidget(content);
    dock->setFeatures(
        QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    return dock;
}

void raiseDock(QMainWindow* window, const QString& name)
{
    if (!window)
        return;
    if (auto* workspaces = window->findChild<Workspaces*>(QString(), Qt::FindDirectChildrenOnly)) {
        workspaces->reveal(name); // switches to the workspace that holds the dock when needed
        return;
    }
    if (auto* dock = window->findChild<QDockWidget*>(name)) {
        dock->show();
        dock->raise();
    }
}

} // namespace chronoscope
