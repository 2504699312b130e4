#pragma once

// ui/projections: read models in the window: the projection list, the JavaScript projection
// editor, the stepper, the global "as of position" slider, read-model tables and Qt Charts,
// all fed by one ProjectionSet over the open store.

#include "window/windowfeature.h"

#include <QObject>

namespace chronoscope {

class CatchUpIndicator;
class ChartsPanel;
class ProjectionSet;
class ProjectionsPanel;

/// The Projections and Charts docks (bottom, tabified) over one ProjectionSet of the open store.
class ProjectionsFeature : public QObject, public WindowFeature {
    Q_OBJECT
public:
    explicit ProjectionsFeature(QObject* parent = nullptr);

    void addDocks(QMainWindow& window) override;
    void addMenus(QMenuBar&) override { }
    void addStatusWidgets(QStatusBar& bar) override;
    void showStore(const StoreSession& session, bool sameStore) override;

    ProjectionSet* set() const { return m_set; }
    ProjectionsPanel* panel() const { return m_panel; }
    ChartsPanel* charts() const { return m_charts; }
    CatchUpIndicator* catchUp() const { return m_catchUp; }

private:
    ProjectionSet* m_set;
    ProjectionsPanel* m_panel;
    ChartsPanel* m_charts;
    CatchUpIndicator* m_catchUp = nullptr;
};

} // namespace chronoscope
