// SQLite-specific behaviour of the native store and of openStore(): files on disk, schema
// upgrades, bad files left untouched, read-only and locked files, two writers on one file.
#include "store/sqlite/sqleventstore.h"
#include "store/sqlite/sqliteschema.h"
#include "store/storefactory.h"
#include "support/streampages.h"
#include "support/testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <unistd.h>

using namespace chronoscope;
using testing::makeEvent;
using testsupport::fileHash;
using testsupport::writeFile;

namespace {

/// Runs SQL on a file through a Qt connection of the test's own, then closes it.
void runSql(const QString& path, const QStringList& statements)
{
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("test-sql"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        for (const auto& sql : statements)
            QVERIFY2(q.exec(sql), qPrintable(q.lastError().text() + QLatin1String(": ") + sql));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("test-sql"));
}

QString queryText(const QString& path, const QString& sql)
{
    QString value;
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("test-query"));
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                value = q.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("test-query"));
    return value;
}

/// Creates a store with three events in two streams and closes it.
void makeStore(const QString& path)
{
    auto store = createSqliteStore(path);
    store->append(StreamId(QStringLiteral("cart-1")),
        {makeEvent(QStringLiteral("A")), makeEvent(QStringLiteral("B"))}, ExpectedVersion::noStream());
    store->append(
        StreamId(QStringLiteral("order-1")), {makeEvent(QStringLiteral("A"))}, ExpectedVersion::noStream());
}

} // namespace

class TestSqliteStore : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const char* name) const { return m_dir->filePath(QString::fromUtf8(name)); }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }
    void cleanup() { m_dir.reset(); }

    void reopenKeepsData()
    {
        const auto file = path("store.chronoscope");
        makeStore(file);
        QCOMPARE(detectFormat(file), StoreFormat::ChronoscopeSqlite);
        auto store = openStore(file);
        const auto summary = store->summary();
        QCOMPARE(summary.format, QStringLiteral("chronoscope-sqlite"));
        QCOMPARE(summary.location, file);
        QCOMPARE(summary.events, 3);
        QCOMPARE(summary.streams, 2);
        QCOMPARE(store->readStream(StreamId(QStringLiteral("cart-1")), std::nullopt, 10).at(1).type,
            QStringLiteral("B"));
        const auto r = store->append(StreamId(QStringLiteral("cart-1")), {makeEvent(QStringLiteral("C"))},
            ExpectedVersion::exact(Version(2)));
        QCOMPARE(r.firstPosition.value, 4);
        QCOMPARE(r.version.value, 3);
        QCOMPARE(queryText(file, QStringLiteral("PRAGMA journal_mode")), QStringLiteral("wal"));
    }

    void upgradesOlderSchema()
    {
        const auto file = path("old.db");
        QStringList sql;
        for (const char* statement : sqliteschema::migrations().front().statements)
            sql << QString::fromUtf8(statement);
        sql << QStringLiteral("INSERT INTO chronoscope_meta VALUES('schema_version', '1')");
        for (int i = 1; i <= 3; ++i)
            sql << QStringLiteral(
                "INSERT INTO events VALUES(%1, 'cart-1', %1, '%2', '%3', 1, %4, '{}', NULL)")
                       .arg(i)
                       .arg(QUuid::createUuid().toString(QUuid::WithoutBraces),
                           i == 2 ? QStringLiteral("B") : QStringLiteral("A"))
                       .arg(i * 1000);
        sql << QStringLiteral("INSERT INTO streams VALUES('cart-1', 'cart', 3, 3, 1, 3, 1000, 3000)");
        runSql(file, sql);
        QVERIFY(sqliteschema::currentVersion() > 1);
        const auto before = fileHash(file);

        // Read-only cannot upgrade: a clear error, and the file stays as it was.
        try {
            openStore(file, {.readOnly = true});
            QFAIL("no OpenError");
        } catch (const OpenError& error) {
            QVERIFY2(
                error.message().contains(file) && error.message().contains(QLatin1String("schema version 1")),
                qPrintable(error.message()));
        }
        QCOMPARE(fileHash(file), before);

        {
            auto store = openStore(file);
            QCOMPARE(store->summary().events, 3);
            QCOMPARE(store->summary().streams, 1);
            QCOMPARE(store->summary().lastPosition.value, 3);
            const auto types = store->typeCounts();
            QCOMPARE(types.size(), std::size_t(2));
            QCOMPARE(types[0].events, 2);
            QCOMPARE(types[1].events, 1);
            store->append(StreamId(QStringLiteral("cart-1")), {makeEvent(QStringLiteral("B"))},
                ExpectedVersion::exact(Version(3)));
            QCOMPARE(store->summary().events, 4);
            QCOMPARE(store->typeCounts()[1].events, 2);
            QCOMPARE(store->categories(), (std::vector<CategoryInfo> {{QStringLiteral("cart"), 1, 4}}));
        }
        QCOMPARE(queryText(
                     file, QStringLiteral("SELECT value FROM chronoscope_meta WHERE key = 'schema_version'")),
            QString::number(sqliteschema::currentVersion()));
    }

    void schemaTwoReadsWithoutUpgrade()
    {
        // A version-2 file (no category counts, no stream-list indexes), opened read-only by a
        // program that must not write it: lists and counts work, and the file is untouched.
        const auto file = path("v2.db");
        makeStore(file);
        runSql(file,
            {QStringLiteral("DROP TABLE categories"), QStringLiteral("DROP INDEX streams_by_category"),
                QStringLiteral("DROP INDEX streams_by_version"),
                QStringLiteral("DROP INDEX streams_by_events"), QStringLiteral("DROP INDEX streams_by_last"),
                QStringLiteral("UPDATE chronoscope_meta SET value = '2' WHERE key = 'schema_version'")});
        const auto before = fileHash(file);
        const std::vector<CategoryInfo> expected {
            {QStringLiteral("cart"), 1, 2}, {QStringLiteral("order"), 1, 1}};
        {
            auto store = openStore(file, {.readOnly = true});
            QCOMPARE(store->categories(), expected);
            StreamQuery byEvents;
            byEvents.sort = StreamQuery::Sort::Events;
            byEvents.descending = true;
            const auto page = store->streamPage(byEvents, std::nullopt, 10);
            QCOMPARE(page.size(), std::size_t(2));
            QCOMPARE(page[0].stream.toString(), QStringLiteral("cart-1"));
        }
        QCOMPARE(fileHash(file), before);
        {
            auto store = openStore(file); // writable: upgraded, the counts built from the streams
            QCOMPARE(store->categories(), expected);
            store->append(StreamId(QStringLiteral("cart-2")), {makeEvent(QStringLiteral("A"))},
                ExpectedVersion::noStream());
            QCOMPARE(store->categories()[0], (CategoryInfo {QStringLiteral("cart"), 2, 3}));
        }
        QCOMPARE(queryText(file, QStringLiteral("SELECT count(*) FROM categories")), QStringLiteral("2"));
    }

    void streamPagesMatchTheReference()
    {
        auto store = createSqliteStore(path("pages.db"));
        int checked = 0;
        const QString mismatch = testsupport::checkStreamPages(*store, &checked);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        QVERIFY2(checked > 100, qPrintable(QString::number(checked))); // most combinations select something
    }

    void refusesNewerSchema()
    {
        const auto file = path("new.db");
        makeStore(file);
        runSql(
            file, {QStringLiteral("UPDATE chronoscope_meta SET value = '99' WHERE key = 'schema_version'")});
        const auto before = fileHash(file);
        try {
            openStore(file);
            QFAIL("no OpenError");
        } catch (const OpenError& error) {
            QVERIFY2(error.message().contains(QLatin1String("newer")), qPrintable(error.message()));
        }
        QCOMPARE(fileHash(file), before);
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("content"); // "sqlite:<statements>" creates an SQLite file
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("message");
        QTest::newRow("text") << QByteArray("hello world\nsecond line\n") << int(StoreFormat::Unknown)
                              << QStringLiteral("is not an event store: neither SQLite nor JSON Lines");
        QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff\xfe", 5) << int(StoreFormat::Unknown)
                                << QStringLiteral("neither SQLite nor JSON Lines");
        QTest::newRow("JSON array") << QByteArray("[1, 2]\n") << int(StoreFormat::Unknown)
                                    << QStringLiteral("neither SQLite nor JSON Lines");
        QTest::newRow("empty") << QByteArray() << int(StoreFormat::Unknown) << QStringLiteral("is empty");
        QTest::newRow("damaged SQLite") << QByteArray("SQLite format 3\0", 16) + QByteArray(600, '\x07')
                                        << int(StoreFormat::OtherSqlite) << QStringLiteral("database");
        QTest::newRow("other schema")
            << QByteArray("sqlite:CREATE TABLE foo(x);CREATE TABLE bar(y);INSERT INTO foo VALUES(1)")
            << int(StoreFormat::OtherSqlite)
            << QStringLiteral("is an SQLite database but not a Chronoscope store (tables: bar, foo)");
        QTest::newRow("no tables") << QByteArray("sqlite:PRAGMA user_version = 7")
                                   << int(StoreFormat::OtherSqlite)
                                   << QStringLiteral("not a Chronoscope store (no tables)");
    }
    void badFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, format);
        QFETCH(QString, message);
        const auto file = path("input.db");
        if (content.startsWith("sqlite:"))
            runSql(file, QString::fromUtf8(content.mid(7)).split(QLatin1Char(';')));
        else
            QVERIFY(writeFile(file, content));
        const auto before = fileHash(file);
        const auto entries = QDir(m_dir->path()).entryList(QDir::Files);

        QCOMPARE(int(detectFormat(file)), format);
        for (int attempt = 0; attempt < 3; ++attempt) {
            try {
                if (attempt == 0)
                    openStore(file);
                else if (attempt == 1)
                    openStore(file, {.readOnly = true, .create = true});
                else
                    SqlEventStore store(file);
                QFAIL("no OpenError");
            } catch (const OpenError& error) {
                QVERIFY2(error.message().contains(QLatin1Char('\'') + file + QLatin1Char('\'')),
                    qPrintable(error.message()));
                if (attempt < 2)
                    QVERIFY2(error.message().contains(message), qPrintable(error.message()));
            }
        }
        QCOMPARE(fileHash(file), before);
        QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), entries);
    }

    void missingFile()
    {
        const auto file = path("missing.db");
        QCOMPARE(detectFormat(file), StoreFormat::Missing);
        for (bool readOnly : {false, true}) {
            try {
                openStore(file, {.readOnly = readOnly});
                QFAIL("no OpenError");
            } catch (const OpenError& error) {
                QVERIFY2(
                    error.message().contains(file) && error.message().contains(QLatin1String("no such file")),
                    qPrintable(error.message()));
            }
        }
        QVERIFY_THROWS_EXCEPTION(OpenError, SqlEventStore store(file));
        QVERIFY(QDir(m_dir->path()).entryList(QDir::Files).isEmpty());

        auto created = openStore(file, {.create = true});
        QCOMPARE(created->summary().events, 0);
        QVERIFY(QFile::exists(file));
        QVERIFY_THROWS_EXCEPTION(OpenError, createSqliteStore(file));
    }

    void readOnlyOption()
    {
        const auto file = path("store.db");
        makeStore(file);
        const auto before = fileHash(file);
        {
            auto store = openStore(file, {.readOnly = true});
            QVERIFY(store->isReadOnly());
            QCOMPARE(store->readAll(std::nullopt, 10).size(), std::size_t(3));
            try {
                store->append(StreamId(QStringLiteral("cart-1")), {makeEvent(QStringLiteral("C"))},
                    ExpectedVersion::any());
                QFAIL("no ReadOnlyError");
            } catch (const ReadOnlyError& error) {
                QVERIFY2(error.message().contains(file), qPrintable(error.message()));
            }
            QVERIFY_THROWS_EXCEPTION(ReadOnlyError, store->importRecorded({*store->readAt(Position(1))}));
        }
        QCOMPARE(fileHash(file), before);
    }

    void fileNotWritable()
    {
        if (::geteuid() == 0)
            QSKIP("running as root: a chmod 444 file is still writable");
        const auto file = path("store.db");
        makeStore(file);
        QVERIFY(QFile::setPermissions(file, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        const auto before = fileHash(file);
        {
            QCOMPARE(detectFormat(file), StoreFormat::ChronoscopeSqlite);
            auto store = openStore(file);
            QVERIFY(store->isReadOnly());
            QCOMPARE(store->summary().events, 3);
            QCOMPARE(store->readStream(StreamId(QStringLiteral("cart-1")), std::nullopt, 10).size(),
                std::size_t(2));
            try {
                store->append(StreamId(QStringLiteral("cart-1")), {makeEvent(QStringLiteral("C"))},
                    ExpectedVersion::any());
                QFAIL("no ReadOnlyError");
            } catch (const ReadOnlyError& error) {
                QVERIFY2(error.message().contains(file) && error.message().contains(QLatin1String("write")),
                    qPrintable(error.message()));
            }
        }
        QCOMPARE(fileHash(file), before);
    }

    void lockedFile()
    {
        const auto file = path("store.db");
        makeStore(file);
        const auto before = fileHash(file);
        {
            auto locker = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
            locker.setDatabaseName(file);
            QVERIFY(locker.open());
            QSqlQuery q(locker);
            QVERIFY(q.exec(QStringLiteral("BEGIN EXCLUSIVE")));

            SqlEventStore store(file, {.busyTimeoutMs = 200});
            QCOMPARE(store.summary().events, 3); // WAL: readers are not blocked by a writer
            QElapsedTimer timer;
            timer.start();
            try {
                store.append(StreamId(QStringLiteral("cart-1")), {makeEvent(QStringLiteral("C"))},
                    ExpectedVersion::any());
                QFAIL("no StoreError");
            } catch (const StoreError& error) {
                QVERIFY2(error.message().contains(file) && error.message().contains(QLatin1String("locked")),
                    qPrintable(error.message()));
            }
            QVERIFY(timer.elapsed() < 10000); // gave up instead of hanging
            QCOMPARE(store.summary().events, 3);
            QCOMPARE(fileHash(file), before);
            QVERIFY(q.exec(QStringLiteral("ROLLBACK")));
            // Once the lock is gone, writing works again.
            store.append(
                StreamId(QStringLiteral("cart-1")), {makeEvent(QStringLiteral("C"))}, ExpectedVersion::any());
            QCOMPARE(store.summary().events, 4);
            locker.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
    }

    void badEventsLeaveFileUnchanged_data()
    {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("metadata");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty stream") << QString() << QStringLiteral("T") << QByteArray("{}") << QByteArray()
                                      << QStringLiteral("stream id is empty");
        QTest::newRow("empty type") << QStringLiteral("cart-1") << QString() << QByteArray("{}")
                                    << QByteArray()
                                    << QStringLiteral(
                                           "'cart-1', event 2 of the batch: the event type is empty");
        QTest::newRow("invalid JSON")
            << QStringLiteral("cart-1") << QStringLiteral("T") << QByteArray("{\"a\" 1}") << QByteArray()
            << QStringLiteral("data is not valid JSON");
        QTest::newRow("metadata not an object")
            << QStringLiteral("cart-1") << QStringLiteral("T") << QByteArray("{}") << QByteArray("\"text\"")
            << QStringLiteral("metadata must be a JSON object");
    }
    void badEventsLeaveFileUnchanged()
    {
        QFETCH(QString, stream);
        QFETCH(QString, type);
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, metadata);
        QFETCH(QString, message);
        const auto file = path("store.db");
        makeStore(file);
        const auto before = fileHash(file);
        {
            auto store = openStore(file);
            try {
                store->append(StreamId(stream),
                    {makeEvent(QStringLiteral("Fine")), makeEvent(type, data, std::nullopt, metadata)},
                    ExpectedVersion::any());
                QFAIL("no InvalidInput");
            } catch (const InvalidInput& error) {
                QVERIFY2(error.message().contains(message), qPrintable(error.message()));
            }
            QCOMPARE(store->summary().events, 3);
        }
        QCOMPARE(fileHash(file), before);
    }

    void twoWritersOnOneFile()
    {
        const auto file = path("shared.db");
        makeStore(file);
        SqlEventStore first(file);
        SqlEventStore second(file);
        const StreamId stream(QStringLiteral("counter-1"));
        constexpr int perWriter = 150;
        std::atomic<int> conflicts {0};
        std::atomic<int> failures {0};
        const auto writer = [&](SqlEventStore* store, int who) {
            for (int done = 0; done < perWriter;) {
                const auto info = store->streamInfo(stream);
                const qint64 version = info ? info->version.value : 0;
                const QByteArray data = "{\"writer\":" + QByteArray::number(who)
                    + ",\"expected\":" + QByteArray::number(version) + "}";
                try {
                    store->append(stream, {makeEvent(QStringLiteral("Counted"), data)},
                        ExpectedVersion::exact(Version(version)));
                    ++done;
                } catch (const WrongExpectedVersion& error) {
                    if (error.expected().version().value == version && error.actual().value > version)
                        ++conflicts;
                    else
                        ++failures;
                } catch (const StoreError&) {
                    ++failures;
                }
            }
        };
        std::unique_ptr<QThread> a(QThread::create(writer, &first, 1));
        std::unique_ptr<QThread> b(QThread::create(writer, &second, 2));
        a->start();
        b->start();
        QVERIFY(a->wait(60000));
        QVERIFY(b->wait(60000));
        QCOMPARE(failures.load(), 0);
        const auto events = first.readStream(stream, std::nullopt, 10 * perWriter);
        QCOMPARE(qint64(events.size()), 2 * perWriter);
        QCOMPARE(second.streamInfo(stream)->version.value, 2 * perWriter);
        QCOMPARE(first.summary().events, 3 + 2 * perWriter);
        // Each event was written under the expectation that the stream was one version behind it:
        // a stale expectation never got through.
        for (const auto& e : events)
            QCOMPARE(e.dataJson().at("expected").get<qint64>() + 1, e.version.value);
        qInfo("conflicts reported: %d", conflicts.load());
    }

    void readsSeeWrites()
    {
        const auto file = path("store.db");
        makeStore(file);
        SqlEventStore store(file);
        SqlEventStore other(file);
        QCOMPARE(store.summary().events, 3); // this thread now holds a read snapshot
        // A write through the same store from another thread is seen at once...
        std::unique_ptr<QThread> writer(QThread::create([&store] {
            store.append(
                StreamId(QStringLiteral("cart-9")), {makeEvent(QStringLiteral("A"))}, ExpectedVersion::any());
        }));
        writer->start();
        QVERIFY(writer->wait(10000));
        QCOMPARE(store.summary().events, 4);
        QCOMPARE(store.streamInfo(StreamId(QStringLiteral("cart-9")))->version.value, 1);
        // ...and a write through another connection to the file shortly after.
        other.append(StreamId(QStringLiteral("cart-9")), {makeEvent(QStringLiteral("B"))},
            ExpectedVersion::exact(Version(1)));
        QTRY_COMPARE_WITH_TIMEOUT(store.summary().events, 5, 2000);
        QCOMPARE(store.readAt(Position(5))->type, QStringLiteral("B"));
        QCOMPARE(other.summary().events, 5);
    }

    void bulkImportRebuildsIndexes()
    {
        // An import of many events into an empty store builds the secondary indexes after the
        // rows; they must come back exactly as the schema defines them, and a failed import
        // must leave the store (indexes included) as it was.
        const auto file = path("bulk.chronoscope");
        const QString indexes = QStringLiteral(
            "SELECT group_concat(name || ':' || sql, '|') FROM (SELECT name, sql FROM sqlite_master"
            " WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)");
        const auto events = [](qint64 count, bool gapAtEnd) {
            std::vector<RecordedEvent> out;
            for (qint64 i = 0; i < count; ++i) {
                RecordedEvent e;
                e.position = Position(i + 1);
                e.stream = StreamId(QStringLiteral("cart-%1").arg(i % 100));
                e.version = Version(i / 100 + 1 + (gapAtEnd && i == count - 1 ? 1 : 0));
                e.id = QUuid::createUuid();
                e.type = i % 3 == 0 ? QStringLiteral("Created") : QStringLiteral("Added");
                e.timestampMs = 1767225600000 + i;
                e.data = "{\"n\":" + QByteArray::number(i) + '}';
                out.push_back(std::move(e));
            }
            return out;
        };
        createSqliteStore(file);
        const QString before = queryText(file, indexes);
        QVERIFY(before.contains(QLatin1String("events_by_type")));
        QVERIFY(before.contains(QLatin1String("events_by_time")));
        {
            SqlEventStore store(file);
            QVERIFY_THROWS_EXCEPTION(InvalidInput, store.importRecorded(events(60000, true)));
            QCOMPARE(store.summary().events, 0);
        }
        QCOMPARE(queryText(file, indexes), before);
        {
            SqlEventStore store(file);
            store.importRecorded(events(60000, false));
            QCOMPARE(store.summary().events, 60000);
            QCOMPARE(store.streamInfo(StreamId(QStringLiteral("cart-7")))->version.value, 600);
            EventFilter byType;
            byType.types = {QStringLiteral("Created")};
            const auto created = store.readAll(Position(59000), 1000, byType);
            QVERIFY(!created.empty());
            for (const auto& e : created)
                QCOMPARE(e.type, QStringLiteral("Created"));
        }
        QCOMPARE(queryText(file, indexes), before);
        QCOMPARE(queryText(file, QStringLiteral("PRAGMA integrity_check")), QStringLiteral("ok"));
        QCOMPARE(queryText(file,
                     QStringLiteral(
                         "SELECT count(*) FROM events INDEXED BY events_by_type WHERE type = 'Created'")),
            QStringLiteral("20000"));
    }

    void checkpointsWhileWriting()
    {
        // Checkpoints run off the writing thread: the database file must still grow while the
        // store stays open, and the WAL must not grow without bound.
        const auto file = path("wal.chronoscope");
        SqlEventStore store(file, {.create = true});
        const qint64 start = QFileInfo(file).size();
        const QByteArray data(400, 'x');
        const QByteArray json = "{\"pad\":\"" + data + "\"}";
        for (int batch = 0; batch < 30; ++batch) {
            std::vector<EventData> events(500, makeEvent(QStringLiteral("Padded"), json));
            store.append(StreamId(QStringLiteral("pad-%1").arg(batch)), events, ExpectedVersion::noStream());
        }
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(file).size() > start + 4 * 1024 * 1024, 5000);
        QVERIFY(QFileInfo(file + QStringLiteral("-wal")).size() < 80 * 1024 * 1024);
        QCOMPARE(store.summary().events, 15000);
    }

    void validatesPayloadsWithoutDom()
    {
        const auto file = path("valid.chronoscope");
        SqlEventStore store(file, {.create = true});
        const StreamId stream(QStringLiteral("v-1"));
        // Up to the one bound for JSON (512 levels, jsondepth.h) a payload is stored; deeper
        // ones are refused below (a reader would refuse them again, or turn them into text).
        const QByteArray deep = QByteArray(512, '[') + QByteArray(512, ']');
        store.append(stream, {makeEvent(QStringLiteral("Deep"), deep)}, ExpectedVersion::any());
        store.append(
            stream, {makeEvent(QStringLiteral("Meta"), "1", std::nullopt, " \t\n")}, ExpectedVersion::any());
        store.append(stream, {makeEvent(QStringLiteral("Meta"), "\"s\"", std::nullopt, " {\"a\":[1]} ")},
            ExpectedVersion::any());
        QCOMPARE(store.streamInfo(stream)->version.value, 3);
        const auto rejects = [&](const QByteArray& data, const QByteArray& metadata, const char* message) {
            try {
                store.append(stream, {makeEvent(QStringLiteral("Bad"), data, std::nullopt, metadata)},
                    ExpectedVersion::any());
                return QStringLiteral("accepted");
            } catch (const InvalidInput& error) {
                return error.message().contains(QLatin1String(message)) ? QString() : error.message();
            }
        };
        QCOMPARE(
            rejects(QByteArray(513, '[') + QByteArray(513, ']'), {}, "data is nested deeper than 512 levels"),
            QString());
        QCOMPARE(rejects("{}", "{\"m\":" + QByteArray(600, '[') + QByteArray(600, ']') + "}",
                     "metadata is nested deeper than 512 levels"),
            QString());
        QCOMPARE(rejects("{\"a\":\"\xff\"}", {}, "data is not valid JSON"), QString());
        QCOMPARE(rejects("\"\\ud800\"", {}, "data is not valid JSON"), QString());
        QCOMPARE(rejects("{} {}", {}, "data is not valid JSON"), QString());
        QCOMPARE(rejects("", {}, "data is not valid JSON"), QString());
        QCOMPARE(rejects("{}", "[1]", "metadata must be a JSON object"), QString());
        QCOMPARE(rejects("{}", "{\"a\":}", "metadata is not valid JSON"), QString());
        QCOMPARE(rejects("{}", "\v{}", "metadata is not valid JSON"), QString());
        QCOMPARE(store.streamInfo(stream)->version.value, 3);
    }

    void opensJsonLines()
    {
        const auto file = path("events.txt");
        QVERIFY(writeFile(file,
            "\n{\"stream\":\"cart-1\",\"type\":\"A\",\"data\":{\"n\":1}}\n"
            "{\"stream\":\"cart-1\",\"type\":\"B\",\"data\":{}}\n"));
        QCOMPARE(detectFormat(file), StoreFormat::JsonLines);
        auto store = openStore(file);
        QCOMPARE(store->summary().format, QStringLiteral("jsonl"));
        QCOMPARE(store->summary().location, file);
        QVERIFY(store->isReadOnly());
        QCOMPARE(store->streamInfo(StreamId(QStringLiteral("cart-1")))->version.value, 2);
        QVERIFY_THROWS_EXCEPTION(ReadOnlyError,
            store->append(
                StreamId(QStringLiteral("x-1")), {makeEvent(QStringLiteral("A"))}, ExpectedVersion::any()));

        const auto bad = path("bad.jsonl");
        QVERIFY(writeFile(bad,
            "{\"stream\":\"cart-1\",\"type\":\"A\",\"data\":{}}\n{\"stream\":\"cart-1\",\"data\":{}}\n"));
        try {
            openStore(bad);
            QFAIL("no OpenError");
        } catch (const OpenError& error) {
            QVERIFY2(error.message().contains(bad) && error.message().contains(QLatin1Char('2')),
                qPrintable(error.message()));
        }
    }
};

QTEST_GUILESS_MAIN(TestSqliteStore)
#include "tst_sqlitestore.moc"
