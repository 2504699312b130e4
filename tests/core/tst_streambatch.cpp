// Stream vs batch (core/streambatch): the stream model is current after every event, the batch one
// only after a run (every N events or T simulated seconds), and equal to it then; staleness is the
// sawtooth between runs; both equal a fold computed here independently (Qt's JSON, not the core's).
#include "base/errors.h"
#include "streambatch/streambatch.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <limits>
#include <set>

using namespace chronoscope;
using namespace chronoscope::streambatch;

// Compares two JSON values by their text (QCOMPARE cannot take nlohmann::json itself).
#define QCOMPARE_JSON(actual, expected)                                                                      \
    QCOMPARE(QString::fromStdString((actual).dump()), QString::fromStdString((expected).dump()))

namespace {

// Event i of a made-up shop log: a mix of types, OrderPaid and PaymentRefunded with amounts.
RecordedEvent makeEvent(int i)
{
    static const char* const types[] = {"CartOpened", "ItemAdded", "OrderPlaced", "OrderPaid", "OrderShipped",
        "PaymentRefunded", "OrderCancelled", "StockReserved", "ItemAdded", "OrderPaid", "PaymentCaptured"};
    RecordedEvent e;
    e.position = Position(i + 1);
    e.stream = StreamId(QStringLiteral("order-%1").arg(i / 7));
    e.version = Version(i % 7 + 1);
    e.type = QString::fromLatin1(types[i % std::size(types)]);
    e.data = QStringLiteral(R"({"orderId":"order-%1","amount":%2})").arg(i / 7).arg(100 * i + 1).toUtf8();
    return e;
}

std::vector<RecordedEvent> makeEvents(int n)
{
    std::vector<RecordedEvent> events;
    for (int i = 0; i < n; ++i)
        events.push_back(makeEvent(i));
    return events;
}

// The read model of the first `n` events, folded here with Qt's JSON.
nlohmann::json expectedModel(const std::vector<RecordedEvent>& events, size_t n)
{
    qint64 placed = 0, paid = 0, shipped = 0, cancelled = 0, revenue = 0, refunded = 0;
    std::map<std::string, qint64> byType;
    for (size_t i = 0; i < n; ++i) {
        const RecordedEvent& e = events[i];
        ++byType[e.type.toStdString()];
        const qint64 amount
            = QJsonDocument::fromJson(e.data).object().value(QStringLiteral("amount")).toInteger();
        if (e.type == u"OrderPlaced")
            ++placed;
        if (e.type == u"OrderPaid") {
            ++paid;
            revenue += amount;
        }
        if (e.type == u"OrderShipped")
            ++shipped;
        if (e.type == u"OrderCancelled")
            ++cancelled;
        if (e.type == u"PaymentRefunded")
            refunded += amount;
    }
    nlohmann::json types = nlohmann::json::object();
    for (const auto& [type, count] : byType)
        types[type] = count;
    return {{"events", static_cast<qint64>(n)}, {"ordersPlaced", placed}, {"ordersPaid", paid},
        {"ordersShipped", shipped}, {"ordersCancelled", cancelled}, {"revenueCents", revenue},
        {"refundedCents", refunded}, {"byType", types}};
}

BatchPolicy everyEvents(qint64 n)
{
    BatchPolicy p;
    p.trigger = BatchPolicy::Trigger::Events;
    p.everyEvents = n;
    return p;
}

BatchPolicy everySeconds(double t)
{
    BatchPolicy p;
    p.trigger = BatchPolicy::Trigger::Seconds;
    p.everySeconds = t;
    return p;
}

} // namespace

class TestStreamBatch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyNEventsIsASawtooth();
    void everyTSecondsOnTheSimulatedClock();
    void tickRunsADueBatchWithoutEvents();
    void changingThePolicyKeepsWhatIsBuffered();
    void historyIsBounded();
    void emptyInput();
    void amountsAndBadPayloads();
    void latencyLagAndThroughput();
    void badPolicyIsRefused();
    void resetStartsOver();
    void hugeAmountsStopAtTheLimit();
};

void TestStreamBatch::everyNEventsIsASawtooth()
{
    const auto events = makeEvents(100);
    Comparison c(everyEvents(25));
    std::vector<qint64> staleness;
    for (size_t i = 0; i < events.size(); ++i) {
        c.feed(events[i], 0.01 * static_cast<double>(i));
        staleness.push_back(c.counters().stalenessEvents);
        // The stream model is always current.
        QCOMPARE_JSON(c.streamModel(), expectedModel(events, i + 1));
        const size_t included = (i + 1) / 25 * 25;
        QCOMPARE(c.batch().pendingEvents(), static_cast<qint64>(i + 1 - included));
        QCOMPARE_JSON(c.batchModel(), expectedModel(events, included));
        if ((i + 1) % 25 == 0)
            QCOMPARE_JSON(c.batchModel(), c.streamModel()); // equal right after a run
    }
    QCOMPARE(c.counters().batchRuns, 4);
    QCOMPARE(c.counters().processed, 100);
    for (size_t i = 0; i < staleness.size(); ++i)
        QCOMPARE(staleness[i], static_cast<qint64>((i + 1) % 25));
    QCOMPARE(c.counters().maxStalenessEvents, 24);
    // The history holds the sawtooth: 0..24, four drops to 0, never decreasing in time.
    qint64 high = 0;
    int drops = 0;
    for (size_t i = 0; i < c.history().size(); ++i) {
        const auto& p = c.history()[i];
        QVERIFY(p.events >= 0 && p.events <= 24);
        high = std::max(high, p.events);
        if (i > 0) {
            QVERIFY(p.seconds >= c.history()[i - 1].seconds);
            if (p.events < c.history()[i - 1].events) {
                ++drops;
                QCOMPARE(c.history()[i - 1].events, 24);
                QCOMPARE(p.events, 0);
            }
        }
    }
    QCOMPARE(high, 24);
    QCOMPARE(drops, 4);
}

void TestStreamBatch::everyTSecondsOnTheSimulatedClock()
{
    const auto events = makeEvents(50);
    Comparison c(everySeconds(1.0));
    // An event every 0.1 s from t = 0: runs at 1.0, 2.0, 3.0, 4.0 (t = 4.9 is the last event).
    for (int i = 0; i < 50; ++i) {
        c.feed(events[static_cast<size_t>(i)], 0.1 * i);
        const int runs = (i >= 10) + (i >= 20) + (i >= 30) + (i >= 40);
        QCOMPARE(c.counters().batchRuns, runs);
        const size_t included = runs == 0 ? 0 : static_cast<size_t>(runs * 10 + 1);
        QCOMPARE_JSON(c.batchModel(), expectedModel(events, included));
    }
    QCOMPARE(c.counters().stalenessEvents, 9); // 4.1 .. 4.9
    QCOMPARE(c.counters().stalenessSeconds, 4.9 - 4.1);
    QCOMPARE(c.counters().elapsedSeconds, 4.9);
    QCOMPARE(c.counters().throughput, 50 / 4.9);
    // The batch lag: each event waited for the run after it.
    QVERIFY(c.counters().batchLagMaxSeconds > 0.85 && c.counters().batchLagMaxSeconds <= 1.0 + 1e-9);
}

void TestStreamBatch::tickRunsADueBatchWithoutEvents()
{
    const auto events = makeEvents(3);
    Comparison c(everySeconds(2.0));
    c.tick(0);
    for (const auto& e : events)
        c.feed(e, 0.5);
    c.tick(1.9);
    QCOMPARE(c.counters().batchRuns, 0);
    QCOMPARE(c.counters().stalenessEvents, 3);
    QCOMPARE(c.counters().stalenessSeconds, 1.4);
    c.tick(2.0);
    QCOMPARE(c.counters().batchRuns, 1);
    QCOMPARE(c.counters().stalenessEvents, 0);
    QCOMPARE_JSON(c.batchModel(), c.streamModel());
    // Nothing new: a due run is skipped.
    c.tick(4.5);
    QCOMPARE(c.counters().batchRuns, 1);
    // Time never goes back.
    c.tick(1.0);
    QCOMPARE(c.now(), 4.5);
    // The history went up to 3 and dropped to 0 at t = 2.
    const auto& h = c.history();
    QVERIFY(std::any_of(
        h.begin(), h.end(), [](const StalenessPoint& p) { return p.events == 3 && p.seconds == 2.0; }));
    QCOMPARE(h.back().events, 0);
    QCOMPARE(h.back().seconds, 4.5);
}

void TestStreamBatch::changingThePolicyKeepsWhatIsBuffered()
{
    const auto events = makeEvents(30);
    Comparison c(everyEvents(100));
    for (int i = 0; i < 30; ++i)
        c.feed(events[static_cast<size_t>(i)], i);
    QCOMPARE(c.counters().batchRuns, 0);
    c.setPolicy(everyEvents(10));
    QCOMPARE(c.counters().stalenessEvents, 30);
    c.tick(30);
    QCOMPARE(c.counters().batchRuns, 1);
    QCOMPARE_JSON(c.batchModel(), expectedModel(events, 30));
}

void TestStreamBatch::historyIsBounded()
{
    Comparison c(everyEvents(25));
    for (int i = 0; i < 20000; ++i)
        c.feed(makeEvent(i), 0.001 * i);
    const auto& h = c.history();
    QVERIFY2(h.size() <= static_cast<size_t>(MaxHistoryPoints), qPrintable(QString::number(h.size())));
    QVERIFY(h.size() > MaxHistoryPoints / 2);
    qint64 high = 0, low = 100;
    for (size_t i = 1; i < h.size(); ++i)
        QVERIFY(h[i].seconds >= h[i - 1].seconds);
    for (const auto& p : h) {
        high = std::max(high, p.events);
        low = std::min(low, p.events);
    }
    // Thinning kept the peaks and the troughs, the first and the latest times.
    QCOMPARE(high, 24);
    QCOMPARE(low, 0);
    QVERIFY(h.front().seconds < 1.0);
    QCOMPARE(h.back().seconds, 0.001 * 19999);
    QCOMPARE(c.counters().batchRuns, 800);
    QCOMPARE_JSON(c.batchModel(), c.streamModel());
}

void TestStreamBatch::emptyInput()
{
    Comparison c;
    QCOMPARE_JSON(c.streamModel(), ShopFigures().toJson());
    QCOMPARE_JSON(c.batchModel(), c.streamModel());
    QCOMPARE_JSON(c.streamModel(), expectedModel({}, 0));
    const Counters before = c.counters();
    QCOMPARE(before.processed, 0);
    QCOMPARE(before.throughput, 0.0);
    QCOMPARE(before.streamLatencyAvgUs, 0.0);
    QCOMPARE(before.batchRuns, 0);
    QCOMPARE(before.stalenessEvents, 0);
    QVERIFY(c.history().empty());
    c.tick(10);
    c.tick(20);
    QCOMPARE(c.counters().batchRuns, 0);
    QCOMPARE(c.counters().throughput, 0.0);
    QCOMPARE(c.counters().elapsedSeconds, 10.0);
    QVERIFY(c.history().size() <= 2);
    Comparison seconds(everySeconds(1));
    seconds.tick(0);
    seconds.tick(5);
    QCOMPARE(seconds.counters().batchRuns, 0);
}

void TestStreamBatch::amountsAndBadPayloads()
{
    RecordedEvent paid;
    paid.type = QStringLiteral("OrderPaid");
    paid.data = R"({"orderId":"order-1","paymentId":"payment-1","amount":4599})";
    QCOMPARE(amountOf(paid), 4599);
    RecordedEvent notJson = paid;
    notJson.data = "{not json";
    QCOMPARE(amountOf(notJson), 0);
    RecordedEvent text = paid;
    text.data = R"({"amount":"12"})";
    QCOMPARE(amountOf(text), 0);
    RecordedEvent huge = paid;
    huge.data = R"({"amount":18446744073709551615})";
    QCOMPARE(amountOf(huge), 0);
    RecordedEvent other = paid;
    other.type = QStringLiteral("PaymentCaptured");
    QCOMPARE(amountOf(other), 0);

    Comparison c(everyEvents(1));
    c.feed(paid, 0);
    c.feed(notJson, 1);
    const auto model = c.streamModel();
    QCOMPARE(model["events"].get<qint64>(), 2);
    QCOMPARE(model["ordersPaid"].get<qint64>(), 2);
    QCOMPARE(model["revenueCents"].get<qint64>(), 4599);
    QCOMPARE(model["byType"]["OrderPaid"].get<qint64>(), 2);
    QCOMPARE_JSON(c.batchModel(), model);
}

void TestStreamBatch::latencyLagAndThroughput()
{
    const auto events = makeEvents(40);
    Comparison c(everyEvents(40));
    for (int i = 0; i < 40; ++i)
        c.feed(events[static_cast<size_t>(i)], 0.5 * i + 0.25, 0.5 * i); // processed 0.25 s after arrival
    const Counters k = c.counters();
    QVERIFY(k.streamLatencyAvgUs > 0);
    QVERIFY(k.streamLatencyMaxUs >= k.streamLatencyAvgUs);
    QCOMPARE(k.streamLagAvgSeconds, 0.25);
    QCOMPARE(k.streamLagMaxSeconds, 0.25);
    QCOMPARE(k.batchRuns, 1);
    QVERIFY(k.lastBatchUs > 0);
    // The first event waited for the run at 19.75 s.
    QCOMPARE(k.batchLagMaxSeconds, 19.75);
    QCOMPARE(k.elapsedSeconds, 19.5);
    QCOMPARE(k.throughput, 40 / 19.5);
    // An arrival after the processing time counts as the processing time.
    Comparison d;
    d.feed(events[0], 1.0, 5.0);
    QCOMPARE(d.counters().streamLagMaxSeconds, 0.0);
}

void TestStreamBatch::badPolicyIsRefused()
{
    Comparison c;
    QVERIFY_THROWS_EXCEPTION(InvalidInput, c.setPolicy(everyEvents(0)));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, c.setPolicy(everySeconds(0)));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, c.setPolicy(everySeconds(std::nan(""))));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, (void)BatchProcessor(everyEvents(MaxEveryEvents + 1)));
    QCOMPARE(c.policy(), BatchPolicy()); // unchanged
    try {
        c.setPolicy(everyEvents(-3));
        QFAIL("no error");
    } catch (const InvalidInput& error) {
        QVERIFY2(error.message().contains(u"-3"), qPrintable(error.message()));
    }
    QCOMPARE(triggerFromName(QStringLiteral("events")), BatchPolicy::Trigger::Events);
    QCOMPARE(triggerFromName(QStringLiteral("seconds")), BatchPolicy::Trigger::Seconds);
    QVERIFY(!triggerFromName(QStringLiteral("minutes")));
    QCOMPARE(triggerName(BatchPolicy::Trigger::Seconds), u"seconds");
}

void TestStreamBatch::resetStartsOver()
{
    const auto events = makeEvents(60);
    Comparison c(everyEvents(7));
    for (int i = 0; i < 60; ++i)
        c.feed(events[static_cast<size_t>(i)], i);
    QVERIFY(c.counters().batchRuns > 0);
    c.reset();
    QCOMPARE(c.policy(), everyEvents(7));
    QCOMPARE(c.counters().processed, 0);
    QCOMPARE(c.counters().batchRuns, 0);
    QCOMPARE(c.counters().maxStalenessEvents, 0);
    QVERIFY(c.history().empty());
    QCOMPARE_JSON(c.batchModel(), ShopFigures().toJson());
    c.feed(events[0], 100);
    QCOMPARE(c.counters().elapsedSeconds, 0.0);
    QCOMPARE_JSON(c.streamModel(), expectedModel(events, 1));
}

void TestStreamBatch::hugeAmountsStopAtTheLimit()
{
    // Hostile amounts near 2^62: the sums stop at the largest value instead of overflowing.
    RecordedEvent paid;
    paid.type = QStringLiteral("OrderPaid");
    paid.data = R"({"amount":4611686018427387904})";
    RecordedEvent refund = paid;
    refund.type = QStringLiteral("PaymentRefunded");
    refund.data = R"({"amount":-4611686018427387904})";
    Comparison c(everyEvents(2));
    for (int i = 0; i < 4; ++i) {
        c.feed(paid, i);
        c.feed(refund, i);
    }
    QCOMPARE(c.streamModel()["revenueCents"].get<qint64>(), std::numeric_limits<qint64>::max());
    QCOMPARE(c.batchModel()["revenueCents"].get<qint64>(), std::numeric_limits<qint64>::max());
    QCOMPARE(c.batchModel()["refundedCents"].get<qint64>(), std::numeric_limits<qint64>::min());
    QCOMPARE(c.batchModel()["events"].get<qint64>(), 8);
}

QTEST_APPLESS_MAIN(TestStreamBatch)
#include "tst_streambatch.moc"
