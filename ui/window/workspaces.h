#pragma once

#include <QObject>
#include <QSize>
#include <QString>
#include <QStringList>

#include <vector>

class QAction;
class QActionGroup;
class QDockWidget;
class QMainWindow;
class QMenu;
class QToolBar;

namespace chronoscope {

/// A named arrangement of the window's docks for one job: exploring streams, time travel,
/// projections and charts, the bus, schemas. Each workspace remembers how the person left it
/// (QMainWindow::saveState per workspace, in QSettings) and can be put back to its default.
struct Workspace {
    QString id;    ///< "explore", "timetravel", ...: the settings key
    QString title; ///< "Explore", shown on the mode bar
    QString toolTip;
    QStringList docks; ///< object names of the docks it shows by default, the first raised
};

/// The window's workspaces: a mode bar (one checkable button each, Ctrl+1 to Ctrl+6), a
/// View ▸ Workspace menu with Reset Workspace and Reset Layout, and the default arrangements.
/// The docks stay the features' own; this only places, shows and hides them.
class Workspaces : public QObject {
    Q_OBJECT
public:
    explicit Workspaces(QMainWindow* window);

    /// The six workspaces, in the order of the mode bar.
    static const std::vector<Workspace>& all();
    /// The workspace with that id, or nullptr.
    static const Workspace* find(const QString& id);

    /// The mode bar, added to the window's top tool bar area by the constructor.
    QToolBar* modeBar() const { return m_bar; }
    /// Adds the Workspace submenu (switch, Reset Workspace) and Reset Layout to `view`.
    void addMenuEntries(QMenu* view);
    QAction* actionFor(const QString& id) const;
    QAction* resetWorkspaceAction() const { return m_resetWorkspace; }
    QAction* resetLayoutAction() const { return m_resetLayout; }

    QString current() const { return m_current; }
    /// Remembers the current workspace's arrangement, then shows `id` as it was left (or its
    /// default the first time). False for an unknown id.
    bool activate(const QString& id);
    /// Puts the current workspace back to its default arrangement and forgets the remembered one.
    void resetCurrent();
    /// Forgets every workspace's arrangement and puts the current one back to its default.
    void resetAll();
    /// Shows and raises the dock named `dockName`; when the current workspace does not hold it
    /// by default, switches first to the workspace that does (a publish shows the Bus workspace).
    void reveal(const QString& dockName);

    /// Saves the current workspace's id and arrangement (the window's closing and saveLayout()).
    void save() const;
    /// Shows the workspace saved last (Explore the first time), as it was left.
    void restore();

Q_SIGNALS:
    void activated(const QString& id);

private:
    void applyDefault(const Workspace& workspace);
    void remember() const;
    bool restoreRemembered(const QString& id);
    void clearDocks();
    void keepSize(QSize size);
    QDockWidget* dock(const QString& name) const;
    void check(const QString& id);

    QMainWindow* m_window;
    QToolBar* m_bar;
    QActionGroup* m_group;
    QAction* m_resetWorkspace;
    QAction* m_resetLayout;
    QString m_current;
};

} // namespace chronoscope
