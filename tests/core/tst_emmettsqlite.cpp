// Reads the store Emmett's SQLite event store wrote (../shared/fixtures/emmett-sqlite) and
// checks it against what the library itself read back (expected.json): totals, streams,
// every event in global order, and — with Emmett's own evolve.js — every listed state.
#include "replay/jsreducer.h"
#include "store/sqlite/emmettsqlitestore.h"
#include "timetravel/timetravel.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>
#include <thread>

using namespace chronoscope;
using nlohmann::json;

namespace {

QString fixtureDir()
{
    return QStringLiteral(CHRONOSCOPE_SHARED_DIR "/fixtures/emmett-sqlite");
}

QByteArray sha256(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

json readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const auto bytes = f.readAll();
    return json::parse(bytes.constBegin(), bytes.constEnd());
}

qint64 toInt(const json& v)
{
    return v.is_string() ? std::stoll(v.get<std::string>()) : v.get<qint64>();
}

} // namespace

class TestEmmettSqlite : public QObject {
    Q_OBJECT
    QString m_store;
    json m_expected;
    QString m_evolve;

private Q_SLOTS:
    void initTestCase()
    {
        m_store = fixtureDir() + QStringLiteral("/emmett-store.sqlite");
        if (!QFile::exists(m_store)) {
            if (qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL(qPrintable(QStringLiteral("fixture missing under CI: %1").arg(m_store)));
            QSKIP(qPrintable(QStringLiteral("no ../shared fixtures beside the project (%1)").arg(m_store)));
        }
        m_expected = readJson(fixtureDir() + QStringLiteral("/expected.json"));
        QFile f(fixtureDir() + QStringLiteral("/evolve.js"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_evolve = QString::fromUtf8(f.readAll());
    }

    void opensWithoutChangingAnything()
    {
        // A copy in a writable folder shows whether anything would be created beside it.
        QTemporaryDir dir;
        const auto copy = dir.filePath(QStringLiteral("store.sqlite"));
        QVERIFY(QFile::copy(m_store, copy));
        const auto before = sha256(copy);
        const auto listing
            = QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
        {
            EmmettSqliteStore store(copy);
            QCOMPARE(store.summary().events, 577);
            QVERIFY(store.isReadOnly());
            QCOMPARE(
                store.readStream(StreamId(QStringLiteral("system")), std::nullopt, 100).size(), size_t(12));
            QCOMPARE(
                QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), listing);
            try {
                EventData e {QStringLiteral("Hacked"), "{}", {}, {}, 1, {}};
                store.append(StreamId(QStringLiteral("system")), {e}, ExpectedVersion::any());
                QFAIL("a write to a foreign store was not refused");
            } catch (const ReadOnlyError& e) {
                QVERIFY(e.message().contains(QLatin1String("read-only")));
            }
        }
        QCOMPARE(sha256(copy), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), listing);
    }

    // Read from other threads (the window's pool) and closed on this one: no Qt Sql warning
    // ("requested database does not belong to the calling thread" was printed ten times).
    void readFromOtherThreadsClosesQuietly()
    {
        static QStringList warnings;
        warnings.clear();
        const QtMessageHandler previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext&, const QString& text) { warnings << text; });
        {
            auto store = std::make_unique<EmmettSqliteStore>(m_store);
            std::vector<std::thread> readers;
            std::atomic<int> read {0};
            for (int i = 0; i < 3; ++i)
                readers.emplace_back([&] { read += int(store->readAll(std::nullopt, 50).size()); });
            for (auto& reader : readers)
                reader.join();
            QCOMPARE(read.load(), 150);
        }
        qInstallMessageHandler(previous);
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }

    void notAnEmmettStore()
    {
        QTemporaryDir dir;
        const auto text = dir.filePath(QStringLiteral("notes.txt"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello\n");
        f.close();
        QVERIFY(!EmmettSqliteStore::looksLikeEmmett(text));
        QVERIFY_THROWS_EXCEPTION(OpenError, EmmettSqliteStore {text});
        QVERIFY_THROWS_EXCEPTION(
            OpenError, EmmettSqliteStore {dir.filePath(QStringLiteral("missing.sqlite"))});
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("missing.sqlite"))));
    }

    void totalsStreamsAndTypesMatch()
    {
        EmmettSqliteStore store(m_store);
        const auto& totals = m_expected["totals"];
        const auto summary = store.summary();
        QCOMPARE(summary.format, QStringLiteral("emmett-sqlite"));
        QCOMPARE(summary.events, totals["totalEvents"].get<qint64>());
        QCOMPARE(summary.streams, totals["streamCount"].get<qint64>());
        QCOMPARE(summary.lastPosition.value, totals["maxGlobalPosition"].get<qint64>());
        std::map<std::string, qint64> types;
        for (const auto& t : store.typeCounts())
            types[t.type.toStdString()] = t.events;
        QVERIFY(json(types) == totals["eventTypeCounts"]);

        const auto streams = store.streams();
        QCOMPARE(qint64(streams.size()), totals["streamCount"].get<qint64>());
        for (const auto& info : streams) {
            const auto& e = m_expected["streams"][info.stream.toString().toStdString()];
            QVERIFY2(!e.is_null(), qPrintable(info.stream.toString()));
            QCOMPARE(info.events, e["eventCount"].get<qint64>());
            QCOMPARE(info.version.value, toInt(e["currentStreamVersion"]));
            std::vector<qint64> versions, positions;
            std::vector<std::string> types;
            for (const auto& ev : store.readStream(info.stream, std::nullopt, 100000)) {
                versions.push_back(ev.version.value);
                positions.push_back(ev.position.value);
                types.push_back(ev.type.toStdString());
            }
            QVERIFY(json(versions) == e["streamPositions"]);
            QVERIFY(json(positions) == e["globalPositions"]);
            QVERIFY(json(types) == e["eventTypes"]);
        }
    }

    void everyEventInGlobalOrder()
    {
        EmmettSqliteStore store(m_store);
        const auto events = store.readAll(std::nullopt, 100000);
        const auto& order = m_expected["globalOrder"];
        QCOMPARE(events.size(), order.size());
        for (std::size_t i = 0; i < events.size(); ++i) {
            const auto& row = order[i];
            QCOMPARE(events[i].position.value, toInt(row[0]));
            QCOMPARE(events[i].stream.toString().toStdString(), row[1].get<std::string>());
            QCOMPARE(events[i].version.value, toInt(row[2]));
            QCOMPARE(events[i].type.toStdString(), row[3].get<std::string>());
            QCOMPARE(events[i].id.toString(QUuid::WithoutBraces).toStdString(), row[4].get<std::string>());
            QVERIFY(events[i].timestampMs > 0);
            events[i].dataJson(); // every payload parses
        }
        // Backward reads and the type filter agree with the forward read.
        EventFilter deposits;
        deposits.types = {QStringLiteral("Deposited")};
        QCOMPARE(qint64(store.readAll(std::nullopt, 100000, deposits).size()),
            m_expected["totals"]["eventTypeCounts"]["Deposited"].get<qint64>());
        const auto last = store.readAll(std::nullopt, 1, {}, Direction::Backward);
        QCOMPARE(last.front().position.value, 577);
        QCOMPARE(store.readAt(Position(42))->position.value, 42);
    }

    void everyListedStateWithEmmettsOwnReducers()
    {
        EmmettSqliteStore store(m_store);
        std::map<std::string, std::shared_ptr<JsReducer>> reducers;
        int checked = 0;
        for (const auto& s : m_expected["states"]) {
            const auto name = s["reducer"].get<std::string>();
            auto& reducer = reducers[name];
            if (!reducer) {
                // The wrapping a user would write: pick one of the file's reducers.
                const QString wrapper = m_evolve // a QString, not a builder holding a temporary
                    + QStringLiteral(
                        "\nvar picked = EmmettHoldoutReducers.reducers['%1'];\n"
                        "function initialState() { return picked.initialState(); }\n"
                        "function evolve(state, event) { return picked.evolve(state, event); }\n")
                          .arg(QString::fromStdString(name));
                reducer = JsReducer::fromSource(wrapper, QStringLiteral("evolve.js"));
            }
            const StreamId stream(QString::fromStdString(s["stream"].get<std::string>()));
            TimeTravel tt(store, reducer, stream);
            // Emmett reads "to N" past the end as "everything"; Chronoscope asks for a real version.
            const qint64 at = s["atVersion"].is_string()
                ? tt.lastVersion().value
                : std::min<qint64>(s["atVersion"].get<qint64>(), tt.lastVersion().value);
            const auto state = tt.stateAt(Version(at));
            QVERIFY2(state == s["state"],
                qPrintable(QStringLiteral("%1 at %2:\n got      %3\n expected %4")
                               .arg(stream.toString())
                               .arg(at)
                               .arg(QString::fromStdString(state.dump()),
                                   QString::fromStdString(s["state"].dump()))));
            ++checked;
        }
        QCOMPARE(checked, int(m_expected["states"].size()));
    }
};

QTEST_GUILESS_MAIN(TestEmmettSqlite)
#include "tst_emmettsqlite.moc"
