// The Story dock, offscreen on a copy of the sample store: Show Story from the event table's
// context menu (a real right-click), the tree and the lanes hold the story core finds, a click
// in the lanes selects in the tree, a double-click shows the event in the table, Cancel stops a
// search, and an event without a correlation id says so.
#include "store/memoryeventstore.h"
#include "story/story.h"
#include "story/storyfeature.h"
#include "story/storylanes.h"
#include "story/storypanel.h"
#include "streams/eventtablemodel.h"
#include "support/testsupport.h"
#include "window/mainwindow.h"
#include "window/workspaces.h"

#include <QAction>
#include <QApplication>
#include <QContextMenuEvent>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
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

private:
    bool rightClickAndTrigger(int row, const QString& actionName);

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
    QTableView* view = m_window->eventView();
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

QTEST_MAIN(TestStoryUi)
#include "tst_storyui.moc"
