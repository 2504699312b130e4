#pragma once

#include <QSize>
#include <QString>

class QDockWidget;
class QMainWindow;
class QMenuBar;
class QStatusBar;
class QWidget;

namespace chronoscope {

class StoreSession;

/// One feature of the window (the bus, projections and charts, ...): it makes its own docks and
/// menus and follows the store the window shows. MainWindow only assembles features: it calls
/// addDocks() and addMenus() once, in order, then showStore() on every change of the view.
class WindowFeature {
public:
    virtual ~WindowFeature() = default;
    /// Adds the feature's docks to the window (each with an object name: saveState needs it).
    virtual void addDocks(QMainWindow& window) = 0;
    /// Adds the feature's menus, or entries of menus already there, to the menu bar.
    virtual void addMenus(QMenuBar& menus) = 0;
    /// Adds the feature's widgets to the status bar (progress of background work); none by default.
    virtual void addStatusWidgets(QStatusBar&) { }
    /// The session's view changed: a new store (sameStore false) or the same store read with
    /// other upcasters (sameStore true).
    virtual void showStore(const StoreSession& session, bool sameStore) = 0;
};

/// The least a dock's contents get, whatever they ask for (see makeDock()).
inline constexpr QSize MinimumDockSize {200, 120};

/// A dock as every feature makes it: movable, floatable and closable, named `name` for saveState(),
/// its contents' minimum size MinimumDockSize (the streams dock asks for more itself).
QDockWidget* makeDock(const QString& title, const QString& name, QWidget* content, QMainWindow* window);
/// Shows the window's dock named `name` and brings it to the front (nothing when there is none).
void raiseDock(QMainWindow* window, const QString& name);

} // namespace chronoscope
