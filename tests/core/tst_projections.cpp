// Projections: the built-in read models, checkpoints, catch-up, state as of a position, the
// stepper, faults, the worker-thread runner and `chronoscope-cli project`.
#include "projections/jsprojection.h"
#include "projections/projectionengine.h"
#include "projections/projectionrunner.h"
#include "store/memoryeventstore.h"
#include "store/storefactory.h"
#include "support/carttotals.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <random>

using namespace chronoscope;
using nlohmann::json;

// QCOMPARE cannot print nlohmann::json: compare the canonical text.
#define QCOMPARE_JSON(actual, expected)                                                                      \
    QCOMPARE(QString::fromStdString(json(actual).dump()), QString::fromStdString(json(expected).dump()))

namespace {

qint64 at(const char* iso)
{
    return *parseTimestamp(QString::fromUtf8(iso));
}

void add(EventStore& store, const char* stream, const char* type, const json& data, const char* time)
{
    EventData e;
    e.type = QString::fromUtf8(type);
    e.data = QByteArray::fromStdString(data.dump());
    e.timestampMs = at(time);
    store.append(StreamId(QString::fromUtf8(stream)), {e}, ExpectedVersion::any());
}

/// Eleven events over two days: two carts, two orders and a stream without a category.
void fillShop(EventStore& s)
{
    add(s, "cart-1", "CartOpened", {{"cartId", "cart-1"}, {"customerId", "c1"}}, "2026-01-05T10:15:00Z");
    add(s, "cart-1", "ItemAdded",
        {{"cartId", "cart-1"}, {"sku", "A"}, {"name", "Apple"}, {"quantity", 2}, {"unitPrice", 150}},
        "2026-01-05T10:20:00Z");
    add(s, "cart-2", "CartOpened", {{"cartId", "cart-2"}, {"customerId", "c2"}}, "2026-01-05T11:05:00Z");
    add(s, "cart-1", "ItemAdded",
        {{"cartId", "cart-1"}, {"sku", "B"}, {"name", "Bread"}, {"quantity", 1}, {"unitPrice", 1000}},
        "2026-01-05T11:30:00Z");
    add(s, "cart-1", "ItemRemoved", {{"cartId", "cart-1"}, {"sku", "A"}, {"quantity", 1}},
        "2026-01-05T11:31:00Z");
    add(s, "cart-1", "CartConfirmed", {{"cartId", "cart-1"}, {"customerId", "c1"}, {"total", 1150}},
        "2026-01-05T11:40:00Z");
    add(s, "order-1", "OrderPlaced", {{"orderId", "order-1"}, {"cartId", "cart-1"}, {"total", 1150}},
        "2026-01-05T11:41:00Z");
    add(s, "order-1", "OrderPaid", {{"orderId", "order-1"}, {"paymentId", "payment-1"}, {"amount", 1150}},
        "2026-01-05T23:59:00Z");
    add(s, "cart-2", "CartAbandoned", {{"cartId", "cart-2"}, {"reason", "timeout"}}, "2026-01-06T00:10:00Z");
    add(s, "order-2", "OrderPaid", {{"orderId", "order-2"}, {"paymentId", "payment-2"}, {"amount", 500}},
        "2026-01-06T09:00:00Z");
    add(s, "audit", "Note", {{"text", "checked"}}, "2026-01-06T09:30:00Z");
}

/// A projection that throws on the n-th event it sees.
std::shared_ptr<const Projection> failingOn(int position)
{
    return JsProjection::fromSource(
        QStringLiteral("fromAll().when({\n"
                       "  $init: function () { return { n: 0 }; },\n"
                       "  $any: function (s, e) {\n"
                       "    if (e.position === %1) throw new Error('bad ' + e.eventType);\n"
                       "    s.n += 1; }\n"
                       "});\n")
            .arg(position),
        QStringLiteral("failing.js"));
}

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

CliResult cli(const QStringList& arguments)
{
    QProcess p;
    p.start(QStringLiteral(CHRONOSCOPE_CLI), arguments);
    if (!p.waitForFinished(60000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
        QString::fromUtf8(p.readAllStandardError())};
}

/// The read model after a fresh rebuild up to p.
json rebuiltUpTo(const EventStore& store, const std::shared_ptr<const Projection>& p, qint64 position)
{
    ProjectionEngine engine(store, p);
    engine.rebuild({}, Position(position));
    return engine.state();
}

} // namespace

class TestProjections : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void builtinReadModels_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("by type") << QStringLiteral("events-by-type")
                                 << QByteArray(
                                        R"({"CartAbandoned":1,"CartConfirmed":1,"CartOpened":2,"ItemAdded":2,
                                    "ItemRemoved":1,"Note":1,"OrderPaid":2,"OrderPlaced":1})");
        QTest::newRow("by category") << QStringLiteral("events-by-category")
                                     << QByteArray(R"({"":1,"cart":7,"order":3})");
        QTest::newRow("per hour") << QStringLiteral("events-per-hour")
                                  << QByteArray(R"({"2026-01-05T10:00Z":2,"2026-01-05T11:00Z":5,
                                     "2026-01-05T23:00Z":1,"2026-01-06T00:00Z":1,"2026-01-06T09:00Z":2})");
        QTest::newRow("per day") << QStringLiteral("events-per-day")
                                 << QByteArray(R"({"2026-01-05":8,"2026-01-06":3})");
        QTest::newRow("stream lengths")
            << QStringLiteral("stream-lengths")
            << QByteArray(R"({"histogram":[0,2,2,0,0,1],"longest":[{"stream":"cart-1","events":5},
                           {"stream":"cart-2","events":2},{"stream":"order-1","events":2},
                           {"stream":"audit","events":1},{"stream":"order-2","events":1}]})");
        QTest::newRow("carts") << QStringLiteral("cart-summaries")
                               << QByteArray(
                                      R"({"cart-1":{"status":"confirmed","customerId":"c1","itemCount":2,
                                  "total":1150,"items":{"A":{"quantity":1,"unitPrice":150},
                                  "B":{"quantity":1,"unitPrice":1000}}},
                                  "cart-2":{"status":"abandoned","customerId":"c2","itemCount":0,"total":0,"items":{}}})");
        QTest::newRow("revenue") << QStringLiteral("revenue-per-day")
                                 << QByteArray(R"({"2026-01-05":1150,"2026-01-06":500})");
    }
    void builtinReadModels()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, expected);
        MemoryEventStore store;
        fillShop(store);
        ProjectionEngine engine(store, builtinProjection(name));
        QVERIFY(engine.rebuild());
        QCOMPARE(QString::fromStdString(engine.state().dump()),
            QString::fromStdString(json::parse(expected).dump()));
        QCOMPARE(engine.checkpoint(), Position(11));
        QCOMPARE(engine.status(), ProjectionStatus::Stopped);
        QVERIFY(!engine.fault());
    }

    // stream-lengths keeps no per-stream map: its longest streams and histogram follow the
    // events' versions, and stay exact when far more streams than it lists grow in any order.
    void streamLengthsKeepsTheLongestExactly()
    {
        MemoryEventStore store;
        std::mt19937 random(7);
        for (int i = 0; i < 600; ++i) {
            const auto stream = QStringLiteral("s-%1").arg(random() % 60).toStdString();
            add(store, stream.c_str(), "Tick", json::object(), "2026-01-05T10:00:00Z");
        }
        ProjectionEngine engine(store, builtinProjection(QStringLiteral("stream-lengths")));
        QVERIFY(engine.rebuild());
        auto streams = store.streams({});
        std::sort(streams.begin(), streams.end(), [](const StreamInfo& a, const StreamInfo& b) {
            return a.events != b.events
                ? a.events > b.events
                : a.stream.toString().toStdString() < b.stream.toString().toStdString();
        });
        const auto state = engine.state();
        const auto& longest = state["longest"];
        QCOMPARE(longest.size(), std::size_t(20));
        for (std::size_t i = 0; i < longest.size(); ++i) {
            QCOMPARE(QString::fromStdString(longest[i]["stream"].get<std::string>()),
                streams[i].stream.toString());
            QCOMPARE(longest[i]["events"].get<qint64>(), streams[i].events);
        }
        std::vector<qint64> histogram(state["histogram"].size(), 0);
        for (const auto& s : streams)
            ++histogram[std::size_t(s.events)];
        QCOMPARE(state["histogram"].get<std::vector<qint64>>(), histogram);
    }

    // A caught-up read model is in memory once: the engine hands out its own state, and copies it
    // only when new events come while a view still holds the value it was given.
    void sharedStateIsCopiedOnlyWhenHeldAndChanged()
    {
        MemoryEventStore store;
        fillShop(store);
        ProjectionEngine engine(store, builtinProjection(QStringLiteral("events-by-type")));
        QVERIFY(engine.rebuild());
        auto held = engine.sharedState();
        QCOMPARE(engine.sharedState().get(), held.get());
        QCOMPARE((*held)["Note"].get<int>(), 1);
        add(store, "audit", "Note", {{"text", "again"}}, "2026-01-07T08:01:00Z");
        QVERIFY(engine.catchUp());
        QCOMPARE((*held)["Note"].get<int>(), 1); // what a view holds never changes under it
        auto next = engine.sharedState();
        QVERIFY(next.get() != held.get());
        QCOMPARE((*next)["Note"].get<int>(), 2);
        const auto* address = next.get();
        held.reset();
        next.reset();
        add(store, "audit", "Note", {{"text", "once more"}}, "2026-01-07T08:02:00Z");
        QVERIFY(engine.catchUp());
        QCOMPARE(engine.sharedState().get(), address); // nobody held it: changed in place
        QCOMPARE(engine.state()["Note"].get<int>(), 3);
        QCOMPARE(engine.sharedStateAsOf(engine.checkpoint()).get(), address);
        QCOMPARE((*engine.sharedStateAsOf(Position(11)))["Note"].get<int>(), 1);
    }

    void everyBuiltinIsListedAndUnknownNamesAreRefused()
    {
        for (const auto& name : builtinProjectionNames())
            QCOMPARE(builtinProjection(name)->name(), name);
        try {
            builtinProjection(QStringLiteral("nope"));
            QFAIL("an unknown built-in was accepted");
        } catch (const InvalidInput& e) {
            QVERIFY(e.message().contains(QStringLiteral("'nope'")));
            QVERIFY(e.message().contains(QStringLiteral("events-by-type")));
        }
    }

    void liveCatchUpProcessesOnlyNewEvents()
    {
        MemoryEventStore store;
        fillShop(store);
        ProjectionEngine engine(store, builtinProjection(QStringLiteral("events-by-type")));
        engine.rebuild();
        add(store, "cart-3", "CartOpened", {{"cartId", "cart-3"}, {"customerId", "c3"}},
            "2026-01-07T08:00:00Z");
        add(store, "audit", "Note", {{"text", "again"}}, "2026-01-07T08:01:00Z");
        QCOMPARE(engine.checkpoint(), Position(11));
        QVERIFY(engine.catchUp());
        QCOMPARE(engine.checkpoint(), Position(13));
        QCOMPARE(engine.state()["CartOpened"].get<int>(), 3);
        QCOMPARE(engine.state()["Note"].get<int>(), 2);
        QVERIFY(engine.catchUp()); // nothing new: nothing counted twice
        QCOMPARE(engine.state()["Note"].get<int>(), 2);
    }

    void stateAtEqualsRebuildUpToThatPosition_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<qint64>("every");
        QTest::addColumn<qint64>("budget");
        QTest::newRow("by type, K=1") << QStringLiteral("events-by-type") << qint64(1) << qint64(64 << 20);
        QTest::newRow("lengths, K=7") << QStringLiteral("stream-lengths") << qint64(7) << qint64(64 << 20);
        QTest::newRow("carts, tiny budget") << QStringLiteral("cart-summaries") << qint64(2) << qint64(600);
        QTest::newRow("revenue, K=50") << QStringLiteral("revenue-per-day") << qint64(50) << qint64(64 << 20);
    }
    void stateAtEqualsRebuildUpToThatPosition()
    {
        QFETCH(QString, name);
        QFETCH(qint64, every);
        QFETCH(qint64, budget);
        MemoryEventStore store;
        for (int round = 0; round < 12; ++round) // 132 events
            fillShop(store);
        const auto projection = builtinProjection(name);
        ProjectionEngine engine(store, projection,
            {.snapshotEvery = every, .memoryBudget = std::size_t(budget), .batchSize = 16});
        engine.rebuild();
        QVERIFY(engine.snapshotCount() > 0);
        QVERIFY(engine.snapshotBytes() <= std::size_t(budget) || engine.snapshotCount() == 1);
        auto* random = QRandomGenerator::global();
        for (int i = 0; i < 40; ++i) {
            const qint64 p = random->bounded(0, 133);
            QCOMPARE(engine.stateAsOf(Position(p)).dump(), rebuiltUpTo(store, projection, p).dump());
        }
        QCOMPARE_JSON(engine.stateAsOf(Position(132)), engine.state());
        QVERIFY_THROWS_EXCEPTION(InvalidInput, engine.stateAsOf(Position(133)));
        QVERIFY_THROWS_EXCEPTION(InvalidInput, engine.stateAsOf(Position(-1)));
    }

    void cartSummaryTotalsFollowTheLines()
    {
        // cart-summaries adjusts itemCount and total by what each event changed; as of any
        // position they must equal the sums over each cart's lines.
        MemoryEventStore store;
        QRandomGenerator random(11);
        for (int i = 0; i < 300; ++i) {
            const std::string cart = "cart-" + std::to_string(random.bounded(3));
            const std::string sku = "SKU" + std::to_string(random.bounded(4));
            const int quantity = random.bounded(1, 6);
            if (random.bounded(3) == 0)
                add(store, cart.c_str(), "ItemRemoved", {{"sku", sku}, {"quantity", quantity}},
                    "2026-01-05T10:00:00Z");
            else
                add(store, cart.c_str(), "ItemAdded",
                    {{"sku", sku}, {"quantity", quantity}, {"unitPrice", 100 * random.bounded(1, 4)}},
                    "2026-01-05T10:00:00Z");
        }
        ProjectionEngine engine(store, builtinProjection(QStringLiteral("cart-summaries")),
            {.snapshotEvery = 25, .memoryBudget = 1 << 20, .batchSize = 16});
        QVERIFY(engine.rebuild());
        for (const qint64 p : {qint64(1), qint64(77), qint64(150), qint64(223), qint64(300)}) {
            const auto carts = engine.stateAsOf(Position(p));
            QVERIFY(!carts.empty());
            for (const auto& cart : carts) {
                const auto sums = testing::recountCart(cart);
                QCOMPARE(cart["itemCount"].get<std::int64_t>(), sums.itemCount);
                QCOMPARE(cart["total"].get<std::int64_t>(), sums.total);
            }
        }
    }

    void stateAsOfGoesOnFromTheLastStateAskedFor()
    {
        MemoryEventStore store;
        for (int round = 0; round < 12; ++round) // 132 events
            fillShop(store);
        // `calls` counts evolve calls in the script's context: the difference between two
        // answers is the number of events the second one replayed.
        const auto projection = JsProjection::fromSource(
            QStringLiteral("var calls = 0;\n"
                           "fromAll().when({\n"
                           "  $init: function () { return { n: 0, calls: 0 }; },\n"
                           "  $any: function (s, e) { s.n += 1; calls += 1; s.calls = calls; }\n"
                           "});\n"),
            QStringLiteral("calls.js"));
        ProjectionEngine engine(
            store, projection, {.snapshotEvery = 1000, .memoryBudget = 1 << 20, .batchSize = 16});
        QVERIFY(engine.rebuild());
        QCOMPARE(engine.snapshotCount(), 0); // every answer replays from the start or goes on
        const auto n = [](const json& state) { return state["n"].get<qint64>(); };
        const auto calls = [](const json& state) { return state["calls"].get<qint64>(); };
        const auto a = engine.stateAsOf(Position(40));
        QCOMPARE(n(a), 40);
        const auto b = engine.stateAsOf(Position(50)); // forward: goes on from 40
        QCOMPARE(n(b), 50);
        QCOMPARE(calls(b) - calls(a), 10);
        const auto c = engine.stateAsOf(Position(45)); // backward: from the start again
        QCOMPARE(n(c), 45);
        QCOMPARE(calls(c) - calls(b), 45);
        const auto again = engine.stateAsOf(Position(45)); // the same position: nothing replayed
        QCOMPARE(calls(again), calls(c));
        const auto steps = engine.steps(Position(60), Position(65)); // moves the scratch state
        QCOMPARE(qint64(steps.size()), 6);
        QCOMPARE(n(engine.stateAsOf(Position(70))), 70);
        QCOMPARE(n(engine.stateAsOf(Position(20))), 20);
        QCOMPARE_JSON(engine.stateAsOf(Position(132)), engine.state());
    }

    void aFailingEventFaultsTheProjectionAndKeepsTheStateBeforeIt()
    {
        MemoryEventStore store;
        fillShop(store);
        ProjectionEngine engine(
            store, failingOn(5), {.snapshotEvery = 2, .memoryBudget = 1 << 20, .batchSize = 3});
        engine.setRunning(true);
        QVERIFY(engine.rebuild());
        QCOMPARE(engine.status(), ProjectionStatus::Faulted);
        QVERIFY(engine.fault());
        QCOMPARE(engine.fault()->position, Position(5));
        QCOMPARE(engine.fault()->stream, StreamId(QStringLiteral("cart-1")));
        QCOMPARE(engine.fault()->version, Version(4));
        QCOMPARE(engine.fault()->type, QStringLiteral("ItemRemoved"));
        QVERIFY2(engine.fault()->reason.contains(QStringLiteral("failing.js:4")),
            qPrintable(engine.fault()->reason));
        QVERIFY(engine.fault()->reason.contains(QStringLiteral("bad ItemRemoved")));
        QCOMPARE(engine.checkpoint(), Position(4));
        QCOMPARE_JSON(engine.state(), (json {{"n", 4}}));
        QCOMPARE_JSON(engine.stateAsOf(Position(3)), (json {{"n", 3}}));
        QVERIFY_THROWS_EXCEPTION(ProjectionError, engine.stateAsOf(Position(6)));
        engine.catchUp(); // stays faulted
        QCOMPARE(engine.checkpoint(), Position(4));
    }

    void stepperShowsStatesBeforeAndAfterEachEvent()
    {
        MemoryEventStore store;
        fillShop(store);
        ProjectionEngine engine(store, builtinProjection(QStringLiteral("revenue-per-day")));
        engine.rebuild();
        const auto steps = engine.steps(Position(2), Position(11));
        QCOMPARE(steps.size(), std::size_t(2)); // only OrderPaid events feed this projection
        QCOMPARE(steps[0].position, Position(8));
        QCOMPARE_JSON(steps[0].before, json::object());
        QCOMPARE_JSON(steps[0].after, (json {{"2026-01-05", 1150}}));
        QCOMPARE(steps[1].position, Position(10));
        QCOMPARE_JSON(steps[1].before, steps[0].after);
        QCOMPARE_JSON(steps[1].after, (json {{"2026-01-05", 1150}, {"2026-01-06", 500}}));
        QVERIFY(steps[1].error.isEmpty());
        QVERIFY(steps[1].elapsedNs >= 0);

        ProjectionEngine failing(store, failingOn(5));
        const auto bad = failing.steps(Position(3), Position(9));
        QCOMPARE(bad.size(), std::size_t(3));
        QCOMPARE_JSON(bad[0].before, (json {{"n", 2}}));
        QCOMPARE(bad[2].position, Position(5));
        QVERIFY(bad[2].error.contains(QStringLiteral("bad ItemRemoved")));
        QCOMPARE_JSON(bad[2].after, bad[2].before);
    }

    void runnerRebuildsOnItsThreadAndFollowsAppends()
    {
        MemoryEventStore store;
        fillShop(store);
        ProjectionRunner runner(store, builtinProjection(QStringLiteral("events-by-category")));
        QSignalSpy updated(&runner, &ProjectionRunner::updated);
        const auto generation = runner.start();
        QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), 5000);
        auto snapshot = updated.last().at(0).value<ProjectionReport>();
        QCOMPARE(snapshot.generation, generation);
        QCOMPARE(snapshot.status, ProjectionStatus::Running);
        QCOMPARE(snapshot.checkpoint, Position(11));
        QVERIFY(snapshot.state);
        QCOMPARE((*snapshot.state)["cart"].get<int>(), 7);

        add(store, "cart-9", "CartOpened", {{"cartId", "cart-9"}, {"customerId", "c9"}},
            "2026-01-07T08:00:00Z");
        QTRY_VERIFY_WITH_TIMEOUT(
            updated.last().at(0).value<ProjectionReport>().checkpoint == Position(12), 5000);
        QCOMPARE((*updated.last().at(0).value<ProjectionReport>().state)["cart"].get<int>(), 8);

        QSignalSpy answered(&runner, &ProjectionRunner::stateAtReady);
        runner.requestStateAsOf(Position(3));
        QTRY_VERIFY_WITH_TIMEOUT(!answered.isEmpty(), 5000);
        const auto result = answered.last().at(0).value<ProjectionQueryResult>();
        QVERIFY(result.error.isEmpty());
        QVERIFY(result.state);
        QCOMPARE_JSON(*result.state, (json {{"cart", 3}}));

        runner.stop();
        QTRY_VERIFY_WITH_TIMEOUT(
            updated.last().at(0).value<ProjectionReport>().status == ProjectionStatus::Stopped, 5000);
        const auto count = updated.size();
        add(store, "cart-9", "ItemAdded", {{"sku", "A"}, {"quantity", 1}, {"unitPrice", 1}},
            "2026-01-07T08:01:00Z");
        runner.requestStateAsOf(Position(0)); // a round trip through the worker: the append was seen by now
        QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 2, 5000);
        QCOMPARE(updated.size(), count); // stopped: no catch-up
    }

    void runnerCancelStopsARebuild()
    {
        MemoryEventStore store;
        for (int i = 0; i < 300; ++i)
            fillShop(store);
        // A slow projection, so the rebuild is still under way when cancelled.
        auto slow
            = JsProjection::fromSource(QStringLiteral("fromAll().when({ $any: function (s, e) { var t = "
                                                      "Date.now(); while (Date.now() - t < 1) {} } });"),
                QStringLiteral("slow.js"));
        ProjectionRunner runner(
            store, slow, {.snapshotEvery = 1000, .memoryBudget = 1 << 20, .batchSize = 10});
        QSignalSpy progress(&runner, &ProjectionRunner::progress);
        QSignalSpy updated(&runner, &ProjectionRunner::updated);
        runner.start();
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 5000);
        runner.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), 10000);
        const auto snapshot = updated.last().at(0).value<ProjectionReport>();
        QCOMPARE(snapshot.status, ProjectionStatus::Stopped);
        QVERIFY(snapshot.checkpoint < Position(3300));
    }

    void runnerReportsAScriptThatFails()
    {
        MemoryEventStore store;
        fillShop(store);
        ProjectionRunner runner(store, failingOn(7));
        QSignalSpy updated(&runner, &ProjectionRunner::updated);
        runner.start();
        QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), 5000);
        const auto snapshot = updated.last().at(0).value<ProjectionReport>();
        QCOMPARE(snapshot.status, ProjectionStatus::Faulted);
        QVERIFY(snapshot.fault);
        QCOMPARE(snapshot.fault->position, Position(7));
        QCOMPARE(snapshot.checkpoint, Position(6));
        QVERIFY(snapshot.state);
        QCOMPARE_JSON(*snapshot.state, (json {{"n", 6}}));
    }

    void cliProjectPrintsTheReadModel_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<qint64>("upTo"); // -1: the whole store
        QTest::newRow("whole store") << QStringList {QStringLiteral("--projection"),
            QStringLiteral("builtin:events-by-type")}
                                     << qint64(-1);
        QTest::newRow("at 10") << QStringList {QStringLiteral("--projection"),
            QStringLiteral("builtin:events-by-type"), QStringLiteral("--at"), QStringLiteral("10")}
                               << qint64(10);
        QTest::newRow("at 0") << QStringList {QStringLiteral("--at"), QStringLiteral("0"),
            QStringLiteral("--projection"), QStringLiteral("builtin:events-by-type")}
                              << qint64(0);
    }
    void cliProjectPrintsTheReadModel()
    {
        QFETCH(QStringList, options);
        QFETCH(qint64, upTo);
        const auto store = openStore(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE));
        const auto last = store->summary().lastPosition.value;
        const auto r = cli(
            QStringList {QStringLiteral("project"), QStringLiteral(CHRONOSCOPE_SAMPLE_STORE)} + options);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.count('\n'), 1);
        const auto model = json::parse(r.out.toStdString());
        QCOMPARE_JSON(model,
            rebuiltUpTo(*store, builtinProjection(QStringLiteral("events-by-type")), upTo < 0 ? last : upTo));
        qint64 total = 0;
        for (const auto& [type, n] : model.items())
            total += n.get<qint64>();
        QCOMPARE(total, upTo < 0 ? last : upTo);
    }

    void cliProjectRunsJavaScriptAndReportsErrors()
    {
        const QString sample = QStringLiteral(CHRONOSCOPE_SAMPLE_STORE);
        auto r = cli({QStringLiteral("project"), sample, QStringLiteral("--projection"),
            QStringLiteral(CHRONOSCOPE_PROJECTIONS_DIR "/orders-by-status.js")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto model = json::parse(r.out.toStdString());
        qint64 orders = 0;
        for (const auto& [status, n] : model["counts"].items())
            orders += n.get<qint64>();
        QCOMPARE(orders, qint64(model["orders"].size()));
        QVERIFY(orders > 0);

        QTemporaryDir dir;
        const auto bad = dir.filePath(QStringLiteral("bad.js"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("fromAll().when({\n  $any: function (s, e) { s.x = ; }\n});\n");
        f.close();
        r = cli({QStringLiteral("project"), sample, QStringLiteral("--projection"), bad});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("bad.js:2")), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());

        const auto throwing = dir.filePath(QStringLiteral("throws.js"));
        QFile g(throwing);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write("fromAll().when({\n  OrderPlaced: function (s, e) {\n    throw new Error('no orders');\n  "
                "}\n});\n");
        g.close();
        r = cli({QStringLiteral("project"), sample, QStringLiteral("--projection"), throwing});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("throws.js:3")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("type 'OrderPlaced'")), qPrintable(r.err));
    }

    void cliProjectUsageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString sample = QStringLiteral(CHRONOSCOPE_SAMPLE_STORE);
        QTest::newRow("no projection")
            << QStringList {QStringLiteral("project"), sample} << QStringLiteral("--projection");
        QTest::newRow("no store") << QStringList {QStringLiteral("project"), QStringLiteral("--projection"),
            QStringLiteral("builtin:events-by-type")}
                                  << QStringLiteral("STORE");
        QTest::newRow("unknown built-in") << QStringList {QStringLiteral("project"), sample,
            QStringLiteral("--projection"), QStringLiteral("builtin:nope")}
                                          << QStringLiteral("'nope'");
        QTest::newRow("built-in name without builtin:") << QStringList {QStringLiteral("project"), sample,
            QStringLiteral("--projection"),
            QStringLiteral("events-by-type")} << QStringLiteral("--projection builtin:events-by-type");
        QTest::newRow("at beyond the end") << QStringList {QStringLiteral("project"), sample,
            QStringLiteral("--projection"), QStringLiteral("builtin:events-by-type"), QStringLiteral("--at"),
            QStringLiteral("99999999")} << QStringLiteral("beyond the last position");
        QTest::newRow("negative at") << QStringList {QStringLiteral("project"), sample,
            QStringLiteral("--projection"), QStringLiteral("builtin:events-by-type"), QStringLiteral("--at"),
            QStringLiteral("-1")} << QStringLiteral("--at");
    }
    void cliProjectUsageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const auto r = cli(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void cliListsBuiltins()
    {
        const auto r = cli({QStringLiteral("project"), QStringLiteral("--list-builtins")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto list = json::parse(r.out.toStdString());
        QCOMPARE(qsizetype(list.size()), builtinProjectionNames().size());
        for (const auto& entry : list) {
            QVERIFY(
                builtinProjectionNames().contains(QString::fromStdString(entry["name"].get<std::string>())));
            QVERIFY(!entry["description"].get<std::string>().empty());
        }
    }
};

QTEST_GUILESS_MAIN(TestProjections)
#include "tst_projections.moc"
