// Following a store that another program writes: StoreFollower (what the window uses) and
// `chronoscope-cli events --follow`, each against real chronoscope-cli processes appending to
// the same SQLite file.
#include "store/storefactory.h"
#include "store/storefollower.h"
#include "support/testsupport.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace chronoscope;
using testsupport::Result;
using testsupport::runCli;

namespace {

Result appendElsewhere(const QString& store, const QString& stream, const QString& type)
{
    return runCli({QStringLiteral("append"), store, QStringLiteral("--stream"), stream,
        QStringLiteral("--type"), type, QStringLiteral("--data"), QStringLiteral("{\"n\":1}")});
}

/// Reads lines of a running process's standard output until `count` were read (or time runs out).
QList<QByteArray> readLines(QProcess& process, int count, int timeoutMs = 10000)
{
    QList<QByteArray> lines;
    QElapsedTimer timer;
    timer.start();
    while (lines.size() < count && timer.elapsed() < timeoutMs) {
        if (!process.canReadLine() && !process.waitForReadyRead(200))
            continue;
        while (process.canReadLine() && lines.size() < count)
            lines << process.readLine().trimmed();
    }
    return lines;
}

} // namespace

class TestFollow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void anotherProgramsAppendsAreReported();
    void ownAppendsAreNotReportedAgain();
    void pausedFollowingCountsThenReportsAll();
    void deletedAndReplacedFilesAreReported();
    void cliFollowPrintsNewEventsAsTheyCome();
    void cliFollowHonoursFiltersAndLimit();
    void cliFollowRefusesBackward();

private:
    QString m_path;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestFollow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("shop.chronoscope"));
    auto store = createSqliteStore(m_path);
    store->append(StreamId(QStringLiteral("cart-1")), testing::events(3), ExpectedVersion::any());
}

void TestFollow::anotherProgramsAppendsAreReported()
{
    auto store = openStore(m_path);
    StoreFollower follower(*store, store->summary().lastPosition, m_path, 50);
    QSignalSpy changed(store.get(), &EventStore::changedElsewhere);
    QVERIFY(appendElsewhere(m_path, QStringLiteral("cart-2"), QStringLiteral("ItemAdded")).code == 0);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 5000);
    QCOMPARE(changed.at(0).at(0).value<Position>(), Position(4));
    QCOMPARE(follower.lastPosition(), Position(4));
    QVERIFY(appendElsewhere(m_path, QStringLiteral("cart-2"), QStringLiteral("ItemAdded")).code == 0);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, 5000);
    QCOMPARE(changed.at(1).at(0).value<Position>(), Position(5));
    // The events are there to read, for whoever was told.
    QCOMPARE(store->readAt(Position(5))->stream, StreamId(QStringLiteral("cart-2")));
    QVERIFY(follower.problem().isEmpty());
}

void TestFollow::ownAppendsAreNotReportedAgain()
{
    auto store = openStore(m_path);
    StoreFollower follower(*store, store->summary().lastPosition, m_path, 20);
    QSignalSpy changed(store.get(), &EventStore::changedElsewhere);
    QSignalSpy appended(store.get(), &EventStore::appended);
    store->append(StreamId(QStringLiteral("cart-9")), testing::events(2), ExpectedVersion::any());
    QCOMPARE(appended.size(), 1);
    QTest::qWait(300); // many polls
    QVERIFY2(changed.isEmpty(),
        qPrintable(QStringLiteral("reported %1").arg(changed.value(0).value(0).value<Position>().value)));
    QCOMPARE(follower.lastPosition(), Position(5));
}

void TestFollow::pausedFollowingCountsThenReportsAll()
{
    auto store = openStore(m_path);
    StoreFollower follower(*store, store->summary().lastPosition, m_path, 50);
    QSignalSpy changed(store.get(), &EventStore::changedElsewhere);
    QSignalSpy pending(&follower, &StoreFollower::pendingChanged);
    follower.setFollowing(false);
    QVERIFY(!follower.isFollowing());
    QVERIFY(appendElsewhere(m_path, QStringLiteral("cart-3"), QStringLiteral("ItemAdded")).code == 0);
    QVERIFY(appendElsewhere(m_path, QStringLiteral("cart-3"), QStringLiteral("ItemRemoved")).code == 0);
    QTRY_COMPARE_WITH_TIMEOUT(follower.pending(), 2, 5000);
    QVERIFY(!pending.isEmpty());
    QCOMPARE(changed.size(), 0);
    follower.setFollowing(true);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<Position>(), Position(5));
    QCOMPARE(follower.pending(), 0);
    QCOMPARE(pending.last().at(0).toLongLong(), 0);
}

void TestFollow::deletedAndReplacedFilesAreReported()
{
    auto store = openStore(m_path);
    StoreFollower follower(*store, store->summary().lastPosition, m_path, 50);
    QSignalSpy problems(&follower, &StoreFollower::problemChanged);
    // Replaced: another store written under the same name.
    const QString other = m_dir->filePath(QStringLiteral("other.chronoscope"));
    createSqliteStore(other);
    QVERIFY(QFile::remove(m_path));
    QTRY_VERIFY_WITH_TIMEOUT(follower.problem().contains(QLatin1String("deleted")), 5000);
    QVERIFY(follower.problem().contains(m_path));
    QVERIFY(QFile::rename(other, m_path));
    QTRY_VERIFY_WITH_TIMEOUT(follower.problem().contains(QLatin1String("replaced")), 5000);
    QVERIFY(problems.size() >= 2);
    // The store still reads the file it opened: nothing it showed is lost.
    QCOMPARE(store->summary().events, 3);
}

void TestFollow::cliFollowPrintsNewEventsAsTheyCome()
{
    QProcess follow;
    follow.start(
        QStringLiteral(CHRONOSCOPE_CLI), {QStringLiteral("events"), m_path, QStringLiteral("--follow")});
    QVERIFY(follow.waitForStarted());
    const auto stored = readLines(follow, 3);
    QCOMPARE(stored.size(), 3);
    QVERIFY(appendElsewhere(m_path, QStringLiteral("cart-5"), QStringLiteral("ItemAdded")).code == 0);
    const auto added = readLines(follow, 1);
    QCOMPARE(added.size(), 1);
    const auto event = nlohmann::json::parse(added.front().toStdString());
    QCOMPARE(event.at("position"), 4);
    QCOMPARE(event.at("stream"), "cart-5");
    QCOMPARE(follow.state(), QProcess::Running); // still following
    follow.terminate();
    QVERIFY(follow.waitForFinished(5000));
}

void TestFollow::cliFollowHonoursFiltersAndLimit()
{
    QProcess follow;
    follow.start(QStringLiteral(CHRONOSCOPE_CLI),
        {QStringLiteral("events"), m_path, QStringLiteral("--follow"), QStringLiteral("--type"),
            QStringLiteral("OrderPlaced"), QStringLiteral("--limit"), QStringLiteral("2")});
    QVERIFY(follow.waitForStarted());
    QVERIFY(appendElsewhere(m_path, QStringLiteral("cart-6"), QStringLiteral("ItemAdded")).code == 0);
    QVERIFY(appendElsewhere(m_path, QStringLiteral("order-1"), QStringLiteral("OrderPlaced")).code == 0);
    QVERIFY(appendElsewhere(m_path, QStringLiteral("cart-6"), QStringLiteral("ItemAdded")).code == 0);
    QVERIFY(appendElsewhere(m_path, QStringLiteral("order-2"), QStringLiteral("OrderPlaced")).code == 0);
    // The limit reached, it ends by itself.
    QVERIFY(follow.waitForFinished(10000));
    QCOMPARE(follow.exitCode(), 0);
    const auto lines = follow.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(nlohmann::json::parse(lines[0].toStdString()).at("stream"), "order-1");
    QCOMPARE(nlohmann::json::parse(lines[1].toStdString()).at("stream"), "order-2");
}

void TestFollow::cliFollowRefusesBackward()
{
    const auto r = runCli(
        {QStringLiteral("events"), m_path, QStringLiteral("--follow"), QStringLiteral("--backward")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("--follow") && r.err.contains("--backward"), r.err.constData());
}

QTEST_GUILESS_MAIN(TestFollow)
#include "tst_follow.moc"
