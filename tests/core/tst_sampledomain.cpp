#include "replay/replay.h"
#include "sample/commands.h"
#include "sample/sampledomain.h"
#include "store/memoryeventstore.h"
#include "store/storefactory.h"

#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace chronoscope;
using namespace chronoscope::sample;
using nlohmann::json;

#define JCOMPARE(actual, expected)                                                                           \
    QCOMPARE(QString::fromStdString(json(actual).dump()), QString::fromStdString(json(expected).dump()))

namespace {

/// The story of one customer, as commands in their JSON form.
const QList<QByteArray> HappyPath = {
    R"({"type":"ReceiveStock","stream":"inventory-MUG01","data":{"quantity":10,"supplier":"Nordic Ceramics"}})",
    R"({"type":"ReceiveStock","stream":"inventory-TEA01","data":{"quantity":3}})",
    R"({"type":"OpenCart","stream":"cart-1","data":{"customerId":"C1001"}})",
    R"({"type":"AddItem","stream":"cart-1","data":{"sku":"MUG01","name":"Enamel mug","quantity":2,"unitPrice":1290}})",
    R"({"type":"AddItem","stream":"cart-1","data":{"sku":"TEA01","name":"Green tea","quantity":3,"unitPrice":790}})",
    R"({"type":"RemoveItem","stream":"cart-1","data":{"sku":"TEA01","quantity":1}})",
    R"({"type":"ConfirmCart","stream":"cart-1"})",
    R"({"type":"PlaceOrder","stream":"order-1","data":{"cartId":"cart-1"}})",
    R"({"type":"ReserveStock","stream":"inventory-MUG01","data":{"orderId":"order-1","quantity":2}})",
    R"({"type":"ReserveStock","stream":"inventory-TEA01","data":{"orderId":"order-1","quantity":2}})",
    R"({"type":"RequestPayment","stream":"payment-1","data":{"orderId":"order-1","amount":4160,"method":"card"}})",
    R"({"type":"AuthorizePayment","stream":"payment-1","data":{"authorizationCode":"A1B2C3"}})",
    R"({"type":"CapturePayment","stream":"payment-1"})",
    R"({"type":"RecordPayment","stream":"order-1","data":{"paymentId":"payment-1","amount":4160}})",
    R"({"type":"ShipOrder","stream":"order-1","data":{"carrier":"DHL","trackingNumber":"DH0123456789"}})",
    R"({"type":"ShipStock","stream":"inventory-MUG01","data":{"orderId":"order-1"}})",
    R"({"type":"ShipStock","stream":"inventory-TEA01","data":{"orderId":"order-1"}})",
};
// Indexes into HappyPath of some steps.
constexpr int AfterStock = 2, AfterOpen = 3, AfterAdds = 5, AfterConfirm = 7, AfterOrder = 8,
              AfterReserve = 10, AfterRequest = 11, AfterCapture = 13, AfterPaid = 14, AfterShipped = 15;

CommandResult handle(EventStore& store, const QByteArray& command)
{
    CommandHandler handler(store);
    return handler.handle(parseCommand(command));
}

json state(const EventStore& store, const char* stream)
{
    const StreamId id {QLatin1String(stream)};
    return stateAtVersion(store, *ReducerRegistry::withBuiltins().reducerFor(id), id);
}

std::vector<RecordedEvent> allEvents(const EventStore& store, qint64 max = 1 << 30)
{
    return store.readAll(std::nullopt, max);
}

QString dumpAll(const EventStore& store)
{
    QString out;
    for (const auto& e : allEvents(store)) {
        out += QStringLiteral("%1|%2|%3|%4|%5|%6|")
                   .arg(e.position.value)
                   .arg(e.stream.toString())
                   .arg(e.version.value)
                   .arg(e.id.toString(), e.type, formatTimestamp(e.timestampMs));
        out += QString::fromUtf8(e.data) + QLatin1Char('|') + QString::fromUtf8(e.metadata)
            + QLatin1Char('\n');
    }
    return out;
}

qint64 get(const json& j, const char* key)
{
    return j.at(key).get<qint64>();
}

/// Forwards to a memory store; before the first append it lets another writer add an event
/// to the same stream, as a second window or process would.
class RacingStore final : public EventStore {
public:
    explicit RacingStore(EventStore& inner)
        : m_inner(inner)
    {
    }
    AppendResult append(
        const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected) override
    {
        if (m_race) {
            m_race = false;
            EventData other;
            other.type = QStringLiteral("ItemAdded");
            other.data
                = R"({"cartId":"cart-1","sku":"TEA02","name":"Earl Grey","quantity":1,"unitPrice":1150})";
            m_inner.append(stream, {other}, ExpectedVersion::any());
        }
        return m_inner.append(stream, events, expected);
    }
    std::vector<AppendResult> appendMany(const std::vector<AppendRequest>& requests) override
    {
        return m_inner.appendMany(requests);
    }
    void importRecorded(const std::vector<RecordedEvent>& events) override { m_inner.importRecorded(events); }
    std::vector<RecordedEvent> readStream(const StreamId& stream, std::optional<Version> from,
        qint64 maxCount, Direction direction) const override
    {
        return m_inner.readStream(stream, from, maxCount, direction);
    }
    std::vector<RecordedEvent> readAll(std::optional<Position> from, qint64 maxCount,
        const EventFilter& filter, Direction direction) const override
    {
        return m_inner.readAll(from, maxCount, filter, direction);
    }
    std::optional<RecordedEvent> readAt(Position position) const override { return m_inner.readAt(position); }
    std::vector<StreamInfo> streams(const QString& prefix) const override { return m_inner.streams(prefix); }
    std::optional<StreamInfo> streamInfo(const StreamId& stream) const override
    {
        return m_inner.streamInfo(stream);
    }
    StoreSummary summary() const override { return m_inner.summary(); }
    std::vector<TypeCount> typeCounts() const override { return m_inner.typeCounts(); }

private:
    EventStore& m_inner;
    bool m_race = true;
};

} // namespace

class TestSampleDomain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void happyPath()
    {
        MemoryEventStore store;
        for (const auto& c : HappyPath)
            handle(store, c);
        QStringList types;
        for (const auto& e : allEvents(store, 100))
            types << e.type;
        QCOMPARE(types,
            (QStringList {QStringLiteral("StockReceived"), QStringLiteral("StockReceived"),
                QStringLiteral("CartOpened"), QStringLiteral("ItemAdded"), QStringLiteral("ItemAdded"),
                QStringLiteral("ItemRemoved"), QStringLiteral("CartConfirmed"), QStringLiteral("OrderPlaced"),
                QStringLiteral("StockReserved"), QStringLiteral("StockReserved"),
                QStringLiteral("PaymentRequested"), QStringLiteral("PaymentAuthorized"),
                QStringLiteral("PaymentCaptured"), QStringLiteral("OrderPaid"),
                QStringLiteral("OrderShipped"), QStringLiteral("StockShipped"),
                QStringLiteral("StockShipped")}));

        const auto cart = state(store, "cart-1");
        JCOMPARE(cart["status"], "confirmed");
        JCOMPARE(cart["items"], json::parse(R"({"MUG01":{"name":"Enamel mug","quantity":2,"unitPrice":1290},
                                                "TEA01":{"name":"Green tea","quantity":2,"unitPrice":790}})"));
        QCOMPARE(get(cart, "total"), 4160);

        const auto order = state(store, "order-1");
        JCOMPARE(order["status"], "shipped");
        QCOMPARE(get(order, "total"), 4160);
        QCOMPARE(get(order, "paid"), 4160);
        QCOMPARE(get(order, "outstanding"), 0);
        JCOMPARE(order["carrier"], "DHL");
        QCOMPARE(order["lines"].size(), std::size_t(2));
        QCOMPARE(get(order["lines"][0], "lineTotal"), 2580);

        const auto payment = state(store, "payment-1");
        JCOMPARE(payment["status"], "captured");
        QCOMPARE(get(payment, "captured"), 4160);

        const auto tea = state(store, "inventory-TEA01");
        QCOMPARE(get(tea, "onHand"), 1);
        QCOMPARE(get(tea, "reserved"), 0);
        QCOMPARE(get(tea, "available"), 1);
        JCOMPARE(tea["reservations"], json::object());
    }

    void handlerReturnsWhatItWrote()
    {
        MemoryEventStore store;
        for (int i = 0; i < AfterAdds; ++i)
            handle(store, HappyPath[i]);
        const auto result = handle(store, HappyPath[AfterAdds]);
        QCOMPARE(result.loadedVersion.value, 3);
        QCOMPARE(result.events.size(), std::size_t(1));
        QCOMPARE(result.events[0].version.value, 4);
        const auto stored = store.readAt(result.events[0].position);
        QVERIFY(stored);
        QCOMPARE(stored->id, result.events[0].id);
        QCOMPARE(get(result.state["items"]["TEA01"], "quantity"), 2);
        JCOMPARE(result.state, state(store, "cart-1"));
    }

    void rulesAreEnforced_data()
    {
        QTest::addColumn<int>("setup"); // how many HappyPath commands run first
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QString>("rule"); // part of the message

        QTest::newRow("add to a confirmed cart")
            << AfterConfirm
            << QByteArray(
                   R"({"type":"AddItem","stream":"cart-1","data":{"sku":"X","quantity":1,"unitPrice":5}})")
            << QStringLiteral("no item can be added to a confirmed cart");
        QTest::newRow("remove from a confirmed cart")
            << AfterConfirm
            << QByteArray(R"({"type":"RemoveItem","stream":"cart-1","data":{"sku":"MUG01","quantity":1}})")
            << QStringLiteral("no item can be removed from a confirmed cart");
        QTest::newRow("add to a cart never opened")
            << 0
            << QByteArray(
                   R"({"type":"AddItem","stream":"cart-9","data":{"sku":"X","quantity":1,"unitPrice":5}})")
            << QStringLiteral("has not been opened");
        QTest::newRow("zero quantity")
            << AfterOpen
            << QByteArray(
                   R"({"type":"AddItem","stream":"cart-1","data":{"sku":"X","quantity":0,"unitPrice":5}})")
            << QStringLiteral("quantity must be greater than 0");
        QTest::newRow("negative quantity removed")
            << AfterAdds
            << QByteArray(R"({"type":"RemoveItem","stream":"cart-1","data":{"sku":"MUG01","quantity":-1}})")
            << QStringLiteral("quantity must be greater than 0");
        QTest::newRow("remove more than held")
            << AfterAdds
            << QByteArray(R"({"type":"RemoveItem","stream":"cart-1","data":{"sku":"MUG01","quantity":3}})")
            << QStringLiteral("the cart holds 2");
        QTest::newRow("empty cart confirmed")
            << AfterOpen << QByteArray(R"({"type":"ConfirmCart","stream":"cart-1"})")
            << QStringLiteral("cannot confirm an empty cart");
        QTest::newRow("double confirmation")
            << AfterConfirm << QByteArray(R"({"type":"ConfirmCart","stream":"cart-1"})")
            << QStringLiteral("already confirmed");
        QTest::newRow("cart opened twice")
            << AfterOpen << QByteArray(R"({"type":"OpenCart","stream":"cart-1","data":{"customerId":"C2"}})")
            << QStringLiteral("already exists");
        QTest::newRow("order from an open cart")
            << AfterAdds
            << QByteArray(R"({"type":"PlaceOrder","stream":"order-1","data":{"cartId":"cart-1"}})")
            << QStringLiteral("no order from an unconfirmed cart: 'cart-1' is open");
        QTest::newRow("order from a missing cart")
            << AfterConfirm
            << QByteArray(R"({"type":"PlaceOrder","stream":"order-1","data":{"cartId":"cart-7"}})")
            << QStringLiteral("no order from an unconfirmed cart: 'cart-7' is new");
        QTest::newRow("order placed twice")
            << AfterOrder
            << QByteArray(R"({"type":"PlaceOrder","stream":"order-1","data":{"cartId":"cart-1"}})")
            << QStringLiteral("already placed");
        QTest::newRow("payment above the outstanding total")
            << AfterReserve
            << QByteArray(
                   R"({"type":"RequestPayment","stream":"payment-1","data":{"orderId":"order-1","amount":4161,"method":"card"}})")
            << QStringLiteral("no payment above the order's outstanding total: 4161 > 4160");
        QTest::newRow("recorded payment above the outstanding total")
            << AfterCapture
            << QByteArray(
                   R"({"type":"RecordPayment","stream":"order-1","data":{"paymentId":"payment-1","amount":5000}})")
            << QStringLiteral("no payment above the order's outstanding total");
        QTest::newRow("payment recorded before capture")
            << AfterRequest
            << QByteArray(
                   R"({"type":"RecordPayment","stream":"order-1","data":{"paymentId":"payment-1","amount":4160}})")
            << QStringLiteral("is not captured");
        QTest::newRow("shipment before payment")
            << AfterOrder << QByteArray(R"({"type":"ShipOrder","stream":"order-1","data":{"carrier":"UPS"}})")
            << QStringLiteral("no shipment before payment");
        QTest::newRow("shipped twice")
            << AfterShipped
            << QByteArray(R"({"type":"ShipOrder","stream":"order-1","data":{"carrier":"UPS"}})")
            << QStringLiteral("already shipped");
        QTest::newRow("paid order cancelled")
            << AfterPaid << QByteArray(R"({"type":"CancelOrder","stream":"order-1"})")
            << QStringLiteral("a paid order cannot be cancelled");
        QTest::newRow("reservation beyond stock")
            << AfterStock
            << QByteArray(
                   R"({"type":"ReserveStock","stream":"inventory-TEA01","data":{"orderId":"order-5","quantity":4}})")
            << QStringLiteral("no stock reservation beyond available stock: 4 asked, 3 available");
        QTest::newRow("reservation twice")
            << AfterReserve
            << QByteArray(
                   R"({"type":"ReserveStock","stream":"inventory-MUG01","data":{"orderId":"order-1","quantity":1}})")
            << QStringLiteral("already reserved");
        QTest::newRow("release without reservation")
            << AfterStock
            << QByteArray(
                   R"({"type":"ReleaseStock","stream":"inventory-MUG01","data":{"orderId":"order-1"}})")
            << QStringLiteral("no stock is reserved for 'order-1'");
        QTest::newRow("capture before authorization")
            << AfterRequest << QByteArray(R"({"type":"CapturePayment","stream":"payment-1"})")
            << QStringLiteral("only an authorized payment can be captured");
        QTest::newRow("refund above captured")
            << AfterCapture
            << QByteArray(R"({"type":"RefundPayment","stream":"payment-1","data":{"amount":4161}})")
            << QStringLiteral("only 4160 is left to refund");
    }

    void rulesAreEnforced()
    {
        QFETCH(int, setup);
        QFETCH(QByteArray, command);
        QFETCH(QString, rule);
        MemoryEventStore store;
        for (int i = 0; i < setup; ++i)
            handle(store, HappyPath[i]);
        const auto before = dumpAll(store);
        const auto parsed = parseCommand(command);
        try {
            handle(store, command);
            QFAIL("the command was accepted");
        } catch (const DomainError& error) {
            const auto& m = error.message();
            QVERIFY2(m.contains(rule), qPrintable(m));
            QVERIFY2(
                m.contains(parsed.type) && m.contains(QStringLiteral("'%1'").arg(parsed.stream.toString())),
                qPrintable(m));
        }
        QCOMPARE(dumpAll(store), before); // nothing appended
    }

    void correlationAndCausationFlow()
    {
        // A story as a process manager runs it: every command after the first carries the
        // story's correlation id and the id of the event it reacts to.
        MemoryEventStore store;
        for (int i = 0; i < AfterStock; ++i)
            handle(store, HappyPath[i]);
        QUuid correlation;
        QUuid lastEvent;
        std::map<QUuid, QString> eventTypes;
        for (int i = AfterStock; i < HappyPath.size(); ++i) {
            auto command = parseCommand(HappyPath[i]);
            const bool reaction = i >= AfterConfirm;
            command.correlationId = correlation;
            if (reaction)
                command.causationId = lastEvent;
            CommandHandler handler(store);
            const auto result = handler.handle(command);
            for (const auto& e : result.events) {
                const auto meta = e.metadataJson();
                const auto commandId
                    = QUuid::fromString(QString::fromStdString(meta.at("commandId").get<std::string>()));
                QVERIFY(!commandId.isNull());
                JCOMPARE(meta["commandType"], command.type.toStdString());
                if (correlation.isNull())
                    correlation = commandId; // the first command starts the story
                JCOMPARE(meta["correlationId"], correlation.toString(QUuid::WithoutBraces).toStdString());
                const auto cause = reaction ? lastEvent : commandId;
                JCOMPARE(meta["causationId"], cause.toString(QUuid::WithoutBraces).toStdString());
                eventTypes[e.id] = e.type;
            }
            if (reaction && command.type == QLatin1String("PlaceOrder"))
                QCOMPARE(eventTypes[lastEvent], QStringLiteral("CartConfirmed"));
            lastEvent = result.events.back().id;
        }
    }

    void decideIsPure()
    {
        auto command
            = parseCommand(QByteArray(R"({"type":"OpenCart","stream":"cart-3","data":{"customerId":"C7"}})"));
        QVERIFY_THROWS_EXCEPTION(
            InvalidInput, decide(initialState(Aggregate::Cart, command.stream), command));
        command.id = QUuid::fromString(QStringLiteral("11111111-2222-4333-8444-555555555555"));
        const auto events = decide(initialState(Aggregate::Cart, command.stream), command);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].type, QStringLiteral("CartOpened"));
        JCOMPARE(json::parse(events[0].data.toStdString()),
            json::parse(R"({"cartId":"cart-3","customerId":"C7"})"));
        const auto meta = json::parse(events[0].metadata.toStdString());
        JCOMPARE(meta["correlationId"], "11111111-2222-4333-8444-555555555555");
        JCOMPARE(meta["causationId"], "11111111-2222-4333-8444-555555555555");
        JCOMPARE(meta["commandType"], "OpenCart");
    }

    void parseCommandErrors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << QByteArray("{\"type\":") << QStringLiteral("not valid JSON");
        QTest::newRow("not an object") << QByteArray("[1]") << QStringLiteral("must be a JSON object");
        QTest::newRow("no type") << QByteArray(R"({"stream":"cart-1"})") << QStringLiteral("no \"type\"");
        QTest::newRow("unknown type")
            << QByteArray(R"({"type":"Teleport","stream":"cart-1"})")
            << QStringLiteral("unknown command type 'Teleport'; known types: OpenCart, AddItem");
        QTest::newRow("no stream") << QByteArray(R"({"type":"ConfirmCart"})")
                                   << QStringLiteral("has no \"stream\"");
        QTest::newRow("wrong category")
            << QByteArray(R"({"type":"ConfirmCart","stream":"order-1"})")
            << QStringLiteral("applies to cart streams (cart-<id>), not 'order-1'");
        QTest::newRow("data not an object")
            << QByteArray(R"({"type":"ConfirmCart","stream":"cart-1","data":3})")
            << QStringLiteral("\"data\" must be a JSON object");
        QTest::newRow("missing field")
            << QByteArray(R"({"type":"AddItem","stream":"cart-1","data":{"sku":"A","quantity":1}})")
            << QStringLiteral("field 'unitPrice' (price of one, in cents) is missing");
        QTest::newRow("string for integer")
            << QByteArray(
                   R"({"type":"AddItem","stream":"cart-1","data":{"sku":"A","quantity":"2","unitPrice":1}})")
            << QStringLiteral("field 'quantity' must be an integer, got \"2\"");
        QTest::newRow("money as a fraction") << QByteArray(
            R"({"type":"AddItem","stream":"cart-1","data":{"sku":"A","quantity":2,"unitPrice":1.5}})")
                                             << QStringLiteral("field 'unitPrice' must be an integer");
        QTest::newRow("reference to the wrong category")
            << QByteArray(R"({"type":"PlaceOrder","stream":"order-1","data":{"cartId":"order-2"}})")
            << QStringLiteral("field 'cartId' must be a cart stream id");
        QTest::newRow("bad uuid") << QByteArray(R"({"type":"ConfirmCart","stream":"cart-1","id":"nope"})")
                                  << QStringLiteral("'id' must be a UUID");
    }

    void parseCommandErrors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        try {
            parseCommand(text);
            QFAIL("parsed");
        } catch (const InvalidInput& error) {
            QVERIFY2(error.message().contains(message), qPrintable(error.message()));
        }
    }

    void commandJsonRoundTrip()
    {
        const QByteArray text(
            R"({"type":"AddItem","stream":"cart-4","data":{"sku":"MUG01","quantity":1,"unitPrice":1290},
                                  "id":"11111111-2222-4333-8444-555555555555",
                                  "correlationId":"21111111-2222-4333-8444-555555555555"})");
        const auto command = parseCommand(text);
        QCOMPARE(command.type, QStringLiteral("AddItem"));
        QCOMPARE(command.stream.toString(), QStringLiteral("cart-4"));
        QVERIFY(command.causationId.isNull());
        JCOMPARE(toJson(command), json::parse(text.toStdString()));
    }

    void commandSpecsDescribeEveryCommand()
    {
        std::set<QString> types;
        std::set<QString> emitted;
        for (const auto& spec : commandSpecs()) {
            QVERIFY2(types.insert(spec.type).second, qPrintable(spec.type));
            QVERIFY(!spec.description.isEmpty());
            QVERIFY(!spec.emits.isEmpty());
            for (const auto& e : spec.emits)
                emitted.insert(e);
            QCOMPARE(findCommandSpec(spec.type), &spec);
        }
        QCOMPARE(types.size(), std::size_t(18));
        QCOMPARE(emitted.size(), std::size_t(18));
        QCOMPARE(findCommandSpec(QStringLiteral("Nope")), nullptr);
    }

    void concurrentWriterMakesTheCommandFail()
    {
        // The cart holds one mug; while the command decides, someone else adds tea. The
        // decision was taken on version 2, so the append must fail rather than write over it.
        MemoryEventStore memory;
        for (int i = AfterStock; i < AfterOpen + 1; ++i)
            handle(memory, HappyPath[i]);
        RacingStore racing(memory);
        CommandHandler handler(racing);
        const auto command = parseCommand(QByteArray(R"({"type":"ConfirmCart","stream":"cart-1"})"));
        QVERIFY_THROWS_EXCEPTION(WrongExpectedVersion, handler.handle(command));
        const auto cart = state(memory, "cart-1");
        JCOMPARE(cart["status"], "open"); // the confirmation was not written
        QCOMPARE(cart["items"].size(), std::size_t(2));
        // Handled again, the command sees the tea and confirms both items.
        const auto result = handler.handle(command);
        QCOMPARE(result.loadedVersion.value, 3);
        QCOMPARE(result.events[0].dataJson()["items"].size(), std::size_t(2));
    }

    void generatorWritesTheSameIntoSqlite()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto sqlite = createSqliteStore(dir.filePath(QStringLiteral("sample.chronoscope")));
        MemoryEventStore memory;
        QCOMPARE(generate(*sqlite, {2500, 9}), generate(memory, {2500, 9}));
        QCOMPARE(dumpAll(*sqlite), dumpAll(memory));
    }

    void generatorIsDeterministic()
    {
        MemoryEventStore a;
        MemoryEventStore b;
        MemoryEventStore c;
        generate(a, {3000, 7});
        generate(b, {3000, 7});
        generate(c, {3000, 8});
        const auto dumpA = dumpAll(a);
        QCOMPARE(dumpA, dumpAll(b));
        QVERIFY(dumpA != dumpAll(c));
        const auto first = allEvents(a, 1).front();
        QCOMPARE(formatTimestamp(first.timestampMs), QStringLiteral("2026-01-05T08:00:00.000Z"));
        QCOMPARE(first.id.version(), QUuid::Random);
        QCOMPARE(first.id.variant(), QUuid::DCE);
    }

    void generatorWritesAtLeastTheTarget_data()
    {
        QTest::addColumn<qint64>("target");
        QTest::newRow("tiny") << qint64(10);
        QTest::newRow("one batch") << qint64(999);
        QTest::newRow("several batches") << qint64(4321);
    }

    void generatorWritesAtLeastTheTarget()
    {
        QFETCH(qint64, target);
        MemoryEventStore store;
        QList<qint64> reported;
        const auto written = generate(store, {target, 3}, [&](qint64 done, qint64 total) {
            reported << done;
            return total == target;
        });
        QCOMPARE(store.summary().events, written);
        QVERIFY2(written >= target && written < target + 10, qPrintable(QString::number(written)));
        QVERIFY(!reported.isEmpty());
        QCOMPARE(reported.back(), written);
        QVERIFY(std::is_sorted(reported.begin(), reported.end()));
    }

    void generatorCanBeCancelled()
    {
        MemoryEventStore store;
        int calls = 0;
        const auto written = generate(store, {10000, 5}, [&](qint64, qint64) { return ++calls < 2; });
        QCOMPARE(calls, 2);
        QVERIFY(written >= 1000 && written < 10000);
        QCOMPARE(store.summary().events, written); // what was written stays
    }

    void generatorRefusesAStoreWithSampleStreams()
    {
        MemoryEventStore store;
        generate(store, {50, 1});
        const auto before = store.summary().events;
        QVERIFY_THROWS_EXCEPTION(InvalidInput, generate(store, {50, 1}));
        QCOMPARE(store.summary().events, before);
    }

    void generatedStoreKeepsTheRules()
    {
        MemoryEventStore store;
        generate(store, {20000, 11});
        const auto registry = ReducerRegistry::withBuiltins();
        std::map<QString, json> finals;
        std::map<QString, qint64> counts;
        for (const auto& info : static_cast<const EventStore&>(store).streams()) {
            const auto reducer = registry.reducerFor(info.stream);
            QVERIFY2(reducer != genericReducer(), qPrintable(info.stream.toString()));
            auto s = reducer->initialState(info.stream);
            for (const auto& e : store.readStream(info.stream, std::nullopt, 1 << 30, Direction::Forward)) {
                s = reducer->evolve(std::move(s), e);
                if (info.stream.category() == QLatin1String("inventory")) {
                    QVERIFY2(get(s, "onHand") >= 0 && get(s, "reserved") >= 0 && get(s, "available") >= 0,
                        qPrintable(info.stream.toString()));
                }
            }
            JCOMPARE(s, stateAtVersion(store, *reducer, info.stream));
            counts[info.stream.category()] += 1;
            finals[info.stream.toString()] = std::move(s);
        }
        QVERIFY(counts[QStringLiteral("cart")] > 100 && counts[QStringLiteral("order")] > 50
            && counts[QStringLiteral("payment")] > 50 && counts[QStringLiteral("inventory")] == 20);
        std::map<std::string, int> statuses;
        for (const auto& [name, s] : finals) {
            // Inventory states have no status: const operator[] on a missing key is undefined behaviour.
            const auto status = s.contains("status") && s["status"].is_string()
                ? s["status"].get<std::string>()
                : std::string();
            statuses[name.section(QLatin1Char('-'), 0, 0).toStdString() + ":" + status] += 1;
            if (name.startsWith(QLatin1String("order-"))) {
                JCOMPARE(
                    finals[QString::fromStdString(s["cartId"].get<std::string>())]["status"], "confirmed");
                if (status == "shipped" || status == "paid")
                    QVERIFY2(
                        get(s, "paid") == get(s, "total") && get(s, "outstanding") == 0, qPrintable(name));
                if (status == "cancelled")
                    QCOMPARE(get(s, "paid"), 0);
            } else if (name.startsWith(QLatin1String("payment-"))) {
                QVERIFY(get(s, "refunded") <= get(s, "captured"));
            } else if (name.startsWith(QLatin1String("cart-")) && status == "confirmed") {
                QVERIFY(!s["items"].empty());
            }
        }
        // The story has every ending a teacher wants to show.
        for (const auto* key :
            {"cart:abandoned", "order:shipped", "order:cancelled", "payment:failed", "payment:captured"})
            QVERIFY2(statuses[key] > 0, key);
        // Time only moves forward and spans weeks.
        const auto all = allEvents(store);
        for (std::size_t i = 1; i < all.size(); ++i)
            QVERIFY(all[i].timestampMs >= all[i - 1].timestampMs);
        QVERIFY(all.back().timestampMs - all.front().timestampMs > 14LL * 86400 * 1000);
    }

    void generatedStoriesShareACorrelation()
    {
        MemoryEventStore store;
        generate(store, {3000, 2});
        // For every order: OrderPlaced is caused by the cart's CartConfirmed and carries the
        // correlation id of the cart's first command; the payments carry it too.
        int checked = 0;
        for (const auto& info : store.streams(QStringLiteral("order-"))) {
            const auto placed = store.readStream(info.stream, std::nullopt, 1, Direction::Forward).front();
            const auto cartId
                = StreamId(QString::fromStdString(placed.dataJson()["cartId"].get<std::string>()));
            const auto cartEvents = store.readStream(cartId, std::nullopt, 1000, Direction::Forward);
            const auto opened = cartEvents.front().metadataJson();
            JCOMPARE(opened["correlationId"], opened["commandId"]);
            JCOMPARE(opened["causationId"], opened["commandId"]);
            const auto confirmed = cartEvents.back();
            QCOMPARE(confirmed.type, QStringLiteral("CartConfirmed"));
            const auto meta = placed.metadataJson();
            JCOMPARE(meta["correlationId"], opened["correlationId"]);
            JCOMPARE(meta["causationId"], confirmed.id.toString(QUuid::WithoutBraces).toStdString());
            for (const auto& e : store.readStream(info.stream, std::nullopt, 1000, Direction::Forward))
                JCOMPARE(e.metadataJson()["correlationId"], opened["correlationId"]);
            ++checked;
        }
        QVERIFY(checked > 10);
    }
};

QTEST_GUILESS_MAIN(TestSampleDomain)
#include "tst_sampledomain.moc"
