// The Story dock, offscreen on a copy of the sample store: Show Story from the event table's
// context menu (a real right-click), the Event panel, the bus monitor and the dead letters;
// Export Given/When/Then of selected rows (the file written runs and passes); the tree and the lanes hold the
// story core finds, a click in the lanes selects in the tree, a double-click shows the event in the table,
// Cancel stops a search, and an event without a correlation id says so.
#include "bus/buscontroller.h"
#include "bus/busmonitor.h"
#include "bus/busruntime.h"
#include "bus/deadlettermodel.h"
#include "bus/deadletterpanel.h"
#include "bus/publishdialog.h"
#include "spec/givenwhenthen.h"
#include "store/memoryeventstore.h"
#include "story/story.h"
#include "story/storydeliveries.h"
#include "story/storyfeature.h"
#include "story/storylanes.h"
#include "story/storypanel.h"
#include "streams/eventinspector.h"
#include "streams/eventtablemodel.h"
#include "support/filedialog.h"
#include "support/testsupport.h"
#include "widgets/jsonedit.h"
#include "window/mainwindow.h"
#include "window/workspaces.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QContextMenuEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <memory>

using namespace chronoscope;

class TestStoryUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void showStoryFromTheContextMenu();
    void lanesAndTreeFollowEachOther();
    void cancelStopsTheSearch();
    void anEventWithoutCorrelationSaysSo();
    void showStoryFromTheEventPanelMonitorAndDeadLetters();
    void exportGivenWhenThenOfSelectedRows();
    void theBusSideOfAStory();

private:
    bool rightClickAndTrigger(int row, const QString& actionName);
    bool triggerInMenu(QAbstractItemView* view, int row, const QString& actionName);

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_window;
};

void TestStoryUi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_storyui"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    m_path = m_dir.filePath(QStringLiteral("story.chronoscope"));
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), m_path));
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void TestStoryUi::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->resize(1366, 768);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY2(m_window->openFile(m_path), qPrintable(m_window->lastError()));
}

void TestStoryUi::cleanup()
{
    m_window.reset();
}

bool TestStoryUi::rightClickAndTrigger(int row, const QString& actionName)
{
    return triggerInMenu(m_window->eventView(), row, actionName);
}

bool TestStoryUi::triggerInMenu(QAbstractItemView* view, int row, const QString& actionName)
{
    const QPoint at = view->visualRect(view->model()->index(row, 0)).center();
    bool triggered = false;
    QTimer poll;
    poll.setInterval(10);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu)
            return;
        for (QAction* action : menu->actions()) {
            if (action->objectName() == actionName) {
                menu->close();
                action->trigger();
                triggered = true;
                break;
            }
        }
        if (menu->isVisible())
            menu->close();
    });
    poll.start();
    QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
    QApplication::sendEvent(view->viewport(), &event);
    for (int i = 0; i < 200 && QApplication::activePopupWidget(); ++i)
        QTest::qWait(10);
    return triggered && !QApplication::activePopupWidget();
}

void TestStoryUi::showStoryFromTheContextMenu()
{
    QVERIFY(m_window->selectStream(StreamId(QStringLiteral("order-1"))));
    QTRY_VERIFY(m_window->eventView()->model()->rowCount() >= 1);
    const RecordedEvent placed
        = m_window->eventView()->model()->index(0, 0).data(EventTableModel::EventRole).value<RecordedEvent>();
    QCOMPARE(placed.type, QStringLiteral("OrderPlaced"));
    StoryPanel* panel = m_window->storyFeature()->panel();
    QSignalSpy shown(panel, &StoryPanel::storyShown);
    QVERIFY(rightClickAndTrigger(0, QStringLiteral("showStoryAction")));
    QTRY_VERIFY(!shown.isEmpty());
    // The dock is in front, in the Explore workspace.
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("explore"));
    QVERIFY(m_window->findChild<QDockWidget*>(QStringLiteral("storyDock"))->isVisible());
    // What core finds for the same event, shown whole.
    const Story expected = storyOf(*m_window->store(), placed);
    const Story* story = panel->story();
    QVERIFY(story);
    QCOMPARE(story->events.size(), expected.events.size());
    QVERIFY(story->events.size() >= 5);
    int items = 0;
    for (QTreeWidgetItemIterator it(panel->tree()); *it; ++it)
        ++items;
    QCOMPARE(size_t(items), expected.events.size());
    QCOMPARE(panel->tree()->topLevelItemCount(), int(expected.roots.size()));
    QVERIFY2(panel->summaryText().contains(QStringLiteral("%1 event(s)").arg(expected.events.size())),
        qPrintable(panel->summaryText()));
    QVERIFY(panel->lanes()->lanes().contains(QStringLiteral("cart-1")));
    QVERIFY(panel->lanes()->lanes().contains(QStringLiteral("order-1")));
    // The event asked about is the current one.
    QTreeWidgetItem* current = panel->tree()->currentItem();
    QVERIFY(current);
    QCOMPARE(current->text(0), QStringLiteral("OrderPlaced"));
    QCOMPARE(current->text(3), QString::number(placed.position.value));
    // The lanes are drawn: the current node in the highlight colour.
    const QRect node = panel->lanes()->nodeRect(panel->lanes()->selected());
    QVERIFY(!node.isEmpty());
    const QImage picture = panel->lanes()->grab().toImage();
    QCOMPARE(picture.pixelColor(node.left() + 3, node.center().y()),
        panel->lanes()->palette().color(QPalette::Highlight));
}

void TestStoryUi::lanesAndTreeFollowEachOther()
{
    QVERIFY(m_window->selectStream(StreamId(QStringLiteral("order-1"))));
    QTRY_VERIFY(m_window->eventView()->model()->rowCount() >= 1);
    StoryPanel* panel = m_window->storyFeature()->panel();
    QSignalSpy shown(panel, &StoryPanel::storyShown);
    QVERIFY(rightClickAndTrigger(0, QStringLiteral("showStoryAction")));
    QTRY_VERIFY(!shown.isEmpty());
    // A click on the first event's box in the lanes makes it current in the tree.
    StoryLanes* lanes = panel->lanes();
    const QRect first = lanes->nodeRect(0);
    QTest::mouseClick(lanes, Qt::LeftButton, {}, first.center());
    QCOMPARE(lanes->selected(), 0);
    QCOMPARE(panel->tree()->currentItem()->text(3),
        QString::number(panel->story()->events.front().position.value));
    // A double-click in the tree shows that event in the table (its stream, its row).
    const RecordedEvent target = panel->story()->events.front();
    QTreeWidgetItem* item = panel->tree()->currentItem();
    panel->tree()->scrollToItem(item);
    const QRect rect = panel->tree()->visualItemRect(item);
    QSignalSpy activated(panel, &StoryPanel::eventActivated);
    const QPoint on(rect.left() + 8, rect.center().y());
    QTest::mouseClick(panel->tree()->viewport(), Qt::LeftButton, {}, on);
    QTest::mouseDClick(panel->tree()->viewport(), Qt::LeftButton, {}, on);
    QVERIFY2(!activated.isEmpty(),
        qPrintable(QStringLiteral("item at %1,%2 %3x%4 in a tree %5x%6 visible %7")
                       .arg(rect.x())
                       .arg(rect.y())
                       .arg(rect.width())
                       .arg(rect.height())
                       .arg(panel->tree()->width())
                       .arg(panel->tree()->height())
                       .arg(panel->tree()->isVisible())));
    QTRY_COMPARE(m_window->eventModel()->stream(), std::optional<StreamId>(target.stream));
    const QModelIndex row = m_window->eventView()->currentIndex();
    QVERIFY(row.isValid());
    QCOMPARE(row.data(EventTableModel::EventRole).value<RecordedEvent>().position, target.position);
}

void TestStoryUi::cancelStopsTheSearch()
{
    StoryPanel* panel = m_window->storyFeature()->panel();
    QSignalSpy shown(panel, &StoryPanel::storyShown);
    panel->showCorrelation(QStringLiteral("no-such-story"));
    QVERIFY(panel->isSearching());
    QVERIFY(panel->cancelButton()->isVisible() || !panel->isVisible());
    QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
    QVERIFY(!panel->isSearching());
    QVERIFY2(panel->summaryText().startsWith(QStringLiteral("Cancelled")), qPrintable(panel->summaryText()));
    QTest::qWait(300);
    QVERIFY(shown.isEmpty()); // the dropped search shows nothing
    // Run to the end: a correlation nobody has is said so.
    QSignalSpy failed(panel, &StoryPanel::storyFailed);
    panel->showCorrelation(QStringLiteral("no-such-story"));
    QTRY_VERIFY(!failed.isEmpty());
    QVERIFY2(panel->summaryText().contains(QStringLiteral("No event has the correlation id no-such-story")),
        qPrintable(panel->summaryText()));
}

void TestStoryUi::anEventWithoutCorrelationSaysSo()
{
    auto memory = std::make_shared<MemoryEventStore>();
    EventData plain;
    plain.type = QStringLiteral("NoteAdded");
    plain.data = "{}";
    memory->append(StreamId(QStringLiteral("note-1")), {plain}, ExpectedVersion::any());
    StoryPanel panel;
    panel.setStore(memory);
    QSignalSpy failed(&panel, &StoryPanel::storyFailed);
    panel.showStoryOf(*memory->readAt(Position(1)));
    QCOMPARE(failed.size(), 1);
    QVERIFY2(panel.summaryText().contains(QStringLiteral("has no correlation id")),
        qPrintable(panel.summaryText()));
    QVERIFY(!panel.story());
    // No store: said, nothing started.
    panel.setStore(nullptr);
    panel.showCorrelation(QStringLiteral("x"));
    QVERIFY(!panel.isSearching());
    QVERIFY(panel.summaryText().contains(QStringLiteral("Open a store")));
}

void TestStoryUi::showStoryFromTheEventPanelMonitorAndDeadLetters()
{
    StoryPanel* panel = m_window->storyFeature()->panel();
    // The Event panel's button.
    QVERIFY(m_window->selectStream(StreamId(QStringLiteral("order-1"))));
    QTRY_VERIFY(m_window->eventView()->model()->rowCount() >= 1);
    m_window->eventView()->selectRow(0);
    QTRY_VERIFY(m_window->inspector()->event().has_value());
    QSignalSpy shown(panel, &StoryPanel::storyShown);
    QTest::mouseClick(m_window->inspector()->storyButton(), Qt::LeftButton);
    QTRY_VERIFY(!shown.isEmpty());
    QCOMPARE(panel->story()->correlationId, storyIds(*m_window->inspector()->event()).correlationId);

    // A dead letter of that event: its row's context menu.
    BusController* bus = m_window->busController();
    QVERIFY(bus->runtime());
    bus->runtime()->bus().deadLetters().park(*m_window->inspector()->event(),
        QStringLiteral("confirmation-email"), QStringLiteral("mail server down"), 3, 1000, 2000);
    DeadLetterPanel* letters = bus->deadLetters();
    letters->refresh();
    m_window->raiseDock(QStringLiteral("deadLettersDock"));
    QTRY_VERIFY(letters->view()->isVisible() && letters->view()->model()->rowCount() == 1);
    shown.clear();
    QVERIFY(triggerInMenu(letters->view(), 0, QStringLiteral("showStoryAction")));
    QTRY_VERIFY(!shown.isEmpty());
    QCOMPARE(panel->story()->events.size(),
        storyOf(*m_window->store(), *m_window->inspector()->event()).events.size());

    // A row of the bus monitor after a command: the story of what it stored.
    PublishDialog* dialog = bus->publishDialog();
    QVERIFY(dialog);
    dialog->setMode(PublishDialog::Mode::Command);
    dialog->setStream(QStringLiteral("cart-950"));
    QVERIFY(dialog->setCommandType(QStringLiteral("OpenCart")));
    dialog->commandData()->setText(QStringLiteral("{\"customerId\": \"C77\"}"));
    QTest::mouseClick(dialog->publishButton(), Qt::LeftButton);
    QVERIFY(dialog->lastOutcome() && dialog->lastOutcome()->ok());
    dialog->close();
    m_window->raiseDock(QStringLiteral("busMonitorDock"));
    QTableView* log = bus->monitor()->logView();
    QTRY_VERIFY(log->isVisible() && log->model()->rowCount() >= 1);
    shown.clear();
    QVERIFY(triggerInMenu(log, 0, QStringLiteral("showStoryAction")));
    QTRY_VERIFY(!shown.isEmpty());
    QCOMPARE(panel->story()->events.front().stream.toString(), QStringLiteral("cart-950"));
    QCOMPARE(panel->story()->events.front().type, QStringLiteral("CartOpened"));
}

void TestStoryUi::exportGivenWhenThenOfSelectedRows()
{
    QVERIFY(m_window->selectStream(StreamId(QStringLiteral("order-1"))));
    QTRY_VERIFY(m_window->eventView()->model()->rowCount() >= 3);
    QTableView* view = m_window->eventView();
    view->selectionModel()->select(
        view->model()->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    view->selectionModel()->select(
        view->model()->index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    for (const char* name : {"order-1.spec.json", "tst_shopspec.cpp"}) {
        const QString file = m_dir.filePath(QLatin1String(name));
        QFile::remove(file);
        // The save dialog the action opens: the name typed, Save pressed.
        const auto answer = testsupport::answerNextFileDialog(file);
        QVERIFY(triggerInMenu(view, 0, QStringLiteral("exportSpecAction")));
        QTRY_VERIFY(QFileInfo::exists(file));
        QVERIFY2(m_window->statusBar()->currentMessage().startsWith(QStringLiteral("Wrote 2 case(s)")),
            qPrintable(m_window->statusBar()->currentMessage()));
        const QByteArray text = testsupport::readFile(file);
        if (QByteArray(name).endsWith(".cpp")) {
            QVERIFY(text.contains("QTEST_MAIN(TestShopSpec)"));
            continue;
        }
        const spec::Spec written = spec::parseSpec(text);
        QCOMPARE(written.cases.size(), size_t(2));
        QCOMPARE(written.cases[0].whenType, QStringLiteral("PlaceOrder"));
        for (const spec::SpecCase& c : written.cases)
            QVERIFY2(spec::runCase(c).passed, qPrintable(c.name));
    }
}

void TestStoryUi::theBusSideOfAStory()
{
    // The e-mail service down: OrderPlaced's e-mail is tried three times and dead-lettered.
    BusController* bus = m_window->busController();
    QVERIFY(bus->runtime());
    auto* email = m_window->findChild<QCheckBox*>(QStringLiteral("outage-email-box"));
    QVERIFY(email);
    m_window->raiseDock(QStringLiteral("consumersDock"));
    QTest::mouseClick(email, Qt::LeftButton);
    QVERIFY(email->isChecked());
    const PublishOutcome outcome = bus->runtime()->publisher().execute(
        QByteArrayLiteral(R"({"type":"PlaceOrder","stream":"order-950","data":{"cartId":"cart-216"}})"));
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    DeadLetterPanel* letters = bus->deadLetters();
    QTRY_VERIFY_WITH_TIMEOUT(letters->model()->rowCount() >= 1, 15000);
    StoryPanel* panel = m_window->storyFeature()->panel();
    QSignalSpy shown(panel, &StoryPanel::storyShown);
    m_window->storyFeature()->showStoryOf(outcome.events.front());
    QTRY_VERIFY(!shown.isEmpty());
    StoryDeliveries* deliveries = panel->deliveries();
    QTRY_VERIFY(deliveries->counts().deadLettered == 1);
    QCOMPARE(deliveries->counts().retries, 2);    // attempts 1 and 2 failed and were tried again
    QVERIFY(deliveries->counts().delivered >= 1); // the inventory took it
    QCOMPARE(panel->views()->tabText(1), QStringLiteral("Bus (%1)").arg(deliveries->counts().entries));
    bool parked = false;
    bool reserved = false;
    for (int i = 0; i < deliveries->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = deliveries->topLevelItem(i);
        reserved = reserved
            || (item->text(3) == QStringLiteral("inventory-reservation")
                && item->text(4) == QStringLiteral("delivered"));
        if (item->text(4) == QStringLiteral("dead-lettered")) {
            parked = true;
            QCOMPARE(item->text(1), QStringLiteral("OrderPlaced"));
            QCOMPARE(item->text(3), QStringLiteral("confirmation-email"));
            QCOMPARE(item->text(5), QStringLiteral("3"));
            QVERIFY(!item->toolTip(4).isEmpty()); // the error
        }
    }
    QVERIFY(parked);
    QVERIFY(reserved);
    // The Bus tab, clicked, shows them.
    QTabBar* tabs = panel->views()->tabBar();
    m_window->raiseDock(QStringLiteral("storyDock"));
    QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(1).center());
    QCOMPARE(panel->views()->currentWidget(), deliveries);
    // Another story: only its own deliveries (none for a cart event nobody consumes).
    QVERIFY(m_window->selectStream(StreamId(QStringLiteral("cart-1"))));
    const auto cart = m_window->store()->readStream(StreamId(QStringLiteral("cart-1")), Version(1), 1);
    shown.clear();
    m_window->storyFeature()->showStoryOf(cart.front());
    QTRY_VERIFY(!shown.isEmpty());
    QTRY_COMPARE(deliveries->counts().entries, 0);
    QCOMPARE(panel->views()->tabText(1), QStringLiteral("Bus"));
    QTest::mouseClick(email, Qt::LeftButton);
}

QTEST_MAIN(TestStoryUi)
#include "tst_storyui.moc"
