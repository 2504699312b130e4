// The window's bus part, offscreen: the publish dialog, the bus monitor and its models, the
// failure switches and the dead-letter panel, driven the way a person would.
#include "bus/buscontroller.h"
#include "bus/busflowmodel.h"
#include "bus/buslogmodel.h"
#include "bus/busmonitor.h"
#include "bus/busruntime.h"
#include "bus/bustrace.h"
#include "bus/commandtemplate.h"
#include "bus/consumerspanel.h"
#include "bus/deadlettermodel.h"
#include "bus/deadletterpanel.h"
#include "bus/deferreddeadletters.h"
#include "bus/handlercountersmodel.h"
#include "bus/publishdialog.h"
#include "store/storefactory.h"
#include "support/testsupport.h"
#include "widgets/jsonedit.h"
#include "widgets/jsontreemodel.h"
#include "window/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QDockWidget>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using Kind = BusTraceEntry::Kind;
using nlohmann::json;

namespace {

RecordedEvent makeEvent(qint64 position, const QString& type = QStringLiteral("ItemAdded"))
{
    return chronoscope::testing::recordedEvent(QStringLiteral("cart-%1").arg(position % 7), position / 7 + 1,
        position, type, QByteArrayLiteral("{\"sku\":\"KTL01\"}"), 1767600000000 + position,
        QByteArrayLiteral("{\"correlationId\":\"0b9c1f5e-0000-4000-8000-000000000001\"}"));
}

BusTraceEntry entry(Kind kind, qint64 position, const QString& handler = {}, int attempt = 0)
{
    BusTraceEntry e;
    e.kind = kind;
    e.event = makeEvent(position);
    e.handler = handler;
    e.attempt = attempt;
    e.timeMs = 1767600000000 + position;
    if (kind == Kind::Delivered)
        e.latencyNs = 1000 * position;
    if (kind == Kind::Retrying || kind == Kind::Failed || kind == Kind::DeadLettered)
        e.error = QStringLiteral("service down");
    e.correlationId = correlationIdOf(e.event);
    return e;
}

int countKind(const BusLogModel& model, Kind kind, const QString& handler = {})
{
    int n = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const auto& e = model.entryAt(row);
        n += e.kind == kind && (handler.isEmpty() || e.handler == handler);
    }
    return n;
}

} // namespace

class TestBusUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    // models and pieces
    void logModelIsBoundedNewestLast();
    void flowModelGroupsHandlersUnderEvents();
    void deadLetterModelMergesRefreshes();
    void handlerCountersModelUpdatesInPlace();
    void recorderNumbersAttemptsAndSkipsDuplicates();
    void recorderCoalescesFloods();
    void monitorFollowsUnlessScrolledUp();
    void monitorFilterMatchesCorrelationAndError();
    void jsonEditReportsLineAndColumn_data();
    void jsonEditReportsLineAndColumn();
    void everyCommandTemplateParses();

    // the window
    void publishAddItemStoresAndShowsInMonitor();
    void brokenRuleShowsErrorStoresNothing();
    void staleExpectedVersionShowsConflict();
    void rawEventWithExpectedVersion();
    void invalidJsonDisablesPublish();
    void readOnlyStoreDisablesPublish();
    void emailDownDeadLettersThenRetryDeliversOnce();
    void outcomeFollowsTheStoryAndKeepsTheData();
    void failureSwitchesReadAsDown();
    void discardAsksAndRemoves();

private:
    /// Fills the dialog with a command and publishes it.
    PublishOutcome command(const QString& stream, const QString& type, const json& data,
        PublishDialog::Expectation expectation = PublishDialog::Expectation::Any, qint64 version = -1);
    qint64 eventCount() const { return m_window->store()->summary().events; }
    BusController* bus() const { return m_window->busController(); }
    void shot(QWidget* widget, const QString& name);
    /// The same for a dock, floated at a size that shows it well, then put back.
    void shotDock(const QString& dockName, const QString& name, QSize size);

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_window;
    PublishDialog* m_dialog = nullptr;
};

void TestBusUi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_busui"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

void TestBusUi::init()
{
    static int n = 0;
    m_path = m_dir.filePath(QStringLiteral("shop-%1.chronoscope").arg(++n));
    createSqliteStore(m_path).reset();
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->resize(1400, 850);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(m_window->openFile(m_path));
    QVERIFY(bus()->runtime());
    QVERIFY(bus()->openPublishDialog());
    m_dialog = bus()->publishDialog();
    QVERIFY(m_dialog);
}

void TestBusUi::cleanup()
{
    m_dialog = nullptr;
    m_window.reset();
}

PublishOutcome TestBusUi::command(const QString& stream, const QString& type, const json& data,
    PublishDialog::Expectation expectation, qint64 version)
{
    m_dialog->setMode(PublishDialog::Mode::Command);
    m_dialog->setStream(stream);
    if (!m_dialog->setCommandType(type))
        qWarning("unknown command type %s", qPrintable(type));
    m_dialog->commandData()->setText(QString::fromStdString(data.dump(2)));
    m_dialog->setExpectation(expectation, version);
    if (!m_dialog->publishButton()->isEnabled())
        qWarning("publish disabled: %s", qPrintable(m_dialog->blockedReason()));
    QTest::mouseClick(m_dialog->publishButton(), Qt::LeftButton);
    return *m_dialog->lastOutcome();
}

void TestBusUi::shot(QWidget* widget, const QString& name)
{
    // Pictures for the README, only when asked for: CHRONOSCOPE_BUSUI_SHOTS=/some/dir.
    const QString dir = qEnvironmentVariable("CHRONOSCOPE_BUSUI_SHOTS");
    if (dir.isEmpty())
        return;
    QApplication::processEvents();
    QVERIFY(widget->grab().save(dir + QStringLiteral("/h4-") + name + QStringLiteral(".png")));
}

void TestBusUi::shotDock(const QString& dockName, const QString& name, QSize size)
{
    if (qEnvironmentVariable("CHRONOSCOPE_BUSUI_SHOTS").isEmpty())
        return;
    auto* dock = m_window->findChild<QDockWidget*>(dockName);
    QVERIFY(dock);
    dock->show();
    dock->setFloating(true);
    dock->resize(size);
    QTest::qWait(50);
    shot(dock, name);
    dock->setFloating(false);
}

// ---- models and pieces ------------------------------------------------------------------

void TestBusUi::logModelIsBoundedNewestLast()
{
    BusLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(5);
    model.append({entry(Kind::Published, 1), entry(Kind::Delivered, 1, QStringLiteral("h"), 1)});
    QCOMPARE(model.rowCount(), 2);
    std::vector<BusTraceEntry> batch;
    for (qint64 p = 2; p <= 5; ++p)
        batch.push_back(entry(Kind::Published, p));
    model.append(batch);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.evicted(), quint64(1));
    QCOMPARE(model.entryAt(0).kind, Kind::Delivered);       // the oldest row went
    QCOMPARE(model.entryAt(4).event.position, Position(5)); // newest at the bottom
    // A batch larger than the capacity keeps its newest rows only.
    batch.clear();
    for (qint64 p = 10; p < 22; ++p)
        batch.push_back(entry(Kind::Published, p));
    model.append(batch);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.entryAt(0).event.position, Position(17));
    QCOMPARE(model.entryAt(4).event.position, Position(21));
    const QModelIndex outcome = model.index(4, BusLogModel::OutcomeColumn);
    QCOMPARE(outcome.data().toString(), QStringLiteral("published"));
    model.append({entry(Kind::DeadLettered, 30, QStringLiteral("confirmation-email"), 3)});
    QCOMPARE(
        model.index(4, BusLogModel::HandlerColumn).data().toString(), QStringLiteral("confirmation-email"));
    QCOMPARE(model.index(4, BusLogModel::AttemptColumn).data().toInt(), 3);
    QVERIFY(
        model.index(4, BusLogModel::ErrorColumn).data().toString().contains(QStringLiteral("service down")));
    QCOMPARE(model.index(4, BusLogModel::CorrelationColumn).data().toString(), QStringLiteral("0b9c1f5e"));
    model.setCapacity(2);
    QCOMPARE(model.rowCount(), 2);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestBusUi::flowModelGroupsHandlersUnderEvents()
{
    BusFlowModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(3);
    const QString email = QStringLiteral("confirmation-email");
    const QString stock = QStringLiteral("inventory-reservation");
    model.apply({entry(Kind::Published, 1), entry(Kind::Delivered, 1, stock, 1),
        entry(Kind::Retrying, 1, email, 1), entry(Kind::Published, 2)});
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex first = model.index(0, 0);
    QCOMPARE(model.rowCount(first), 2);
    QCOMPARE(model.index(0, BusFlowModel::ItemColumn, first).data().toString(), stock);
    QCOMPARE(model.index(1, BusFlowModel::StatusColumn, first).data().toString(),
        QStringLiteral("failed, retrying"));
    QCOMPARE(Kind(first.data(BusFlowModel::KindRole).toInt()), Kind::Retrying); // the worst of its handlers
    QCOMPARE(model.rowCount(model.index(1, 0)), 0);
    QCOMPARE(model.index(1, BusFlowModel::StatusColumn).data().toString(), QStringLiteral("no handler"));

    // Later attempts update the handler's row in place.
    model.apply({entry(Kind::Retrying, 1, email, 2), entry(Kind::DeadLettered, 1, email, 3)});
    QCOMPARE(model.rowCount(first), 2);
    QCOMPARE(model.index(1, BusFlowModel::AttemptsColumn, first).data().toInt(), 3);
    QCOMPARE(Kind(first.data(BusFlowModel::KindRole).toInt()), Kind::DeadLettered);
    model.apply({entry(Kind::Delivered, 1, email, 4), entry(Kind::Duplicate, 2, stock)});
    QCOMPARE(
        model.index(1, BusFlowModel::StatusColumn, first).data().toString(), QStringLiteral("delivered"));
    QCOMPARE(model.index(0, BusFlowModel::AttemptsColumn).data().toString(), QStringLiteral("2/2 ok"));
    QCOMPARE(model.index(0, BusFlowModel::StatusColumn, model.index(1, 0)).data().toString(),
        QStringLiteral("skipped (duplicate)"));

    // Bounded: the oldest events go; a handler entry for an event no longer shown starts a new row.
    model.apply({entry(Kind::Published, 3), entry(Kind::Published, 4), entry(Kind::Published, 5)});
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(!model.indexOfEvent(Position(1)).isValid());
    QCOMPARE(model.indexOfEvent(Position(5)).row(), 2);
    model.apply({entry(Kind::Delivered, 3, email, 1)});
    QCOMPARE(model.rowCount(model.indexOfEvent(Position(3))), 1);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestBusUi::deadLetterModelMergesRefreshes()
{
    DeadLetterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto letter = [](qint64 id, int attempts) {
        DeadLetter d;
        d.id = id;
        d.event = makeEvent(id * 10, QStringLiteral("OrderPlaced"));
        d.handler = QStringLiteral("confirmation-email");
        d.error = QStringLiteral("e-mail service down (simulated)");
        d.attempts = attempts;
        d.firstFailureMs = 1767600000000;
        d.lastFailureMs = 1767600000000 + attempts;
        return d;
    };
    model.setEntries({letter(1, 3), letter(2, 3), letter(4, 3)});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, DeadLetterModel::TypeColumn).data().toString(), QStringLiteral("OrderPlaced"));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setEntries({letter(2, 4), letter(3, 3), letter(4, 3)}); // 1 gone, 2 updated, 3 new
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOf(1), -1);
    QCOMPARE(model.rowOf(3), 1);
    QCOMPARE(model.index(0, DeadLetterModel::AttemptsColumn).data().toInt(), 4);
    model.setEntries({});
    QCOMPARE(model.rowCount(), 0);
}

void TestBusUi::handlerCountersModelUpdatesInPlace()
{
    HandlerCountersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    EventBus bus;
    bus.subscribe(QStringLiteral("a"), BusSelector::all(), [](const RecordedEvent&) {});
    bus.subscribe(
        QStringLiteral("b"), BusSelector::all(),
        [](const RecordedEvent&) { throw StoreError(QStringLiteral("no")); }, DeliveryMode::Synchronous,
        RetryPolicy {2, 0, 1.0});
    model.setCounters(bus.handlerCounters());
    QCOMPARE(model.rowCount(), 2);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    bus.publish(makeEvent(1));
    model.setCounters(bus.handlerCounters());
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.index(0, HandlerCountersModel::DeliveredColumn).data().toString(), QStringLiteral("1"));
    QCOMPARE(model.index(1, HandlerCountersModel::FailedColumn).data().toString(), QStringLiteral("2"));
    QCOMPARE(model.index(1, HandlerCountersModel::DeadLetteredColumn).data().toString(), QStringLiteral("1"));
}

void TestBusUi::recorderNumbersAttemptsAndSkipsDuplicates()
{
    EventBus bus;
    int calls = 0;
    bus.subscribe(QStringLiteral("flaky"), BusSelector::all(), [&](const RecordedEvent&) {
        if (++calls < 3)
            throw StoreError(QStringLiteral("try again"));
    });
    BusTraceRecorder recorder(bus);
    recorder.setRetryPolicy(QStringLiteral("flaky"), RetryPolicy {3, 0, 1.0});
    std::vector<BusTraceEntry> seen;
    connect(&recorder, &BusTraceRecorder::entriesArrived, this, [&](const std::vector<BusTraceEntry>& batch) {
        seen.insert(seen.end(), batch.begin(), batch.end());
    });
    const RecordedEvent event = makeEvent(1);
    bus.publish(event);
    bus.publish(event); // the same event id again: skipped
    recorder.flush();
    QCOMPARE(seen.size(), std::size_t(6));
    QCOMPARE(seen[0].kind, Kind::Published);
    QCOMPARE(seen[1].kind, Kind::Retrying);
    QCOMPARE(seen[1].attempt, 1);
    QCOMPARE(seen[1].error, QStringLiteral("try again"));
    QCOMPARE(seen[2].attempt, 2);
    QCOMPARE(seen[3].kind, Kind::Delivered);
    QCOMPARE(seen[3].attempt, 3);
    QVERIFY(seen[3].latencyNs >= 0);
    QCOMPARE(seen[4].kind, Kind::Published);
    QCOMPARE(seen[5].kind, Kind::Duplicate);
    QCOMPARE(seen[5].handler, QStringLiteral("flaky"));
    QCOMPARE(
        seen[3].correlationId, QUuid::fromString(QStringLiteral("0b9c1f5e-0000-4000-8000-000000000001")));
    const LatencyStats stats = recorder.latency();
    QCOMPARE(stats.samples, qsizetype(1));
    QCOMPARE(stats.p99Ns, seen[3].latencyNs);

    // The last attempt is "failed", followed by the dead letter.
    seen.clear();
    calls = -10;
    bus.publish(makeEvent(2));
    recorder.flush();
    QCOMPARE(seen.size(), std::size_t(5));
    QCOMPARE(seen[3].kind, Kind::Failed);
    QCOMPARE(seen[4].kind, Kind::DeadLettered);
    QCOMPARE(seen[4].attempt, 3);
    QVERIFY(seen[4].deadLetterId > 0);
    // A retry from the queue is numbered after the attempts already made.
    seen.clear();
    calls = 5;
    QVERIFY(bus.retryDeadLetter(bus.deadLetters().list().front().id));
    recorder.flush();
    QCOMPARE(seen.size(), std::size_t(1));
    QCOMPARE(seen[0].kind, Kind::Delivered);
    QCOMPARE(seen[0].attempt, 4);
}

void TestBusUi::recorderCoalescesFloods()
{
    EventBus bus;
    bus.subscribe(
        QStringLiteral("sink"), BusSelector::all(), [](const RecordedEvent&) {}, DeliveryMode::Queued);
    BusTraceRecorder recorder(bus);
    QSignalSpy batches(&recorder, &BusTraceRecorder::entriesArrived);
    qsizetype total = 0;
    connect(&recorder, &BusTraceRecorder::entriesArrived, this,
        [&](const std::vector<BusTraceEntry>& batch) { total += qsizetype(batch.size()); });
    for (qint64 p = 1; p <= 5000; ++p)
        bus.publish(makeEvent(p));
    QVERIFY(bus.waitForIdle());
    QTRY_COMPARE_WITH_TIMEOUT(total, qsizetype(10000), 10000); // a publish and a delivery each
    // Thousands of entries from two threads reached the GUI in a handful of signals.
    QVERIFY2(batches.count() <= 10, qPrintable(QString::number(batches.count())));
    QCOMPARE(recorder.dropped(), quint64(0));
}

void TestBusUi::monitorFollowsUnlessScrolledUp()
{
    BusMonitor monitor;
    monitor.resize(1000, 300);
    monitor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&monitor));
    EventBus bus;
    BusTraceRecorder recorder(bus);
    monitor.setRecorder(&recorder);
    for (qint64 p = 1; p <= 200; ++p)
        bus.publish(makeEvent(p));
    recorder.flush();
    QCOMPARE(monitor.logModel()->rowCount(), 200);
    QScrollBar* bar = monitor.logView()->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    QCOMPARE(bar->value(), bar->maximum());
    QVERIFY(monitor.isFollowing());
    bar->setValue(10); // the user scrolls up to read
    for (qint64 p = 201; p <= 260; ++p)
        bus.publish(makeEvent(p));
    recorder.flush();
    QApplication::processEvents();
    QCOMPARE(bar->value(), 10);
    QVERIFY(!monitor.isFollowing());
    bar->setValue(bar->maximum()); // back at the bottom: follows again
    bus.publish(makeEvent(261));
    recorder.flush();
    QApplication::processEvents();
    QCOMPARE(bar->value(), bar->maximum());
    monitor.refreshCounters();
    QVERIFY2(monitor.countersText().contains(QStringLiteral("Published <b>261</b>")),
        qPrintable(monitor.countersText()));
}

void TestBusUi::monitorFilterMatchesCorrelationAndError()
{
    BusMonitor monitor;
    QAbstractItemModelTester logTester(
        monitor.logProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester flowTester(
        monitor.flowProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto other = entry(Kind::Published, 2);
    other.correlationId = QUuid::fromString(QStringLiteral("7a7a7a7a-0000-4000-8000-00000000abcd"));
    const std::vector<BusTraceEntry> batch = {
        entry(Kind::Published, 1), entry(Kind::Retrying, 1, QStringLiteral("confirmation-email"), 1), other};
    monitor.logModel()->append(batch);
    monitor.flowModel()->apply(batch);
    monitor.filterEdit()->setText(QStringLiteral("00000000abcd")); // the end of a correlation id
    QCOMPARE(monitor.logProxy()->rowCount(), 1);
    QCOMPARE(monitor.flowProxy()->rowCount(), 1);
    monitor.filterEdit()->setText(QStringLiteral("SERVICE DOWN"));
    QCOMPARE(monitor.logProxy()->rowCount(), 1);
    // The flow keeps the event of a matching handler row.
    QCOMPARE(monitor.flowProxy()->rowCount(), 1);
    QCOMPARE(monitor.flowProxy()->rowCount(monitor.flowProxy()->index(0, 0)), 1);
    monitor.filterEdit()->clear();
    QCOMPARE(monitor.logProxy()->rowCount(), 3);
}

void TestBusUi::jsonEditReportsLineAndColumn_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("requireObject");
    QTest::addColumn<QString>("error");
    QTest::newRow("valid") << QStringLiteral("{\"a\": 1}") << true << QString();
    QTest::newRow("missing value") << QStringLiteral("{\n  \"a\": 1,\n  \"b\": }") << true
                                   << QStringLiteral("data: line 3, column 8:");
    // 17 characters (18 bytes: columns count characters); the '}' is missing at column 18.
    QTest::newRow("unclosed") << QStringLiteral("{\"name\": \"k\u00e9ttle\"") << true
                              << QStringLiteral("data: line 1, column 18:");
    QTest::newRow("not an object") << QStringLiteral("[1, 2]") << true
                                   << QStringLiteral("data: must be a JSON object ({...}), not array");
    QTest::newRow("array allowed") << QStringLiteral("[1, 2]") << false << QString();
    QTest::newRow("empty") << QString() << true << QStringLiteral("data: empty");
    // nlohmann throws out_of_range (not parse_error) for a number past a double's range.
    QTest::newRow("number overflow") << QStringLiteral("{\"qty\": 9e6679}") << true
                                     << QStringLiteral("data: number overflow parsing '9e6679'");
}

void TestBusUi::jsonEditReportsLineAndColumn()
{
    QFETCH(QString, text);
    QFETCH(bool, requireObject);
    QFETCH(QString, error);
    JsonEdit edit;
    edit.setSubject(QStringLiteral("data"));
    edit.setRequireObject(requireObject);
    edit.setText(text);
    QCOMPARE(edit.isValid(), error.isEmpty());
    QVERIFY2(edit.errorText().startsWith(error), qPrintable(edit.errorText()));
    if (error.contains(QStringLiteral("line"))) // the parser's own words follow the position
        QVERIFY(edit.errorText().size() > error.size() + 5);
}

void TestBusUi::everyCommandTemplateParses()
{
    for (const auto& spec : sample::commandSpecs()) {
        const json command = {{"type", spec.type.toStdString()},
            {"stream", QString(sample::aggregateName(spec.aggregate) + QStringLiteral("-1")).toStdString()},
            {"data", commandTemplate(spec)}};
        try {
            sample::parseCommand(command);
        } catch (const InvalidInput& e) {
            QFAIL(qPrintable(spec.type + QStringLiteral(": ") + e.message()));
        }
        for (const auto& field : spec.fields)
            if (field.required)
                QVERIFY2(commandTemplate(spec).contains(field.name.toStdString()), qPrintable(field.name));
    }
    QVERIFY(
        commandTemplate(*sample::findCommandSpec(QStringLiteral("OpenCart")))["customerId"] == json("C1042"));
    QVERIFY(commandTemplate(*sample::findCommandSpec(QStringLiteral("RequestPayment")))["method"]
        == json("card"));
}

// ---- the window -------------------------------------------------------------------------

void TestBusUi::publishAddItemStoresAndShowsInMonitor()
{
    QVERIFY(bus()->publishAction()->isEnabled());
    QCOMPARE(bus()->publishAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+P")));
    QVERIFY(command(QStringLiteral("cart-1"), QStringLiteral("OpenCart"), {{"customerId", "C7"}}).ok());
    QCOMPARE(m_dialog->currentVersion(), qint64(1));
    QCOMPARE(m_dialog->versionBox()->value(), 1); // prefilled with the new version
    const qint64 before = eventCount();
    const auto outcome = command(QStringLiteral("cart-1"), QStringLiteral("AddItem"),
        {{"sku", "KTL01"}, {"quantity", 2}, {"unitPrice", 5990}, {"name", "Gooseneck kettle"}},
        PublishDialog::Expectation::Exact, 1);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    QCOMPARE(eventCount(), before + 1);
    const auto stored = m_window->store()->readStream(StreamId(QStringLiteral("cart-1")), Version(2), 1);
    QCOMPARE(stored.size(), std::size_t(1));
    QCOMPARE(stored.front().type, QStringLiteral("ItemAdded"));
    QVERIFY2(m_dialog->resultText().contains(QStringLiteral("ItemAdded \u2192 cart-1 version 2, position %1")
                                                 .arg(stored.front().position.value)),
        qPrintable(m_dialog->resultText()));
    QVERIFY(m_dialog->isVisible()); // stays open for the next one
    // The monitor shows the publish (and the dock came up by itself).
    BusLogModel* log = bus()->monitor()->logModel();
    QTRY_VERIFY_WITH_TIMEOUT(countKind(*log, Kind::Published) >= 2, 5000);
    const auto& last = log->entryAt(log->rowCount() - 1);
    QCOMPARE(last.event.type, QStringLiteral("ItemAdded"));
    QCOMPARE(last.correlationId, outcome.correlationId);
    QVERIFY(m_window->findChild<QDockWidget*>(QStringLiteral("busMonitorDock"))->isVisible());
    QAbstractItemModelTester tester(log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester flowTester(
        bus()->monitor()->flowModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(command(QStringLiteral("cart-1"), QStringLiteral("ConfirmCart"), json::object()).ok());
    QTRY_VERIFY_WITH_TIMEOUT(
        log->entryAt(log->rowCount() - 1).event.type == QStringLiteral("CartConfirmed"), 5000);
    // Nothing was dead-lettered: the store file got no dead_letters table.
    QVERIFY(!deadLetterTableExists(m_path));
    shot(m_dialog, QStringLiteral("publish-dialog"));
}

void TestBusUi::brokenRuleShowsErrorStoresNothing()
{
    QVERIFY(command(QStringLiteral("cart-5"), QStringLiteral("OpenCart"), {{"customerId", "C1"}}).ok());
    QVERIFY(command(QStringLiteral("cart-5"), QStringLiteral("AddItem"),
        {{"sku", "KTL01"}, {"quantity", 1}, {"unitPrice", 100}})
                .ok());
    QVERIFY(command(QStringLiteral("cart-5"), QStringLiteral("ConfirmCart"), json::object()).ok());
    const qint64 before = eventCount();
    const auto outcome = command(QStringLiteral("cart-5"), QStringLiteral("AddItem"),
        {{"sku", "KTL01"}, {"quantity", 1}, {"unitPrice", 100}});
    QCOMPARE(outcome.kind, PublishOutcome::Kind::Rejected);
    QCOMPARE(eventCount(), before);
    QVERIFY2(m_dialog->resultText().startsWith(
                 QStringLiteral("Rejected by the domain's rules; nothing was stored.")),
        qPrintable(m_dialog->resultText()));
    QVERIFY2(
        m_dialog->resultText().contains(QStringLiteral("confirmed")), qPrintable(m_dialog->resultText()));
    QVERIFY(m_dialog->isVisible());
    // A command for another aggregate's stream is refused before anything is tried.
    m_dialog->setStream(QStringLiteral("cart-5"));
    const auto wrong = command(QStringLiteral("order-5"), QStringLiteral("AddItem"),
        {{"sku", "KTL01"}, {"quantity", 1}, {"unitPrice", 100}});
    QVERIFY(!wrong.ok());
    QCOMPARE(eventCount(), before);
}

void TestBusUi::staleExpectedVersionShowsConflict()
{
    QVERIFY(command(QStringLiteral("cart-2"), QStringLiteral("OpenCart"), {{"customerId", "C2"}}).ok());
    // Someone else writes to the stream after the dialog looked at it.
    m_dialog->setStream(QStringLiteral("cart-2"));
    QCOMPARE(m_dialog->versionBox()->value(), 1);
    QVERIFY(
        bus()
            ->runtime()
            ->publisher()
            .execute(QByteArrayLiteral(
                R"({"type":"AddItem","stream":"cart-2","data":{"sku":"KTL01","quantity":1,"unitPrice":5990}})"))
            .ok());
    const qint64 before = eventCount();
    m_dialog->setMode(PublishDialog::Mode::Command);
    QVERIFY(m_dialog->setCommandType(QStringLiteral("AbandonCart")));
    m_dialog->setExpectation(PublishDialog::Expectation::Exact); // keeps the stale 1
    QTest::mouseClick(m_dialog->publishButton(), Qt::LeftButton);
    const auto outcome = *m_dialog->lastOutcome();
    QCOMPARE(outcome.kind, PublishOutcome::Kind::Conflict);
    QCOMPARE(outcome.actual, Version(2));
    QCOMPARE(eventCount(), before);
    QVERIFY2(
        m_dialog->resultText().startsWith(QStringLiteral(
            "Conflict on cart-2: expected version 1, but the stream is at version 2. Nothing was stored.")),
        qPrintable(m_dialog->resultText()));
    QCOMPARE(m_dialog->currentVersion(), qint64(2));
    QCOMPARE(m_dialog->versionBox()->value(), 1); // what the user chose stays
    m_dialog->setExpectation(PublishDialog::Expectation::Exact, 2);
    QTest::mouseClick(m_dialog->publishButton(), Qt::LeftButton);
    QVERIFY(m_dialog->lastOutcome()->ok());
    QCOMPARE(eventCount(), before + 1);
}

void TestBusUi::rawEventWithExpectedVersion()
{
    m_dialog->setMode(PublishDialog::Mode::Event);
    m_dialog->setStream(QStringLiteral("notes-1"));
    m_dialog->eventType()->setText(QStringLiteral("NoteAdded"));
    m_dialog->eventData()->setText(QStringLiteral("{\"text\": \"h\u00e9llo\"}"));
    m_dialog->eventMetadata()->setText(QStringLiteral("{\"author\": \"ana\"}"));
    m_dialog->setExpectation(PublishDialog::Expectation::NoStream);
    QVERIFY(m_dialog->publish().ok());
    const auto stored = m_window->store()->readStream(StreamId(QStringLiteral("notes-1")), std::nullopt, 10);
    QCOMPARE(stored.size(), std::size_t(1));
    QVERIFY(stored.front().dataJson()["text"] == json("h\u00e9llo"));
    QVERIFY(stored.front().metadataJson()["author"] == json("ana"));
    QVERIFY(stored.front().metadataJson().contains("correlationId"));
    // "No stream" again: the stream exists now.
    const auto again = m_dialog->publish();
    QCOMPARE(again.kind, PublishOutcome::Kind::Conflict);
    QVERIFY2(m_dialog->resultText().contains(
                 QStringLiteral("expected no stream (a new one), but the stream is at version 1")),
        qPrintable(m_dialog->resultText()));
    m_dialog->setExpectation(PublishDialog::Expectation::Exists);
    QVERIFY(m_dialog->publish().ok());
}

void TestBusUi::invalidJsonDisablesPublish()
{
    m_dialog->setStream(QStringLiteral("cart-3"));
    QVERIFY(m_dialog->setCommandType(QStringLiteral("OpenCart")));
    QVERIFY(m_dialog->publishButton()->isEnabled());
    m_dialog->commandData()->editor()->setFocus();
    m_dialog->commandData()->editor()->selectAll();
    QTest::keyClicks(m_dialog->commandData()->editor(), QStringLiteral("{\"customerId\": \"C1\",}"));
    QVERIFY(!m_dialog->publishButton()->isEnabled());
    QVERIFY2(m_dialog->blockedReason().startsWith(QStringLiteral("data: line 1, column 21:")),
        qPrintable(m_dialog->blockedReason()));
    shot(m_dialog, QStringLiteral("publish-invalid"));
    const qint64 before = eventCount();
    QTest::keyClick(m_dialog, Qt::Key_Return, Qt::ControlModifier); // the shortcut does nothing either
    QCOMPARE(eventCount(), before);
    QTest::keyClick(m_dialog->commandData()->editor(), Qt::Key_Left);
    QTest::keyClick(m_dialog->commandData()->editor(), Qt::Key_Backspace); // the stray comma
    QVERIFY2(m_dialog->publishButton()->isEnabled(), qPrintable(m_dialog->blockedReason()));
    // An empty event type blocks the event mode.
    m_dialog->setMode(PublishDialog::Mode::Event);
    m_dialog->eventType()->clear();
    QVERIFY(!m_dialog->publishButton()->isEnabled());
    QCOMPARE(m_dialog->blockedReason(), QStringLiteral("Type an event type."));
    m_dialog->eventType()->setText(QStringLiteral("NoteAdded"));
    m_dialog->eventMetadata()->setText(QStringLiteral("[]"));
    QVERIFY(!m_dialog->publishButton()->isEnabled());
    QVERIFY(m_dialog->blockedReason().startsWith(QStringLiteral("metadata: must be a JSON object")));
}

void TestBusUi::readOnlyStoreDisablesPublish()
{
    const QString jsonl = m_dir.filePath(QStringLiteral("shop.jsonl"));
    QFile file(jsonl);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"stream":"cart-1","type":"CartOpened","data":{"cartId":"cart-1","customerId":"C1"}})"
               "\n");
    file.close();
    QVERIFY(m_window->openFile(jsonl));
    QVERIFY(!bus()->runtime());
    QVERIFY(!bus()->publishAction()->isEnabled());
    QVERIFY2(bus()->publishAction()->toolTip().contains(QStringLiteral("read-only")),
        qPrintable(bus()->publishAction()->toolTip()));
    QVERIFY(!bus()->openPublishDialog());
    QVERIFY(!bus()->consumers()->outageAction(sample::Consumer::ConfirmationEmail)->isEnabled());
    QVERIFY(bus()->monitor()->countersText().contains(QStringLiteral("No bus")));
    // Back to a writable store: everything works again.
    QVERIFY(m_window->openFile(m_path));
    QVERIFY(bus()->publishAction()->isEnabled());
    QVERIFY(bus()->consumers()->outageAction(sample::Consumer::ConfirmationEmail)->isEnabled());
}

void TestBusUi::outcomeFollowsTheStoryAndKeepsTheData()
{
    // A cart of two SKUs ordered: the queued consumers store a reservation per line and an
    // e-mail after PlaceOrder returns; the dialog counts them as they come, by type.
    for (const char* sku : {"KTL01", "MUG02"})
        QVERIFY(command(QStringLiteral("inventory-%1").arg(QLatin1String(sku)),
            QStringLiteral("ReceiveStock"), {{"quantity", 10}})
                    .ok());
    QVERIFY(command(QStringLiteral("cart-216"), QStringLiteral("OpenCart"), {{"customerId", "C1042"}}).ok());
    QVERIFY(command(QStringLiteral("cart-216"), QStringLiteral("AddItem"),
        {{"sku", "KTL01"}, {"quantity", 2}, {"unitPrice", 5990}, {"name", "Gooseneck kettle"}})
                .ok());
    QVERIFY(command(QStringLiteral("cart-216"), QStringLiteral("AddItem"),
        {{"sku", "MUG02"}, {"quantity", 1}, {"unitPrice", 1490}, {"name", "Mug"}})
                .ok());
    QVERIFY(command(QStringLiteral("cart-216"), QStringLiteral("ConfirmCart"), json::object()).ok());
    const auto placed
        = command(QStringLiteral("order-216"), QStringLiteral("PlaceOrder"), {{"cartId", "cart-216"}});
    QVERIFY2(placed.ok(), qPrintable(placed.error));
    // The data box keeps what was sent (a new stream reloads the list; that reset it to the template).
    QCOMPARE(QString::fromStdString(m_dialog->commandData()->value().value("cartId", "")),
        QStringLiteral("cart-216"));
    QCOMPARE(m_dialog->commandType(), QStringLiteral("PlaceOrder"));
    const auto count = [this](const QString& type) {
        const auto types = m_dialog->storyTypes();
        return int(std::count(types.begin(), types.end(), type));
    };
    QTRY_VERIFY_WITH_TIMEOUT(
        count(QStringLiteral("StockReserved")) == 2 && count(QStringLiteral("EmailSent")) == 1, 10000);
    // In store order: the e-mail and the reservations run on separate consumers.
    QVERIFY2(m_dialog->resultText().contains(QStringLiteral("stored 3 more event(s) of this story so far: "))
            && m_dialog->resultText().contains(QStringLiteral("StockReserved \u00d72"))
            && m_dialog->resultText().contains(QStringLiteral("EmailSent")),
        qPrintable(m_dialog->resultText()));
    QVERIFY(!m_dialog->resultText().contains(QStringLiteral("also published")));
    // Closed and opened again, the dialog does not show the last session's result.
    m_dialog->close();
    QVERIFY(bus()->openPublishDialog());
    QCOMPARE(bus()->publishDialog(), m_dialog);
    QVERIFY(m_dialog->resultText().isEmpty());
    QVERIFY(m_dialog->storyTypes().empty());
}

void TestBusUi::failureSwitchesReadAsDown()
{
    ConsumersPanel* panel = bus()->consumers();
    QAction* email = panel->outageAction(sample::Consumer::ConfirmationEmail);
    auto* box = panel->findChild<QCheckBox*>(email->objectName() + QStringLiteral("-box"));
    QVERIFY(box);
    // Every switch is a visible check box (none behind a tool bar's overflow).
    QCOMPARE(panel->findChildren<QCheckBox*>().size(), panel->switchActions().size());
    const auto deliveryOf = [panel](const QString& handler) {
        const auto* model = panel->findChild<QTableView*>()->model();
        for (int row = 0; row < model->rowCount(); ++row)
            if (model->index(row, HandlerCountersModel::HandlerColumn).data().toString() == handler)
                return model->index(row, HandlerCountersModel::ModeColumn).data().toString();
        return QString();
    };
    panel->refresh();
    QCOMPARE(deliveryOf(QStringLiteral("confirmation-email")), QStringLiteral("queued"));
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
    QVERIFY(box->isChecked());
    QVERIFY(email->isChecked()); // the Bus > Failure Switches entry shows it too
    QVERIFY(bus()->runtime()->switches()->isFailing(sample::Consumer::ConfirmationEmail));
    QCOMPARE(deliveryOf(QStringLiteral("confirmation-email")), QStringLiteral("DOWN (queued)"));
    QCOMPARE(deliveryOf(QStringLiteral("order-saga")), QStringLiteral("queued"));
    email->trigger(); // from the menu: the box follows
    QVERIFY(!box->isChecked());
    QVERIFY(!bus()->runtime()->switches()->isFailing(sample::Consumer::ConfirmationEmail));
    QCOMPARE(deliveryOf(QStringLiteral("confirmation-email")), QStringLiteral("queued"));
}

void TestBusUi::emailDownDeadLettersThenRetryDeliversOnce()
{
    const QString email = QStringLiteral("confirmation-email");
    QVERIFY(
        command(QStringLiteral("inventory-KTL01"), QStringLiteral("ReceiveStock"), {{"quantity", 10}}).ok());
    QVERIFY(command(QStringLiteral("cart-1"), QStringLiteral("OpenCart"), {{"customerId", "C1042"}}).ok());
    QVERIFY(command(QStringLiteral("cart-1"), QStringLiteral("AddItem"),
        {{"sku", "KTL01"}, {"quantity", 2}, {"unitPrice", 5990}, {"name", "Gooseneck kettle"}})
                .ok());
    QVERIFY(command(QStringLiteral("cart-1"), QStringLiteral("ConfirmCart"), json::object()).ok());

    QAction* down = bus()->consumers()->outageAction(sample::Consumer::ConfirmationEmail);
    down->trigger();
    QVERIFY(down->isChecked());
    QVERIFY(bus()->runtime()->switches()->isFailing(sample::Consumer::ConfirmationEmail));
    const auto placed
        = command(QStringLiteral("order-1"), QStringLiteral("PlaceOrder"), {{"cartId", "cart-1"}});
    QVERIFY2(placed.ok(), qPrintable(placed.error));

    DeadLetterPanel* panel = bus()->deadLetters();
    panel->setConfirmDiscard(false);
    QAbstractItemModelTester tester(panel->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 1, 10000);
    QVERIFY(deadLetterTableExists(m_path)); // kept in the store file (made by the first dead letter)
    const DeadLetter letter = panel->model()->entryAt(0);
    QCOMPARE(letter.handler, email);
    QCOMPARE(letter.event.type, QStringLiteral("OrderPlaced"));
    QCOMPARE(letter.attempts, 3);
    QVERIFY(letter.error.contains(QStringLiteral("e-mail service down")));
    QVERIFY(panel->detailText().contains(QStringLiteral("Error: e-mail service down")));
    QVERIFY(panel->payloadModel()->json()["data"]["orderId"] == json("order-1"));
    QVERIFY(m_window->findChild<QDockWidget*>(QStringLiteral("deadLettersDock"))
                ->windowTitle()
                .contains(QStringLiteral("(1)")));

    // The monitor saw the attempts, the retries and the dead letter; the other consumer was fine.
    BusLogModel* log = bus()->monitor()->logModel();
    QTRY_COMPARE_WITH_TIMEOUT(countKind(*log, Kind::DeadLettered, email), 1, 5000);
    QCOMPARE(countKind(*log, Kind::Retrying, email), 2);
    QCOMPARE(countKind(*log, Kind::Failed, email), 1);
    QTRY_VERIFY_WITH_TIMEOUT(
        countKind(*log, Kind::Delivered, QStringLiteral("inventory-reservation")) >= 1, 5000);
    QVERIFY(
        m_window->store()->streamInfo(StreamId(QStringLiteral("inventory-KTL01")))->version == Version(2));
    QVERIFY(!m_window->store()->streamInfo(StreamId(QStringLiteral("email-order-1"))));
    // The rest of the story runs on the queued consumers: the gateway authorizes and captures,
    // the saga records the payment on the order; all of it under the order's correlation id.
    QVERIFY(command(QStringLiteral("payment-1"), QStringLiteral("RequestPayment"),
        {{"orderId", "order-1"}, {"amount", 11980}, {"method", "card"}})
                .ok());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->store()->streamInfo(StreamId(QStringLiteral("order-1")))
            && m_window->store()->streamInfo(StreamId(QStringLiteral("order-1")))->version == Version(2),
        10000);
    QCOMPARE(m_window->store()->readStream(StreamId(QStringLiteral("order-1")), Version(2), 1).front().type,
        QStringLiteral("OrderPaid"));
    QTRY_VERIFY_WITH_TIMEOUT(countKind(*log, Kind::Delivered, QStringLiteral("order-saga")) >= 1, 5000);
    QCOMPARE(panel->model()->rowCount(), 1); // only the e-mail is parked
    bus()->monitor()->refreshCounters();
    QVERIFY2(bus()->monitor()->countersText().contains(QStringLiteral("dead-lettered <b>1</b>")),
        qPrintable(bus()->monitor()->countersText()));
    bus()->consumers()->refresh();
    shot(m_window.get(), QStringLiteral("window-monitor"));
    shotDock(QStringLiteral("busMonitorDock"), QStringLiteral("bus-monitor"), QSize(1400, 470));
    shotDock(QStringLiteral("consumersDock"), QStringLiteral("consumers"), QSize(900, 260));

    // Still down: a retry fails again and says so.
    QVERIFY(panel->select(letter.id));
    QVERIFY(!panel->retrySelected());
    QVERIFY2(panel->statusText().contains(QStringLiteral("failed again: e-mail service down")),
        qPrintable(panel->statusText()));
    QCOMPARE(panel->model()->entryAt(0).attempts, 4);
    shotDock(QStringLiteral("deadLettersDock"), QStringLiteral("dead-letters"), QSize(1200, 380));

    // Service back: the retry delivers, once; the dead letter is gone.
    down->trigger();
    QVERIFY(!bus()->runtime()->switches()->isFailing(sample::Consumer::ConfirmationEmail));
    QVERIFY(panel->select(letter.id));
    QVERIFY(panel->retrySelected());
    QVERIFY2(panel->statusText().contains(QStringLiteral("delivered")), qPrintable(panel->statusText()));
    QCOMPARE(panel->model()->rowCount(), 0);
    QCOMPARE(bus()->runtime()->bus().deadLetters().count(), qsizetype(0));
    const auto mails
        = m_window->store()->readStream(StreamId(QStringLiteral("email-order-1")), std::nullopt, 10);
    QCOMPARE(mails.size(), std::size_t(1));
    QCOMPARE(mails.front().type, QStringLiteral("EmailSent"));
    // The monitor numbers the delivery after the 3 attempts and the failed retry. (The e-mail
    // consumer also received OrderPaid, which needs no mail: delivered at once.)
    const auto emailDeliveries = [&] {
        QList<std::pair<QString, int>> out;
        for (int row = 0; row < log->rowCount(); ++row)
            if (log->entryAt(row).kind == Kind::Delivered && log->entryAt(row).handler == email)
                out.append({log->entryAt(row).event.type, log->entryAt(row).attempt});
        return out;
    };
    QTRY_COMPARE_WITH_TIMEOUT(emailDeliveries().size(), 2, 5000);
    QVERIFY(emailDeliveries().contains(std::pair(QStringLiteral("OrderPlaced"), 5)));
    QVERIFY(emailDeliveries().contains(std::pair(QStringLiteral("OrderPaid"), 1)));
    QVERIFY(!m_window->findChild<QDockWidget*>(QStringLiteral("deadLettersDock"))
                 ->windowTitle()
                 .contains(QLatin1Char('(')));
}

void TestBusUi::discardAsksAndRemoves()
{
    QVERIFY(
        command(QStringLiteral("inventory-KTL01"), QStringLiteral("ReceiveStock"), {{"quantity", 10}}).ok());
    QVERIFY(command(QStringLiteral("cart-1"), QStringLiteral("OpenCart"), {{"customerId", "C1"}}).ok());
    QVERIFY(command(QStringLiteral("cart-1"), QStringLiteral("AddItem"),
        {{"sku", "KTL01"}, {"quantity", 1}, {"unitPrice", 5990}})
                .ok());
    QVERIFY(command(QStringLiteral("cart-1"), QStringLiteral("ConfirmCart"), json::object()).ok());
    bus()->consumers()->outageAction(sample::Consumer::InventoryReservation)->setChecked(true);
    QVERIFY(command(QStringLiteral("order-1"), QStringLiteral("PlaceOrder"), {{"cartId", "cart-1"}}).ok());
    DeadLetterPanel* panel = bus()->deadLetters();
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 1, 10000);
    QCOMPARE(panel->model()->entryAt(0).handler, QStringLiteral("inventory-reservation"));
    const qint64 events = eventCount();
    panel->setConfirmDiscard(false);
    QVERIFY(panel->select(panel->model()->entryAt(0).id));
    QVERIFY(panel->discardSelected());
    QCOMPARE(panel->model()->rowCount(), 0);
    QCOMPARE(eventCount(), events); // the event itself stays
    QVERIFY(!panel->discardButton()->isEnabled());
    QVERIFY(!panel->retryButton()->isEnabled());
}

QTEST_MAIN(TestBusUi)
#include "tst_busui.moc"
