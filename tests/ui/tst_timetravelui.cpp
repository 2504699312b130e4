// Time travel in the window, offscreen: time bar, stale results, highlighted changes, diff,
// field history. A small account stream with known events is the fixture.
#include "store/memoryeventstore.h"
#include "store/recordedevent.h"
#include "timetravel/branchpanel.h"
#include "timetravel/changehighlightproxy.h"
#include "timetravel/diffview.h"
#include "timetravel/fieldhistorymodel.h"
#include "timetravel/fieldhistoryview.h"
#include "timetravel/patchtablemodel.h"
#include "timetravel/statepanel.h"
#include "timetravel/timebar.h"
#include "timetravel/timetravel.h"
#include "widgets/jsontreemodel.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace chronoscope;

namespace {
const StreamId Account(QStringLiteral("acct-1"));
const StreamId Other(QStringLiteral("acct-2"));
const qint64 T0 = 1767607200000; // 2026-01-05T10:00:00Z

// acct-1: v1 Opened {owner ann, balance 0}, v2 Deposited {balance 10}, v3 Renamed {owner bob},
// v4 Deposited {balance 25}, then Deposited {balance 30 + i} up to v12; one event per minute.
std::shared_ptr<MemoryEventStore> makeStore()
{
    auto store = std::make_shared<MemoryEventStore>();
    const auto event = [](const char* type, const char* data, qint64 minute) {
        EventData e;
        e.type = QString::fromLatin1(type);
        e.data = QByteArray(data);
        e.timestampMs = T0 + minute * 60000;
        return e;
    };
    std::vector<EventData> events
        = {event("Opened", R"({"owner":"ann","balance":0})", 0), event("Deposited", R"({"balance":10})", 1),
            event("Renamed", R"({"owner":"bob"})", 2), event("Deposited", R"({"balance":25})", 3)};
    for (int i = 0; i < 8; ++i)
        events.push_back(event(
            "Deposited", QByteArray(R"({"balance":)" + QByteArray::number(30 + i) + "}").constData(), 4 + i));
    store->append(Account, events, ExpectedVersion::noStream());
    store->append(
        Other, {event("Opened", R"({"owner":"zed","balance":7})", 20)}, ExpectedVersion::noStream());
    return store;
}

nlohmann::json expectedState(
    const EventStore& store, const StreamId& stream, qint64 version, const QSet<qint64>& skipped = {})
{
    TimeTravel travel(store, genericReducer(), stream);
    travel.setSkipped(skipped);
    return travel.stateAt(Version(version));
}

bool sameJson(const nlohmann::json& actual, const nlohmann::json& expected)
{
    if (actual == expected)
        return true;
    qWarning("actual:   %s\nexpected: %s", actual.dump().c_str(), expected.dump().c_str());
    return false;
}

// The row of a patch table with this path, or -1.
int rowOfPath(const QAbstractItemModel* model, const QString& path)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, PatchTableModel::PathColumn).data().toString() == path)
            return row;
    }
    return -1;
}
} // namespace

class TestTimeTravelUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void timeBarStepsWithButtonsAndKeys();
    void timeBarPlaysToTheEnd();
    void timeBarJumps_data();
    void timeBarJumps();
    void jumpToTimeUsesVersionAt();
    void staleResultsAreDropped();
    void streamChangeDropsOldResults();
    void changedPathsAreHighlighted();
    void keysOnStateViewStep();
    void diffTableShowsPatch();
    void fieldHistoryListsChanges();
    void branchesAreKeptPerStream();
    void theEndFollowsNewEvents();

private:
    std::shared_ptr<MemoryEventStore> m_store;
};

void TestTimeTravelUi::init()
{
    m_store = makeStore();
}

void TestTimeTravelUi::timeBarStepsWithButtonsAndKeys()
{
    TimeBar bar;
    bar.setRange(10, 5);
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    QSignalSpy changed(&bar, &TimeBar::versionChanged);
    QTest::keyClick(&bar, Qt::Key_Right);
    QCOMPARE(bar.value(), 6);
    QTest::keyClick(bar.slider(), Qt::Key_Right);
    QCOMPARE(bar.value(), 7);
    QTest::keyClick(&bar, Qt::Key_Left);
    QCOMPARE(bar.value(), 6);
    QCOMPARE(changed.count(), 3);
    QCOMPARE(changed.last().at(0).toLongLong(), 6);
    // Clamped at both ends.
    bar.setValue(0);
    QTest::keyClick(&bar, Qt::Key_Left);
    QCOMPARE(bar.value(), 0);
    bar.setValue(99);
    QCOMPARE(bar.value(), 10);
    // Space plays and pauses.
    QTest::keyClick(&bar, Qt::Key_Space);
    QVERIFY(bar.isPlaying());
    QTest::keyClick(&bar, Qt::Key_Space);
    QVERIFY(!bar.isPlaying());
}

void TestTimeTravelUi::timeBarPlaysToTheEnd()
{
    TimeBar bar;
    bar.setRange(6, 2);
    bar.setSpeed(100);
    QCOMPARE(bar.speed(), 100);
    QSignalSpy changed(&bar, &TimeBar::versionChanged);
    QSignalSpy playing(&bar, &TimeBar::playingChanged);
    bar.setPlaying(true);
    QTRY_COMPARE(bar.value(), 6);
    QTRY_VERIFY(!bar.isPlaying());
    // Every version was visited in order, one step at a time.
    QList<qint64> seen;
    for (const auto& args : changed)
        seen << args.at(0).toLongLong();
    QCOMPARE(seen, (QList<qint64> {3, 4, 5, 6}));
    QCOMPARE(playing.count(), 2);
}

void TestTimeTravelUi::timeBarJumps_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("expected"); // -1: an error, the value stays
    QTest::newRow("number") << QStringLiteral("3") << qint64(3);
    QTest::newRow("v-prefix") << QStringLiteral(" v7 ") << qint64(7);
    QTest::newRow("beyond the end") << QStringLiteral("11") << qint64(-1);
    QTest::newRow("garbage") << QStringLiteral("yesterday-ish") << qint64(-1);
}

void TestTimeTravelUi::timeBarJumps()
{
    QFETCH(QString, text);
    QFETCH(qint64, expected);
    TimeBar bar;
    bar.setRange(10, 5);
    bar.jumpEdit()->setText(text);
    QTest::keyClick(bar.jumpEdit(), Qt::Key_Return);
    if (expected < 0) {
        QCOMPARE(bar.value(), 5);
        QVERIFY(!bar.message().isEmpty());
        QVERIFY2(bar.message().contains(text.trimmed()), qPrintable(bar.message()));
    } else {
        QCOMPARE(bar.value(), expected);
        QVERIFY(bar.message().isEmpty());
    }
}

void TestTimeTravelUi::jumpToTimeUsesVersionAt()
{
    StatePanel panel;
    panel.setStore(m_store);
    panel.setStream(Account);
    QTRY_VERIFY(panel.shownVersion().has_value());
    // 10:02:30 is after v3 (10:02) and before v4 (10:03).
    panel.timeBar()->jumpTo(QStringLiteral("2026-01-05T10:02:30Z"));
    QTRY_COMPARE(panel.shownVersion(), std::optional<Version>(Version(3)));
    QCOMPARE(panel.timeBar()->value(), 3);
    QVERIFY2(
        panel.timeBar()->info().contains(QStringLiteral("Renamed")), qPrintable(panel.timeBar()->info()));
    QVERIFY(panel.timeBar()->info().contains(QStringLiteral("2026-01-05T10:02:00")));
    // Before the first event: version 0.
    panel.timeBar()->jumpTo(QStringLiteral("2025-12-31T23:00:00Z"));
    QTRY_COMPARE(panel.shownVersion(), std::optional<Version>(Version(0)));
}

void TestTimeTravelUi::staleResultsAreDropped()
{
    StatePanel panel;
    panel.setStore(m_store);
    panel.setStream(Account);
    QTRY_VERIFY(panel.shownVersion().has_value());
    QSignalSpy shown(&panel, &StatePanel::stateShown);
    panel.setVersion(Version(5));
    panel.setVersion(Version(9));
    QTRY_COMPARE(panel.shownVersion(), std::optional<Version>(Version(9)));
    QTRY_VERIFY(!panel.isBusy());
    QCOMPARE(shown.last().at(0).value<Version>(), Version(9));
    QCOMPARE(panel.shownVersion(), std::optional<Version>(Version(9)));
    QVERIFY(sameJson(panel.stateModel()->json(), expectedState(*m_store, Account, 9)));
}

void TestTimeTravelUi::streamChangeDropsOldResults()
{
    StatePanel panel;
    panel.setStore(m_store);
    panel.setStream(Account);
    QSignalSpy shown(&panel, &StatePanel::stateShown);
    panel.setVersion(Version(7)); // still running when the stream changes
    panel.setStream(Other, Version(1));
    QTRY_COMPARE(panel.shownVersion(), std::optional<Version>(Version(1)));
    QTRY_VERIFY(!panel.isBusy());
    QVERIFY(sameJson(panel.stateModel()->json(), expectedState(*m_store, Other, 1)));
    for (const auto& args : shown)
        QCOMPARE(args.at(0).value<Version>(), Version(1));
}

void TestTimeTravelUi::changedPathsAreHighlighted()
{
    StatePanel panel;
    panel.setStore(m_store);
    panel.setStream(Account, Version(3)); // Renamed: owner ann -> bob
    QTRY_COMPARE(panel.shownVersion(), std::optional<Version>(Version(3)));
    auto* proxy = panel.highlightModel();
    auto* model = panel.stateModel();
    const auto owner = proxy->mapFromSource(model->indexForPointer(QStringLiteral("/data/owner")));
    const auto balance = proxy->mapFromSource(model->indexForPointer(QStringLiteral("/data/balance")));
    const auto data = proxy->mapFromSource(model->indexForPointer(QStringLiteral("/data")));
    QVERIFY(owner.isValid() && balance.isValid() && data.isValid());
    QCOMPARE(owner.data(ChangeHighlightProxy::ChangeRole).toString(), QStringLiteral("replace"));
    QVERIFY(owner.siblingAtColumn(JsonTreeModel::ValueColumn).data(Qt::BackgroundRole).isValid());
    QCOMPARE(balance.data(ChangeHighlightProxy::ChangeRole).toString(), QString());
    QVERIFY(!balance.data(Qt::BackgroundRole).isValid());
    QCOMPARE(data.data(ChangeHighlightProxy::ChangeRole).toString(), QStringLiteral("contains"));
    // A type seen for the first time is an "add".
    QCOMPARE(proxy->changeAt(QStringLiteral("/eventsByType/Renamed")), QStringLiteral("add"));
    // The list of changes names the operation, the path and both values.
    auto* changes = panel.changesModel();
    const int row = rowOfPath(changes, QStringLiteral("/data/owner"));
    QVERIFY(row >= 0);
    QCOMPARE(changes->index(row, PatchTableModel::OpColumn).data().toString(), QStringLiteral("replace"));
    QCOMPARE(changes->index(row, PatchTableModel::OldColumn).data().toString(), QStringLiteral("\"ann\""));
    QCOMPARE(changes->index(row, PatchTableModel::NewColumn).data().toString(), QStringLiteral("\"bob\""));
    QCOMPARE(rowOfPath(changes, QStringLiteral("/data/balance")), -1);

    // Stepping to v4 moves the highlight to the balance.
    panel.timeBar()->step(1);
    QTRY_COMPARE(panel.shownVersion(), std::optional<Version>(Version(4)));
    QCOMPARE(proxy->changeAt(QStringLiteral("/data/balance")), QStringLiteral("replace"));
    QCOMPARE(proxy->changeAt(QStringLiteral("/data/owner")), QString());
}

void TestTimeTravelUi::keysOnStateViewStep()
{
    StatePanel panel;
    panel.setStore(m_store);
    panel.setStream(Account, Version(4));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTRY_COMPARE(panel.shownVersion(), std::optional<Version>(Version(4)));
    panel.stateView()->setFocus();
    QTest::keyClick(panel.stateView(), Qt::Key_Left);
    QTRY_COMPARE(panel.shownVersion(), std::optional<Version>(Version(3)));
    QTest::keyClick(panel.stateView(), Qt::Key_Right);
    QTest::keyClick(panel.stateView(), Qt::Key_Right);
    QTRY_COMPARE(panel.shownVersion(), std::optional<Version>(Version(5)));
    QVERIFY(sameJson(panel.stateModel()->json(), expectedState(*m_store, Account, 5)));
}

void TestTimeTravelUi::diffTableShowsPatch()
{
    TimeTravelSession session;
    session.setStore(m_store);
    session.setStream(Account, genericReducer());
    DiffView diff(&session);
    QSignalSpy shown(&diff, &DiffView::diffShown);
    diff.compare(1, 4);
    QTRY_VERIFY(!shown.isEmpty());
    QCOMPARE(shown.last().at(0).toLongLong(), 1);
    QCOMPARE(shown.last().at(1).toLongLong(), 4);
    auto* model = diff.model();
    // Exactly the patch nlohmann::json::diff gives, with old and new values.
    const auto patch
        = nlohmann::json::diff(expectedState(*m_store, Account, 1), expectedState(*m_store, Account, 4));
    QCOMPARE(model->rowCount(), int(patch.size()));
    const int owner = rowOfPath(model, QStringLiteral("/data/owner"));
    QVERIFY(owner >= 0);
    QCOMPARE(model->index(owner, PatchTableModel::OpColumn).data().toString(), QStringLiteral("replace"));
    QCOMPARE(model->index(owner, PatchTableModel::OldColumn).data().toString(), QStringLiteral("\"ann\""));
    QCOMPARE(model->index(owner, PatchTableModel::NewColumn).data().toString(), QStringLiteral("\"bob\""));
    const int balance = rowOfPath(model, QStringLiteral("/data/balance"));
    QVERIFY(balance >= 0);
    QCOMPARE(model->index(balance, PatchTableModel::OldColumn).data().toString(), QStringLiteral("0"));
    QCOMPARE(model->index(balance, PatchTableModel::NewColumn).data().toString(), QStringLiteral("25"));
    const int added = rowOfPath(model, QStringLiteral("/eventsByType/Renamed"));
    QVERIFY(added >= 0);
    QCOMPARE(model->index(added, PatchTableModel::OpColumn).data().toString(), QStringLiteral("add"));
    QCOMPARE(model->index(added, PatchTableModel::OldColumn).data().toString(), QStringLiteral("\u2014"));

    // Equal versions: an empty patch, said in words.
    diff.compare(2, 2);
    QTRY_COMPARE(shown.last().at(0).toLongLong(), 2);
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(diff.statusText().contains(QStringLiteral("equal")));
}

void TestTimeTravelUi::fieldHistoryListsChanges()
{
    TimeTravelSession session;
    session.setStore(m_store);
    session.setStream(Account, genericReducer());
    FieldHistoryView history(&session);
    history.show();
    QVERIFY(QTest::qWaitForWindowExposed(&history));
    QSignalSpy shown(&history, &FieldHistoryView::historyShown);
    history.showHistory(QStringLiteral("/data/owner"));
    QTRY_COMPARE(shown.count(), 1);
    auto* model = history.model();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, FieldHistoryModel::VersionColumn).data().toLongLong(), 1);
    QCOMPARE(model->index(0, FieldHistoryModel::TypeColumn).data().toString(), QStringLiteral("Opened"));
    QCOMPARE(model->index(0, FieldHistoryModel::OldColumn).data().toString(), QStringLiteral("\u2014"));
    QCOMPARE(model->index(0, FieldHistoryModel::NewColumn).data().toString(), QStringLiteral("\"ann\""));
    QCOMPARE(model->index(1, FieldHistoryModel::VersionColumn).data().toLongLong(), 3);
    QCOMPARE(model->index(1, FieldHistoryModel::PositionColumn).data().toLongLong(), 3);
    QCOMPARE(model->index(1, FieldHistoryModel::TimestampColumn).data().toString(),
        QStringLiteral("2026-01-05T10:02:00.000Z"));
    QCOMPARE(model->index(1, FieldHistoryModel::OldColumn).data().toString(), QStringLiteral("\"ann\""));
    QCOMPARE(model->index(1, FieldHistoryModel::NewColumn).data().toString(), QStringLiteral("\"bob\""));

    // Double-clicking a row asks to travel to its version.
    QSignalSpy jump(&history, &FieldHistoryView::jumpRequested);
    auto* view = history.view();
    const QRect cell = view->visualRect(model->index(1, FieldHistoryModel::TypeColumn));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(jump.count(), 1);
    QCOMPARE(jump.first().at(0).toLongLong(), 3);

    // A field that never existed: an error naming it, no rows.
    history.showHistory(QStringLiteral("/data/nothing"));
    QTRY_VERIFY(history.statusText().contains(QStringLiteral("/data/nothing")));
    QCOMPARE(model->rowCount(), 0);
}

void TestTimeTravelUi::theEndFollowsNewEvents()
{
    StatePanel panel;
    panel.setStore(m_store);
    panel.setStream(Account);
    QTRY_COMPARE(panel.shownVersion(), std::optional<Version>(Version(12)));
    const auto deposit = [&](int balance) {
        EventData e;
        e.type = QStringLiteral("Deposited");
        e.data = QByteArray(R"({"balance":)") + QByteArray::number(balance) + "}";
        m_store->append(Account, {e}, ExpectedVersion::any());
    };
    // At the end: another writer appends, the panel moves on to the new end.
    deposit(100);
    panel.refreshEnd();
    QCOMPARE(panel.timeBar()->last(), 13);
    QCOMPARE(panel.timeBar()->value(), 13);
    QTRY_COMPARE(panel.shownVersion(), std::optional<Version>(Version(13)));
    QVERIFY(sameJson(panel.stateModel()->json(), expectedState(*m_store, Account, 13)));
    // Looking at an older version: the bar reaches the new one, the state stays.
    panel.setVersion(Version(4));
    QTRY_COMPARE(panel.shownVersion(), std::optional<Version>(Version(4)));
    deposit(200);
    panel.refreshEnd();
    QCOMPARE(panel.timeBar()->last(), 14);
    QCOMPARE(panel.timeBar()->value(), 4);
    QTRY_VERIFY(!panel.isBusy());
    QCOMPARE(panel.shownVersion(), std::optional<Version>(Version(4)));
    // Nothing new: nothing moves.
    panel.refreshEnd();
    QCOMPARE(panel.timeBar()->last(), 14);
    QCOMPARE(panel.timeBar()->value(), 4);
    // Playing: it plays on into the new versions.
    panel.setVersion(Version(12));
    panel.timeBar()->setPlaying(true);
    deposit(300);
    panel.refreshEnd();
    QCOMPARE(panel.timeBar()->last(), 15);
    QVERIFY(panel.timeBar()->isPlaying() || panel.timeBar()->value() == 15);
    QTRY_COMPARE_WITH_TIMEOUT(panel.timeBar()->value(), 15, 10000);
}

QTEST_MAIN(TestTimeTravelUi)
void TestTimeTravelUi::branchesAreKeptPerStream()
{
    const QString path = QStringLiteral("/nonexistent/accounts.chronoscope");
    BranchPanel panel;
    QSignalSpy shown(&panel, &BranchPanel::comparisonShown);
    panel.setStore(m_store, path);
    panel.setStream(Account, genericReducer());
    panel.setCurrentVersion(Version(4));
    QVERIFY(panel.fork(Version(4)));
    QVERIFY2(panel.appendEvent(QStringLiteral("Deposited"), QStringLiteral(R"({"balance":99})")),
        qPrintable(panel.errorText()));
    QTRY_VERIFY(!shown.isEmpty());

    // Another stream: no branch there; acct-1's is kept, not lost.
    panel.setStream(Other, genericReducer());
    QVERIFY(!panel.branch());
    QCOMPARE(panel.keptBranchStreams(), std::vector<StreamId> {Account});
    panel.setStream(Account, genericReducer());
    QVERIFY(panel.branch());
    QCOMPARE(panel.branch()->forkAt(), Version(4));
    QCOMPARE(panel.branch()->branchEvents().size(), std::size_t(1));
    QVERIFY(panel.keptBranchStreams().empty());

    // A new view of the same store (as when upcasters are loaded): the branch moves onto it.
    auto view = std::make_shared<MemoryEventStore>();
    view->importRecorded(m_store->readAll(std::nullopt, 1000, {}, Direction::Forward));
    panel.setStore(view, path);
    QVERIFY(!panel.branch()); // no stream selected until the window selects one again
    panel.setStream(Account, genericReducer());
    QVERIFY(panel.branch());
    QCOMPARE(panel.branch()->branchEvents().size(), std::size_t(1));
    QCOMPARE(panel.branch()->branchEvents().front().dataJson()["balance"].get<int>(), 99);
    shown.clear();
    QTRY_VERIFY(!shown.isEmpty());
    QCOMPARE(shown.last().at(0).value<Version>(), Version(5));
    QCOMPARE(panel.branchModel()->rowCount() > 0, true);

    // Another store: branches of the old one are gone.
    panel.setStore(std::make_shared<MemoryEventStore>(), QStringLiteral("/nonexistent/other.chronoscope"));
    panel.setStream(Account, genericReducer());
    QVERIFY(!panel.branch());
    QVERIFY(panel.keptBranchStreams().empty());
}

#include "tst_timetravelui.moc"
