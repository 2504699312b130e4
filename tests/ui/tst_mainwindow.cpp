// The main window, offscreen: open a store, browse streams, step the state through versions.
#include "bus/buscontroller.h"
#include "replay/replay.h"
#include "sample/sampledomain.h"
#include "store/memoryeventstore.h"
#include "streams/categorytreemodel.h"
#include "streams/eventinspector.h"
#include "streams/eventjumpbar.h"
#include "streams/eventtablemodel.h"
#include "streams/idtooltip.h"
#include "streams/middleelidedelegate.h"
#include "streams/streambrowser.h"
#include "streams/streamlistmodel.h"
#include "support/testsupport.h"
#include "timetravel/statepanel.h"
#include "widgets/jsontreemodel.h"
#include "window/mainwindow.h"
#include "window/recentfiles.h"

#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#include <unistd.h>

using namespace chronoscope;

namespace {
// QCOMPARE cannot print nlohmann::json; this reports both values when they differ.
bool sameJson(const nlohmann::json& actual, const nlohmann::json& expected)
{
    if (actual == expected)
        return true;
    qWarning("actual:   %s\nexpected: %s", actual.dump().c_str(), expected.dump().c_str());
    return false;
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void opensStoreWithTitleAndStatus();
    void selectingStreamShowsItsEvents();
    void sliderShowsStateAtVersion_data();
    void sliderShowsStateAtVersion();
    void draggingEndsOnLatestVersion();
    void sliderSelectsTheEventRow();
    void selectingEventShowsItAndItsState();
    void allStreamsShowsGlobalOrder();
    void endKeysReachTheLastEvent();
    void goToPositionVersionAndTime();
    void newestFirstTurnsTheRowsOver();
    void filterBoxFiltersStreams();
    void reClickingTheStreamAfterItsCategory();
    void longIdsElideInTheMiddleAndCopy();
    void badFileShowsErrorAndWindowStaysUsable();
    void badFileAtStartLeavesEmptyWindow();
    void recentFilesKeepsTen();
    void layoutIsSavedAndRestored();
    void readOnlySampleSavedAsAWritableCopy();
    void theSampleOpensReadOnlyHoweverReached();

private:
    // The store under test: the bundled sample when built, else a generated one.
    void openSample(MainWindow& window);
    // A cart stream with at least 4 events.
    StreamId cartStream() const;
    nlohmann::json expectedState(const StreamId& stream, qint64 version) const;

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    std::shared_ptr<MemoryEventStore> m_generated;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

void TestMainWindow::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMainWindow::cleanup()
{
    m_window.reset();
}

void TestMainWindow::openSample(MainWindow& window)
{
    const QString sample = QStringLiteral(CHRONOSCOPE_SAMPLE_STORE);
    if (QFileInfo::exists(sample)) {
        QVERIFY2(window.openFile(sample), qPrintable(window.lastError()));
        return;
    }
    if (!m_generated) {
        m_generated = std::make_shared<MemoryEventStore>();
        sample::GeneratorOptions options;
        options.events = 600;
        options.seed = 7;
        sample::generate(*m_generated, options);
    }
    window.setStore(m_generated, QStringLiteral("generated"));
}

StreamId TestMainWindow::cartStream() const
{
    const auto streams = m_window->store()->streams(QStringLiteral("cart-"));
    for (const auto& info : streams) {
        if (info.events >= 4)
            return info.stream;
    }
    return streams.empty() ? StreamId() : streams.front().stream;
}

nlohmann::json TestMainWindow::expectedState(const StreamId& stream, qint64 version) const
{
    const auto registry = ReducerRegistry::withBuiltins();
    return stateAtVersion(*m_window->store(), *registry.reducerFor(stream), stream, Version(version));
}

void TestMainWindow::opensStoreWithTitleAndStatus()
{
    QSignalSpy opened(m_window.get(), &MainWindow::storeOpened);
    openSample(*m_window);
    QVERIFY(m_window->store());
    const auto summary = m_window->store()->summary();
    QVERIFY(summary.events > 0);
    QVERIFY2(m_window->windowTitle().contains(summary.format), qPrintable(m_window->windowTitle()));
    if (!m_window->storePath().isEmpty() && m_window->storePath() != QStringLiteral("generated"))
        QVERIFY(m_window->windowTitle().contains(QFileInfo(m_window->storePath()).fileName()));
    const auto labels = m_window->statusBar()->findChildren<QLabel*>();
    QStringList texts;
    for (const auto* label : labels)
        texts << label->text();
    const QString status = texts.join(QLatin1Char('|'));
    QVERIFY2(status.contains(summary.format), qPrintable(status));
    QVERIFY2(
        status.contains(QLocale().toString(summary.events) + QStringLiteral(" events")), qPrintable(status));
    QVERIFY2(status.contains(summary.readOnly ? QStringLiteral("Read-only") : QStringLiteral("Read-write")),
        qPrintable(status));
    // The tree lists every stream under "All streams".
    const auto all = m_window->browser()->categoryModel()->allStreamsIndex();
    QCOMPARE(all.siblingAtColumn(CategoryTreeModel::EventsColumn).data().toLongLong(), summary.events);
    QCOMPARE(all.siblingAtColumn(CategoryTreeModel::StreamsColumn).data().toLongLong(), summary.streams);
}

void TestMainWindow::selectingStreamShowsItsEvents()
{
    openSample(*m_window);
    const StreamId stream = cartStream();
    QVERIFY(!stream.isEmpty());
    const auto info = m_window->store()->streamInfo(stream);
    QVERIFY(info);

    QVERIFY(m_window->selectStream(stream));
    auto* model = m_window->eventModel();
    QCOMPARE(model->stream(), std::optional<StreamId>(stream));
    // The view pulls the rows it needs (a cart has far fewer than a page).
    QTRY_COMPARE(model->rowCount(), int(info->events));
    auto* view = m_window->eventView();
    QCOMPARE(view->model()->rowCount(), int(info->events));
    for (int row = 0; row < model->rowCount(); ++row) {
        QCOMPARE(model->index(row, EventTableModel::StreamColumn).data().toString(), stream.toString());
        QCOMPARE(model->index(row, EventTableModel::VersionColumn).data().toLongLong(), row + 1);
    }
    // The state panel follows the stream, at its last version.
    QCOMPARE(m_window->statePanel()->stream(), std::optional<StreamId>(stream));
    QCOMPARE(m_window->statePanel()->slider()->maximum(), int(info->version.value));
    QTRY_COMPARE(m_window->statePanel()->shownVersion(), std::optional<Version>(info->version));
}

void TestMainWindow::sliderShowsStateAtVersion_data()
{
    QTest::addColumn<int>("percent"); // of the stream's last version
    QTest::newRow("initial") << 0;
    QTest::newRow("first event") << 1;
    QTest::newRow("middle") << 50;
    QTest::newRow("last") << 100;
}

void TestMainWindow::sliderShowsStateAtVersion()
{
    QFETCH(int, percent);
    openSample(*m_window);
    const StreamId stream = cartStream();
    QVERIFY(m_window->selectStream(stream));
    auto* panel = m_window->statePanel();
    const qint64 last = panel->lastVersion().value;
    const qint64 version = percent == 1 ? 1 : last * percent / 100;
    QTRY_VERIFY(panel->shownVersion().has_value());

    panel->slider()->setValue(int(version));
    QTRY_COMPARE(panel->shownVersion(), std::optional<Version>(Version(version)));
    QVERIFY(sameJson(panel->stateModel()->json(), expectedState(stream, version)));
    QCOMPARE(panel->spinBox()->value(), int(version));
    if (version < last)
        QVERIFY(panel->stateModel()->json() != expectedState(stream, last));
}

void TestMainWindow::draggingEndsOnLatestVersion()
{
    openSample(*m_window);
    const StreamId stream = cartStream();
    QVERIFY(m_window->selectStream(stream));
    auto* panel = m_window->statePanel();
    const int last = int(panel->lastVersion().value);
    QTRY_VERIFY(panel->shownVersion().has_value());
    QSignalSpy shown(panel, &StatePanel::stateShown);
    // A drag: many values in a row without returning to the event loop, ending mid-way.
    for (int v = last; v >= 0; --v)
        panel->slider()->setValue(v);
    const int target = last / 2;
    panel->slider()->setValue(target);
    QTRY_COMPARE(panel->shownVersion(), std::optional<Version>(Version(target)));
    QTRY_VERIFY(!panel->isBusy());
    QCOMPARE(panel->shownVersion(), std::optional<Version>(Version(target)));
    QVERIFY(sameJson(panel->stateModel()->json(), expectedState(stream, target)));
    // Intermediate values were folded together rather than replayed one by one.
    QVERIFY2(shown.count() < last + 2, qPrintable(QString::number(shown.count())));
    QCOMPARE(shown.last().at(0).value<Version>(), Version(target));
}

void TestMainWindow::sliderSelectsTheEventRow()
{
    openSample(*m_window);
    const StreamId stream = cartStream();
    QVERIFY(m_window->selectStream(stream));
    auto* panel = m_window->statePanel();
    const int last = int(panel->lastVersion().value);
    QVERIFY(last >= 4);
    for (const int version : {2, last, 1, 3}) {
        panel->slider()->setValue(version);
        const QModelIndex current = m_window->eventView()->currentIndex();
        QVERIFY2(current.isValid(), qPrintable(QString::number(version)));
        QCOMPARE(m_window->eventModel()->eventAt(current.row()).version, Version(version));
        QVERIFY(m_window->eventView()->selectionModel()->isRowSelected(current.row(), {}));
        QVERIFY(m_window->inspector()->event().has_value());
        QCOMPARE(m_window->inspector()->event()->version, Version(version));
        QCOMPARE(panel->slider()->value(), version); // the row's selection did not move the slider
    }
    // Newest first: the same version, another row.
    m_window->jumpBar()->newestFirstButton()->click();
    panel->slider()->setValue(2);
    QCOMPARE(
        m_window->eventModel()->eventAt(m_window->eventView()->currentIndex().row()).version, Version(2));
}

void TestMainWindow::selectingEventShowsItAndItsState()
{
    openSample(*m_window);
    const StreamId stream = cartStream();
    QVERIFY(m_window->selectStream(stream));
    auto* model = m_window->eventModel();
    QTRY_VERIFY(model->rowCount() >= 2);
    const int row = 1;
    m_window->eventView()->selectRow(row);
    const auto& event = model->eventAt(row);
    auto* inspector = m_window->inspector();
    QCOMPARE(inspector->fieldText(QStringLiteral("type")), event.type);
    QCOMPARE(inspector->fieldText(QStringLiteral("version")), QStringLiteral("2"));
    QCOMPARE(inspector->fieldText(QStringLiteral("position")), QString::number(event.position.value));
    QCOMPARE(inspector->fieldText(QStringLiteral("id")), event.id.toString(QUuid::WithoutBraces));
    QVERIFY(sameJson(inspector->dataModel()->json(), event.dataJson()));
    QVERIFY(sameJson(inspector->metadataModel()->json(), event.metadataJson()));
    QTRY_COMPARE(m_window->statePanel()->shownVersion(), std::optional<Version>(Version(2)));
    QVERIFY(sameJson(m_window->statePanel()->stateModel()->json(), expectedState(stream, 2)));
}

void TestMainWindow::allStreamsShowsGlobalOrder()
{
    openSample(*m_window);
    m_window->selectAllStreams();
    auto* model = m_window->eventModel();
    QVERIFY(model->showsAll());
    QTRY_VERIFY(model->rowCount() > 0);
    // Every row counted, but only what the view shows is read, never the whole store at once.
    QCOMPARE(model->rowCount(), int(m_window->store()->summary().events));
    QVERIFY(model->loadedRowCount() <= 2 * 256);
    for (int row = 0; row < qMin(model->rowCount(), 50); ++row)
        QCOMPARE(model->eventAt(row).position.value, row + 1);
    // Selecting an event of some stream puts that stream in the state panel.
    m_window->eventView()->selectRow(0);
    const auto& first = model->eventAt(0);
    QCOMPARE(m_window->statePanel()->stream(), std::optional<StreamId>(first.stream));
    QTRY_COMPARE(m_window->statePanel()->shownVersion(), std::optional<Version>(first.version));
}

void TestMainWindow::filterBoxFiltersStreams()
{
    openSample(*m_window);
    auto* model = m_window->browser()->streamModel();
    const int all = model->rowCount();
    QVERIFY(all > 1);
    QTest::keyClicks(m_window->browser()->filterEdit(), QStringLiteral("CART-"));
    // The filter is applied after a pause in typing, and searched off the GUI thread.
    QTRY_VERIFY(model->text() == QStringLiteral("CART-") && !model->isSearching());
    QVERIFY(model->rowCount() < all);
    QVERIFY(model->rowCount() > 0);
    for (int row = 0; row < model->rowCount(); ++row)
        QVERIFY(model->index(row, 0).data().toString().startsWith(QStringLiteral("cart-")));
    // The tree shows the matches too: one category, its matching streams, counted.
    auto* tree = m_window->browser()->categoryModel();
    QTRY_VERIFY(
        tree->matchText() == QStringLiteral("CART-") && !m_window->browser()->matchModel()->isSearching());
    const QModelIndex matching = tree->allStreamsIndex();
    QVERIFY2(matching.data().toString().contains(QStringLiteral("matching \u201cCART-\u201d")),
        qPrintable(matching.data().toString()));
    QCOMPARE(tree->rowCount(matching), 1);
    const QModelIndex carts = tree->index(0, 0, matching);
    QCOMPARE(carts.data(CategoryTreeModel::CategoryRole).toString(), QStringLiteral("cart"));
    QVERIFY(m_window->browser()->treeView()->isExpanded(carts));
    QCOMPARE(tree->rowCount(carts), m_window->browser()->matchModel()->rowCount());
    QCOMPARE(tree->index(0, CategoryTreeModel::StreamsColumn, carts.parent()).data().toLongLong(),
        qlonglong(tree->rowCount(carts)));
    for (int row = 0; row < tree->rowCount(carts); ++row)
        QVERIFY(tree->index(row, 0, carts).data().toString().startsWith(QStringLiteral("cart-")));
    // A glob, applied at once with Return.
    m_window->browser()->filterEdit()->setText(QStringLiteral("cart-1?"));
    QTest::keyClick(m_window->browser()->filterEdit(), Qt::Key_Return);
    QCOMPARE(model->text(), QStringLiteral("cart-1?"));
    QVERIFY(model->rowCount() > 0);
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto id = model->index(row, 0).data().toString();
        QVERIFY2(id.startsWith(QStringLiteral("cart-1")) && id.size() == 7, qPrintable(id));
    }
    // Clicking a header orders the list by that column, through the store.
    auto* header = m_window->browser()->listView()->horizontalHeader();
    m_window->browser()->filterEdit()->clear();
    QTRY_COMPARE(model->rowCount(), all);
    QTRY_VERIFY(tree->matchText().isEmpty()); // the whole store again
    QCOMPARE(tree->allStreamsIndex().data().toString(), QStringLiteral("All streams"));
    QVERIFY(tree->rowCount(tree->allStreamsIndex()) > 1);
    const int x = header->sectionViewportPosition(StreamListModel::VersionColumn) + 5;
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
    QCOMPARE(model->query().sort, StreamQuery::Sort::Version);
    for (int row = 1; row < model->rowCount(); ++row)
        QVERIFY(model->index(row - 1, 0).data(StreamListModel::VersionRole).toLongLong()
            <= model->index(row, 0).data(StreamListModel::VersionRole).toLongLong());
}

void TestMainWindow::badFileShowsErrorAndWindowStaysUsable()
{
    openSample(*m_window);
    const EventStore* before = m_window->store();
    const QString bad = m_dir.filePath(QStringLiteral("garbage.chronoscope"));
    {
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is { not an event store\n\x01\x02\x03");
    }
    m_window->setErrorDialogsEnabled(true);
    QSignalSpy errors(m_window.get(), &MainWindow::errorOccurred);
    QVERIFY(!m_window->openFile(bad));
    QCOMPARE(errors.count(), 1);
    QVERIFY2(m_window->lastError().contains(QStringLiteral("garbage.chronoscope")),
        qPrintable(m_window->lastError()));
    // The message box is non-modal and names the file; the window goes on working.
    auto* box = m_window->findChild<QMessageBox*>();
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QVERIFY(box->informativeText().contains(QStringLiteral("garbage.chronoscope")));
    QVERIFY(!box->isModal() || box->windowModality() != Qt::ApplicationModal);
    box->close();
    QCOMPARE(m_window->store(), before);
    QVERIFY(m_window->selectStream(cartStream()));
    QTRY_VERIFY(m_window->eventModel()->rowCount() > 0);
}

void TestMainWindow::badFileAtStartLeavesEmptyWindow()
{
    QSignalSpy errors(m_window.get(), &MainWindow::errorOccurred);
    QVERIFY(!m_window->openFile(m_dir.filePath(QStringLiteral("does-not-exist.chronoscope"))));
    QCOMPARE(errors.count(), 1);
    QVERIFY(!m_window->lastError().isEmpty());
    QVERIFY(!m_window->store());
    QCOMPARE(m_window->eventModel()->rowCount(), 0);
    QCOMPARE(m_window->browser()->categoryModel()->rowCount(), 0);
    // File ▸ Open is still there.
    bool openFound = false;
    for (auto* action : m_window->findChildren<QAction*>())
        openFound
            = openFound || (action->shortcut() == QKeySequence(QKeySequence::Open) && action->isEnabled());
    QVERIFY(openFound);
    // And a good store still opens afterwards.
    openSample(*m_window);
    QVERIFY(m_window->store());
}

void TestMainWindow::recentFilesKeepsTen()
{
    auto* recent = m_window->recentFiles();
    recent->clear();
    for (int i = 0; i < 12; ++i)
        recent->add(m_dir.filePath(QStringLiteral("store-%1.chronoscope").arg(i)));
    const auto files = recent->files();
    QCOMPARE(files.size(), RecentFiles::MaxFiles);
    QCOMPARE(QFileInfo(files.front()).fileName(), QStringLiteral("store-11.chronoscope"));
    recent->add(m_dir.filePath(QStringLiteral("store-5.chronoscope")));
    QCOMPARE(QFileInfo(recent->files().front()).fileName(), QStringLiteral("store-5.chronoscope"));
    QCOMPARE(recent->files().size(), RecentFiles::MaxFiles);
    QCOMPARE(recent->files().count(recent->files().front()), 1);

    const QString sample = QStringLiteral(CHRONOSCOPE_SAMPLE_STORE);
    if (QFileInfo::exists(sample)) {
        QVERIFY(m_window->openFile(sample));
        QCOMPARE(recent->files().front(), QFileInfo(sample).absoluteFilePath());
    }
}

void TestMainWindow::reClickingTheStreamAfterItsCategory()
{
    // Clicked the way a person does: a stream in the list, its category in the tree, the same
    // stream again (it stayed the list's current row, so the click changed nothing).
    openSample(*m_window);
    StreamBrowser* browser = m_window->browser();
    QTableView* list = browser->listView();
    QTreeView* tree = browser->treeView();
    const StreamId stream = cartStream();
    QVERIFY(m_window->selectStream(stream));
    QSignalSpy streams(browser, &StreamBrowser::streamSelected);
    QSignalSpy categories(browser, &StreamBrowser::categorySelected);
    const auto* treeModel = qobject_cast<const CategoryTreeModel*>(tree->model());
    QVERIFY(treeModel);
    const QModelIndex category = treeModel->categoryIndex(stream.category());
    QVERIFY(category.isValid());
    tree->scrollTo(category);
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(category).center());
    QCOMPARE(categories.size(), 1);
    QCOMPARE(m_window->eventModel()->stream(), std::nullopt); // the table shows the category
    QModelIndex row;
    for (int r = 0; r < list->model()->rowCount(); ++r) {
        if (list->model()->index(r, 0).data(StreamListModel::StreamIdRole).value<StreamId>() == stream)
            row = list->model()->index(r, 0);
    }
    QVERIFY(row.isValid());
    list->scrollTo(row);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(row).center());
    QCOMPARE(streams.size(), 1);
    QCOMPARE(m_window->eventModel()->stream(), std::optional<StreamId>(stream));
}

void TestMainWindow::readOnlySampleSavedAsAWritableCopy()
{
    const QString sample = QStringLiteral(CHRONOSCOPE_SAMPLE_STORE);
    if (!QFileInfo::exists(sample))
        QSKIP("the sample store is not built");
    const QString source = m_dir.filePath(QStringLiteral("bundled.chronoscope"));
    QFile::remove(source);
    QVERIFY(QFile::copy(sample, source));
    QFile::setPermissions(source, QFile::ReadOwner | QFile::WriteOwner);
    const QByteArray before = testsupport::fileHash(source);
    // Opened read-only, as the program opens the bundled sample: nothing can be published to it,
    // Publish offers a writable copy (tst_helpui clicks through it).
    QVERIFY2(m_window->openFile(source, true), qPrintable(m_window->lastError()));
    QVERIFY(m_window->store()->isReadOnly());
    QAction* publish = m_window->busController()->publishAction();
    QVERIFY(!m_window->busController()->runtime());
    QVERIFY(publish->isEnabled());
    QVERIFY2(publish->toolTip().contains(QStringLiteral("writable copy")), qPrintable(publish->toolTip()));
    auto* saveCopy = m_window->findChild<QAction*>(QStringLiteral("saveCopyAction"));
    QVERIFY(saveCopy);
    QVERIFY(saveCopy->isEnabled());
    const qint64 events = m_window->store()->summary().events;

    const QString copy = m_dir.filePath(QStringLiteral("my-shop.chronoscope"));
    QFile::remove(copy);
    QVERIFY2(m_window->saveCopy(copy), qPrintable(m_window->lastError()));
    QCOMPARE(m_window->storePath(), copy);
    QVERIFY(!m_window->store()->isReadOnly());
    QCOMPARE(m_window->store()->summary().events, events);
    QVERIFY(publish->isEnabled());
    QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("Saved a copy")));
    // Never over another file; the original is untouched.
    QVERIFY(!m_window->saveCopy(copy));
    QVERIFY2(
        m_window->lastError().contains(QStringLiteral("already exists")), qPrintable(m_window->lastError()));
    QCOMPARE(m_window->storePath(), copy);
    QCOMPARE(testsupport::fileHash(source), before);
    // A store other libraries wrote is not copied this way.
    const QString emmett
        = QStringLiteral(CHRONOSCOPE_SHARED_DIR "/fixtures/emmett-sqlite/emmett-store.sqlite");
    if (QFileInfo::exists(emmett)) {
        const QString foreign = m_dir.filePath(QStringLiteral("emmett.sqlite"));
        QFile::remove(foreign);
        QVERIFY(QFile::copy(emmett, foreign));
        QVERIFY(m_window->openFile(foreign));
        QVERIFY(!saveCopy->isEnabled());
        QVERIFY(!m_window->saveCopy(m_dir.filePath(QStringLiteral("emmett-copy.chronoscope"))));
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("emmett-copy.chronoscope"))));
    }
}

void TestMainWindow::theSampleOpensReadOnlyHoweverReached()
{
    const QString sample = QStringLiteral(CHRONOSCOPE_SAMPLE_STORE);
    if (!QFileInfo::exists(sample))
        QSKIP("the sample store is not built");
    const QString bundled = m_dir.filePath(QStringLiteral("shipped/sample.chronoscope"));
    QVERIFY(QDir().mkpath(QFileInfo(bundled).absolutePath()));
    QFile::remove(bundled);
    QVERIFY(QFile::copy(sample, bundled));
    QFile::setPermissions(bundled, QFile::ReadOwner | QFile::WriteOwner);
    const QByteArray before = testsupport::fileHash(bundled);
    const QString previousSample = m_window->samplePath();
    m_window->setSamplePath(bundled);
    const auto restore = qScopeGuard([&] { m_window->setSamplePath(previousSample); });

    // Through Open Recent, the way a person gets back to it after opening something else.
    m_window->recentFiles()->add(bundled);
    QMenu* recentMenu = nullptr;
    for (QMenu* menu : m_window->findChildren<QMenu*>())
        if (menu->title() == QStringLiteral("Open &Recent"))
            recentMenu = menu;
    QVERIFY(recentMenu);
    QAction* entry = nullptr;
    for (QAction* action : recentMenu->actions())
        if (action->data().toString() == bundled)
            entry = action;
    QVERIFY(entry);
    entry->trigger();
    QCOMPARE(m_window->storePath(), bundled);
    QVERIFY(m_window->store()->isReadOnly());
    auto* badge = m_window->findChild<QLabel*>(QStringLiteral("modeBadge"));
    QVERIFY(badge);
    QCOMPARE(badge->text(), QStringLiteral("Read-only"));

    // By another name for the same file (a link), asked for read-write.
    const QString link = m_dir.filePath(QStringLiteral("link-to-sample.chronoscope"));
    QFile::remove(link);
    QVERIFY(QFile::link(bundled, link));
    QVERIFY2(m_window->openFile(link, false), qPrintable(m_window->lastError()));
    QVERIFY(m_window->store()->isReadOnly());

    // A hard link to it, too.
    const QString hard = m_dir.filePath(QStringLiteral("hard-link-to-sample.chronoscope"));
    QFile::remove(hard);
    if (::link(QFile::encodeName(bundled).constData(), QFile::encodeName(hard).constData()) == 0) {
        QVERIFY2(m_window->openFile(hard, false), qPrintable(m_window->lastError()));
        QVERIFY(m_window->store()->isReadOnly());
    }

    // A copy of it is another file: it opens read-write.
    const QString copy = m_dir.filePath(QStringLiteral("copy-of-sample.chronoscope"));
    QFile::remove(copy);
    QVERIFY(QFile::copy(bundled, copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    QVERIFY2(m_window->openFile(copy), qPrintable(m_window->lastError()));
    QVERIFY(!m_window->store()->isReadOnly());
    QCOMPARE(badge->text(), QStringLiteral("Read-write"));
    QCOMPARE(testsupport::fileHash(bundled), before);
}

void TestMainWindow::longIdsElideInTheMiddleAndCopy()
{
    openSample(*m_window);
    StreamBrowser* browser = m_window->browser();
    QCOMPARE(browser->listView()->textElideMode(), Qt::ElideMiddle);
    QCOMPARE(browser->treeView()->textElideMode(), Qt::ElideMiddle);
    QAction* copy = browser->copyIdAction();
    QVERIFY(!copy->isEnabled()); // "All streams" is selected: no stream to copy
    const StreamId stream = cartStream();
    QVERIFY(m_window->selectStream(stream));
    QVERIFY(copy->isEnabled());
    // In both views' context menus, and Ctrl+C there.
    QVERIFY(browser->listView()->actions().contains(copy));
    QVERIFY(browser->treeView()->actions().contains(copy));
    QCOMPARE(browser->listView()->contextMenuPolicy(), Qt::ActionsContextMenu);
    QGuiApplication::clipboard()->clear();
    m_window->activateWindow();
    QTRY_VERIFY(m_window->isActiveWindow());
    browser->listView()->setFocus();
    QTRY_VERIFY(browser->listView()->hasFocus());
    QTest::keyClick(browser->listView(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), stream.toString());
    // The tooltip holds the whole id; a hostile one is cut to its start and length.
    const QModelIndex row = browser->listView()->currentIndex();
    QCOMPARE(row.data(Qt::ToolTipRole).toString().remove(QChar(0x200B)), stream.toString());
    const QString huge = idToolTip(QString(10000, QLatin1Char('x')));
    QVERIFY(huge.size() < 800);
    QVERIFY2(huge.contains(QStringLiteral("10,000 characters")), qPrintable(huge.right(60)));
    // The event table's stream column elides in the middle too, with the id as its tooltip.
    m_window->selectAllStreams();
    QVERIFY(qobject_cast<MiddleElideDelegate*>(
        m_window->eventView()->itemDelegateForColumn(EventTableModel::StreamColumn)));
    const QModelIndex first = m_window->eventView()->model()->index(0, EventTableModel::StreamColumn);
    QCOMPARE(first.data(Qt::ToolTipRole).toString().remove(QChar(0x200B)), first.data().toString());
}

void TestMainWindow::layoutIsSavedAndRestored()
{
    auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("inspectorDock"));
    QVERIFY(dock);
    dock->hide();
    m_window->saveLayout();
    MainWindow other;
    other.restoreLayout();
    auto* otherDock = other.findChild<QDockWidget*>(QStringLiteral("inspectorDock"));
    QVERIFY(otherDock);
    QVERIFY(otherDock->isHidden());
    dock->show();
    m_window->saveLayout();
}

void TestMainWindow::endKeysReachTheLastEvent()
{
    openSample(*m_window);
    m_window->selectAllStreams();
    auto* view = m_window->eventView();
    auto* model = m_window->eventModel();
    const auto summary = m_window->store()->summary();
    view->setFocus();
    view->selectRow(0);
    // One keystroke: Ctrl+End goes to the last event of the store, whatever its size.
    QTest::keyClick(view, Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(view->currentIndex().row(), model->rowCount() - 1);
    QCOMPARE(model->eventAt(view->currentIndex().row()).position, summary.lastPosition);
    QCOMPARE(m_window->inspector()->event()->position, summary.lastPosition);
    QTest::keyClick(view, Qt::Key_Home, Qt::ControlModifier);
    QCOMPARE(view->currentIndex().row(), 0);
    QTest::keyClick(view, Qt::Key_PageDown);
    QVERIFY(view->currentIndex().row() > 5);
    QCOMPARE(model->eventAt(view->currentIndex().row()).position.value, view->currentIndex().row() + 1);
    QVERIFY(model->loadedRowCount() <= 3 * 256); // only the pages shown were read
}

void TestMainWindow::goToPositionVersionAndTime()
{
    openSample(*m_window);
    m_window->selectAllStreams();
    auto* edit = m_window->jumpBar()->edit();
    auto* view = m_window->eventView();
    auto* model = m_window->eventModel();
    // Ctrl+G (View > Go to…) puts the cursor in the box.
    m_window->findChild<QAction*>(QStringLiteral("goToAction"))->trigger();
    QTRY_VERIFY(edit->hasFocus());
    QTest::keyClicks(edit, QStringLiteral("1500"));
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(model->eventAt(view->currentIndex().row()).position.value, 1500);
    QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("position 1500")));

    // A time: the first event at or after it.
    const auto target = m_window->store()->readAt(Position(2000));
    QVERIFY(m_window->jumpBar()->jumpTo(formatTimestamp(target->timestampMs)));
    const auto found = model->eventAt(view->currentIndex().row());
    QVERIFY(found.timestampMs >= target->timestampMs);
    QVERIFY(found.position <= target->position);

    // In a stream, a number is a version; p is a position.
    const StreamId stream = cartStream();
    QVERIFY(m_window->selectStream(stream));
    QVERIFY(m_window->jumpBar()->jumpTo(QStringLiteral("3")));
    QCOMPARE(model->eventAt(view->currentIndex().row()).version.value, 3);
    const auto fourth = m_window->store()->readStream(stream, Version(4), 1).front();
    QVERIFY(m_window->jumpBar()->jumpTo(QStringLiteral("p%1").arg(fourth.position.value)));
    QCOMPARE(model->eventAt(view->currentIndex().row()).version.value, 4);

    // Bad input and what is not there: said, nothing moves.
    const int row = view->currentIndex().row();
    QVERIFY(!m_window->jumpBar()->jumpTo(QStringLiteral("yesterday-ish")));
    QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("is not a position")));
    QVERIFY(!m_window->jumpBar()->jumpTo(QStringLiteral("v999999")));
    QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("There is no version 999999")));
    QCOMPARE(view->currentIndex().row(), row);
}

void TestMainWindow::newestFirstTurnsTheRowsOver()
{
    openSample(*m_window);
    m_window->selectAllStreams();
    auto* view = m_window->eventView();
    auto* model = m_window->eventModel();
    const auto last = m_window->store()->summary().lastPosition;
    view->selectRow(9);
    QCOMPARE(model->eventAt(9).position.value, 10);
    QTest::mouseClick(m_window->jumpBar()->newestFirstButton(), Qt::LeftButton);
    QVERIFY(model->newestFirst());
    QVERIFY(m_window->findChild<QAction*>(QStringLiteral("newestFirstAction"))->isChecked());
    QCOMPARE(model->eventAt(0).position, last);
    QCOMPARE(model->index(0, EventTableModel::PositionColumn).data().toLongLong(), last.value);
    // The selected event stays selected.
    QCOMPARE(model->eventAt(view->currentIndex().row()).position.value, 10);
    // Back through the View menu.
    m_window->findChild<QAction*>(QStringLiteral("newestFirstAction"))->trigger();
    QVERIFY(!model->newestFirst());
    QCOMPARE(model->eventAt(0).position.value, 1);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
