#include "window/windowfeature.h"

#include <QDockWidget>
#include <QMainWindow>

namespace chronoscope {

QDockWidget* makeDock(const QString& title, const QString& name, QWidget* content, QMainWindow* window)
{
    auto* dock = new QDockWidget(title, window);
    dock->setObjectName(name); // saveState() needs it
    dock->setWidget(content);
    dock->setFeatures(
        QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    return dock;
}

void raiseDock(QMainWindow* window, const QString& name)
{
    if (!window)
        return;
    if (auto* dock = window->findChild<QDockWidget*>(name)) {
        dock->show();
        dock->raise();
    }
}

} // namespace chronoscope
