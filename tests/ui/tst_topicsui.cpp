// The Topics and Consumer Groups dock, offscreen on a writable copy of the sample store: the
// partitions spin box lays the topic out again (counts from the stream list, adding up to the
// store's), Add / Remove Member rebalance and say which partitions moved (highlighted), a paused
// member's lag grows as events are appended (by the window's bus or another program) while the
// others stay at 0, Resume catches up, and the lesson setup and facts.
#include "bus/buscontroller.h"
#include "bus/busruntime.h"
#include "bus/publisher.h"
#include "store/storefactory.h"
#include "topics/consumergroup.h"
#include "topics/partitionmodel.h"
#include "topics/partitions.h"
#include "topics/topicsfeature.h"
#include "topics/topicspanel.h"
#include "window/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace chronoscope;

class TestTopicsUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void partitionsFollowTheSpinBox();
    void addAndRemoveMemberRebalance();
    void pausedMemberLagGrowsAndResumeCatchesUp();
    void anotherProgramsEventsAreCounted();
    void lessonSetupAndFacts();

private:
    // Waits until the group has counted the store and caught up (lag 0).
    bool caughtUp() const;
    // A stream id the partition `partition` of the panel's topic holds.
    StreamId streamIn(int partition) const;
    void publish(const StreamId& stream, int count);

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_window;
    TopicsFeature* m_feature = nullptr;
    TopicsPanel* m_panel = nullptr;
};

void TestTopicsUi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_topicsui"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

void TestTopicsUi::init()
{
    // A fresh copy each time: the tests append to it.
    m_path = m_dir.filePath(
        QStringLiteral("topics-%1.chronoscope").arg(QLatin1String(QTest::currentTestFunction())));
    QFile::remove(m_path);
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), m_path));
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->resize(1366, 768);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_feature = m_window->findChild<TopicsFeature*>();
    QVERIFY(m_feature);
    m_panel = m_feature->panel();
    auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("topicsDock"));
    QVERIFY(dock);
    QCOMPARE(dock->windowTitle(), QStringLiteral("Topics and Consumer Groups"));
    QCOMPARE(m_feature->lessonDock(), QStringLiteral("topicsDock"));
    QCOMPARE(m_feature->lessonKey(), QStringLiteral("topics"));
    dock->show();
    if (QLatin1String(QTest::currentTestFunction()) != QLatin1String("partitionsFollowTheSpinBox"))
        QVERIFY2(m_window->openFile(m_path), qPrintable(m_window->lastError()));
}

void TestTopicsUi::cleanup()
{
    m_window.reset();
}

bool TestTopicsUi::caughtUp() const
{
    const auto& group = m_panel->group();
    return !m_feature->isBusy() && group.events() == m_window->rawStore()->summary().events
        && group.totalLag() == 0;
}

StreamId TestTopicsUi::streamIn(int partition) const
{
    for (int n = 0; n < 10000; ++n) {
        const StreamId stream(QStringLiteral("topic-%1").arg(n));
        if (topics::partitionOf(stream, m_panel->group().partitionCount()) == partition)
            return stream;
    }
    return {};
}

void TestTopicsUi::publish(const StreamId& stream, int count)
{
    auto& publisher = m_window->busController()->runtime()->publisher();
    for (int i = 0; i < count; ++i) {
        const auto outcome = publisher.publishEvent(stream, QStringLiteral("TopicTested"),
            QByteArrayLiteral("{\"n\":1}"), {}, ExpectedVersion::any());
        QCOMPARE(outcome.kind, PublishOutcome::Kind::Stored);
    }
}

void TestTopicsUi::partitionsFollowTheSpinBox()
{
    // The tester watches the model from before it is filled.
    QAbstractItemModelTester tester(
        m_panel->partitionModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY2(m_window->openFile(m_path), qPrintable(m_window->lastError()));
    auto* spin = m_panel->findChild<QSpinBox*>(QStringLiteral("partitionsSpin"));
    auto* table = m_panel->findChild<QTableView*>(QStringLiteral("partitionTable"));
    QVERIFY(spin && table);
    QCOMPARE(spin->value(), 6);
    QTRY_VERIFY_WITH_TIMEOUT(caughtUp(), 10000);
    QCOMPARE(table->model()->rowCount(), 6);

    // One step up: 7 partitions, counted from the stream list, the same as partitionStats.
    spin->setFocus();
    QTest::keyClick(spin, Qt::Key_Up);
    QCOMPARE(spin->value(), 7);
    QTRY_VERIFY_WITH_TIMEOUT(caughtUp() && table->model()->rowCount() == 7, 10000);
    const auto stats = topics::partitionStats(*m_window->rawStore(), 7);
    qint64 total = 0;
    auto* model = table->model();
    for (int row = 0; row < 7; ++row) {
        QCOMPARE(model->index(row, PartitionModel::EndColumn).data().toLongLong(), stats[size_t(row)].events);
        QCOMPARE(
            model->index(row, PartitionModel::StreamsColumn).data().toLongLong(), stats[size_t(row)].streams);
        QCOMPARE(model->index(row, PartitionModel::LagColumn).data().toLongLong(), 0);
        total += stats[size_t(row)].events;
    }
    QCOMPARE(total, m_window->rawStore()->summary().events);
    // Two members by range: 0-3 and 4-6.
    QCOMPARE(model->index(3, PartitionModel::MemberColumn).data().toString(), QStringLiteral("consumer-1"));
    QCOMPARE(model->index(4, PartitionModel::MemberColumn).data().toString(), QStringLiteral("consumer-2"));

    // "Start from: the beginning" again: every event is lag at first, then read.
    auto* reset = m_panel->findChild<QPushButton*>(QStringLiteral("resetOffsetsButton"));
    QTest::mouseClick(reset, Qt::LeftButton);
    QVERIFY(m_panel->group().totalLag() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(caughtUp(), 10000);
}

void TestTopicsUi::addAndRemoveMemberRebalance()
{
    QAbstractItemModelTester tester(
        m_panel->partitionModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(caughtUp(), 10000);
    auto* add = m_panel->findChild<QPushButton*>(QStringLiteral("addMemberButton"));
    auto* remove = m_panel->findChild<QPushButton*>(QStringLiteral("removeMemberButton"));
    auto* members = m_panel->findChild<QTableWidget*>(QStringLiteral("memberTable"));
    auto* message = m_panel->findChild<QLabel*>(QStringLiteral("rebalanceMessage"));
    QVERIFY(add && remove && members && message);
    QCOMPARE(members->rowCount(), 2);
    std::vector<qint64> committed;
    for (const auto& p : m_panel->group().partitions())
        committed.push_back(p.committed);

    QTest::mouseClick(add, Qt::LeftButton);
    // 6 over 3 members: partition 2 goes consumer-1 -> consumer-2, 4 and 5 to consumer-3.
    QCOMPARE(members->rowCount(), 3);
    QCOMPARE(members->item(2, 0)->text(), QStringLiteral("consumer-3"));
    QVERIFY2(m_panel->message().contains(QStringLiteral("partition 2 consumer-1 \u2192 consumer-2")),
        qPrintable(m_panel->message()));
    QVERIFY(m_panel->message().contains(QStringLiteral("partition 5 consumer-2 \u2192 consumer-3")));
    QVERIFY(message->toolTip().contains(QStringLiteral("partition 4 consumer-2 \u2192 consumer-3")));
    auto* model = m_panel->partitionModel();
    for (int row = 0; row < 6; ++row)
        QCOMPARE(
            model->index(row, 0).data(PartitionModel::MovedRole).toBool(), row == 2 || row == 4 || row == 5);
    QCOMPARE(m_feature->lessonFacts()["rebalances"].get<qint64>(), qint64(1));
    QCOMPARE(m_feature->lessonFacts()["movedPartitions"].get<qint64>(), qint64(3));
    // The committed offsets are the group's: kept across the rebalance.
    for (const auto& p : m_panel->group().partitions())
        QCOMPARE(p.committed, committed[size_t(p.partition)]);

    // The selected member leaves: consumer-1's partitions go to the others.
    members->selectRow(0);
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(members->rowCount(), 2);
    QCOMPARE(members->item(0, 0)->text(), QStringLiteral("consumer-2"));
    QVERIFY(m_panel->message().contains(QStringLiteral("consumer-1 left")));
    QCOMPARE(model->index(0, PartitionModel::MemberColumn).data().toString(), QStringLiteral("consumer-2"));
    QCOMPARE(m_feature->lessonFacts()["members"].get<qint64>(), qint64(2));
    // Nothing selected: the last one leaves, then the other; nobody reads any partition.
    members->clearSelection();
    members->setCurrentCell(-1, -1);
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(members->item(0, 0)->text(), QStringLiteral("consumer-2"));
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(members->rowCount(), 0);
    QVERIFY(!remove->isEnabled());
    QCOMPARE(model->index(0, PartitionModel::MemberColumn).data().toString(), QStringLiteral("(none)"));
    publish(streamIn(1), 3);
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->group().totalLag(), qint64(3), 5000);
    QTest::mouseClick(add, Qt::LeftButton); // consumer-1 again, reading on from the group's offsets
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->group().totalLag(), qint64(0), 5000);
}

void TestTopicsUi::pausedMemberLagGrowsAndResumeCatchesUp()
{
    QTRY_VERIFY_WITH_TIMEOUT(caughtUp(), 10000);
    auto* members = m_panel->findChild<QTableWidget*>(QStringLiteral("memberTable"));
    auto* pause = m_panel->findChild<QToolButton*>(QStringLiteral("pauseButton-consumer-2"));
    QVERIFY(members && pause);
    QCOMPARE(pause->text(), QStringLiteral("Pause"));
    QTest::mouseClick(pause, Qt::LeftButton);
    QCOMPARE(members->item(1, 3)->text(), QStringLiteral("paused"));
    QCOMPARE(pause->text(), QStringLiteral("Resume"));
    QCOMPARE(m_feature->lessonFacts()["paused"].get<qint64>(), qint64(1));

    // consumer-2 reads partitions 3-5, consumer-1 0-2.
    const qint64 before = m_panel->group().events();
    publish(streamIn(4), 3);
    publish(streamIn(0), 2);
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->group().events(), before + 5, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->group().memberLag(QStringLiteral("consumer-1")), qint64(0), 5000);
    QCOMPARE(m_panel->group().memberLag(QStringLiteral("consumer-2")), qint64(3));
    QCOMPARE(members->item(1, 2)->text(), QStringLiteral("3"));
    QCOMPARE(members->item(0, 2)->text(), QStringLiteral("0"));
    QCOMPARE(m_panel->partitionModel()->index(4, PartitionModel::LagColumn).data().toLongLong(), 3);
    publish(streamIn(5), 2);
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->group().memberLag(QStringLiteral("consumer-2")), qint64(5), 5000);
    QCOMPARE(m_feature->lessonFacts()["totalLag"].get<qint64>(), qint64(5));
    QCOMPARE(m_feature->lessonFacts()["maxLag"].get<qint64>(), qint64(3));

    QTest::mouseClick(pause, Qt::LeftButton); // Resume
    QCOMPARE(members->item(1, 3)->text(), QStringLiteral("running"));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->group().totalLag(), qint64(0), 5000);
    QCOMPARE(members->item(1, 2)->text(), QStringLiteral("0"));
}

void TestTopicsUi::anotherProgramsEventsAreCounted()
{
    QTRY_VERIFY_WITH_TIMEOUT(caughtUp(), 10000);
    QVERIFY(m_panel->setPaused(QStringLiteral("consumer-1"), true));
    const qint64 before = m_panel->group().events();
    // Another writer of the same file: the window follows it, the topic counts its events.
    auto other = openStore(m_path);
    const StreamId stream = streamIn(1); // consumer-1's
    other->append(stream,
        {EventData {QStringLiteral("Elsewhere"), QByteArrayLiteral("{}"), {}, {}, 1, {}},
            EventData {QStringLiteral("Elsewhere"), QByteArrayLiteral("{}"), {}, {}, 1, {}}},
        ExpectedVersion::any());
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->group().events(), before + 2, 10000);
    QCOMPARE(m_panel->group().memberLag(QStringLiteral("consumer-1")), qint64(2));
    QCOMPARE(m_panel->group().memberLag(QStringLiteral("consumer-2")), qint64(0));
    // The stream's partition under the ordering note.
    m_panel->showStream(stream);
    auto* where = m_panel->findChild<QLabel*>(QStringLiteral("streamPartition"));
    QCOMPARE(where->text(), QStringLiteral("partition 1, read by consumer-1"));
}

void TestTopicsUi::lessonSetupAndFacts()
{
    QTRY_VERIFY_WITH_TIMEOUT(caughtUp(), 10000);
    const qint64 events = m_window->rawStore()->summary().events;
    QCOMPARE(
        m_feature->applyLessonSetup({{"partitions", 4}, {"members", 2}, {"from", "end"}, {"reset", true}}),
        QString());
    QTRY_VERIFY_WITH_TIMEOUT(!m_feature->isBusy() && m_panel->group().partitionCount() == 4, 10000);
    auto facts = m_feature->lessonFacts();
    QCOMPARE(facts["partitions"].get<qint64>(), qint64(4));
    QCOMPARE(facts["members"].get<qint64>(), qint64(2));
    QCOMPARE(facts["paused"].get<qint64>(), qint64(0));
    QCOMPARE(facts["rebalances"].get<qint64>(), qint64(0));
    QCOMPARE(facts["totalLag"].get<qint64>(), qint64(0));
    QCOMPARE(facts["events"].get<qint64>(), qint64(events));
    QCOMPARE(m_panel->findChild<QSpinBox*>(QStringLiteral("partitionsSpin"))->value(), 4);

    // From the beginning: all lag, then read.
    QCOMPARE(m_feature->applyLessonSetup({{"from", "beginning"}}), QString());
    QCOMPARE(m_feature->lessonFacts()["totalLag"].get<qint64>(), qint64(events));
    QCOMPARE(m_panel->findChild<QComboBox*>(QStringLiteral("startFromCombo"))->currentIndex(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_feature->lessonFacts()["totalLag"].get<qint64>(), qint64(0), 10000);
    // Without reset the member count is reached by rebalances.
    QCOMPARE(m_feature->applyLessonSetup({{"members", 3}}), QString());
    facts = m_feature->lessonFacts();
    QCOMPARE(facts["members"].get<qint64>(), qint64(3));
    QCOMPARE(facts["rebalances"].get<qint64>(), qint64(1));
    QVERIFY(facts["movedPartitions"].get<int>() > 0);

    // Bad setups name the member and change nothing.
    for (const auto& [setup, member] :
        std::vector<std::pair<nlohmann::json, QString>> {
            {{{"partitions", 0}}, QStringLiteral("\"partitions\"")},
            {{{"partitions", 65}}, QStringLiteral("\"partitions\"")},
            {{{"members", "two"}}, QStringLiteral("\"members\"")},
            {{{"members", -1}}, QStringLiteral("\"members\"")},
            {{{"from", "middle"}}, QStringLiteral("\"from\"")}, {{{"reset", 1}}, QStringLiteral("\"reset\"")},
            {{{"colour", "red"}}, QStringLiteral("\"colour\"")},
            {nlohmann::json::array(), QStringLiteral("object")}}) {
        const QString error = m_feature->applyLessonSetup(setup);
        QVERIFY2(error.contains(member), qPrintable(error));
    }
    QCOMPARE(m_feature->lessonFacts()["members"].get<qint64>(), qint64(3));
    QCOMPARE(m_feature->lessonFacts()["partitions"].get<qint64>(), qint64(4));
}

QTEST_MAIN(TestTopicsUi)
#include "tst_topicsui.moc"
