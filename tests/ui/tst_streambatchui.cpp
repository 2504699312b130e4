// The Stream vs Batch dock, offscreen on a copy of the sample store: Play (a real click) replays the
// store at the rate chosen into both read models; the batch runs every N events, its staleness is
// drawn, Pause stops, Reset forgets; an event appended while it runs is processed too; a lesson sets
// it up and reads its facts.
#include "streambatch/stalenesschart.h"
#include "streambatch/streambatchfeature.h"
#include "streambatch/streambatchmodel.h"
#include "streambatch/streambatchpanel.h"
#include "window/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace chronoscope;

class TestStreamBatchUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void theDockIsThere();
    void playPauseReset();
    void batchValuesBehindAreHighlighted();
    void anEventAppendedWhileRunningIsProcessed();
    void lessonSetupAndFacts();

private:
    StreamBatchFeature* feature() const { return m_window->findChild<StreamBatchFeature*>(); }
    StreamBatchPanel* panel() const { return feature()->panel(); }
    qint64 processed() const { return panel()->comparison().counters().processed; }
    void showDock();

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_window;
};

void TestStreamBatchUi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_streambatchui"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    m_path = m_dir.filePath(QStringLiteral("streambatch.chronoscope"));
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), m_path));
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void TestStreamBatchUi::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->resize(1366, 768);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY2(m_window->openFile(m_path), qPrintable(m_window->lastError()));
    QVERIFY(feature());
}

void TestStreamBatchUi::cleanup()
{
    m_window.reset();
}

void TestStreamBatchUi::showDock()
{
    auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("streamBatchDock"));
    QVERIFY(dock);
    if (!dock->isVisible())
        dock->toggleViewAction()->trigger(); // View ▸ Panels ▸ Stream vs Batch
    QVERIFY(dock->isVisible());
    m_window->resizeDocks({dock}, {300}, Qt::Vertical);
}

void TestStreamBatchUi::theDockIsThere()
{
    auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("streamBatchDock"));
    QVERIFY(dock);
    QCOMPARE(dock->windowTitle(), QStringLiteral("Stream vs Batch"));
    QCOMPARE(dock->widget(), panel());
    QCOMPARE(feature()->lessonKey(), QStringLiteral("streamBatch"));
    QCOMPARE(feature()->lessonDock(), QStringLiteral("streamBatchDock"));
    // Nothing runs before Play; both models are empty and equal.
    QVERIFY(!panel()->isRunning());
    QCOMPARE(processed(), 0);
    QVERIFY(panel()->playButton()->isEnabled());
    QVERIFY(!panel()->pauseButton()->isEnabled());
}

void TestStreamBatchUi::playPauseReset()
{
    showDock();
    QAbstractItemModelTester tester(panel()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    panel()->rateSpin()->setValue(2000);
    panel()->policyCombo()->setCurrentIndex(0); // events
    panel()->everyEventsSpin()->setValue(50);
    QTest::mouseClick(panel()->playButton(), Qt::LeftButton);
    QVERIFY(panel()->isRunning());
    QVERIFY(!panel()->playButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(processed() > 300, 10000);
    QTest::mouseClick(panel()->pauseButton(), Qt::LeftButton);
    QVERIFY(!panel()->isRunning());
    const auto counters = panel()->comparison().counters();
    // The batch ran once per 50 events; what came after the last run is its staleness.
    QCOMPARE(counters.batchRuns, counters.processed / 50);
    QCOMPARE(counters.stalenessEvents, counters.processed % 50);
    QCOMPARE(counters.maxStalenessEvents, 49);
    QVERIFY(counters.throughput > 0);
    QVERIFY(counters.streamLatencyMaxUs > 0);
    QVERIFY(panel()->chart()->pointCount() > 10);
    // The table shows both read models: the stream's events are every event processed.
    StreamBatchModel* model = panel()->model();
    QCOMPARE(model->index(0, StreamBatchModel::MeasureColumn).data(StreamBatchModel::ValueRole).toString(),
        QStringLiteral("events"));
    QCOMPARE(model->index(0, StreamBatchModel::StreamColumn).data(StreamBatchModel::ValueRole).toLongLong(),
        counters.processed);
    QCOMPARE(model->index(0, StreamBatchModel::BatchColumn).data(StreamBatchModel::ValueRole).toLongLong(),
        counters.batchRuns * 50);
    QVERIFY(model->rowCount() > 10); // the figures and the sample's event types
    // Paused: nothing moves.
    QTest::qWait(5 * StreamBatchPanel::TickMs);
    QCOMPARE(processed(), counters.processed);
    // Play goes on from where it stopped.
    QTest::mouseClick(panel()->playButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(processed() > counters.processed, 10000);
    // Reset forgets everything and stops.
    QTest::mouseClick(panel()->resetButton(), Qt::LeftButton);
    QVERIFY(!panel()->isRunning());
    QCOMPARE(processed(), 0);
    QCOMPARE(panel()->comparison().counters().batchRuns, 0);
    QCOMPARE(panel()->cursor(), 1);
    QCOMPARE(panel()->chart()->pointCount(), 0);
    QCOMPARE(
        model->index(0, StreamBatchModel::StreamColumn).data(StreamBatchModel::ValueRole).toLongLong(), 0);
    QVERIFY(panel()->playButton()->isEnabled());
}

void TestStreamBatchUi::batchValuesBehindAreHighlighted()
{
    showDock();
    QAbstractItemModelTester tester(panel()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    panel()->rateSpin()->setValue(1000);
    panel()->everyEventsSpin()->setValue(100000); // no batch run in this test
    QTest::mouseClick(panel()->playButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(processed() > 100, 10000);
    QTest::mouseClick(panel()->pauseButton(), Qt::LeftButton);
    StreamBatchModel* model = panel()->model();
    QCOMPARE(panel()->comparison().counters().batchRuns, 0);
    QCOMPARE(model->differingRows() > 0, true);
    const QModelIndex batchEvents = model->index(0, StreamBatchModel::BatchColumn);
    QCOMPARE(batchEvents.data(StreamBatchModel::ValueRole).toLongLong(), 0);
    QVERIFY(batchEvents.data(Qt::BackgroundRole).isValid());
    QVERIFY(!model->index(0, StreamBatchModel::StreamColumn).data(Qt::BackgroundRole).isValid());
    // A batch of 1 catches up at the next event: then nothing differs.
    panel()->everyEventsSpin()->setValue(1);
    QTest::mouseClick(panel()->playButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel()->comparison().counters().batchRuns > 0, 10000);
    QTest::mouseClick(panel()->pauseButton(), Qt::LeftButton);
    QCOMPARE(model->differingRows(), 0);
    QVERIFY(!batchEvents.data(Qt::BackgroundRole).isValid());
}

void TestStreamBatchUi::anEventAppendedWhileRunningIsProcessed()
{
    showDock();
    const qint64 total = m_window->rawStore()->summary().events;
    QVERIFY(total > 1000);
    panel()->rateSpin()->setValue(StreamBatchPanel::MaxRate);
    QTest::mouseClick(panel()->playButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel()->isCaughtUp(), 20000);
    QCOMPARE(processed(), total);
    QVERIFY(panel()->statusText().contains(QStringLiteral("Live")));
    const qint64 opened = panel()->comparison().streamModel()["byType"]["CartOpened"].get<qint64>();
    EventData event;
    event.type = QStringLiteral("CartOpened");
    event.data = R"({"cartId":"cart-990001","customerId":"customer-1"})";
    m_window->session()->raw()->append(
        StreamId(QStringLiteral("cart-990001")), {event}, ExpectedVersion::noStream());
    QTRY_COMPARE_WITH_TIMEOUT(processed(), total + 1, 10000);
    QCOMPARE(panel()->comparison().streamModel()["byType"]["CartOpened"].get<qint64>(), opened + 1);
    QVERIFY(panel()->isRunning());
}

void TestStreamBatchUi::lessonSetupAndFacts()
{
    StreamBatchFeature* f = feature();
    QCOMPARE(f->applyLessonSetup(
                 {{"rate", 100}, {"policy", "events"}, {"every", 50}, {"play", true}, {"reset", true}}),
        QString());
    nlohmann::json facts = f->lessonFacts();
    QCOMPARE(facts["running"].get<bool>(), true);
    QCOMPARE(facts["rate"].get<int>(), 100);
    QCOMPARE(facts["policy"].get<std::string>(), "events");
    QCOMPARE(facts["every"].get<int>(), 50);
    QCOMPARE(panel()->rateSpin()->value(), 100);
    QCOMPARE(panel()->everyEventsSpin()->value(), 50);
    QTRY_VERIFY_WITH_TIMEOUT(f->lessonFacts()["batchRuns"].get<qint64>() >= 1, 10000);
    facts = f->lessonFacts();
    QVERIFY(facts["processed"].get<qint64>() >= 50);
    QVERIFY(facts["maxStaleness"].get<qint64>() >= 1);
    QVERIFY(facts["staleness"].get<qint64>() < 50);

    // Errors name the member and change nothing.
    const auto error = [f](const nlohmann::json& setup) { return f->applyLessonSetup(setup); };
    QVERIFY(error({{"rate", 0}}).contains(QStringLiteral("rate")));
    QVERIFY(error({{"rate", "fast"}}).contains(QStringLiteral("rate")));
    QVERIFY(error({{"policy", "minutes"}}).contains(QStringLiteral("policy")));
    QVERIFY(error({{"every", 0.5}}).contains(QStringLiteral("every"))); // events need a whole number
    QVERIFY(error({{"speed", 1}}).contains(QStringLiteral("speed")));
    QVERIFY(error({{"play", "yes"}}).contains(QStringLiteral("play")));
    QVERIFY(!error(nlohmann::json::array()).isEmpty());
    QVERIFY(error({{"rate", 300}, {"policy", "hourly"}}).contains(QStringLiteral("policy")));
    QCOMPARE(panel()->rate(), 100);

    QCOMPARE(f->applyLessonSetup({{"policy", "seconds"}, {"every", 0.5}, {"play", false}}), QString());
    facts = f->lessonFacts();
    QCOMPARE(facts["running"].get<bool>(), false);
    QCOMPARE(facts["policy"].get<std::string>(), "seconds");
    QCOMPARE(facts["every"].get<double>(), 0.5);
    QVERIFY(panel()->everySecondsSpin()->isVisibleTo(panel()));
    QVERIFY(!panel()->everyEventsSpin()->isVisibleTo(panel()));
    QCOMPARE(f->applyLessonSetup({{"reset", true}}), QString());
    QCOMPARE(f->lessonFacts()["processed"].get<qint64>(), 0);
}

QTEST_MAIN(TestStreamBatchUi)
#include "tst_streambatchui.moc"
