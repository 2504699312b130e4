// The log as a Kafka-style topic: a stable partition per stream, per-partition counts that add
// up to the store's, order kept inside a partition, range assignment and its rebalances, and
// committed offsets and lag at a position.
#include "sample/sampledomain.h"
#include "store/memoryeventstore.h"
#include "support/testsupport.h"
#include "topics/partitions.h"

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::testing;

class TestTopics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { sample::generate(m_shop, {.events = 800, .seed = 9}); }
    void partitionIsStable();
    void countsAddUp();
    void orderIsKeptInsideAPartition();
    void rangeAssignmentAndRebalance();
    void offsetsAndLag();
    void badInput();

private:
    const EventStore& shop() const { return m_shop; }
    MemoryEventStore m_shop;
};

void TestTopics::partitionIsStable()
{
    // FNV-1a of the UTF-8 bytes: fixed values, whatever the machine.
    QCOMPARE(topics::partitionOf(sid("cart-1"), 1), 0);
    const int p = topics::partitionOf(sid("cart-1"), 8);
    QVERIFY(p >= 0 && p < 8);
    QCOMPARE(topics::partitionOf(sid("cart-1"), 8), p);
    // 0x811c9dc5 ^ 'a' * 16777619 = 0xe40c292c for "a".
    QCOMPARE(topics::partitionOf(sid("a"), 1024), int(0xe40c292cu % 1024u));
    // The sample's streams spread over the partitions.
    std::vector<int> used(4, 0);
    for (const StreamInfo& info : shop().streams())
        ++used[size_t(topics::partitionOf(info.stream, 4))];
    for (int count : used)
        QVERIFY(count > 0);
}

void TestTopics::countsAddUp()
{
    const auto stats = topics::partitionStats(m_shop, 5);
    QCOMPARE(stats.size(), size_t(5));
    qint64 total = 0, streams = 0;
    for (const auto& s : stats) {
        QCOMPARE(s.partition, int(&s - stats.data()));
        total += s.events;
        streams += s.streams;
        QVERIFY(s.firstPosition && s.lastPosition && *s.firstPosition <= *s.lastPosition);
    }
    QCOMPARE(total, m_shop.summary().events);
    QCOMPARE(streams, qint64(shop().streams().size()));
    // More partitions than streams: some are empty, with no positions.
    MemoryEventStore two;
    two.append(sid("a-1"), events(2), ExpectedVersion::any());
    const auto sparse = topics::partitionStats(two, 16);
    int empty = 0;
    for (const auto& s : sparse)
        empty += s.events == 0 && !s.firstPosition && !s.lastPosition ? 1 : 0;
    QCOMPARE(empty, 15);
}

void TestTopics::orderIsKeptInsideAPartition()
{
    // Reading a partition's events in log order gives each stream's versions in order.
    const int partitions = 3;
    for (int p = 0; p < partitions; ++p) {
        QHash<QString, qint64> lastVersion;
        for (const RecordedEvent& e : shop().readAll(std::nullopt, 100000)) {
            if (topics::partitionOf(e.stream, partitions) != p)
                continue;
            QCOMPARE(e.version.value, lastVersion.value(e.stream.toString()) + 1);
            lastVersion[e.stream.toString()] = e.version.value;
        }
    }
}

void TestTopics::rangeAssignmentAndRebalance()
{
    const auto two = topics::assignRange(5, {QStringLiteral("g-2"), QStringLiteral("g-1")});
    QCOMPARE(two.size(), size_t(2));
    QCOMPARE(two[0].id, QStringLiteral("g-1"));
    QCOMPARE(two[0].partitions, (std::vector<int> {0, 1, 2}));
    QCOMPARE(two[1].partitions, (std::vector<int> {3, 4}));
    const auto three
        = topics::assignRange(5, {QStringLiteral("g-1"), QStringLiteral("g-2"), QStringLiteral("g-3")});
    QCOMPARE(three[0].partitions, (std::vector<int> {0, 1}));
    QCOMPARE(three[1].partitions, (std::vector<int> {2, 3}));
    QCOMPARE(three[2].partitions, (std::vector<int> {4}));
    // Adding g-3 moves partitions 2 (g-1 -> g-2) and 4 (g-2 -> g-3).
    const auto moved = topics::movedPartitions(two, three);
    QCOMPARE(moved.size(), size_t(2));
    QCOMPARE(moved[0].partition, 2);
    QCOMPARE(moved[0].from, QStringLiteral("g-1"));
    QCOMPARE(moved[0].to, QStringLiteral("g-2"));
    QCOMPARE(moved[1].partition, 4);
    QCOMPARE(moved[1].to, QStringLiteral("g-3"));
    // More members than partitions: the last get none; duplicates count once.
    const auto many = topics::assignRange(
        2, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("a")});
    QCOMPARE(many.size(), size_t(3));
    QVERIFY(many[2].partitions.empty());
    QVERIFY(topics::assignRange(3, {}).empty());
}

void TestTopics::offsetsAndLag()
{
    const auto stats = topics::partitionStats(m_shop, 4);
    const qint64 last = m_shop.summary().lastPosition.value;
    // All read: committed = events, no lag (and no scan).
    for (const auto& o : topics::offsetsAt(m_shop, stats, last)) {
        QCOMPARE(o.committed, stats[size_t(o.partition)].events);
        QCOMPARE(o.lag, qint64(0));
    }
    // Half read: the offsets add up to the position, and equal a count by hand.
    const qint64 half = last / 2;
    std::vector<qint64> byHand(4, 0);
    for (const RecordedEvent& e : shop().readAll(std::nullopt, half))
        ++byHand[size_t(topics::partitionOf(e.stream, 4))];
    qint64 committed = 0, lag = 0;
    for (const auto& o : topics::offsetsAt(m_shop, stats, half)) {
        QCOMPARE(o.committed, byHand[size_t(o.partition)]);
        QCOMPARE(o.lag, stats[size_t(o.partition)].events - o.committed);
        committed += o.committed;
        lag += o.lag;
    }
    QCOMPARE(committed, half);
    QCOMPARE(lag, m_shop.summary().events - half);
    // Nothing read: every event is lag.
    for (const auto& o : topics::offsetsAt(m_shop, stats, 0))
        QCOMPARE(o.lag, stats[size_t(o.partition)].events);
}

void TestTopics::badInput()
{
    QVERIFY_THROWS_EXCEPTION(InvalidInput, topics::partitionOf(sid("a"), 0));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, topics::partitionStats(m_shop, topics::MaxPartitions + 1));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, topics::assignRange(-1, {QStringLiteral("a")}));
    const auto stats = topics::partitionStats(m_shop, 2);
    QVERIFY_THROWS_EXCEPTION(
        StoreError, topics::offsetsAt(m_shop, stats, 10, [](qint64, qint64) { return false; }));
}

QTEST_MAIN(TestTopics)
#include "tst_topics.moc"
