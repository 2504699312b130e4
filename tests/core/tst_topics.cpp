// The log as a Kafka-style topic: a stable partition per stream, per-partition counts that add
// up to the store's, order kept inside a partition, range assignment and its rebalances, and
// committed offsets and lag at a position.
#include "sample/sampledomain.h"
#include "store/memoryeventstore.h"
#include "support/testsupport.h"
#include "topics/consumergroup.h"
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
    void groupAssignsByRange();
    void rebalanceKeepsCommittedOffsets();
    void pausedMemberLagGrowsAndResumeCatchesUp();
    void noMemberLeavesPartitionsUnread();
    void groupStartsFromTheBeginningOrTheEnd();
    void groupBadInput();

private:
    // A group on the sample shop as a topic of `partitions`, starting from `from`.
    topics::ConsumerGroup shopGroup(int partitions, const QStringList& members, topics::StartFrom from) const;
    // Appends `count` events to a stream the partition `partition` of `partitions` holds.
    void appendTo(topics::ConsumerGroup& group, MemoryEventStore& store, int partition, int count) const;
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

topics::ConsumerGroup TestTopics::shopGroup(
    int partitions, const QStringList& members, topics::StartFrom from) const
{
    topics::ConsumerGroup group(QStringLiteral("shop-consumers"), partitions, members);
    group.setTopic(topics::partitionStats(m_shop, partitions), m_shop.summary().lastPosition.value, from);
    return group;
}

void TestTopics::appendTo(
    topics::ConsumerGroup& group, MemoryEventStore& store, int partition, int count) const
{
    StreamId stream = sid("x-0");
    for (int n = 0; topics::partitionOf(stream, group.partitionCount()) != partition; ++n)
        stream = StreamId(QStringLiteral("x-%1").arg(n));
    const AppendResult appended = store.append(stream, events(count), ExpectedVersion::any());
    for (const RecordedEvent& e :
        static_cast<const EventStore&>(store).readAll(appended.firstPosition, count))
        QVERIFY(group.addEvent(e.stream, e.version.value, e.position.value));
    // Counted once: the same event again changes nothing.
    QVERIFY(!group.addEvent(stream, 1, appended.lastPosition.value));
}

void TestTopics::groupAssignsByRange()
{
    const auto group
        = shopGroup(6, {QStringLiteral("consumer-2"), QStringLiteral("consumer-1")}, topics::StartFrom::End);
    QCOMPARE(group.partitionCount(), 6);
    QCOMPARE(group.members().size(), size_t(2));
    QCOMPARE(group.members()[0].id, QStringLiteral("consumer-1"));
    QCOMPARE(group.members()[0].partitions, (std::vector<int> {0, 1, 2}));
    QCOMPARE(group.members()[1].partitions, (std::vector<int> {3, 4, 5}));
    QCOMPARE(group.partitions()[4].member, QStringLiteral("consumer-2"));
    // The ends are the counts partitionStats gives, and add up to the store's.
    const auto stats = topics::partitionStats(m_shop, 6);
    for (const auto& p : group.partitions()) {
        QCOMPARE(p.events, stats[size_t(p.partition)].events);
        QCOMPARE(p.streams, stats[size_t(p.partition)].streams);
    }
    QCOMPARE(group.events(), m_shop.summary().events);
    QCOMPARE(group.totalLag(), qint64(0));
    QCOMPARE(group.rebalances(), 0);
    QCOMPARE(group.nextMemberId(), QStringLiteral("consumer-3"));
}

void TestTopics::rebalanceKeepsCommittedOffsets()
{
    auto group = shopGroup(
        6, {QStringLiteral("consumer-1"), QStringLiteral("consumer-2")}, topics::StartFrom::Beginning);
    group.consume(100); // each member reads 100 events of its partitions
    std::vector<qint64> committed;
    for (const auto& p : group.partitions())
        committed.push_back(p.committed);
    QCOMPARE(group.totalLag(), group.events() - 200);
    const auto moved = group.addMember(QStringLiteral("consumer-3"));
    // 6 over 3: {0,1} {2,3} {4,5}: partition 2 goes 1 -> 2, 4 and 5 go 2 -> 3.
    QCOMPARE(moved.size(), size_t(3));
    QCOMPARE(moved[0].partition, 2);
    QCOMPARE(moved[0].from, QStringLiteral("consumer-1"));
    QCOMPARE(moved[0].to, QStringLiteral("consumer-2"));
    QCOMPARE(moved[1].partition, 4);
    QCOMPARE(moved[1].to, QStringLiteral("consumer-3"));
    QCOMPARE(group.rebalances(), 1);
    QCOMPARE(group.lastMoves().size(), size_t(3));
    QCOMPARE(group.partitions()[5].member, QStringLiteral("consumer-3"));
    for (const auto& p : group.partitions())
        QCOMPARE(p.committed, committed[size_t(p.partition)]); // the group's, not the member's
    // Removing it moves them back, offsets still kept.
    const auto back = group.removeMember(QStringLiteral("consumer-3"));
    QCOMPARE(back.size(), size_t(3));
    QCOMPARE(back[2].from, QStringLiteral("consumer-3"));
    QCOMPARE(group.rebalances(), 2);
    for (const auto& p : group.partitions())
        QCOMPARE(p.committed, committed[size_t(p.partition)]);
}

void TestTopics::pausedMemberLagGrowsAndResumeCatchesUp()
{
    MemoryEventStore store;
    topics::ConsumerGroup group(
        QStringLiteral("g"), 4, {QStringLiteral("consumer-1"), QStringLiteral("consumer-2")});
    group.setPaused(QStringLiteral("consumer-2"), true); // reads partitions 2 and 3
    QCOMPARE(group.pausedCount(), 1);
    appendTo(group, store, 0, 3);
    appendTo(group, store, 3, 5);
    QCOMPARE(group.events(), qint64(8));
    QCOMPARE(group.partitions()[3].streams, qint64(1));
    QCOMPARE(group.totalLag(), qint64(8));
    group.consume(500);
    QCOMPARE(group.memberLag(QStringLiteral("consumer-1")), qint64(0));
    QCOMPARE(group.memberLag(QStringLiteral("consumer-2")), qint64(5));
    appendTo(group, store, 2, 4);
    group.consume(500);
    QCOMPARE(group.memberLag(QStringLiteral("consumer-2")), qint64(9)); // grows while paused
    QCOMPARE(group.partitions()[3].committed, qint64(0));
    // Resumed: it reads at most its budget per poll, then catches up.
    group.setPaused(QStringLiteral("consumer-2"), false);
    QCOMPARE(group.consume(4), qint64(4));
    QCOMPARE(group.memberLag(QStringLiteral("consumer-2")), qint64(5));
    group.consume(500);
    QCOMPARE(group.totalLag(), qint64(0));
    QCOMPARE(group.partitions()[3].committed, qint64(5));
}

void TestTopics::noMemberLeavesPartitionsUnread()
{
    MemoryEventStore store;
    topics::ConsumerGroup group(QStringLiteral("g"), 3, {QStringLiteral("only")});
    const auto moved = group.removeMember(QStringLiteral("only"));
    QCOMPARE(moved.size(), size_t(3));
    QVERIFY(moved[0].to.isEmpty());
    for (const auto& p : group.partitions())
        QVERIFY(p.member.isEmpty());
    appendTo(group, store, 1, 6);
    group.consume(500);
    QCOMPARE(group.totalLag(), qint64(6));
    QCOMPARE(group.maxLag(), qint64(6));
    appendTo(group, store, 1, 2);
    group.consume(500);
    QCOMPARE(group.totalLag(), qint64(8)); // nobody reads: it only grows
    // A new member takes them all and reads on from the group's offsets.
    QCOMPARE(group.addMember(group.nextMemberId()).size(), size_t(3));
    QCOMPARE(group.members()[0].id, QStringLiteral("consumer-1"));
    group.consume(500);
    QCOMPARE(group.totalLag(), qint64(0));
}

void TestTopics::groupStartsFromTheBeginningOrTheEnd()
{
    auto group = shopGroup(4, {QStringLiteral("consumer-1")}, topics::StartFrom::Beginning);
    QCOMPARE(group.totalLag(), m_shop.summary().events);
    QCOMPARE(group.position(), m_shop.summary().lastPosition.value);
    // One member, budget 500 a poll: the lag shrinks by 500 each time until it is gone.
    const qint64 before = group.totalLag();
    QCOMPARE(group.consume(500), qint64(500));
    QCOMPARE(group.totalLag(), before - 500);
    for (int poll = 0; poll < 100 && group.totalLag() > 0; ++poll)
        group.consume(500);
    QCOMPARE(group.totalLag(), qint64(0));
    group.resetOffsets(topics::StartFrom::Beginning);
    QCOMPARE(group.totalLag(), m_shop.summary().events);
    group.resetOffsets(topics::StartFrom::End);
    QCOMPARE(group.totalLag(), qint64(0));
    // A new layout keeps the members and their pause, assigned again.
    group.setPaused(QStringLiteral("consumer-1"), true);
    group.setTopic(topics::partitionStats(m_shop, 2), group.position(), topics::StartFrom::Beginning);
    QCOMPARE(group.partitionCount(), 2);
    QCOMPARE(group.members()[0].partitions, (std::vector<int> {0, 1}));
    QVERIFY(group.members()[0].paused);
    QCOMPARE(group.rebalances(), 0);
}

void TestTopics::groupBadInput()
{
    QVERIFY_THROWS_EXCEPTION(InvalidInput, topics::ConsumerGroup(QStringLiteral("g"), 0));
    QVERIFY_THROWS_EXCEPTION(
        InvalidInput, topics::ConsumerGroup(QStringLiteral("g"), topics::MaxPartitions + 1));
    QVERIFY_THROWS_EXCEPTION(InvalidInput,
        topics::ConsumerGroup(QStringLiteral("g"), 2, {QStringLiteral("a"), QStringLiteral("a")}));
    QVERIFY_THROWS_EXCEPTION(
        InvalidInput, topics::ConsumerGroup(QStringLiteral("g"), 2, {QStringLiteral(" ")}));
    topics::ConsumerGroup group(QStringLiteral("g"), 2, {QStringLiteral("a")});
    QVERIFY_THROWS_EXCEPTION(InvalidInput, group.addMember(QStringLiteral("a")));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, group.addMember(QString()));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, group.removeMember(QStringLiteral("b")));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, group.setPaused(QStringLiteral("b"), true));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, group.setTopic({}, 0, topics::StartFrom::End));
    // Refused input changed nothing.
    QCOMPARE(group.members().size(), size_t(1));
    QCOMPARE(group.rebalances(), 0);
    QCOMPARE(group.memberLag(QStringLiteral("nobody")), qint64(0));
}

QTEST_MAIN(TestTopics)
#include "tst_topics.moc"
