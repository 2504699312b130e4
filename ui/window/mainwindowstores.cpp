// MainWindow: upcasters (the store read through an UpcastingEventStore), the Schemas dock, the
// title, the format / read-only badges, and refreshing after events are appended.
#include "base/style.h"
#include "bus/buscontroller.h"
#include "projections/chartspanel.h"
#include "projections/projectionset.h"
#include "schema/schemapanel.h"
#include "store/postgres/pglocation.h"
#include "store/storefactory.h"
#include "streams/eventinspector.h"
#include "streams/eventtablemodel.h"
#include "streams/streambrowser.h"
#include "timetravel/branchpanel.h"
#include "timetravel/reducereditor.h"
#include "timetravel/statepanel.h"
#include "upcast/upcastingeventstore.h"
#include "window/mainwindow.h"
#include "window/windowfeature.h"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>

namespace chronoscope {

void MainWindow::createStoreActions(QMenu* file, QMenu* schema)
{
    QAction* connectPg = new QAction(tr("Connect to &PostgreSQL\u2026"), this);
    connectPg->setObjectName(QStringLiteral("connectPostgresAction"));
    connectPg->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(connectPg, &QAction::triggered, this, [this] { showConnectDialog(); });
    file->insertAction(m_recentMenu->menuAction(), connectPg);

    schema->setToolTipsVisible(true);
    QAction* load = schema->addAction(tr("Load &Upcasters\u2026"), this, &MainWindow::chooseUpcasters);
    load->setObjectName(QStringLiteral("loadUpcastersAction"));
    load->setToolTip(tr("Read the store through upcasters: JSON rule files (.json) or JavaScript (.js)"));
    m_clearUpcasters = schema->addAction(tr("&Clear Upcasters"), this, &MainWindow::clearUpcasters);
    m_clearUpcasters->setObjectName(QStringLiteral("clearUpcastersAction"));
    m_clearUpcasters->setEnabled(false);
}

void MainWindow::connectFeatures()
{
    connect(schemaPanel(), &SchemaPanel::registryChanged, m_bus, &BusController::setSchemas);
    // Reads through upcasters keep the events an upcaster failed on as stored: say so.
    connect(m_events, &QAbstractItemModel::rowsInserted, this, [this] { reportUpcastErrors(); });
    connect(m_events, &EventTableModel::windowRead, this, [this] { reportUpcastErrors(); });
    // A store whose reads fail (its server went away, its file was removed) says so; the window stays.
    connect(m_events, &EventTableModel::readFailed, this,
        [this](const QString& message) { reportError(message, tr("Reading the store failed.")); });
    connect(
        schemaPanel(), &SchemaPanel::eventActivated, this, [this](const StreamId& stream, Version version) {
            if (!selectStream(stream))
                return;
            const int row = m_events->ensureVersionLoaded(version);
            if (row >= 0)
                m_eventView->selectRow(row);
        });
    connect(chartsPanel(), &ChartsPanel::streamLengthsPicked, this,
        [this](qint64 min, qint64 max) { m_browser->showStreamsWithEvents(min, max); });
}

const UpcastingEventStore* MainWindow::upcastingStore() const
{
    return m_session->upcasting();
}

void MainWindow::showStoreView(bool keepSelection)
{
    if (!keepSelection)
        m_refreshTimer->stop(); // a refresh of the previous store is not wanted any more
    std::optional<StreamId> keptStream = keepSelection ? statePanel()->stream() : std::nullopt;
    std::optional<Version> keptEvent;
    if (keepSelection && m_inspector->event() && keptStream && m_inspector->event()->stream == *keptStream)
        keptEvent = m_inspector->event()->version;

    const std::shared_ptr<EventStore>& view = m_session->view();
    if (m_saveCopyAction) // our SQLite files only: a snapshot by VACUUM INTO
        m_saveCopyAction->setEnabled(view && detectFormat(storePath()) == StoreFormat::ChronoscopeSqlite);
    // Every feature hears of the new view, even when one of them cannot read it (each must let go
    // of the old one before it is destroyed).
    for (WindowFeature* feature : m_features) {
        try {
            feature->showStore(*m_session, keepSelection);
        } catch (const StoreError& e) {
            reportError(e.message(), tr("A panel could not show the store."));
        }
    }
    m_inspector->setEvent(std::nullopt);
    m_inspector->setUpcasting(nullptr);
    m_events->setStore(view.get());
    m_inspector->setUpcasting(upcastingStore());
    m_browser->setStore(std::shared_ptr<const EventStore>(view));
    updateTitleAndStatus();

    if (keptStream && selectStream(*keptStream) && keptEvent) {
        const int row = m_events->ensureVersionLoaded(*keptEvent);
        if (row >= 0)
            m_eventView->selectRow(row);
    }
    reportUpcastErrors();
}

bool MainWindow::loadUpcasters(const QStringList& files)
{
    try {
        m_session->loadUpcasters(files); // showStoreView() follows
    } catch (const StoreError& error) {
        reportError(error.message(), tr("The upcasters could not be loaded."));
        return false;
    }
    m_clearUpcasters->setEnabled(true);
    statusBar()->showMessage(tr("Upcasters loaded: %1 step(s) from %2 file(s).")
                                 .arg(m_session->upcasters()->steps().size())
                                 .arg(m_session->upcasterFiles().size()),
        8000);
    if (m_inspector->event())
        m_inspector->tabs()->setCurrentIndex(EventInspector::UpcastTab);
    return true;
}

void MainWindow::clearUpcasters()
{
    if (!m_session->clearUpcasters()) // showStoreView() follows
        return;
    m_clearUpcasters->setEnabled(false);
    statusBar()->showMessage(tr("Upcasters cleared: events are shown as stored."), 5000);
}

void MainWindow::chooseUpcasters()
{
    const QString dir = m_session->upcasterFiles().isEmpty()
        ? QString()
        : QFileInfo(m_session->upcasterFiles().back()).absolutePath();
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Load Upcasters"), dir,
        tr("Upcasters (*.json *.js);;JSON rule files (*.json);;JavaScript (*.js)"));
    if (!files.isEmpty())
        loadUpcasters(files);
}

void MainWindow::reportUpcastErrors()
{
    const auto* upcasting = upcastingStore();
    if (!upcasting)
        return;
    const auto errors = upcasting->lastErrors();
    if (errors.empty()) {
        if (m_upcastLabel->text().contains(QStringLiteral("\u26a0")))
            updateBadges();
        return;
    }
    m_upcastLabel->setStyleSheet(style::badge(style::Colour::UpcastFailedBadge));
    m_upcastLabel->setText(tr("Upcast \u26a0"));
    m_upcastLabel->setToolTip(errors.front().message());
    statusBar()->showMessage(tr("An upcaster failed on %1 event(s), shown as stored: %2")
                                 .arg(errors.size())
                                 .arg(errors.front().message()),
        15000);
}

QString MainWindow::eventsTitle() const
{
    return m_eventsTitle->text();
}

void MainWindow::updateEventsTitle()
{
    switch (m_showing) {
    case Showing::Nothing:
        m_eventsTitle->setText(tr("No store open  \u00b7  File \u25b8 Open (Ctrl+O), File \u25b8 Connect to "
                                  "PostgreSQL, or drop a file here"));
        break;
    case Showing::All:
        m_eventsTitle->setText(tr("All streams  \u00b7  %1 events in global order")
                                   .arg(QLocale().toString(store() ? store()->summary().events : 0)));
        break;
    case Showing::Category:
        m_eventsTitle->setText(m_shownCategory.isEmpty()
                ? tr("All streams (no category selected)")
                : tr("Category %1  \u00b7  all its streams in global order").arg(m_shownCategory));
        break;
    case Showing::Picked:
        m_eventsTitle->setText(
            tr("%1  \u00b7  picked in the Charts  \u00b7  in global order (All streams shows every event)")
                .arg(m_shownPick));
        break;
    case Showing::Stream: {
        const auto stream = m_events->stream();
        const auto info = store() && stream ? store()->streamInfo(*stream) : std::nullopt;
        m_eventsTitle->setText(
            tr("%1  \u00b7  %2 events  \u00b7  version %3")
                .arg(stream ? stream->toString() : QString(), QLocale().toString(info ? info->events : 0))
                .arg(info ? info->version.value : 0));
        break;
    }
    }
    m_eventsTitle->setToolTip(m_eventsTitle->text());
}

void MainWindow::updateTitleAndStatus()
{
    if (!store()) {
        setWindowTitle(tr("Chronoscope"));
        m_countLabel->clear();
        updateBadges();
        return;
    }
    const auto summary = store()->summary();
    // A PostgreSQL store is named by its URL (the path never holds the password; the store's
    // location shows it as ***); a file by its name.
    const QString path = storePath();
    QString name = path.isEmpty() ? summary.location : QFileInfo(path).fileName();
    if (isPostgresUrl(path))
        name = summary.location.isEmpty() ? path : summary.location;
    setWindowTitle(
        tr("%1 [%2] \u2014 Chronoscope").arg(name.isEmpty() ? tr("untitled") : name, summary.format));
    m_countLabel->setText(tr("%1 events in %2 streams")
                              .arg(QLocale().toString(summary.events), QLocale().toString(summary.streams)));
    updateBadges();
}

void MainWindow::updateBadges()
{
    if (m_session->upcasters()) {
        QStringList names;
        for (const QString& file : std::as_const(m_session->upcasterFiles()))
            names << QFileInfo(file).fileName();
        m_upcastLabel->setText(tr("Upcast: %1").arg(names.join(QStringLiteral(", "))));
        m_upcastLabel->setToolTip(tr("Events are read through %1 upcaster step(s) from:\n%2")
                                      .arg(m_session->upcasters()->steps().size())
                                      .arg(m_session->upcasterFiles().join(QLatin1Char('\n'))));
        m_upcastLabel->setStyleSheet(style::badge(style::Colour::UpcastBadge));
        m_upcastLabel->show();
    } else {
        m_upcastLabel->clear();
        m_upcastLabel->setStyleSheet(QString());
        m_upcastLabel->hide();
    }
    if (!store()) {
        m_formatLabel->setText(tr("No store"));
        m_formatLabel->setStyleSheet(QString());
        m_formatLabel->setToolTip(QString());
        m_modeLabel->clear();
        m_modeLabel->setStyleSheet(QString());
        m_modeLabel->hide();
        return;
    }
    const auto summary = store()->summary();
    // The format's id, as chronoscope-cli info and the title name it; its long name as tip.
    m_formatLabel->setText(summary.format);
    m_formatLabel->setToolTip(
        tr("%1 store\n%2").arg(StoreSession::formatTitle(summary.format), summary.location));
    const bool native = summary.format.startsWith(QLatin1String("chronoscope-"));
    m_formatLabel->setStyleSheet(
        style::badge(native ? style::Colour::NativeStoreBadge : style::Colour::ForeignStoreBadge));
    m_modeLabel->setText(summary.readOnly ? tr("Read-only") : tr("Read-write"));
    m_modeLabel->setToolTip(summary.readOnly
            ? tr("Nothing can be written to this store: publishing is off.")
            : tr("Events can be published to this store (Bus \u25b8 Publish)."));
    m_modeLabel->setStyleSheet(summary.readOnly
            ? style::badge(style::Colour::ReadOnlyBadge, style::Colour::ReadOnlyBadgeText)
            : style::badge(style::Colour::ReadWriteBadge));
    m_modeLabel->show();
}

void MainWindow::onAppended()
{
    // At most one refresh per interval, also while another program appends without a pause.
    if (!m_refreshTimer->isActive())
        m_refreshTimer->start();
}

void MainWindow::refreshAfterAppend()
{
    if (!store())
        return;
    m_browser->refresh();
    // The state panel's stream may have grown too: its time bar reaches the new events.
    statePanel()->refreshEnd();
    updateEventsTitle();
    updateTitleAndStatus();
}

void MainWindow::reportUnexpectedError(const QString& message)
{
    reportError(message, tr("An operation failed; nothing stored was changed and the window keeps running."));
}

} // namespace chronoscope
