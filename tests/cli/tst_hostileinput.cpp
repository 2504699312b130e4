// Hostile input through the real chronoscope-cli: deep nesting by every door, patterns that
// overflow or explode std::regex, bytes that are not UTF-8, numbers no double holds, foreign
// stores behind --force, partial files of killed runs, files whose format is in doubt. Each
// answers with a clear error naming what and where (exit 1 or 2) or the right answer: never a
// signal, a hang or a silently changed event.
#include "base/errors.h"
#include "store/storefactory.h"
#include "support/clirun.h"
#include "support/testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <csignal>
#include <unistd.h>

using testsupport::fileHash;
using testsupport::Result;
using testsupport::runCli;
using testsupport::writeFile;

namespace {

QByteArray nestedArrays(int depth, const QByteArray& inner = "1")
{
    return QByteArray(depth, '[') + inner + QByteArray(depth, ']');
}

QByteArray nestedObjects(int depth, const char* key)
{
    QByteArray out;
    for (int i = 0; i < depth; ++i)
        out += QByteArray("{\"") + key + "\":";
    out += "{}";
    out += QByteArray(depth, '}');
    return out;
}

// Runs a bash script with $CLI set: for arguments that QProcess cannot pass (bytes that are
// not UTF-8, written with bash's $'\xff' quoting).
Result runShell(const QString& script)
{
    QProcess process;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CLI"), QStringLiteral(CHRONOSCOPE_CLI));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral("bash"), {QStringLiteral("-c"), script});
    return testsupport::finish(process);
}

// A clean failure: exit 1 or 2, no signal, no time-out, a message that contains `text`.
#define EXPECT_REFUSED(result, text)                                                                         \
    do {                                                                                                     \
        const Result r_ = (result);                                                                          \
        QVERIFY2(r_.code == 1 || r_.code == 2,                                                               \
            qPrintable(QStringLiteral("exit %1: %2").arg(r_.code).arg(QString::fromUtf8(r_.err))));          \
        QVERIFY2(r_.err.contains(text), r_.err.constData());                                                 \
    } while (false)

#define EXPECT_OK(result)                                                                                    \
    do {                                                                                                     \
        const Result r_ = (result);                                                                          \
        QVERIFY2(r_.code == 0,                                                                               \
            qPrintable(QStringLiteral("exit %1: %2").arg(r_.code).arg(QString::fromUtf8(r_.err))));          \
    } while (false)

} // namespace

class TestHostileInput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void deepPayloadIsRefusedOnAppend();
    void deepForeignImports_data();
    void deepForeignImports();
    void deepUpcasterRules();
    void deepSchema();
    void schemaPatternsAreBounded();
    void schemaFormatOnLongString();
    void deepForeignPayloadIsExportedAsIs();
    void invalidUtf8IsRefused_data();
    void invalidUtf8IsRefused();
    void numberOverflowNamesTheOption();
    void forceNeverReplacesForeignStores();
    void forceRefusesStoreInUse();
    void abandonedPartialsAreRemoved();
    void emptyImportSourceIsAnError();
    void longFirstLineIsJsonLinesEverywhere();
    void importBehindTheStoreSaysWhy();
    void readOnlyOpenLeavesNoFiles();
    void deepScriptStateIsRefused_data();
    void deepScriptStateIsRefused();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QString emmettCopy(const QString& name) const;

    QTemporaryDir m_dir;
    QString m_store;
};

void TestHostileInput::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_store = path(QStringLiteral("shop.chronoscope"));
    EXPECT_OK(runCli({QStringLiteral("sample"), m_store, QStringLiteral("--events"), QStringLiteral("200")}));
}

QString TestHostileInput::emmettCopy(const QString& name) const
{
    const QString fixture
        = QStringLiteral(CHRONOSCOPE_SHARED_DIR "/fixtures/emmett-sqlite/emmett-store.sqlite");
    const QString copy = path(name);
    QFile::remove(copy);
    if (!QFile::copy(fixture, copy))
        return {};
    QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return copy;
}

void TestHostileInput::deepPayloadIsRefusedOnAppend()
{
    const QString store = path(QStringLiteral("deep.chronoscope"));
    // 60,000 levels: one argument stays under Linux's 128 KiB limit for a single argument.
    for (const auto& data : {nestedArrays(600), nestedObjects(600, "a"), nestedArrays(60000)}) {
        EXPECT_REFUSED(runCli({QStringLiteral("append"), store, QStringLiteral("--create"),
                           QStringLiteral("--stream"), QStringLiteral("d-1"), QStringLiteral("--type"),
                           QStringLiteral("Deep"), QStringLiteral("--data"), QString::fromUtf8(data)}),
            "--data is nested deeper than 512 levels");
        QVERIFY(!QFile::exists(store));
    }
    EXPECT_REFUSED(
        runCli({QStringLiteral("append"), m_store, QStringLiteral("--stream"), QStringLiteral("d-1"),
            QStringLiteral("--type"), QStringLiteral("Deep"), QStringLiteral("--data"), QStringLiteral("{}"),
            QStringLiteral("--metadata"), QString::fromUtf8("{\"m\":" + nestedArrays(700) + "}")}),
        "--metadata is nested deeper than 512 levels");

    // Within the bound the payload is stored and read back as the same object, not a string.
    const QByteArray fine = nestedObjects(500, "k");
    EXPECT_OK(runCli({QStringLiteral("append"), store, QStringLiteral("--create"), QStringLiteral("--stream"),
        QStringLiteral("d-1"), QStringLiteral("--type"), QStringLiteral("Deep"), QStringLiteral("--data"),
        QString::fromUtf8(fine)}));
    const auto events = runCli({QStringLiteral("events"), store});
    EXPECT_OK(events);
    const auto line = nlohmann::json::parse(events.out.constBegin(), events.out.constEnd());
    QVERIFY(line["data"].is_object());
    QCOMPARE(QByteArray::fromStdString(line["data"].dump()), fine);
}

void TestHostileInput::deepForeignImports_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("command");
    const QByteArray deep = nestedArrays(100000);
    const QByteArray kurrent
        = "[{\"eventType\":\"Deep\",\"streamId\":\"k-1\",\"data\":" + deep + ",\"metadata\":{}}]";
    const QByteArray kurrent50k = "[{\"eventType\":\"Deep\",\"streamId\":\"k-1\",\"data\":"
        + nestedArrays(50000) + ",\"metadata\":{}}]";
    const QByteArray redux = "{\"actionsById\":{\"0\":{\"action\":{\"type\":\"@@INIT\",\"x\":" + deep
        + "}}},\"stagedActionIds\":[0],\"computedStates\":[{\"state\":{}}]}";
    QTest::newRow("KurrentDB 100k info") << kurrent << QStringLiteral("info");
    QTest::newRow("KurrentDB 100k import") << kurrent << QStringLiteral("import");
    QTest::newRow("KurrentDB 50k import") << kurrent50k << QStringLiteral("import");
    QTest::newRow("Redux 100k info") << redux << QStringLiteral("info");
    QTest::newRow("Redux 100k import") << redux << QStringLiteral("import");
}

void TestHostileInput::deepForeignImports()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, command);
    const QString source = path(QStringLiteral("deep-export.json"));
    QVERIFY(writeFile(source, content));
    const QString destination = path(QStringLiteral("deep-import.chronoscope"));
    QFile::remove(destination);
    const QStringList args = command == QLatin1String("info") ? QStringList {command, source}
                                                              : QStringList {command, source, destination};
    EXPECT_REFUSED(runCli(args), "nested deeper than 512 levels");
    QVERIFY(!QFile::exists(destination));
}

void TestHostileInput::deepUpcasterRules()
{
    for (const char* member : {"default", "from"}) {
        const QByteArray rules
            = QByteArray("[{\"type\":\"ItemAdded\",\"from\":1,\"to\":2,\"ops\":[{\"op\":\"add\",\"path\":"
                         "\"/x\",\"")
            + member + "\":" + nestedArrays(60000) + "}]}]";
        const QString file = path(QStringLiteral("deep-rules.json"));
        QVERIFY(writeFile(file, rules));
        for (const auto& command : {QStringLiteral("upcast"), QStringLiteral("events")}) {
            EXPECT_REFUSED(
                runCli({command, m_store, QStringLiteral("--upcasters"), file}), "nested deeper than 512");
        }
        EXPECT_REFUSED(runCli({QStringLiteral("state"), m_store, QStringLiteral("--stream"),
                           QStringLiteral("cart-1"), QStringLiteral("--upcasters"), file}),
            "nested deeper than 512");
    }
}

void TestHostileInput::deepSchema()
{
    for (const char* keyword : {"not", "properties"}) {
        QDir(m_dir.path()).mkpath(QStringLiteral("deepschemas"));
        const QString dir = path(QStringLiteral("deepschemas"));
        QByteArray schema;
        if (qstrcmp(keyword, "not") == 0) {
            schema = nestedObjects(5000, "not");
        } else {
            for (int i = 0; i < 5000; ++i)
                schema += "{\"properties\":{\"a\":";
            schema += "{}";
            for (int i = 0; i < 5000; ++i)
                schema += "}}";
        }
        QVERIFY(writeFile(dir + QStringLiteral("/Deep.v1.schema.json"), schema));
        EXPECT_REFUSED(runCli({QStringLiteral("schema"), QStringLiteral("validate"),
                           QStringLiteral("--schemas"), dir, QStringLiteral("--type"), QStringLiteral("Deep"),
                           QStringLiteral("--event"), QStringLiteral("{}")}),
            "nested deeper than 512");
    }
    // A deep event against a shallow schema.
    QDir(m_dir.path()).mkpath(QStringLiteral("flatschemas"));
    const QString flat = path(QStringLiteral("flatschemas"));
    QVERIFY(writeFile(
        flat + QStringLiteral("/Any.v1.schema.json"), R"({"type":"array","items":{"type":"array"}})"));
    EXPECT_REFUSED(runCli({QStringLiteral("schema"), QStringLiteral("validate"), QStringLiteral("--schemas"),
                       flat, QStringLiteral("--type"), QStringLiteral("Any"), QStringLiteral("--event"),
                       QString::fromUtf8(nestedArrays(60000))}),
        "--event is nested deeper than 512");
}

void TestHostileInput::schemaPatternsAreBounded()
{
    QDir(m_dir.path()).mkpath(QStringLiteral("patterns"));
    const QString dir = path(QStringLiteral("patterns"));
    QVERIFY(writeFile(dir + QStringLiteral("/Star.v1.schema.json"),
        R"({"type":"object","properties":{"s":{"type":"string","pattern":"^.*$"}}})"));
    QVERIFY(writeFile(dir + QStringLiteral("/Nested.v1.schema.json"),
        R"({"type":"object","properties":{"s":{"type":"string","pattern":"^(a+)+$"}}})"));
    QVERIFY(writeFile(dir + QStringLiteral("/Inner.v1.schema.json"),
        R"({"type":"object","properties":{"s":{"type":"string","pattern":"a.*c"}}})"));
    QVERIFY(writeFile(dir + QStringLiteral("/Backref.v1.schema.json"),
        R"({"type":"object","properties":{"s":{"type":"string","pattern":"(a)\\1"}}})"));
    const auto validate = [&](const QString& type, const QString& s) {
        return runCli({QStringLiteral("schema"), QStringLiteral("validate"), QStringLiteral("--schemas"), dir,
                          QStringLiteral("--type"), type, QStringLiteral("--event"),
                          QString::fromStdString(nlohmann::json {{"s", s.toStdString()}}.dump())},
            60000);
    };
    const QString longText(30000, QLatin1Char('x'));
    // Valid: the whole 30,000-character string matches ^.*$ (it overflowed the stack before).
    EXPECT_OK(validate(QStringLiteral("Star"), longText));
    // Not valid, answered at once (it backtracked for minutes before).
    auto r = validate(QStringLiteral("Nested"), QString(33, QLatin1Char('a')) + QLatin1Char('b'));
    QVERIFY2(r.code == 1, r.err.constData());
    QVERIFY2(r.out.contains("pattern") || r.err.contains("pattern"), r.out.constData());
    EXPECT_OK(validate(QStringLiteral("Nested"), QString(40, QLatin1Char('a'))));
    // The search finds a match anywhere, and a 30,000-character miss is answered too.
    EXPECT_OK(validate(QStringLiteral("Inner"), QStringLiteral("xxabbbcxx")));
    r = validate(QStringLiteral("Inner"), QString(30000, QLatin1Char('a')));
    QVERIFY2(r.code == 1, r.err.constData());
    // A back-reference cannot be checked in linear time: said so, by name.
    r = validate(QStringLiteral("Backref"), QStringLiteral("aa"));
    QVERIFY2(r.code == 1, r.err.constData());
    const QByteArray said = r.out + r.err;
    QVERIFY2(said.contains("back-reference"), said.constData());
}

void TestHostileInput::schemaFormatOnLongString()
{
    QDir(m_dir.path()).mkpath(QStringLiteral("formats"));
    const QString dir = path(QStringLiteral("formats"));
    QVERIFY(writeFile(dir + QStringLiteral("/When.v1.schema.json"),
        R"({"type":"object","properties":{"d":{"type":"string","format":"date"},)"
        R"("t":{"type":"string","format":"date-time"}}})"));
    const auto validate = [&](const nlohmann::json& event) {
        return runCli({QStringLiteral("schema"), QStringLiteral("validate"), QStringLiteral("--schemas"), dir,
            QStringLiteral("--type"), QStringLiteral("When"), QStringLiteral("--event"),
            QString::fromStdString(event.dump())});
    };
    EXPECT_OK(validate({{"d", "2026-02-28"}, {"t", "2026-12-01T10:00:00.5+01:00"}}));
    QCOMPARE(validate({{"d", "2026-02-30"}}).code, 1);
    QCOMPARE(validate({{"d", "2026-13-01"}}).code, 1);
    QCOMPARE(validate({{"t", "2026-12-01T24:00:00Z"}}).code, 1);
    // 30,000 digits of year: the date format's regex overflowed the stack before.
    EXPECT_OK(validate({{"d", std::string(30000, '1') + "-01-01"}}));
    QCOMPARE(validate({{"d", std::string(30000, '1')}}).code, 1);
}

void TestHostileInput::deepForeignPayloadIsExportedAsIs()
{
    // An Emmett store (written by another library) may hold a payload deeper than our bound:
    // export writes it as the JSON it is, never as a string.
    const QString emmett = emmettCopy(QStringLiteral("deep-emmett.sqlite"));
    QVERIFY(!emmett.isEmpty());
    const QByteArray deep = "{\"deep\":" + nestedArrays(600) + "}";
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("emmett-edit"));
        db.setDatabaseName(emmett);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode = DELETE")));
        QVERIFY(q.prepare(QStringLiteral("UPDATE emt_messages SET message_data = ? WHERE rowid = "
                                         "(SELECT min(rowid) FROM emt_messages)")));
        q.addBindValue(QString::fromUtf8(deep));
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("emmett-edit"));
    const QString out = path(QStringLiteral("deep-emmett.jsonl"));
    EXPECT_OK(runCli({QStringLiteral("export"), emmett, out}));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray all = file.readAll();
    QVERIFY2(all.contains(QByteArray("\"data\":" + deep)), all.left(300).constData());
    // Reading it back names the bound and the line instead of storing something else.
    EXPECT_REFUSED(
        runCli({QStringLiteral("import"), out, path(QStringLiteral("deep-emmett.chronoscope"))}), "512");
}

void TestHostileInput::invalidUtf8IsRefused_data()
{
    QTest::addColumn<QString>("arguments"); // bash words after "$CLI append STORE --create"
    QTest::addColumn<QString>("named");
    QTest::addColumn<QString>("offset");
    const QString base = QStringLiteral("--stream s-1 --type T");
    QTest::newRow("--data \\xff") << base + QStringLiteral(R"( --data $'{"a":"\xff"}')")
                                  << QStringLiteral("--data") << QStringLiteral("offset 6");
    QTest::newRow("--data overlong") << base + QStringLiteral(R"( --data $'{"a":"\xc0\xaf"}')")
                                     << QStringLiteral("--data") << QStringLiteral("offset 6");
    QTest::newRow("--metadata") << base
            + QStringLiteral(R"( --data '{}' --metadata $'{"m":"ok\xed\xa0\x80"}')")
                                << QStringLiteral("--metadata") << QStringLiteral("offset 8");
    QTest::newRow("--type") << QStringLiteral(R"(--stream s-1 --type $'Item\xc0\xafAdded' --data '{}')")
                            << QStringLiteral("--type") << QStringLiteral("offset 4");
    QTest::newRow("--stream=") << QStringLiteral(R"($'--stream=cart-\xff' --type T --data '{}')")
                               << QStringLiteral("--stream") << QStringLiteral("offset 5");
}

void TestHostileInput::invalidUtf8IsRefused()
{
    QFETCH(QString, arguments);
    QFETCH(QString, named);
    QFETCH(QString, offset);
    const QString store = path(QStringLiteral("utf8.chronoscope"));
    QFile::remove(store);
    const auto r = runShell(QStringLiteral("\"$CLI\" append '%1' --create %2").arg(store, arguments));
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains((named + QStringLiteral(" is not valid UTF-8")).toUtf8()), r.err.constData());
    QVERIFY2(r.err.contains(offset.toUtf8()), r.err.constData());
    QVERIFY(!QFile::exists(store));
}

void TestHostileInput::numberOverflowNamesTheOption()
{
    EXPECT_REFUSED(runCli({QStringLiteral("append"), m_store, QStringLiteral("--stream"),
                       QStringLiteral("n-1"), QStringLiteral("--type"), QStringLiteral("Big"),
                       QStringLiteral("--data"), QStringLiteral(R"({"n":1e999999})")}),
        "--data is not valid JSON");
}

void TestHostileInput::forceNeverReplacesForeignStores()
{
    const QString emmett = emmettCopy(QStringLiteral("foreign.sqlite"));
    QVERIFY(!emmett.isEmpty());
    const auto before = fileHash(emmett);
    EXPECT_REFUSED(runCli({QStringLiteral("sample"), emmett, QStringLiteral("--force"),
                       QStringLiteral("--events"), QStringLiteral("10")}),
        "an Emmett store");
    QCOMPARE(fileHash(emmett), before);
    EXPECT_REFUSED(
        runCli({QStringLiteral("export"), m_store, emmett, QStringLiteral("--force")}), "an Emmett store");
    QCOMPARE(fileHash(emmett), before);
    // Another program's SQLite file and an unknown file are not replaced either.
    const QString other = path(QStringLiteral("other.sqlite"));
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other"));
        db.setDatabaseName(other);
        QVERIFY(db.open());
        QSqlQuery(db).exec(QStringLiteral("CREATE TABLE notes (text TEXT)"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("other"));
    const auto otherBefore = fileHash(other);
    EXPECT_REFUSED(runCli({QStringLiteral("sample"), other, QStringLiteral("--force")}), "another program");
    QCOMPARE(fileHash(other), otherBefore);
    const QString notes = path(QStringLiteral("notes.txt"));
    QVERIFY(writeFile(notes, "my notes\n"));
    EXPECT_REFUSED(
        runCli({QStringLiteral("export"), m_store, notes, QStringLiteral("--force")}), "unknown format");
    QFile f(notes);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("my notes\n"));

    // Our own files are replaced with --force.
    const QString ours = path(QStringLiteral("ours.chronoscope"));
    EXPECT_OK(runCli({QStringLiteral("sample"), ours, QStringLiteral("--events"), QStringLiteral("10")}));
    EXPECT_OK(runCli({QStringLiteral("sample"), ours, QStringLiteral("--events"), QStringLiteral("20"),
        QStringLiteral("--force")}));
    const QString lines = path(QStringLiteral("ours.jsonl"));
    EXPECT_OK(runCli({QStringLiteral("export"), ours, lines}));
    EXPECT_OK(runCli({QStringLiteral("export"), m_store, lines, QStringLiteral("--force")}));
}

void TestHostileInput::forceRefusesStoreInUse()
{
    const QString store = path(QStringLiteral("inuse.chronoscope"));
    EXPECT_OK(runCli({QStringLiteral("sample"), store, QStringLiteral("--events"), QStringLiteral("10")}));
    // A -wal beside it: open in another program, or not closed cleanly. Never deleted.
    QVERIFY(writeFile(store + QStringLiteral("-wal"), QByteArray()));
    const auto before = fileHash(store);
    EXPECT_REFUSED(
        runCli({QStringLiteral("sample"), store, QStringLiteral("--force")}), "is open in another program");
    QCOMPARE(fileHash(store), before);
    QVERIFY(QFile::exists(store + QStringLiteral("-wal")));
    QFile::remove(store + QStringLiteral("-wal"));
}

void TestHostileInput::abandonedPartialsAreRemoved()
{
    // A pid that does not run (checked), and this test's own pid (running: left alone).
    qint64 dead = 999999;
    while (::kill(pid_t(dead), 0) == 0 || errno == EPERM)
        --dead;
    const QString destination = path(QStringLiteral("partials.chronoscope"));
    const QString abandoned = QStringLiteral("%1.partial-%2-deadbeef").arg(destination).arg(dead);
    const QString running = QStringLiteral("%1.partial-%2-cafebabe").arg(destination).arg(::getpid());
    const QString oldStyle = destination + QStringLiteral(".partial-0badf00d"); // not ours to judge
    for (const QString& file : QStringList {abandoned, abandoned + QStringLiteral("-wal"),
             abandoned + QStringLiteral("-shm"), running, oldStyle})
        QVERIFY(writeFile(file, "x"));
    const QString source = path(QStringLiteral("partials.jsonl"));
    EXPECT_OK(runCli({QStringLiteral("export"), m_store, source, QStringLiteral("--force")}));
    EXPECT_OK(runCli({QStringLiteral("import"), source, destination}));
    QVERIFY(!QFile::exists(abandoned));
    QVERIFY(!QFile::exists(abandoned + QStringLiteral("-wal")));
    QVERIFY(!QFile::exists(abandoned + QStringLiteral("-shm")));
    QVERIFY(QFile::exists(running));
    QVERIFY(QFile::exists(oldStyle));
    // The import itself left nothing beside the store.
    const auto leftovers
        = QDir(m_dir.path()).entryList({QStringLiteral("partials.chronoscope*")}, QDir::Files);
    QCOMPARE(leftovers.size(), 3); // the store, the running partial, the old-style one
}

void TestHostileInput::emptyImportSourceIsAnError()
{
    const QString empty = path(QStringLiteral("empty.jsonl"));
    QVERIFY(writeFile(empty, QByteArray()));
    const QString destination = path(QStringLiteral("from-empty.chronoscope"));
    EXPECT_REFUSED(runCli({QStringLiteral("import"), empty, destination}), "is empty");
    QVERIFY(!QFile::exists(destination));
    const QString junk = path(QStringLiteral("junk.txt"));
    QVERIFY(writeFile(junk, "hello\n"));
    EXPECT_REFUSED(runCli({QStringLiteral("import"), junk, destination}), "neither JSON Lines");
    QVERIFY(!QFile::exists(destination));
}

void TestHostileInput::longFirstLineIsJsonLinesEverywhere()
{
    const QString file = path(QStringLiteral("long-line.jsonl"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"stream":"big-1","type":"Big","data":{"text":")");
        const QByteArray chunk(1 << 20, 'x');
        for (int i = 0; i < 65; ++i) // 65 MiB: past the old 64 MiB first-line look
            f.write(chunk);
        f.write("\"}}\n{\"stream\":\"big-1\",\"type\":\"Small\",\"data\":{}}\n");
    }
    const auto info = runCli({QStringLiteral("info"), file});
    EXPECT_OK(info);
    QCOMPARE(QString::fromStdString(info.json()["format"].get<std::string>()), QStringLiteral("jsonl"));
    const QString destination = path(QStringLiteral("long-line.chronoscope"));
    const auto imported = runCli({QStringLiteral("import"), file, destination});
    EXPECT_OK(imported);
    QCOMPARE(QString::fromStdString(imported.json()["format"].get<std::string>()), QStringLiteral("jsonl"));
    QCOMPARE(imported.json()["imported"].get<qint64>(), 2);
    QFile::remove(file);
    QFile::remove(destination);
}

void TestHostileInput::importBehindTheStoreSaysWhy()
{
    // The JSON Lines reader checks positions against the store when it reads the file; an
    // append by another process before the import's transaction moves the store on. That late
    // check names the event, the store's position and the likely cause (it said "position 3 is
    // not after position 3").
    const QString path = this->path(QStringLiteral("behind.chronoscope"));
    auto store = chronoscope::createSqliteStore(path);
    chronoscope::EventData e;
    e.type = QStringLiteral("T");
    e.data = "{}";
    store->append(
        chronoscope::StreamId(QStringLiteral("a-1")), {e, e, e}, chronoscope::ExpectedVersion::any());
    std::vector<chronoscope::RecordedEvent> late(1);
    late[0].stream = chronoscope::StreamId(QStringLiteral("b-1"));
    late[0].version = chronoscope::Version(1);
    late[0].position = chronoscope::Position(3);
    late[0].type = QStringLiteral("T");
    late[0].data = "{}";
    late[0].id = QUuid::createUuid();
    try {
        store->importRecorded(late);
        QFAIL("the import was accepted");
    } catch (const chronoscope::InvalidInput& error) {
        QVERIFY2(
            error.message().contains(QLatin1String("position 3 (stream 'b-1' version 1) is not after the "
                                                   "store's last position 3")),
            qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("appended to the store meanwhile")),
            qPrintable(error.message()));
    }
    QCOMPARE(store->summary().events, 3);
    // Within the file, out of order: said so.
    late.push_back(late[0]);
    late[0].position = chronoscope::Position(5);
    late[1].position = chronoscope::Position(4);
    late[1].version = chronoscope::Version(2);
    try {
        store->importRecorded(late);
        QFAIL("the import was accepted");
    } catch (const chronoscope::InvalidInput& error) {
        QVERIFY2(
            error.message().contains(QLatin1String("not in position order")), qPrintable(error.message()));
    }
}

void TestHostileInput::readOnlyOpenLeavesNoFiles()
{
    const QString store = path(QStringLiteral("readonly.chronoscope"));
    EXPECT_OK(runCli({QStringLiteral("sample"), store, QStringLiteral("--events"), QStringLiteral("30")}));
    QVERIFY(!QFile::exists(store + QStringLiteral("-wal")));
    const auto before = fileHash(store);
    for (const bool chmod444 : {false, true}) {
        if (chmod444)
            QVERIFY(QFile::setPermissions(
                store, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
        for (const auto& args :
            {QStringList {QStringLiteral("info"), store},
                QStringList {QStringLiteral("events"), store, QStringLiteral("--limit"), QStringLiteral("5")},
                QStringList {QStringLiteral("streams"), store}}) {
            EXPECT_OK(runCli(args));
            QVERIFY2(!QFile::exists(store + QStringLiteral("-wal")), qPrintable(args.join(QLatin1Char(' '))));
            QVERIFY2(!QFile::exists(store + QStringLiteral("-shm")), qPrintable(args.join(QLatin1Char(' '))));
        }
    }
    QCOMPARE(fileHash(store), before);
    QVERIFY(QFile::setPermissions(store, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
}

void TestHostileInput::deepScriptStateIsRefused_data()
{
    QTest::addColumn<int>("depth");
    QTest::newRow("600") << 600;
    QTest::newRow("100000") << 100000;
}

void TestHostileInput::deepScriptStateIsRefused()
{
    // A reducer's state comes back as JSON text: deeper than the bound, it is refused with the
    // reducer's file and the event, instead of crashing a later diff, dump or tree.
    QFETCH(int, depth);
    const QString script = path(QStringLiteral("deep-reducer.js"));
    QVERIFY(writeFile(script,
        QStringLiteral("function evolve(s, e) { var o = {}; for (var i = 0; i < %1; ++i) o = "
                       "{ a: o }; return o; }\n")
            .arg(depth)
            .toUtf8()));
    const auto r = runCli({QStringLiteral("state"), m_store, QStringLiteral("--stream"),
        QStringLiteral("cart-1"), QStringLiteral("--reducer"), script});
    QVERIFY2(
        r.code == 1, qPrintable(QStringLiteral("exit %1: %2").arg(r.code).arg(QString::fromUtf8(r.err))));
    QVERIFY2(r.err.contains("deep-reducer.js")
            && (r.err.contains("nested deeper than 512") || r.err.contains("stack")),
        r.err.constData());
}

QTEST_GUILESS_MAIN(TestHostileInput)
#include "tst_hostileinput.moc"
