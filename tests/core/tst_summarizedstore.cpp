// The summary of a foreign store's streams (SummarizedEventStore): built off the calling thread
// from the Emmett fixture, it lists what the store's own (counting) queries list; it is cached
// outside the store, used again when it still matches the store and built again when it does not;
// events another program appends are counted; the store's file is never written.
#include "store/foreigneventstore.h"
#include "store/memoryeventstore.h"
#include "store/storefactory.h"
#include "store/summarizedeventstore.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;

namespace {

QString fixture()
{
    return QStringLiteral(CHRONOSCOPE_SHARED_DIR "/fixtures/emmett-sqlite/emmett-store.sqlite");
}

QByteArray sha256(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
                                       : QByteArray();
}

std::unique_ptr<ForeignEventStore> openForeign(const QString& path)
{
    OpenOptions readOnly;
    readOnly.readOnly = true;
    auto store = openStore(path, readOnly);
    return takeForeign(store);
}

bool same(const StreamInfo& a, const StreamInfo& b)
{
    return a.stream == b.stream && a.version == b.version && a.events == b.events
        && a.firstPosition == b.firstPosition && a.lastPosition == b.lastPosition
        && a.firstTimestampMs == b.firstTimestampMs && a.lastTimestampMs == b.lastTimestampMs;
}

bool waitReady(SummarizedEventStore& store)
{
    QSignalSpy ready(&store, &SummarizedEventStore::summaryReady);
    store.start();
    return store.isReady() || ready.wait(20000);
}

void append(MemoryEventStore& store, const char* stream, int n)
{
    EventData e;
    e.type = QStringLiteral("T");
    e.data = "{}";
    store.append(StreamId(QString::fromLatin1(stream)), std::vector<EventData>(std::size_t(n), e),
        ExpectedVersion::any());
}

/// A foreign store over a memory store that the test appends to as another program would.
class ForeignOver final : public ForeignEventStore {
public:
    explicit ForeignOver(std::shared_ptr<MemoryEventStore> events)
        : m_events(std::move(events))
    {
    }
    std::vector<RecordedEvent> readStream(const StreamId& stream, std::optional<Version> from,
        qint64 maxCount, Direction direction) const override
    {
        return m_events->readStream(stream, from, maxCount, direction);
    }
    std::vector<RecordedEvent> readAll(std::optional<Position> from, qint64 maxCount,
        const EventFilter& filter, Direction direction) const override
    {
        return m_events->readAll(from, maxCount, filter, direction);
    }
    std::optional<RecordedEvent> readAt(Position position) const override
    {
        return m_events->readAt(position);
    }
    std::vector<StreamInfo> streams(const QString& prefix) const override
    {
        return m_events->streams(prefix);
    }
    std::optional<StreamInfo> streamInfo(const StreamId& stream) const override
    {
        return m_events->streamInfo(stream);
    }
    StoreSummary summary() const override { return m_events->summary(); }
    std::vector<TypeCount> typeCounts() const override { return m_events->typeCounts(); }
    StoreSummary identity() const override
    {
        StoreSummary s;
        s.format = QStringLiteral("test-foreign");
        s.location = QStringLiteral("memory:%1").arg(quintptr(m_events.get()));
        s.readOnly = true;
        return s;
    }

protected:
    QString refusal() const override { return QStringLiteral("a foreign store: nothing was written"); }

private:
    std::shared_ptr<MemoryEventStore> m_events;
};

} // namespace

class TestSummarizedStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFile::exists(fixture())) {
            if (qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL(qPrintable(QStringLiteral("fixture missing under CI: %1").arg(fixture())));
            QSKIP("the Emmett fixture is not there");
        }
    }

    void listsWhatTheStoreCounts()
    {
        const QByteArray before = sha256(fixture());
        const auto direct = openForeign(fixture());
        QVERIFY(direct);
        SummarizedEventStore store(openForeign(fixture()), m_dir.filePath(QStringLiteral("cache-a")));
        // Before the summary: nothing listed, the end known by one read.
        QVERIFY(!store.isReady());
        QVERIFY(store.streams().empty());
        QVERIFY(store.categories().empty());
        QCOMPARE(store.summary().format, QStringLiteral("emmett-sqlite"));
        QCOMPARE(store.summary().lastPosition, direct->summary().lastPosition);
        QSignalSpy progress(&store, &SummarizedEventStore::summaryProgress);
        QSignalSpy changed(&store, &EventStore::changedElsewhere);
        QVERIFY(waitReady(store));
        QCOMPARE(store.origin(), QStringLiteral("built"));
        QVERIFY(!progress.isEmpty());
        QTRY_COMPARE(changed.size(), 1); // views read the lists again
        QCOMPARE(changed.first().at(0).value<Position>(), direct->summary().lastPosition);

        const auto expected = direct->streams();
        const auto got = store.streams();
        QCOMPARE(got.size(), expected.size());
        QVERIFY(expected.size() > 10);
        for (std::size_t i = 0; i < got.size(); ++i)
            QVERIFY2(same(got[i], expected[i]), qPrintable(got[i].stream.toString()));
        QCOMPARE(store.categories(), direct->categories());
        const auto summary = store.summary();
        QCOMPARE(summary.events, direct->summary().events);
        QCOMPARE(summary.streams, direct->summary().streams);
        QVERIFY(summary.readOnly);
        const auto types = store.typeCounts();
        const auto wantTypes = direct->typeCounts();
        QCOMPARE(types.size(), wantTypes.size());
        for (std::size_t i = 0; i < types.size(); ++i) {
            QCOMPARE(types[i].type, wantTypes[i].type);
            QCOMPARE(types[i].events, wantTypes[i].events);
        }
        const auto prefix = store.streams(QStringLiteral("inventory"));
        QCOMPARE(prefix.size(), direct->streams(QStringLiteral("inventory")).size());
        QVERIFY(!prefix.empty());
        StreamQuery query;
        query.category = QStringLiteral("shopping_cart");
        query.sort = StreamQuery::Sort::Events;
        query.descending = true;
        const auto page = store.streamPage(query, std::nullopt, 7);
        const auto wantPage = direct->streamPage(query, std::nullopt, 7);
        QCOMPARE(page.size(), wantPage.size());
        for (std::size_t i = 0; i < page.size(); ++i)
            QVERIFY(same(page[i], wantPage[i]));
        QVERIFY(same(*store.streamInfo(expected[3].stream), expected[3]));
        QVERIFY(!store.streamInfo(StreamId(QStringLiteral("no-such-stream"))));
        // Kept outside the store, which is unchanged.
        QVERIFY(store.cacheFile().startsWith(m_dir.filePath(QStringLiteral("cache-a"))));
        QVERIFY(QFile::exists(store.cacheFile()));
        QCOMPARE(sha256(fixture()), before);
    }

    void theCacheIsUsedWhileItMatchesTheStore()
    {
        const QString cacheDir = m_dir.filePath(QStringLiteral("cache-b"));
        QString cacheFile;
        std::vector<StreamInfo> first;
        {
            SummarizedEventStore store(openForeign(fixture()), cacheDir);
            QVERIFY(waitReady(store));
            QCOMPARE(store.origin(), QStringLiteral("built"));
            cacheFile = store.cacheFile();
            first = store.streams();
        }
        {
            SummarizedEventStore again(openForeign(fixture()), cacheDir);
            QVERIFY(waitReady(again));
            QCOMPARE(again.origin(), QStringLiteral("cached"));
            QCOMPARE(again.streams().size(), first.size());
        }
        // A cache whose last stream no longer matches the event at its position: built again.
        QFile f(cacheFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto cache = nlohmann::json::parse(f.readAll().toStdString());
        f.close();
        for (auto& row : cache["streams"])
            row[1] = row[1].get<qint64>() + 100; // every version off
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QByteArray::fromStdString(cache.dump()));
        f.close();
        {
            SummarizedEventStore changed(openForeign(fixture()), cacheDir);
            QVERIFY(waitReady(changed));
            QCOMPARE(changed.origin(), QStringLiteral("rebuilt"));
            const auto streams = changed.streams();
            QCOMPARE(streams.size(), first.size());
            for (std::size_t i = 0; i < streams.size(); ++i)
                QVERIFY(same(streams[i], first[i]));
        }
        // A damaged cache: built again.
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{\"format\":1,\"streams\":[[");
        f.close();
        SummarizedEventStore damaged(openForeign(fixture()), cacheDir);
        QVERIFY(waitReady(damaged));
        QCOMPARE(damaged.origin(), QStringLiteral("built"));
        QCOMPARE(damaged.streams().size(), first.size());
    }

    void eventsAppendedElsewhereAreCounted()
    {
        // "Another program" appends to the store under a foreign one (the Emmett SQLite file is
        // opened immutable, so a PostgreSQL one would do this in real life): the summary counts the
        // new events when the follower says so, before any view reads the lists.
        auto shared = std::make_shared<MemoryEventStore>();
        append(*shared, "b-1", 3);
        append(*shared, "a-1", 2);
        SummarizedEventStore store(
            std::make_unique<ForeignOver>(shared), m_dir.filePath(QStringLiteral("cache-c")));
        QVERIFY(waitReady(store));
        QCOMPARE(store.summary().events, 5);
        append(*shared, "a-1", 1);
        append(*shared, "zeta-1", 2);
        QVERIFY(store.streamInfo(StreamId(QStringLiteral("zeta-1"))) == std::nullopt); // not told yet
        std::vector<std::size_t> seenByAView;
        connect(&store, &EventStore::changedElsewhere, this,
            [&] { seenByAView.push_back(store.streams().size()); });
        Q_EMIT store.changedElsewhere(Position(8)); // what the StoreFollower does
        QCOMPARE(seenByAView, std::vector<std::size_t> {3});
        QCOMPARE(store.summary().lastPosition, Position(8));
        QCOMPARE(store.summary().events, 8);
        QCOMPARE(store.summary().streams, 3);
        QCOMPARE(store.streamInfo(StreamId(QStringLiteral("zeta-1")))->events, 2);
        QCOMPARE(store.streamInfo(StreamId(QStringLiteral("a-1")))->version, Version(3));
        const auto want = shared->streams(QString());
        const auto got = store.streams();
        QCOMPARE(got.size(), want.size());
        for (std::size_t i = 0; i < got.size(); ++i)
            QVERIFY2(same(got[i], want[i]), qPrintable(got[i].stream.toString()));
        // Writes are refused by the foreign store, as ever.
        QVERIFY_THROWS_EXCEPTION(
            ReadOnlyError, store.append(StreamId(QStringLiteral("a-1")), {}, ExpectedVersion::any()));
    }

    void extendingEqualsBuildingFromScratch()
    {
        MemoryEventStore store;
        const auto add = [&store](const char* stream, int n) { append(store, stream, n); };
        add("b-1", 3);
        add("a-1", 2);
        StreamSummaryData grown;
        QVERIFY(SummarizedEventStore::extend(store, grown, store.summary().lastPosition));
        add("c-1", 1);
        add("a-1", 4);
        add("a-0", 1);
        add("\u00e9-1", 2);
        QVERIFY(SummarizedEventStore::extend(store, grown, store.summary().lastPosition));
        StreamSummaryData scratch;
        QVERIFY(SummarizedEventStore::extend(store, scratch, store.summary().lastPosition));
        const auto want = store.streams(QString());
        QCOMPARE(grown.streams.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            QVERIFY2(same(grown.streams[i], want[i]), qPrintable(want[i].stream.toString()));
            QVERIFY(same(scratch.streams[i], want[i]));
        }
        QCOMPARE(grown.events, 13);
        QCOMPARE(grown.typeCounts[QStringLiteral("T")], 13);
        // Cancelled by progress: stops, and says so.
        StreamSummaryData cancelled;
        QVERIFY(!SummarizedEventStore::extend(store, cancelled, Position(13), [](qint64, qint64) {
            return false;
        }) || cancelled.lastPosition == Position(13)); // one page holds all 13: nothing left to cancel
    }

    void aCancelledSummaryListsNothing()
    {
        SummarizedEventStore store(openForeign(fixture()), m_dir.filePath(QStringLiteral("cache-d")));
        QSignalSpy failed(&store, &SummarizedEventStore::summaryFailed);
        store.cancel();
        store.start();
        QVERIFY(failed.wait(20000));
        QVERIFY(failed.first().at(0).toString().contains(QLatin1String("cancelled")));
        QVERIFY(!store.isReady());
        QVERIFY(store.streams().empty());
    }
};

QTEST_GUILESS_MAIN(TestSummarizedStore)
#include "tst_summarizedstore.moc"
