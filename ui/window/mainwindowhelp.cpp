// MainWindow's Help menu: the manual, the keyboard shortcuts, the welcome page and its links.
#include "bus/buscontroller.h"
#include "help/glossary.h"
#include "help/manualwindow.h"
#include "help/shortcuts.h"
#include "help/welcomedialog.h"
#include "lessons/lessonsfeature.h"
#include "streams/eventtablemodel.h"
#include "timetravel/statepanel.h"
#include "timetravel/timebar.h"
#include "window/appinfo.h"
#include "window/mainwindow.h"
#include "window/workspaces.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTableView>

namespace chronoscope {

namespace {

// The manual's section for each dock.
QString dockTopic(const QString& dockName)
{
    static const QHash<QString, QString> topics {
        {QStringLiteral("streamsDock"), QStringLiteral("streams-panel")},
        {QStringLiteral("inspectorDock"), QStringLiteral("event-panel")},
        {QStringLiteral("stateDock"), QStringLiteral("state-at-version-panel")},
        {QStringLiteral("diffDock"), QStringLiteral("diff-panel")},
        {QStringLiteral("historyDock"), QStringLiteral("field-history-panel")},
        {QStringLiteral("reducerDock"), QStringLiteral("reducer-panel")},
        {QStringLiteral("branchDock"), QStringLiteral("branch-panel")},
        {QStringLiteral("projectionsDock"), QStringLiteral("projections-panel")},
        {QStringLiteral("chartsDock"), QStringLiteral("charts-panel")},
        {QStringLiteral("busMonitorDock"), QStringLiteral("bus-monitor-panel")},
        {QStringLiteral("consumersDock"), QStringLiteral("consumers-panel")},
        {QStringLiteral("deadLettersDock"), QStringLiteral("dead-letters-panel")},
        {QStringLiteral("schemaDock"), QStringLiteral("schemas-panel")},
        {QStringLiteral("storyDock"), QStringLiteral("story-panel")},
        {QStringLiteral("lessonsDock"), QStringLiteral("lessons-panel")},
        {QStringLiteral("raceDock"), QStringLiteral("race-panel")},
        {QStringLiteral("streamBatchDock"), QStringLiteral("stream-vs-batch-panel")},
        {QStringLiteral("topicsDock"), QStringLiteral("topics-panel")},
    };
    return topics.value(dockName);
}

// The concept each dock's title names, explained by a tooltip over the title bar.
QString dockTerm(const QString& dockName)
{
    static const QHash<QString, QString> terms {
        {QStringLiteral("streamsDock"), QStringLiteral("stream")},
        {QStringLiteral("inspectorDock"), QStringLiteral("event")},
        {QStringLiteral("stateDock"), QStringLiteral("aggregate")},
        {QStringLiteral("diffDock"), QStringLiteral("json-patch")},
        {QStringLiteral("historyDock"), QStringLiteral("json-pointer")},
        {QStringLiteral("reducerDock"), QStringLiteral("reducer")},
        {QStringLiteral("branchDock"), QStringLiteral("branch")},
        {QStringLiteral("projectionsDock"), QStringLiteral("projection")},
        {QStringLiteral("chartsDock"), QStringLiteral("read-model")},
        {QStringLiteral("busMonitorDock"), QStringLiteral("event-bus")},
        {QStringLiteral("consumersDock"), QStringLiteral("consumer")},
        {QStringLiteral("deadLettersDock"), QStringLiteral("dead-letter")},
        {QStringLiteral("schemaDock"), QStringLiteral("json-schema")},
        {QStringLiteral("storyDock"), QStringLiteral("correlation-id")},
        {QStringLiteral("raceDock"), QStringLiteral("optimistic-concurrency")},
        {QStringLiteral("streamBatchDock"), QStringLiteral("batch-processing")},
        {QStringLiteral("topicsDock"), QStringLiteral("partition")},
    };
    return terms.value(dockName);
}

} // namespace

void MainWindow::createHelpMenu()
{
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        const QString term = dockTerm(dock->objectName());
        if (!term.isEmpty())
            help::setTitleGlossaryTip(dock, term);
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    QAction* welcome = help->addAction(tr("&Welcome"), this, [this] { showWelcome(); });
    welcome->setObjectName(QStringLiteral("welcomeAction"));
    QAction* manual = help->addAction(tr("User &Manual"), this, [this] { showManual(); });
    manual->setObjectName(QStringLiteral("manualAction"));
    manual->setShortcut(QKeySequence::HelpContents);
    manual->setToolTip(tr("The manual, at the section about the panel you are in"));
    QAction* glossary
        = help->addAction(tr("&Glossary"), this, [this] { showManual(QStringLiteral("glossary")); });
    glossary->setObjectName(QStringLiteral("glossaryAction"));
    QAction* keys = help->addAction(tr("&Keyboard Shortcuts"), this, [this] { showShortcuts(); });
    keys->setObjectName(QStringLiteral("shortcutsAction"));
    keys->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    help->addSeparator();
    help->addAction(tr("&About Chronoscope"), this, [this] {
        QMessageBox::about(this, tr("About Chronoscope"),
            tr("<h3>Chronoscope %1</h3><p>An explorer for event-sourced systems: streams, "
               "events, and the state of any aggregate at any version.</p>")
                .arg(applicationVersion()));
    });
}

QString MainWindow::helpTopicFor(const QWidget* widget) const
{
    for (const QWidget* w = widget; w && w != this; w = w->parentWidget()) {
        if (auto* dock = qobject_cast<const QDockWidget*>(w))
            return dockTopic(dock->objectName());
        if (w == centralWidget())
            return QStringLiteral("events-table");
    }
    return {};
}

help::ManualWindow* MainWindow::showManual(const QString& topic)
{
    QString shown = topic;
    if (shown.isEmpty()) {
        QWidget* focus = QApplication::focusWidget();
        if (focus && focus->window() == this)
            shown = helpTopicFor(focus);
    }
    if (!m_manual)
        m_manual = new help::ManualWindow(this);
    m_manual->showTopic(shown);
    return m_manual;
}

help::ShortcutsDialog* MainWindow::showShortcuts()
{
    if (!m_shortcuts)
        m_shortcuts = new help::ShortcutsDialog(this);
    m_shortcuts->refresh();
    m_shortcuts->show();
    m_shortcuts->raise();
    m_shortcuts->activateWindow();
    return m_shortcuts;
}

help::WelcomeDialog* MainWindow::showWelcome()
{
    if (!m_welcome) {
        m_welcome = new help::WelcomeDialog(this);
        connect(m_welcome, &help::WelcomeDialog::linkActivated, this, &MainWindow::runWelcomeLink);
    }
    m_welcome->show();
    m_welcome->raise();
    m_welcome->activateWindow();
    return m_welcome;
}

bool MainWindow::showWelcomeAtStart()
{
    if (!help::WelcomeDialog::showAtStart())
        return false;
    showWelcome();
    return true;
}

bool MainWindow::runWelcomeLink(const QString& what)
{
    if (what == QLatin1String("manual")) {
        showManual(QStringLiteral("getting-started"));
        return true;
    }
    if (what == QLatin1String("glossary") || what.startsWith(QLatin1String("glossary:"))) {
        showManual(what);
        return true;
    }
    if (what == QLatin1String("shortcuts")) {
        showShortcuts();
        return true;
    }
    if (what == QLatin1String("lessons")) {
        m_lessons->showDock();
        return m_lessons->startLesson(std::max(0, m_lessons->currentLesson()));
    }
    const bool trying = what.startsWith(QLatin1String("try-"));
    if (trying && !store()) {
        statusBar()->showMessage(tr("Open a store first (File \u25b8 Open\u2026)."), 8000);
        return false;
    }
    bool done = false;
    if (what == QLatin1String("try-time-travel")) {
        // cart-102 of the sample, else the longest cart, else the longest stream.
        std::optional<StreamId> stream;
        if (store()->streamInfo(StreamId(QStringLiteral("cart-102"))))
            stream = StreamId(QStringLiteral("cart-102"));
        for (const bool carts : {true, false}) {
            if (stream)
                break;
            StreamQuery longest;
            longest.sort = StreamQuery::Sort::Events;
            longest.descending = true;
            if (carts)
                longest.category = QStringLiteral("cart");
            const auto page = store()->streamPage(longest, std::nullopt, 1);
            if (!page.empty())
                stream = page.front().stream;
        }
        if (!stream) {
            statusBar()->showMessage(tr("This store has no streams to travel through."), 8000);
            return false;
        }
        m_workspaces->activate(QStringLiteral("timetravel"));
        done = selectStream(*stream);
        if (done) {
            statePanel()->setVersion(Version(1));
            const int row = m_events->ensureVersionLoaded(Version(1));
            if (row >= 0)
                m_eventView->selectRow(row);
            statePanel()->timeBar()->setFocus(Qt::OtherFocusReason);
            statusBar()->showMessage(
                tr("%1 at version 1: press Right to replay its next event.").arg(stream->toString()), 10000);
        }
    } else if (what == QLatin1String("try-publish")) {
        m_workspaces->activate(QStringLiteral("bus"));
        done = m_bus->openPublishDialog();
    } else if (what == QLatin1String("try-charts")) {
        raiseDock(QStringLiteral("chartsDock"));
        done = true;
    } else {
        statusBar()->showMessage(
            tr("The welcome page asked for '%1', which this version does not know.").arg(what), 8000);
        return false;
    }
    if (done && m_welcome)
        m_welcome->hide(); // out of the way of what it opened (Help > Welcome shows it again)
    return done;
}

} // namespace chronoscope
