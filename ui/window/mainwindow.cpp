#include "window/mainwindow.h"

#include "base/style.h"
#include "base/theme.h"
#include "bus/buscontroller.h"
#include "bus/busmonitor.h"
#include "bus/deadletterpanel.h"
#include "lessons/lessonparticipant.h"
#include "lessons/lessonsfeature.h"
#include "projections/chartspanel.h"
#include "projections/projectionset.h"
#include "projections/projectionsfeature.h"
#include "race/racefeature.h"
#include "race/racepanel.h"
#include "schema/schemafeature.h"
#include "schema/schemapanel.h"
#include "spec/specexport.h"
#include "store/postgres/pglocation.h"
#include "store/sqlite/sqlitecopy.h"
#include "store/storefactory.h"
#include "story/storyfeature.h"
#include "story/storypanel.h"
#include "streambatch/streambatchfeature.h"
#include "streams/eventinspector.h"
#include "streams/eventjumpbar.h"
#include "streams/eventtablemodel.h"
#include "streams/middleelidedelegate.h"
#include "streams/streambrowser.h"
#include "timetravel/branchpanel.h"
#include "timetravel/diffview.h"
#include "timetravel/fieldhistoryview.h"
#include "timetravel/reducereditor.h"
#include "timetravel/skipproxy.h"
#include "timetravel/statepanel.h"
#include "timetravel/timetravelfeature.h"
#include "topics/topicsfeature.h"
#include "upcast/upcastingeventstore.h"
#include "window/appinfo.h"
#include "window/recentfiles.h"
#include "window/screenfit.h"
#include "window/storesession.h"
#include "window/summaryindicator.h"
#include "window/windowfeature.h"
#include "window/workspaces.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QWindow>

#include <filesystem>
#include <system_error>
#include <tuple>

namespace chronoscope {

namespace {
const QString GeometryKey = QStringLiteral("mainWindow/geometry");

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_session(new StoreSession(this))
    , m_browser(new StreamBrowser)
    , m_events(new EventTableModel(this))
    , m_skips(new SkipProxy(this))
    , m_eventView(new QTableView)
    , m_eventsTitle(new QLabel)
    , m_inspector(new EventInspector)
    , m_recent(new RecentFiles(this))
    , m_formatLabel(new QLabel)
    , m_countLabel(new QLabel)
    , m_modeLabel(new QLabel)
{
    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(150); // a burst of appends (a story on the bus) refreshes once
    connect(m_refreshTimer, &QTimer::timeout, this, &MainWindow::refreshAfterAppend);
    connect(m_session, &StoreSession::viewChanged, this, &MainWindow::showStoreView);
    connect(m_session, &StoreSession::appended, this, &MainWindow::onAppended);
    setAcceptDrops(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    // The event table is the central widget; columns get fixed starting widths, never
    // ResizeToContents (that would read every row).
    m_skips->setSourceModel(m_events);
    m_eventView->setModel(m_skips);
    m_eventView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_eventView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_eventView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_eventView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_eventView->setAlternatingRowColors(true);
    m_eventView->setWordWrap(false);
    m_eventView->setShowGrid(false);
    m_eventView->setTextElideMode(Qt::ElideRight);
    m_eventView->verticalHeader()->hide();
    m_eventView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_eventView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    auto* header = m_eventView->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    header->resizeSection(EventTableModel::PositionColumn, 62);
    header->resizeSection(EventTableModel::StreamColumn, 120);
    m_eventView->setItemDelegateForColumn(
        EventTableModel::StreamColumn, new MiddleElideDelegate(m_eventView));
    header->resizeSection(EventTableModel::VersionColumn, 56);
    header->resizeSection(EventTableModel::TypeColumn, 124);
    header->resizeSection(EventTableModel::TimestampColumn, 180);
    header->resizeSection(EventTableModel::SchemaColumn, 58);
    header->setMinimumSectionSize(40);
    m_eventsTitle->setTextFormat(Qt::PlainText);
    QFont titleFont = m_eventsTitle->font();
    titleFont.setBold(true);
    m_eventsTitle->setFont(titleFont);

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->setSpacing(4);
    m_jumpBar = new EventJumpBar(m_events, m_eventView);
    connect(m_jumpBar, &EventJumpBar::message, this,
        [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    auto* titleRow = new QHBoxLayout;
    titleRow->setContentsMargins(0, 0, 0, 0);
    // The title gives way (it is also the tooltip) so the bar never widens the table's side.
    m_eventsTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_eventsTitle->setMinimumWidth(80);
    titleRow->addWidget(m_eventsTitle, 1);
    titleRow->addWidget(m_jumpBar);
    layout->addLayout(titleRow);
    layout->addWidget(m_eventView, 1);
    central->setMinimumSize(320, 180); // whatever the title row asks for: the table keeps room
    setCentralWidget(central);

    createDocks();
    createActions();
    createStatusBar();
    connect(m_eventView, &QWidget::customContextMenuRequested, this, &MainWindow::showEventMenu);

    // A selection reads the store: a failed read is reported, never thrown out of the event loop.
    connect(m_browser, &StreamBrowser::streamSelected, this,
        [this](const StreamId& stream) { readingStore([&] { showStream(stream); }); });
    connect(m_browser, &StreamBrowser::categorySelected, this,
        [this](const QString& category) { readingStore([&] { showCategory(category); }); });
    connect(
        m_browser, &StreamBrowser::allStreamsSelected, this, [this] { readingStore([this] { showAll(); }); });
    connect(chartsPanel(), &ChartsPanel::eventsPicked, this,
        [this](const EventFilter& filter, const QString& what) {
            readingStore([&] { showPicked(filter, what); });
        });
    connect(m_eventView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { onEventSelected(current); });
    connect(m_recent, &RecentFiles::fileTriggered, this, [this](const QString& path) {
        // A PostgreSQL entry has no password: the dialog asks for it.
        if (isPostgresUrl(path))
            showConnectDialog(path);
        else
            openFile(path);
    });
    connect(m_recent, &RecentFiles::changed, this, [this] { m_recent->populate(m_recentMenu); });

    // A first start: 1400 x 850, or what the screen has room for.
    QSize first(1400, 850);
    if (const QScreen* screen = QGuiApplication::primaryScreen())
        first = first.boundedTo(screen->availableGeometry().size() - QSize(16, 48));
    resize(first);
    restoreLayout();
    closeStore();
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks()
{
    auto* streams = makeDock(tr("Streams"), QStringLiteral("streamsDock"), m_browser, this);
    m_browser->setMinimumWidth(240); // category names and counts stay readable
    auto* inspector = makeDock(tr("Event"), QStringLiteral("inspectorDock"), m_inspector, this);
    addDockWidget(Qt::LeftDockWidgetArea, streams);
    addDockWidget(Qt::RightDockWidgetArea, inspector);
    // The features in the order their docks are made and they hear of a new store (the bus first:
    // the old store's bus stops before that store goes).
    m_timeTravel = new TimeTravelFeature(m_events, m_eventView, m_skips, this);
    m_bus = new BusController(this);
    m_projections = new ProjectionsFeature(this);
    m_schema = new SchemaFeature(this);
    m_story = new StoryFeature(this);
    auto* topics = new TopicsFeature(this);           // found by findChild (lessons, tests)
    auto* race = new RaceFeature(m_bus, this);        // after the bus: it appends through its publisher
    auto* streamBatch = new StreamBatchFeature(this); // found by findChild (lessons, tests)
    m_features = {m_timeTravel, m_bus, m_projections, m_schema, m_story, topics, race, streamBatch};
    for (WindowFeature* feature : m_features)
        feature->addDocks(*this);
    m_workspaces = new Workspaces(this);
    // Lessons last: they follow the workspaces and set up and check the other features' panels.
    m_lessons = new LessonsFeature(this);
    m_lessons->addDocks(*this);
    std::vector<LessonParticipant*> participants;
    for (WindowFeature* feature : m_features)
        if (auto* participant = dynamic_cast<LessonParticipant*>(feature))
            participants.push_back(participant);
    m_lessons->setParticipants(std::move(participants));
    m_features.push_back(m_lessons);
    // Show Story from the Event panel, the bus monitor and the dead letters.
    connect(m_inspector, &EventInspector::storyRequested, m_story, &StoryFeature::showStoryOf);
    connect(m_bus->deadLetters(), &DeadLetterPanel::storyRequested, m_story, &StoryFeature::showStoryOf);
    m_story->panel()->setBusLog(m_bus->monitor()->logModel()); // the story's deliveries
    connect(m_bus->monitor(), &BusMonitor::storyRequested, this, [this](qint64 position) {
        if (const auto event = store() ? store()->readAt(Position(position)) : std::nullopt)
            m_story->showStoryOf(*event);
    });
    // The stream the race is on is the one the event table shows: the appends land in front.
    connect(race->panel(), &RacePanel::raceStreamChanged, this, [this](const StreamId& stream) {
        if (m_showing != Showing::Stream || m_events->stream() != std::optional<StreamId>(stream))
            selectStream(stream);
    });
    // A double-click on an event of a story shows it in the event table.
    connect(m_story->panel(), &StoryPanel::eventActivated, this, [this](const RecordedEvent& event) {
        if (!selectStream(event.stream))
            return;
        const int row = m_events->ensureVersionLoaded(event.version);
        if (row >= 0)
            m_eventView->selectRow(row);
    });
    connectFeatures();
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open\u2026"), this, &MainWindow::chooseFile);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    QMenu* schema = new QMenu(tr("&Schema"), this);
    schema->setObjectName(QStringLiteral("schemaMenu")); // the Schemas feature adds its entries
    createStoreActions(file, schema);
    m_recent->populate(m_recentMenu);
    m_saveCopyAction = file->addAction(tr("Save a &Copy\u2026"), this, &MainWindow::chooseCopy);
    m_saveCopyAction->setObjectName(QStringLiteral("saveCopyAction"));
    m_saveCopyAction->setToolTip(tr("Copy this store to a new file and work on the copy (read-write)"));
    m_saveCopyAction->setEnabled(false);
    QAction* close = file->addAction(tr("&Close"), this, &MainWindow::closeStore);
    close->setShortcut(QKeySequence::Close);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* find = view->addAction(tr("&Filter Streams"), m_browser, &StreamBrowser::focusFilter);
    find->setShortcut(QKeySequence::Find);
    view->addAction(tr("&All Streams"), this, &MainWindow::selectAllStreams);
    QAction* goTo = view->addAction(tr("&Go to Position, Version or Time…"));
    goTo->setObjectName(QStringLiteral("goToAction"));
    goTo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    connect(goTo, &QAction::triggered, this, [this] {
        m_jumpBar->edit()->setFocus(Qt::ShortcutFocusReason);
        m_jumpBar->edit()->selectAll();
    });
    QAction* newest = view->addAction(tr("&Newest First"));
    newest->setObjectName(QStringLiteral("newestFirstAction"));
    newest->setCheckable(true);
    connect(newest, &QAction::toggled, m_jumpBar->newestFirstButton(), &QToolButton::setChecked);
    connect(m_jumpBar->newestFirstButton(), &QToolButton::toggled, newest, &QAction::setChecked);
    view->addSeparator();
    m_followAction = view->addAction(tr("F&ollow Other Writers"));
    m_followAction->setObjectName(QStringLiteral("followAction"));
    m_followAction->setCheckable(true);
    m_followAction->setIconText(tr("Follow")); // the status bar's button
    m_followAction->setChecked(m_session->isFollowing());
    m_followAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    m_followAction->setToolTip(tr("Show the events other programs append to this store as they come"));
    connect(m_followAction, &QAction::toggled, m_session, &StoreSession::setFollowing);
    view->addSeparator();
    QMenu* theme = view->addMenu(tr("&Theme"));
    theme->setObjectName(QStringLiteral("themeMenu"));
    auto* themes = new QActionGroup(theme);
    for (const auto& [which, label] : {std::pair {style::Theme::System, tr("&System")},
             std::pair {style::Theme::Light, tr("&Light")}, std::pair {style::Theme::Dark, tr("&Dark")}}) {
        QAction* action = theme->addAction(label);
        action->setObjectName(QStringLiteral("theme-") + style::themeId(which));
        action->setCheckable(true);
        action->setChecked(style::currentTheme() == which);
        themes->addAction(action);
        connect(action, &QAction::triggered, this, [which] {
            style::applyTheme(which);
            style::saveTheme(which);
        });
    }
    // Colours set through style sheets follow the theme (the rest is painted from the palette).
    connect(style::ThemeNotifier::instance(), &style::ThemeNotifier::changed, this, [this, themes] {
        for (QAction* action : themes->actions())
            action->setChecked(
                action->objectName() == QStringLiteral("theme-") + style::themeId(style::currentTheme()));
        updateBadges();
        m_pendingBadge->setStyleSheet(style::buttonBadge(style::Colour::PendingBadge));
    });
    m_workspaces->addMenuEntries(view);
    QMenu* panels = view->addMenu(tr("&Panels"));
    panels->setObjectName(QStringLiteral("panelsMenu"));
    for (auto* dock : findChildren<QDockWidget*>())
        panels->addAction(dock->toggleViewAction());

    menuBar()->addMenu(schema);
    for (WindowFeature* feature : m_features)
        feature->addMenus(*menuBar());

    createHelpMenu();
}

void MainWindow::createStatusBar()
{
    m_upcastLabel = new QLabel;
    m_formatLabel->setObjectName(QStringLiteral("formatBadge"));
    m_modeLabel->setObjectName(QStringLiteral("modeBadge"));
    m_upcastLabel->setObjectName(QStringLiteral("upcastBadge"));
    m_countLabel->setObjectName(QStringLiteral("countLabel"));
    m_problemLabel = new QLabel;
    m_problemLabel->setObjectName(QStringLiteral("storeProblem"));
    m_problemLabel->setWordWrap(false);
    m_problemLabel->hide();
    style::setTone(m_problemLabel, style::Tone::Error);
    statusBar()->addWidget(m_problemLabel, 1);
    m_pendingBadge = new QToolButton;
    m_pendingBadge->setObjectName(QStringLiteral("pendingBadge"));
    m_pendingBadge->setStyleSheet(style::buttonBadge(style::Colour::PendingBadge));
    m_pendingBadge->setToolTip(tr("Other programs appended these events while following was off: show them"));
    m_pendingBadge->hide();
    connect(m_pendingBadge, &QToolButton::clicked, m_session, &StoreSession::showPending);
    for (WindowFeature* feature : m_features)
        feature->addStatusWidgets(*statusBar());
    statusBar()->addPermanentWidget(new SummaryIndicator(m_session));
    connect(m_session, &StoreSession::summaryFinished, this,
        [this](bool, const QString& message) { statusBar()->showMessage(message, 10000); });
    statusBar()->addPermanentWidget(m_pendingBadge);
    auto* follow = new QToolButton;
    follow->setObjectName(QStringLiteral("followButton"));
    follow->setAutoRaise(true);
    follow->setDefaultAction(m_followAction);
    statusBar()->addPermanentWidget(follow);
    for (QLabel* label : {m_upcastLabel, m_countLabel, m_formatLabel, m_modeLabel}) {
        label->setContentsMargins(6, 0, 6, 0);
        statusBar()->addPermanentWidget(label);
    }
    connect(m_session, &StoreSession::pendingChanged, this, [this](qint64 events) {
        m_pendingBadge->setText(events == 1 ? tr("1 new event") : tr("%L1 new events").arg(events));
        m_pendingBadge->setVisible(events > 0);
    });
    connect(m_session, &StoreSession::storeReplaced, this, [this] {
        // Opened again once the follower's signal has returned (opening replaces the follower).
        const QString path = storePath();
        QTimer::singleShot(0, this, [this, path] {
            if (storePath() != path || !openFile(path))
                return; // another store meanwhile, or the new file does not open (said by openFile)
            statusBar()->showMessage(
                tr("Another program replaced '%1' by a new file: the window opened the new one.").arg(path),
                15000);
        });
    });
    connect(m_session, &StoreSession::problemChanged, this, [this](const QString& problem) {
        m_problemLabel->setText(problem);
        m_problemLabel->setToolTip(problem);
        m_problemLabel->setVisible(!problem.isEmpty());
        if (problem.isEmpty())
            statusBar()->showMessage(tr("The store reads fine again."), 5000);
    });
}

bool MainWindow::isSamplePath(const QString& path) const
{
    if (m_samplePath.isEmpty() || path.isEmpty())
        return false;
    // The same file, whatever the name: a symbolic or hard link, another spelling of the path.
    std::error_code error;
    const bool same
        = std::filesystem::equivalent(std::filesystem::path(QFile::encodeName(m_samplePath).toStdString()),
            std::filesystem::path(QFile::encodeName(path).toStdString()), error);
    return !error && same;
}

bool MainWindow::openFile(const QString& path, bool readOnly)
{
    if (isPostgresUrl(path))
        return openPostgres(path);
    // The bundled sample is never written, however it is reached: File > Open, Open Recent, a
    // drop or a path on the command line (File > Save a Copy gives a writable one).
    if (!readOnly && isSamplePath(path))
        readOnly = true;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        m_session->open(path, {}, readOnly);
    } catch (const StoreError& error) {
        QApplication::restoreOverrideCursor();
        reportError(error.message());
        return false;
    } catch (const std::exception& error) {
        QApplication::restoreOverrideCursor();
        reportError(tr("Could not open %1: %2").arg(path, QString::fromUtf8(error.what())));
        return false;
    }
    QApplication::restoreOverrideCursor();
    m_recent->add(path);
    Q_EMIT storeOpened(path);
    return true;
}

void MainWindow::setStore(std::shared_ptr<EventStore> store, const QString& path)
{
    m_session->setStore(std::move(store), path); // showStoreView() follows
}

StatePanel* MainWindow::statePanel() const
{
    return m_timeTravel->state();
}

DiffView* MainWindow::diffView() const
{
    return m_timeTravel->diff();
}

FieldHistoryView* MainWindow::fieldHistory() const
{
    return m_timeTravel->history();
}

ReducerEditor* MainWindow::reducerEditor() const
{
    return m_timeTravel->reducerEditor();
}

BranchPanel* MainWindow::branchPanel() const
{
    return m_timeTravel->branches();
}

SchemaPanel* MainWindow::schemaPanel() const
{
    return m_schema->panel();
}

ProjectionSet* MainWindow::projectionSet() const
{
    return m_projections->set();
}

ProjectionsPanel* MainWindow::projectionsPanel() const
{
    return m_projections->panel();
}

ChartsPanel* MainWindow::chartsPanel() const
{
    return m_projections->charts();
}

void MainWindow::closeStore()
{
    setStore(nullptr, {});
}

template<typename Step> bool MainWindow::readingStore(Step step)
{
    try {
        step();
        return true;
    } catch (const StoreError& e) {
        reportError(e.message(), tr("The store could not be read; nothing stored was changed."));
        return false;
    }
}

bool MainWindow::selectStream(const StreamId& stream)
{
    bool selected = false;
    return readingStore([&] { selected = m_browser->selectStream(stream); }) && selected;
}

void MainWindow::selectAllStreams()
{
    readingStore([&] { m_browser->selectAllStreams(); });
}

void MainWindow::reportError(const QString& message, const QString& what)
{
    m_lastError = message;
    statusBar()->showMessage(message, 15000);
    Q_EMIT errorOccurred(message);
    if (!m_errorDialogs)
        return;
    // Non-modal: the window stays usable while the message is shown.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Chronoscope"),
        what.isEmpty() ? tr("The store could not be opened.") : what, QMessageBox::Ok, this);
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showStream(const StreamId& stream)
{
    m_inspector->setEvent(std::nullopt);
    m_schema->showStream(stream);
    m_showing = Showing::Stream;
    m_events->showStream(stream);
    // Every row is of this stream: its column would only repeat the title.
    m_eventView->setColumnHidden(EventTableModel::StreamColumn, true);
    updateEventsTitle();
    m_timeTravel->showStream(stream);
}

void MainWindow::showCategory(const QString& category)
{
    m_inspector->setEvent(std::nullopt);
    m_schema->showStream(std::nullopt);
    m_showing = Showing::Category;
    m_shownCategory = category;
    m_eventView->setColumnHidden(EventTableModel::StreamColumn, false);
    EventFilter filter;
    filter.category = category;
    if (category.isEmpty()) {
        // Ids without '-': EventFilter has no "no category" test, so the all-stream is shown.
        m_events->showAll();
    } else {
        m_events->showAll(filter);
    }
    updateEventsTitle();
    m_timeTravel->showStream(std::nullopt);
}

void MainWindow::showPicked(const EventFilter& filter, const QString& what)
{
    if (!store())
        return;
    m_inspector->setEvent(std::nullopt);
    m_schema->showStream(std::nullopt);
    m_showing = Showing::Picked;
    m_shownPick = what;
    // Nothing current in the browser: clicking All streams (or the stream that was) shows it again.
    m_browser->treeView()->selectionModel()->clear();
    m_browser->listView()->selectionModel()->clear();
    m_eventView->setColumnHidden(EventTableModel::StreamColumn, false);
    m_events->showAll(filter);
    updateEventsTitle();
    m_timeTravel->showStream(std::nullopt);
}

void MainWindow::showAll()
{
    m_inspector->setEvent(std::nullopt);
    m_schema->showStream(std::nullopt);
    m_eventView->setColumnHidden(EventTableModel::StreamColumn, false);
    m_showing = store() ? Showing::All : Showing::Nothing;
    if (store())
        m_events->showAll();
    else
        m_events->clear();
    updateEventsTitle();
    m_timeTravel->showStream(std::nullopt);
}

void MainWindow::onEventSelected(const QModelIndex& current)
{
    if (!current.isValid()) {
        m_inspector->setEvent(std::nullopt);
        return;
    }
    const auto& event = m_events->eventAt(current.row());
    m_inspector->setEvent(event);
    m_schema->showEvent(event);
    m_timeTravel->showEvent(event); // the state panel follows
}

void MainWindow::chooseFile()
{
    const QString dir = storePath().isEmpty() ? QString() : QFileInfo(storePath()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Event Store"), dir,
        tr("Event stores (*.chronoscope *.sqlite *.db *.jsonl *.ndjson);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

bool MainWindow::chooseCopy()
{
    const QFileInfo source(storePath());
    const QString suggested
        = QDir::home().filePath(source.completeBaseName() + tr("-copy") + QStringLiteral(".chronoscope"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Save a Copy of the Store"), suggested,
        tr("Chronoscope stores (*.chronoscope);;All files (*)"), nullptr, QFileDialog::DontConfirmOverwrite);
    return !path.isEmpty() && saveCopy(path);
}

bool MainWindow::saveCopy(const QString& to)
{
    const QString from = storePath();
    if (!store() || detectFormat(from) != StoreFormat::ChronoscopeSqlite) {
        reportError(tr("Only a Chronoscope SQLite store can be saved as a copy."), tr("Nothing was copied."));
        return false;
    }
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        copySqliteStore(from, to);
    } catch (const StoreError& e) {
        QApplication::restoreOverrideCursor();
        reportError(e.message(), tr("The copy was not made; the store is as it was."));
        return false;
    }
    QApplication::restoreOverrideCursor();
    if (!openFile(to))
        return false;
    statusBar()->showMessage(
        tr("Saved a copy as %1: the window shows the copy, which you can write to (%2 is unchanged).")
            .arg(to, from),
        15000);
    return true;
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    m_workspaces->save();
}

void MainWindow::restoreLayout()
{
    const QSettings settings;
    restoreGeometry(settings.value(GeometryKey).toByteArray());
    m_workspaces->restore(); // keeps the window inside its screen
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    fitToScreen(this);
    if (!m_screenWatched && windowHandle()) {
        m_screenWatched = true;
        connect(windowHandle(), &QWindow::screenChanged, this, [this] { fitToScreen(this); });
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveLayout();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.size() != 1 || !urls.front().isLocalFile())
        return;
    event->acceptProposedAction();
    openFile(urls.front().toLocalFile());
}

void MainWindow::showEventMenu(const QPoint& pos)
{
    const QModelIndex index = m_eventView->indexAt(pos);
    QMenu menu(this);
    m_timeTravel->addEventMenuEntries(menu, index);
    if (index.isValid()) {
        menu.addSeparator();
        m_story->addEventMenuEntry(menu, index.data(EventTableModel::EventRole).value<RecordedEvent>());
        // Given / When / Then of the selected events (one stream's): from the first to the last selected.
        if (m_showing == Showing::Stream && m_events->stream()) {
            qint64 from = 0, to = 0;
            for (const QModelIndex& selected : m_eventView->selectionModel()->selectedRows()) {
                const qint64 v
                    = selected.data(EventTableModel::EventRole).value<RecordedEvent>().version.value;
                from = from == 0 ? v : std::min(from, v);
                to = std::max(to, v);
            }
            if (from == 0)
                from = to = index.data(EventTableModel::EventRole).value<RecordedEvent>().version.value;
            const StreamId stream = *m_events->stream();
            QAction* spec = menu.addAction(from == to
                    ? tr("Export Given/When/Then of v%1\u2026").arg(from)
                    : tr("Export Given/When/Then of v%1\u2013v%2\u2026").arg(from).arg(to),
                this, [this, stream, from, to] {
                    // After the menu has closed: a modal dialog is not opened from inside its loop.
                    QTimer::singleShot(0, this, [this, stream, from, to] {
                        if (!store())
                            return;
                        const QString message
                            = exportSpecInteractively(this, *store(), stream, Version(from), Version(to));
                        if (!message.isEmpty())
                            statusBar()->showMessage(message, 10000);
                    });
                });
            spec->setObjectName(QStringLiteral("exportSpecAction"));
            spec->setToolTip(
                tr("A test specification: given the earlier events, when the command, then these events"));
        }
    }
    menu.exec(m_eventView->viewport()->mapToGlobal(pos));
}

void MainWindow::raiseDock(const QString& name)
{
    m_workspaces->reveal(name);
}

} // namespace chronoscope
