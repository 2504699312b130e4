// JavaScript projections in the EventStoreDB style: sources, handlers, per-stream state, the
// event's fields, sandboxing, time and memory limits, errors that name the line and the event
// (whatever the script throws), and the sample projections shipped in resources/projections.
#include "projections/jsprojection.h"
#include "projections/projectionengine.h"
#include "sample/sampledomain.h"
#include "store/memoryeventstore.h"

#include <QRandomGenerator>
#include <QTest>

using namespace chronoscope;
using nlohmann::json;

// QCOMPARE cannot print nlohmann::json: compare the canonical text.
#define QCOMPARE_JSON(actual, expected)                                                                      \
    QCOMPARE(QString::fromStdString(json(actual).dump()), QString::fromStdString(json(expected).dump()))

namespace {

void add(EventStore& store, const char* stream, const char* type, const json& data, const json& metadata = {})
{
    EventData e;
    e.type = QString::fromUtf8(type);
    e.data = QByteArray::fromStdString(data.dump());
    if (!metadata.is_null())
        e.metadata = QByteArray::fromStdString(metadata.dump());
    e.timestampMs = 1767607200000 + store.summary().lastPosition.value * 60000; // 2026-01-05T10:00Z + n min
    store.append(StreamId(QString::fromUtf8(stream)), {e}, ExpectedVersion::any());
}

/// 1 cart-1 Opened, 2 cart-1 ItemAdded(2), 3 order-1 Placed, 4 cart-2 Opened, 5 cart-2 ItemAdded(5),
/// 6 cart-1 ItemAdded(1), 7 order-1 Paid, 8 stock-A Received
void fill(EventStore& s)
{
    add(s, "cart-1", "CartOpened", {{"customerId", "c1"}});
    add(s, "cart-1", "ItemAdded", {{"sku", "A"}, {"quantity", 2}}, {{"correlationId", "k-1"}});
    add(s, "order-1", "OrderPlaced", {{"total", 300}});
    add(s, "cart-2", "CartOpened", {{"customerId", "c2"}});
    add(s, "cart-2", "ItemAdded", {{"sku", "B"}, {"quantity", 5}});
    add(s, "cart-1", "ItemAdded", {{"sku", "B"}, {"quantity", 1}});
    add(s, "order-1", "OrderPaid", {{"amount", 300}});
    add(s, "stock-A", "StockReceived", {{"quantity", 10}});
}

json run(const EventStore& store, const QString& script, const QString& file = QStringLiteral("p.js"))
{
    ProjectionEngine engine(store, JsProjection::fromSource(script, file));
    engine.rebuild();
    if (engine.fault())
        throw ProjectionError(*engine.fault());
    return engine.state();
}

QString errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const StoreError& e) {
        return e.message();
    }
    return {};
}

QString readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

} // namespace

class TestJsProjection : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sourcesAndHandlers_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("fromAll $init $any")
            << QStringLiteral("fromAll().when({ $init: function () { return { n: 0, last: null }; },"
                              " $any: function (s, e) { s.n++; s.last = e.position; } }).outputState();")
            << QByteArray(R"({"n":8,"last":8})");
        QTest::newRow("type handler before $any")
            << QStringLiteral("fromAll().when({ $init: function () { return { added: 0, other: 0 }; },"
                              " ItemAdded: function (s, e) { s.added += e.data.quantity; },"
                              " $any: function (s, e) { s.other++; } });")
            << QByteArray(R"({"added":8,"other":5})");
        QTest::newRow("no $init: empty object")
            << QStringLiteral("fromAll().when({ OrderPaid: function (s, e) { s.paid = e.data.amount; } });")
            << QByteArray(R"({"paid":300})");
        QTest::newRow("fromCategory")
            << QStringLiteral("fromCategory('cart').when({ $init: function () { return []; }, $any: function "
                              "(s, e) { s.push(e.position); } });")
            << QByteArray("[1,2,4,5,6]");
        QTest::newRow("fromStream") << QStringLiteral(
            "fromStream('cart-1').when({ $init: function () { return []; }, $any: function (s, e) { "
            "s.push(e.version); } });")
                                    << QByteArray("[1,2,3]");
        QTest::newRow("fromStreams array")
            << QStringLiteral("fromStreams(['order-1', 'stock-A']).when({ $init: function () { return []; },"
                              " $any: function (s, e) { s.push(e.eventType); } });")
            << QByteArray(R"(["OrderPlaced","OrderPaid","StockReceived"])");
        QTest::newRow("fromStreams arguments")
            << QStringLiteral("fromStreams('cart-2', 'stock-A').when({ $init: function () { return 0; },"
                              " $any: function (s, e) { return s + 1; } });")
            << QByteArray("3");
        QTest::newRow("returned value replaces")
            << QStringLiteral("fromAll().when({ $init: function () { return { keep: 1 }; },"
                              " OrderPaid: function (s, e) { return { paid: e.body.amount }; } });")
            << QByteArray(R"({"paid":300})");
        QTest::newRow("foreachStream") << QStringLiteral(
            "fromCategory('cart').foreachStream().when({ $init: function () { return { items: 0 }; },"
            " ItemAdded: function (s, e) { s.items += e.data.quantity; } });")
                                       << QByteArray(R"({"cart-1":{"items":3},"cart-2":{"items":5}})");
        QTest::newRow("event fields") << QStringLiteral(
            "fromStream('cart-1').when({ ItemAdded: function (s, e) { if (e.version !== 2) return;"
            " return { eventType: e.eventType, type: e.type, body: e.body, data: e.data, metadata: "
            "e.metadata,"
            " streamId: e.streamId, category: e.category, sequenceNumber: e.sequenceNumber, version: "
            "e.version,"
            " position: e.position, timestamp: e.timestamp, id: typeof e.eventId }; } });")
                                      << QByteArray(R"({"eventType":"ItemAdded","type":"ItemAdded",
                                          "body":{"sku":"A","quantity":2},"data":{"sku":"A","quantity":2},
                                          "metadata":{"correlationId":"k-1"},"streamId":"cart-1","category":"cart",
                                          "sequenceNumber":1,"version":2,"position":2,
                                          "timestamp":"2026-01-05T10:01:00.000Z","id":"string"})");
        QTest::newRow("JSON.stringify(e)")
            << QStringLiteral(
                   "fromStream('cart-1').when({ CartOpened: function (s, e) { var j = "
                   "JSON.parse(JSON.stringify(e));"
                   " return { keys: Object.keys(j).sort(), data: j.data, id: j.eventId.length }; } });")
            << QByteArray(R"({"keys":["category","data","eventId","eventType","metadata",
                                               "position","sequenceNumber","streamId","timestamp","type","version"],
                                               "data":{"customerId":"c1"},"id":36})");
        QTest::newRow("sandbox") << QStringLiteral(
            "fromAll().when({ $init: function () { return { r: typeof require, x: typeof XMLHttpRequest,"
            " q: typeof Qt, c: typeof console, p: typeof print, f: typeof fetch }; } });")
                                 << QByteArray(
                                        R"({"r":"undefined","x":"undefined","q":"undefined","c":"undefined",
                                     "p":"undefined","f":"undefined"})");
    }
    void sourcesAndHandlers()
    {
        QFETCH(QString, script);
        QFETCH(QByteArray, expected);
        MemoryEventStore store;
        fill(store);
        QCOMPARE(QString::fromStdString(run(store, script).dump()),
            QString::fromStdString(json::parse(expected).dump()));
    }

    void recordsSourceOptionsAndPartitioning()
    {
        const auto p = JsProjection::fromSource(
            QStringLiteral("options({ $includeLinks: false, reorderEvents: true });\n"
                           "fromCategory('order').foreachStream().when({ $any: function (s, e) {} });"),
            QStringLiteral("/tmp/orders.js"));
        QCOMPARE(p->name(), QStringLiteral("orders.js"));
        QCOMPARE(p->source().kind, ProjectionSource::Kind::Category);
        QCOMPARE(p->source().category, QStringLiteral("order"));
        QVERIFY(p->isPerStream());
        QCOMPARE_JSON(p->options(), (json {{"$includeLinks", false}, {"reorderEvents", true}}));
        QVERIFY(p->description().contains(QStringLiteral("category 'order'")));
    }

    void scriptErrorsNameTheLine_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("expected");
        QTest::newRow("syntax") << QStringLiteral(
            "fromAll()\n  .when({\n    $any: function (s, e) { s.n = ; }\n  });\n")
                                << QStringLiteral("bad.js:3");
        QTest::newRow("top-level throw")
            << QStringLiteral("var a = 1;\nundefinedFunction();\n") << QStringLiteral("bad.js:2");
        QTest::newRow("no projection")
            << QStringLiteral("var a = 1;\n") << QStringLiteral("defines no projection");
        QTest::newRow("when without handlers")
            << QStringLiteral("fromAll().when(42);\n") << QStringLiteral("bad.js:");
    }
    void scriptErrorsNameTheLine()
    {
        QFETCH(QString, script);
        QFETCH(QString, expected);
        const auto message = errorOf([&] { JsProjection::fromSource(script, QStringLiteral("bad.js")); });
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void handlerErrorNamesLineAndEvent()
    {
        MemoryEventStore store;
        fill(store);
        const auto script = QStringLiteral("fromAll().when({\n"
                                           "  $init: function () { return {}; },\n"
                                           "  OrderPaid: function (s, e) {\n"
                                           "    return e.data.missing.field;\n"
                                           "  }\n"
                                           "});\n");
        ProjectionEngine engine(store, JsProjection::fromSource(script, QStringLiteral("pay.js")));
        engine.rebuild();
        QCOMPARE(engine.status(), ProjectionStatus::Faulted);
        const auto message = engine.fault()->message();
        QVERIFY2(message.contains(QStringLiteral("pay.js:4")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("TypeError")), qPrintable(message));
        QVERIFY2(
            message.contains(QStringLiteral("position 7 (stream 'order-1' version 2, type 'OrderPaid')")),
            qPrintable(message));
        QCOMPARE(engine.checkpoint(), Position(6));
    }

    void aPayloadThatIsNotJsonFaultsOnlyWhenRead()
    {
        MemoryEventStore store; // a foreign store may hold anything: import does not check payloads
        std::vector<RecordedEvent> events;
        for (int i = 1; i <= 3; ++i) {
            RecordedEvent e;
            e.position = Position(i);
            e.stream = StreamId(QStringLiteral("cart-1"));
            e.version = Version(i);
            e.id = QUuid::createUuid();
            e.type = QStringLiteral("ItemAdded");
            e.data = i == 2 ? QByteArray("{\"quantity\": oops}") : QByteArray("{\"quantity\": 1}");
            events.push_back(e);
        }
        store.importRecorded(events);
        const auto counting = QStringLiteral("fromAll().when({ $init: function () { return { n: 0 }; },"
                                             " $any: function (s, e) { s.n++; } });");
        QCOMPARE_JSON(run(store, counting), (json {{"n", 3}}));
        ProjectionEngine engine(store,
            JsProjection::fromSource(
                QStringLiteral("fromAll().when({ $init: function () { return { q: 0 }; },\n"
                               "  $any: function (s, e) { s.q += e.data.quantity; } });"),
                QStringLiteral("sum.js")));
        engine.rebuild();
        QCOMPARE(engine.status(), ProjectionStatus::Faulted);
        const auto message = engine.fault()->message();
        QVERIFY2(message.contains(QStringLiteral("not valid JSON")), qPrintable(message));
        QVERIFY2(
            message.contains(QStringLiteral("position 2 (stream 'cart-1' version 2")), qPrintable(message));
        QCOMPARE_JSON(engine.state(), (json {{"q", 1}}));
    }

    void emitIsRefused()
    {
        MemoryEventStore store;
        fill(store);
        const auto message = errorOf([&] {
            run(store, QStringLiteral("fromAll().when({ $any: function (s, e) { emit('x', 'T', {}); } });"));
        });
        QVERIFY2(message.contains(QStringLiteral("emit() is not supported")), qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("position 1")));
    }

    void anInfiniteLoopIsInterrupted()
    {
        MemoryEventStore store;
        fill(store);
        const auto p = JsProjection::fromSource(
            QStringLiteral("fromAll().when({ $init: function () { return { n: 0 }; },\n"
                           "  OrderPlaced: function (s, e) { while (true) {} },\n"
                           "  $any: function (s, e) { s.n++; } });"),
            QStringLiteral("loop.js"), std::chrono::milliseconds(200));
        ProjectionEngine engine(store, p);
        engine.rebuild();
        QCOMPARE(engine.status(), ProjectionStatus::Faulted);
        QVERIFY2(engine.fault()->reason.contains(QStringLiteral("interrupted")),
            qPrintable(engine.fault()->reason));
        QCOMPARE(engine.fault()->position, Position(3));
        QCOMPARE_JSON(engine.state(), (json {{"n", 2}}));
        // The engine still works after the interruption.
        QCOMPARE_JSON(engine.stateAsOf(Position(2)), (json {{"n", 2}}));
        QVERIFY_THROWS_EXCEPTION(InvalidInput,
            JsProjection::fromSource(
                QStringLiteral("while (true) {}"), QStringLiteral("top.js"), std::chrono::milliseconds(200)));
    }

    void aThrownValueThatIsNotAnErrorFaults_data()
    {
        QTest::addColumn<QString>("thrown");
        QTest::addColumn<QString>("described");
        QTest::newRow("string") << QStringLiteral("'boom'")
                                << QStringLiteral("threw \"boom\" (a string, not an Error)");
        QTest::newRow("null") << QStringLiteral("null") << QStringLiteral("threw null (not an Error)");
        QTest::newRow("object") << QStringLiteral("{}")
                                << QStringLiteral("threw {} (an object, not an Error)");
        QTest::newRow("number") << QStringLiteral("42")
                                << QStringLiteral("threw 42 (a number, not an Error)");
    }
    void aThrownValueThatIsNotAnErrorFaults()
    {
        QFETCH(QString, thrown);
        QFETCH(QString, described);
        MemoryEventStore store;
        fill(store);
        ProjectionEngine engine(store,
            JsProjection::fromSource(QStringLiteral("fromAll().when({ $init: function () { "
                                                    "return { n: 0 }; },\n"
                                                    "  OrderPlaced: function (s, e) { throw %1; },\n"
                                                    "  $any: function (s, e) { s.n++; } });")
                                         .arg(thrown),
                QStringLiteral("p.js")));
        engine.rebuild();
        // Not left out silently: the projection stops at the event, naming it.
        QCOMPARE(engine.status(), ProjectionStatus::Faulted);
        QCOMPARE(engine.fault()->position, Position(3));
        QCOMPARE(engine.fault()->type, QStringLiteral("OrderPlaced"));
        QVERIFY2(engine.fault()->reason.contains(QStringLiteral("p.js: ") + described),
            qPrintable(engine.fault()->reason));
        QCOMPARE_JSON(engine.state(), (json {{"n", 2}}));
        // $init and the top-level code are held to the same rule.
        const auto init = errorOf([&] {
            JsProjection::fromSource(
                QStringLiteral("fromAll().when({ $init: function () { throw %1; } });").arg(thrown),
                QStringLiteral("init.js"));
        });
        QVERIFY2(init.contains(QStringLiteral("init.js: ") + described + QStringLiteral(" (in $init)")),
            qPrintable(init));
        const auto top = errorOf([&] {
            JsProjection::fromSource(
                QStringLiteral("fromAll().when({});\nthrow %1;").arg(thrown), QStringLiteral("top.js"));
        });
        QVERIFY2(top.contains(QStringLiteral("top.js:2: ") + described), qPrintable(top));
    }

    void theHarnessDoesNotUseTheScriptsJson()
    {
        MemoryEventStore store;
        fill(store);
        const auto state = run(store,
            QStringLiteral("JSON.parse = function () { return 'garbage'; };\n"
                           "JSON.stringify = function () { return '{oops'; };\n"
                           "fromAll().when({ $init: function () { return { q: 0 }; },\n"
                           "  ItemAdded: function (s, e) { s.q += e.data.quantity; } });"));
        QCOMPARE_JSON(state, (json {{"q", 8}}));
    }

    void hugeAllocationsFaultAndTheEngineKeepsWorking()
    {
        MemoryEventStore store;
        fill(store);
        const auto generous = std::chrono::seconds(10); // the (default) memory limit is what stops these
        for (const auto& [body, expected] : {std::pair {QStringLiteral("s.big = 'x'.repeat(1 << 30);"),
                                                 QStringLiteral("more than the memory limit for "
                                                                "scripts (512 MiB)")},
                 std::pair {
                     QStringLiteral("var t = 'x'; for (;;) { t += t; s.c = t.charCodeAt(t.length - 1); }"),
                     QStringLiteral("p.js: the handler used more than 512 MiB of memory and was stopped")}}) {
            const auto p = JsProjection::fromSource(
                QStringLiteral("fromAll().when({ $init: function () { return { n: 0 "
                               "}; },\n"
                               "  OrderPlaced: function (s, e) { %1 },\n"
                               "  $any: function (s, e) { s.n++; } });")
                    .arg(body),
                QStringLiteral("p.js"), generous);
            ProjectionEngine engine(store, p);
            engine.rebuild();
            QCOMPARE(engine.status(), ProjectionStatus::Faulted);
            QVERIFY2(engine.fault()->reason.contains(expected), qPrintable(engine.fault()->reason));
            QCOMPARE(engine.fault()->position, Position(3));
            QCOMPARE_JSON(engine.stateAsOf(Position(2)), (json {{"n", 2}}));
        }
    }

    void aLoneSurrogateInTheStateIsAnError()
    {
        MemoryEventStore store;
        fill(store);
        const auto message = errorOf([&] {
            run(store,
                QStringLiteral("fromAll().when({ $init: function () { return {}; },\n"
                               "  OrderPaid: function (s, e) { s.note = 'paid \\ud800'; } });"),
                QStringLiteral("half.js"));
        });
        QVERIFY2(message.contains(QStringLiteral("half.js: the state holds a lone surrogate (\\ud800)")),
            qPrintable(message));
    }

    void stateAtEqualsRebuild()
    {
        MemoryEventStore store;
        sample::generate(store, {.events = 600, .seed = 3});
        const auto last = store.summary().lastPosition.value;
        const auto p = JsProjection::fromSource(
            QStringLiteral(
                "fromAll().foreachStream().when({ $init: function () { return { n: 0, types: {} }; },"
                " $any: function (s, e) { s.n++; s.types[e.type] = (s.types[e.type] || 0) + 1; } });"),
            QStringLiteral("per-stream.js"));
        ProjectionEngine engine(store, p, {.snapshotEvery = 25, .memoryBudget = 200000, .batchSize = 64});
        engine.rebuild();
        QCOMPARE(engine.checkpoint(), Position(last));
        auto* random = QRandomGenerator::global();
        for (int i = 0; i < 15; ++i) {
            const qint64 at = random->bounded(qint64(0), qint64(last + 1));
            ProjectionEngine fresh(store, p);
            fresh.rebuild({}, Position(at));
            QCOMPARE(engine.stateAsOf(Position(at)).dump(), fresh.state().dump());
        }
    }

    void sampleItemsPerSku()
    {
        MemoryEventStore store;
        sample::generate(store, {.events = 1500, .seed = 11});
        json expected = json::object();
        for (const auto& e : store.readAll(std::nullopt, 1 << 20, EventFilter {}, Direction::Forward)) {
            if (e.stream.category() != QLatin1String("cart"))
                continue;
            const auto d = e.dataJson();
            auto bump = [&](const json& sku, const char* field, const json& n) {
                auto& entry = expected[sku.get<std::string>()];
                if (entry.is_null())
                    entry = json {{"added", 0}, {"removed", 0}, {"sold", 0}};
                entry[field] = entry[field].get<qint64>() + n.get<qint64>();
            };
            if (e.type == QLatin1String("ItemAdded"))
                bump(d["sku"], "added", d["quantity"]);
            else if (e.type == QLatin1String("ItemRemoved"))
                bump(d["sku"], "removed", d["quantity"]);
            else if (e.type == QLatin1String("CartConfirmed"))
                for (const auto& item : d["items"])
                    bump(item["sku"], "sold", item["quantity"]);
        }
        QVERIFY(expected.size() > 2);
        const auto path = QStringLiteral(CHRONOSCOPE_PROJECTIONS_DIR "/items-per-sku.js");
        ProjectionEngine engine(store, JsProjection::fromFile(path));
        engine.rebuild();
        QVERIFY(!engine.fault());
        QCOMPARE(QString::fromStdString(engine.state().dump()), QString::fromStdString(expected.dump()));
    }

    void sampleOrdersByStatus()
    {
        MemoryEventStore store;
        sample::generate(store, {.events = 1500, .seed = 11});
        std::map<std::string, std::string> status;
        std::map<std::string, qint64> total, paid;
        for (const auto& e : store.readAll(std::nullopt, 1 << 20, EventFilter {}, Direction::Forward)) {
            if (e.stream.category() != QLatin1String("order"))
                continue;
            const auto id = e.stream.toString().toStdString();
            const auto d = e.dataJson();
            if (e.type == QLatin1String("OrderPlaced")) {
                status[id] = "placed";
                total[id] = d["total"].get<qint64>();
            } else if (e.type == QLatin1String("OrderPaid")) {
                paid[id] += d["amount"].get<qint64>();
                if (paid[id] >= total[id])
                    status[id] = "paid";
            } else if (e.type == QLatin1String("OrderShipped")) {
                status[id] = "shipped";
            } else if (e.type == QLatin1String("OrderCancelled")) {
                status[id] = "cancelled";
            }
        }
        json counts {{"placed", 0}, {"paid", 0}, {"shipped", 0}, {"cancelled", 0}};
        for (const auto& [id, s] : status)
            counts[s] = counts[s].get<int>() + 1;
        QVERIFY(status.size() > 3);
        const auto path = QStringLiteral(CHRONOSCOPE_PROJECTIONS_DIR "/orders-by-status.js");
        ProjectionEngine engine(store, JsProjection::fromFile(path));
        engine.rebuild();
        QVERIFY(!engine.fault());
        const auto state = engine.state();
        QCOMPARE(QString::fromStdString(state["counts"].dump()), QString::fromStdString(counts.dump()));
        QCOMPARE(state["orders"].size(), status.size());
        for (const auto& [id, s] : status)
            QCOMPARE(state["orders"][id]["status"].get<std::string>(), s);
    }

    void missingFileIsReported()
    {
        const auto message = errorOf([] { JsProjection::fromFile(QStringLiteral("/nonexistent/p.js")); });
        QVERIFY2(message.contains(QStringLiteral("/nonexistent/p.js")), qPrintable(message));
        QVERIFY(!readFile(QStringLiteral(CHRONOSCOPE_PROJECTIONS_DIR "/items-per-sku.js")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestJsProjection)
#include "tst_jsprojection.moc"
