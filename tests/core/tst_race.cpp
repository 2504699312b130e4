// The race simulator: two writers load the same cart, decide on what they loaded and append with
// an expected version. A stale exact append is refused (WrongExpectedVersion, nothing stored), a
// retry reloads and decides again (stored, or rejected by the domain), a last-write-wins append is
// stored and reports exactly what it missed; every interleaving of two writers' steps; fresh carts;
// the publishing path; bad input.
#include "bus/publisher.h"
#include "race/race.h"
#include "store/memoryeventstore.h"

#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace chronoscope;
using namespace chronoscope::race;
using json = nlohmann::json;

namespace {

/// Compares JSON values by their text.
#define JCOMPARE(actual, expected)                                                                           \
    QCOMPARE(QString::fromStdString(json(actual).dump()), QString::fromStdString(json(expected).dump()))

const StreamId Cart(QStringLiteral("cart-7"));

/// cart-7 at version 3: opened, MUG01 (2 x 1290) and TEA01 (1 x 790): total 3370.
void openCart(EventStore& store)
{
    sample::CommandHandler handler(store);
    for (const char* text : {R"({"type":"OpenCart","stream":"cart-7","data":{"customerId":"C1"}})",
             R"({"type":"AddItem","stream":"cart-7","data":{"sku":"MUG01","quantity":2,"unitPrice":1290}})",
             R"({"type":"AddItem","stream":"cart-7","data":{"sku":"TEA01","quantity":1,"unitPrice":790}})"})
        handler.handle(sample::parseCommand(QByteArray(text)));
}

const json AddRace
    = {{"type", "AddItem"}, {"data", {{"sku", "RACE01"}, {"quantity", 1}, {"unitPrice", 1500}}}};
const json AddOther
    = {{"type", "AddItem"}, {"data", {{"sku", "RACE02"}, {"quantity", 3}, {"unitPrice", 100}}}};
const json Confirm = {{"type", "ConfirmCart"}, {"data", json::object()}};

qint64 versionOf(const EventStore& store, const StreamId& stream)
{
    const auto info = store.streamInfo(stream);
    return info ? info->version.value : 0;
}

json lastData(const EventStore& store, const StreamId& stream)
{
    return store.readStream(stream, std::nullopt, 1, Direction::Backward).front().dataJson();
}

bool hasOp(const json& patch, const char* op, const char* path)
{
    return std::any_of(
        patch.begin(), patch.end(), [&](const json& o) { return o["op"] == op && o["path"] == path; });
}

} // namespace

class TestRace : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void staleExactAppendConflictsThenRetrySucceeds();
    void retryIsRejectedWhenTheCartMovedOn();
    void lastWriteWinsLosesAChangeExactly();
    void lastWriteWinsWithoutARaceLosesNothing();
    void everyInterleaving_data();
    void everyInterleaving();
    void freshCartOnAnEmptyStore();
    void throughThePublisher();
    void factsAndJson();
    void badInput();
};

void TestRace::staleExactAppendConflictsThenRetrySucceeds()
{
    MemoryEventStore store;
    openCart(store);
    RaceSimulator race(store);
    race.setStream(Cart);
    race.setCommand(Writer::A, AddRace);
    race.setCommand(Writer::B, Confirm);

    const auto a = race.load(Writer::A);
    QCOMPARE(a.outcome, Outcome::Loaded);
    QCOMPARE(a.loaded.value, 3);
    JCOMPARE(race.loadedState(Writer::A)["status"], "open");
    QCOMPARE(race.load(Writer::B).loaded.value, 3);

    const auto appended = race.append(Writer::A, AppendMode::Exact);
    QCOMPARE(appended.outcome, Outcome::Appended);
    QCOMPARE(appended.expected->toString(), QStringLiteral("3"));
    QCOMPARE(appended.actual.value, 3);
    QCOMPARE(appended.events.size(), std::size_t(1));
    QCOMPARE(appended.events[0].version.value, 4);
    QCOMPARE(appended.events[0].position.value, 4);
    QCOMPARE(appended.events[0].type, QStringLiteral("ItemAdded"));
    QCOMPARE(versionOf(store, Cart), 4);

    const auto conflict = race.append(Writer::B, AppendMode::Exact);
    QCOMPARE(conflict.outcome, Outcome::Conflict);
    QCOMPARE(conflict.expected->toString(), QStringLiteral("3"));
    QCOMPARE(conflict.actual.value, 4);
    QVERIFY(conflict.events.empty());
    QVERIFY2(conflict.message.contains(
                 QStringLiteral("WrongExpectedVersion — B expected version 3, the stream is at 4")),
        qPrintable(conflict.message));
    QCOMPARE(versionOf(store, Cart), 4); // nothing stored
    QVERIFY(race.lastWasConflict(Writer::B));

    const auto retried = race.retry(Writer::B);
    QCOMPARE(retried.kind, StepKind::Retry);
    QCOMPARE(retried.outcome, Outcome::Appended);
    QCOMPARE(retried.loaded.value, 4);
    QCOMPARE(retried.expected->toString(), QStringLiteral("4"));
    QCOMPARE(retried.events.at(0).version.value, 5);
    QVERIFY(!race.lastWasConflict(Writer::B));
    // Decided again on the real state: the confirmation includes A's item.
    const json confirmed = lastData(store, Cart);
    JCOMPARE(confirmed["total"], 3370 + 1500);
    JCOMPARE(confirmed["items"].size(), std::size_t(3));
    QCOMPARE(race.steps().size(), std::size_t(5));
}

void TestRace::retryIsRejectedWhenTheCartMovedOn()
{
    MemoryEventStore store;
    openCart(store);
    RaceSimulator race(store);
    race.setStream(Cart);
    race.setCommand(Writer::A, Confirm);
    race.setCommand(Writer::B, AddRace);
    race.load(Writer::A);
    race.load(Writer::B);
    QCOMPARE(race.append(Writer::A, AppendMode::Exact).outcome, Outcome::Appended);
    QCOMPARE(race.append(Writer::B, AppendMode::Exact).outcome, Outcome::Conflict);
    const auto rejected = race.retry(Writer::B);
    QCOMPARE(rejected.outcome, Outcome::Rejected);
    QCOMPARE(rejected.loaded.value, 4);
    QCOMPARE(rejected.actual.value, 4);
    QVERIFY(rejected.events.empty());
    QVERIFY2(rejected.message.contains(QStringLiteral("confirmed")), qPrintable(rejected.message));
    QCOMPARE(versionOf(store, Cart), 4);
    JCOMPARE(race.facts()["rejections"], 1);
    JCOMPARE(race.facts()["retrySucceeded"], 0);
    JCOMPARE(race.facts()["lastOutcome"], "rejected");
}

void TestRace::lastWriteWinsLosesAChangeExactly()
{
    MemoryEventStore store;
    openCart(store);
    RaceSimulator race(store);
    race.setStream(Cart);
    race.setCommand(Writer::A, AddRace);
    race.setCommand(Writer::B, Confirm);
    race.load(Writer::A);
    race.load(Writer::B);
    const auto a = race.append(Writer::A, AppendMode::Exact);
    const auto b = race.append(Writer::B, AppendMode::Any);
    QCOMPARE(b.outcome, Outcome::Appended);
    QCOMPARE(b.expected->toString(), QStringLiteral("any"));
    QCOMPARE(b.loaded.value, 3);
    QCOMPARE(b.actual.value, 4);
    QCOMPARE(b.events.at(0).version.value, 5);
    QVERIFY(b.lost);
    const LostUpdate& lost = *b.lost;
    QCOMPARE(lost.decidedOn.value, 3);
    QCOMPARE(lost.actual.value, 4);
    QCOMPARE(lost.missed.size(), std::size_t(1));
    QCOMPARE(lost.missed[0].position, a.events[0].position);
    QCOMPARE(lost.missedBy, std::vector<QString> {QStringLiteral("A")});
    JCOMPARE(lost.decidedState["total"], 3370);
    JCOMPARE(lost.actualState["total"], 4870);
    QVERIFY2(hasOp(lost.patch, "add", "/items/RACE01"), lost.patch.dump().c_str());
    QVERIFY(hasOp(lost.patch, "replace", "/total"));
    JCOMPARE(json::diff(lost.decidedState, lost.actualState), lost.patch);
    QVERIFY2(lost.sentence.startsWith(
                 QStringLiteral("B decided on version 3 and did not see A's ItemAdded (version 4)")),
        qPrintable(lost.sentence));
    QVERIFY2(lost.sentence.contains(QStringLiteral("/total 3370 → 4870")), qPrintable(lost.sentence));
    QVERIFY2(lost.realDecision.contains(QStringLiteral("CartConfirmed would have had")),
        qPrintable(lost.realDecision));
    QVERIFY(b.message.contains(lost.sentence));
    // The stored confirmation misses A's item: the invariant "the total is the cart's" is broken.
    const json confirmed = lastData(store, Cart);
    JCOMPARE(confirmed["total"], 3370);
    JCOMPARE(confirmed["items"].size(), std::size_t(2));
    JCOMPARE(race.facts()["lostUpdates"], 1);
}

void TestRace::lastWriteWinsWithoutARaceLosesNothing()
{
    MemoryEventStore store;
    openCart(store);
    RaceSimulator race(store);
    race.setStream(Cart);
    race.setCommand(Writer::B, AddRace);
    race.load(Writer::B);
    const auto b = race.append(Writer::B, AppendMode::Any);
    QCOMPARE(b.outcome, Outcome::Appended);
    QVERIFY(!b.lost);
    QVERIFY(b.message.contains(QStringLiteral("nothing was lost")));
    JCOMPARE(race.facts()["lostUpdates"], 0);
}

void TestRace::everyInterleaving_data()
{
    QTest::addColumn<QString>("order"); // a = A loads, A = A appends, b / B the same for B
    QTest::addColumn<bool>("any");
    QTest::addColumn<QString>("outcomes"); // of the two appends, in order
    QTest::addColumn<bool>("lost");
    const struct {
        const char* order;
        bool raced; // both loaded before the first append
    } orders[]
        = {{"aAbB", false}, {"abAB", true}, {"abBA", true}, {"baAB", true}, {"baBA", true}, {"bBaA", false}};
    for (const auto& o : orders) {
        const QString order = QLatin1String(o.order);
        QTest::addRow("%s exact", o.order)
            << order << false
            << (o.raced ? QStringLiteral("appended conflict") : QStringLiteral("appended appended")) << false;
        QTest::addRow("%s any", o.order) << order << true << QStringLiteral("appended appended") << o.raced;
    }
}

void TestRace::everyInterleaving()
{
    QFETCH(QString, order);
    QFETCH(bool, any);
    QFETCH(QString, outcomes);
    QFETCH(bool, lost);
    MemoryEventStore store;
    openCart(store);
    RaceSimulator race(store);
    race.setStream(Cart);
    race.setCommand(Writer::A, AddRace);
    race.setCommand(Writer::B, AddOther);
    QStringList appendOutcomes;
    bool anyLost = false;
    qint64 expectedVersion = 3;
    for (const QChar c : order) {
        const Writer w = c.toLower() == QLatin1Char('a') ? Writer::A : Writer::B;
        if (c.isLower()) {
            const auto step = race.load(w);
            QCOMPARE(step.loaded.value, versionOf(store, Cart));
            continue;
        }
        const auto step = race.append(w, any ? AppendMode::Any : AppendMode::Exact);
        appendOutcomes << outcomeName(step.outcome);
        anyLost = anyLost || step.lost.has_value();
        if (step.outcome == Outcome::Appended)
            QCOMPARE(step.events.at(0).version.value, ++expectedVersion);
        else
            QCOMPARE(step.actual.value, expectedVersion); // refused at the version the store is at
    }
    QCOMPARE(appendOutcomes.join(QLatin1Char(' ')), outcomes);
    QCOMPARE(anyLost, lost);
    QCOMPARE(versionOf(store, Cart), expectedVersion);
    JCOMPARE(race.facts()["conflicts"], outcomes.contains(QStringLiteral("conflict")) ? 1 : 0);
}

void TestRace::freshCartOnAnEmptyStore()
{
    MemoryEventStore store;
    RaceSimulator race(store);
    QCOMPARE(RaceSimulator::freshCartId(store).toString(), QStringLiteral("cart-race-1"));
    const StreamId first = race.startFreshCart();
    QCOMPARE(first.toString(), QStringLiteral("cart-race-1"));
    QCOMPARE(race.stream(), first);
    QCOMPARE(versionOf(store, first), 2);
    QCOMPARE(race.startFreshCart().toString(), QStringLiteral("cart-race-2"));
    race.setCommand(Writer::A, AddRace);
    race.setCommand(Writer::B, Confirm);
    QCOMPARE(race.load(Writer::A).loaded.value, 2);
    JCOMPARE(race.loadedState(Writer::A)["status"], "open");
    race.load(Writer::B);
    race.append(Writer::A, AppendMode::Exact);
    QCOMPARE(race.append(Writer::B, AppendMode::Exact).outcome, Outcome::Conflict);
}

void TestRace::throughThePublisher()
{
    MemoryEventStore store;
    openCart(store);
    EventBus bus;
    Publisher publisher(store, bus);
    QSignalSpy published(&bus, &EventBus::published);
    RaceSimulator race(store, appendThrough(publisher));
    race.setStream(Cart);
    race.setCommand(Writer::A, AddRace);
    race.setCommand(Writer::B, AddOther);
    race.load(Writer::A);
    race.load(Writer::B);
    const auto a = race.append(Writer::A, AppendMode::Exact);
    QCOMPARE(a.outcome, Outcome::Appended);
    QCOMPARE(a.events.at(0).version.value, 4);
    QCOMPARE(published.count(), 1);
    const json metadata = a.events[0].metadataJson();
    QVERIFY(metadata.contains("correlationId"));
    QVERIFY(metadata.contains("causationId"));
    JCOMPARE(metadata["commandType"], "AddItem");
    const auto b = race.append(Writer::B, AppendMode::Exact);
    QCOMPARE(b.outcome, Outcome::Conflict);
    QCOMPARE(b.actual.value, 4);
    QCOMPARE(published.count(), 1);
    QCOMPARE(race.retry(Writer::B).outcome, Outcome::Appended);
    QCOMPARE(published.count(), 2);
    QCOMPARE(versionOf(store, Cart), 5);
}

void TestRace::factsAndJson()
{
    MemoryEventStore store;
    openCart(store);
    RaceSimulator race(store);
    JCOMPARE(race.facts()["steps"], 0);
    JCOMPARE(race.facts()["lastOutcome"], "");
    race.setStream(Cart);
    race.setCommand(Writer::A, AddRace);
    race.setCommand(Writer::B, Confirm);
    race.load(Writer::A);
    race.load(Writer::B);
    race.append(Writer::A, AppendMode::Exact);
    race.append(Writer::B, AppendMode::Exact);
    race.retry(Writer::B);
    const json facts = race.facts();
    JCOMPARE(facts["stream"], "cart-7");
    JCOMPARE(facts["steps"], 5);
    JCOMPARE(facts["loads"], 2);
    JCOMPARE(facts["appends"], 2);
    JCOMPARE(facts["conflicts"], 1);
    JCOMPARE(facts["retries"], 1);
    JCOMPARE(facts["retrySucceeded"], 1);
    JCOMPARE(facts["lastOutcome"], "appended");
    const json conflict = race.steps()[3].toJson();
    JCOMPARE(conflict["writer"], "B");
    JCOMPARE(conflict["kind"], "append");
    JCOMPARE(conflict["outcome"], "conflict");
    JCOMPARE(conflict["expected"], "3");
    JCOMPARE(conflict["actual"], 4);
    const json retried = race.steps()[4].toJson();
    JCOMPARE(retried["events"][0]["version"], 5);
    JCOMPARE(race.commandJson(Writer::B)["type"], "ConfirmCart");
    JCOMPARE(race.commandJson(Writer::B)["stream"], "cart-7");
    race.reset();
    QCOMPARE(race.steps().size(), std::size_t(0));
    QVERIFY(!race.hasLoaded(Writer::A));
    JCOMPARE(race.commandJson(Writer::A)["type"], "AddItem"); // commands stay
}

void TestRace::badInput()
{
    MemoryEventStore store;
    openCart(store);
    RaceSimulator race(store);
    const auto message = [](auto&& f) {
        try {
            f();
        } catch (const StoreError& e) {
            return e.message();
        }
        return QString();
    };
    QVERIFY(message([&] { race.load(Writer::A); }).contains(QStringLiteral("no stream chosen")));
    QVERIFY(
        message([&] { race.setCommand(Writer::A, AddRace); }).contains(QStringLiteral("no stream chosen")));
    QVERIFY(message([&] { race.setStream(StreamId()); }).contains(QStringLiteral("no stream")));
    const QString category = message([&] { race.setStream(StreamId(QStringLiteral("rocket-1"))); });
    QVERIFY2(category.contains(QStringLiteral("'rocket-1'")) && category.contains(QStringLiteral("'rocket'")),
        qPrintable(category));
    race.setStream(Cart);
    QVERIFY(message([&] {
        race.setCommand(Writer::A, json::array());
    }).contains(QStringLiteral("A's command must be a JSON object")));
    const QString unknown = message([&] { race.setCommand(Writer::B, {{"type", "Fly"}}); });
    QVERIFY2(unknown.startsWith(QStringLiteral("B's command: ")) && unknown.contains(QStringLiteral("Fly")),
        qPrintable(unknown));
    const QString wrong = message([&] { race.setCommand(Writer::B, {{"type", "ShipOrder"}}); });
    QVERIFY2(wrong.contains(QStringLiteral("cart-7")), qPrintable(wrong));
    const QString missing = message([&] {
        race.setCommand(Writer::A, {{"type", "AddItem"}, {"data", {{"sku", "X"}}}});
    });
    QVERIFY2(missing.contains(QStringLiteral("quantity")), qPrintable(missing));
    QVERIFY(
        message([&] { race.append(Writer::A, AppendMode::Exact); }).contains(QStringLiteral("no command")));
    race.setCommand(Writer::A, AddRace);
    QVERIFY(
        message([&] { race.append(Writer::A, AppendMode::Exact); }).contains(QStringLiteral("load first")));
    QVERIFY(race.steps().empty()); // refused operations are no steps

    // A cart that does not exist: loaded at version 0, the domain rejects adding to it.
    race.setStream(StreamId(QStringLiteral("cart-404")));
    JCOMPARE(race.commandJson(Writer::A)["stream"], "cart-404"); // commands follow the stream
    QCOMPARE(race.load(Writer::A).loaded.value, 0);
    const auto rejected = race.append(Writer::A, AppendMode::Exact);
    QCOMPARE(rejected.outcome, Outcome::Rejected);
    QCOMPARE(versionOf(store, StreamId(QStringLiteral("cart-404"))), 0);

    // A read-only store: the write is refused with the store's error and is no step.
    store.setReadOnly(true);
    race.setStream(Cart);
    race.load(Writer::A);
    QVERIFY(!message([&] { race.append(Writer::A, AppendMode::Exact); }).isEmpty());
    QCOMPARE(race.steps().size(), std::size_t(1));
    QVERIFY(!message([&] { race.startFreshCart(); }).isEmpty());
    QCOMPARE(race.stream(), Cart);
}

QTEST_GUILESS_MAIN(TestRace)
#include "tst_race.moc"
