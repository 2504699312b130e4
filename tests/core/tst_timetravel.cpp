// Time travel: snapshots never change a state, jumps are bounded, diffs and field history.
#include "json/jsonmemory.h"
#include "replay/jsreducer.h"
#include "store/memoryeventstore.h"
#include "support/testsupport.h"
#include "timetravel/timetravel.h"

#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTest>

#include <atomic>
#include <chrono>
#include <future>
#include <malloc.h>
#include <thread>

using namespace chronoscope;
using nlohmann::json;

#define JSON_COMPARE(actual, expected)                                                                       \
    do {                                                                                                     \
        const json a_ = (actual);                                                                            \
        const json e_ = (expected);                                                                          \
        QVERIFY2(a_ == e_,                                                                                   \
            qPrintable(QString::fromStdString("actual " + a_.dump() + "\nexpected " + e_.dump())));          \
    } while (false)

namespace {

/// A small reducer whose state depends on the order of every event.
class CounterReducer final : public Reducer {
public:
    QString name() const override { return QStringLiteral("counter"); }
    json initialState(const StreamId&) const override
    {
        return json {{"sum", 0}, {"count", 0}, {"last", nullptr}};
    }
    json evolve(json state, const RecordedEvent& e) const override
    {
        ++evolveCalls;
        const auto data = e.dataJson();
        state["sum"] = state["sum"].get<std::int64_t>() * 3 % 1000003 + data.value("n", 0);
        state["count"] = state["count"].get<int>() + 1;
        state["last"] = e.type.toStdString();
        if (data.contains("name"))
            state["name"] = data["name"];
        if (e.type == QLatin1String("Renamed") && data.value("clear", false))
            state.erase("name");
        return state;
    }
    mutable qint64 evolveCalls = 0;
};

/// A reducer that stops in its first evolve() until released (a replay caught in the middle).
class BlockingReducer final : public Reducer {
public:
    BlockingReducer(std::promise<void>& entered, std::shared_future<void> release)
        : m_entered(entered)
        , m_release(std::move(release))
    {
    }
    QString name() const override { return QStringLiteral("blocking"); }
    json initialState(const StreamId&) const override { return json::object(); }
    json evolve(json state, const RecordedEvent&) const override
    {
        if (!m_blocked.exchange(true)) {
            m_entered.set_value();
            m_release.wait();
        }
        return state;
    }

private:
    std::promise<void>& m_entered;
    std::shared_future<void> m_release;
    mutable std::atomic<bool> m_blocked {false};
};

EventData makeEvent(const char* type, const json& data, qint64 ts = 0)
{
    return chronoscope::testing::jsonEvent(type, data, 1, ts ? std::optional<qint64>(ts) : std::nullopt);
}

json replayFromZero(const EventStore& store, const Reducer& reducer, const StreamId& s, qint64 upTo,
    const QSet<qint64>& skipped = {})
{
    auto state = reducer.initialState(s);
    for (const auto& e : store.readStream(s, std::nullopt, upTo))
        if (!skipped.contains(e.version.value))
            state = reducer.evolve(state, e);
    return state;
}

/// Presents a memory store with every version doubled (2, 4, 6...), as a foreign store with
/// gaps in its version numbers would.
class GappyStore final : public EventStore {
public:
    explicit GappyStore(MemoryEventStore& inner)
        : m_inner(inner)
    {
    }
    AppendResult append(const StreamId&, const std::vector<EventData>&, ExpectedVersion) override
    {
        throw ReadOnlyError(QStringLiteral("read-only"));
    }
    std::vector<AppendResult> appendMany(const std::vector<AppendRequest>&) override
    {
        throw ReadOnlyError(QStringLiteral("read-only"));
    }
    void importRecorded(const std::vector<RecordedEvent>&) override
    {
        throw ReadOnlyError(QStringLiteral("read-only"));
    }
    std::vector<RecordedEvent> readStream(
        const StreamId& s, std::optional<Version> from, qint64 n, Direction d) const override
    {
        std::optional<Version> inner;
        if (from)
            inner = Version(d == Direction::Forward ? (from->value + 1) / 2 : from->value / 2);
        auto events = m_inner.readStream(s, inner, n, d);
        for (auto& e : events)
            e.version = Version(e.version.value * 2);
        return events;
    }
    std::vector<RecordedEvent> readAll(
        std::optional<Position>, qint64, const EventFilter&, Direction) const override
    {
        return {};
    }
    std::optional<RecordedEvent> readAt(Position) const override { return std::nullopt; }
    std::vector<StreamInfo> streams(const QString&) const override { return {}; }
    std::optional<StreamInfo> streamInfo(const StreamId& s) const override
    {
        auto info = m_inner.streamInfo(s);
        if (info)
            info->version = Version(info->version.value * 2);
        return info;
    }
    StoreSummary summary() const override { return m_inner.summary(); }
    std::vector<TypeCount> typeCounts() const override { return {}; }

private:
    MemoryEventStore& m_inner;
};

} // namespace

class TestTimeTravel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void refreshDoesNotWaitForAReplay()
    {
        // The window refreshes the end of the stream on the GUI thread when another writer
        // appends, while a replay may be running on a worker: it must not wait for that replay.
        MemoryEventStore store;
        const StreamId s(QStringLiteral("counter-1"));
        for (int i = 0; i < 3; ++i)
            store.append(s, {makeEvent("Added", {{"n", i}})}, ExpectedVersion::any());
        std::promise<void> entered;
        std::promise<void> release;
        std::shared_future<void> released = release.get_future().share();
        auto reducer = std::make_shared<BlockingReducer>(entered, released);
        TimeTravel travel(store, reducer, s);
        QCOMPARE(travel.lastVersion(), Version(3));
        std::thread replay([&travel] { travel.stateAt(Version(3)); });
        // Declared before the guard: a std::async future waits for its task when destroyed,
        // so on failure the replay must be released first (the guard runs before this dies).
        std::future<Version> refreshed;
        const auto unblock = qScopeGuard([&] {
            release.set_value();
            replay.join();
        });
        QVERIFY(entered.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready);
        // The replay holds the travel's lock inside the reducer; the end is read meanwhile.
        store.append(s, {makeEvent("Added", {{"n", 9}})}, ExpectedVersion::any());
        refreshed = std::async(std::launch::async, [&travel] {
            travel.refresh();
            return travel.lastVersion();
        });
        QVERIFY2(refreshed.wait_for(std::chrono::seconds(10)) == std::future_status::ready,
            "refresh() waited for the replay to finish");
        QCOMPARE(refreshed.get(), Version(4));
    }

    void snapshotsGiveTheSameStateAsAFullReplay_data()
    {
        QTest::addColumn<int>("events");
        QTest::addColumn<qint64>("interval");
        QTest::addColumn<quint64>("seed");
        QTest::newRow("small, K=4") << 37 << qint64(4) << quint64(1);
        QTest::newRow("medium, K=64") << 1500 << qint64(64) << quint64(2);
        QTest::newRow("medium, adaptive K") << 3000 << qint64(0) << quint64(3);
        QTest::newRow("K larger than stream") << 50 << qint64(1000) << quint64(4);
    }
    void snapshotsGiveTheSameStateAsAFullReplay()
    {
        QFETCH(int, events);
        QFETCH(qint64, interval);
        QFETCH(quint64, seed);
        QRandomGenerator rng {quint32(seed)};
        MemoryEventStore store;
        const StreamId s(QStringLiteral("acc-1"));
        std::vector<EventData> batch;
        for (int i = 0; i < events; ++i)
            batch.push_back(makeEvent(i % 5 ? "Added" : "Renamed",
                {{"n", int(rng.bounded(1000))}, {"name", "n" + std::to_string(i)}}));
        store.append(s, batch, ExpectedVersion::noStream());
        auto reducer = std::make_shared<CounterReducer>();
        TimeTravel tt(store, reducer, s, {interval, 64u << 20});
        QCOMPARE(tt.lastVersion().value, events);
        for (int jump = 0; jump < 200; ++jump) {
            const qint64 v = rng.bounded(events + 1);
            JSON_COMPARE(tt.stateAt(Version(v)), replayFromZero(store, *reducer, s, v));
        }
    }

    void aJumpCostsAtMostKEvolveCalls()
    {
        MemoryEventStore store;
        const StreamId s(QStringLiteral("acc-1"));
        std::vector<EventData> batch;
        for (int i = 0; i < 5000; ++i)
            batch.push_back(makeEvent("Added", {{"n", i}}));
        store.append(s, batch, ExpectedVersion::any());
        auto reducer = std::make_shared<CounterReducer>();
        TimeTravel tt(store, reducer, s, {100, 64u << 20});
        tt.prepare();
        QVERIFY(tt.snapshotCount() >= 49);
        QRandomGenerator rng(9);
        for (int jump = 0; jump < 100; ++jump) {
            reducer->evolveCalls = 0;
            tt.stateAt(Version(rng.bounded(5001)));
            QVERIFY2(reducer->evolveCalls <= 100, qPrintable(QString::number(reducer->evolveCalls)));
        }
    }

    void memoryStaysWithinTheBudget()
    {
        MemoryEventStore store;
        const StreamId s(QStringLiteral("big-1"));
        std::vector<EventData> batch;
        for (int i = 0; i < 4000; ++i)
            batch.push_back(
                makeEvent("Added", {{"n", i}, {"name", std::string(200, 'x') + std::to_string(i)}}));
        store.append(s, batch, ExpectedVersion::any());
        auto reducer = std::make_shared<CounterReducer>();
        TimeTravel tt(store, reducer, s, {0, 16 * 1024});
        tt.prepare();
        QVERIFY(tt.snapshotBytes() <= 16 * 1024);
        QVERIFY(tt.snapshotInterval() > 64);
        JSON_COMPARE(tt.stateAt(Version(3999)), replayFromZero(store, *reducer, s, 3999));
    }

    // Snapshots are budgeted by what they hold in memory: the estimate must follow what the
    // allocator really hands out for a copy of a state (glibc's counters), not its text length.
    void memoryEstimateFollowsTheHeap()
    {
        nlohmann::json state = {{"status", "open"}, {"customerId", "customer-with-a-long-identifier"}};
        for (int i = 0; i < 200; ++i)
            state["items"]["SKU-" + std::to_string(i)] = {{"name", "a product name long enough to allocate"},
                {"quantity", i}, {"unitPrice", 1990}, {"tags", nlohmann::json::array({"a", "b", i})}};
        const std::size_t before = mallinfo2().uordblks;
        auto copy = std::make_unique<nlohmann::json>(state);
        const std::size_t heap = mallinfo2().uordblks - before;
        if (heap == 0)
            QSKIP("the allocator does not report its usage (sanitizer build?)");
        const std::size_t estimate = jsonMemoryBytes(*copy);
        const std::size_t text = copy->dump().size();
        QVERIFY2(
            estimate > 3 * text, qPrintable(QStringLiteral("estimate %1, text %2").arg(estimate).arg(text)));
        QVERIFY2(double(estimate) > 0.8 * double(heap) && double(estimate) < 1.25 * double(heap),
            qPrintable(QStringLiteral("estimate %1 bytes, heap %2 bytes").arg(estimate).arg(heap)));
        QCOMPARE(jsonMemoryBytes(nlohmann::json(42)), sizeof(nlohmann::json));
    }

    void versionGapsMeanEverythingUpToN()
    {
        MemoryEventStore inner;
        const StreamId s(QStringLiteral("gap-1"));
        std::vector<EventData> batch;
        for (int i = 0; i < 300; ++i)
            batch.push_back(makeEvent("Added", {{"n", i}}));
        inner.append(s, batch, ExpectedVersion::any());
        GappyStore store(inner);
        auto reducer = std::make_shared<CounterReducer>();
        TimeTravel tt(store, reducer, s, {16, 64u << 20});
        QCOMPARE(tt.lastVersion().value, 600);
        for (qint64 v : {0, 1, 2, 3, 31, 32, 33, 599, 600}) {
            // Version v of the gappy stream is inner version v / 2.
            JSON_COMPARE(tt.stateAt(Version(v)), replayFromZero(inner, *reducer, s, v / 2));
        }
    }

    void badVersionsAreClearErrors()
    {
        MemoryEventStore store;
        const StreamId s(QStringLiteral("acc-1"));
        store.append(s, {makeEvent("Added", {{"n", 1}})}, ExpectedVersion::any());
        TimeTravel tt(store, std::make_shared<CounterReducer>(), s);
        try {
            tt.stateAt(Version(2));
            QFAIL("no error for a version beyond the end");
        } catch (const InvalidInput& e) {
            QVERIFY(e.message().contains(QLatin1String("beyond the stream's last version 1")));
            QVERIFY(e.message().contains(QLatin1String("acc-1")));
        }
        QVERIFY_THROWS_EXCEPTION(InvalidInput, tt.stateAt(Version(-1)));
        JSON_COMPARE(tt.stateAt(Version(0)), CounterReducer().initialState(s));
    }

    void stateAtTime()
    {
        MemoryEventStore store;
        const StreamId s(QStringLiteral("acc-1"));
        store.append(s,
            {makeEvent("Added", {{"n", 1}}, 1000), makeEvent("Added", {{"n", 2}}, 2000),
                makeEvent("Added", {{"n", 3}}, 3000)},
            ExpectedVersion::any());
        TimeTravel tt(store, std::make_shared<CounterReducer>(), s);
        QCOMPARE(tt.versionAt(500).value, 0);
        QCOMPARE(tt.versionAt(2000).value, 2);
        QCOMPARE(tt.versionAt(2999).value, 2);
        QCOMPARE(tt.versionAt(99999).value, 3);
        JSON_COMPARE(tt.stateAtTime(2500)["count"], 2);
    }

    void diffIsAJsonPatch()
    {
        MemoryEventStore store;
        const StreamId s(QStringLiteral("acc-1"));
        store.append(s,
            {makeEvent("Added", {{"n", 5}, {"name", "a"}}), makeEvent("Renamed", {{"name", "b"}})},
            ExpectedVersion::any());
        TimeTravel tt(store, std::make_shared<CounterReducer>(), s);
        const auto patch = tt.diff(Version(1), Version(2));
        QVERIFY(patch.is_array());
        auto state1 = tt.stateAt(Version(1));
        JSON_COMPARE(state1.patch(patch), tt.stateAt(Version(2)));
        QVERIFY(patch.dump().find("\"/name\"") != std::string::npos);
        JSON_COMPARE(tt.diff(Version(2), Version(2)), json::array());
    }

    void fieldHistoryListsEveryChange()
    {
        MemoryEventStore store;
        const StreamId s(QStringLiteral("acc-1"));
        store.append(s,
            {makeEvent("Added", {{"n", 1}}), makeEvent("Renamed", {{"name", "a"}}),
                makeEvent("Added", {{"n", 2}}), makeEvent("Renamed", {{"name", "b"}}),
                makeEvent("Renamed", {{"clear", true}})},
            ExpectedVersion::any());
        TimeTravel tt(store, std::make_shared<CounterReducer>(), s);
        const auto changes = tt.fieldHistory(QStringLiteral("/name"));
        QCOMPARE(changes.size(), size_t(3));
        QCOMPARE(changes[0].version.value, 2);
        QVERIFY(!changes[0].oldValue);
        JSON_COMPARE(*changes[0].newValue, json("a"));
        QCOMPARE(changes[1].version.value, 4);
        JSON_COMPARE(*changes[1].oldValue, json("a"));
        QCOMPARE(changes[1].type, QStringLiteral("Renamed"));
        QCOMPARE(changes[2].version.value, 5);
        QVERIFY(!changes[2].newValue);
        QVERIFY_THROWS_EXCEPTION(InvalidInput, tt.fieldHistory(QStringLiteral("/nope")));
        QVERIFY_THROWS_EXCEPTION(InvalidInput, tt.fieldHistory(QStringLiteral("no-slash")));
    }

    void whatIfSkipsEventsWithoutTouchingTheStore()
    {
        MemoryEventStore store;
        const StreamId s(QStringLiteral("acc-1"));
        std::vector<EventData> batch;
        for (int i = 1; i <= 200; ++i)
            batch.push_back(makeEvent("Added", {{"n", i}}));
        store.append(s, batch, ExpectedVersion::any());
        auto reducer = std::make_shared<CounterReducer>();
        TimeTravel tt(store, reducer, s, {16, 64u << 20});
        const auto before = tt.stateAt(Version(200));
        tt.setSkipped({3, 150});
        const auto skipped = tt.stateAt(Version(200));
        JSON_COMPARE(skipped["count"], 198);
        JSON_COMPARE(skipped, replayFromZero(store, *reducer, s, 200, {3, 150}));
        QCOMPARE(store.summary().events, 200);
        tt.setSkipped({});
        JSON_COMPARE(tt.stateAt(Version(200)), before);
    }
};

QTEST_GUILESS_MAIN(TestTimeTravel)
#include "tst_timetravel.moc"
