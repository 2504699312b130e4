#include "replay/reducer.h"
#include "replay/replay.h"
#include "store/memoryeventstore.h"
#include "support/carttotals.h"
#include "support/testsupport.h"

#include <QRandomGenerator>
#include <QTest>

using namespace chronoscope;
using nlohmann::json;

namespace {

/// Compares JSON values through their text, so a failure shows both.
#define JCOMPARE(actual, expected)                                                                           \
    QCOMPARE(QString::fromStdString(json(actual).dump()), QString::fromStdString(json(expected).dump()))

constexpr qint64 T0 = 1767600000000; // 2026-01-05T08:00:00Z

/// A read-only store whose stream versions may skip numbers, like a foreign store's.
class GapStore final : public EventStore {
public:
    explicit GapStore(std::vector<RecordedEvent> events)
        : m_events(std::move(events))
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
    std::vector<RecordedEvent> readStream(const StreamId& stream, std::optional<Version> from,
        qint64 maxCount, Direction direction) const override
    {
        ++reads;
        std::vector<RecordedEvent> out;
        if (direction != Direction::Forward)
            return out;
        for (const auto& e : m_events)
            if (e.stream == stream && (!from || e.version >= *from) && qint64(out.size()) < maxCount)
                out.push_back(e);
        return out;
    }
    std::vector<RecordedEvent> readAll(
        std::optional<Position>, qint64, const EventFilter&, Direction) const override
    {
        return {};
    }
    std::optional<RecordedEvent> readAt(Position) const override { return std::nullopt; }
    std::vector<StreamInfo> streams(const QString&) const override { return {}; }
    std::optional<StreamInfo> streamInfo(const StreamId& stream) const override
    {
        std::optional<StreamInfo> info;
        for (const auto& e : m_events) {
            if (e.stream != stream)
                continue;
            if (!info) {
                info = StreamInfo {stream, {}, 0, e.position, {}, e.timestampMs, 0};
            }
            info->version = e.version;
            info->events += 1;
            info->lastPosition = e.position;
            info->lastTimestampMs = e.timestampMs;
        }
        return info;
    }
    StoreSummary summary() const override
    {
        return {QStringLiteral("gaps"), {}, qint64(m_events.size()), 1, {}, true};
    }
    std::vector<TypeCount> typeCounts() const override { return {}; }

    mutable int reads = 0;

private:
    std::vector<RecordedEvent> m_events;
};

RecordedEvent recorded(const char* stream, qint64 version, qint64 position, const char* type,
    const QByteArray& data, qint64 timestampMs = T0)
{
    return chronoscope::testing::recordedEvent(
        QLatin1String(stream), version, position, QLatin1String(type), data, timestampMs);
}

EventData makeEvent(const char* type, const char* data, qint64 timestampMs = T0)
{
    EventData e;
    e.type = QLatin1String(type);
    e.data = QByteArray(data);
    e.timestampMs = timestampMs;
    return e;
}

/// Appends `count` events "Step" with payload {"n":i} to `stream`, one second apart.
void fillSteps(EventStore& store, const char* stream, int count)
{
    std::vector<EventData> events;
    for (int i = 1; i <= count; ++i) {
        const QByteArray payload = "{\"n\":" + QByteArray::number(i) + "}";
        EventData e;
        e.type = QStringLiteral("Step");
        e.data = payload;
        e.timestampMs = T0 + i * 1000;
        events.push_back(e);
    }
    store.append(StreamId(QLatin1String(stream)), events, ExpectedVersion::noStream());
}

/// Throws at events of type "Boom": a reducer written badly.
class FragileReducer final : public Reducer {
public:
    QString name() const override { return QStringLiteral("fragile"); }
    json initialState(const StreamId&) const override { return json {{"seen", 0}}; }
    json evolve(json state, const RecordedEvent& event) const override
    {
        if (event.type == QLatin1String("Boom"))
            throw std::runtime_error("division by zero in evolve");
        state["seen"] = state["seen"].get<int>() + 1;
        return state;
    }
};

} // namespace

class TestReducers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void genericInitialState()
    {
        const auto state = genericReducer()->initialState(StreamId(QStringLiteral("thing-1")));
        JCOMPARE(state["stream"], json("thing-1"));
        JCOMPARE(state["version"], json(0));
        JCOMPARE(state["events"], json(0));
        JCOMPARE(state["data"], json::object());
        JCOMPARE(state["eventsByType"], json::object());
        QVERIFY(state["lastEventType"].is_null());
    }

    void genericState_data()
    {
        QTest::addColumn<QStringList>("types");
        QTest::addColumn<QStringList>("payloads");
        QTest::addColumn<QByteArray>("expected"); // expected state, without "stream"

        QTest::newRow("one event") << QStringList {QStringLiteral("Created")}
                                   << QStringList {QStringLiteral(R"({"name":"a"})")}
                                   << QByteArray(R"({"version":1,"events":1,"lastEventType":"Created",
                                       "lastTimestamp":"2026-01-05T08:00:01.000Z","eventsByType":{"Created":1},
                                       "data":{"name":"a"}})");
        QTest::newRow("counts by type")
            << QStringList {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("A")}
            << QStringList {QStringLiteral("{}"), QStringLiteral("{}"), QStringLiteral("{}")}
            << QByteArray(R"({"version":3,"events":3,"lastEventType":"A",
                                            "lastTimestamp":"2026-01-05T08:00:03.000Z","eventsByType":{"A":2,"B":1},
                                            "data":{}})");
        QTest::newRow("null removes a key")
            << QStringList {QStringLiteral("S"), QStringLiteral("S")}
            << QStringList {QStringLiteral(R"({"a":1,"b":2})"), QStringLiteral(R"({"a":null,"c":3})")}
            << QByteArray(
                   R"({"version":2,"events":2,"lastEventType":"S","lastTimestamp":"2026-01-05T08:00:02.000Z",
                 "eventsByType":{"S":2},"data":{"b":2,"c":3}})");
        QTest::newRow("nested objects merge, arrays replace")
            << QStringList {QStringLiteral("S"), QStringLiteral("S")}
            << QStringList {QStringLiteral(R"({"addr":{"city":"Ghent","zip":"9000"},"tags":[1,2]})"),
                   QStringLiteral(R"({"addr":{"zip":null,"street":"Veldstraat"},"tags":[3]})")}
            << QByteArray(
                   R"({"version":2,"events":2,"lastEventType":"S","lastTimestamp":"2026-01-05T08:00:02.000Z",
                 "eventsByType":{"S":2},"data":{"addr":{"city":"Ghent","street":"Veldstraat"},"tags":[3]}})");
        QTest::newRow("non-object payload replaces data")
            << QStringList {QStringLiteral("S"), QStringLiteral("S")}
            << QStringList {QStringLiteral(R"({"a":1})"), QStringLiteral("[1,2]")}
            << QByteArray(
                   R"({"version":2,"events":2,"lastEventType":"S","lastTimestamp":"2026-01-05T08:00:02.000Z",
                 "eventsByType":{"S":2},"data":[1,2]})");
        QTest::newRow("object after non-object starts afresh")
            << QStringList {QStringLiteral("S"), QStringLiteral("S")}
            << QStringList {QStringLiteral("42"), QStringLiteral(R"({"a":{"b":null,"c":1}})")}
            << QByteArray(
                   R"({"version":2,"events":2,"lastEventType":"S","lastTimestamp":"2026-01-05T08:00:02.000Z",
                 "eventsByType":{"S":2},"data":{"a":{"c":1}}})");
    }

    void genericState()
    {
        QFETCH(QStringList, types);
        QFETCH(QStringList, payloads);
        QFETCH(QByteArray, expected);
        MemoryEventStore store;
        const StreamId stream(QStringLiteral("thing-7"));
        for (int i = 0; i < types.size(); ++i) {
            EventData e;
            e.type = types[i];
            e.data = payloads[i].toUtf8();
            e.timestampMs = T0 + (i + 1) * 1000;
            store.append(stream, {e}, ExpectedVersion::any());
        }
        auto want = json::parse(expected.toStdString());
        want["stream"] = "thing-7";
        const auto state = chronoscope::stateAtVersion(store, *genericReducer(), stream);
        QCOMPARE(QString::fromStdString(state.dump()), QString::fromStdString(want.dump()));
    }

    void stateAtVersion_data()
    {
        QTest::addColumn<qint64>("upTo"); // -1: no version given (the end)
        QTest::addColumn<int>("expectedN");
        QTest::newRow("initial") << qint64(0) << 0;
        QTest::newRow("first") << qint64(1) << 1;
        QTest::newRow("middle") << qint64(3) << 3;
        QTest::newRow("end") << qint64(5) << 5;
        QTest::newRow("whole stream") << qint64(-1) << 5;
    }

    void stateAtVersion()
    {
        QFETCH(qint64, upTo);
        QFETCH(int, expectedN);
        MemoryEventStore store;
        fillSteps(store, "thing-1", 5);
        fillSteps(store, "other-1", 9); // another stream must not leak in
        const auto state = chronoscope::stateAtVersion(store, *genericReducer(),
            StreamId(QStringLiteral("thing-1")), upTo < 0 ? std::nullopt : std::optional(Version(upTo)));
        QCOMPARE(state["version"].get<int>(), expectedN);
        QCOMPARE(state["events"].get<int>(), expectedN);
        if (expectedN == 0)
            JCOMPARE(state["data"], json::object());
        else
            QCOMPARE(state["data"]["n"].get<int>(), expectedN);
    }

    void stateAtVersionAcrossPages()
    {
        MemoryEventStore store;
        fillSteps(store, "long-1", 2500);
        const StreamId stream(QStringLiteral("long-1"));
        for (qint64 v : {999, 1000, 1001, 2345, 2500}) {
            const auto state = chronoscope::stateAtVersion(store, *genericReducer(), stream, Version(v));
            QCOMPARE(state["events"].get<qint64>(), v);
            QCOMPARE(state["data"]["n"].get<qint64>(), v);
        }
    }

    void stateAtVersionWithGaps_data()
    {
        QTest::addColumn<qint64>("upTo");
        QTest::addColumn<qint64>("events");
        QTest::addColumn<qint64>("lastN");
        // Versions 2, 4, 6, ..., 3000: version N means every event with version <= N.
        QTest::newRow("before the first") << qint64(1) << qint64(0) << qint64(0);
        QTest::newRow("on an event") << qint64(4) << qint64(2) << qint64(4);
        QTest::newRow("in a gap") << qint64(5) << qint64(2) << qint64(4);
        QTest::newRow("past a page") << qint64(2001) << qint64(1000) << qint64(2000);
        QTest::newRow("the end") << qint64(3000) << qint64(1500) << qint64(3000);
    }

    void stateAtVersionWithGaps()
    {
        QFETCH(qint64, upTo);
        QFETCH(qint64, events);
        QFETCH(qint64, lastN);
        std::vector<RecordedEvent> recordedEvents;
        for (qint64 v = 2; v <= 3000; v += 2)
            recordedEvents.push_back(
                recorded("gappy-1", v, v / 2, "Step", "{\"n\":" + QByteArray::number(v) + "}"));
        GapStore store(recordedEvents);
        const auto state = chronoscope::stateAtVersion(
            store, *genericReducer(), StreamId(QStringLiteral("gappy-1")), Version(upTo));
        QCOMPARE(state["events"].get<qint64>(), events);
        QCOMPARE(state["version"].get<qint64>(), lastN);
        if (events > 0)
            QCOMPARE(state["data"]["n"].get<qint64>(), lastN);
    }

    void invalidVersions_data()
    {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<qint64>("upTo");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("beyond the end")
            << QStringLiteral("thing-1") << qint64(6)
            << QStringList {QStringLiteral("'thing-1'"), QStringLiteral("6"), QStringLiteral("5")};
        QTest::newRow("negative") << QStringLiteral("thing-1") << qint64(-1)
                                  << QStringList {QStringLiteral("'thing-1'"), QStringLiteral("-1"),
                                         QStringLiteral("5")};
        QTest::newRow("unknown stream")
            << QStringLiteral("nope-1") << qint64(0) << QStringList {QStringLiteral("no stream 'nope-1'")};
    }

    void invalidVersions()
    {
        QFETCH(QString, stream);
        QFETCH(qint64, upTo);
        QFETCH(QStringList, mentions);
        MemoryEventStore store;
        fillSteps(store, "thing-1", 5);
        try {
            chronoscope::stateAtVersion(store, *genericReducer(), StreamId(stream), Version(upTo));
            QFAIL("no error");
        } catch (const InvalidInput& error) {
            for (const auto& m : mentions)
                QVERIFY2(error.message().contains(m), qPrintable(error.message()));
        }
    }

    void reducerErrorNamesTheEvent()
    {
        MemoryEventStore store;
        const StreamId stream(QStringLiteral("thing-3"));
        store.append(stream,
            {makeEvent("Fine", "{}"), makeEvent("Fine", "{}"), makeEvent("Boom", "{}"),
                makeEvent("Fine", "{}")},
            ExpectedVersion::noStream());
        FragileReducer reducer;
        JCOMPARE(chronoscope::stateAtVersion(store, reducer, stream, Version(2))["seen"], json(2));
        try {
            chronoscope::stateAtVersion(store, reducer, stream);
            QFAIL("no error");
        } catch (const StoreError& error) {
            const auto& m = error.message();
            QVERIFY2(m.contains(QStringLiteral("'thing-3'")) && m.contains(QStringLiteral("version 3"))
                    && m.contains(QStringLiteral("Boom")) && m.contains(QStringLiteral("division by zero")),
                qPrintable(m));
        }
    }

    void genericReducerRejectsBrokenPayload()
    {
        // An imported event may hold bytes that are not JSON; the error says which event.
        MemoryEventStore store;
        store.importRecorded(
            {recorded("legacy-1", 1, 1, "Ok", "{}"), recorded("legacy-1", 2, 2, "Broken", "{not json")});
        try {
            chronoscope::stateAtVersion(store, *genericReducer(), StreamId(QStringLiteral("legacy-1")));
            QFAIL("no error");
        } catch (const StoreError& error) {
            QVERIFY2(error.message().contains(QStringLiteral("'legacy-1' version 2"))
                    && error.message().contains(QStringLiteral("Broken")),
                qPrintable(error.message()));
        }
    }

    void stateAtTime_data()
    {
        QTest::addColumn<qint64>("atMs");
        QTest::addColumn<int>("events");
        QTest::newRow("before the first event") << T0 << 0;
        QTest::newRow("at the first event") << T0 + 1000 << 1;
        QTest::newRow("between events") << T0 + 2500 << 2;
        QTest::newRow("at the last event") << T0 + 5000 << 5;
        QTest::newRow("long after") << T0 + 86400000 << 5;
    }

    void stateAtTime()
    {
        QFETCH(qint64, atMs);
        QFETCH(int, events);
        MemoryEventStore store;
        fillSteps(store, "thing-1", 5);
        const auto state
            = chronoscope::stateAtTime(store, *genericReducer(), StreamId(QStringLiteral("thing-1")), atMs);
        QCOMPARE(state["events"].get<int>(), events);
    }

    void stateAtTimeUnknownStream()
    {
        MemoryEventStore store;
        QVERIFY_THROWS_EXCEPTION(InvalidInput,
            chronoscope::stateAtTime(store, *genericReducer(), StreamId(QStringLiteral("x-1")), T0));
    }

    void registryChoosesByCategory()
    {
        auto registry = ReducerRegistry::withBuiltins();
        QCOMPARE(registry.reducerFor(StreamId(QStringLiteral("cart-12")))->name(),
            QStringLiteral("cart (built-in)"));
        QCOMPARE(registry.reducerFor(StreamId(QStringLiteral("inventory-MUG01")))->name(),
            QStringLiteral("inventory (built-in)"));
        QCOMPARE(registry.reducerFor(StreamId(QStringLiteral("invoice-3"))), genericReducer());
        QCOMPARE(registry.reducerFor(StreamId(QStringLiteral("nodash"))), genericReducer());
        auto fragile = std::make_shared<const FragileReducer>();
        registry.add(QStringLiteral("invoice"), fragile);
        QCOMPARE(registry.reducerFor(StreamId(QStringLiteral("invoice-3"))), fragile);
        registry.add(QStringLiteral("cart"), nullptr); // removing falls back to generic
        QCOMPARE(registry.reducerFor(StreamId(QStringLiteral("cart-12"))), genericReducer());
    }

    void cartTotalsFollowTheLines()
    {
        // The cart reducer adjusts itemCount and total by what each event changed; after every
        // event of a random cart they must equal the sums over its lines.
        MemoryEventStore store;
        const StreamId stream(QStringLiteral("cart-7"));
        std::vector<EventData> events {makeEvent("CartOpened", R"({"cartId":"cart-7","customerId":"C7"})")};
        QRandomGenerator random(7);
        for (int i = 0; i < 400; ++i) {
            const QByteArray line = "{\"cartId\":\"cart-7\",\"sku\":\"SKU"
                + QByteArray::number(random.bounded(5))
                + "\",\"quantity\":" + QByteArray::number(random.bounded(1, 6));
            if (random.bounded(3) == 0) { // a removal, sometimes of more than the line holds
                events.push_back(makeEvent("ItemRemoved", QByteArray(line + "}").constData()));
            } else { // an addition, at a unit price that may differ from the line's
                const QByteArray price = QByteArray::number(100 * random.bounded(1, 4));
                events.push_back(
                    makeEvent("ItemAdded", QByteArray(line + ",\"unitPrice\":" + price + "}").constData()));
            }
        }
        store.append(stream, events, ExpectedVersion::noStream());
        const auto reducer = ReducerRegistry::withBuiltins().reducerFor(stream);
        json state = reducer->initialState(stream);
        int removals = 0;
        for (const auto& e : store.readStream(stream, std::nullopt, 1000, Direction::Forward)) {
            state = reducer->evolve(state, e);
            removals += e.type == QLatin1String("ItemRemoved");
            const auto sums = testing::recountCart(state);
            QCOMPARE(state["itemCount"].get<std::int64_t>(), sums.itemCount);
            QCOMPARE(state["total"].get<std::int64_t>(), sums.total);
        }
        QVERIFY(removals > 50);
        QVERIFY(state["itemCount"].get<std::int64_t>() > 0 || state["items"].empty());
    }

    void builtinReducerNamesUnknownEvent()
    {
        MemoryEventStore store;
        const StreamId stream(QStringLiteral("cart-1"));
        store.append(stream,
            {makeEvent("CartOpened", R"({"cartId":"cart-1","customerId":"C1"})"),
                makeEvent("Teleported", "{}")},
            ExpectedVersion::noStream());
        const auto reducer = ReducerRegistry::withBuiltins().reducerFor(stream);
        JCOMPARE(chronoscope::stateAtVersion(store, *reducer, stream, Version(1))["status"], json("open"));
        try {
            chronoscope::stateAtVersion(store, *reducer, stream);
            QFAIL("no error");
        } catch (const StoreError& error) {
            QVERIFY2(error.message().contains(QStringLiteral("'cart-1' version 2"))
                    && error.message().contains(QStringLiteral("Teleported")),
                qPrintable(error.message()));
        }
    }
};

QTEST_GUILESS_MAIN(TestReducers)
#include "tst_reducers.moc"
