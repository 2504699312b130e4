// The EventStore contract, run against every implementation: each test's _data() table has a
// "kind" column ("memory", "sqlite") and makeStore() gives a fresh store of that kind.
#include "store/memoryeventstore.h"
#include "store/sqlite/sqleventstore.h"
#include "store/streamquery.h"
#include "support/storetesthelpers.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace chronoscope;

namespace {

using chronoscope::testing::events;
using chronoscope::testing::makeEvent;
using chronoscope::testing::positions;
using chronoscope::testing::sid;

std::vector<qint64> versions(const std::vector<RecordedEvent>& events)
{
    std::vector<qint64> out;
    for (const auto& e : events)
        out.push_back(e.version.value);
    return out;
}

} // namespace

class TestEventStore : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;

    std::unique_ptr<EventStore> makeStore()
    {
        QFETCH(QString, kind);
        if (kind == QLatin1String("memory"))
            return std::make_unique<MemoryEventStore>();
        SqlStoreOptions options;
        options.create = true;
        return std::make_unique<SqlEventStore>(m_dir->filePath(QStringLiteral("store.db")), options);
    }

    static void addKinds()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("memory") << QStringLiteral("memory");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
    }

    /// cart-1 (2), cart-2 (1), order-1 (1), cartoon (1), order-2 (1), at times 1000..6000.
    static void fill(EventStore& store)
    {
        store.append(
            sid("cart-1"), {makeEvent(QStringLiteral("ItemAdded"), "{}", 1000)}, ExpectedVersion::noStream());
        store.append(
            sid("cart-2"), {makeEvent(QStringLiteral("ItemAdded"), "{}", 2000)}, ExpectedVersion::noStream());
        store.append(sid("cart-1"), {makeEvent(QStringLiteral("ItemRemoved"), "{}", 3000)},
            ExpectedVersion::exact(Version(1)));
        store.append(
            sid("order-1"), {makeEvent(QStringLiteral("OrderPlaced"), "{}", 4000)}, ExpectedVersion::any());
        store.append(
            sid("cartoon"), {makeEvent(QStringLiteral("Drawn"), "{}", 5000)}, ExpectedVersion::any());
        store.append(
            sid("order-2"), {makeEvent(QStringLiteral("ItemAdded"), "{}", 6000)}, ExpectedVersion::any());
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }
    void cleanup() { m_dir.reset(); }

    void appendAssignsVersionsAndPositions_data() { addKinds(); }
    void appendAssignsVersionsAndPositions()
    {
        auto store = makeStore();
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        auto r = store->append(sid("cart-1"), events(3), ExpectedVersion::noStream());
        QCOMPARE(r.firstPosition.value, 1);
        QCOMPARE(r.lastPosition.value, 3);
        QCOMPARE(r.version.value, 3);
        EventData given = makeEvent(QStringLiteral("Given"), "{}", 42);
        given.id = QUuid::createUuid();
        given.schemaVersion = 3;
        r = store->append(sid("order-1"), {makeEvent(QStringLiteral("X")), given}, ExpectedVersion::any());
        QCOMPARE(r.firstPosition.value, 4);
        QCOMPARE(r.lastPosition.value, 5);
        QCOMPARE(r.version.value, 2);
        r = store->append(sid("cart-1"), events(1), ExpectedVersion::exact(Version(3)));
        QCOMPARE(r.firstPosition.value, 6);
        QCOMPARE(r.version.value, 4);

        const auto all = store->readAll(std::nullopt, 100);
        QCOMPARE(positions(all), (std::vector<qint64> {1, 2, 3, 4, 5, 6}));
        QCOMPARE(versions(store->readStream(sid("cart-1"), std::nullopt, 100)),
            (std::vector<qint64> {1, 2, 3, 4}));
        QSet<QUuid> ids;
        for (const auto& e : all) {
            QVERIFY(!e.id.isNull());
            ids.insert(e.id);
            if (e.type != QLatin1String("Given"))
                QVERIFY(e.timestampMs >= before && e.timestampMs <= QDateTime::currentMSecsSinceEpoch());
        }
        QCOMPARE(ids.size(), 6);
        QCOMPARE(all[4].id, given.id);
        QCOMPARE(all[4].timestampMs, 42);
        QCOMPARE(all[4].schemaVersion, 3);
        QCOMPARE(all[4].stream, sid("order-1"));
        QCOMPARE(all[4].version.value, 2);
    }

    void expectedVersion_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("existing");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("satisfied");
        for (const char* kind : {"memory", "sqlite"}) {
            const auto row = [&](const char* name, int existing, const char* expected, bool satisfied) {
                QTest::addRow("%s: %s", kind, name)
                    << QString::fromUtf8(kind) << existing << QString::fromUtf8(expected) << satisfied;
            };
            row("any, no stream", 0, "any", true);
            row("any, stream", 2, "any", true);
            row("no-stream, no stream", 0, "no-stream", true);
            row("no-stream, stream", 2, "no-stream", false);
            row("exists, no stream", 0, "exists", false);
            row("exists, stream", 2, "exists", true);
            row("exact 2, at 2", 2, "2", true);
            row("exact 1, at 2", 2, "1", false);
            row("exact 3, at 2", 2, "3", false);
            row("exact 0, no stream", 0, "0", true);
            row("exact 1, no stream", 0, "1", false);
        }
    }
    void expectedVersion()
    {
        QFETCH(int, existing);
        QFETCH(QString, expected);
        QFETCH(bool, satisfied);
        auto store = makeStore();
        store->append(sid("other-1"), events(1), ExpectedVersion::any());
        if (existing > 0)
            store->append(sid("cart-1"), events(existing), ExpectedVersion::any());
        const auto expectation = ExpectedVersion::parse(expected);
        QVERIFY(expectation);
        if (satisfied) {
            const auto r = store->append(sid("cart-1"), events(2), *expectation);
            QCOMPARE(r.version.value, existing + 2);
            QCOMPARE(store->summary().events, 1 + existing + 2);
            return;
        }
        try {
            store->append(sid("cart-1"), events(2), *expectation);
            QFAIL("no WrongExpectedVersion");
        } catch (const WrongExpectedVersion& error) {
            QCOMPARE(error.stream(), sid("cart-1"));
            QCOMPARE(error.expected().toString(), expectation->toString());
            QCOMPARE(error.actual().value, existing);
            QVERIFY(error.message().contains(QLatin1String("cart-1")));
        }
        QCOMPARE(store->summary().events, 1 + existing);
        QCOMPARE(qint64(store->readStream(sid("cart-1"), std::nullopt, 100).size()), existing);
        QCOMPARE(store->summary().lastPosition.value, 1 + existing);
    }

    void invalidEventInBatchWritesNothing_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("metadata");
        for (const char* kind : {"memory", "sqlite"}) {
            const auto k = QString::fromUtf8(kind);
            QTest::addRow("%s: empty type", kind) << k << QString() << QByteArray("{}") << QByteArray();
            QTest::addRow("%s: blank type", kind)
                << k << QStringLiteral("  ") << QByteArray("{}") << QByteArray();
            QTest::addRow("%s: bad JSON", kind)
                << k << QStringLiteral("T") << QByteArray("{\"a\":") << QByteArray();
            QTest::addRow("%s: empty data", kind) << k << QStringLiteral("T") << QByteArray() << QByteArray();
            QTest::addRow("%s: metadata array", kind)
                << k << QStringLiteral("T") << QByteArray("{}") << QByteArray("[1]");
            QTest::addRow("%s: bad metadata", kind)
                << k << QStringLiteral("T") << QByteArray("{}") << QByteArray("{x");
        }
    }
    void invalidEventInBatchWritesNothing()
    {
        QFETCH(QString, type);
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, metadata);
        auto store = makeStore();
        QSignalSpy spy(store.get(), &EventStore::appended);
        auto batch = events(2);
        batch.insert(batch.begin() + 1, makeEvent(type, data, std::nullopt, metadata));
        QVERIFY_THROWS_EXCEPTION(InvalidInput, store->append(sid("cart-1"), batch, ExpectedVersion::any()));
        QVERIFY_THROWS_EXCEPTION(InvalidInput,
            store->appendMany({{sid("ok-1"), ExpectedVersion::any(), events(1)},
                {sid("cart-1"), ExpectedVersion::any(), batch}}));
        QCOMPARE(store->summary().events, 0);
        QCOMPARE(store->summary().streams, 0);
        QVERIFY(store->readAll(std::nullopt, 10).empty());
        QVERIFY(store->typeCounts().empty());
        QVERIFY(store->streams().empty());
        QCOMPARE(spy.count(), 0);
        // No hole is left behind.
        QCOMPARE(store->append(sid("cart-1"), events(1), ExpectedVersion::noStream()).firstPosition.value, 1);
        QVERIFY_THROWS_EXCEPTION(InvalidInput, store->append(StreamId(), events(1), ExpectedVersion::any()));
    }

    void appendManyIsAtomicAcrossStreams_data() { addKinds(); }
    void appendManyIsAtomicAcrossStreams()
    {
        auto store = makeStore();
        store->append(sid("order-1"), events(1), ExpectedVersion::any());
        const auto results = store->appendMany({{sid("cart-1"), ExpectedVersion::noStream(), events(2)},
            {sid("order-1"), ExpectedVersion::exact(Version(1)), events(1)},
            {sid("cart-1"), ExpectedVersion::exact(Version(2)), events(1)}});
        QCOMPARE(results.size(), std::size_t(3));
        QCOMPARE(results[0].firstPosition.value, 2);
        QCOMPARE(results[0].lastPosition.value, 3);
        QCOMPARE(results[1].firstPosition.value, 4);
        QCOMPARE(results[1].version.value, 2);
        QCOMPARE(results[2].firstPosition.value, 5);
        QCOMPARE(results[2].version.value, 3);
        QCOMPARE(store->streamInfo(sid("cart-1"))->version.value, 3);

        // The second request fails: the first one must not be written either.
        QVERIFY_THROWS_EXCEPTION(WrongExpectedVersion,
            store->appendMany({{sid("pay-1"), ExpectedVersion::noStream(), events(2)},
                {sid("order-1"), ExpectedVersion::noStream(), events(1)}}));
        QVERIFY(!store->streamInfo(sid("pay-1")));
        QCOMPARE(store->summary().events, 5);
        QCOMPARE(store->summary().streams, 2);
    }

    void readStream_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<qint64>("from"); // -1: nullopt
        QTest::addColumn<qint64>("count");
        QTest::addColumn<bool>("backward");
        QTest::addColumn<std::vector<qint64>>("expected");
        for (const char* kind : {"memory", "sqlite"}) {
            const auto k = QString::fromUtf8(kind);
            using V = std::vector<qint64>;
            QTest::addRow("%s: all forward", kind)
                << k << qint64(-1) << qint64(100) << false << V {1, 2, 3, 4, 5};
            QTest::addRow("%s: forward from 2, 2", kind) << k << qint64(2) << qint64(2) << false << V {2, 3};
            QTest::addRow("%s: forward past end", kind) << k << qint64(9) << qint64(5) << false << V {};
            QTest::addRow("%s: all backward", kind)
                << k << qint64(-1) << qint64(100) << true << V {5, 4, 3, 2, 1};
            QTest::addRow("%s: backward from 4, 2", kind) << k << qint64(4) << qint64(2) << true << V {4, 3};
            QTest::addRow("%s: backward last 3", kind) << k << qint64(-1) << qint64(3) << true << V {5, 4, 3};
            QTest::addRow("%s: count 0", kind) << k << qint64(-1) << qint64(0) << false << V {};
        }
    }
    void readStream()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, count);
        QFETCH(bool, backward);
        QFETCH(std::vector<qint64>, expected);
        auto store = makeStore();
        for (int i = 0; i < 5; ++i) {
            store->append(sid("a-1"), events(1), ExpectedVersion::any());
            store->append(sid("b-1"), events(1), ExpectedVersion::any());
        }
        const auto read
            = store->readStream(sid("a-1"), from < 0 ? std::nullopt : std::optional(Version(from)), count,
                backward ? Direction::Backward : Direction::Forward);
        QCOMPARE(versions(read), expected);
        for (const auto& e : read) {
            QCOMPARE(e.stream, sid("a-1"));
            QCOMPARE(e.position.value, 2 * e.version.value - 1);
        }
        QVERIFY(store->readStream(sid("missing-1"), std::nullopt, 10).empty());
    }

    void readAll_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<qint64>("from"); // -1: nullopt
        QTest::addColumn<qint64>("count");
        QTest::addColumn<bool>("backward");
        QTest::addColumn<EventFilter>("filter");
        QTest::addColumn<std::vector<qint64>>("expected");
        using V = std::vector<qint64>;
        const auto types = [](QStringList t) {
            EventFilter f;
            f.types = t;
            return f;
        };
        const auto prefix = [](const char* p) {
            EventFilter f;
            f.streamPrefix = QString::fromUtf8(p);
            return f;
        };
        const auto category = [](const char* c) {
            EventFilter f;
            f.category = QString::fromUtf8(c);
            return f;
        };
        const auto time = [](std::optional<qint64> a, std::optional<qint64> b) {
            EventFilter f;
            f.fromTimeMs = a;
            f.toTimeMs = b;
            return f;
        };
        for (const char* kind : {"memory", "sqlite"}) {
            const auto k = QString::fromUtf8(kind);
            const auto row
                = [&](const char* name, qint64 from, qint64 count, bool back, EventFilter f, V expected) {
                      QTest::addRow("%s: %s", kind, name) << k << from << count << back << f << expected;
                  };
            row("everything", -1, 100, false, {}, V {1, 2, 3, 4, 5, 6});
            row("from 3, 2", 3, 2, false, {}, V {3, 4});
            row("backward all", -1, 100, true, {}, V {6, 5, 4, 3, 2, 1});
            row("backward from 4, 3", 4, 3, true, {}, V {4, 3, 2});
            row("beyond end", 7, 10, false, {}, V {});
            row("one type", -1, 100, false, types({QStringLiteral("ItemAdded")}), V {1, 2, 6});
            row("two types", -1, 100, false, types({QStringLiteral("Drawn"), QStringLiteral("OrderPlaced")}),
                V {4, 5});
            row("type, from, count", 2, 1, false, types({QStringLiteral("ItemAdded")}), V {2});
            row("type backward", 5, 10, true, types({QStringLiteral("ItemAdded")}), V {2, 1});
            row("prefix cart", -1, 100, false, prefix("cart"), V {1, 2, 3, 5});
            row("prefix cart-1", -1, 100, false, prefix("cart-1"), V {1, 3});
            row("category cart", -1, 100, false, category("cart"), V {1, 2, 3});
            row("category order backward", -1, 100, true, category("order"), V {6, 4});
            row("category with dash", -1, 100, false, category("cart-1"), V {});
            row("time range", -1, 100, false, time(2000, 5000), V {2, 3, 4});
            row("time from", -1, 100, false, time(5000, std::nullopt), V {5, 6});
            row("time to", -1, 100, false, time(std::nullopt, 2001), V {1, 2});
            EventFilter all = category("cart");
            all.types = QStringList {QStringLiteral("ItemAdded")};
            all.fromTimeMs = 1500;
            row("category, type and time", -1, 100, false, all, V {2});
        }
    }
    void readAll()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, count);
        QFETCH(bool, backward);
        QFETCH(EventFilter, filter);
        QFETCH(std::vector<qint64>, expected);
        auto store = makeStore();
        fill(*store);
        const auto read = store->readAll(from < 0 ? std::nullopt : std::optional(Position(from)), count,
            filter, backward ? Direction::Backward : Direction::Forward);
        QCOMPARE(positions(read), expected);
    }

    void readAt_data() { addKinds(); }
    void readAt()
    {
        auto store = makeStore();
        fill(*store);
        const auto e = store->readAt(Position(3));
        QVERIFY(e);
        QCOMPARE(e->stream, sid("cart-1"));
        QCOMPARE(e->version.value, 2);
        QCOMPARE(e->type, QStringLiteral("ItemRemoved"));
        QCOMPARE(e->timestampMs, 3000);
        QVERIFY(!store->readAt(Position(0)));
        QVERIFY(!store->readAt(Position(7)));
    }

    void streamsAndSummary_data() { addKinds(); }
    void streamsAndSummary()
    {
        auto store = makeStore();
        QCOMPARE(store->summary().events, 0);
        QCOMPARE(store->summary().lastPosition.value, 0);
        fill(*store);
        const auto cart = store->streams(QStringLiteral("cart"));
        QCOMPARE(cart.size(), std::size_t(3));
        QCOMPARE(cart[0].stream, sid("cart-1"));
        QCOMPARE(cart[1].stream, sid("cart-2"));
        QCOMPARE(cart[2].stream, sid("cartoon"));
        QCOMPARE(cart[0].version.value, 2);
        QCOMPARE(cart[0].events, 2);
        QCOMPARE(cart[0].firstPosition.value, 1);
        QCOMPARE(cart[0].lastPosition.value, 3);
        QCOMPARE(cart[0].firstTimestampMs, 1000);
        QCOMPARE(cart[0].lastTimestampMs, 3000);
        QCOMPARE(store->streams().size(), std::size_t(5));
        QCOMPARE(store->streams(QStringLiteral("order-")).size(), std::size_t(2));
        QVERIFY(store->streams(QStringLiteral("zzz")).empty());
        QCOMPARE(store->streamInfo(sid("order-2"))->firstPosition.value, 6);
        QVERIFY(!store->streamInfo(sid("order-3")));

        const auto summary = store->summary();
        QCOMPARE(summary.events, 6);
        QCOMPARE(summary.streams, 5);
        QCOMPARE(summary.lastPosition.value, 6);
        QVERIFY(!summary.readOnly);
        QVERIFY(!store->isReadOnly());
        const auto counts = store->typeCounts();
        QCOMPARE(counts.size(), std::size_t(4));
        QCOMPARE(counts[0].type, QStringLiteral("Drawn"));
        QCOMPARE(counts[1].type, QStringLiteral("ItemAdded"));
        QCOMPARE(counts[1].events, 3);
        QCOMPARE(counts[3].type, QStringLiteral("OrderPlaced"));
    }

    void importRecorded_data() { addKinds(); }
    void importRecorded()
    {
        auto store = makeStore();
        QSignalSpy spy(store.get(), &EventStore::appended);
        const auto recorded = [](qint64 position, const char* stream, qint64 version) {
            RecordedEvent e;
            e.position = Position(position);
            e.stream = sid(stream);
            e.version = Version(version);
            e.id = QUuid::createUuid();
            e.type = QStringLiteral("Imported");
            e.timestampMs = 1000 + position;
            e.data = "{\"p\": " + QByteArray::number(position) + "}";
            return e;
        };
        const std::vector<RecordedEvent> batch
            = {recorded(5, "a-1", 1), recorded(9, "b-1", 1), recorded(10, "a-1", 2)};
        store->importRecorded(batch);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<Position>().value, 5);
        QCOMPARE(spy.at(0).at(1).value<Position>().value, 10);
        QCOMPARE(positions(store->readAll(std::nullopt, 10)), (std::vector<qint64> {5, 9, 10}));
        const auto e = store->readAt(Position(9));
        QVERIFY(e);
        QCOMPARE(e->id, batch[1].id);
        QCOMPARE(e->timestampMs, 1009);
        QCOMPARE(e->data, batch[1].data);
        QCOMPARE(store->summary().lastPosition.value, 10);

        const auto rejected = [&](std::vector<RecordedEvent> bad) {
            QVERIFY_THROWS_EXCEPTION(InvalidInput, store->importRecorded(bad));
            QCOMPARE(store->summary().events, 3);
            QCOMPARE(store->summary().lastPosition.value, 10);
        };
        rejected({recorded(11, "c-1", 1), recorded(10, "c-1", 2)}); // disorder
        rejected({recorded(10, "c-1", 1)});                         // not after the last position
        rejected({recorded(11, "c-1", 1), recorded(12, "a-1", 4)}); // version gap
        rejected({recorded(11, "a-1", 2)});                         // duplicate version
        QVERIFY(!store->streamInfo(sid("c-1")));
        QCOMPARE(spy.count(), 1);
        // After an import, appends continue after the last position.
        QCOMPARE(
            store->append(sid("a-1"), events(1), ExpectedVersion::exact(Version(2))).firstPosition.value, 11);
    }

    void appendedSignal_data() { addKinds(); }
    void appendedSignal()
    {
        auto store = makeStore();
        QSignalSpy spy(store.get(), &EventStore::appended);
        store->append(sid("a-1"), events(3), ExpectedVersion::any());
        store->appendMany({{sid("b-1"), ExpectedVersion::any(), events(1)},
            {sid("c-1"), ExpectedVersion::any(), events(2)}});
        QVERIFY_THROWS_EXCEPTION(
            WrongExpectedVersion, store->append(sid("a-1"), events(1), ExpectedVersion::noStream()));
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(0).at(0).value<Position>().value, 1);
        QCOMPARE(spy.at(0).at(1).value<Position>().value, 3);
        QCOMPARE(spy.at(1).at(0).value<Position>().value, 4);
        QCOMPARE(spy.at(1).at(1).value<Position>().value, 6);
    }

    void bytesComeBackIdentical_data() { addKinds(); }
    void bytesComeBackIdentical()
    {
        auto store = makeStore();
        const StreamId stream(QStringLiteral(u"Warenkorb-\u00fc\u6d41-\U0001F600"));
        const QString type = QStringLiteral(u"Artikel\u2713Hinzugef\u00fcgt");
        const QByteArray data
            = "{ \"big\": 123456789012345678901234567890, \"exact\": 0.1000000000000000055511151231257827,"
              " \"id\": 9007199254740993, \"text\": \"\xc3\xbcn\xc3\xaf \xf0\x9f\x98\x80\\u00e9\","
              " \"neg\": -0 }";
        const QByteArray metadata = "{\"correlationId\":\"c\xc3\xa9-1\",  \"n\": 12345678901234567890123}";
        store->append(stream, {makeEvent(type, data, 7, metadata)}, ExpectedVersion::noStream());
        for (const auto& e : {*store->readAt(Position(1)), store->readStream(stream, std::nullopt, 1).front(),
                 store->readAll(std::nullopt, 1, {}).front()}) {
            QCOMPARE(e.stream, stream);
            QCOMPARE(e.type, type);
            QCOMPARE(e.data, data);
            QCOMPARE(e.metadata, metadata);
        }
        QCOMPARE(store->streams().front().stream, stream);
        QCOMPARE(store->typeCounts().front().type, type);
        EventFilter byType;
        byType.types = QStringList {type};
        byType.streamPrefix = QStringLiteral(u"Warenkorb-\u00fc");
        QCOMPARE(store->readAll(std::nullopt, 10, byType).size(), std::size_t(1));
    }

    void hostileStreamId_data() { addKinds(); }
    void hostileStreamId()
    {
        auto store = makeStore();
        const StreamId evil(QStringLiteral("a'; DROP TABLE events; --\""));
        store->append(
            evil, events(2, QStringLiteral("'); DELETE FROM streams; --")), ExpectedVersion::noStream());
        store->append(sid("b-1"), events(1), ExpectedVersion::noStream());
        QCOMPARE(store->readStream(evil, std::nullopt, 10).size(), std::size_t(2));
        QCOMPARE(store->streamInfo(evil)->version.value, 2);
        QCOMPARE(store->streams(QStringLiteral("a'")).size(), std::size_t(1));
        EventFilter f;
        f.streamPrefix = QStringLiteral("a'; DROP");
        QCOMPARE(store->readAll(std::nullopt, 10, f).size(), std::size_t(2));
        QCOMPARE(store->summary().events, 3);
        QCOMPARE(store->summary().streams, 2);
    }

    // What a filter box's text asks for: "events:N", "events:A-B", "events:A..B", "events:A-"
    // anywhere among the words; anything else is the text to match, as typed.
    void filterTextCountsEvents_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("min"); // -1: none
        QTest::addColumn<qint64>("max");
        QTest::newRow("plain") << QStringLiteral("cart 1") << QStringLiteral("cart 1") << -1LL << -1LL;
        QTest::newRow("exact") << QStringLiteral("events:3") << QString() << 3LL << 3LL;
        QTest::newRow("range") << QStringLiteral("events:3-8") << QString() << 3LL << 8LL;
        QTest::newRow("text and range")
            << QStringLiteral("cart events:2-4") << QStringLiteral("cart") << 2LL << 4LL;
        QTest::newRow("dots") << QStringLiteral("EVENTS:3..8") << QString() << 3LL << 8LL;
        QTest::newRow("dash") << QStringLiteral("events:3\u20138") << QString() << 3LL << 8LL;
        QTest::newRow("at least") << QStringLiteral("events:5-") << QString() << 5LL << -1LL;
        QTest::newRow("with text") << QStringLiteral("cart-1* events:2") << QStringLiteral("cart-1*") << 2LL
                                   << 2LL;
        QTest::newRow("not a term") << QStringLiteral("events:x") << QStringLiteral("events:x") << -1LL
                                    << -1LL;
        QTest::newRow("too long") << QStringLiteral("events:1234567890123456")
                                  << QStringLiteral("events:1234567890123456") << -1LL << -1LL;
    }
    void filterTextCountsEvents()
    {
        QFETCH(QString, typed);
        QFETCH(QString, text);
        QFETCH(qint64, min);
        QFETCH(qint64, max);
        const StreamQuery q = StreamQuery::fromFilterText(typed);
        QCOMPARE(q.text, text);
        QCOMPARE(q.match, StreamQuery::matchFor(text));
        QCOMPARE(q.minEvents.value_or(-1), min);
        QCOMPARE(q.maxEvents.value_or(-1), max);
        if (min >= 0 && max >= 0) // what the charts write is read back
        {
            const StreamQuery again = StreamQuery::fromFilterText(StreamQuery::eventsTerm(min, max));
            QCOMPARE(again.minEvents, q.minEvents);
            QCOMPARE(again.maxEvents, q.maxEvents);
        }
        // The memory store (EventStore's default paging) keeps exactly the streams in the bounds.
        MemoryEventStore store;
        for (int n = 1; n <= 9; ++n) {
            std::vector<EventData> events(std::size_t(n), testing::makeEvent(QStringLiteral("T")));
            store.append(StreamId(QStringLiteral("cart-%1").arg(n)), events, ExpectedVersion::any());
        }
        const auto page = store.streamPage(q, std::nullopt, 100);
        qsizetype expected = 0; // cart-1 .. cart-9 with 1 .. 9 events, matched the plain way
        for (int n = 1; n <= 9; ++n) {
            StreamQuery text;
            text.text = q.text;
            text.match = q.match;
            StreamInfo info;
            info.stream = StreamId(QStringLiteral("cart-%1").arg(n));
            info.version = Version(n);
            info.events = n;
            const bool named = streamquery::matches(text, info);
            expected += named && (min < 0 || n >= min) && (max < 0 || n <= max) ? 1 : 0;
        }
        QCOMPARE(qsizetype(page.size()), expected);
        for (const auto& info : page) {
            QVERIFY(min < 0 || info.events >= min);
            QVERIFY(max < 0 || info.events <= max);
        }
    }
};

QTEST_GUILESS_MAIN(TestEventStore)
#include "tst_eventstore.moc"
