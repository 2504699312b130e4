// The publishing path: command -> aggregate -> store -> bus, the sample reactions, the order
// saga, dead letters and the correlation / causation chain.
#include "bus/publisher.h"
#include "bus/sqlitedeadletters.h"
#include "projections/projection.h"
#include "replay/replay.h"
#include "sample/reactions.h"
#include "store/memoryeventstore.h"
#include "store/sqlite/sqleventstore.h"
#include "store/storefactory.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <mutex>
#include <span>
#include <thread>

using namespace chronoscope;
using namespace chronoscope::sample;
using nlohmann::json;

namespace {

/// Compares JSON values by their text.
#define JCOMPARE(actual, expected)                                                                           \
    QCOMPARE(QString::fromStdString(json(actual).dump()), QString::fromStdString(json(expected).dump()))

#define MUST(outcome)                                                                                        \
    do {                                                                                                     \
        const auto& o_ = (outcome);                                                                          \
        QVERIFY2(o_.ok(), qPrintable(o_.error));                                                             \
    } while (0)

/// A store, a bus, a publisher and (optionally) the sample reactions, destroyed in reverse.
struct Rig {
    QTemporaryDir dir;
    QString path;
    std::unique_ptr<EventStore> store;
    EventBus bus;
    std::unique_ptr<Publisher> publisher;
    std::unique_ptr<SampleReactions> reactions;

    explicit Rig(bool sqlite, std::optional<ReactionOptions> options = ReactionOptions {})
    {
        if (sqlite) {
            path = dir.filePath(QStringLiteral("shop.chronoscope"));
            store = createSqliteStore(path);
            bus.setDeadLetterQueue(std::make_shared<SqliteDeadLetterQueue>(path));
        } else {
            store = std::make_unique<MemoryEventStore>();
        }
        publisher = std::make_unique<Publisher>(*store, bus);
        if (options)
            reactions = std::make_unique<SampleReactions>(*publisher, *options);
    }
    PublishOutcome run(const char* command) { return publisher->execute(QByteArray(command)); }
    /// Runs commands in order; false (with a warning naming it) at the first that fails.
    bool runAll(std::initializer_list<const char*> commands)
    {
        for (const char* c : commands) {
            const auto outcome = run(c);
            if (!outcome.ok()) {
                qWarning("%s -> %s", c, qPrintable(outcome.error));
                return false;
            }
        }
        return true;
    }
    std::vector<RecordedEvent> all() const { return store->readAll(std::nullopt, 1 << 20); }
    std::vector<RecordedEvent> ofType(const char* type) const
    {
        std::vector<RecordedEvent> out;
        for (auto& e : all())
            if (e.type == QLatin1String(type))
                out.push_back(std::move(e));
        return out;
    }
    std::vector<RecordedEvent> stream(const char* id) const
    {
        return store->readStream(StreamId(QLatin1String(id)), std::nullopt, 1 << 20);
    }
    qint64 last() const { return store->summary().lastPosition.value; }
    ReactionSwitches& switches() const { return reactions->switches(); }
};

const char* const Stock1 = R"({"type":"ReceiveStock","stream":"inventory-MUG01","data":{"quantity":10}})";
const char* const Stock2 = R"({"type":"ReceiveStock","stream":"inventory-TEA01","data":{"quantity":5}})";
const char* const Open = R"({"type":"OpenCart","stream":"cart-1","data":{"customerId":"C1001"}})";
const char* const AddMugs
    = R"({"type":"AddItem","stream":"cart-1","data":{"sku":"MUG01","name":"Enamel mug","quantity":2,"unitPrice":1290}})";
const char* const AddTea
    = R"({"type":"AddItem","stream":"cart-1","data":{"sku":"TEA01","name":"Green tea","quantity":1,"unitPrice":790}})";
const char* const Confirm = R"({"type":"ConfirmCart","stream":"cart-1"})";
const char* const Place = R"({"type":"PlaceOrder","stream":"order-1","data":{"cartId":"cart-1"}})";
const char* const Pay
    = R"({"type":"RequestPayment","stream":"payment-1","data":{"orderId":"order-1","amount":3370,"method":"card"}})";

QUuid metaId(const RecordedEvent& e, const char* key)
{
    const auto meta = e.metadataJson();
    return meta.contains(key) ? QUuid::fromString(QString::fromStdString(meta.at(key).get<std::string>()))
                              : QUuid();
}

json stateOf(const EventStore& store, const char* stream)
{
    const StreamId id {QLatin1String(stream)};
    return stateAtVersion(store, *ReducerRegistry::withBuiltins().reducerFor(id), id);
}

QStringList types(const std::vector<RecordedEvent>& events)
{
    QStringList out;
    for (const auto& e : events)
        out << e.type;
    return out;
}

} // namespace

Q_DECLARE_METATYPE(DeliveryMode)

class TestPublishing : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void addItemStoresPublishesAndProjects_data();
    void addItemStoresPublishesAndProjects();
    void brokenInvariantStoresNothing();
    void staleExpectedVersionStoresNothing();
    void badInputIsReportedNotThrown();
    void rawEventCarriesCorrelation();
    void appendsByOthersArePublishedInOrder();
    void reactionsSeeTheLogInOrder();
    void failingHandlerIsRetriedThenDeadLettered_data();
    void failingHandlerIsRetriedThenDeadLettered();
    void retriedDeadLetterIsDeliveredExactlyOnce();
    void inventoryShortageWaitsInDeadLetters();
    void paymentCapturedPaysTheOrder();
    void sagaCompensatesOnPaymentFailure();
    void sagaDownThenRetriedCompensates();
    void correlationAndCausationChain();
    void queuedReactionsRunTheStory();
    void concurrentWritersPublishEveryEventOnce();
    void expectedVersionSurvivesJsonRoundTrip();
};

void TestPublishing::addItemStoresPublishesAndProjects_data()
{
    QTest::addColumn<bool>("sqlite");
    QTest::newRow("memory") << false;
    QTest::newRow("sqlite") << true;
}

void TestPublishing::addItemStoresPublishesAndProjects()
{
    QFETCH(bool, sqlite);
    Rig rig(sqlite, std::nullopt);
    // A read model fed by the bus, as the window's projection view would be.
    const auto projection = builtinProjection(QStringLiteral("cart-summaries"));
    const auto folder = projection->createFolder();
    std::vector<RecordedEvent> delivered;
    rig.bus.subscribe(QStringLiteral("projector"), BusSelector::category(QStringLiteral("cart")),
        [&](const RecordedEvent& e) {
            delivered.push_back(e);
            folder->apply(std::span(&e, 1));
        });
    QSignalSpy published(&rig.bus, &EventBus::published);
    MUST(rig.run(Open));
    JCOMPARE(folder->state().at("cart-1").at("status"), "open");

    const auto outcome = rig.run(AddMugs);
    MUST(outcome);
    QCOMPARE(outcome.kind, PublishOutcome::Kind::Stored);
    QCOMPARE(outcome.events.size(), std::size_t(1));
    const auto& added = outcome.events.front();
    QCOMPARE(added.type, QStringLiteral("ItemAdded"));
    QCOMPARE(added.position, Position(2));
    QCOMPARE(added.version, Version(2));
    JCOMPARE(outcome.state.at("itemCount"), 2);
    // Stored...
    const auto stored = rig.stream("cart-1");
    QCOMPARE(stored.size(), std::size_t(2));
    QCOMPARE(stored.back().id, added.id);
    QCOMPARE(stored.back().data, added.data);
    // ...published once, as stored...
    QCOMPARE(published.count(), 2);
    QCOMPARE(delivered.size(), std::size_t(2));
    QCOMPARE(delivered.back().id, added.id);
    QCOMPARE(delivered.back().position, Position(2));
    QCOMPARE(delivered.back().metadata, stored.back().metadata);
    QCOMPARE(outcome.published.size(), std::size_t(1));
    QCOMPARE(outcome.published.front().id, added.id);
    // ...and the read model has it.
    JCOMPARE(folder->state().at("cart-1").at("items").at("MUG01").at("quantity"), 2);
    JCOMPARE(folder->state().at("cart-1").at("total"), 2580);
    QCOMPARE(rig.bus.handlerCounters(QStringLiteral("projector"))->counters.delivered, quint64(2));
}

void TestPublishing::brokenInvariantStoresNothing()
{
    Rig rig(true);
    QVERIFY(rig.runAll({Open, AddMugs, Confirm}));
    const auto before = rig.last();
    QSignalSpy published(&rig.bus, &EventBus::published);
    const auto outcome = rig.run(AddTea);
    QCOMPARE(outcome.kind, PublishOutcome::Kind::Rejected);
    QVERIFY2(
        outcome.error.contains(QLatin1String("cart-1")) && outcome.error.contains(QLatin1String("confirmed")),
        qPrintable(outcome.error));
    QVERIFY(outcome.events.empty());
    QVERIFY(outcome.published.empty());
    QCOMPARE(rig.last(), before);
    QCOMPARE(published.count(), 0);
    JCOMPARE(stateOf(*rig.store, "cart-1").at("itemCount"), 2);
}

void TestPublishing::staleExpectedVersionStoresNothing()
{
    Rig rig(true);
    QVERIFY(rig.runAll({Open, AddMugs}));
    const auto before = rig.last();
    QSignalSpy published(&rig.bus, &EventBus::published);

    // A command written against version 1 of the cart, which is now at version 2.
    const auto outcome = rig.run(
        R"({"type":"AddItem","stream":"cart-1","expectedVersion":1,"data":{"sku":"TEA01","quantity":1,"unitPrice":790}})");
    QCOMPARE(outcome.kind, PublishOutcome::Kind::Conflict);
    QCOMPARE(outcome.stream, StreamId(QStringLiteral("cart-1")));
    QVERIFY(outcome.expected);
    QCOMPARE(outcome.expected->toString(), QStringLiteral("1"));
    QCOMPARE(outcome.actual, Version(2));
    QVERIFY2(outcome.error.contains(QLatin1String("cart-1")), qPrintable(outcome.error));
    QVERIFY(outcome.events.empty());
    QCOMPARE(rig.last(), before);

    // The same against the right version is stored.
    MUST(rig.run(
        R"({"type":"AddItem","stream":"cart-1","expectedVersion":2,"data":{"sku":"TEA01","quantity":1,"unitPrice":790}})"));
    QCOMPARE(rig.last(), before + 1);

    // A raw event with a stale expectation.
    const auto raw = rig.publisher->publishEvent(StreamId(QStringLiteral("cart-1")),
        QStringLiteral("NoteAdded"), R"({"text":"hi"})", {}, ExpectedVersion::exact(Version(1)));
    QCOMPARE(raw.kind, PublishOutcome::Kind::Conflict);
    QCOMPARE(raw.actual, Version(3));
    QCOMPARE(raw.expected->version(), Version(1));
    const auto noStream = rig.publisher->publishEvent(StreamId(QStringLiteral("cart-1")),
        QStringLiteral("NoteAdded"), R"({"text":"hi"})", {}, ExpectedVersion::noStream());
    QCOMPARE(noStream.kind, PublishOutcome::Kind::Conflict);
    QCOMPARE(rig.last(), before + 1);
    QCOMPARE(published.count(), 1);
}

void TestPublishing::badInputIsReportedNotThrown()
{
    Rig rig(false);
    const auto notJson = rig.publisher->execute(QByteArray("{\"type\":"));
    QCOMPARE(notJson.kind, PublishOutcome::Kind::Invalid);
    QVERIFY2(notJson.error.contains(QLatin1String("not valid JSON")), qPrintable(notJson.error));
    // A number past a double's range: nlohmann throws out_of_range, not parse_error.
    const auto overflow = rig.publisher->execute(QByteArray("{\"type\":9e6679,"));
    QCOMPARE(overflow.kind, PublishOutcome::Kind::Invalid);
    QVERIFY2(overflow.error.contains(QLatin1String("not valid JSON")), qPrintable(overflow.error));
    const auto overflowData = rig.publisher->publishEvent(StreamId(QStringLiteral("cart-1")),
        QStringLiteral("NoteAdded"), "{\"n\":9e6679,", {}, ExpectedVersion::any());
    QCOMPARE(overflowData.kind, PublishOutcome::Kind::Invalid);
    QVERIFY2(overflowData.error.contains(QLatin1String("not valid JSON")), qPrintable(overflowData.error));
    const auto unknown = rig.run(R"({"type":"Teleport","stream":"cart-1"})");
    QCOMPARE(unknown.kind, PublishOutcome::Kind::Invalid);
    QVERIFY2(unknown.error.contains(QLatin1String("Teleport")), qPrintable(unknown.error));
    const auto badExpected = rig.run(
        R"({"type":"OpenCart","stream":"cart-1","expectedVersion":"soon","data":{"customerId":"C1"}})");
    QCOMPARE(badExpected.kind, PublishOutcome::Kind::Invalid);
    QVERIFY2(badExpected.error.contains(QLatin1String("expectedVersion")), qPrintable(badExpected.error));

    const StreamId stream(QStringLiteral("note-1"));
    const auto badData = rig.publisher->publishEvent(
        stream, QStringLiteral("NoteAdded"), "{oops", {}, ExpectedVersion::any());
    QCOMPARE(badData.kind, PublishOutcome::Kind::Invalid);
    QVERIFY2(badData.error.contains(QLatin1String("note-1")) && badData.error.contains(QLatin1String("data")),
        qPrintable(badData.error));
    const auto badMeta = rig.publisher->publishEvent(
        stream, QStringLiteral("NoteAdded"), "{}", "[1]", ExpectedVersion::any());
    QCOMPARE(badMeta.kind, PublishOutcome::Kind::Invalid);
    QVERIFY2(
        badMeta.error.contains(QLatin1String("metadata must be a JSON object")), qPrintable(badMeta.error));
    const auto noType = rig.publisher->publishEvent(stream, QString(), "{}", {}, ExpectedVersion::any());
    QCOMPARE(noType.kind, PublishOutcome::Kind::Invalid);
    QCOMPARE(rig.store->summary().events, 0);
}

void TestPublishing::rawEventCarriesCorrelation()
{
    Rig rig(false, std::nullopt);
    std::vector<RecordedEvent> seen;
    rig.bus.subscribe(
        QStringLiteral("log"), BusSelector::all(), [&](const RecordedEvent& e) { seen.push_back(e); });
    const StreamId stream(QStringLiteral("note-1"));

    // No ids anywhere: a new correlation id, causation = correlation; the rest of the metadata kept.
    const auto fresh = rig.publisher->publishEvent(stream, QStringLiteral("NoteAdded"), R"({"text":"hi"})",
        R"({"user":"ada"})", ExpectedVersion::noStream());
    MUST(fresh);
    QVERIFY(!fresh.correlationId.isNull());
    QCOMPARE(fresh.causationId, fresh.correlationId);
    QCOMPARE(seen.size(), std::size_t(1));
    QCOMPARE(metaId(seen[0], "correlationId"), fresh.correlationId);
    QCOMPARE(metaId(seen[0], "causationId"), fresh.correlationId);
    JCOMPARE(seen[0].metadataJson().at("user"), "ada");
    QCOMPARE(seen[0].version, Version(1));

    // Ids in the metadata are kept as written; ids given as arguments win over them.
    const QByteArray written
        = R"({"correlationId":"11111111-2222-3333-4444-555555555555","causationId":"x"})";
    const auto kept = rig.publisher->publishEvent(
        stream, QStringLiteral("NoteAdded"), "1", written, ExpectedVersion::exact(Version(1)));
    MUST(kept);
    QCOMPARE(seen.back().metadata, written);
    const QUuid given = QUuid::createUuid();
    const QUuid cause = QUuid::createUuid();
    MUST(rig.publisher->publishEvent(
        stream, QStringLiteral("NoteAdded"), "2", written, ExpectedVersion::exact(Version(2)), given, cause));
    QCOMPARE(metaId(seen.back(), "correlationId"), given);
    QCOMPARE(metaId(seen.back(), "causationId"), cause);
    QCOMPARE(seen.size(), std::size_t(3));
}

void TestPublishing::appendsByOthersArePublishedInOrder()
{
    Rig rig(false, std::nullopt);
    std::vector<qint64> positions;
    rig.bus.subscribe(QStringLiteral("log"), BusSelector::all(),
        [&](const RecordedEvent& e) { positions.push_back(e.position.value); });
    // A writer that does not know about the publisher (an import, another part of the program).
    std::vector<EventData> two(2);
    two[0].type = two[1].type = QStringLiteral("NoteAdded");
    two[0].data = two[1].data = "{}";
    rig.store->append(StreamId(QStringLiteral("note-1")), two, ExpectedVersion::any());
    MUST(rig.run(Open));
    QCOMPARE(positions, (std::vector<qint64> {1, 2, 3}));
    QCOMPARE(rig.bus.totals().published, quint64(3));
}

void TestPublishing::reactionsSeeTheLogInOrder()
{
    // A handler subscribed after the reactions still sees OrderPlaced before the events the
    // reactions stored because of it: publishing never recurses into a handler.
    Rig rig(true);
    std::vector<qint64> positions;
    rig.bus.subscribe(QStringLiteral("log"), BusSelector::all(),
        [&](const RecordedEvent& e) { positions.push_back(e.position.value); });
    QVERIFY(rig.runAll({Stock1, Stock2, Open, AddMugs, AddTea, Confirm}));
    const auto placed = rig.run(Place);
    MUST(placed);
    QCOMPARE(types(placed.published),
        (QStringList {QStringLiteral("OrderPlaced"), QStringLiteral("EmailSent"),
            QStringLiteral("StockReserved"), QStringLiteral("StockReserved")}));
    QCOMPARE(qint64(positions.size()), rig.last());
    for (std::size_t i = 0; i < positions.size(); ++i)
        QCOMPARE(positions[i], qint64(i + 1));
}

void TestPublishing::failingHandlerIsRetriedThenDeadLettered_data()
{
    QTest::addColumn<DeliveryMode>("mode");
    QTest::newRow("synchronous") << DeliveryMode::Synchronous;
    QTest::newRow("queued") << DeliveryMode::Queued;
}

void TestPublishing::failingHandlerIsRetriedThenDeadLettered()
{
    QFETCH(DeliveryMode, mode);
    ReactionOptions options;
    options.mode = mode;
    options.retry = RetryPolicy {3, 5, 2.0};
    Rig rig(true, options);
    QSignalSpy failed(&rig.bus, &EventBus::failed);
    QSignalSpy parked(&rig.bus, &EventBus::deadLettered);
    rig.switches().setFailing(Consumer::ConfirmationEmail, true);
    QVERIFY(rig.runAll({Stock1, Stock2, Open, AddMugs, AddTea, Confirm, Place}));
    QVERIFY(rig.bus.waitForIdle());

    const auto counters = rig.bus.handlerCounters(QStringLiteral("confirmation-email"))->counters;
    QCOMPARE(counters.failed, quint64(3));
    QCOMPARE(counters.deadLettered, quint64(1));
    QCOMPARE(counters.delivered, quint64(0));
    QCOMPARE(failed.count(), 3);
    QCOMPARE(parked.count(), 1);
    QVERIFY(rig.stream("email-order-1").empty());
    // The other consumers were not held up.
    QCOMPARE(rig.ofType("StockReserved").size(), std::size_t(2));

    // Kept in the store's file: another connection (another run of the program) sees it.
    SqliteDeadLetterQueue reopened(rig.path);
    const auto entries = reopened.list();
    QCOMPARE(entries.size(), std::size_t(1));
    QCOMPARE(entries[0].handler, QStringLiteral("confirmation-email"));
    QCOMPARE(entries[0].event.type, QStringLiteral("OrderPlaced"));
    QCOMPARE(entries[0].event.id, rig.ofType("OrderPlaced").front().id);
    QCOMPARE(entries[0].attempts, 3);
    QVERIFY2(entries[0].error.contains(QLatin1String("e-mail service down")), qPrintable(entries[0].error));
}

void TestPublishing::retriedDeadLetterIsDeliveredExactlyOnce()
{
    Rig rig(true);
    rig.switches().setFailing(Consumer::ConfirmationEmail, true);
    QVERIFY(rig.runAll({Stock1, Stock2, Open, AddMugs, AddTea, Confirm, Place}));
    const auto id = rig.bus.deadLetters().list().at(0).id;

    // Still down: the retry fails, the entry stays with one more attempt.
    QVERIFY(!rig.bus.retryDeadLetter(id));
    QCOMPARE(rig.bus.deadLetters().get(id)->attempts, 4);
    QVERIFY(rig.stream("email-order-1").empty());

    rig.switches().setFailing(Consumer::ConfirmationEmail, false);
    QVERIFY(rig.bus.retryDeadLetter(id));
    const auto mails = rig.stream("email-order-1");
    QCOMPARE(mails.size(), std::size_t(1));
    QCOMPARE(mails[0].type, QStringLiteral("EmailSent"));
    const auto mail = mails[0].dataJson();
    JCOMPARE(mail.at("to"), "C1001");
    JCOMPARE(mail.at("template"), "order-confirmation");
    JCOMPARE(mail.at("subject"), "Order order-1 confirmed: 33.70 EUR");
    QCOMPARE(rig.bus.deadLetters().count(), 0);

    // A second retry of the same entry does nothing: it is gone.
    QVERIFY_THROWS_EXCEPTION(InvalidInput, rig.bus.retryDeadLetter(id));
    // Publishing the event again is skipped by the bus (idempotency by event id)...
    const auto placed = rig.ofType("OrderPlaced").front();
    const auto duplicatesBefore
        = rig.bus.handlerCounters(QStringLiteral("confirmation-email"))->counters.duplicates;
    rig.bus.publish(placed);
    QCOMPARE(rig.bus.handlerCounters(QStringLiteral("confirmation-email"))->counters.duplicates,
        duplicatesBefore + 1);
    // ...and a new run of the program (fresh bus, same store) finds the mail already sent.
    {
        EventBus bus;
        Publisher publisher(*rig.store, bus);
        SampleReactions reactions(publisher);
        bus.publish(placed);
        QCOMPARE(bus.handlerCounters(QStringLiteral("confirmation-email"))->counters.delivered, quint64(1));
    }
    QCOMPARE(rig.stream("email-order-1").size(), std::size_t(1));
    QCOMPARE(rig.ofType("StockReserved").size(), std::size_t(2));
}

void TestPublishing::inventoryShortageWaitsInDeadLetters()
{
    // Not enough tea: the reservation fails with the domain's reason and waits; after a delivery
    // of stock the retry reserves only what is missing.
    Rig rig(true);
    QVERIFY(rig.runAll({Stock1, Open, AddMugs, AddTea, Confirm, Place}));
    const auto entries = rig.bus.deadLetters().list();
    QCOMPARE(entries.size(), std::size_t(1));
    QCOMPARE(entries[0].handler, QStringLiteral("inventory-reservation"));
    QVERIFY2(entries[0].error.contains(QLatin1String("inventory-TEA01"))
            && entries[0].error.contains(QLatin1String("available")),
        qPrintable(entries[0].error));
    JCOMPARE(stateOf(*rig.store, "inventory-MUG01").at("reserved"), 2); // the mugs were reserved
    MUST(rig.run(Stock2));
    QVERIFY(rig.bus.retryDeadLetter(entries[0].id));
    JCOMPARE(stateOf(*rig.store, "inventory-MUG01").at("reserved"), 2);
    JCOMPARE(stateOf(*rig.store, "inventory-TEA01").at("reservations").at("order-1"), 1);
    QCOMPARE(rig.ofType("StockReserved").size(), std::size_t(2));
}

void TestPublishing::paymentCapturedPaysTheOrder()
{
    Rig rig(true);
    QVERIFY(rig.runAll({Stock1, Stock2, Open, AddMugs, AddTea, Confirm, Place}));
    const auto first = rig.last() + 1;
    const auto outcome = rig.run(Pay);
    MUST(outcome);
    QCOMPARE(types(outcome.published),
        (QStringList {QStringLiteral("PaymentRequested"), QStringLiteral("PaymentAuthorized"),
            QStringLiteral("PaymentCaptured"), QStringLiteral("OrderPaid")}));
    QCOMPARE(outcome.published.front().position.value, first);
    const auto order = stateOf(*rig.store, "order-1");
    JCOMPARE(order.at("status"), "paid");
    JCOMPARE(order.at("outstanding"), 0);
    JCOMPARE(stateOf(*rig.store, "payment-1").at("status"), "captured");
    QCOMPARE(rig.bus.deadLetters().count(), 0);
}

void TestPublishing::sagaCompensatesOnPaymentFailure()
{
    Rig rig(true);
    QVERIFY(rig.runAll({Stock1, Stock2, Open, AddMugs, AddTea, Confirm, Place}));
    JCOMPARE(stateOf(*rig.store, "inventory-MUG01").at("available"), 8);
    rig.switches().setDecliningPayments(true);
    const auto outcome = rig.run(Pay);
    MUST(outcome);
    QCOMPARE(types(outcome.published),
        (QStringList {QStringLiteral("PaymentRequested"), QStringLiteral("PaymentFailed"),
            QStringLiteral("StockReleased"), QStringLiteral("StockReleased"),
            QStringLiteral("OrderCancelled"), QStringLiteral("EmailSent")}));
    const auto order = stateOf(*rig.store, "order-1");
    JCOMPARE(order.at("status"), "cancelled");
    QVERIFY(
        order.at("cancelReason").get<std::string>().find("payment payment-1 failed") != std::string::npos);
    for (const char* inventory : {"inventory-MUG01", "inventory-TEA01"}) {
        const auto s = stateOf(*rig.store, inventory);
        QVERIFY(s.at("reservations").empty());
        JCOMPARE(s.at("reserved"), 0);
    }
    JCOMPARE(stateOf(*rig.store, "inventory-MUG01").at("available"), 10);
    const auto mails = rig.stream("email-order-1");
    QCOMPARE(mails.size(), std::size_t(2));
    JCOMPARE(mails.back().dataJson().at("template"), "cancellation-notice");
    QCOMPARE(rig.bus.deadLetters().count(), 0);

    // Delivering the failure again changes nothing: the saga checks the state first.
    const auto before = rig.last();
    rig.bus.publish(rig.ofType("PaymentFailed").front());
    EventBus bus;
    Publisher publisher(*rig.store, bus);
    SampleReactions again(publisher);
    bus.publish(rig.ofType("PaymentFailed").front());
    QCOMPARE(rig.last(), before);
}

void TestPublishing::sagaDownThenRetriedCompensates()
{
    Rig rig(true);
    QVERIFY(rig.runAll({Stock1, Stock2, Open, AddMugs, AddTea, Confirm, Place}));
    rig.switches().setDecliningPayments(true);
    rig.switches().setFailing(Consumer::OrderSaga, true);
    MUST(rig.run(Pay));
    JCOMPARE(stateOf(*rig.store, "order-1").at("status"), "placed");
    JCOMPARE(stateOf(*rig.store, "inventory-TEA01").at("reserved"), 1);
    const auto entries = rig.bus.deadLetters().list();
    QCOMPARE(entries.size(), std::size_t(1));
    QCOMPARE(entries[0].handler, QStringLiteral("order-saga"));
    QCOMPARE(entries[0].event.type, QStringLiteral("PaymentFailed"));

    rig.switches().setFailing(Consumer::OrderSaga, false);
    QVERIFY(rig.bus.retryDeadLetter(entries[0].id));
    JCOMPARE(stateOf(*rig.store, "order-1").at("status"), "cancelled");
    JCOMPARE(stateOf(*rig.store, "inventory-TEA01").at("reserved"), 0);
    QCOMPARE(rig.ofType("OrderCancelled").size(), std::size_t(1));
    // The cancellation the retry stored was published too: the customer got the notice.
    QCOMPARE(rig.stream("email-order-1").size(), std::size_t(2));
}

void TestPublishing::correlationAndCausationChain()
{
    Rig rig(true);
    QVERIFY(rig.runAll({Stock1, Stock2, Open, AddMugs, AddTea, Confirm}));
    rig.switches().setDecliningPayments(true);
    const QUuid story = QUuid::createUuid();
    const auto storyText = story.toString(QUuid::WithoutBraces).toStdString();
    auto place = json::parse(Place);
    place["correlationId"] = storyText;
    const auto placed = rig.publisher->execute(QByteArray::fromStdString(place.dump()));
    MUST(placed);
    QCOMPARE(placed.correlationId, story);
    QCOMPARE(placed.causationId, placed.commandId);
    auto pay = json::parse(Pay);
    pay["correlationId"] = storyText;
    const auto paid = rig.publisher->execute(QByteArray::fromStdString(pay.dump()));
    MUST(paid);

    const auto one = [&](const char* type) {
        const auto events = rig.ofType(type);
        return events.empty() ? RecordedEvent() : events.front();
    };
    const auto orderPlaced = one("OrderPlaced");
    const auto paymentRequested = one("PaymentRequested");
    const auto paymentFailed = one("PaymentFailed");
    const auto orderCancelled = one("OrderCancelled");
    QCOMPARE(metaId(orderPlaced, "causationId"), placed.commandId);
    QCOMPARE(metaId(orderPlaced, "commandId"), placed.commandId);
    QCOMPARE(metaId(paymentRequested, "causationId"), paid.commandId);
    QCOMPARE(metaId(paymentFailed, "causationId"), paymentRequested.id);
    QCOMPARE(metaId(orderCancelled, "causationId"), paymentFailed.id);
    for (const auto& e : rig.ofType("StockReserved"))
        QCOMPARE(metaId(e, "causationId"), orderPlaced.id);
    for (const auto& e : rig.ofType("StockReleased"))
        QCOMPARE(metaId(e, "causationId"), paymentFailed.id);
    const auto mails = rig.stream("email-order-1");
    QCOMPARE(mails.size(), std::size_t(2));
    QCOMPARE(metaId(mails[0], "causationId"), orderPlaced.id);
    QCOMPARE(metaId(mails[1], "causationId"), orderCancelled.id);
    // Everything from the order on belongs to the one story.
    int inStory = 0;
    for (const auto& e : rig.all()) {
        if (e.position < orderPlaced.position)
            QVERIFY(metaId(e, "correlationId") != story);
        else {
            QCOMPARE(metaId(e, "correlationId"), story);
            ++inStory;
        }
    }
    QCOMPARE(inStory, 10); // placed, mail, 2 reserved, requested, failed, 2 released, cancelled, mail
}

void TestPublishing::queuedReactionsRunTheStory()
{
    // Reactions on the bus worker: their commands are written and published from that thread.
    ReactionOptions options;
    options.mode = DeliveryMode::Queued;
    Rig rig(true, options);
    QVERIFY(rig.runAll({Stock1, Stock2, Open, AddMugs, AddTea, Confirm, Place}));
    QVERIFY(rig.bus.waitForIdle());
    QCOMPARE(rig.ofType("StockReserved").size(), std::size_t(2));
    rig.switches().setDecliningPayments(true);
    MUST(rig.run(Pay));
    QVERIFY(rig.bus.waitForIdle());
    JCOMPARE(stateOf(*rig.store, "order-1").at("status"), "cancelled");
    JCOMPARE(stateOf(*rig.store, "inventory-TEA01").at("available"), 5);
    QCOMPARE(rig.stream("email-order-1").size(), std::size_t(2));
    QCOMPARE(rig.bus.totals().published, quint64(rig.last()));
    QCOMPARE(rig.bus.deadLetters().count(), 0);
}

void TestPublishing::concurrentWritersPublishEveryEventOnce()
{
    Rig rig(true, std::nullopt);
    std::mutex lock;
    std::map<qint64, int> seenPositions;
    std::map<QString, std::vector<qint64>> versions;
    rig.bus.subscribe(QStringLiteral("log"), BusSelector::all(), [&](const RecordedEvent& e) {
        std::lock_guard guard(lock);
        ++seenPositions[e.position.value];
        versions[e.stream.toString()].push_back(e.version.value);
    });
    constexpr int carts = 4;
    constexpr int items = 25;
    std::atomic<int> failures {0};
    const auto shop = [&](int first) {
        for (int c = first; c < carts; c += 2) {
            const auto cart = QStringLiteral("cart-%1").arg(c + 1).toStdString();
            Command open;
            open.type = QStringLiteral("OpenCart");
            open.stream = StreamId(QString::fromStdString(cart));
            open.data = {{"customerId", "C1"}};
            if (!rig.publisher->execute(open).ok())
                ++failures;
            for (int i = 0; i < items; ++i) {
                Command add;
                add.type = QStringLiteral("AddItem");
                add.stream = open.stream;
                add.data = {{"sku", "MUG01"}, {"quantity", 1}, {"unitPrice", 100}};
                if (!rig.publisher->execute(add).ok())
                    ++failures;
            }
        }
    };
    std::thread other(shop, 1);
    shop(0);
    other.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(rig.last(), qint64(carts * (items + 1)));
    QCOMPARE(qint64(seenPositions.size()), rig.last());
    for (const auto& [position, count] : seenPositions)
        QCOMPARE(count, 1);
    for (const auto& [stream, seen] : versions) {
        QCOMPARE(int(seen.size()), items + 1);
        for (int v = 0; v <= items; ++v)
            QCOMPARE(seen[std::size_t(v)], qint64(v + 1));
    }
}

void TestPublishing::expectedVersionSurvivesJsonRoundTrip()
{
    for (const char* text : {R"({"type":"ConfirmCart","stream":"cart-1","expectedVersion":7})",
             R"({"type":"ConfirmCart","stream":"cart-1","expectedVersion":"no-stream"})",
             R"({"type":"ConfirmCart","stream":"cart-1","expectedVersion":"exists"})"}) {
        const auto command = parseCommand(QByteArray(text));
        QVERIFY(command.expectedVersion);
        const auto again = parseCommand(toJson(command));
        QVERIFY(again.expectedVersion);
        QCOMPARE(again.expectedVersion->toString(), command.expectedVersion->toString());
    }
    QVERIFY(!parseCommand(QByteArray(R"({"type":"ConfirmCart","stream":"cart-1"})")).expectedVersion);
    QVERIFY_THROWS_EXCEPTION(InvalidInput,
        parseCommand(QByteArray(R"({"type":"ConfirmCart","stream":"cart-1","expectedVersion":-1})")));
}

QTEST_GUILESS_MAIN(TestPublishing)
#include "tst_publishing.moc"
