// What-if in the window, offscreen, on a copy of the sample store: the person unticks an event's
// check box in the event table (a real mouse click on the indicator, and the space bar), or
// right-clicks it and picks Skip from the context menu; the state is recomputed without that
// event and the store is untouched. Before the fix each of these crashed the window (endless
// recursion between SkipProxy::data and SkipProxy::versionOf).
#include "replay/reducer.h"
#include "streams/eventtablemodel.h"
#include "support/clirun.h"
#include "timetravel/diffview.h"
#include "timetravel/patchtablemodel.h"
#include "timetravel/skipproxy.h"
#include "timetravel/statepanel.h"
#include "timetravel/timebar.h"
#include "timetravel/timetravel.h"
#include "widgets/jsontreemodel.h"
#include "window/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QContextMenuEvent>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QStyle>
#include <QStyleOptionViewItem>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace chronoscope;

namespace {
bool sameJson(const nlohmann::json& actual, const nlohmann::json& expected)
{
    if (actual == expected)
        return true;
    qWarning("actual:   %s\nexpected: %s", actual.dump().c_str(), expected.dump().c_str());
    return false;
}

// Runs `pick` on the first popup menu that opens within `timeoutMs`, then closes it. The
// context menu is modal (QMenu::exec), so this is armed before the right-click.
void armPopup(std::function<void(QMenu*)> pick, int timeoutMs = 5000)
{
    auto* timer = new QTimer;
    auto elapsed = std::make_shared<int>(0);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, elapsed, pick, timeoutMs] {
        *elapsed += 20;
        if (auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) {
            timer->stop();
            timer->deleteLater();
            pick(menu);
            if (menu->isVisible())
                menu->close();
        } else if (*elapsed > timeoutMs) {
            timer->stop();
            timer->deleteLater();
        }
    });
    timer->start(20);
}

QAction* actionStartingWith(QMenu* menu, const QString& prefix)
{
    for (QAction* action : menu->actions()) {
        if (action->text().startsWith(prefix))
            return action;
    }
    return nullptr;
}
} // namespace

class TestWhatIf : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void clickingCheckBoxSkipsEvent();
    void spaceBarTogglesSkip();
    void contextMenuSkipsAndAppliesAgain();
    void skipsNeverTouchTheStore();
    void compareFromTheContextMenu();
    void anEventTheReducerRefusesSaysWhatToDo();

private:
    StreamId longCart() const;
    nlohmann::json expected(const StreamId& stream, qint64 version, const QSet<qint64>& skipped) const;
    // The centre of the check indicator of a row's version cell, in viewport coordinates.
    QPoint checkBoxCentre(int row) const;
    void selectCart();
    // The state shown is the state at the shown version with `skipped` left out.
    bool showsStateWithout(const QSet<qint64>& skipped);

    QTemporaryDir m_dir;
    QString m_path;
    QByteArray m_originalBytes;
    std::unique_ptr<MainWindow> m_window;
    StreamId m_stream;
};

void TestWhatIf::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_whatif"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    const QString sample = QStringLiteral(CHRONOSCOPE_SAMPLE_STORE);
    QVERIFY2(QFileInfo::exists(sample), "the sample store is built with the tests");
    m_path = m_dir.filePath(QStringLiteral("whatif.chronoscope"));
    QVERIFY(QFile::copy(sample, m_path));
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    m_originalBytes = file.readAll();
}

void TestWhatIf::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->resize(1366, 768);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY2(m_window->openFile(m_path), qPrintable(m_window->lastError()));
    m_stream = longCart();
    QVERIFY(!m_stream.isEmpty());
}

void TestWhatIf::cleanup()
{
    m_window.reset();
}

StreamId TestWhatIf::longCart() const
{
    for (const auto& info : m_window->store()->streams(QStringLiteral("cart-"))) {
        if (info.events >= 5)
            return info.stream;
    }
    return {};
}

nlohmann::json TestWhatIf::expected(const StreamId& stream, qint64 version, const QSet<qint64>& skipped) const
{
    const auto registry = ReducerRegistry::withBuiltins();
    TimeTravel travel(*m_window->store(), registry.reducerFor(stream), stream);
    travel.setSkipped(skipped);
    return travel.stateAt(Version(version));
}

QPoint TestWhatIf::checkBoxCentre(int row) const
{
    auto* view = m_window->eventView();
    const QModelIndex index = view->model()->index(row, EventTableModel::VersionColumn);
    QStyleOptionViewItem option;
    option.initFrom(view);
    option.rect = view->visualRect(index);
    option.features |= QStyleOptionViewItem::HasCheckIndicator;
    option.checkState = index.data(Qt::CheckStateRole).value<Qt::CheckState>();
    return view->style()->subElementRect(QStyle::SE_ItemViewItemCheckIndicator, &option, view).center();
}

void TestWhatIf::selectCart()
{
    QVERIFY(m_window->selectStream(m_stream));
    const auto info = m_window->store()->streamInfo(m_stream);
    QVERIFY(info);
    QTRY_COMPARE(m_window->eventView()->model()->rowCount(), int(info->events));
    QTRY_COMPARE(m_window->statePanel()->shownVersion(), std::optional<Version>(info->version));
}

bool TestWhatIf::showsStateWithout(const QSet<qint64>& skipped)
{
    auto* panel = m_window->statePanel();
    if (!QTest::qWaitFor([panel] { return !panel->isBusy() && panel->shownVersion().has_value(); }, 10000))
        return false;
    // The panel may follow the row the click selected: compare at the version it shows.
    const qint64 version = panel->shownVersion()->value;
    const bool ok = QTest::qWaitFor(
        [&] { return panel->stateModel()->json() == expected(m_stream, version, skipped); }, 10000);
    if (!ok)
        sameJson(panel->stateModel()->json(), expected(m_stream, version, skipped)); // prints both
    return ok;
}

void TestWhatIf::clickingCheckBoxSkipsEvent()
{
    selectCart();
    auto* view = m_window->eventView();
    auto* skips = qobject_cast<SkipProxy*>(view->model());
    QVERIFY(skips);
    QVERIFY(skips->isEnabled());
    const int row = 1; // version 2
    QCOMPARE(view->model()
                 ->index(row, EventTableModel::VersionColumn)
                 .data(Qt::CheckStateRole)
                 .value<Qt::CheckState>(),
        Qt::Checked);

    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, checkBoxCentre(row));
    QTRY_COMPARE(skips->skipped(), QSet<qint64>({2}));
    // Every row can still be drawn and asked for its data (the crash was in data()).
    for (int r = 0; r < view->model()->rowCount(); ++r) {
        for (int c = 0; c < view->model()->columnCount(); ++c) {
            for (int role : {int(Qt::DisplayRole), int(Qt::FontRole), int(Qt::ForegroundRole),
                     int(Qt::ToolTipRole), int(Qt::CheckStateRole), int(EventTableModel::VersionRole)})
                view->model()->index(r, c).data(role);
        }
    }
    QCOMPARE(view->model()
                 ->index(row, EventTableModel::VersionColumn)
                 .data(Qt::CheckStateRole)
                 .value<Qt::CheckState>(),
        Qt::Unchecked);
    QVERIFY(
        view->model()->index(row, EventTableModel::TypeColumn).data(Qt::FontRole).value<QFont>().strikeOut());
    view->viewport()->repaint();
    QVERIFY(showsStateWithout({2}));
    // CHRONOSCOPE_SCREENSHOTS=DIR keeps a picture of the window with the event skipped.
    if (const auto dir = qEnvironmentVariable("CHRONOSCOPE_SCREENSHOTS"); !dir.isEmpty())
        m_window->grab().save(dir + QStringLiteral("/whatif.png"));
    const qint64 shown = m_window->statePanel()->shownVersion()->value;
    QVERIFY(shown >= 2);
    QVERIFY(m_window->statePanel()->stateModel()->json() != expected(m_stream, shown, {}));

    // Ticking it again applies the event again.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, checkBoxCentre(row));
    QTRY_VERIFY(skips->skipped().isEmpty());
    QVERIFY(showsStateWithout({}));
    QVERIFY(m_window->isVisible());
}

void TestWhatIf::spaceBarTogglesSkip()
{
    selectCart();
    auto* view = m_window->eventView();
    auto* skips = qobject_cast<SkipProxy*>(view->model());
    QVERIFY(skips);
    view->setFocus();
    view->setCurrentIndex(view->model()->index(2, EventTableModel::VersionColumn));
    QTest::keyClick(view, Qt::Key_Space);
    QTRY_COMPARE(skips->skipped(), QSet<qint64>({3}));
    QVERIFY(showsStateWithout({3}));
    QTest::keyClick(view, Qt::Key_Space);
    QTRY_VERIFY(skips->skipped().isEmpty());
}

void TestWhatIf::contextMenuSkipsAndAppliesAgain()
{
    selectCart();
    auto* view = m_window->eventView();
    auto* skips = qobject_cast<SkipProxy*>(view->model());
    QVERIFY(skips);
    const QPoint at = view->visualRect(view->model()->index(3, EventTableModel::TypeColumn)).center();

    const auto rightClick = [&] {
        QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
        QApplication::sendEvent(view->viewport(), &event);
    };
    QStringList seen;
    armPopup([&](QMenu* menu) {
        for (QAction* action : menu->actions())
            seen << action->text();
        if (QAction* skip = actionStartingWith(menu, QStringLiteral("Skip Event v4")))
            skip->trigger();
    });
    rightClick();
    QVERIFY2(
        seen.contains(QStringLiteral("Skip Event v4 (What-if)")), qPrintable(seen.join(QLatin1Char('|'))));
    QTRY_COMPARE(skips->skipped(), QSet<qint64>({4}));
    QVERIFY(showsStateWithout({4}));

    // The same row offers to apply it again; Clear Skips is enabled.
    bool clearEnabled = false;
    armPopup([&](QMenu* menu) {
        if (QAction* clear = actionStartingWith(menu, QStringLiteral("Clear Skips")))
            clearEnabled = clear->isEnabled();
        if (QAction* again = actionStartingWith(menu, QStringLiteral("Apply Event v4 Again")))
            again->trigger();
    });
    rightClick();
    QVERIFY(clearEnabled);
    QTRY_VERIFY(skips->skipped().isEmpty());

    // Clear Skips after two skips.
    skips->setSkipped(2, true);
    skips->setSkipped(5, true);
    armPopup([&](QMenu* menu) {
        if (QAction* clear = actionStartingWith(menu, QStringLiteral("Clear Skips")))
            clear->trigger();
    });
    rightClick();
    QTRY_VERIFY(skips->skipped().isEmpty());
    QVERIFY(showsStateWithout({}));
}

void TestWhatIf::skipsNeverTouchTheStore()
{
    selectCart();
    auto* view = m_window->eventView();
    for (int row = 0; row < 3; ++row)
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, checkBoxCentre(row));
    auto* skips = qobject_cast<SkipProxy*>(view->model());
    QTRY_COMPARE(skips->skipped().size(), 3);
    QTRY_VERIFY(!m_window->statePanel()->isBusy());
    const auto info = m_window->store()->streamInfo(m_stream);
    QVERIFY(info);
    const auto events = m_window->store()->readStream(m_stream, Version(1), 1000);
    QCOMPARE(qint64(events.size()), info->events);
    m_window->closeStore();
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll() == m_originalBytes);
}

QTEST_MAIN(TestWhatIf)
void TestWhatIf::compareFromTheContextMenu()
{
    auto* diff = m_window->findChild<DiffView*>();
    QVERIFY(diff);
    auto* view = m_window->eventView();
    const auto rightClickAndCompare = [&](int row) {
        const QPoint at = view->visualRect(view->model()->index(row, EventTableModel::TypeColumn)).center();
        QString text;
        armPopup([&](QMenu* menu) {
            for (QAction* action : menu->actions())
                if (action->objectName() == QStringLiteral("compareVersionsAction")) {
                    text = action->text();
                    menu->close();
                    action->trigger();
                }
        });
        QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
        QApplication::sendEvent(view->viewport(), &event);
        return text;
    };

    // In a stream: the row's version with the one before.
    selectCart();
    QSignalSpy shown(diff, &DiffView::diffShown);
    QCOMPARE(rightClickAndCompare(3), QStringLiteral("Compare v3 with v4"));
    QTRY_VERIFY(!shown.isEmpty() && shown.last().at(0).toLongLong() == 3);
    QCOMPARE(shown.last().at(1).toLongLong(), 4);
    QTRY_VERIFY(m_window->findChild<QDockWidget*>(QStringLiteral("diffDock"))->isVisible());
    QVERIFY(diff->model()->rowCount() > 0);

    // In All streams, on a row of a stream the state is not on (right-clicked, never selected):
    // the state moves to that stream and its versions are compared.
    m_window->selectAllStreams();
    QTRY_VERIFY(view->model()->rowCount() > 10);
    int row = -1;
    RecordedEvent other;
    for (int r = 0; r < view->model()->rowCount() && row < 0; ++r) {
        const auto event = view->model()->index(r, 0).data(EventTableModel::EventRole).value<RecordedEvent>();
        if (event.stream != m_stream && event.version.value >= 2) {
            row = r;
            other = event;
        }
    }
    QVERIFY(row >= 0);
    QVERIFY(m_window->statePanel()->stream() != std::optional<StreamId>(other.stream));
    shown.clear();
    QCOMPARE(rightClickAndCompare(row),
        QStringLiteral("Compare v%1 with v%2").arg(other.version.value - 1).arg(other.version.value));
    QTRY_VERIFY(!shown.isEmpty() && shown.last().at(0).toLongLong() == other.version.value - 1);
    QCOMPARE(m_window->statePanel()->stream(), std::optional<StreamId>(other.stream));
    QCOMPARE(shown.last().at(0).toLongLong(), other.version.value - 1);
    QCOMPARE(shown.last().at(1).toLongLong(), other.version.value);
    QCOMPARE(diff->versionA(), other.version.value - 1);
    QCOMPARE(diff->versionB(), other.version.value);
    QVERIFY(diff->model()->rowCount() > 0);
}

void TestWhatIf::anEventTheReducerRefusesSaysWhatToDo()
{
    // Its own copy: another program (our CLI) appends to it while the window has it open.
    const QString path = m_dir.filePath(QStringLiteral("refused.chronoscope"));
    QFile::remove(path);
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), path));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    QVERIFY2(m_window->openFile(path), qPrintable(m_window->lastError()));
    selectCart();
    auto* panel = m_window->statePanel();
    QSignalSpy failed(panel, &StatePanel::replayFailed);
    const auto appended = testsupport::runCli({QStringLiteral("append"), path, QStringLiteral("--stream"),
        m_stream.toString(), QStringLiteral("--type"), QStringLiteral("NoteAdded"), QStringLiteral("--data"),
        QStringLiteral("{\"text\":\"hi\"}")});
    QVERIFY2(appended.code == 0, qPrintable(appended.describe()));
    const qint64 version = appended.json()["version"].get<qint64>();
    // The table follows the other writer; the state at the new event cannot be built, and the
    // panel says why and what to do about it.
    auto* view = m_window->eventView();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), int(version), 15000);
    // The time bar reaches the new event, and the panel, which showed the last version, follows.
    QTRY_COMPARE(panel->timeBar()->last(), version);
    QTRY_VERIFY(!failed.isEmpty());
    QCOMPARE(panel->timeBar()->value(), version);
    const QString message = failed.last().at(0).toString();
    QVERIFY2(message.contains(QStringLiteral("the cart reducer does not know event type 'NoteAdded'")),
        qPrintable(message));
    QVERIFY2(
        message.contains(QStringLiteral("Untick v%1 in the event table").arg(version)), qPrintable(message));
    // Doing what it says: that row's check box, clicked (scrolled into view first).
    view->scrollTo(view->model()->index(int(version) - 1, EventTableModel::VersionColumn));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, checkBoxCentre(int(version) - 1));
    auto* skips = qobject_cast<SkipProxy*>(view->model());
    QTRY_COMPARE(skips->skipped(), QSet<qint64>({version}));
    QVERIFY(showsStateWithout({version}));
}

#include "tst_whatif.moc"
