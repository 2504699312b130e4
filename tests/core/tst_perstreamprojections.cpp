// Per-stream projections (a state per stream, folded from the stream when asked): the engine that
// keeps one page of the read model agrees with the whole read model page by page, as of any
// position, in its steps, with a types filter and a list of streams; a failing stream faults the
// page it is on, and only that page.
#include "projections/perstreamprojection.h"
#include "projections/projectionengine.h"
#include "projections/projectionrunner.h"
#include "sample/sampledomain.h"
#include "store/memoryeventstore.h"
#include "store/storefactory.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using nlohmann::json;

#define QCOMPARE_JSON(actual, expected)                                                                      \
    QCOMPARE(QString::fromStdString(json(actual).dump()), QString::fromStdString(json(expected).dump()))

namespace {

ProjectionEngine::Options paged(qint64 rows)
{
    ProjectionEngine::Options o;
    o.pageSize = rows;
    o.batchSize = 97;
    return o;
}

/// The members of a whole read model from index `from`, at most n.
json slice(const json& whole, qint64 from, qint64 n)
{
    json out = json::object();
    qint64 i = 0;
    for (auto it = whole.begin(); it != whole.end(); ++it, ++i) {
        if (i >= from && i < from + n)
            out[it.key()] = it.value();
    }
    return out;
}

/// Counts the events of each stream of a category, of some types only, per stream.
class CountingProjection final : public PerStreamProjection {
public:
    explicit CountingProjection(ProjectionSource source)
        : m_source(std::move(source))
    {
    }
    QString name() const override { return QStringLiteral("counting"); }
    QString description() const override { return QStringLiteral("events per stream"); }
    ProjectionSource source() const override { return m_source; }
    json initialStreamState() const override { return json {{"n", 0}}; }
    void evolveStream(json& state, const RecordedEvent& e) const override
    {
        if (e.type == QLatin1String("Poison"))
            throw std::runtime_error("poisoned");
        state["n"] = state["n"].get<int>() + 1;
        state["last"] = e.type.toStdString();
    }

private:
    ProjectionSource m_source;
};

void add(EventStore& store, const QString& stream, const QString& type)
{
    EventData e;
    e.type = type;
    e.data = "{}";
    store.append(StreamId(stream), {e}, ExpectedVersion::any());
}

} // namespace

class TestPerStreamProjections : public QObject {
    Q_OBJECT

    MemoryEventStore m_shop;

private Q_SLOTS:
    void initTestCase() { sample::generate(m_shop, {3000, 5}); }

    void pagesTogetherAreTheWholeReadModel()
    {
        const auto carts = builtinProjection(QStringLiteral("cart-summaries"));
        ProjectionEngine whole(m_shop, carts);
        QVERIFY(whole.rebuild());
        const json all = whole.state();
        const qint64 cartCount = qint64(all.size());
        QVERIFY2(cartCount > 120, qPrintable(QString::number(cartCount)));

        ProjectionEngine engine(m_shop, carts, paged(50));
        QVERIFY(engine.isPaged());
        QVERIFY(engine.rebuild());
        QCOMPARE(engine.checkpoint(), m_shop.summary().lastPosition);
        QCOMPARE(engine.snapshotCount(), 0);
        json joined = json::object();
        qint64 offset = 0;
        std::vector<ReadModelPage> seen;
        while (true) {
            const ReadModelPage page = engine.page();
            QCOMPARE(page.offset, offset);
            QCOMPARE(page.total, cartCount);
            QCOMPARE(page.hasPrevious, offset > 0);
            const json rows = engine.state();
            QCOMPARE(qint64(rows.size()), page.rows);
            QCOMPARE_JSON(rows, slice(all, offset, 50));
            QCOMPARE(QString::fromStdString(rows.begin().key()), page.first);
            joined.update(rows);
            seen.push_back(page);
            offset += page.rows;
            if (!page.hasNext)
                break;
            engine.movePage(PageMove::Next);
        }
        QCOMPARE(offset, cartCount);
        QCOMPARE_JSON(joined, all);
        engine.movePage(PageMove::Next); // nothing after the last page
        QCOMPARE(engine.page(), seen.back());

        // Back page by page to the first, the same pages.
        for (auto it = seen.rbegin() + 1; it != seen.rend(); ++it) {
            engine.movePage(PageMove::Previous);
            QCOMPARE(engine.page().offset, it->offset);
            QCOMPARE(engine.page().first, it->first);
            QCOMPARE(engine.page().last, it->last);
            QCOMPARE_JSON(engine.state(), slice(all, it->offset, 50));
        }
        QVERIFY(!engine.page().hasPrevious);
        engine.movePage(PageMove::Next);
        engine.movePage(PageMove::Next);
        engine.movePage(PageMove::First);
        QCOMPARE(engine.page(), seen.front());
    }

    void aPageAsOfAPositionHoldsTheStreamsBegunByThen()
    {
        const auto carts = builtinProjection(QStringLiteral("cart-summaries"));
        ProjectionEngine whole(m_shop, carts);
        QVERIFY(whole.rebuild());
        ProjectionEngine engine(m_shop, carts, paged(40));
        QVERIFY(engine.rebuild());
        const qint64 last = m_shop.summary().lastPosition.value;
        for (const qint64 p : {qint64(0), qint64(1), qint64(37), last / 3, last / 2, last - 1, last}) {
            const json expected = whole.stateAsOf(Position(p));
            const json rows = engine.stateAsOf(Position(p));
            QCOMPARE_JSON(rows, slice(expected, 0, 40));
            QCOMPARE(engine.pageAsOf().rows, qint64(rows.size()));
            QCOMPARE(engine.pageAsOf().hasNext, expected.size() > 40);
            QCOMPARE(engine.pageAsOf().total, p == last ? qint64(expected.size()) : qint64(-1));
        }
        // On the second page, as of a position: the rows after the first page's last stream.
        engine.movePage(PageMove::Next);
        const QString after = engine.page().first;
        const json expected = whole.stateAsOf(Position(last / 2));
        json want = json::object();
        for (auto it = expected.begin(); it != expected.end() && want.size() < 40; ++it) {
            if (QString::fromStdString(it.key()).toUtf8() >= after.toUtf8())
                want[it.key()] = it.value();
        }
        QCOMPARE_JSON(engine.stateAsOf(Position(last / 2)), want);
        QVERIFY_THROWS_EXCEPTION(InvalidInput, engine.stateAsOf(Position(last + 1)));
    }

    void stepsShowEachStreamsStateBeforeAndAfter()
    {
        const auto carts = builtinProjection(QStringLiteral("cart-summaries"));
        ProjectionEngine whole(m_shop, carts);
        QVERIFY(whole.rebuild());
        ProjectionEngine engine(m_shop, carts, paged(10));
        QVERIFY(engine.rebuild());
        const auto steps = engine.steps(Position(500), Position(900), 60);
        QCOMPARE(qint64(steps.size()), 60);
        for (const auto& step : steps) {
            QVERIFY(step.error.isEmpty());
            QCOMPARE(step.stream.category(), QStringLiteral("cart"));
            const auto id = step.stream.toString().toStdString();
            const json before = whole.stateAsOf(Position(step.position.value - 1));
            const json after = whole.stateAsOf(step.position);
            const json wantBefore = before.contains(id) ? json {{id, before[id]}} : json::object();
            QCOMPARE_JSON(step.before, wantBefore);
            QCOMPARE_JSON(step.after, (json {{id, after[id]}}));
        }
    }

    void aTypesFilterAndAListOfStreamsAreHonoured()
    {
        MemoryEventStore store;
        for (int i = 0; i < 30; ++i) {
            const QString id = QStringLiteral("thing-%1").arg(i, 2, 10, QLatin1Char('0'));
            add(store, id, i % 3 == 0 ? QStringLiteral("Other") : QStringLiteral("Made"));
            add(store, id, QStringLiteral("Touched"));
            add(store, QStringLiteral("noise-%1").arg(i), QStringLiteral("Made"));
        }
        auto source = ProjectionSource::fromCategory(QStringLiteral("thing"));
        source.types = {QStringLiteral("Made")};
        const auto made = std::make_shared<CountingProjection>(source);
        ProjectionEngine whole(store, made);
        QVERIFY(whole.rebuild());
        QCOMPARE(whole.state().size(), std::size_t(20)); // a stream with no "Made" has no row
        ProjectionEngine engine(store, made, paged(7));
        QVERIFY(engine.rebuild());
        QCOMPARE(engine.page().total, -1); // not known without reading every stream
        json joined = json::object();
        while (true) {
            joined.update(engine.state());
            if (!engine.page().hasNext)
                break;
            engine.movePage(PageMove::Next);
        }
        QCOMPARE_JSON(joined, whole.state());

        const QStringList listed {QStringLiteral("thing-05"), QStringLiteral("thing-01"),
            QStringLiteral("missing"), QStringLiteral("thing-29")};
        const auto some = std::make_shared<CountingProjection>(ProjectionSource::fromStreams(listed));
        ProjectionEngine wholeSome(store, some);
        QVERIFY(wholeSome.rebuild());
        ProjectionEngine pagedSome(store, some, paged(2));
        QVERIFY(pagedSome.rebuild());
        QCOMPARE(pagedSome.page().rows, 2);
        QCOMPARE(pagedSome.page().first, QStringLiteral("thing-01"));
        QVERIFY(pagedSome.page().hasNext);
        json both = pagedSome.state();
        pagedSome.movePage(PageMove::Next);
        QCOMPARE(pagedSome.page().rows, 1);
        QVERIFY(!pagedSome.page().hasNext);
        both.update(pagedSome.state());
        QCOMPARE_JSON(both, wholeSome.state());
    }

    void aFailingStreamFaultsOnlyItsPage()
    {
        MemoryEventStore store;
        for (int i = 0; i < 12; ++i)
            add(store, QStringLiteral("thing-%1").arg(i, 2, 10, QLatin1Char('0')), QStringLiteral("Made"));
        add(store, QStringLiteral("thing-10"), QStringLiteral("Poison"));
        const auto counting
            = std::make_shared<CountingProjection>(ProjectionSource::fromCategory(QStringLiteral("thing")));
        ProjectionEngine engine(store, counting, paged(5));
        QVERIFY(engine.rebuild());
        QCOMPARE(engine.status(), ProjectionStatus::Stopped);
        QVERIFY(!engine.fault());
        engine.movePage(PageMove::Next);
        engine.movePage(PageMove::Next); // thing-10 and thing-11: the poisoned stream
        QVERIFY(engine.fault());
        QCOMPARE(engine.fault()->stream.toString(), QStringLiteral("thing-10"));
        QCOMPARE(engine.fault()->position, Position(13));
        QCOMPARE(engine.fault()->reason, QStringLiteral("poisoned"));
        QCOMPARE(engine.status(), ProjectionStatus::Faulted);
        // As of a position before the poison, the page folds.
        QCOMPARE(engine.stateAsOf(Position(12)).size(), std::size_t(2));
        engine.movePage(PageMove::First);
        QVERIFY(!engine.fault());
        QCOMPARE(engine.state().size(), std::size_t(5));
        // New events are folded into the page on catch-up.
        add(store, QStringLiteral("thing-00"), QStringLiteral("Made"));
        QVERIFY(engine.catchUp());
        QCOMPARE(engine.state()["thing-00"]["n"].get<int>(), 2);
        QCOMPARE(engine.checkpoint(), Position(14));
    }

    void aSqliteStorePagesFromItsStreamIndex()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("shop.chronoscope"));
        {
            OpenOptions create;
            create.create = true;
            auto store = openStore(path, create);
            sample::generate(*store, {1500, 8});
        }
        OpenOptions readOnly;
        readOnly.readOnly = true;
        auto store = openStore(path, readOnly);
        const auto carts = builtinProjection(QStringLiteral("cart-summaries"));
        ProjectionEngine whole(*store, carts);
        QVERIFY(whole.rebuild());
        ProjectionEngine engine(*store, carts, paged(25));
        QVERIFY(engine.rebuild());
        QCOMPARE(engine.page().total, qint64(whole.state().size()));
        json joined = json::object();
        while (true) {
            joined.update(engine.state());
            if (!engine.page().hasNext)
                break;
            engine.movePage(PageMove::Next);
        }
        QCOMPARE_JSON(joined, whole.state());
    }

    void theRunnerMovesPagesOnItsThread()
    {
        const auto carts = builtinProjection(QStringLiteral("cart-summaries"));
        ProjectionRunner runner(m_shop, carts, paged(30));
        QSignalSpy updated(&runner, &ProjectionRunner::updated);
        runner.start();
        QTRY_VERIFY_WITH_TIMEOUT(
            !updated.isEmpty(), 10000); // recorded in the worker thread: maybe before a wait
        auto report = updated.takeFirst().at(0).value<ProjectionReport>();
        QVERIFY(report.page);
        QCOMPARE(report.page->offset, 0);
        QCOMPARE(report.page->rows, 30);
        runner.requestPage(PageMove::Next);
        QTRY_VERIFY_WITH_TIMEOUT(
            !updated.isEmpty(), 10000); // recorded in the worker thread: maybe before a wait
        report = updated.takeFirst().at(0).value<ProjectionReport>();
        QCOMPARE(report.page->offset, 30);
        QCOMPARE(qint64(report.state->size()), 30);
        QSignalSpy answered(&runner, &ProjectionRunner::stateAtReady);
        runner.requestStateAsOf(Position(200));
        QTRY_VERIFY_WITH_TIMEOUT(!answered.isEmpty(), 10000);
        const auto result = answered.takeFirst().at(0).value<ProjectionQueryResult>();
        QVERIFY(result.error.isEmpty());
        QVERIFY(result.page);
        QCOMPARE(result.page->offset, 30);
    }
};

QTEST_GUILESS_MAIN(TestPerStreamProjections)
#include "tst_perstreamprojections.moc"
