// Stories: the events of a correlation id across streams as a causation tree — roots (no cause,
// their own id, or a cause outside the story), children in position order, cycles reported and
// not followed, long chains bounded, and the sample shop's real stories.
#include "sample/sampledomain.h"
#include "store/memoryeventstore.h"
#include "story/story.h"
#include "support/testsupport.h"

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::testing;
using json = nlohmann::json;

namespace {

// An event of the story `correlation` with this id and cause (ids are short strings made UUIDs).
QUuid uuid(int n)
{
    return QUuid(QStringLiteral("00000000-0000-0000-0000-%1").arg(n, 12, 10, QLatin1Char('0')));
}

EventData storyEvent(
    const char* type, int id, const QString& correlation, std::optional<int> cause, qint64 timestampMs = 1000)
{
    json metadata {{"correlationId", correlation.toStdString()}};
    if (cause)
        metadata["causationId"] = uuid(*cause).toString(QUuid::WithoutBraces).toStdString();
    EventData e
        = makeEvent(QLatin1String(type), "{}", std::nullopt, QByteArray::fromStdString(metadata.dump()));
    e.id = uuid(id);
    e.timestampMs = timestampMs;
    return e;
}

std::vector<qint64> childPositions(const Story& story, int index)
{
    std::vector<qint64> out;
    for (int c : story.children[size_t(index)])
        out.push_back(story.events[size_t(c)].position.value);
    return out;
}

} // namespace

class TestStory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void treeAcrossStreams();
    void rootsOfEveryKind();
    void cyclesAreReportedNotFollowed();
    void longChainsAreBounded();
    void idsUnderOtherLibrariesNames();
    void theSampleShopsStories();
    void badInput();
};

void TestStory::treeAcrossStreams()
{
    MemoryEventStore store;
    const QString story = QStringLiteral("c-1");
    // 1 (cart) causes 2 (order) and 4 (inventory); 2 causes 3 (payment). 5 is another story.
    store.append(
        sid("cart-1"), {storyEvent("CartConfirmed", 1, story, std::nullopt, 1000)}, ExpectedVersion::any());
    store.append(sid("order-1"), {storyEvent("OrderPlaced", 2, story, 1, 1500)}, ExpectedVersion::any());
    store.append(
        sid("payment-1"), {storyEvent("PaymentRequested", 3, story, 2, 2500)}, ExpectedVersion::any());
    store.append(sid("cart-2"), {storyEvent("CartOpened", 5, QStringLiteral("c-2"), std::nullopt)},
        ExpectedVersion::any());
    store.append(
        sid("inventory-A"), {storyEvent("StockReserved", 4, story, 1, 1700)}, ExpectedVersion::any());
    const Story found = findStory(store, story);
    QCOMPARE(positions(found.events), (std::vector<qint64> {1, 2, 3, 5}));
    QCOMPARE(found.roots, (std::vector<int> {0}));
    QCOMPARE(childPositions(found, 0), (std::vector<qint64> {2, 5}));
    QCOMPARE(childPositions(found, 1), (std::vector<qint64> {3}));
    QVERIFY(found.cycles.empty());
    QCOMPARE(found.offsetMs(2), qint64(1500));
    // The same from any of its events, and as JSON.
    const Story again = storyOf(store, *store.readAt(Position(3)));
    QCOMPARE(positions(again.events), positions(found.events));
    const auto out = storyJson(found);
    QVERIFY((out["correlationId"]) == ("c-1"));
    QVERIFY((out["events"].size()) == (size_t(4)));
    QVERIFY((out["events"][1]["stream"]) == ("order-1"));
    QVERIFY((out["roots"].size()) == (size_t(1)));
    QVERIFY((out["roots"][0]["position"]) == (1));
    QVERIFY((out["roots"][0]["children"][0]["position"]) == (2));
    QVERIFY((out["roots"][0]["children"][0]["children"][0]["position"]) == (3));
    QVERIFY((out["roots"][0]["children"][1]["position"]) == (5));
    QVERIFY((out["roots"][0]["children"][1]["offsetMs"]) == (700));
    QVERIFY(!out.contains("cycles"));
    QCOMPARE(findEventById(store, uuid(4))->position.value, qint64(5));
    QVERIFY(!findEventById(store, uuid(99)));
}

void TestStory::rootsOfEveryKind()
{
    MemoryEventStore store;
    const QString c = QStringLiteral("c");
    store.append(sid("a-1"), {storyEvent("NoCause", 1, c, std::nullopt)}, ExpectedVersion::any());
    store.append(sid("a-1"), {storyEvent("OwnId", 2, c, 2)}, ExpectedVersion::any());
    // Caused by a command (an id no event of the story has), with the command type in the metadata.
    EventData byCommand = storyEvent("ByCommand", 3, c, 77);
    byCommand.metadata = QByteArray::fromStdString(json {{"correlationId", "c"},
        {"causationId", uuid(77).toString(QUuid::WithoutBraces).toStdString()},
        {"commandType", "PlaceOrder"}}.dump());
    store.append(sid("b-1"), {byCommand}, ExpectedVersion::any());
    store.append(sid("b-1"), {storyEvent("Child", 4, c, 3)}, ExpectedVersion::any());
    const Story story = findStory(store, c);
    QCOMPARE(story.roots, (std::vector<int> {0, 1, 2}));
    QCOMPARE(childPositions(story, 2), (std::vector<qint64> {4}));
    const auto out = storyJson(story);
    QVERIFY(!out["roots"][0].contains("causedBy"));
    QVERIFY(!out["roots"][1].contains("causedBy")); // its own id is no cause
    QVERIFY((out["roots"][2]["causedBy"]["commandType"]) == ("PlaceOrder"));
    QVERIFY((out["roots"][2]["causedBy"]["id"]) == (uuid(77).toString(QUuid::WithoutBraces).toStdString()));
    // Ids match whatever their case and braces.
    EventData braces = storyEvent("Braces", 5, QStringLiteral("{C}"), std::nullopt);
    store.append(sid("b-1"), {braces}, ExpectedVersion::any());
    QCOMPARE(findStory(store, QStringLiteral("C")).events.size(), size_t(5));
}

void TestStory::cyclesAreReportedNotFollowed()
{
    MemoryEventStore store;
    const QString c = QStringLiteral("loop");
    // 1 -> 2 -> 3 -> 1 (a cycle), 4 caused by 3 (hangs under it), 5 a root.
    store.append(sid("x-1"), {storyEvent("A", 1, c, 3)}, ExpectedVersion::any());
    store.append(sid("x-1"), {storyEvent("B", 2, c, 1)}, ExpectedVersion::any());
    store.append(sid("x-1"), {storyEvent("C", 3, c, 2)}, ExpectedVersion::any());
    store.append(sid("x-1"), {storyEvent("D", 4, c, 3)}, ExpectedVersion::any());
    store.append(sid("y-1"), {storyEvent("E", 5, c, std::nullopt)}, ExpectedVersion::any());
    const Story story = findStory(store, c);
    QCOMPARE(story.roots, (std::vector<int> {4}));
    QCOMPARE(story.cycles.size(), size_t(1));
    QCOMPARE(story.cycles[0], (std::vector<int> {0, 1, 2, 3}));
    const auto out = storyJson(story);
    QVERIFY((out["cycles"]) == (json::parse("[[1,2,3,4]]")));
    QVERIFY((out["roots"].size()) == (size_t(1)));
    // Two separate cycles are two entries; an event caused by itself is a root, not a cycle.
    store.append(sid("z-1"), {storyEvent("F", 6, c, 7)}, ExpectedVersion::any());
    store.append(sid("z-1"), {storyEvent("G", 7, c, 6)}, ExpectedVersion::any());
    QCOMPARE(findStory(store, c).cycles.size(), size_t(2));
}

void TestStory::longChainsAreBounded()
{
    MemoryEventStore store;
    const QString c = QStringLiteral("chain");
    const int length = MaxStoryDepth + 500;
    std::vector<EventData> chain;
    for (int i = 1; i <= length; ++i)
        chain.push_back(storyEvent("Link", i, c, i == 1 ? std::nullopt : std::optional<int>(i - 1)));
    store.append(sid("chain-1"), chain, ExpectedVersion::any());
    const Story story = findStory(store, c);
    QCOMPARE(int(story.events.size()), length);
    QCOMPARE(story.flattened, 498); // depth 1002 and on (1001 is already under depth 1000)
    // Dumping the tree does not recurse past the bound; the deepest node holds the rest.
    const auto out = storyJson(story);
    int depth = 0;
    const nlohmann::ordered_json* node = &out["roots"][0];
    while (!(*node)["children"].empty() && (*node)["children"].size() == 1) {
        node = &(*node)["children"][0];
        ++depth;
    }
    QCOMPARE(depth, MaxStoryDepth);
    QVERIFY((int((*node)["children"].size())) == (499));
    QVERIFY(out.dump().size() > 1000);
}

void TestStory::idsUnderOtherLibrariesNames()
{
    MemoryEventStore store;
    EventData esdb
        = makeEvent(QStringLiteral("A"), "{}", std::nullopt, R"({"$correlationId":"k","$causationId":"x"})");
    EventData marten = makeEvent(QStringLiteral("B"), "{}", std::nullopt, R"({"correlation_id":"k"})");
    EventData broken = makeEvent(QStringLiteral("C"), "{}", std::nullopt, "{}");
    store.append(sid("s-1"), {esdb, marten, broken}, ExpectedVersion::any());
    QCOMPARE(storyIds(*store.readAt(Position(1))).causationId, QStringLiteral("x"));
    QCOMPARE(findStory(store, QStringLiteral("k")).events.size(), size_t(2));
}

void TestStory::theSampleShopsStories()
{
    MemoryEventStore store;
    sample::generate(store, {.events = 600, .seed = 4});
    // Every OrderPlaced has a story from its cart to (at least) the order, with one root.
    int checked = 0;
    for (const RecordedEvent& event : static_cast<const EventStore&>(store).readAll(std::nullopt, 600)) {
        if (event.type != QLatin1String("OrderPlaced") || checked >= 5)
            continue;
        const Story story = storyOf(store, event);
        QVERIFY(story.cycles.empty());
        QVERIFY(story.events.size() >= 2);
        QStringList streams;
        for (const RecordedEvent& e : story.events)
            streams << e.stream.category();
        QVERIFY2(streams.contains(QStringLiteral("cart")) && streams.contains(QStringLiteral("order")),
            qPrintable(streams.join(QLatin1Char(','))));
        QVERIFY(!story.roots.empty());
        // Every event is under a root: the tree holds them all.
        size_t reached = 0;
        std::vector<int> stack(story.roots.begin(), story.roots.end());
        while (!stack.empty()) {
            const int at = stack.back();
            stack.pop_back();
            ++reached;
            stack.insert(stack.end(), story.children[size_t(at)].begin(), story.children[size_t(at)].end());
        }
        QCOMPARE(reached, story.events.size());
        ++checked;
    }
    QCOMPARE(checked, 5);
}

void TestStory::badInput()
{
    MemoryEventStore store;
    store.append(
        sid("s-1"), {makeEvent(QStringLiteral("A"), "{}", std::nullopt, "{}")}, ExpectedVersion::any());
    QVERIFY_THROWS_EXCEPTION(InvalidInput, findStory(store, QStringLiteral("  ")));
    try {
        storyOf(store, *store.readAt(Position(1)));
        QFAIL("no correlation id: refused");
    } catch (const InvalidInput& e) {
        QVERIFY2(e.message().contains(QStringLiteral("position 1 (s-1 v1) has no correlation id")),
            qPrintable(e.message()));
    }
    // Metadata that is not JSON, or not an object, has no ids.
    RecordedEvent odd;
    odd.metadata = "[1,2";
    QVERIFY(storyIds(odd).correlationId.isEmpty());
    odd.metadata = "[1,2]";
    QVERIFY(storyIds(odd).correlationId.isEmpty());
    // Cancelled.
    QVERIFY_THROWS_EXCEPTION(
        StoreError, findStory(store, QStringLiteral("x"), [](qint64, qint64) { return false; }));
}

QTEST_MAIN(TestStory)
#include "tst_story.moc"
