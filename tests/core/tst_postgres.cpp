// PostgreSQL: the native store on a real server (the EventStore contract, two processes racing
// on one stream), the Emmett PostgreSQL fixture read back as its library did (expected.json,
// through the API and through chronoscope-cli), a Marten-shaped store, and bad input.
//
// initTestCase starts a throw-away server with .ci/pg-server in a temporary folder and
// cleanupTestCase stops it. Without a server (no PostgreSQL installed, no QPSQL driver) the
// test skips with the reason, except under CI=true, where it fails.
#include "replay/jsreducer.h"
#include "store/postgres/pgconnection.h"
#include "store/postgres/pglocation.h"
#include "store/storefactory.h"
#include "store/storefollower.h"
#include "support/storetesthelpers.h"
#include "support/streampages.h"
#include "timetravel/timetravel.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <atomic>
#include <set>
#include <thread>

using namespace chronoscope;
using nlohmann::json;

namespace {

bool underCi()
{
    return qEnvironmentVariable("CI") == QLatin1String("true");
}

// In a test function (QSKIP/QFAIL return from the function that calls them).
#define REQUIRE_EMMETT()                                                                                     \
    do {                                                                                                     \
        if (m_emmettUrl.isEmpty())                                                                           \
            SKIP_OR_FAIL(QStringLiteral("no Emmett PostgreSQL fixture at %1").arg(emmettDir()));             \
    } while (false)

#define SKIP_OR_FAIL(reason)                                                                                 \
    do {                                                                                                     \
        const QString why_ = (reason);                                                                       \
        if (underCi())                                                                                       \
            QFAIL(qPrintable(QStringLiteral("CI=true: ") + why_));                                           \
        QSKIP(qPrintable(why_));                                                                             \
    } while (false)

QString emmettDir()
{
    return QStringLiteral(CHRONOSCOPE_SHARED_DIR "/fixtures/emmett-postgresql");
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

using chronoscope::testing::events;
using chronoscope::testing::makeEvent;
using chronoscope::testing::positions;
using chronoscope::testing::sid;

/// The message of the StoreError `f` throws; empty when it throws none.
template<typename F> QString errorOf(F&& f)
{
    try {
        f();
    } catch (const StoreError& e) {
        return e.message();
    }
    return {};
}

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

CliResult cli(const QStringList& arguments)
{
    QProcess p;
    p.start(QStringLiteral(CHRONOSCOPE_CLI), arguments);
    CliResult r;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// --- the writer process: appends `count` events to a stream, each at the version it last saw ---

int runWriter(const QString& url, const QString& stream, int writer, int count)
{
    QTextStream out(stdout);
    try {
        auto store = openStore(url);
        const StreamId first(stream + QStringLiteral("-first"));
        bool wonFirst = false;
        try {
            store->append(first,
                {makeEvent(QStringLiteral("Claimed"),
                    QByteArray("{\"writer\":") + QByteArray::number(writer) + "}")},
                ExpectedVersion::noStream());
            wonFirst = true;
        } catch (const WrongExpectedVersion&) {
        }
        const StreamId id(stream);
        int conflicts = 0;
        int staleConflicts = 0;
        for (int i = 0; i < count;) {
            const auto info = store->streamInfo(id);
            const Version seen = info ? info->version : Version(0);
            const QByteArray data = QByteArray("{\"writer\":") + QByteArray::number(writer)
                + ",\"i\":" + QByteArray::number(i) + "}";
            try {
                const auto r = store->append(
                    id, {makeEvent(QStringLiteral("Raced"), data)}, ExpectedVersion::exact(seen));
                if (r.version.value != seen.value + 1)
                    throw StoreError(
                        QStringLiteral("append at %1 gave version %2").arg(seen.value).arg(r.version.value));
                ++i;
            } catch (const WrongExpectedVersion& conflict) {
                ++conflicts;
                if (conflict.actual() <= seen || conflict.stream() != id)
                    ++staleConflicts; // a conflict must mean someone else wrote in between
            }
        }
        out << "{\"writer\":" << writer << ",\"conflicts\":" << conflicts
            << ",\"staleConflicts\":" << staleConflicts << ",\"wonFirst\":" << (wonFirst ? "true" : "false")
            << "}\n";
        return 0;
    } catch (const StoreError& e) {
        out << "{\"error\":" << QString::fromStdString(json(e.message().toStdString()).dump()) << "}\n";
        return 2;
    }
}

} // namespace

class TestPostgres : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_serverDir;
    bool m_started = false;
    QString m_url;         // the empty database 'chronoscope', trusted superuser
    QString m_passwordUrl; // same database, role with a scram password
    QString m_emmettUrl;   // the Emmett fixture, restored
    QString m_martenUrl;   // tests/fixtures/marten.sql, loaded
    int m_port = 0;
    int m_schemas = 0;

    QProcessEnvironment serverEnvironment() const
    {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("CHRONOSCOPE_SHARED_DIR"), QStringLiteral(CHRONOSCOPE_SHARED_DIR));
        return env;
    }

    bool script(const QStringList& arguments, QByteArray* out, QString* error) const
    {
        QProcess p;
        p.setProcessEnvironment(serverEnvironment());
        p.start(QStringLiteral("bash"), QStringList {QStringLiteral(CHRONOSCOPE_PG_SERVER)} + arguments);
        if (!p.waitForFinished(180000)) {
            p.kill();
            p.waitForFinished();
            *error = QStringLiteral(".ci/pg-server %1 timed out").arg(arguments.join(QLatin1Char(' ')));
            return false;
        }
        if (out)
            *out = p.readAllStandardOutput();
        *error = QString::fromUtf8(p.readAllStandardError()).trimmed();
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

    /// A URL of a new, empty schema of the test database.
    QString freshUrl() { return m_url + QStringLiteral("?schema=t%1").arg(++m_schemas); }

    std::unique_ptr<EventStore> freshStore()
    {
        OpenOptions options;
        options.create = true;
        return openStore(freshUrl(), options);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
            SKIP_OR_FAIL(
                QStringLiteral("the Qt PostgreSQL driver (QPSQL, Debian: libqt6sql6-psql) is not installed"));
        QVERIFY(m_dir.isValid());
        // As root the server runs as 'postgres', which must be able to reach its folder.
        QFile::setPermissions(m_dir.path(), QFile::permissions(m_dir.path()) | QFileDevice::ExeOther);
        m_serverDir = m_dir.filePath(QStringLiteral("pg"));
        QByteArray out;
        QString error;
        if (!script(
                {QStringLiteral("start"), m_serverDir, QString::number(QCoreApplication::applicationPid())},
                &out, &error))
            SKIP_OR_FAIL(QStringLiteral("no PostgreSQL server could be started: %1").arg(error));
        m_started = true;
        for (const auto& line : out.split('\n')) {
            const auto eq = line.indexOf('=');
            if (eq < 0)
                continue;
            const auto key = line.left(eq);
            const auto value = QString::fromUtf8(line.mid(eq + 1)).trimmed();
            if (key == "CHRONOSCOPE_PG_URL")
                m_url = value;
            else if (key == "CHRONOSCOPE_PG_PASSWORD_URL")
                m_passwordUrl = value;
            else if (key == "CHRONOSCOPE_PG_EMMETT_URL")
                m_emmettUrl = value;
            else if (key == "CHRONOSCOPE_PG_PORT")
                m_port = value.toInt();
        }
        QVERIFY2(!m_url.isEmpty() && m_port > 0, out.constData());
        if (!script({QStringLiteral("load"), m_serverDir, QStringLiteral("marten"),
                        QStringLiteral(CHRONOSCOPE_TEST_FIXTURES "/marten.sql")},
                nullptr, &error))
            QFAIL(qPrintable(error));
        m_martenUrl = m_url.left(m_url.lastIndexOf(QLatin1Char('/'))) + QStringLiteral("/marten");
    }

    void cleanupTestCase()
    {
        if (!m_started)
            return;
        QString error;
        QVERIFY2(script({QStringLiteral("stop"), m_serverDir}, nullptr, &error), qPrintable(error));
    }

    // --- URLs ----------------------------------------------------------------------------------

    void urls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("error"); // empty: valid
        QTest::newRow("full") << QStringLiteral("postgresql://u:p%40ss@db.example:6543/shop?schema=es")
                              << QString();
        QTest::newRow("postgres scheme, default port")
            << QStringLiteral("postgres://u@localhost/shop") << QString();
        QTest::newRow("no database") << QStringLiteral("postgresql://u:pw@localhost:5432/")
                                     << QStringLiteral("no database");
        QTest::newRow("no user") << QStringLiteral("postgresql://localhost:5432/db")
                                 << QStringLiteral("no user");
        QTest::newRow("bad port") << QStringLiteral("postgresql://u:pw@localhost:99999/db")
                                  << QStringLiteral("port");
        QTest::newRow("unknown option") << QStringLiteral("postgresql://u:pw@localhost/db?sslmode=x")
                                        << QStringLiteral("unknown option 'sslmode'");
        QTest::newRow("empty schema")
            << QStringLiteral("postgresql://u:pw@localhost/db?schema=") << QStringLiteral("schema is empty");
    }
    void urls()
    {
        QFETCH(QString, url);
        QFETCH(QString, error);
        QVERIFY(isPostgresUrl(url));
        const auto message = errorOf([&] { parsePgUrl(url); });
        if (error.isEmpty()) {
            QVERIFY2(message.isEmpty(), qPrintable(message));
            const auto location = parsePgUrl(url);
            QVERIFY(!location.display().contains(QLatin1String("p@ss")));
            if (url.contains(QLatin1String("6543"))) {
                QCOMPARE(location.password, QStringLiteral("p@ss"));
                QCOMPARE(location.port, 6543);
                QCOMPARE(location.schema, QStringLiteral("es"));
                QCOMPARE(
                    location.display(), QStringLiteral("postgresql://u:***@db.example:6543/shop?schema=es"));
            } else {
                QCOMPARE(location.port, 5432);
                QCOMPARE(location.schema, QStringLiteral("public"));
            }
        } else {
            QVERIFY2(message.contains(error), qPrintable(message));
            QVERIFY2(
                !message.contains(QLatin1String(":pw@")), qPrintable(message)); // the password is never shown
        }
        QVERIFY(!isPostgresUrl(QStringLiteral("/tmp/postgresql.db")));
    }

    // --- the native store: the EventStore contract --------------------------------------------

    void nativeExpectedVersions_data()
    {
        QTest::addColumn<int>("existing");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("satisfied");
        QTest::newRow("any, no stream") << 0 << "any" << true;
        QTest::newRow("any, stream") << 2 << "any" << true;
        QTest::newRow("no-stream, no stream") << 0 << "no-stream" << true;
        QTest::newRow("no-stream, stream") << 2 << "no-stream" << false;
        QTest::newRow("exists, no stream") << 0 << "exists" << false;
        QTest::newRow("exists, stream") << 2 << "exists" << true;
        QTest::newRow("exact 2, at 2") << 2 << "2" << true;
        QTest::newRow("exact 1, at 2") << 2 << "1" << false;
        QTest::newRow("exact 3, at 2") << 2 << "3" << false;
        QTest::newRow("exact 1, no stream") << 0 << "1" << false;
    }
    void nativeExpectedVersions()
    {
        QFETCH(int, existing);
        QFETCH(QString, expected);
        QFETCH(bool, satisfied);
        auto store = freshStore();
        QCOMPARE(store->summary().format, QStringLiteral("chronoscope-postgresql"));
        store->append(sid("other-1"), events(1), ExpectedVersion::any());
        if (existing > 0)
            store->append(sid("cart-1"), events(existing), ExpectedVersion::any());
        const auto expectation = ExpectedVersion::parse(expected);
        QVERIFY(expectation);
        if (satisfied) {
            const auto r = store->append(sid("cart-1"), events(2), *expectation);
            QCOMPARE(r.version.value, existing + 2);
            QCOMPARE(r.firstPosition.value, 2 + existing);
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
        QCOMPARE(store->summary().lastPosition.value, 1 + existing);
        // No hole is left behind.
        QCOMPARE(store->append(sid("cart-1"), events(1), ExpectedVersion::any()).firstPosition.value,
            2 + existing);
    }

    void nativeStreamPagesMatchTheReference()
    {
        auto store = freshStore();
        int checked = 0;
        const QString mismatch = testsupport::checkStreamPages(*store, &checked);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        QVERIFY2(checked > 100, qPrintable(QString::number(checked)));
    }

    void nativeReadsAndCounters()
    {
        auto store = freshStore();
        QSignalSpy spy(store.get(), &EventStore::appended);
        store->append(
            sid("cart-1"), {makeEvent(QStringLiteral("ItemAdded"), "{}", 1000)}, ExpectedVersion::noStream());
        store->append(
            sid("cart-2"), {makeEvent(QStringLiteral("ItemAdded"), "{}", 2000)}, ExpectedVersion::noStream());
        store->append(sid("cart-1"), {makeEvent(QStringLiteral("ItemRemoved"), "{}", 3000)},
            ExpectedVersion::exact(Version(1)));
        store->append(
            sid("order-1"), {makeEvent(QStringLiteral("OrderPlaced"), "{}", 4000)}, ExpectedVersion::any());
        store->append(
            sid("cartoon"), {makeEvent(QStringLiteral("Drawn"), "{}", 5000)}, ExpectedVersion::any());
        store->append(
            sid("order-2"), {makeEvent(QStringLiteral("ItemAdded"), "{}", 6000)}, ExpectedVersion::any());
        QCOMPARE(spy.count(), 6);
        QCOMPARE(spy.last().at(0).value<Position>().value, 6);

        QCOMPARE(positions(store->readStream(sid("cart-1"), std::nullopt, 10)), (std::vector<qint64> {1, 3}));
        QCOMPARE(positions(store->readStream(sid("cart-1"), std::nullopt, 1, Direction::Backward)),
            (std::vector<qint64> {3}));
        QCOMPARE(positions(store->readStream(sid("cart-1"), Version(2), 10)), (std::vector<qint64> {3}));
        QCOMPARE(positions(store->readAll(std::nullopt, 100)), (std::vector<qint64> {1, 2, 3, 4, 5, 6}));
        QCOMPARE(
            positions(store->readAll(Position(4), 2, {}, Direction::Backward)), (std::vector<qint64> {4, 3}));
        EventFilter f;
        f.types = {QStringLiteral("ItemAdded")};
        QCOMPARE(positions(store->readAll(std::nullopt, 100, f)), (std::vector<qint64> {1, 2, 6}));
        f = {};
        f.category = QStringLiteral("cart");
        QCOMPARE(positions(store->readAll(std::nullopt, 100, f)),
            (std::vector<qint64> {1, 2, 3})); // not "cartoon"
        f = {};
        f.streamPrefix = QStringLiteral("cart");
        QCOMPARE(positions(store->readAll(std::nullopt, 100, f)), (std::vector<qint64> {1, 2, 3, 5}));
        f = {};
        f.fromTimeMs = 2000;
        f.toTimeMs = 4000;
        QCOMPARE(positions(store->readAll(std::nullopt, 100, f)), (std::vector<qint64> {2, 3}));
        QCOMPARE(store->readAt(Position(4))->stream, sid("order-1"));
        QVERIFY(!store->readAt(Position(7)));

        const auto streams = store->streams();
        QCOMPARE(streams.size(), std::size_t(5));
        QCOMPARE(streams[0].stream, sid("cart-1"));
        QCOMPARE(streams[0].version.value, 2);
        QCOMPARE(streams[0].events, 2);
        QCOMPARE(streams[0].firstPosition.value, 1);
        QCOMPARE(streams[0].lastPosition.value, 3);
        QCOMPARE(streams[0].lastTimestampMs, 3000);
        QCOMPARE(store->streams(QStringLiteral("order-")).size(), std::size_t(2));
        QVERIFY(!store->streamInfo(sid("nope")));
        const auto summary = store->summary();
        QCOMPARE(summary.events, 6);
        QCOMPARE(summary.streams, 5);
        QCOMPARE(summary.lastPosition.value, 6);
        QVERIFY(!summary.location.isEmpty());
        const auto types = store->typeCounts();
        QCOMPARE(types.size(), std::size_t(4));
        QCOMPARE(types[1].type, QStringLiteral("ItemAdded"));
        QCOMPARE(types[1].events, 3);
    }

    void nativeBatchesAreAtomic()
    {
        auto store = freshStore();
        store->append(sid("order-1"), events(1), ExpectedVersion::any());
        const auto results = store->appendMany({{sid("cart-1"), ExpectedVersion::noStream(), events(2)},
            {sid("order-1"), ExpectedVersion::exact(Version(1)), events(1)},
            {sid("cart-1"), ExpectedVersion::exact(Version(2)), events(1)}});
        QCOMPARE(results.size(), std::size_t(3));
        QCOMPARE(results[0].firstPosition.value, 2);
        QCOMPARE(results[1].version.value, 2);
        QCOMPARE(results[2].firstPosition.value, 5);
        QCOMPARE(results[2].version.value, 3);
        QSignalSpy spy(store.get(), &EventStore::appended);
        // The second request fails: the first one is not written either.
        QVERIFY_THROWS_EXCEPTION(WrongExpectedVersion,
            store->appendMany({{sid("pay-1"), ExpectedVersion::noStream(), events(2)},
                {sid("order-1"), ExpectedVersion::noStream(), events(1)}}));
        // An invalid event in a batch writes nothing either.
        auto bad = events(3);
        bad[1].metadata = "[1]";
        QVERIFY_THROWS_EXCEPTION(InvalidInput, store->append(sid("pay-1"), bad, ExpectedVersion::any()));
        bad[1] = makeEvent(QStringLiteral(" "));
        QVERIFY_THROWS_EXCEPTION(InvalidInput, store->append(sid("pay-1"), bad, ExpectedVersion::any()));
        QVERIFY_THROWS_EXCEPTION(InvalidInput, store->append(StreamId(), events(1), ExpectedVersion::any()));
        QVERIFY(!store->streamInfo(sid("pay-1")));
        QCOMPARE(store->summary().events, 5);
        QCOMPARE(store->summary().streams, 2);
        QCOMPARE(spy.count(), 0);
        QCOMPARE(store->append(sid("pay-1"), events(1), ExpectedVersion::noStream()).firstPosition.value, 6);
        // Large batches go in several statements and still come back in order.
        const auto big = store->append(sid("big-1"), events(4500), ExpectedVersion::noStream());
        QCOMPARE(big.firstPosition.value, 7);
        QCOMPARE(big.version.value, 4500);
        const auto back = store->readStream(sid("big-1"), Version(4500), 1);
        QCOMPARE(back.front().dataJson()["n"].get<int>(), 4499);
    }

    void nativeKeepsBytesAndImports()
    {
        auto store = freshStore();
        const QByteArray data = "{ \"b\" : 1,\"a\":[1, 2.50, 1.0e+300, 123456789012345678901234567890 "
                                "],\"s\":\"\\u0000 é ✓ \\\"q\\\"\"}";
        const QByteArray metadata = "{\"correlationId\":\"c-1\",  \"x\":null}";
        const auto id = QUuid::createUuid();
        EventData e = makeEvent(QStringLiteral("Odd \"type\" ✓"), data, 1234567890123, metadata);
        e.id = id;
        e.schemaVersion = 7;
        store->append(sid("weird stream ' ; DROP TABLE events; --"), {e}, ExpectedVersion::noStream());
        const auto read = store->readAll(std::nullopt, 10);
        QCOMPARE(read.size(), std::size_t(1));
        QCOMPARE(read[0].data, data);
        QCOMPARE(read[0].metadata, metadata);
        QCOMPARE(read[0].id, id);
        QCOMPARE(read[0].type, QStringLiteral("Odd \"type\" ✓"));
        QCOMPARE(read[0].schemaVersion, 7);
        QCOMPARE(read[0].timestampMs, 1234567890123);
        QCOMPARE(read[0].stream.toString(), QStringLiteral("weird stream ' ; DROP TABLE events; --"));

        RecordedEvent r;
        r.stream = sid("imported-1");
        r.version = Version(1);
        r.position = Position(10);
        r.id = QUuid::createUuid();
        r.type = QStringLiteral("Imported");
        r.timestampMs = 5;
        r.data = "{}";
        auto r2 = r;
        r2.version = Version(2);
        r2.position = Position(12);
        r2.id = QUuid::createUuid();
        store->importRecorded({r, r2});
        QCOMPARE(positions(store->readStream(sid("imported-1"), std::nullopt, 10)),
            (std::vector<qint64> {10, 12}));
        QCOMPARE(store->summary().lastPosition.value, 12);
        auto stale = r2;
        stale.position = Position(11); // not after 12
        QVERIFY(errorOf([&] { store->importRecorded({stale}); }).contains(QLatin1String("not after")));
        auto gap = r2;
        gap.position = Position(20);
        gap.version = Version(4);
        QVERIFY(errorOf([&] { store->importRecorded({gap}); }).contains(QLatin1String("does not follow")));
        QCOMPARE(store->summary().events, 3);
        QCOMPARE(store->append(sid("next-1"), events(1), ExpectedVersion::any()).firstPosition.value, 13);
    }

    void nativeOpensAgainAndReadOnly()
    {
        const auto url = freshUrl();
        {
            QVERIFY(errorOf([&] { openStore(url); }).contains(QLatin1String("no schema")));
            OpenOptions create;
            create.create = true;
            auto store = openStore(url, create);
            store->append(sid("cart-1"), events(3), ExpectedVersion::noStream());
        }
        OpenOptions readOnly;
        readOnly.readOnly = true;
        auto store = openStore(url, readOnly);
        QVERIFY(store->isReadOnly());
        QCOMPARE(store->summary().events, 3);
        QVERIFY_THROWS_EXCEPTION(
            ReadOnlyError, store->append(sid("cart-1"), events(1), ExpectedVersion::any()));
        auto writable = openStore(url);
        QVERIFY(!writable->isReadOnly());
        QCOMPARE(
            writable->append(sid("cart-1"), events(1), ExpectedVersion::exact(Version(3))).version.value, 4);
        QCOMPARE(store->summary().events, 4); // another connection sees the write
    }

    void nativeUsableFromSeveralThreads()
    {
        auto store = freshStore();
        store->append(sid("cart-1"), events(5), ExpectedVersion::noStream());
        std::vector<std::thread> threads;
        std::atomic<int> ok {0};
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&store, &ok, t] {
                try {
                    for (int i = 0; i < 10; ++i)
                        store->append(
                            StreamId(QStringLiteral("thread-%1").arg(t)), events(1), ExpectedVersion::any());
                    if (store->readStream(StreamId(QStringLiteral("thread-%1").arg(t)), std::nullopt, 100)
                            .size()
                        == 10)
                        ++ok;
                } catch (const StoreError&) {
                }
            });
        }
        for (auto& t : threads)
            t.join();
        QCOMPARE(ok.load(), 4);
        QCOMPARE(store->summary().events, 45);
        const auto all = store->readAll(std::nullopt, 100);
        for (std::size_t i = 0; i < all.size(); ++i)
            QCOMPARE(all[i].position.value, qint64(i + 1));
    }

    void twoProcessesRaceOnOneStream()
    {
        const auto url = freshUrl();
        {
            OpenOptions create;
            create.create = true;
            openStore(url, create);
        }
        constexpr int perWriter = 150;
        QProcess writers[2];
        for (int w = 0; w < 2; ++w) {
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("TST_POSTGRES_WRITER"),
                QStringLiteral("%1|race-1|%2|%3").arg(url).arg(w).arg(perWriter));
            writers[w].setProcessEnvironment(env);
            writers[w].start(QCoreApplication::applicationFilePath(), {});
        }
        json reports[2];
        for (int w = 0; w < 2; ++w) {
            QVERIFY(writers[w].waitForFinished(300000));
            const auto out = writers[w].readAllStandardOutput();
            QVERIFY2(writers[w].exitCode() == 0, out.constData());
            reports[w] = json::parse(out.constData());
            QCOMPARE(reports[w]["staleConflicts"].get<int>(), 0);
        }
        // Exactly one of them created the "-first" stream with no-stream.
        QVERIFY(reports[0]["wonFirst"].get<bool>() != reports[1]["wonFirst"].get<bool>());
        qInfo("conflicts reported: writer 0: %d, writer 1: %d", reports[0]["conflicts"].get<int>(),
            reports[1]["conflicts"].get<int>());

        auto store = openStore(url);
        const auto raced = store->readStream(sid("race-1"), std::nullopt, 10 * perWriter);
        QCOMPARE(raced.size(), std::size_t(2 * perWriter)); // nothing lost
        std::set<std::pair<int, int>> seen;
        int next[2] = {0, 0};
        for (std::size_t i = 0; i < raced.size(); ++i) {
            QCOMPARE(raced[i].version.value, qint64(i + 1)); // versions contiguous
            const auto data = raced[i].dataJson();
            const int w = data["writer"].get<int>();
            const int n = data["i"].get<int>();
            QCOMPARE(n, next[w]++); // each writer's events in its order, none twice
            QVERIFY(seen.insert({w, n}).second);
        }
        const auto all = store->readAll(std::nullopt, 10 * perWriter);
        QCOMPARE(all.size(), std::size_t(2 * perWriter + 1));
        for (std::size_t i = 0; i < all.size(); ++i)
            QCOMPARE(all[i].position.value, qint64(i + 1)); // global positions contiguous
        QCOMPARE(store->summary().events, qint64(2 * perWriter + 1));
        QCOMPARE(store->streamInfo(sid("race-1"))->version.value, 2 * perWriter);
    }

    // --- format detection and bad input ------------------------------------------------------

    void detectsFormats()
    {
        REQUIRE_EMMETT();
        QCOMPARE(openStore(m_emmettUrl)->summary().format, QStringLiteral("emmett-postgresql"));
        QCOMPARE(openStore(m_martenUrl)->summary().format, QStringLiteral("marten-postgresql"));
        auto native = freshStore();
        QCOMPARE(native->summary().format, QStringLiteral("chronoscope-postgresql"));

        // Empty schema, not asked to create: an error, and nothing is made.
        const auto message = errorOf([&] { openStore(m_url); });
        QVERIFY2(message.contains(QLatin1String("has no tables")), qPrintable(message));
        pg::Connection admin(parsePgUrl(m_url), false);
        QVERIFY(admin.tables().isEmpty());
        // Unknown schema.
        const auto unknown = errorOf([&] { openStore(m_url + QStringLiteral("?schema=nowhere")); });
        QVERIFY2(unknown.contains(QLatin1String("no schema 'nowhere'"))
                && unknown.contains(QLatin1String("public")),
            qPrintable(unknown));
        // Tables of something else: named, and nothing created beside them.
        admin.exec(QStringLiteral("CREATE SCHEMA other; CREATE TABLE other.customers(id int); CREATE TABLE "
                                  "other.orders(id int)"),
            QStringLiteral("test setup"));
        OpenOptions create;
        create.create = true;
        const auto other = errorOf([&] { openStore(m_url + QStringLiteral("?schema=other"), create); });
        QVERIFY2(
            other.contains(QLatin1String("customers, orders")) && other.contains(QLatin1String("mt_events")),
            qPrintable(other));
        auto q = admin.run(QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = 'other'"), {},
            QStringLiteral("test"));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 2);
    }

    void connectionErrors()
    {
        // A closed port.
        const auto refused
            = errorOf([] { openStore(QStringLiteral("postgresql://u:topsecret@127.0.0.1:1/db")); });
        QVERIFY2(
            refused.contains(QLatin1String("cannot connect")) && refused.contains(QLatin1String("127.0.0.1")),
            qPrintable(refused));
        QVERIFY(!refused.contains(QLatin1String("topsecret")));
        // A wrong password for a role that needs one (scram-sha-256).
        auto wrong = m_passwordUrl;
        wrong.replace(QLatin1String("chronoscope-secret"), QLatin1String("not-the-password"));
        const auto denied = errorOf([&] { openStore(wrong); });
        QVERIFY2(denied.contains(QLatin1String("password authentication failed")), qPrintable(denied));
        QVERIFY(!denied.contains(QLatin1String("not-the-password")));
        // The right one works.
        OpenOptions create;
        create.create = true;
        auto store = openStore(m_passwordUrl + QStringLiteral("?schema=pw"), create);
        QCOMPARE(store->append(sid("cart-1"), events(1), ExpectedVersion::noStream()).version.value, 1);
        // A database that does not exist.
        const auto noDb = errorOf(
            [&] { openStore(m_url.left(m_url.lastIndexOf(QLatin1Char('/'))) + QStringLiteral("/nope")); });
        QVERIFY2(noDb.contains(QLatin1String("\"nope\" does not exist")), qPrintable(noDb));
    }

    void foreignPayloadNotAnObject()
    {
        // A copy of the Marten store in its own schema, with payloads that are not objects.
        pg::Connection admin(parsePgUrl(m_martenUrl), false);
        admin.exec(QStringLiteral("CREATE SCHEMA odd;"
                                  "CREATE TABLE odd.mt_streams (LIKE public.mt_streams INCLUDING ALL);"
                                  "CREATE TABLE odd.mt_events (LIKE public.mt_events INCLUDING ALL);"
                                  "INSERT INTO odd.mt_streams SELECT * FROM public.mt_streams;"
                                  "INSERT INTO odd.mt_events SELECT * FROM public.mt_events;"
                                  "UPDATE odd.mt_events SET data = '[1, 2]' WHERE seq_id = 9;"
                                  "UPDATE odd.mt_events SET data = '\"just text\"' WHERE seq_id = 11;"),
            QStringLiteral("test setup"));
        auto store = openStore(m_martenUrl + QStringLiteral("?schema=odd"));
        QCOMPARE(store->summary().events, 12); // counting still works
        const auto ring = StreamId(QStringLiteral("1b9a3f0e-6a51-4c1e-9b7e-0c2f4d6e8a01"));
        const auto message = errorOf([&] { store->readStream(ring, std::nullopt, 100); });
        QVERIFY2(message.contains(QLatin1String("position 9")) && message.contains(QLatin1String("version 4"))
                && message.contains(QLatin1String("1b9a3f0e-6a51-4c1e-9b7e-0c2f4d6e8a01"))
                && message.contains(QLatin1String("a JSON array, not a JSON object")),
            qPrintable(message));
        const auto text = errorOf([&] { store->readAt(Position(11)); });
        QVERIFY2(text.contains(QLatin1String("a JSON string")), qPrintable(text));
        QCOMPARE(
            store->readStream(ring, std::nullopt, 3).size(), std::size_t(3)); // the rows before it read fine
        // Writes are refused and the rows stay as they were.
        QVERIFY_THROWS_EXCEPTION(ReadOnlyError, store->append(ring, events(1), ExpectedVersion::any()));
        auto q = admin.run(
            QStringLiteral("SELECT count(*), max(seq_id) FROM odd.mt_events"), {}, QStringLiteral("test"));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 14);
        QCOMPARE(q.value(1).toInt(), 15);
        // A Marten table without columns Chronoscope needs is named as such.
        admin.exec(QStringLiteral("CREATE SCHEMA thin; CREATE TABLE thin.mt_streams(id uuid);"
                                  "CREATE TABLE thin.mt_events(seq_id bigint, data jsonb)"),
            QStringLiteral("test setup"));
        const auto thin = errorOf([&] { openStore(m_martenUrl + QStringLiteral("?schema=thin")); });
        QVERIFY2(thin.contains(QLatin1String(
                     "without the columns id, stream_id, version, type, timestamp, is_archived")),
            qPrintable(thin));
    }

    // --- Marten ----------------------------------------------------------------------------------

    void martenReads()
    {
        auto store = openStore(m_martenUrl);
        QVERIFY(store->isReadOnly());
        const auto summary = store->summary();
        QCOMPARE(summary.events, 12); // the archived stream's two events are left out
        QCOMPARE(summary.streams, 3);
        QCOMPARE(summary.lastPosition.value, 15);
        std::map<QString, qint64> types;
        for (const auto& t : store->typeCounts())
            types[t.type] = t.events;
        const std::map<QString, qint64> expectedTypes {{QStringLiteral("member_lost"), 1},
            {QStringLiteral("members_joined"), 3}, {QStringLiteral("monster_slain"), 2},
            {QStringLiteral("party_formed"), 1}, {QStringLiteral("party_split"), 1},
            {QStringLiteral("quest_ended"), 2}, {QStringLiteral("quest_started"), 2}};
        QCOMPARE(types, expectedTypes);
        QCOMPARE(positions(store->readAll(std::nullopt, 100)),
            (std::vector<qint64> {3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15}));

        const auto ring = StreamId(QStringLiteral("1b9a3f0e-6a51-4c1e-9b7e-0c2f4d6e8a01"));
        const auto events = store->readStream(ring, std::nullopt, 100);
        QCOMPARE(positions(events), (std::vector<qint64> {3, 4, 6, 9, 13}));
        QCOMPARE(events[0].version.value, 1);
        QCOMPARE(events[0].id, QUuid::fromString(QStringLiteral("a0000000-0000-4000-8000-000000000003")));
        QCOMPARE(events[0].timestampMs,
            QDateTime(QDate(2025, 3, 1), QTime(10, 0, 0, 125), Qt::UTC).toMSecsSinceEpoch());
        QVERIFY(events[0].dataJson() == json::parse(R"({"name": "Destroy the Ring"})"));
        QVERIFY(events[0].metadataJson()
            == json::parse(
                R"({"tenantId":"*DEFAULT*","dotnetType":"Quests.QuestStarted, Quests","correlationId":"corr-ring","headers":{"user":"gandalf"}})"));
        QCOMPARE(events[1].metadataJson()["causationId"].get<std::string>(),
            std::string("a0000000-0000-4000-8000-000000000003"));
        QCOMPARE(events[3].dataJson()["weight"].get<double>(), 1500.0);
        QCOMPARE(positions(store->readStream(ring, Version(4), 10, Direction::Backward)),
            (std::vector<qint64> {9, 6, 4, 3}));
        const auto info = store->streamInfo(ring);
        QVERIFY(info);
        QCOMPARE(info->version.value, 5);
        QCOMPARE(info->events, 5);
        QVERIFY(
            !store->streamInfo(StreamId(QStringLiteral("4e6d6031-9d84-4f41-8ea1-3f5c7091bd04")))); // archived
        QVERIFY(!store->streamInfo(sid("not-a-uuid")));
        QVERIFY(store->readStream(sid("not-a-uuid"), std::nullopt, 10).empty());
        QCOMPARE(store->streams(QStringLiteral("2c8b")).size(), std::size_t(1));
        const auto party = store->readStream(
            StreamId(QStringLiteral("3d7c5f20-8c73-4e30-9d90-2e4b6f80ac03")), std::nullopt, 10);
        QCOMPARE(party[1].dataJson()["note"].get<std::string>(), std::string("ünïcödé ✓"));

        const auto refused
            = errorOf([&] { store->append(ring, {makeEvent(QStringLiteral("X"))}, ExpectedVersion::any()); });
        QVERIFY2(refused.contains(QLatin1String("read-only")) && refused.contains(QLatin1String("Marten")),
            qPrintable(refused));
        QVERIFY_THROWS_EXCEPTION(ReadOnlyError, store->importRecorded({}));
        pg::Connection admin(parsePgUrl(m_martenUrl), true);
        auto q = admin.run(QStringLiteral("SELECT count(*) FROM mt_events"), {}, QStringLiteral("test"));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 14);
        // The CLI refuses to write there too, and says why.
        const auto r = cli({QStringLiteral("append"), m_martenUrl, QStringLiteral("--stream"),
            ring.toString(), QStringLiteral("--type"), QStringLiteral("X"), QStringLiteral("--data"),
            QStringLiteral("{}")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("read-only")), qPrintable(r.err));
    }

    // --- Emmett: the done-when check -------------------------------------------------------------

    void emmettMatchesExpected()
    {
        REQUIRE_EMMETT();
        const auto expected = readJson(emmettDir() + QStringLiteral("/expected.json"));
        auto store = openStore(m_emmettUrl);
        QVERIFY(store->isReadOnly());
        const auto& totals = expected["totals"];
        const auto summary = store->summary();
        QCOMPARE(summary.events, totals["totalEvents"].get<qint64>());
        QCOMPARE(summary.streams, totals["streamCount"].get<qint64>());
        QCOMPARE(summary.lastPosition.value, totals["maxGlobalPosition"].get<qint64>());
        std::map<std::string, qint64> types;
        for (const auto& t : store->typeCounts())
            types[t.type.toStdString()] = t.events;
        QVERIFY(json(types) == totals["eventTypeCounts"]);
        const auto streams = store->streams();
        QCOMPARE(qint64(streams.size()), totals["streamCount"].get<qint64>());
        for (const auto& info : streams) {
            const auto& e = expected["streams"][info.stream.toString().toStdString()];
            QVERIFY2(!e.is_null(), qPrintable(info.stream.toString()));
            QCOMPARE(info.events, e["eventCount"].get<qint64>());
            QCOMPARE(info.version.value, toInt(e["currentStreamVersion"]));
            std::vector<qint64> versions, globals;
            std::vector<std::string> typeList;
            for (const auto& ev : store->readStream(info.stream, std::nullopt, 100000)) {
                versions.push_back(ev.version.value);
                globals.push_back(ev.position.value);
                typeList.push_back(ev.type.toStdString());
            }
            QVERIFY(json(versions) == e["streamPositions"]);
            QVERIFY(json(globals) == e["globalPositions"]);
            QVERIFY(json(typeList) == e["eventTypes"]);
            // First and last payloads by value (JSONB reorders keys and normalises numbers).
            const auto first = store->readStream(info.stream, std::nullopt, 1);
            QVERIFY(first.front().dataJson() == e["firstEvent"]["data"]);
        }
        const auto all = store->readAll(std::nullopt, 100000);
        const auto& order = expected["globalOrder"];
        QCOMPARE(all.size(), order.size());
        for (std::size_t i = 0; i < all.size(); ++i) {
            QCOMPARE(all[i].position.value, toInt(order[i][0]));
            QCOMPARE(all[i].stream.toString().toStdString(), order[i][1].get<std::string>());
            QCOMPARE(all[i].version.value, toInt(order[i][2]));
            QCOMPARE(all[i].type.toStdString(), order[i][3].get<std::string>());
            QCOMPARE(all[i].id.toString(QUuid::WithoutBraces).toStdString(), order[i][4].get<std::string>());
            QVERIFY(all[i].timestampMs > 0);
        }
        QVERIFY_THROWS_EXCEPTION(
            ReadOnlyError, store->append(sid("system"), events(1), ExpectedVersion::any()));
        QCOMPARE(openStore(m_emmettUrl)->summary().events, 577); // nothing written
    }

    void emmettStatesWithItsOwnReducers()
    {
        REQUIRE_EMMETT();
        const auto expected = readJson(emmettDir() + QStringLiteral("/expected.json"));
        QFile f(emmettDir() + QStringLiteral("/evolve.js"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto evolve = QString::fromUtf8(f.readAll());
        auto store = openStore(m_emmettUrl);
        std::map<std::string, std::shared_ptr<JsReducer>> reducers;
        int checked = 0;
        for (const auto& s : expected["states"]) {
            const auto name = s["reducer"].get<std::string>();
            auto& reducer = reducers[name];
            if (!reducer)
                reducer = JsReducer::fromSource(evolve + wrapper(name), QStringLiteral("evolve.js"));
            const StreamId stream(QString::fromStdString(s["stream"].get<std::string>()));
            TimeTravel tt(*store, reducer, stream);
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
        QCOMPARE(checked, int(expected["states"].size()));
    }

    void emmettThroughTheCli()
    {
        REQUIRE_EMMETT();
        const auto expected = readJson(emmettDir() + QStringLiteral("/expected.json"));
        const auto& totals = expected["totals"];

        auto r = cli({QStringLiteral("info"), m_emmettUrl});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto info = json::parse(r.out.constData());
        QCOMPARE(info["format"].get<std::string>(), std::string("emmett-postgresql"));
        QCOMPARE(info["events"].get<qint64>(), totals["totalEvents"].get<qint64>());
        QCOMPARE(info["streams"].get<qint64>(), totals["streamCount"].get<qint64>());
        QCOMPARE(info["lastPosition"].get<qint64>(), totals["maxGlobalPosition"].get<qint64>());
        QVERIFY(info["types"] == totals["eventTypeCounts"]);

        r = cli({QStringLiteral("streams"), m_emmettUrl});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto streams = json::parse(r.out.constData());
        QCOMPARE(qint64(streams.size()), totals["streamCount"].get<qint64>());
        for (const auto& s : streams) {
            const auto& e = expected["streams"][s["stream"].get<std::string>()];
            QVERIFY(!e.is_null());
            QCOMPARE(s["events"].get<qint64>(), e["eventCount"].get<qint64>());
            QCOMPARE(s["version"].get<qint64>(), toInt(e["currentStreamVersion"]));
            QCOMPARE(s["first"].get<qint64>(), e["globalPositions"].front().get<qint64>());
            QCOMPARE(s["last"].get<qint64>(), e["globalPositions"].back().get<qint64>());
        }

        r = cli({QStringLiteral("events"), m_emmettUrl});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto lines = r.out.trimmed().split('\n');
        const auto& order = expected["globalOrder"];
        QCOMPARE(std::size_t(lines.size()), order.size());
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const auto e = json::parse(lines[i].constData());
            const auto& row = order[std::size_t(i)];
            QCOMPARE(e["position"].get<qint64>(), toInt(row[0]));
            QCOMPARE(e["stream"].get<std::string>(), row[1].get<std::string>());
            QCOMPARE(e["version"].get<qint64>(), toInt(row[2]));
            QCOMPARE(e["type"].get<std::string>(), row[3].get<std::string>());
            QCOMPARE(e["id"].get<std::string>(), row[4].get<std::string>());
        }

        // Every listed state, with evolve.js wrapped as a user would (one file per reducer).
        QFile f(emmettDir() + QStringLiteral("/evolve.js"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto evolve = QString::fromUtf8(f.readAll());
        std::map<std::string, QString> files;
        int checked = 0;
        for (const auto& s : expected["states"]) {
            const auto name = s["reducer"].get<std::string>();
            auto& file = files[name];
            if (file.isEmpty()) {
                file = m_dir.filePath(QStringLiteral("reducer-%1.js").arg(QString::fromStdString(name)));
                QFile out(file);
                QVERIFY(out.open(QIODevice::WriteOnly));
                out.write((evolve + wrapper(name)).toUtf8());
            }
            const auto stream = QString::fromStdString(s["stream"].get<std::string>());
            QStringList args {QStringLiteral("state"), m_emmettUrl, QStringLiteral("--stream"), stream,
                QStringLiteral("--reducer"), file};
            if (!s["atVersion"].is_string() && expected["streams"].contains(s["stream"].get<std::string>())) {
                const auto last
                    = toInt(expected["streams"][s["stream"].get<std::string>()]["currentStreamVersion"]);
                args << QStringLiteral("--version")
                     << QString::number(std::min<qint64>(s["atVersion"].get<qint64>(), last));
            }
            r = cli(args);
            ++checked;
            if (!expected["streams"].contains(s["stream"].get<std::string>())) {
                // Emmett folds a missing stream to its initial state; the CLI says there is no such stream.
                QCOMPARE(r.exitCode, 1);
                QVERIFY2(r.err.contains(QLatin1String("no stream")), qPrintable(r.err));
                continue;
            }
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            const auto state = json::parse(r.out.constData());
            QVERIFY2(state == s["state"],
                qPrintable(QStringLiteral("%1: %2").arg(stream, QString::fromUtf8(r.out))));
        }
        QCOMPARE(checked, int(expected["states"].size()));
    }

    void cliOnTheNativeStore()
    {
        const auto url = freshUrl();
        auto r = cli({QStringLiteral("info"), url});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("no schema")), qPrintable(r.err));
        r = cli({QStringLiteral("append"), url, QStringLiteral("--create"), QStringLiteral("--stream"),
            QStringLiteral("cart-1"), QStringLiteral("--type"), QStringLiteral("ItemAdded"),
            QStringLiteral("--data"), QStringLiteral("{\"sku\":\"A\"}"), QStringLiteral("--expected"),
            QStringLiteral("no-stream")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(json::parse(r.out.constData())["version"].get<int>(), 1);
        r = cli({QStringLiteral("append"), url, QStringLiteral("--stream"), QStringLiteral("cart-1"),
            QStringLiteral("--type"), QStringLiteral("ItemAdded"), QStringLiteral("--data"),
            QStringLiteral("{}"), QStringLiteral("--expected"), QStringLiteral("no-stream")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(QLatin1String("cart-1")), qPrintable(r.err));
        r = cli({QStringLiteral("sample"), url});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("already holds events")), qPrintable(r.err));
        r = cli({QStringLiteral("info"), url});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto info = json::parse(r.out.constData());
        QCOMPARE(info["format"].get<std::string>(), std::string("chronoscope-postgresql"));
        QCOMPARE(info["events"].get<int>(), 1);
        // A sample story into an empty schema, read back with the built-in reducers.
        const auto sampleUrl = freshUrl();
        r = cli({QStringLiteral("sample"), sampleUrl, QStringLiteral("--events"), QStringLiteral("300")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto written = json::parse(r.out.constData())["events"].get<qint64>();
        QCOMPARE(openStore(sampleUrl)->summary().events, written);
    }

    // --- following --------------------------------------------------------------------------

    void followingIsToldOfCommitsByTheServer()
    {
        // A follower that reads the store every ten minutes at most: only the server's NOTIFY
        // can make it see another process's append (the CLI's) within seconds.
        const auto url = freshUrl();
        OpenOptions create;
        create.create = true;
        auto shown = openStore(url, create);
        shown->append(testing::sid("cart-1"), testing::events(1), ExpectedVersion::any());
        StoreFollower follower(*shown, Position(1), {}, 600000);
        QSignalSpy changed(shown.get(), &EventStore::changedElsewhere);
        QTest::qWait(300); // the first read is made and the LISTEN set up
        const auto appendByCli = [&](const char* stream) {
            const auto r = cli({QStringLiteral("append"), url, QStringLiteral("--stream"),
                QString::fromLatin1(stream), QStringLiteral("--type"), QStringLiteral("ItemAdded"),
                QStringLiteral("--data"), QStringLiteral("{}")});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        };
        appendByCli("cart-2");
        QTRY_VERIFY_WITH_TIMEOUT(
            !changed.isEmpty() && changed.last().at(0).value<Position>() == Position(2), 3000);
        appendByCli("cart-1");
        QTRY_COMPARE_WITH_TIMEOUT(follower.lastPosition(), Position(3), 3000);
        // A commit to another schema of the same database is not this store's.
        const auto other = freshUrl();
        auto elsewhere = openStore(other, create);
        const int before = int(changed.size());
        elsewhere->append(testing::sid("cart-9"), testing::events(1), ExpectedVersion::any());
        QTest::qWait(500);
        QCOMPARE(int(changed.size()), before);
        QCOMPARE(follower.lastPosition(), Position(3));
        QVERIFY(follower.problem().isEmpty());
    }

    void cliEventsFollowPrintsWhatOthersAppend()
    {
        const auto url = freshUrl();
        OpenOptions create;
        create.create = true;
        auto store = openStore(url, create);
        store->append(testing::sid("cart-1"), testing::events(1), ExpectedVersion::any());
        QProcess follow;
        follow.start(QStringLiteral(CHRONOSCOPE_CLI),
            {QStringLiteral("events"), url, QStringLiteral("--follow"), QStringLiteral("--stream"),
                QStringLiteral("cart-2")});
        QVERIFY(follow.waitForStarted());
        auto stop = qScopeGuard([&] {
            follow.kill();
            follow.waitForFinished();
        });
        QByteArray out;
        const auto lines = [&] {
            out += follow.readAllStandardOutput();
            return out.count('\n');
        };
        QTest::qWait(500); // it has printed the stored events (none of cart-2) and waits
        QCOMPARE(lines(), 0);
        store->append(testing::sid("cart-2"), testing::events(2), ExpectedVersion::any());
        store->append(testing::sid("cart-1"), testing::events(1), ExpectedVersion::any());
        store->append(testing::sid("cart-2"), testing::events(1), ExpectedVersion::any());
        QTRY_COMPARE_WITH_TIMEOUT(lines(), 3, 5000);
        const auto rows = out.trimmed().split('\n');
        QCOMPARE(json::parse(rows[0].constData())["stream"].get<std::string>(), std::string("cart-2"));
        QCOMPARE(json::parse(rows[2].constData())["version"].get<int>(), 3);
        QCOMPARE(json::parse(rows[2].constData())["position"].get<int>(), 5);
        QCOMPARE(follow.state(), QProcess::Running);
    }

    void followingSeesOtherWritersAndAServerThatStops()
    {
        // A server of its own, so that stopping it leaves the other tests' server alone.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile::setPermissions(dir.path(), QFile::permissions(dir.path()) | QFileDevice::ExeOther);
        const QString serverDir = dir.filePath(QStringLiteral("pg"));
        QByteArray out;
        QString error;
        QVERIFY2(
            script({QStringLiteral("start"), serverDir, QString::number(QCoreApplication::applicationPid())},
                &out, &error),
            qPrintable(error));
        QString url;
        for (const auto& line : out.split('\n'))
            if (line.startsWith("CHRONOSCOPE_PG_URL="))
                url = QString::fromUtf8(line.mid(int(qstrlen("CHRONOSCOPE_PG_URL=")))).trimmed();
        QVERIFY(!url.isEmpty());
        bool stopped = false;
        auto stop = qScopeGuard([&] {
            QString ignored;
            if (!stopped)
                script({QStringLiteral("stop"), serverDir}, nullptr, &ignored);
        });
        OpenOptions create;
        create.create = true;
        auto shown = openStore(url, create);
        auto writer = openStore(url); // another writer: its appends are not this object's
        writer->append(testing::sid("cart-1"), testing::events(2), ExpectedVersion::any());
        StoreFollower follower(*shown, Position(0), {}, 50);
        QSignalSpy changed(shown.get(), &EventStore::changedElsewhere);
        QTRY_COMPARE_WITH_TIMEOUT(follower.lastPosition(), Position(2), 5000);
        writer->append(testing::sid("cart-1"), testing::events(1), ExpectedVersion::any());
        QTRY_VERIFY_WITH_TIMEOUT(
            !changed.isEmpty() && changed.last().at(0).value<Position>() == Position(3), 5000);
        QVERIFY(follower.problem().isEmpty());

        // The server goes away: said, and the process keeps answering.
        writer.reset();
        QVERIFY2(script({QStringLiteral("pause"), serverDir}, nullptr, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(!follower.problem().isEmpty(), 15000);
        QVERIFY2(follower.problem().contains(url) && follower.problem().contains(QLatin1String("server")),
            qPrintable(follower.problem()));
        QVERIFY_THROWS_EXCEPTION(StoreError, shown->readAll(std::nullopt, 10));
        // It comes back: the connection is made again, the problem clears, new events are seen.
        QVERIFY2(script({QStringLiteral("resume"), serverDir}, nullptr, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(follower.problem().isEmpty(), 15000);
        openStore(url)->append(testing::sid("cart-1"), testing::events(1), ExpectedVersion::any());
        QTRY_VERIFY_WITH_TIMEOUT(changed.last().at(0).value<Position>() == Position(4), 5000);
        QCOMPARE(shown->readAll(std::nullopt, 10).size(), std::size_t(4));
        QVERIFY2(script({QStringLiteral("stop"), serverDir}, nullptr, &error), qPrintable(error));
        stopped = true;
    }

private:
    static QString wrapper(const std::string& name)
    {
        return QStringLiteral("\nvar picked = EmmettHoldoutReducers.reducers['%1'];\n"
                              "function initialState() { return picked.initialState(); }\n"
                              "function evolve(state, event) { return picked.evolve(state, event); }\n")
            .arg(QString::fromStdString(name));
    }
};

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    // The writer process of twoProcessesRaceOnOneStream: URL|stream|writer|count.
    const auto writer = qEnvironmentVariable("TST_POSTGRES_WRITER");
    if (!writer.isEmpty()) {
        const auto parts = writer.split(QLatin1Char('|'));
        if (parts.size() != 4)
            return 2;
        return runWriter(parts[0], parts[1], parts[2].toInt(), parts[3].toInt());
    }
    TestPostgres test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_postgres.moc"
