// MainWindow: the Projections and Charts docks, fed by one ProjectionSet over the open store.
#include "window/mainwindow.h"

#include "projections/chartspanel.h"
#include "projections/projectionset.h"
#include "projections/projectionspanel.h"

#include <QDockWidget>

namespace chronoscope {

void MainWindow::createProjectionDocks()
{
    m_projectionSet = new ProjectionSet(this);
    m_projectionsPanel = new ProjectionsPanel(m_projectionSet);
    m_chartsPanel = new ChartsPanel(m_projectionSet);
    // The right-hand tools keep the full height; the bottom docks sit under the streams and events.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    QDockWidget* first = nullptr;
    for (const auto& [title, name, widget] :
         {std::tuple<QString, QString, QWidget*>{tr("Projections"), QStringLiteral("projectionsDock"), m_projectionsPanel},
          std::tuple<QString, QString, QWidget*>{tr("Charts"), QStringLiteral("chartsDock"), m_chartsPanel}}) {
        auto* dock = new QDockWidget(title, this);
        dock->setObjectName(name); // saveState() needs it
        dock->setWidget(widget);
        dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable
                          | QDockWidget::DockWidgetClosable);
        addDockWidget(Qt::BottomDockWidgetArea, dock);
        if (first)
            tabifyDockWidget(first, dock);
        else
            first = dock;
    }
    first->raise();
    resizeDocks({first}, {380}, Qt::Vertical);
}

} // namespace chronoscope
