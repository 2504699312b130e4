// The event bus: selectors, synchronous and queued delivery, retries, dead letters,
// idempotency and counters.
#include "base/errors.h"
#include "bus/eventbus.h"
#include "bus/idempotencywindow.h"
#include "support/testsupport.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <set>

using namespace chronoscope;

namespace {

RecordedEvent makeEvent(const QString& stream, qint64 version, const QString& type, qint64 position = 0,
    const QByteArray& metadata = {})
{
    return chronoscope::testing::recordedEvent(stream, version, position ? position : version, type,
        QByteArray("{\"n\":") + QByteArray::number(version) + '}', 1767225600000 + version, metadata);
}

RetryPolicy noBackoff(int attempts)
{
    return RetryPolicy {attempts, 0, 1.0};
}

/// A handler that counts calls and fails the first `failures` calls of each event.
struct Flaky {
    std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<int>> applied = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<int>> failuresLeft;

    explicit Flaky(int failures)
        : failuresLeft(std::make_shared<std::atomic<int>>(failures))
    {
    }
    BusHandler handler() const
    {
        return [calls = calls, applied = applied, left = failuresLeft](const RecordedEvent& e) {
            ++*calls;
            if (left->load() != 0) {
                if (left->load() > 0)
                    --*left;
                throw InvalidInput(QStringLiteral("cannot apply %1 of %2").arg(e.type, e.stream.toString()));
            }
            ++*applied;
        };
    }
};

} // namespace

Q_DECLARE_METATYPE(DeliveryMode)

class TestEventBus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void selector_data();
    void selector();
    void parseSelector_data();
    void parseSelector();
    void invalidSubscriptions();
    void synchronousDeliveryIsDoneWhenPublishReturns();
    void queuedDeliveryRunsOnWorker();
    void queuedKeepsPerStreamOrderUnderLoad();
    void queuedRetryHoldsBackOnlyItsStream();
    void unsubscribeStopsDelivery();
    void throwingHandlerDoesNotStopOthers_data();
    void throwingHandlerDoesNotStopOthers();
    void retryThenSuccessDeliversOnce_data();
    void retryThenSuccessDeliversOnce();
    void retryExhaustedGoesToDeadLetters_data();
    void retryExhaustedGoesToDeadLetters();
    void deadLetterRetryAfterFix();
    void deadLetterRetryStillFailing();
    void deadLetterRetryUnknown();
    void discardDeadLetter();
    void republishedEventIsAppliedOnce_data();
    void republishedEventIsAppliedOnce();
    void idempotencyIsPerHandler();
    void idempotencyWindowMatchesModel();
    void metadataFlowsUntouched();
    void handlerMayPublish();
    void signalsReportDeliveries();
    void countersPerHandlerAndTotal();
};

void TestEventBus::selector_data()
{
    QTest::addColumn<BusSelector>("selector");
    QTest::addColumn<QString>("stream");
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("matches");
    const auto s = [](const char* t) { return QString::fromUtf8(t); };
    QTest::newRow("all") << BusSelector::all() << s("cart-1") << s("ItemAdded") << true;
    QTest::newRow("exact type") << BusSelector::type(s("ItemAdded")) << s("cart-1") << s("ItemAdded") << true;
    QTest::newRow("exact type, other")
        << BusSelector::type(s("ItemAdded")) << s("cart-1") << s("ItemAddedX") << false;
    QTest::newRow("exact type, prefix")
        << BusSelector::type(s("ItemAdded")) << s("cart-1") << s("Item") << false;
    QTest::newRow("glob prefix") << BusSelector::typeGlob(s("Order*")) << s("order-1") << s("OrderPlaced")
                                 << true;
    QTest::newRow("glob prefix, no") << BusSelector::typeGlob(s("Order*")) << s("order-1") << s("PaidOrder")
                                     << false;
    QTest::newRow("glob suffix") << BusSelector::typeGlob(s("*Paid")) << s("order-1") << s("OrderPaid")
                                 << true;
    QTest::newRow("glob suffix, no") << BusSelector::typeGlob(s("*Paid")) << s("order-1") << s("PaidLater")
                                     << false;
    QTest::newRow("glob middle") << BusSelector::typeGlob(s("Order*Paid")) << s("o-1") << s("OrderWasPaid")
                                 << true;
    QTest::newRow("glob question") << BusSelector::typeGlob(s("Item?dded")) << s("c-1") << s("ItemAdded")
                                   << true;
    QTest::newRow("glob question, no")
        << BusSelector::typeGlob(s("Item?dded")) << s("c-1") << s("ItemXXdded") << false;
    QTest::newRow("glob star matches empty")
        << BusSelector::typeGlob(s("Order*")) << s("o-1") << s("Order") << true;
    QTest::newRow("category") << BusSelector::category(s("cart")) << s("cart-42") << s("X") << true;
    QTest::newRow("category, first dash")
        << BusSelector::category(s("cart")) << s("cart-42-b") << s("X") << true;
    QTest::newRow("category, other") << BusSelector::category(s("cart")) << s("carts-42") << s("X") << false;
    QTest::newRow("category, no dash") << BusSelector::category(s("cart")) << s("cart") << s("X") << false;
    QTest::newRow("category, prefix") << BusSelector::category(s("car")) << s("cart-1") << s("X") << false;
}

void TestEventBus::selector()
{
    QFETCH(BusSelector, selector);
    QFETCH(QString, stream);
    QFETCH(QString, type);
    QFETCH(bool, matches);
    const RecordedEvent e = makeEvent(stream, 1, type);
    QCOMPARE(selector.matches(e), matches);
    if (selector.kind() == BusSelector::Kind::Category)
        QCOMPARE(selector.matches(e), e.stream.category() == selector.pattern());

    EventBus bus;
    int calls = 0;
    bus.subscribe(QStringLiteral("h"), selector, [&](const RecordedEvent&) { ++calls; });
    bus.publish(e);
    QCOMPARE(calls, matches ? 1 : 0);
}

void TestEventBus::parseSelector_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("pattern");
    QTest::newRow("empty") << QString() << int(BusSelector::Kind::All) << QString();
    QTest::newRow("star") << QStringLiteral(" * ") << int(BusSelector::Kind::All) << QString();
    QTest::newRow("type") << QStringLiteral("ItemAdded") << int(BusSelector::Kind::Type)
                          << QStringLiteral("ItemAdded");
    QTest::newRow("glob") << QStringLiteral("*Paid") << int(BusSelector::Kind::TypeGlob)
                          << QStringLiteral("*Paid");
    QTest::newRow("category") << QStringLiteral("category:cart") << int(BusSelector::Kind::Category)
                              << QStringLiteral("cart");
}

void TestEventBus::parseSelector()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, pattern);
    const auto selector = BusSelector::parse(text);
    QCOMPARE(int(selector.kind()), kind);
    QCOMPARE(selector.pattern(), pattern);
    QCOMPARE(BusSelector::parse(selector.toString()), selector);
}

void TestEventBus::invalidSubscriptions()
{
    EventBus bus;
    const auto noop = [](const RecordedEvent&) {};
    bus.subscribe(QStringLiteral("projector"), BusSelector::all(), noop);
    QVERIFY_THROWS_EXCEPTION(
        InvalidInput, bus.subscribe(QStringLiteral("projector"), BusSelector::all(), noop));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, bus.subscribe(QStringLiteral("  "), BusSelector::all(), noop));
    QVERIFY_THROWS_EXCEPTION(
        InvalidInput, bus.subscribe(QStringLiteral("x"), BusSelector::all(), BusHandler()));
    QVERIFY_THROWS_EXCEPTION(InvalidInput,
        bus.subscribe(
            QStringLiteral("x"), BusSelector::all(), noop, DeliveryMode::Synchronous, RetryPolicy {0, 0, 1}));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, BusSelector::category(QStringLiteral("a-b")));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, BusSelector::type(QString()));
    try {
        bus.subscribe(QStringLiteral("projector"), BusSelector::all(), noop);
        QFAIL("a duplicate handler name was accepted");
    } catch (const InvalidInput& e) {
        QVERIFY2(e.message().contains(QLatin1String("projector")), qPrintable(e.message()));
    }
    QCOMPARE(bus.handlerNames(), QStringList {QStringLiteral("projector")});
}

void TestEventBus::synchronousDeliveryIsDoneWhenPublishReturns()
{
    EventBus bus;
    std::vector<qint64> seen;
    Qt::HANDLE thread = nullptr;
    bus.subscribe(QStringLiteral("h"), BusSelector::all(), [&](const RecordedEvent& e) {
        seen.push_back(e.version.value);
        thread = QThread::currentThreadId();
    });
    bus.publish(std::vector<RecordedEvent> {makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T")),
        makeEvent(QStringLiteral("a-1"), 2, QStringLiteral("T"))});
    QCOMPARE(seen, (std::vector<qint64> {1, 2}));
    QCOMPARE(thread, QThread::currentThreadId());
}

void TestEventBus::queuedDeliveryRunsOnWorker()
{
    EventBus bus;
    std::atomic<int> calls {0};
    std::atomic<Qt::HANDLE> thread {nullptr};
    bus.subscribe(
        QStringLiteral("h"), BusSelector::type(QStringLiteral("T")),
        [&](const RecordedEvent&) {
            thread = QThread::currentThreadId();
            ++calls;
        },
        DeliveryMode::Queued);
    QSignalSpy delivered(&bus, &EventBus::delivered);
    bus.publish(makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T")));
    bus.publish(makeEvent(QStringLiteral("a-1"), 2, QStringLiteral("Other")));
    QTRY_COMPARE(delivered.count(), 1);
    QVERIFY(bus.waitForIdle());
    QCOMPARE(calls.load(), 1);
    QVERIFY(thread.load() != QThread::currentThreadId());
}

void TestEventBus::queuedKeepsPerStreamOrderUnderLoad()
{
    EventBus bus;
    std::mutex lock;
    std::map<QString, std::vector<qint64>> seen;
    bus.subscribe(
        QStringLiteral("h"), BusSelector::all(),
        [&](const RecordedEvent& e) {
            std::lock_guard guard(lock);
            seen[e.stream.toString()].push_back(e.version.value);
        },
        DeliveryMode::Queued);
    constexpr int streams = 16;
    constexpr int perStream = 2000;
    // Two publishing threads plus this one, each with its own streams, interleaved.
    const auto publishRange = [&](int firstStream, int lastStream) {
        for (int v = 1; v <= perStream; ++v)
            for (int s = firstStream; s < lastStream; ++s)
                bus.publish(makeEvent(QStringLiteral("s-%1").arg(s), v, QStringLiteral("T")));
    };
    std::thread a(publishRange, 0, 5);
    std::thread b(publishRange, 5, 10);
    publishRange(10, streams);
    a.join();
    b.join();
    QVERIFY(bus.waitForIdle());
    QCOMPARE(int(seen.size()), streams);
    for (const auto& [stream, versions] : seen) {
        QCOMPARE(int(versions.size()), perStream);
        for (int i = 0; i < perStream; ++i)
            QCOMPARE(versions[std::size_t(i)], qint64(i + 1));
    }
    QCOMPARE(bus.totals().delivered, quint64(streams * perStream));
}

void TestEventBus::queuedRetryHoldsBackOnlyItsStream()
{
    EventBus bus;
    std::mutex lock;
    std::vector<QString> order;
    std::atomic<int> failuresLeft {2};
    bus.subscribe(
        QStringLiteral("h"), BusSelector::all(),
        [&](const RecordedEvent& e) {
            if (e.stream.toString() == QLatin1String("slow-1") && e.version.value == 1
                && failuresLeft.fetch_sub(1) > 0)
                throw InvalidInput(QStringLiteral("not yet"));
            std::lock_guard guard(lock);
            order.push_back(e.stream.toString() + QLatin1Char('/') + QString::number(e.version.value));
        },
        DeliveryMode::Queued, RetryPolicy {5, 20, 2.0});
    bus.publish(makeEvent(QStringLiteral("slow-1"), 1, QStringLiteral("T")));
    bus.publish(makeEvent(QStringLiteral("slow-1"), 2, QStringLiteral("T")));
    bus.publish(makeEvent(QStringLiteral("fast-1"), 1, QStringLiteral("T")));
    QVERIFY(bus.waitForIdle());
    // fast-1 went on while slow-1/1 waited for its retries; slow-1/2 waited for slow-1/1.
    QCOMPARE(order,
        (std::vector<QString> {
            QStringLiteral("fast-1/1"), QStringLiteral("slow-1/1"), QStringLiteral("slow-1/2")}));
    QCOMPARE(bus.totals().failed, quint64(2));
    QCOMPARE(bus.deadLetters().count(), 0);
}

void TestEventBus::unsubscribeStopsDelivery()
{
    EventBus bus;
    int calls = 0;
    const auto id
        = bus.subscribe(QStringLiteral("h"), BusSelector::all(), [&](const RecordedEvent&) { ++calls; });
    bus.publish(makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T")));
    QVERIFY(bus.unsubscribe(id));
    QVERIFY(!bus.unsubscribe(id));
    bus.publish(makeEvent(QStringLiteral("a-1"), 2, QStringLiteral("T")));
    QCOMPARE(calls, 1);
    QVERIFY(bus.handlerNames().isEmpty());
    // The name is free again.
    bus.subscribe(QStringLiteral("h"), BusSelector::all(), [&](const RecordedEvent&) { calls += 10; });
    bus.publish(makeEvent(QStringLiteral("a-1"), 3, QStringLiteral("T")));
    QCOMPARE(calls, 11);
}

void TestEventBus::throwingHandlerDoesNotStopOthers_data()
{
    QTest::addColumn<DeliveryMode>("mode");
    QTest::newRow("synchronous") << DeliveryMode::Synchronous;
    QTest::newRow("queued") << DeliveryMode::Queued;
}

void TestEventBus::throwingHandlerDoesNotStopOthers()
{
    QFETCH(DeliveryMode, mode);
    EventBus bus;
    std::atomic<int> before {0};
    std::atomic<int> after {0};
    bus.subscribe(
        QStringLiteral("before"), BusSelector::all(), [&](const RecordedEvent&) { ++before; }, mode);
    bus.subscribe(
        QStringLiteral("broken"), BusSelector::all(),
        [](const RecordedEvent&) { throw std::runtime_error("broken handler"); }, mode, noBackoff(1));
    bus.subscribe(
        QStringLiteral("after"), BusSelector::all(), [&](const RecordedEvent&) { ++after; }, mode);
    bus.publish(makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T")));
    bus.publish(makeEvent(QStringLiteral("a-1"), 2, QStringLiteral("T")));
    QVERIFY(bus.waitForIdle());
    QCOMPARE(before.load(), 2);
    QCOMPARE(after.load(), 2);
    QCOMPARE(bus.deadLetters().count(), 2);
    QCOMPARE(bus.deadLetters().list().front().error, QStringLiteral("broken handler"));
}

void TestEventBus::retryThenSuccessDeliversOnce_data()
{
    throwingHandlerDoesNotStopOthers_data();
}

void TestEventBus::retryThenSuccessDeliversOnce()
{
    QFETCH(DeliveryMode, mode);
    EventBus bus;
    Flaky flaky(2);
    QSignalSpy failed(&bus, &EventBus::failed);
    bus.subscribe(
        QStringLiteral("flaky"), BusSelector::all(), flaky.handler(), mode, RetryPolicy {3, 1, 2.0});
    bus.publish(makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T")));
    QVERIFY(bus.waitForIdle());
    QCOMPARE(flaky.calls->load(), 3);
    QCOMPARE(flaky.applied->load(), 1);
    QCOMPARE(failed.count(), 2);
    QCOMPARE(failed.at(0).at(3).toInt(), 1);
    QCOMPARE(failed.at(1).at(3).toInt(), 2);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("flaky"));
    QCOMPARE(bus.deadLetters().count(), 0);
    const auto c = bus.handlerCounters(QStringLiteral("flaky"))->counters;
    QCOMPARE(c.delivered, quint64(1));
    QCOMPARE(c.failed, quint64(2));
    QCOMPARE(c.deadLettered, quint64(0));
}

void TestEventBus::retryExhaustedGoesToDeadLetters_data()
{
    throwingHandlerDoesNotStopOthers_data();
}

void TestEventBus::retryExhaustedGoesToDeadLetters()
{
    QFETCH(DeliveryMode, mode);
    EventBus bus;
    Flaky flaky(-1); // always fails
    QSignalSpy parked(&bus, &EventBus::deadLettered);
    bus.subscribe(
        QStringLiteral("flaky"), BusSelector::all(), flaky.handler(), mode, RetryPolicy {3, 1, 2.0});
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const RecordedEvent event = makeEvent(QStringLiteral("cart-7"), 4, QStringLiteral("ItemAdded"), 99);
    bus.publish(event);
    QVERIFY(bus.waitForIdle());
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(flaky.calls->load(), 3);
    QCOMPARE(parked.count(), 1);
    const auto entries = bus.deadLetters().list();
    QCOMPARE(entries.size(), std::size_t(1));
    const DeadLetter& d = entries.front();
    QCOMPARE(parked.at(0).at(0).value<DeadLetter>().id, d.id);
    QCOMPARE(d.handler, QStringLiteral("flaky"));
    QCOMPARE(d.error, QStringLiteral("cannot apply ItemAdded of cart-7"));
    QCOMPARE(d.attempts, 3);
    QCOMPARE(d.event.id, event.id);
    QCOMPARE(d.event.position.value, 99);
    QCOMPARE(d.event.data, event.data);
    QVERIFY(d.firstFailureMs >= before && d.firstFailureMs <= d.lastFailureMs && d.lastFailureMs <= after);
    QCOMPARE(bus.totals().deadLettered, quint64(1));
    QCOMPARE(bus.totals().failed, quint64(3));
    QCOMPARE(bus.totals().delivered, quint64(0));
}

void TestEventBus::deadLetterRetryAfterFix()
{
    EventBus bus;
    Flaky flaky(-1);
    bus.subscribe(QStringLiteral("flaky"), BusSelector::all(), flaky.handler(), DeliveryMode::Synchronous,
        noBackoff(2));
    const RecordedEvent event = makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T"));
    bus.publish(event);
    QCOMPARE(bus.deadLetters().count(), 1);
    const qint64 id = bus.deadLetters().list().front().id;
    flaky.failuresLeft->store(0); // the cause is fixed
    QSignalSpy delivered(&bus, &EventBus::delivered);
    QVERIFY(bus.retryDeadLetter(id));
    QCOMPARE(flaky.applied->load(), 1);
    QCOMPARE(delivered.count(), 1);
    QCOMPARE(bus.deadLetters().count(), 0);
    QVERIFY(!bus.deadLetters().get(id));
    // Publishing it again does not apply it a second time.
    bus.publish(event);
    QCOMPARE(flaky.applied->load(), 1);
    QCOMPARE(bus.totals().duplicates, quint64(1));
}

void TestEventBus::deadLetterRetryStillFailing()
{
    EventBus bus;
    Flaky flaky(-1);
    bus.subscribe(QStringLiteral("flaky"), BusSelector::all(), flaky.handler(), DeliveryMode::Synchronous,
        noBackoff(2));
    bus.publish(makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T")));
    const DeadLetter first = bus.deadLetters().list().front();
    QTest::qWait(5); // so that the last failure time can move
    QVERIFY(!bus.retryDeadLetter(first.id));
    const auto updated = bus.deadLetters().get(first.id);
    QVERIFY(updated);
    QCOMPARE(updated->attempts, 3);
    QCOMPARE(updated->firstFailureMs, first.firstFailureMs);
    QVERIFY(updated->lastFailureMs > first.lastFailureMs);
    QCOMPARE(bus.deadLetters().count(), 1);
    // Once fixed, it still can be delivered (the failed retry did not mark it processed).
    flaky.failuresLeft->store(0);
    QVERIFY(bus.retryDeadLetter(first.id));
    QCOMPARE(flaky.applied->load(), 1);
}

void TestEventBus::deadLetterRetryUnknown()
{
    EventBus bus;
    QVERIFY_THROWS_EXCEPTION(InvalidInput, bus.retryDeadLetter(42));
    const auto id = bus.subscribe(
        QStringLiteral("gone"), BusSelector::all(),
        [](const RecordedEvent&) { throw std::runtime_error("no"); }, DeliveryMode::Synchronous,
        noBackoff(1));
    bus.publish(makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T")));
    bus.unsubscribe(id);
    QVERIFY_THROWS_EXCEPTION(InvalidInput, bus.retryDeadLetter(bus.deadLetters().list().front().id));
    QCOMPARE(bus.deadLetters().count(), 1);
}

void TestEventBus::discardDeadLetter()
{
    EventBus bus;
    Flaky flaky(-1);
    bus.subscribe(QStringLiteral("flaky"), BusSelector::all(), flaky.handler(), DeliveryMode::Synchronous,
        noBackoff(1));
    bus.publish(makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T")));
    bus.publish(makeEvent(QStringLiteral("a-1"), 2, QStringLiteral("T")));
    const auto entries = bus.deadLetters().list();
    QCOMPARE(entries.size(), std::size_t(2));
    QVERIFY(bus.discardDeadLetter(entries[0].id));
    QVERIFY(!bus.discardDeadLetter(entries[0].id));
    QCOMPARE(bus.deadLetters().count(), 1);
    QCOMPARE(bus.deadLetters().list().front().event.version.value, 2);
    QCOMPARE(flaky.calls->load(), 2);
}

void TestEventBus::republishedEventIsAppliedOnce_data()
{
    throwingHandlerDoesNotStopOthers_data();
}

void TestEventBus::republishedEventIsAppliedOnce()
{
    QFETCH(DeliveryMode, mode);
    EventBus bus;
    Flaky flaky(0);
    bus.subscribe(QStringLiteral("h"), BusSelector::all(), flaky.handler(), mode);
    const RecordedEvent event = makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T"));
    bus.publish(event);
    bus.publish(event);
    bus.publish(std::vector<RecordedEvent> {event, makeEvent(QStringLiteral("a-1"), 2, QStringLiteral("T"))});
    QVERIFY(bus.waitForIdle());
    QCOMPARE(flaky.applied->load(), 2);
    const auto c = bus.totals();
    QCOMPARE(c.published, quint64(4));
    QCOMPARE(c.delivered, quint64(2));
    QCOMPARE(c.duplicates, quint64(2));
}

void TestEventBus::idempotencyIsPerHandler()
{
    EventBus bus;
    int a = 0;
    int b = 0;
    bus.subscribe(QStringLiteral("a"), BusSelector::all(), [&](const RecordedEvent&) { ++a; });
    const RecordedEvent event = makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T"));
    bus.publish(event);
    bus.subscribe(QStringLiteral("b"), BusSelector::all(), [&](const RecordedEvent&) { ++b; });
    bus.publish(event);
    QCOMPARE(a, 1);
    QCOMPARE(b, 1);
    // Beyond the idempotency window an id is forgotten.
    int c = 0;
    Subscriber small;
    small.name = QStringLiteral("small");
    small.selector = BusSelector::category(QStringLiteral("w"));
    small.handler = [&](const RecordedEvent&) { ++c; };
    small.idempotencyWindow = 2;
    bus.subscribe(small);
    const RecordedEvent w1 = makeEvent(QStringLiteral("w-1"), 1, QStringLiteral("T"));
    bus.publish(w1);
    bus.publish(makeEvent(QStringLiteral("w-1"), 2, QStringLiteral("T")));
    bus.publish(w1);
    QCOMPARE(c, 2);
    bus.publish(makeEvent(QStringLiteral("w-1"), 3, QStringLiteral("T")));
    bus.publish(makeEvent(QStringLiteral("w-1"), 4, QStringLiteral("T")));
    bus.publish(w1);
    QCOMPARE(c, 5);
}

void TestEventBus::idempotencyWindowMatchesModel()
{
    // Random inserts and removes against a plain model: the window remembers exactly the
    // last `capacity` inserted ids that were not removed since.
    constexpr int capacity = 37;
    IdempotencyWindow window(capacity);
    std::vector<QUuid> pool;
    for (int i = 0; i < 120; ++i)
        pool.push_back(QUuid::createUuid());
    std::deque<QUuid> order; // ring of inserted ids, oldest first
    std::set<QUuid> present;
    std::mt19937 random(7);
    for (int step = 0; step < 20000; ++step) {
        const QUuid& id = pool[random() % pool.size()];
        if (random() % 4 == 0) {
            window.remove(id);
            present.erase(id);
        } else {
            const bool inserted = window.insert(id);
            QCOMPARE(inserted, !present.count(id));
            if (inserted) {
                if (int(order.size()) == capacity) {
                    // The oldest ring entry is forgotten, if it still stands for a present id
                    // inserted at that time (a removed and re-inserted id has a newer entry).
                    const QUuid oldest = order.front();
                    order.pop_front();
                    if (std::find(order.begin(), order.end(), oldest) == order.end())
                        present.erase(oldest);
                }
                order.push_back(id);
                present.insert(id);
            }
        }
        for (int k = 0; k < 5; ++k) {
            const QUuid& probe = pool[random() % pool.size()];
            QCOMPARE(window.contains(probe), present.count(probe) == 1);
        }
    }
}

void TestEventBus::metadataFlowsUntouched()
{
    EventBus bus;
    RecordedEvent got;
    bus.subscribe(
        QStringLiteral("h"), BusSelector::all(), [&](const RecordedEvent& e) { got = e; },
        DeliveryMode::Queued);
    const QByteArray metadata = R"({"correlationId":"c-1","causationId":"e-0","tenant":"x"})";
    const RecordedEvent event = makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T"), 5, metadata);
    bus.publish(event);
    QVERIFY(bus.waitForIdle());
    QCOMPARE(got.metadata, metadata);
    QCOMPARE(got.metadataJson().value("correlationId", std::string()), std::string("c-1"));
    QCOMPARE(got.id, event.id);
    QCOMPARE(got.data, event.data);
}

void TestEventBus::handlerMayPublish()
{
    EventBus bus;
    std::vector<QString> seen;
    bus.subscribe(QStringLiteral("policy"), BusSelector::all(), [&](const RecordedEvent& e) {
        seen.push_back(e.type);
        if (e.type == QLatin1String("OrderPlaced"))
            bus.publish(makeEvent(QStringLiteral("order-1"), 2, QStringLiteral("PaymentRequested")));
    });
    bus.publish(makeEvent(QStringLiteral("order-1"), 1, QStringLiteral("OrderPlaced")));
    QCOMPARE(
        seen, (std::vector<QString> {QStringLiteral("OrderPlaced"), QStringLiteral("PaymentRequested")}));
}

void TestEventBus::signalsReportDeliveries()
{
    EventBus bus;
    QSignalSpy published(&bus, &EventBus::published);
    QSignalSpy delivered(&bus, &EventBus::delivered);
    bus.subscribe(
        QStringLiteral("q"), BusSelector::all(), [](const RecordedEvent&) {}, DeliveryMode::Queued);
    bus.subscribe(QStringLiteral("s"), BusSelector::all(), [](const RecordedEvent&) {});
    const RecordedEvent event = makeEvent(QStringLiteral("a-1"), 1, QStringLiteral("T"));
    bus.publish(event);
    QCOMPARE(published.count(), 1);
    QCOMPARE(published.at(0).at(0).value<RecordedEvent>().id, event.id);
    QTRY_COMPARE(delivered.count(), 2);
    QStringList handlers {delivered.at(0).at(0).toString(), delivered.at(1).at(0).toString()};
    handlers.sort();
    QCOMPARE(handlers, (QStringList {QStringLiteral("q"), QStringLiteral("s")}));
    QVERIFY(delivered.at(0).at(2).toLongLong() >= 0);
}

void TestEventBus::countersPerHandlerAndTotal()
{
    EventBus bus;
    bus.subscribe(
        QStringLiteral("carts"), BusSelector::category(QStringLiteral("cart")), [](const RecordedEvent&) {});
    bus.subscribe(
        QStringLiteral("all"), BusSelector::all(), [](const RecordedEvent&) { QThread::usleep(200); });
    for (int i = 1; i <= 3; ++i)
        bus.publish(makeEvent(QStringLiteral("cart-1"), i, QStringLiteral("T")));
    bus.publish(makeEvent(QStringLiteral("order-1"), 1, QStringLiteral("T")));
    const auto carts = bus.handlerCounters(QStringLiteral("carts"))->counters;
    const auto all = bus.handlerCounters(QStringLiteral("all"))->counters;
    QCOMPARE(carts.delivered, quint64(3));
    QCOMPARE(all.delivered, quint64(4));
    QVERIFY2(all.meanLatencyNs >= 150000, QByteArray::number(all.meanLatencyNs).constData());
    QVERIFY(all.maxLatencyNs >= all.lastLatencyNs && all.lastLatencyNs >= 150000);
    const auto total = bus.totals();
    QCOMPARE(total.published, quint64(4));
    QCOMPARE(total.delivered, quint64(7));
    QCOMPARE(total.maxLatencyNs, all.maxLatencyNs);
    QCOMPARE(total.lastLatencyNs, all.lastLatencyNs);
    QCOMPARE(bus.handlerCounters().size(), std::size_t(2));
}

QTEST_GUILESS_MAIN(TestEventBus)
#include "tst_eventbus.moc"
