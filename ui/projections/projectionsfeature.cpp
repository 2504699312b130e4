#include "projections/projectionsfeature.h"

#include "projections/catchupindicator.h"
#include "projections/chartspanel.h"
#include "projections/projectionset.h"
#include "projections/projectionspanel.h"
#include "window/storesession.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QStatusBar>

namespace chronoscope {

ProjectionsFeature::ProjectionsFeature(QObject* parent)
    : QObject(parent)
    , m_set(new ProjectionSet(this))
    , m_panel(new ProjectionsPanel(m_set))
    , m_charts(new ChartsPanel(m_set))
{
}

void ProjectionsFeature::addDocks(QMainWindow& window)
{
    // Where they sit, beside or tabbed, is the workspaces' (window/workspaces) to say.
    auto* projections = makeDock(tr("Projections"), QStringLiteral("projectionsDock"), m_panel, &window);
    auto* charts = makeDock(tr("Charts"), QStringLiteral("chartsDock"), m_charts, &window);
    window.addDockWidget(Qt::BottomDockWidgetArea, projections);
    window.addDockWidget(Qt::BottomDockWidgetArea, charts);
}

void ProjectionsFeature::addStatusWidgets(QStatusBar& bar)
{
    m_catchUp = new CatchUpIndicator(m_set);
    bar.addPermanentWidget(m_catchUp);
}

void ProjectionsFeature::showStore(const StoreSession& session, bool)
{
    m_set->setStore(session.view()); // projections over the old view stop before it goes
}

} // namespace chronoscope
