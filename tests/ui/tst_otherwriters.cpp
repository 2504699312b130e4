// The window open on a store that other programs write at the same time: our own CLI appends,
// runs commands, publishes, lists dead letters, exports and creates stores beside it, while the
// window reads, publishes through its bus and reads again. The -wal and -shm files must survive
// (before the fix the window's own look at the file dropped its SQLite locks, and the next CLI
// writer deleted them under it: the window then wrote into a deleted WAL, and a later publish
// failed with "database disk image is malformed"); each side sees the other's events; every
// acknowledged write is there; SQLite finds the file sound.
#include "bus/buscontroller.h"
#include "bus/publishdialog.h"
#include "projections/projectionset.h"
#include "store/eventstore.h"
#include "streams/categorytreemodel.h"
#include "streams/eventjumpbar.h"
#include "streams/eventtablemodel.h"
#include "streams/streambrowser.h"
#include "streams/streamlistmodel.h"
#include "support/clirun.h"
#include "support/sqliteintegrity.h"
#include "widgets/jsonedit.h"
#include "window/mainwindow.h"

#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#include <nlohmann/json.hpp>

#include <cstdio>

using namespace chronoscope;
using testsupport::Result;
using testsupport::runCli;
using testsupport::sqliteIntegrity;

namespace {

// Lines of /proc/self/maps that map `path` or its companions from a file that was deleted.
QStringList deletedMappings(const QString& path)
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return {QStringLiteral("cannot read /proc/self/maps")};
    QStringList found;
    const QString canonical = QFileInfo(path).canonicalFilePath();
    for (const auto& line : QString::fromUtf8(maps.readAll()).split(QLatin1Char('\n'))) {
        if (line.contains(canonical) && line.contains(QLatin1String("(deleted)")))
            found << line;
    }
    return found;
}

} // namespace

class TestOtherWriters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void otherWritersKeepTheWindowsFiles_data();
    void otherWritersKeepTheWindowsFiles();
    void bothSidesSeeEveryWrite();
    void theWindowFollowsAnotherWriter();
    void followingOffCountsThenShowsOnClick();
    void aDeletedStoreIsShownAndTheWindowKeepsAnswering();
    void aTenThousandCharacterStreamIdIsFollowed();
    void aVacuumByAnotherProgramKeepsTheWindowFollowing();
    void aTruncatedStoreIsShownAndTheWindowKeepsAnswering();
    void aReplacedStoreIsOpenedAgain();

private:
    void checkFilesSurvive(const char* after);
    bool publishFromWindow(const QString& stream, const QString& text);

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_window;
};

void TestOtherWriters::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_otherwriters"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

void TestOtherWriters::init()
{
    m_path = m_dir.filePath(
        QStringLiteral("%1.chronoscope")
            .arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'))));
    QFile::remove(m_path);
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), m_path));
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY2(m_window->openFile(m_path), qPrintable(m_window->lastError()));
    QVERIFY(m_window->busController()->runtime()); // the window can publish: it holds the store like a writer
    // The window reads as it does for a person: the first rows of all streams.
    m_window->selectAllStreams();
    QTest::qWait(50);
}

void TestOtherWriters::cleanup()
{
    m_window.reset();
    if (!m_path.isEmpty() && QFile::exists(m_path))
        QCOMPARE(sqliteIntegrity(m_path), QStringLiteral("ok"));
}

void TestOtherWriters::checkFilesSurvive(const char* after)
{
    const auto deleted = deletedMappings(m_path);
    QVERIFY2(deleted.isEmpty(),
        qPrintable(
            QStringLiteral("after %1: %2").arg(QLatin1String(after), deleted.join(QLatin1Char('\n')))));
    QVERIFY2(QFileInfo::exists(m_path + QStringLiteral("-shm")), after);
    QVERIFY2(QFileInfo::exists(m_path + QStringLiteral("-wal")), after);
}

bool TestOtherWriters::publishFromWindow(const QString& stream, const QString& text)
{
    auto* bus = m_window->busController();
    if (!bus->openPublishDialog())
        return false;
    PublishDialog* dialog = bus->publishDialog();
    dialog->setMode(PublishDialog::Mode::Event);
    dialog->setStream(stream);
    dialog->eventType()->setText(QStringLiteral("NoteAdded"));
    dialog->eventData()->setText(
        QString::fromStdString(nlohmann::json {{"text", text.toStdString()}}.dump()));
    dialog->setExpectation(PublishDialog::Expectation::Any);
    const auto outcome = dialog->publish();
    dialog->close();
    if (!outcome.ok())
        qWarning("publish from the window failed: %s", qPrintable(outcome.error));
    return outcome.ok();
}

void TestOtherWriters::otherWritersKeepTheWindowsFiles_data()
{
    QTest::addColumn<QStringList>("arguments"); // STORE is put in after the command
    QTest::newRow("append") << QStringList {QStringLiteral("append"), QStringLiteral("--stream"),
        QStringLiteral("other-1"), QStringLiteral("--type"), QStringLiteral("Noted"),
        QStringLiteral("--data"), QStringLiteral("{}")};
    QTest::newRow("command") << QStringList {QStringLiteral("command"), QStringLiteral("--json"),
        QStringLiteral(R"({"type":"OpenCart","stream":"cart-9001","data":{"customerId":"c-1"}})")};
    QTest::newRow("publish") << QStringList {QStringLiteral("publish"), QStringLiteral("--stream"),
        QStringLiteral("payment-9001"), QStringLiteral("--type"), QStringLiteral("PaymentFailed"),
        QStringLiteral("--data"), QStringLiteral(R"({"reason":"test"})")};
    QTest::newRow("dead-letters") << QStringList {QStringLiteral("dead-letters")};
    QTest::newRow("info") << QStringList {QStringLiteral("info")};
}

void TestOtherWriters::otherWritersKeepTheWindowsFiles()
{
    QFETCH(QStringList, arguments);
    checkFilesSurvive("opening");
    QVERIFY(publishFromWindow(QStringLiteral("notes-w"), QStringLiteral("before")));
    checkFilesSurvive("the window's publish");
    QStringList args = arguments;
    args.insert(1, m_path);
    const auto r = runCli(args);
    QVERIFY2(r.code == 0, r.err.constData());
    checkFilesSurvive(QTest::currentDataTag());
    // The window writes again and another process sees it.
    QVERIFY(publishFromWindow(QStringLiteral("notes-w"), QStringLiteral("after")));
    checkFilesSurvive("the window's second publish");
    const auto events
        = runCli({QStringLiteral("events"), m_path, QStringLiteral("--stream"), QStringLiteral("notes-w")});
    QVERIFY2(events.code == 0, events.err.constData());
    const auto lines = events.lines();
    QCOMPARE(int(lines.size()), 2);
    QCOMPARE(lines[1]["data"]["text"].get<std::string>(), std::string("after"));
    const auto info = runCli({QStringLiteral("info"), m_path});
    QVERIFY2(info.code == 0, info.err.constData());
}

void TestOtherWriters::bothSidesSeeEveryWrite()
{
    const QString other = m_dir.filePath(QStringLiteral("beside.chronoscope"));
    const QString exported = m_dir.filePath(QStringLiteral("exported.jsonl"));
    int cliAcknowledged = 0;
    int windowAcknowledged = 0;
    for (int round = 0; round < 8; ++round) {
        const auto r = runCli({QStringLiteral("append"), m_path, QStringLiteral("--stream"),
            QStringLiteral("mixed-1"), QStringLiteral("--type"), QStringLiteral("FromCli"),
            QStringLiteral("--data"), QStringLiteral("{\"round\":%1}").arg(round)});
        QVERIFY2(r.code == 0, r.err.constData());
        ++cliAcknowledged;
        QVERIFY(publishFromWindow(QStringLiteral("mixed-1"), QStringLiteral("round %1").arg(round)));
        ++windowAcknowledged;
        if (round == 3) {
            QVERIFY(runCli({QStringLiteral("export"), m_path, exported}).code == 0);
            QVERIFY(runCli({QStringLiteral("append"), other, QStringLiteral("--create"),
                               QStringLiteral("--stream"), QStringLiteral("b-1"), QStringLiteral("--type"),
                               QStringLiteral("T"), QStringLiteral("--data"), QStringLiteral("{}")})
                        .code
                == 0);
        }
        checkFilesSurvive("a round of writes from both sides");
    }
    // The window's store sees the CLI's events, the CLI sees the window's.
    const auto fromWindow
        = m_window->store()->readStream(StreamId(QStringLiteral("mixed-1")), Version(1), 1000);
    QCOMPARE(int(fromWindow.size()), cliAcknowledged + windowAcknowledged);
    const auto events
        = runCli({QStringLiteral("events"), m_path, QStringLiteral("--stream"), QStringLiteral("mixed-1")});
    QCOMPARE(int(events.lines().size()), cliAcknowledged + windowAcknowledged);
    for (std::size_t i = 0; i < events.lines().size(); ++i)
        QCOMPARE(events.lines()[i]["version"].get<qint64>(), qint64(i + 1));
    QCOMPARE(sqliteIntegrity(other), QStringLiteral("ok"));
}

namespace {
Result appendFromCli(const QString& store, const QString& stream)
{
    return runCli({QStringLiteral("append"), store, QStringLiteral("--stream"), stream,
        QStringLiteral("--type"), QStringLiteral("FromCli"), QStringLiteral("--data"), QStringLiteral("{}")});
}

/// With CHRONOSCOPE_SHOTS=DIR, saves what the window looks like as DIR/<name>.png (to look at).
void shoot(MainWindow& window, const char* name)
{
    const QString dir = qEnvironmentVariable("CHRONOSCOPE_SHOTS");
    if (!dir.isEmpty())
        window.grab().save(dir + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png"));
}

/// The last event row the table can reach: it loads pages down to the end first.
qint64 lastPositionInTable(MainWindow& window)
{
    auto* model = window.eventModel();
    while (model->canFetchMore({}))
        model->fetchMore({});
    return model->rowCount() == 0 ? 0 : model->eventAt(model->rowCount() - 1).position.value;
}
} // namespace

void TestOtherWriters::theWindowFollowsAnotherWriter()
{
    auto* follow = m_window->findChild<QAction*>(QStringLiteral("followAction"));
    QVERIFY(follow && follow->isChecked()); // following is on by default
    const qint64 before = m_window->store()->summary().lastPosition.value;
    QCOMPARE(lastPositionInTable(*m_window), before);
    auto* streams = m_window->browser()->streamModel();
    QCOMPARE(streams->rowOf(StreamId(QStringLiteral("live-1"))), -1);
    auto* count = m_window->findChild<QLabel*>(QStringLiteral("countLabel"));
    const QString countBefore = count->text();

    QVERIFY(appendFromCli(m_path, QStringLiteral("live-1")).code == 0);
    // The stream list, the counts, the table and the projections' end all move on.
    // The list pages by id: read on to the new stream (the first pages were re-read in place).
    QTRY_VERIFY_WITH_TIMEOUT(streams->loadUntil(StreamId(QStringLiteral("live-1")), 1000) >= 0, 3000);
    QTRY_VERIFY_WITH_TIMEOUT(count->text() != countBefore, 3000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->projectionSet()->lastPosition().value, before + 1, 3000);
    QCOMPARE(lastPositionInTable(*m_window), before + 1);
    QCOMPARE(m_window->eventModel()->eventAt(m_window->eventModel()->rowCount() - 1).stream,
        StreamId(QStringLiteral("live-1")));

    // Shown while the stream is selected, too.
    QVERIFY(m_window->selectStream(StreamId(QStringLiteral("live-1"))));
    QVERIFY(appendFromCli(m_path, QStringLiteral("live-1")).code == 0);
    QTRY_COMPARE_WITH_TIMEOUT(lastPositionInTable(*m_window), before + 2, 3000);
    QCOMPARE(m_window->eventModel()->rowCount(), 2);
}

void TestOtherWriters::followingOffCountsThenShowsOnClick()
{
    auto* follow = m_window->findChild<QAction*>(QStringLiteral("followAction"));
    auto* badge = m_window->findChild<QToolButton*>(QStringLiteral("pendingBadge"));
    QVERIFY(follow && badge);
    follow->trigger(); // View ▸ Follow Other Writers: off
    QVERIFY(!follow->isChecked());
    QVERIFY(!m_window->session()->isFollowing());
    const qint64 before = m_window->store()->summary().lastPosition.value;
    QVERIFY(appendFromCli(m_path, QStringLiteral("paused-1")).code == 0);
    QVERIFY(appendFromCli(m_path, QStringLiteral("paused-1")).code == 0);
    QTRY_VERIFY_WITH_TIMEOUT(badge->isVisible(), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(badge->text(), QStringLiteral("2 new events"), 3000);
    shoot(*m_window, "pending");
    QTest::qWait(400); // not shown while not following
    QCOMPARE(m_window->projectionSet()->lastPosition().value, before);
    QCOMPARE(m_window->browser()->streamModel()->rowOf(StreamId(QStringLiteral("paused-1"))), -1);

    QTest::mouseClick(badge, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!badge->isVisible(), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->projectionSet()->lastPosition().value, before + 2, 3000);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->browser()->streamModel()->loadUntil(StreamId(QStringLiteral("paused-1")), 1000) >= 0, 3000);
    QVERIFY(!m_window->session()->isFollowing()); // still off: the click showed what was waiting

    follow->trigger(); // on again
    QVERIFY(m_window->session()->isFollowing());
    QVERIFY(appendFromCli(m_path, QStringLiteral("paused-1")).code == 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->projectionSet()->lastPosition().value, before + 3, 3000);
    QVERIFY(!badge->isVisible());
}

void TestOtherWriters::aDeletedStoreIsShownAndTheWindowKeepsAnswering()
{
    auto* problem = m_window->findChild<QLabel*>(QStringLiteral("storeProblem"));
    QVERIFY(problem);
    QVERIFY(!problem->isVisible());
    const qint64 events = m_window->store()->summary().events;
    m_window.reset(); // the window lets go of the file first, then opens it again
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->show();
    QVERIFY(m_window->openFile(m_path));
    problem = m_window->findChild<QLabel*>(QStringLiteral("storeProblem"));
    const QString moved = m_path + QStringLiteral(".moved");
    QVERIFY(QFile::rename(m_path, moved));
    QTRY_VERIFY_WITH_TIMEOUT(problem->isVisible(), 3000);
    QVERIFY2(problem->text().contains(QLatin1String("deleted or moved")), qPrintable(problem->text()));
    shoot(*m_window, "deleted");
    // The window still shows and reads what it opened.
    m_window->selectAllStreams();
    QCOMPARE(m_window->store()->summary().events, events);
    QVERIFY(lastPositionInTable(*m_window) > 0);
    // Back where it was: the problem goes away.
    QVERIFY(QFile::rename(moved, m_path));
    QTRY_VERIFY_WITH_TIMEOUT(!problem->isVisible(), 3000);
}

void TestOtherWriters::aTenThousandCharacterStreamIdIsFollowed()
{
    const QString id = QStringLiteral("long-") + QString(10000, QLatin1Char('x'));
    const qint64 before = m_window->store()->summary().lastPosition.value;
    QVERIFY(appendFromCli(m_path, id).code == 0);
    // The tree gains the new category when the window refreshes; the list reads on to the stream.
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->browser()->categoryModel()->categoryIndex(QStringLiteral("long")).isValid(), 3000);
    QVERIFY(m_window->browser()->streamModel()->loadUntil(StreamId(id), 1000) >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(lastPositionInTable(*m_window), before + 1, 3000);
    const auto shown = m_window->eventModel()->eventAt(m_window->eventModel()->rowCount() - 1);
    QCOMPARE(shown.stream.toString().size(), id.size());
    // Selected and shown like any other stream; the window keeps answering.
    QVERIFY(m_window->selectStream(StreamId(id)));
    QCOMPARE(m_window->eventModel()->rowCount(), 1);
    QCOMPARE(m_window->eventModel()->index(0, EventTableModel::StreamColumn).data().toString(), id);
    m_window->selectAllStreams();
    QVERIFY(m_window->jumpBar()->jumpTo(QString::number(before + 1)));
}

namespace {
/// Runs a program to its end; its exit code, or -1 when it did not start or finish in time.
int runProgram(const QString& program, const QStringList& arguments, QString* err = nullptr)
{
    QProcess p;
    p.start(program, arguments);
    if (!p.waitForFinished(60000))
        return -1;
    if (err)
        *err = QString::fromUtf8(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}
} // namespace

void TestOtherWriters::aVacuumByAnotherProgramKeepsTheWindowFollowing()
{
    auto* problem = m_window->findChild<QLabel*>(QStringLiteral("storeProblem"));
    const qint64 before = lastPositionInTable(*m_window);
    const qint64 events = m_window->store()->summary().events;
    // SQLite's own shell rewrites every page of the file while the window has it open.
    QString err;
    QCOMPARE(runProgram(QStringLiteral("sqlite3"),
                 {QStringLiteral("-cmd"), QStringLiteral(".timeout 10000"), m_path, QStringLiteral("VACUUM")},
                 &err),
        0);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QVERIFY(appendFromCli(m_path, QStringLiteral("after-vacuum")).code == 0);
    QTRY_COMPARE_WITH_TIMEOUT(lastPositionInTable(*m_window), before + 1, 3000);
    QCOMPARE(m_window->store()->summary().events, events + 1);
    QVERIFY(!problem->isVisible());
    QVERIFY(m_window->selectStream(StreamId(QStringLiteral("after-vacuum"))));
    QCOMPARE(m_window->eventModel()->rowCount(), 1);
    checkFilesSurvive("a vacuum");
}

void TestOtherWriters::aTruncatedStoreIsShownAndTheWindowKeepsAnswering()
{
    auto* problem = m_window->findChild<QLabel*>(QStringLiteral("storeProblem"));
    QVERIFY(!problem->isVisible());
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    file.close();
    QVERIFY(bytes.size() > 64 * 1024);
    // Another program cuts the file to its first 16 pages while the window reads it.
    QCOMPARE(
        runProgram(QStringLiteral("truncate"), {QStringLiteral("-s"), QStringLiteral("65536"), m_path}), 0);
    QTRY_VERIFY_WITH_TIMEOUT(problem->isVisible(), 3000);
    QVERIFY2(!problem->text().isEmpty(), "the status bar says what is wrong");
    QVERIFY2(problem->text().contains(QLatin1String("damaged or was cut short"))
            && !problem->text().contains(QLatin1String("SELECT")),
        qPrintable(problem->text())); // in words, without the SQL statement
    shoot(*m_window, "truncated");
    // The window keeps answering: it reads what it can and says what it cannot, never crashes.
    m_window->selectAllStreams();
    QVERIFY2(m_window->lastError().contains(QLatin1String("malformed"))
            || m_window->lastError().contains(QLatin1String("damaged")),
        qPrintable(m_window->lastError()));
    auto* model = m_window->eventModel();
    for (int row = 0; row < std::min(model->rowCount(), 50); ++row)
        model->index(row, EventTableModel::TypeColumn).data();
    m_window->jumpBar()->jumpTo(QStringLiteral("1"));
    QVERIFY(!m_window->selectStream(StreamId(QStringLiteral("cart-1"))));
    // Clicked as a person would: the tree's rows answer without throwing out of the event loop.
    auto* tree = m_window->browser()->treeView();
    const QRect allRow = tree->visualRect(m_window->browser()->categoryModel()->allStreamsIndex());
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, allRow.center() + QPoint(0, allRow.height()));
    QTest::qWait(300);
    QVERIFY(m_window->isVisible());
    // The bytes back where they were: the problem goes away and the events read again.
    QVERIFY(file.open(QIODevice::ReadWrite));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();
    QTRY_VERIFY_WITH_TIMEOUT(!problem->isVisible(), 3000);
    m_window->selectAllStreams();
    QVERIFY(lastPositionInTable(*m_window) > 0);
}

void TestOtherWriters::aReplacedStoreIsOpenedAgain()
{
    // Another program writes a new store beside the open one and renames it over it (as a
    // restore or a "save as" does): the window opens the new file by itself and says so.
    const qint64 events = m_window->store()->summary().events;
    const QString fresh = m_path + QStringLiteral(".new");
    QFile::remove(fresh);
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), fresh));
    QFile::setPermissions(fresh, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const auto r = runCli({QStringLiteral("append"), fresh, QStringLiteral("--stream"),
        QStringLiteral("notes-new"), QStringLiteral("--type"), QStringLiteral("NoteAdded"),
        QStringLiteral("--data"), QStringLiteral("{}")});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY(::rename(QFile::encodeName(fresh).constData(), QFile::encodeName(m_path).constData()) == 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->store()->summary().events, events + 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->statusBar()->currentMessage().contains(QLatin1String("replaced")), 3000);
    auto* problem = m_window->findChild<QLabel*>(QStringLiteral("storeProblem"));
    QTRY_VERIFY_WITH_TIMEOUT(!problem->isVisible(), 3000);
    QCOMPARE(m_window->storePath(), m_path);
    m_window->selectAllStreams();
    QTRY_COMPARE_WITH_TIMEOUT(lastPositionInTable(*m_window), events + 1, 5000);
    QVERIFY(m_window->browser()->categoryModel()->categoryIndex(QStringLiteral("notes")).isValid());
}

QTEST_MAIN(TestOtherWriters)
#include "tst_otherwriters.moc"
