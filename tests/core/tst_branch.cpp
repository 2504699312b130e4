// Branches: fork a stream, append hypothetical events, compare — the store is never touched.
#include "replay/reducer.h"
#include "store/memoryeventstore.h"
#include "support/testsupport.h"
#include "timetravel/branch.h"
#include "timetravel/timetravel.h"

#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using nlohmann::json;

namespace {
EventData makeEvent(const char* type, const json& data)
{
    return chronoscope::testing::jsonEvent(type, data);
}

/// Sums "n" over the stream's events.
class SumReducer final : public Reducer {
public:
    QString name() const override { return QStringLiteral("sum"); }
    json initialState(const StreamId&) const override { return json {{"sum", 0}}; }
    json evolve(json s, const RecordedEvent& e) const override
    {
        s["sum"] = s["sum"].get<int>() + e.dataJson().value("n", 0);
        s["last"] = e.type.toStdString();
        return s;
    }
};

void fill(MemoryEventStore& store)
{
    std::vector<EventData> events;
    for (int i = 1; i <= 10; ++i)
        events.push_back(makeEvent("Added", {{"n", i}}));
    store.append(StreamId(QStringLiteral("acc-1")), events, ExpectedVersion::noStream());
    store.append(
        StreamId(QStringLiteral("acc-2")), {makeEvent("Added", {{"n", 100}})}, ExpectedVersion::noStream());
}
} // namespace

class TestBranch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void forkAppendAndCompare()
    {
        MemoryEventStore store;
        fill(store);
        const StreamId s(QStringLiteral("acc-1"));
        BranchStore branch(store, s, Version(4));
        QCOMPARE(branch.streamInfo(s)->version.value, 4);
        const auto result
            = branch.append(s, {makeEvent("Added", {{"n", 1000}}), makeEvent("Bonus", {{"n", 5}})},
                ExpectedVersion::exact(Version(4)));
        QCOMPARE(result.version.value, 6);
        QVERIFY(result.firstPosition.value > store.summary().lastPosition.value);

        auto reducer = std::make_shared<SumReducer>();
        TimeTravel main(store, reducer, s);
        TimeTravel hypothetical(branch, reducer, s);
        QCOMPARE(hypothetical.lastVersion().value, 6);
        // Up to the fork both lines agree, after it they differ.
        for (qint64 v = 0; v <= 4; ++v)
            QVERIFY(main.stateAt(Version(v)) == hypothetical.stateAt(Version(v)));
        QCOMPARE(hypothetical.stateAt(Version(6))["sum"].get<int>(), 1 + 2 + 3 + 4 + 1000 + 5);
        QCOMPARE(main.stateAt(Version(6))["sum"].get<int>(), 21);
        const auto patch = json::diff(main.stateAt(Version(6)), hypothetical.stateAt(Version(6)));
        QVERIFY(!patch.empty());

        // The store underneath is untouched.
        QCOMPARE(store.summary().events, 11);
        QCOMPARE(store.streamInfo(s)->version.value, 10);
        // Other streams read through; writes to them are refused.
        QCOMPARE(branch.readStream(StreamId(QStringLiteral("acc-2")), std::nullopt, 10).size(), size_t(1));
        QVERIFY_THROWS_EXCEPTION(ReadOnlyError,
            branch.append(
                StreamId(QStringLiteral("acc-2")), {makeEvent("Added", {{"n", 1}})}, ExpectedVersion::any()));
    }

    void expectedVersionsHoldOnTheBranch()
    {
        MemoryEventStore store;
        fill(store);
        const StreamId s(QStringLiteral("acc-1"));
        BranchStore branch(store, s, Version(10));
        try {
            branch.append(s, {makeEvent("Added", {{"n", 1}})}, ExpectedVersion::exact(Version(4)));
            QFAIL("no conflict");
        } catch (const WrongExpectedVersion& e) {
            QCOMPARE(e.actual().value, 10);
        }
        QVERIFY_THROWS_EXCEPTION(
            InvalidInput, branch.append(s, {makeEvent("", {{"n", 1}})}, ExpectedVersion::any()));
        QCOMPARE(branch.branchEvents().size(), size_t(0));
    }

    void badForkPoints()
    {
        MemoryEventStore store;
        fill(store);
        QVERIFY_THROWS_EXCEPTION(
            InvalidInput, BranchStore(store, StreamId(QStringLiteral("acc-1")), Version(11)));
        QVERIFY_THROWS_EXCEPTION(
            InvalidInput, BranchStore(store, StreamId(QStringLiteral("acc-1")), Version(-1)));
        // Forking at 0 starts a stream from nothing.
        BranchStore fresh(store, StreamId(QStringLiteral("acc-1")), Version(0));
        QVERIFY(!fresh.streamInfo(StreamId(QStringLiteral("acc-1"))));
    }

    void savedBesideTheStoreAndLoadedBack()
    {
        MemoryEventStore store;
        fill(store);
        const StreamId s(QStringLiteral("acc-1"));
        QTemporaryDir dir;
        const auto path = dir.filePath(QStringLiteral("what-if.branch.json"));
        {
            BranchStore branch(store, s, Version(7), QStringLiteral("refund first"));
            branch.append(
                s, {makeEvent("Refunded", {{"n", -50}, {"note", "zażółć 💸"}})}, ExpectedVersion::any());
            branch.save(path);
        }
        auto loaded = BranchStore::load(store, path);
        QCOMPARE(loaded->name(), QStringLiteral("refund first"));
        QCOMPARE(loaded->forkAt().value, 7);
        const auto events = loaded->branchEvents();
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events[0].version.value, 8);
        QCOMPARE(events[0].dataJson()["note"].get<std::string>(), std::string("zażółć 💸"));

        QFile broken(dir.filePath(QStringLiteral("broken.json")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"stream\": 3}");
        broken.close();
        QVERIFY_THROWS_EXCEPTION(InvalidInput, BranchStore::load(store, broken.fileName()));
    }
};

QTEST_GUILESS_MAIN(TestBranch)
#include "tst_branch.moc"
