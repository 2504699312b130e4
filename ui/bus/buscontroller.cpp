#include "bus/buscontroller.h"

#include "bus/busmonitor.h"
#include "bus/busruntime.h"
#include "bus/consumerspanel.h"
#include "bus/deadletterpanel.h"
#include "bus/publishdialog.h"
#include "timetravel/statepanel.h"
#include "window/mainwindow.h"
#include "window/storesession.h"

#include <QAction>
#include <QDockWidget>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>

namespace chronoscope {

BusController::BusController(MainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_monitor(new BusMonitor(window))
    , m_deadLetters(new DeadLetterPanel(window))
    , m_consumers(new ConsumersPanel(window))
    , m_publish(new QAction(tr("&Publish\u2026"), this))
{
    m_publish->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_publish->setObjectName(QStringLiteral("publishAction"));
    connect(m_publish, &QAction::triggered, this, &BusController::openPublishDialog);
    setStore(nullptr, {});
}

BusController::~BusController()
{
    // The panels belong to the window (through their docks) and hold guarded pointers to the
    // runtime's parts; the dialog refers to its publisher, so it goes first.
    delete m_dialog;
}

void BusController::addDocks()
{
    const auto make = [this](const QString& title, const QString& name, QWidget* content) {
        auto* dock = makeDock(title, name, content, m_window);
        m_window->addDockWidget(Qt::BottomDockWidgetArea, dock);
        return dock;
    };
    m_monitorDock = make(tr("Bus Monitor"), QStringLiteral("busMonitorDock"), m_monitor);
    m_deadLettersDock = make(tr("Dead Letters"), QStringLiteral("deadLettersDock"), m_deadLetters);
    m_consumersDock = make(tr("Consumers"), QStringLiteral("consumersDock"), m_consumers);
    // Shown and placed by the Bus workspace (the Bus menu and a publish switch to it).
    connect(m_deadLetters, &DeadLetterPanel::changed, this, [this](int count) {
        m_deadLettersDock->setWindowTitle(
            count > 0 ? tr("Dead Letters (%1)").arg(count) : tr("Dead Letters"));
    });
}

QMenu* BusController::addMenu(QMenuBar* bar, QAction* before)
{
    auto* menu = new QMenu(tr("&Bus"), bar);
    menu->setToolTipsVisible(true);
    menu->addAction(m_publish);
    menu->addSeparator();
    QMenu* switches = menu->addMenu(tr("&Failure Switches"));
    switches->setToolTipsVisible(true);
    switches->addActions(m_consumers->switchActions());
    menu->addSeparator();
    for (QDockWidget* dock : {m_monitorDock, m_deadLettersDock, m_consumersDock}) {
        if (!dock)
            continue;
        QAction* show = menu->addAction(dock->windowTitle());
        connect(show, &QAction::triggered, this, [this, dock] { showDock(dock); });
    }
    if (before)
        bar->insertMenu(before, menu);
    else
        bar->addMenu(menu);
    return menu;
}

void BusController::showDock(QDockWidget* dock)
{
    raiseDock(m_window, dock->objectName()); // in the Bus workspace
}

void BusController::showStore(const StoreSession& session, bool sameStore)
{
    if (!sameStore)
        setStore(session.raw(), session.path());
}

void BusController::setStore(const std::shared_ptr<EventStore>& store, const QString& path)
{
    delete m_dialog;
    m_monitor->setRecorder(nullptr);
    m_deadLetters->setBus(nullptr, nullptr);
    m_consumers->setRuntime(nullptr, nullptr);
    m_runtime.reset();

    QString why;
    if (store && BusRuntime::canPublish(store.get(), &why)) {
        try {
            m_runtime = std::make_unique<BusRuntime>(store, path);
        } catch (const StoreError& e) {
            why = tr("The bus could not be started: %1").arg(e.message());
        }
    }
    // A read-only store of ours (the bundled sample): Publish offers to save a writable copy.
    m_offerCopy = !m_runtime && store && store->isReadOnly()
        && store->summary().format == QLatin1String("chronoscope-sqlite")
        && !path.startsWith(QLatin1String("postgres"));
    m_publish->setEnabled(m_runtime || m_offerCopy);
    if (m_offerCopy)
        why = tr("This store is open read-only: Publish offers to save a writable copy to publish to");
    m_publish->setToolTip(m_runtime ? tr("Send a command or an event through the bus (Ctrl+P)") : why);
    m_publish->setStatusTip(m_runtime ? QString() : why);
    if (!m_runtime)
        return;
    m_monitor->setRecorder(&m_runtime->recorder());
    m_deadLetters->setBus(&m_runtime->bus(), &m_runtime->recorder());
    m_consumers->setRuntime(&m_runtime->bus(), m_runtime->switches());
    m_deadLetters->setToolTip(tr("Dead letters are kept %1.").arg(m_runtime->deadLetterLocation()));
}

PublishDialog* BusController::publishDialog()
{
    if (!m_runtime)
        return nullptr;
    if (!m_dialog) {
        m_dialog = new PublishDialog(m_runtime->publisher(), m_window);
        m_dialog->setSchemas(m_schemas);
        // The dialog adds what the consumers' reactions store to the command's outcome as it comes.
        connect(&m_runtime->recorder(), &BusTraceRecorder::entriesArrived, m_dialog,
            &PublishDialog::noteStoryEvents);
        connect(m_dialog, &PublishDialog::outcomeShown, this, [this](const PublishOutcome& outcome) {
            if (outcome.ok() && m_monitorDock && !m_monitorDock->isVisible())
                showDock(m_monitorDock);
            const bool command = m_dialog->mode() == PublishDialog::Mode::Command;
            Q_EMIT published(outcome, command ? m_dialog->commandType() : m_dialog->eventType()->text());
        });
    }
    return m_dialog;
}

bool BusController::hasVisiblePublishDialog() const
{
    return m_dialog && m_dialog->isVisible();
}

void BusController::setSchemas(std::shared_ptr<const SchemaRegistry> schemas)
{
    m_schemas = std::move(schemas);
    if (m_dialog)
        m_dialog->setSchemas(m_schemas);
}

bool BusController::offerWritableCopy()
{
    QMessageBox box(QMessageBox::Question, tr("Publish"),
        tr("This store is open read-only, so nothing can be published to it."), QMessageBox::NoButton,
        m_window);
    box.setObjectName(QStringLiteral("writableCopyQuestion"));
    box.setInformativeText(tr("Save a copy to publish to? The copy opens in this window, read-write; "
                              "the original stays as it is."));
    QPushButton* copy = box.addButton(tr("Save a Writable Copy\u2026"), QMessageBox::AcceptRole);
    copy->setObjectName(QStringLiteral("saveWritableCopy"));
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(copy);
    box.exec();
    if (box.clickedButton() != copy || !m_window->chooseCopy())
        return false;
    return m_runtime && openPublishDialog();
}

bool BusController::openPublishDialog()
{
    PublishDialog* dialog = publishDialog();
    if (!dialog && m_offerCopy)
        return offerWritableCopy();
    if (!dialog) {
        m_window->statusBar()->showMessage(m_publish->toolTip(), 8000);
        return false;
    }
    if (!dialog->isVisible()) {
        dialog->clearOutcome(); // the last session's result is not this one's
        if (const auto stream = m_window->statePanel()->stream())
            dialog->setStream(stream->toString());
    }
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return true;
}

} // namespace chronoscope
