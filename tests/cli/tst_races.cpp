// Kill and race tests with real chronoscope-cli processes, bounded in count and time:
// kill -9 during an import and during a loop of appends (no corrupt store, no partial store
// under the real name, no acknowledged append lost, debris cleaned by the next run), processes
// racing appends with expected versions (one winner per version, every loser exit 3, nothing
// lost), and processes racing to create the same new store (one creates it, nobody deletes it).
#include "support/clirun.h"
#include "support/sqliteintegrity.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <nlohmann/json.hpp>

using testsupport::finish;
using testsupport::Result;
using testsupport::runCli;
using testsupport::sqliteIntegrity;

namespace {

qint64 eventsIn(const QString& store)
{
    const auto r = runCli({QStringLiteral("info"), store});
    return r.code == 0 ? r.json()["events"].get<qint64>() : -1;
}

std::unique_ptr<QProcess> startCli(const QStringList& arguments)
{
    auto process = std::make_unique<QProcess>();
    process->start(QStringLiteral(CHRONOSCOPE_CLI), arguments);
    return process;
}

QStringList appendArgs(const QString& store, const QString& stream, const QString& expected, int n)
{
    return {QStringLiteral("append"), store, QStringLiteral("--stream"), stream, QStringLiteral("--type"),
        QStringLiteral("Counted"), QStringLiteral("--data"), QStringLiteral("{\"n\":%1}").arg(n),
        QStringLiteral("--expected"), expected};
}

} // namespace

class TestRaces : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killDuringImport();
    void killDuringAppendLoop();
    void racingAppends_data();
    void racingAppends();
    void racingCreate_data();
    void racingCreate();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
    QString m_source; // a JSON Lines file of some tens of thousands of events
    qint64 m_sourceEvents = 0;
};

void TestRaces::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString store = path(QStringLiteral("source.chronoscope"));
    QVERIFY(
        runCli({QStringLiteral("sample"), store, QStringLiteral("--events"), QStringLiteral("40000")}).code
        == 0);
    m_source = path(QStringLiteral("source.jsonl"));
    QVERIFY(runCli({QStringLiteral("export"), store, m_source}).code == 0);
    m_sourceEvents = eventsIn(store);
    QVERIFY(m_sourceEvents >= 40000);
}

void TestRaces::killDuringImport()
{
    constexpr int Trials = 12;
    int killed = 0;
    int completed = 0;
    const QString destination = path(QStringLiteral("imported.chronoscope"));
    for (int trial = 0; trial < Trials; ++trial) {
        QFile::remove(destination);
        auto process = startCli({QStringLiteral("import"), m_source, destination});
        QVERIFY(process->waitForStarted());
        // From early in the read to past the end of a whole import.
        QThread::msleep(20 + QRandomGenerator::global()->bounded(trial % 3 == 2 ? 3000 : 500));
        process->kill(); // SIGKILL
        process->waitForFinished();
        if (process->exitStatus() == QProcess::CrashExit)
            ++killed;
        else
            ++completed;
        // Under the real name there is a whole store or nothing.
        if (QFile::exists(destination)) {
            QCOMPARE(sqliteIntegrity(destination), QStringLiteral("ok"));
            QCOMPARE(eventsIn(destination), m_sourceEvents);
        }
    }
    qInfo(
        "kill -9 during import: %d trials, %d killed mid-way, %d completed first", Trials, killed, completed);
    QVERIFY(killed > 0);
    // The next run cleans up what the killed ones left, and leaves nothing itself.
    QFile::remove(destination);
    QVERIFY(runCli({QStringLiteral("import"), m_source, destination}).code == 0);
    QCOMPARE(eventsIn(destination), m_sourceEvents);
    const auto debris
        = QDir(m_dir.path()).entryList({QStringLiteral("imported.chronoscope.partial-*")}, QDir::Files);
    QVERIFY2(debris.isEmpty(), qPrintable(debris.join(QLatin1Char(' '))));
}

void TestRaces::killDuringAppendLoop()
{
    const QString store = path(QStringLiteral("loop.chronoscope"));
    QVERIFY(runCli({QStringLiteral("sample"), store, QStringLiteral("--events"), QStringLiteral("50")}).code
        == 0);
    const QString stream = QStringLiteral("loop-1");
    constexpr int Appends = 60;
    int acknowledged = 0;
    int killed = 0;
    for (int i = 0; i < Appends; ++i) {
        auto process = startCli(appendArgs(store, stream, QStringLiteral("any"), i));
        QVERIFY(process->waitForStarted());
        if (i % 3 == 1) { // every third one is killed at a random moment of its run
            QThread::usleep(QRandomGenerator::global()->bounded(40000));
            process->kill();
        }
        const auto r = finish(*process);
        if (r.code == 0) {
            ++acknowledged;
            // Its version is at least the count of acknowledged ones (a killed append may have
            // committed before it died).
            QVERIFY(r.json()["version"].get<qint64>() >= acknowledged);
        } else if (r.code == -2) {
            ++killed;
        } else {
            QFAIL(r.err.constData());
        }
    }
    QCOMPARE(sqliteIntegrity(store), QStringLiteral("ok"));
    // Every acknowledged append is there; a killed one is there whole or not at all.
    const auto events = runCli({QStringLiteral("events"), store, QStringLiteral("--stream"), stream});
    QCOMPARE(events.code, 0);
    const auto lines = events.lines();
    QVERIFY(qint64(lines.size()) >= acknowledged);
    QVERIFY(qint64(lines.size()) <= acknowledged + killed);
    for (std::size_t v = 0; v < lines.size(); ++v)
        QCOMPARE(lines[v]["version"].get<qint64>(), qint64(v + 1));
    qInfo("kill -9 during an append loop: %d appends, %d killed, %d acknowledged, %d stored", Appends, killed,
        acknowledged, int(lines.size()));
    QVERIFY(killed > 0);
}

void TestRaces::racingAppends_data()
{
    QTest::addColumn<int>("writers");
    QTest::newRow("2 writers") << 2;
    QTest::newRow("4 writers") << 4;
}

void TestRaces::racingAppends()
{
    QFETCH(int, writers);
    const QString store = path(QStringLiteral("race-%1.chronoscope").arg(writers));
    QVERIFY(runCli({QStringLiteral("sample"), store, QStringLiteral("--events"), QStringLiteral("20")}).code
        == 0);
    const QString stream = QStringLiteral("race-1");
    constexpr int Rounds = 15;
    int conflicts = 0;
    for (int round = 0; round < Rounds; ++round) {
        // Every writer read version `round` and appends expecting it: exactly one may win.
        const QString expected = round == 0 ? QStringLiteral("no-stream") : QString::number(round);
        std::vector<std::unique_ptr<QProcess>> racers;
        for (int w = 0; w < writers; ++w)
            racers.push_back(startCli(appendArgs(store, stream, expected, round * 10 + w)));
        int won = 0;
        for (auto& racer : racers) {
            const auto r = finish(*racer);
            if (r.code == 0) {
                ++won;
                QCOMPARE(r.json()["version"].get<qint64>(), qint64(round + 1));
            } else {
                QVERIFY2(r.code == 3,
                    qPrintable(QStringLiteral("exit %1: %2").arg(r.code).arg(QString::fromUtf8(r.err))));
                ++conflicts;
            }
        }
        QCOMPARE(won, 1);
    }
    QCOMPARE(conflicts, Rounds * (writers - 1));
    const auto events = runCli({QStringLiteral("events"), store, QStringLiteral("--stream"), stream});
    QCOMPARE(qint64(events.lines().size()), qint64(Rounds));
    QCOMPARE(sqliteIntegrity(store), QStringLiteral("ok"));
    qInfo("%d writers racing: %d rounds, %d conflicts (all exit 3), %d events, none lost", writers, Rounds,
        conflicts, Rounds);
}

void TestRaces::racingCreate_data()
{
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("writers");
    QTest::newRow("no-stream, 2") << QStringLiteral("no-stream") << 2;
    QTest::newRow("no-stream, 4") << QStringLiteral("no-stream") << 4;
    QTest::newRow("any, 4") << QStringLiteral("any") << 4;
}

void TestRaces::racingCreate()
{
    QFETCH(QString, expected);
    QFETCH(int, writers);
    constexpr int Trials = 10;
    for (int trial = 0; trial < Trials; ++trial) {
        const QString store
            = path(QStringLiteral("created-%1-%2-%3.chronoscope").arg(expected).arg(writers).arg(trial));
        std::vector<std::unique_ptr<QProcess>> racers;
        for (int w = 0; w < writers; ++w) {
            auto args = appendArgs(store, QStringLiteral("new-1"), expected, w);
            args << QStringLiteral("--create");
            racers.push_back(startCli(args));
        }
        int created = 0;
        int ok = 0;
        for (auto& racer : racers) {
            const auto r = finish(*racer);
            if (r.code == 0) {
                ++ok;
                if (r.json().value("created", false))
                    ++created;
            } else {
                QVERIFY2(r.code == 3 && expected == QLatin1String("no-stream"),
                    qPrintable(QStringLiteral("exit %1: %2").arg(r.code).arg(QString::fromUtf8(r.err))));
            }
        }
        QVERIFY2(QFile::exists(store), "the store somebody created is gone");
        // With no-stream the creator may lose the append to a process that opened the store it
        // had just made: then no successful run says "created", and the store is there all the same.
        if (expected == QLatin1String("any"))
            QCOMPARE(created, 1);
        else
            QVERIFY(created <= 1);
        QCOMPARE(ok, expected == QLatin1String("any") ? writers : 1);
        QCOMPARE(eventsIn(store), qint64(ok));
        QCOMPARE(sqliteIntegrity(store), QStringLiteral("ok"));
        const auto debris
            = QDir(m_dir.path()).entryList({QFileInfo(store).fileName() + QStringLiteral(".partial-*")});
        QVERIFY2(debris.isEmpty(), qPrintable(debris.join(QLatin1Char(' '))));
    }
}

QTEST_GUILESS_MAIN(TestRaces)
#include "tst_races.moc"
