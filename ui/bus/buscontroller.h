#pragma once

// ui/bus: the bus in the window: BusController (menu, docks, runtime), the publish dialog, the bus
// monitor, the consumers' failure switches and the dead-letter queue.

#include "bus/publisher.h"
#include "store/eventstore.h"
#include "window/windowfeature.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QAction;
class QDockWidget;
class QMenu;
class QMenuBar;

namespace chronoscope {

class BusMonitor;
class BusRuntime;
class ConsumersPanel;
class DeadLetterPanel;
class MainWindow;
class PublishDialog;
class SchemaRegistry;

/// The window's bus part: the Bus menu (Publish…, failure switches, the bus docks), the
/// docks busMonitorDock, deadLettersDock and consumersDock, and the BusRuntime of the open
/// store (made when a writable store opens; none for a read-only one, whose Publish action is
/// disabled with a tooltip saying why).
class BusController : public QObject, public WindowFeature {
    Q_OBJECT
public:
    explicit BusController(MainWindow* window);
    ~BusController() override;

    /// Adds the docks to the window, at the bottom, tabified, hidden until asked for.
    void addDocks();
    /// Adds the Bus menu before `before` (nullptr: at the end).
    QMenu* addMenu(QMenuBar* bar, QAction* before = nullptr);
    // WindowFeature: the docks, the Bus menu, and a new runtime for each new store (the same
    // store read with other upcasters keeps its runtime: the bus writes the store as opened).
    void addDocks(QMainWindow&) override { addDocks(); }
    void addMenus(QMenuBar& menus) override { addMenu(&menus); }
    void showStore(const StoreSession& session, bool sameStore) override;

    /// Replaces the runtime for the window's new store (nullptr: none).
    void setStore(const std::shared_ptr<EventStore>& store, const QString& path);

    BusRuntime* runtime() const { return m_runtime.get(); }
    BusMonitor* monitor() const { return m_monitor; }
    DeadLetterPanel* deadLetters() const { return m_deadLetters; }
    ConsumersPanel* consumers() const { return m_consumers; }
    QAction* publishAction() const { return m_publish; }
    /// The publish dialog, made on first use (nullptr while nothing can be published).
    PublishDialog* publishDialog();
    /// Opens the publish dialog on the selected stream; false when publishing is not possible.
    /// On a read-only store of ours (the bundled sample) it first offers to save a writable copy
    /// (File ▸ Save a Copy) and publishes there.
    bool openPublishDialog();
    /// Schemas the publish dialog checks raw events against (null: none).
    void setSchemas(std::shared_ptr<const SchemaRegistry> schemas);
    /// Whether the publish dialog is on screen.
    bool hasVisiblePublishDialog() const;

Q_SIGNALS:
    /// After every Publish of the dialog: its outcome and what was published (the command type,
    /// or for a raw event its type).
    void published(const chronoscope::PublishOutcome& outcome, const QString& what);

private:
    void showDock(QDockWidget* dock);
    bool offerWritableCopy();

    MainWindow* m_window;
    std::unique_ptr<BusRuntime> m_runtime;
    BusMonitor* m_monitor;
    DeadLetterPanel* m_deadLetters;
    ConsumersPanel* m_consumers;
    QDockWidget* m_monitorDock = nullptr;
    QDockWidget* m_deadLettersDock = nullptr;
    QDockWidget* m_consumersDock = nullptr;
    QAction* m_publish;
    bool m_offerCopy = false; // read-only store of ours: Publish offers a writable copy
    QPointer<PublishDialog> m_dialog;
    std::shared_ptr<const SchemaRegistry> m_schemas;
};

} // namespace chronoscope
