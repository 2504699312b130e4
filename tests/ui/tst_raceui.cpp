// The Race Simulator dock in a real window on a copy of the sample store: the buttons A loads,
// B loads, A appends, B appends give a WrongExpectedVersion in the status and the diagram, Retry
// stores B's decision at the next version (in the store and the event table, published on the
// bus); last write wins on a new cart says what it lost; a read-only store disables the steps
// with a reason; a lesson sets the race up and reads its facts.
#include "bus/buscontroller.h"
#include "bus/busruntime.h"
#include "race/racefeature.h"
#include "race/racepanel.h"
#include "race/sequencediagram.h"
#include "streams/eventtablemodel.h"
#include "widgets/jsonedit.h"
#include "window/mainwindow.h"
#include "window/windowfeature.h"

#include <QComboBox>
#include <QDockWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace chronoscope;
using race::Writer;
using json = nlohmann::json;

namespace {
// An open cart of the sample store (sample-store.chronoscope is deterministic).
const StreamId OpenCart(QStringLiteral("cart-207"));

qint64 versionOf(const EventStore* store, const StreamId& stream)
{
    const auto info = store->streamInfo(stream);
    return info ? info->version.value : 0;
}
} // namespace

class TestRaceUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void conflictThenRetryThroughTheButtons();
    void lastWriteWinsOnANewCart();
    void retryRejectedWhenTheCartWasConfirmed();
    void readOnlyStoreDisablesTheSteps();
    void lessonSetupAndFacts();

private:
    RacePanel* panel() const { return m_window->findChild<RacePanel*>(); }
    RaceFeature* feature() const { return m_window->findChild<RaceFeature*>(QStringLiteral("raceFeature")); }
    void click(QPushButton* button);
    void chooseStream(const QString& stream);

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_window;
};

void TestRaceUi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_raceui"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

void TestRaceUi::init()
{
    // A fresh copy for every case: each one writes to it.
    m_path = m_dir.filePath(
        QStringLiteral("race-%1.chronoscope").arg(QString::fromLatin1(QTest::currentTestFunction())));
    QFile::remove(m_path);
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), m_path));
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->resize(1366, 768);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY2(m_window->openFile(m_path), qPrintable(m_window->lastError()));
    raiseDock(m_window.get(), QStringLiteral("raceDock"));
    QVERIFY(panel());
    QTRY_VERIFY(panel()->isVisible());
}

void TestRaceUi::cleanup()
{
    m_window.reset();
}

void TestRaceUi::click(QPushButton* button)
{
    QVERIFY(button);
    QVERIFY2(
        button->isEnabled(), qPrintable(button->objectName() + QStringLiteral(": ") + button->toolTip()));
    QTest::mouseClick(button, Qt::LeftButton);
}

void TestRaceUi::chooseStream(const QString& stream)
{
    QLineEdit* edit = panel()->streamBox()->lineEdit();
    edit->selectAll();
    QTest::keyClicks(edit, stream);
    QTest::keyClick(edit, Qt::Key_Return);
}

void TestRaceUi::conflictThenRetryThroughTheButtons()
{
    auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("raceDock"));
    QVERIFY(dock);
    QCOMPARE(dock->windowTitle(), QStringLiteral("Race Simulator"));
    RacePanel* race = panel();
    const qint64 start = versionOf(m_window->rawStore(), OpenCart);
    QVERIFY(start > 0);
    QVERIFY(m_window->selectStream(OpenCart));
    QTRY_COMPARE(m_window->eventModel()->rowCount(), int(start));
    QSignalSpy published(&m_window->busController()->runtime()->bus(), &EventBus::published);

    QVERIFY(!race->appendButton(Writer::A)->isEnabled()); // nothing loaded yet
    // Picking the race's stream shows it in the event table, whatever the table showed.
    m_window->selectAllStreams();
    QTRY_VERIFY(m_window->eventModel()->rowCount() > int(start));
    chooseStream(OpenCart.toString());
    QCOMPARE(m_window->eventModel()->stream(), std::optional<StreamId>(OpenCart));
    QTRY_COMPARE(m_window->eventModel()->rowCount(), int(start));
    click(race->loadButton(Writer::A));
    QVERIFY2(race->statusText().startsWith(QStringLiteral("A read cart-207 at version %1").arg(start)),
        qPrintable(race->statusText()));
    click(race->loadButton(Writer::B));
    click(race->appendButton(Writer::A));
    QVERIFY2(race->statusText().contains(QStringLiteral("stored as version %1").arg(start + 1)),
        qPrintable(race->statusText()));
    QCOMPARE(versionOf(m_window->rawStore(), OpenCart), start + 1);
    QVERIFY(!race->retryButton(Writer::B)->isEnabled());
    click(race->appendButton(Writer::B));
    const QString conflict
        = QStringLiteral("B's append was refused: WrongExpectedVersion — B expected version %1, the "
                         "stream is at %2. Retry reloads and decides again.")
              .arg(start)
              .arg(start + 1);
    QCOMPARE(race->statusText(), conflict);
    QCOMPARE(race->diagram()->stepCount(), 4);
    QCOMPARE(race->diagram()->label(0), QStringLiteral("read v%1").arg(start));
    QCOMPARE(race->diagram()->label(2), QStringLiteral("append expected v%1").arg(start));
    QCOMPARE(race->diagram()->result(2), QStringLiteral("✓ v%1 ItemAdded").arg(start + 1));
    QCOMPARE(race->diagram()->result(3), QStringLiteral("✗ WrongExpectedVersion (at v%1)").arg(start + 1));
    QCOMPARE(versionOf(m_window->rawStore(), OpenCart), start + 1); // nothing stored

    click(race->retryButton(Writer::B));
    QVERIFY2(race->statusText().startsWith(QStringLiteral("B retried: reloaded version %1").arg(start + 1)),
        qPrintable(race->statusText()));
    QCOMPARE(race->diagram()->stepCount(), 5);
    QCOMPARE(versionOf(m_window->rawStore(), OpenCart), start + 2);
    const auto last = m_window->rawStore()->readStream(OpenCart, Version(start + 1), 2);
    QCOMPARE(last.size(), std::size_t(2));
    QCOMPARE(last[0].type, QStringLiteral("ItemAdded"));
    QCOMPARE(last[1].type, QStringLiteral("CartConfirmed"));
    QCOMPARE(last[1].version.value, start + 2);
    // The retry decided on the real state: A's item is in the confirmation.
    QVERIFY(last[1].dataJson().dump().find("RACE01") != std::string::npos);
    // Appended through the bus: published, and the event table of the stream shows both.
    QTRY_COMPARE(published.count(), 2);
    QTRY_COMPARE(m_window->eventModel()->rowCount(), int(start + 2));
    const auto shown = m_window->eventModel()
                           ->index(int(start + 1), 0)
                           .data(EventTableModel::EventRole)
                           .value<RecordedEvent>();
    QCOMPARE(shown.type, QStringLiteral("CartConfirmed"));

    click(race->resetButton());
    QCOMPARE(race->diagram()->stepCount(), 0);
    QVERIFY(!race->appendButton(Writer::A)->isEnabled());
}

void TestRaceUi::lastWriteWinsOnANewCart()
{
    RacePanel* race = panel();
    click(race->newCartButton());
    QCOMPARE(race->streamBox()->currentText(), QStringLiteral("cart-race-1"));
    QCOMPARE(versionOf(m_window->rawStore(), StreamId(QStringLiteral("cart-race-1"))), 2);
    // The new cart is the stream the event table shows.
    QCOMPARE(
        m_window->eventModel()->stream(), std::optional<StreamId>(StreamId(QStringLiteral("cart-race-1"))));
    QTRY_COMPARE(m_window->eventModel()->rowCount(), 2);
    click(race->loadButton(Writer::A));
    click(race->loadButton(Writer::B));
    click(race->appendButton(Writer::A));
    race->modeBox()->setCurrentIndex(race->modeBox()->findText(QStringLiteral("Last write wins (any)")));
    click(race->appendButton(Writer::B));
    const QString status = race->statusText();
    QVERIFY2(status.contains(
                 QStringLiteral("stored as version 4 although the stream had moved on. Last write wins")),
        qPrintable(status));
    QVERIFY2(
        status.contains(QStringLiteral("B decided on version 2 and did not see A's ItemAdded (version 3)")),
        qPrintable(status));
    QCOMPARE(race->diagram()->label(3), QStringLiteral("append expected any"));
    QCOMPARE(race->diagram()->result(3), QStringLiteral("✓ v4 — last write wins"));
    QVERIFY2(race->diagram()->lostLine(3).contains(QStringLiteral("A's ItemAdded (v3)")),
        qPrintable(race->diagram()->lostLine(3)));
    QVERIFY(race->diagram()->lostLine(2).isEmpty());
    // The confirmation stored misses A's item.
    const auto confirmed
        = m_window->rawStore()->readStream(StreamId(QStringLiteral("cart-race-1")), Version(4), 1);
    QCOMPARE(confirmed.at(0).type, QStringLiteral("CartConfirmed"));
    QVERIFY(confirmed[0].dataJson().dump().find("RACE01") == std::string::npos);
    const json facts = feature()->lessonFacts();
    QCOMPARE(facts["lostUpdates"].get<int>(), 1);
    QCOMPARE(facts["conflicts"].get<int>(), 0);
    QTRY_COMPARE(m_window->eventModel()->rowCount(), 4);
}

void TestRaceUi::retryRejectedWhenTheCartWasConfirmed()
{
    RacePanel* race = panel();
    click(race->newCartButton());
    // A confirms, B wants to add: B's retry is refused by the cart's rules.
    race->typeBox(Writer::A)->setCurrentIndex(
        race->typeBox(Writer::A)->findText(QStringLiteral("ConfirmCart")));
    race->dataEdit(Writer::A)->setText(QStringLiteral("{}"));
    race->typeBox(Writer::B)->setCurrentIndex(race->typeBox(Writer::B)->findText(QStringLiteral("AddItem")));
    race->dataEdit(Writer::B)->setText(QStringLiteral(R"({"sku":"TEA01","quantity":1,"unitPrice":790})"));
    click(race->loadButton(Writer::A));
    click(race->loadButton(Writer::B));
    click(race->appendButton(Writer::A));
    click(race->appendButton(Writer::B));
    QVERIFY(race->statusText().contains(QStringLiteral("WrongExpectedVersion")));
    click(race->retryButton(Writer::B));
    QVERIFY2(
        race->statusText().contains(QStringLiteral("rejected on version 3")), qPrintable(race->statusText()));
    QVERIFY(race->diagram()->result(4).startsWith(QStringLiteral("✗ rejected")));
    QCOMPARE(feature()->lessonFacts()["rejections"].get<int>(), 1);
    QCOMPARE(versionOf(m_window->rawStore(), StreamId(QStringLiteral("cart-race-1"))), 3);
    // Bad data in an editor is named, and nothing runs.
    race->dataEdit(Writer::B)->setText(QStringLiteral("{\"sku\":"));
    click(race->loadButton(Writer::B));
    click(race->appendButton(Writer::B));
    QVERIFY2(race->statusText().startsWith(QStringLiteral("B's data")), qPrintable(race->statusText()));
    QCOMPARE(race->diagram()->stepCount(), 6);
}

void TestRaceUi::readOnlyStoreDisablesTheSteps()
{
    QVERIFY(m_window->openFile(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), true));
    RacePanel* race = panel();
    QVERIFY(!race->canStep());
    for (QPushButton* button :
        {race->loadButton(Writer::A), race->loadButton(Writer::B), race->appendButton(Writer::A),
            race->appendButton(Writer::B), race->retryButton(Writer::B), race->newCartButton()}) {
        QVERIFY2(!button->isEnabled(), qPrintable(button->objectName()));
        QVERIFY2(button->toolTip().contains(QStringLiteral("read-only")), qPrintable(button->toolTip()));
    }
    QVERIFY(race->statusText().contains(QStringLiteral("read-only")));
    QCOMPARE(feature()->lessonFacts()["writable"].get<bool>(), false);
    QVERIFY(feature()->applyLessonSetup({{"stream", "new"}}).contains(QStringLiteral("read-only")));
    m_window->closeStore();
    QVERIFY(!race->loadButton(Writer::A)->isEnabled());
    QVERIFY(!race->loadButton(Writer::A)->toolTip().isEmpty());
}

void TestRaceUi::lessonSetupAndFacts()
{
    RaceFeature* race = feature();
    QVERIFY(race);
    QCOMPARE(race->lessonKey(), QStringLiteral("race"));
    QCOMPARE(race->lessonDock(), QStringLiteral("raceDock"));
    QVERIFY(race->applyLessonSetup(json::array()).contains(QStringLiteral("JSON object")));
    QVERIFY(race->applyLessonSetup({{"bogus", 1}}).contains(QStringLiteral("'bogus'")));
    QVERIFY(race->applyLessonSetup({{"stream", 5}}).startsWith(QStringLiteral("race.stream")));
    const QString category = race->applyLessonSetup({{"stream", "rocket-1"}});
    QVERIFY2(
        category.startsWith(QStringLiteral("race.stream")) && category.contains(QStringLiteral("rocket")),
        qPrintable(category));
    QVERIFY(race->applyLessonSetup({{"a", {{"type", "Fly"}}}})
                .startsWith(QStringLiteral("race.a: unknown command type 'Fly'")));
    const QString missing = race->applyLessonSetup({{"stream", OpenCart.toString().toStdString()},
        {"b", {{"type", "AddItem"}, {"data", {{"sku", "X"}}}}}});
    QVERIFY2(missing.startsWith(QStringLiteral("race.b: ")) && missing.contains(QStringLiteral("quantity")),
        qPrintable(missing));

    const json setup
        = {{"stream", "new"}, {"a", {{"type", "RemoveItem"}, {"data", {{"sku", "MUG01"}, {"quantity", 1}}}}},
            {"b", {{"type", "ConfirmCart"}, {"data", json::object()}}}, {"reset", true}};
    QCOMPARE(race->applyLessonSetup(setup), QString());
    QCOMPARE(panel()->typeBox(Writer::A)->currentText(), QStringLiteral("RemoveItem"));
    json facts = race->lessonFacts();
    QVERIFY(
        QString::fromStdString(facts["stream"].get<std::string>()).startsWith(QStringLiteral("cart-race-")));
    QCOMPARE(facts["steps"].get<int>(), 0);
    QCOMPARE(facts["writable"].get<bool>(), true);
    click(panel()->loadButton(Writer::A));
    click(panel()->loadButton(Writer::B));
    click(panel()->appendButton(Writer::A));
    click(panel()->appendButton(Writer::B));
    facts = race->lessonFacts();
    QCOMPARE(facts["steps"].get<int>(), 4);
    QCOMPARE(facts["loads"].get<int>(), 2);
    QCOMPARE(facts["appends"].get<int>(), 2);
    QCOMPARE(facts["conflicts"].get<int>(), 1);
    QCOMPARE(facts["lastOutcome"].get<std::string>(), "conflict");
    // B retries on the cart A emptied: the cart's rules refuse to confirm it.
    click(panel()->retryButton(Writer::B));
    facts = race->lessonFacts();
    QCOMPARE(facts["retries"].get<int>(), 1);
    QCOMPARE(facts["retrySucceeded"].get<int>(), 0);
    QCOMPARE(facts["rejections"].get<int>(), 1);
    QVERIFY2(panel()->statusText().contains(QStringLiteral("empty cart")), qPrintable(panel()->statusText()));
    QCOMPARE(race->applyLessonSetup({{"reset", true}}), QString());
    QCOMPARE(race->lessonFacts()["steps"].get<int>(), 0);
}

QTEST_MAIN(TestRaceUi)
#include "tst_raceui.moc"
