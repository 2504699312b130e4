#include "window/workspaces.h"

#include "window/screenfit.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QSettings>
#include <QToolBar>

#include <algorithm>

namespace chronoscope {

namespace {

const QString CurrentKey = QStringLiteral("workspaces/current");
QString stateKey(const QString& id)
{
    return QStringLiteral("workspaces/%1/state").arg(id);
}
// Bumped when a default arrangement changes shape: remembered states of another version are dropped.
constexpr int WorkspaceStateVersion = 5;

const QString Streams = QStringLiteral("streamsDock");
const QString Inspector = QStringLiteral("inspectorDock");

/// Where a dock goes when it is shown outside its workspaces.
Qt::DockWidgetArea homeArea(const QString& dock)
{
    if (dock == Streams)
        return Qt::LeftDockWidgetArea;
    for (const char* right :
        {"inspectorDock", "stateDock", "diffDock", "historyDock", "reducerDock", "branchDock"})
        if (dock == QLatin1String(right))
            return Qt::RightDockWidgetArea;
    return Qt::BottomDockWidgetArea;
}

int share(int total, double fraction, int least)
{
    return std::max(least, int(total * fraction));
}

} // namespace

const std::vector<Workspace>& Workspaces::all()
{
    static const std::vector<Workspace> workspaces = {
        {QStringLiteral("explore"), tr("Explore"),
            tr("Streams, their events, the event inspector and the story of an event (Ctrl+1)"),
            {Streams, Inspector, QStringLiteral("storyDock")}},
        {QStringLiteral("timetravel"), tr("Time Travel"),
            tr("An aggregate's state at any version: diff, field history, reducer and branches (Ctrl+2)"),
            {Streams, QStringLiteral("stateDock"), QStringLiteral("diffDock"), QStringLiteral("historyDock"),
                QStringLiteral("reducerDock"), QStringLiteral("branchDock"), Inspector}},
        {QStringLiteral("projections"), tr("Projections"),
            tr("Read models as of any position, as tables and charts (Ctrl+3)"),
            {Streams, QStringLiteral("projectionsDock"), QStringLiteral("chartsDock")}},
        {QStringLiteral("bus"), tr("Bus"),
            tr("Publish commands and events, watch the consumers react, retry dead letters (Ctrl+4)"),
            {Streams, QStringLiteral("busMonitorDock"), QStringLiteral("consumersDock"),
                QStringLiteral("deadLettersDock"), QStringLiteral("storyDock")}},
        {QStringLiteral("schema"), tr("Schema"), tr("Event schemas, validation and upcasters (Ctrl+5)"),
            {Streams, QStringLiteral("schemaDock"), Inspector}},
        {QStringLiteral("teach"), tr("Teach"),
            tr("Stage the classic moments: two writers racing, stream vs batch, partitions and consumer "
               "groups (Ctrl+6)"),
            {Streams, QStringLiteral("raceDock"), QStringLiteral("streamBatchDock"),
                QStringLiteral("topicsDock")}},
    };
    return workspaces;
}

const Workspace* Workspaces::find(const QString& id)
{
    const auto& list = all();
    const auto it = std::find_if(list.begin(), list.end(), [&](const Workspace& w) { return w.id == id; });
    return it == list.end() ? nullptr : &*it;
}

Workspaces::Workspaces(QMainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_bar(new QToolBar(tr("Workspaces"), window))
    , m_group(new QActionGroup(this))
{
    m_bar->setObjectName(QStringLiteral("workspaceBar"));
    m_bar->setMovable(false);
    m_bar->setFloatable(false);
    m_bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_bar->toggleViewAction()->setVisible(false);
    m_group->setExclusive(true);
    int key = Qt::Key_1;
    for (const Workspace& workspace : all()) {
        QAction* action = m_bar->addAction(workspace.title);
        action->setObjectName(QStringLiteral("workspace-%1").arg(workspace.id));
        action->setCheckable(true);
        action->setToolTip(workspace.toolTip);
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(key++)));
        action->setData(workspace.id);
        m_group->addAction(action);
        connect(action, &QAction::triggered, this, [this, id = workspace.id] { activate(id); });
    }
    m_bar->addSeparator();
    m_resetWorkspace = m_bar->addAction(tr("Reset"));
    m_resetWorkspace->setObjectName(QStringLiteral("resetWorkspaceAction"));
    m_resetWorkspace->setToolTip(tr("Put this workspace's panels back where they start"));
    connect(m_resetWorkspace, &QAction::triggered, this, &Workspaces::resetCurrent);
    m_resetLayout = new QAction(tr("Reset &Layout"), this);
    m_resetLayout->setObjectName(QStringLiteral("resetLayoutAction"));
    m_resetLayout->setToolTip(tr("Forget how every workspace was arranged and start from the defaults"));
    connect(m_resetLayout, &QAction::triggered, this, &Workspaces::resetAll);
    window->addToolBar(Qt::TopToolBarArea, m_bar);
    // The streams list runs the window's full height; the bottom docks sit beside it.
    window->setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    window->setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);
    // The inspector and the time-travel tools keep the full height on the right.
    window->setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
}

void Workspaces::addMenuEntries(QMenu* view)
{
    QMenu* menu = view->addMenu(tr("&Workspace"));
    menu->setObjectName(QStringLiteral("workspaceMenu"));
    for (QAction* action : m_group->actions())
        menu->addAction(action);
    menu->addSeparator();
    QAction* reset = menu->addAction(tr("&Reset Workspace"));
    reset->setObjectName(QStringLiteral("resetWorkspaceMenuAction"));
    connect(reset, &QAction::triggered, this, &Workspaces::resetCurrent);
    view->addAction(m_resetLayout);
}

QAction* Workspaces::actionFor(const QString& id) const
{
    for (QAction* action : m_group->actions())
        if (action->data().toString() == id)
            return action;
    return nullptr;
}

QDockWidget* Workspaces::dock(const QString& name) const
{
    return m_window->findChild<QDockWidget*>(name, Qt::FindDirectChildrenOnly);
}

void Workspaces::check(const QString& id)
{
    if (QAction* action = actionFor(id))
        action->setChecked(true);
}

bool Workspaces::activate(const QString& id)
{
    const Workspace* workspace = find(id);
    if (!workspace)
        return false;
    if (id == m_current) {
        check(id);
        return true;
    }
    if (!m_current.isEmpty())
        remember();
    m_current = id;
    const QSize before = m_window->size();
    m_window->setUpdatesEnabled(false);
    if (!restoreRemembered(id))
        applyDefault(*workspace);
    keepSize(before);
    m_window->setUpdatesEnabled(true);
    check(id);
    Q_EMIT activated(id);
    return true;
}

void Workspaces::resetCurrent()
{
    if (m_current.isEmpty())
        m_current = all().front().id;
    QSettings().remove(stateKey(m_current));
    const QSize before = m_window->size();
    applyDefault(*find(m_current));
    keepSize(before);
    check(m_current);
}

void Workspaces::resetAll()
{
    QSettings settings;
    for (const Workspace& workspace : all())
        settings.remove(stateKey(workspace.id));
    resetCurrent();
}

void Workspaces::reveal(const QString& dockName)
{
    QDockWidget* target = dock(dockName);
    if (!target)
        return;
    const Workspace* current = find(m_current);
    if (!current || !current->docks.contains(dockName)) {
        for (const Workspace& workspace : all()) {
            if (workspace.docks.contains(dockName)) {
                activate(workspace.id);
                break;
            }
        }
    }
    target->show();
    target->raise();
}

void Workspaces::remember() const
{
    QSettings().setValue(stateKey(m_current), m_window->saveState(WorkspaceStateVersion));
}

bool Workspaces::restoreRemembered(const QString& id)
{
    const QByteArray state = QSettings().value(stateKey(id)).toByteArray();
    if (state.isEmpty())
        return false;
    // From an empty layout: restoring over another workspace's docks lined them up side by side
    // for a moment, and the window grew to hold them all.
    clearDocks();
    return m_window->restoreState(state, WorkspaceStateVersion);
}

void Workspaces::clearDocks()
{
    for (QDockWidget* d : m_window->findChildren<QDockWidget*>(QString(), Qt::FindDirectChildrenOnly)) {
        d->setFloating(false);
        m_window->removeDockWidget(d);
    }
}

void Workspaces::keepSize(QSize size)
{
    // A workspace never resizes the window (nor takes it past its screen).
    if (m_window->size() != size && m_window->isVisible())
        m_window->resize(size.boundedTo(m_window->maximumSize()));
    fitToScreen(m_window);
}

void Workspaces::save() const
{
    if (m_current.isEmpty())
        return;
    QSettings().setValue(CurrentKey, m_current);
    remember();
}

void Workspaces::restore()
{
    QString id = QSettings().value(CurrentKey).toString();
    if (!find(id))
        id = all().front().id;
    m_current.clear();
    activate(id);
}

void Workspaces::applyDefault(const Workspace& workspace)
{
    // Every dock out of the layout first (a dock tabbed elsewhere leaves its tab group), then the
    // workspace's docks put back in place, shown, and given sizes in proportion to the window.
    clearDocks();
    const auto place = [this](const QString& name, Qt::DockWidgetArea area) {
        QDockWidget* d = dock(name);
        if (d) {
            m_window->addDockWidget(area, d);
            d->show();
        }
        return d;
    };
    const auto split = [this](QDockWidget* first, const QString& name, Qt::Orientation orientation) {
        QDockWidget* d = dock(name);
        if (d && first) {
            m_window->splitDockWidget(first, d, orientation);
            d->show();
        }
        return d;
    };
    const auto tab = [this](QDockWidget* first, const QString& name) {
        QDockWidget* d = dock(name);
        if (d && first) {
            m_window->tabifyDockWidget(first, d);
            d->show();
        }
        return d;
    };
    // The docks this workspace does not show go back in the layout too, hidden, at their home
    // (View > Panels shows one there; a dock out of the layout would be drawn over the others).
    const auto keepHidden = [this, &workspace] {
        for (QDockWidget* d : m_window->findChildren<QDockWidget*>(QString(), Qt::FindDirectChildrenOnly)) {
            if (workspace.docks.contains(d->objectName()))
                continue;
            m_window->addDockWidget(homeArea(d->objectName()), d);
            d->hide();
        }
    };
    const int width = m_window->width();
    const int height = m_window->height();
    QDockWidget* streams = place(Streams, Qt::LeftDockWidgetArea);
    if (streams)
        m_window->resizeDocks({streams}, {share(width, 0.22, 250)}, Qt::Horizontal);
    const QString& id = workspace.id;
    if (id == QStringLiteral("explore")) {
        if (QDockWidget* inspector = place(Inspector, Qt::RightDockWidgetArea))
            m_window->resizeDocks({inspector}, {share(width, 0.30, 300)}, Qt::Horizontal);
        // The story under the events (between the streams and the inspector).
        if (QDockWidget* story = place(QStringLiteral("storyDock"), Qt::BottomDockWidgetArea))
            m_window->resizeDocks({story}, {share(height, 0.34, 200)}, Qt::Vertical);
    } else if (id == QStringLiteral("timetravel")) {
        QDockWidget* state = place(QStringLiteral("stateDock"), Qt::RightDockWidgetArea);
        QDockWidget* diff = split(state, QStringLiteral("diffDock"), Qt::Vertical);
        QDockWidget* previous = diff;
        for (const QString& name : {QStringLiteral("historyDock"), QStringLiteral("reducerDock"),
                 QStringLiteral("branchDock"), Inspector})
            previous = tab(previous, name);
        if (diff)
            diff->raise();
        if (state && diff) {
            m_window->resizeDocks({state}, {share(width, 0.42, 380)}, Qt::Horizontal);
            m_window->resizeDocks({state, diff}, {62, 38}, Qt::Vertical);
        }
    } else if (id == QStringLiteral("projections")) {
        QDockWidget* projections = place(QStringLiteral("projectionsDock"), Qt::BottomDockWidgetArea);
        QDockWidget* charts = split(projections, QStringLiteral("chartsDock"), Qt::Horizontal);
        if (projections && charts) {
            m_window->resizeDocks({projections}, {share(height, 0.55, 260)}, Qt::Vertical);
            m_window->resizeDocks({projections, charts}, {50, 50}, Qt::Horizontal);
        }
    } else if (id == QStringLiteral("bus")) {
        // No inspector: the monitor and the consumers need the width (the monitor shows each event).
        QDockWidget* monitor = place(QStringLiteral("busMonitorDock"), Qt::BottomDockWidgetArea);
        QDockWidget* consumers = split(monitor, QStringLiteral("consumersDock"), Qt::Horizontal);
        QDockWidget* letters = tab(consumers, QStringLiteral("deadLettersDock"));
        tab(letters, QStringLiteral("storyDock"));
        if (consumers)
            consumers->raise();
        if (monitor && consumers && letters) {
            m_window->resizeDocks({monitor}, {share(height, 0.5, 240)}, Qt::Vertical);
            m_window->resizeDocks({monitor, consumers}, {55, 45}, Qt::Horizontal);
        }
    } else if (id == QStringLiteral("teach")) {
        // The teaching panels under the events, tabbed: each needs the width, the events show the result.
        QDockWidget* race = place(QStringLiteral("raceDock"), Qt::BottomDockWidgetArea);
        QDockWidget* batch = tab(race, QStringLiteral("streamBatchDock"));
        tab(batch, QStringLiteral("topicsDock"));
        if (race) {
            race->raise();
            m_window->resizeDocks({race}, {share(height, 0.52, 300)}, Qt::Vertical);
        }
    } else if (id == QStringLiteral("schema")) {
        QDockWidget* inspector = place(Inspector, Qt::RightDockWidgetArea);
        QDockWidget* schema = place(QStringLiteral("schemaDock"), Qt::BottomDockWidgetArea);
        if (inspector)
            m_window->resizeDocks({inspector}, {share(width, 0.28, 280)}, Qt::Horizontal);
        if (schema)
            m_window->resizeDocks({schema}, {share(height, 0.45, 240)}, Qt::Vertical);
    }
    keepHidden();
}

} // namespace chronoscope
