// The window's layout on a real screen size, offscreen: the suite runs three times, on a
// 1366x768, a 1600x1000 and a 1920x1080 screen (the offscreen platform's configfile, see
// tests/CMakeLists.txt). One window lives through the journeys a newcomer takes — explore a
// stream, a long stream id, time travel, publishing, a dead letter, projections and charts,
// upcasters — switching workspaces the way a person does (mode bar, Ctrl+1..5, menus). After
// each: no two visible docks overlap, none covers the event table or the mode bar, none has
// collapsed, and the window fits in its screen's available geometry.
#include "bus/buscontroller.h"
#include "bus/consumerspanel.h"
#include "bus/deadlettermodel.h"
#include "bus/deadletterpanel.h"
#include "bus/publishdialog.h"
#include "projections/projectionset.h"
#include "projections/projectionspanel.h"
#include "store/storefactory.h"
#include "streams/eventtablemodel.h"
#include "support/testsupport.h"
#include "timetravel/statepanel.h"
#include "widgets/jsonedit.h"
#include "window/mainwindow.h"
#include "window/workspaces.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QMenuBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSlider>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>

using namespace chronoscope;
using nlohmann::json;

namespace {

QString rect(const QRect& r)
{
    return QStringLiteral("%1x%2+%3+%4").arg(r.width()).arg(r.height()).arg(r.x()).arg(r.y());
}

QList<QDockWidget*> shownDocks(const QMainWindow& window)
{
    QList<QDockWidget*> shown;
    for (QDockWidget* dock : window.findChildren<QDockWidget*>(QString(), Qt::FindDirectChildrenOnly)) {
        if (dock->isVisible() && !dock->isFloating() && !dock->visibleRegion().isEmpty())
            shown << dock;
    }
    return shown;
}

} // namespace

class TestLayouts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void opensOnTheScreenItWasGiven();
    void exploreAStream();
    void aLongStreamIdSqueezesNothing();
    void timeTravelByShortcut();
    void publishingShowsTheBus();
    void aDeadLetter();
    void projectionsAndCharts();
    void upcastersAndSchemas();
    void everyWorkspaceFromTheModeBar();
    void aWorkspaceIsRememberedAndReset();
    void resetLayoutForgetsEveryWorkspace();

private:
    /// The invariants, with `step` named in every failure.
    void checkTidy(const char* step);
    void activate(const QString& id);
    QDockWidget* dock(const char* name) const
    {
        return m_window->findChild<QDockWidget*>(QLatin1String(name));
    }
    PublishOutcome command(const QString& stream, const QString& type, const json& data);

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_window;
    QSize m_firstSize;
};

void TestLayouts::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_layouts"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    m_path = m_dir.filePath(QStringLiteral("shop.chronoscope"));
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), m_path));
    QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY2(m_window->openFile(m_path), qPrintable(m_window->lastError()));
    m_firstSize = m_window->size();
}

void TestLayouts::cleanupTestCase()
{
    m_window.reset();
}

void TestLayouts::checkTidy(const char* step)
{
    for (int i = 0; i < 3; ++i) {
        QApplication::processEvents();
        QTest::qWait(20);
    }
    const QScreen* screen = m_window->screen();
    QVERIFY(screen);
    const QRect available = screen->availableGeometry();
    if (!available.contains(m_window->frameGeometry())) {
        // Who asks for the room: every part's minimum size.
        QStringList parts;
        for (QDockWidget* d : m_window->findChildren<QDockWidget*>(QString(), Qt::FindDirectChildrenOnly))
            if (d->isVisible())
                parts << QStringLiteral("%1 %2x%3")
                             .arg(d->objectName())
                             .arg(d->minimumSizeHint().width())
                             .arg(d->minimumSizeHint().height());
        for (QWidget* w : std::initializer_list<QWidget*> {m_window->centralWidget(), m_window->statusBar(),
                 m_window->menuBar(), m_window->workspaces()->modeBar()})
            parts << QStringLiteral("%1 %2x%3")
                         .arg(QLatin1String(w->metaObject()->className()))
                         .arg(w->minimumSizeHint().width())
                         .arg(w->minimumSizeHint().height());
        QFAIL(qPrintable(QStringLiteral("%1: the window %2 is not inside the screen's %3; minimum sizes: %4")
                             .arg(QLatin1String(step), rect(m_window->frameGeometry()), rect(available),
                                 parts.join(QStringLiteral(", ")))));
    }
    QCOMPARE(m_window->size(), m_firstSize); // it never grew (nor shrank) by itself

    const QList<QDockWidget*> docks = shownDocks(*m_window);
    QVERIFY2(!docks.isEmpty(), step);
    QWidget* central = m_window->centralWidget();
    QToolBar* modeBar = m_window->workspaces()->modeBar();
    QVERIFY2(central->width() >= 240 && central->height() >= 140,
        qPrintable(QStringLiteral("%1: the event table has collapsed to %2")
                       .arg(QLatin1String(step), rect(central->geometry()))));
    QVERIFY2(modeBar->isVisible(), step);
    const QRect inside = m_window->rect();
    for (int i = 0; i < docks.size(); ++i) {
        QDockWidget* a = docks[i];
        const QRect ga = a->geometry();
        const QString name = a->objectName();
        QVERIFY2(inside.contains(ga),
            qPrintable(QStringLiteral("%1: %2 %3 is outside the window %4")
                           .arg(QLatin1String(step), name, rect(ga), rect(inside))));
        QVERIFY2(ga.width() >= 180 && ga.height() >= 110,
            qPrintable(
                QStringLiteral("%1: %2 has collapsed to %3").arg(QLatin1String(step), name, rect(ga))));
        for (QWidget* other :
            std::initializer_list<QWidget*> {central, modeBar, m_window->statusBar(), m_window->menuBar()}) {
            QVERIFY2(!ga.intersects(other->geometry()),
                qPrintable(
                    QStringLiteral("%1: %2 %3 is drawn over %4 %5")
                        .arg(QLatin1String(step), name, rect(ga),
                            QLatin1String(other->metaObject()->className()), rect(other->geometry()))));
        }
        for (int j = i + 1; j < docks.size(); ++j) {
            QVERIFY2(!ga.intersects(docks[j]->geometry()),
                qPrintable(QStringLiteral("%1: %2 %3 and %4 %5 overlap")
                               .arg(QLatin1String(step), name, rect(ga), docks[j]->objectName(),
                                   rect(docks[j]->geometry()))));
        }
    }
    // The streams list keeps room for category names (it was squeezed to "i…").
    QDockWidget* streams = dock("streamsDock");
    if (docks.contains(streams))
        QVERIFY2(streams->width() >= 230,
            qPrintable(QStringLiteral("%1: the streams dock is %2 wide")
                           .arg(QLatin1String(step))
                           .arg(streams->width())));
}

void TestLayouts::activate(const QString& id)
{
    QAction* action = m_window->workspaces()->actionFor(id);
    QVERIFY(action);
    action->trigger();
    QCOMPARE(m_window->workspaces()->current(), id);
    QVERIFY(action->isChecked());
}

PublishOutcome TestLayouts::command(const QString& stream, const QString& type, const json& data)
{
    PublishDialog* dialog = m_window->busController()->publishDialog();
    dialog->setMode(PublishDialog::Mode::Command);
    dialog->setStream(stream);
    dialog->setCommandType(type);
    dialog->commandData()->setText(QString::fromStdString(data.dump(2)));
    dialog->setExpectation(PublishDialog::Expectation::Any);
    QTest::mouseClick(dialog->publishButton(), Qt::LeftButton);
    if (dialog->lastOutcome())
        return *dialog->lastOutcome();
    PublishOutcome none;
    none.kind = PublishOutcome::Kind::Invalid;
    return none;
}

void TestLayouts::opensOnTheScreenItWasGiven()
{
    // The suite must run on the screen its CMake entry names, not the offscreen default 800x600.
    const QString expected = qEnvironmentVariable("CHRONOSCOPE_EXPECT_SCREEN");
    if (!expected.isEmpty()) {
        const QSize size = m_window->screen()->geometry().size();
        QCOMPARE(QStringLiteral("%1x%2").arg(size.width()).arg(size.height()), expected);
    }
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("explore"));
    checkTidy("open");
}

void TestLayouts::exploreAStream()
{
    const auto carts = m_window->store()->streams(QStringLiteral("cart-"));
    QVERIFY(!carts.empty());
    QVERIFY(m_window->selectStream(carts.front().stream));
    m_window->eventView()->selectRow(0);
    QVERIFY(dock("inspectorDock")->isVisible());
    checkTidy("explore a stream");
}

void TestLayouts::aLongStreamIdSqueezesNothing()
{
    // An Emmett-style id and a hostile 10,000-character one, appended by another writer.
    const int streamsWidth = dock("streamsDock")->width();
    const QString emmett
        = QStringLiteral("emmett:shopping_cart-0b9c1f5e-3f4a-4d3b-9c1e-5e7a8b9c0d1e-client-42");
    const QString huge = QStringLiteral("cart-") + QString(10000, QLatin1Char('x'));
    {
        auto writer = openStore(m_path);
        for (const QString& id : {emmett, huge})
            writer->append(StreamId(id),
                {chronoscope::testing::makeEvent(
                    QStringLiteral("CartOpened"), QByteArrayLiteral("{\"customerId\":\"C1\"}"))},
                ExpectedVersion::any());
    }
    m_window->selectAllStreams();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->selectStream(StreamId(emmett)), 5000);
    m_window->eventView()->selectRow(0);
    checkTidy("a long Emmett stream id");
    QVERIFY(m_window->selectStream(StreamId(huge)));
    m_window->eventView()->selectRow(0);
    checkTidy("a 10,000-character stream id");
    QCOMPARE(dock("streamsDock")->width(), streamsWidth);
}

void TestLayouts::timeTravelByShortcut()
{
    const auto carts = m_window->store()->streams(QStringLiteral("cart-"));
    StreamId longest = carts.front().stream;
    qint64 most = 0;
    for (const auto& info : carts) {
        if (info.events > most) {
            most = info.events;
            longest = info.stream;
        }
    }
    QVERIFY(m_window->selectStream(longest));
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("timetravel"));
    QVERIFY(dock("stateDock")->isVisible());
    QVERIFY(!dock("diffDock")->visibleRegion().isEmpty()); // the diff is the raised tab
    QSlider* slider = m_window->statePanel()->slider();
    slider->setValue(std::max(1, slider->maximum() / 2));
    checkTidy("time travel: the slider moved");
    // The state tree shows more than a handful of rows.
    QVERIFY2(dock("stateDock")->height() >= 220, qPrintable(QString::number(dock("stateDock")->height())));
}

void TestLayouts::publishingShowsTheBus()
{
    QTest::keyClick(m_window.get(), Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("explore"));
    m_window->busController()->publishAction()->trigger();
    QVERIFY(m_window->busController()->publishDialog());
    QVERIFY(
        command(QStringLiteral("inventory-KTL01"), QStringLiteral("ReceiveStock"), {{"quantity", 10}}).ok());
    QVERIFY(command(QStringLiteral("cart-9001"), QStringLiteral("OpenCart"), {{"customerId", "C1042"}}).ok());
    // The first publish brought up the monitor, in the Bus workspace.
    QTRY_VERIFY_WITH_TIMEOUT(dock("busMonitorDock")->isVisible(), 5000);
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("bus"));
    QVERIFY(command(QStringLiteral("cart-9001"), QStringLiteral("AddItem"),
        {{"sku", "KTL01"}, {"quantity", 2}, {"unitPrice", 5990}, {"name", "Gooseneck kettle"}})
                .ok());
    QVERIFY(command(QStringLiteral("cart-9001"), QStringLiteral("ConfirmCart"), json::object()).ok());
    checkTidy("publishing");
}

void TestLayouts::aDeadLetter()
{
    QAction* down = m_window->busController()->consumers()->outageAction(sample::Consumer::ConfirmationEmail);
    down->trigger();
    QVERIFY(
        command(QStringLiteral("order-9001"), QStringLiteral("PlaceOrder"), {{"cartId", "cart-9001"}}).ok());
    DeadLetterPanel* letters = m_window->busController()->deadLetters();
    QTRY_VERIFY_WITH_TIMEOUT(letters->model()->rowCount() >= 1, 10000);
    m_window->raiseDock(QStringLiteral("deadLettersDock"));
    QVERIFY(!dock("deadLettersDock")->visibleRegion().isEmpty());
    QVERIFY(!dock("busMonitorDock")->visibleRegion().isEmpty());
    checkTidy("a dead letter");
    down->trigger();
    // Done publishing: the dialog closes and the window has the keyboard again.
    m_window->busController()->publishDialog()->close();
    m_window->activateWindow();
    QTRY_VERIFY(m_window->isActiveWindow());
}

void TestLayouts::projectionsAndCharts()
{
    QTest::keyClick(m_window.get(), Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("projections"));
    QVERIFY(m_window->projectionsPanel()->selectProjection(QStringLiteral("events-by-type")));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->projectionSet()->isSettled(), 30000);
    QVERIFY(!dock("projectionsDock")->visibleRegion().isEmpty());
    QVERIFY(!dock("chartsDock")->visibleRegion().isEmpty()); // side by side, not tabbed
    checkTidy("projections and charts");
}

void TestLayouts::upcastersAndSchemas()
{
    QTest::keyClick(m_window.get(), Qt::Key_5, Qt::ControlModifier);
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("schema"));
    QVERIFY2(m_window->loadUpcasters({QStringLiteral(CHRONOSCOPE_RESOURCES_DIR "/upcasters/shop-v2.json")}),
        qPrintable(m_window->lastError()));
    m_window->selectAllStreams();
    m_window->eventView()->selectRow(0);
    QVERIFY(!dock("schemaDock")->visibleRegion().isEmpty());
    checkTidy("upcasters and schemas");
    m_window->clearUpcasters();
}

void TestLayouts::everyWorkspaceFromTheModeBar()
{
    for (const Workspace& workspace : Workspaces::all()) {
        QAction* action = m_window->workspaces()->actionFor(workspace.id);
        QWidget* button = m_window->workspaces()->modeBar()->widgetForAction(action);
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(m_window->workspaces()->current(), workspace.id);
        for (const QString& name : workspace.docks)
            QVERIFY2(m_window->findChild<QDockWidget*>(name)->isVisible(),
                qPrintable(workspace.id + QLatin1Char(' ') + name));
        checkTidy(qPrintable(workspace.id));
    }
}

void TestLayouts::aWorkspaceIsRememberedAndReset()
{
    activate(QStringLiteral("explore"));
    QDockWidget* streams = dock("streamsDock");
    QDockWidget* inspector = dock("inspectorDock");
    const int defaultWidth = streams->width();
    m_window->resizeDocks({streams}, {defaultWidth + 90}, Qt::Horizontal);
    inspector->close(); // the person closes a panel
    QApplication::processEvents();
    const int wider = streams->width();
    QVERIFY(wider > defaultWidth);
    activate(QStringLiteral("schema"));
    QVERIFY(inspector->isVisible()); // another workspace: its own arrangement
    activate(QStringLiteral("explore"));
    QApplication::processEvents();
    QCOMPARE(streams->width(), wider); // as it was left
    QVERIFY(!inspector->isVisible());
    // Saved with the window and brought back by a new one.
    m_window->saveLayout();
    {
        MainWindow other;
        other.show();
        QVERIFY(QTest::qWaitForWindowExposed(&other));
        QCOMPARE(other.workspaces()->current(), QStringLiteral("explore"));
        QVERIFY(!other.findChild<QDockWidget*>(QStringLiteral("inspectorDock"))->isVisible());
    }
    m_window->workspaces()->resetWorkspaceAction()->trigger();
    QApplication::processEvents();
    QVERIFY(inspector->isVisible());
    QVERIFY2(std::abs(streams->width() - defaultWidth) <= 8, qPrintable(QString::number(streams->width())));
    checkTidy("reset workspace");
}

void TestLayouts::resetLayoutForgetsEveryWorkspace()
{
    activate(QStringLiteral("timetravel"));
    dock("stateDock")->close();
    activate(QStringLiteral("explore"));
    // View > Reset Layout, from the menu.
    QAction* reset = nullptr;
    for (QAction* top : m_window->menuBar()->actions()) {
        if (top->menu() && top->text() == QStringLiteral("&View")) {
            for (QAction* entry : top->menu()->actions())
                if (entry->objectName() == QStringLiteral("resetLayoutAction"))
                    reset = entry;
        }
    }
    QVERIFY(reset);
    reset->trigger();
    activate(QStringLiteral("timetravel"));
    QVERIFY(dock("stateDock")->isVisible());
    checkTidy("reset layout");
}

QTEST_MAIN(TestLayouts)
#include "tst_layouts.moc"
