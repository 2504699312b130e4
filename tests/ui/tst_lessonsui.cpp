// The Lessons dock on a real window, offscreen: the bundled course from the Lessons menu, a lesson
// started on its own copy of the sample (the sample's bytes never change), steps that set the
// window up (workspace, stream, the Publish dialog prefilled, a panel outlined) and check what the
// learner did (a stream selected, an event clicked, a tab opened, a command refused), Next only
// once the check holds, Check's hint, progress kept in the settings, Reset restoring the store,
// File ▸ Open Lesson with a teacher's file (and a broken one refused), and every step of the
// bundled course set up on the sample without a problem.
#include "bus/buscontroller.h"
#include "bus/busruntime.h"
#include "bus/consumerspanel.h"
#include "bus/deadlettermodel.h"
#include "bus/deadletterpanel.h"
#include "bus/publishdialog.h"
#include "help/manualwindow.h"
#include "help/welcomedialog.h"
#include "lessons/lesson.h"
#include "lessons/lessonprogress.h"
#include "lessons/lessonsfeature.h"
#include "lessons/lessonspanel.h"
#include "lessons/panelhighlight.h"
#include "lessons/windowfacts.h"
#include "projections/positionslider.h"
#include "projections/projectionspanel.h"
#include "race/race.h"
#include "race/racefeature.h"
#include "race/racepanel.h"
#include "story/storyfeature.h"
#include "streambatch/streambatchfeature.h"
#include "streambatch/streambatchpanel.h"
#include "streams/eventinspector.h"
#include "streams/eventtablemodel.h"
#include "streams/streambrowser.h"
#include "support/clicklink.h"
#include "support/filedialog.h"
#include "support/testsupport.h"
#include "timetravel/statepanel.h"
#include "window/mainwindow.h"
#include "window/workspaces.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

#include <memory>

using namespace chronoscope;

class TestLessonsUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void courseFromTheLessonsMenu();
    void firstLessonWalkedThrough();
    void aRefusedCommandIsChecked();
    void resetRestoresTheStore();
    void openLessonFromTheFileMenu();
    void aBrokenLessonIsRefused();
    void aStepThatCannotBeSetUpSaysWhy();
    void theDockFollowsTheWorkspaces();
    void everyBundledStepSetsUp();
    void theWelcomePageStartsTheCourse();
    void deadLetterLessonWalkedThrough();
    void raceLessonWalkedThrough();
    void sagaCompensationLessonWalkedThrough();
    void restOfTheCourseWalkedThrough();
    void anotherStorePausesTheLesson();
    void keptProgressBeyondTheLastStep();
    void pictures();

private:
    LessonsFeature* lessons() const { return m_window->lessonsFeature(); }
    LessonsPanel* panel() const { return lessons()->panel(); }
    QByteArray sampleHash() const;
    void click(QPushButton* button);
    bool triggerMenuAction(const QString& name);
    // Lesson 6, step 4 (payments declined): publishes its prefilled RequestPayment, waits for the
    // check, presses Next and gives the OrderCancelled the saga appended (none when it did not).
    void publishDeclinedPayment(std::optional<RecordedEvent>& cancelled);

    QTemporaryDir m_dir;
    QString m_sample;
    QByteArray m_sampleHash;
    std::unique_ptr<MainWindow> m_window;
};

namespace {
// Whether `path` names a fact of `facts`: every part present, unless the part above it is null
// (nothing selected yet) or an array (an index).
bool factNameKnown(const nlohmann::json& facts, const QString& path)
{
    const nlohmann::json* at = &facts;
    for (const QString& part : path.split(QLatin1Char('.'))) {
        if (at->is_null() || at->is_array())
            return true;
        if (!at->is_object() || !at->contains(part.toStdString()))
            return false;
        at = &(*at)[part.toStdString()];
    }
    return true;
}
} // namespace

QByteArray TestLessonsUi::sampleHash() const
{
    QFile file(m_sample);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

void TestLessonsUi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_lessonsui"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    // The "bundled" sample: a read-only copy, as installed.
    m_sample = m_dir.filePath(QStringLiteral("sample-store.chronoscope"));
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), m_sample));
    QFile::setPermissions(m_sample, QFileDevice::ReadOwner);
    m_sampleHash = sampleHash();
    QVERIFY(!m_sampleHash.isEmpty());
}

void TestLessonsUi::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->setSamplePath(m_sample);
    lessons()->setScratchPath(m_dir.filePath(QStringLiteral("scratch/lesson-store.chronoscope")));
    m_window->resize(1366, 768);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY2(m_window->openFile(m_sample, true), qPrintable(m_window->lastError()));
}

void TestLessonsUi::cleanup()
{
    m_window.reset();
    QCOMPARE(sampleHash(), m_sampleHash); // never written, whatever a lesson did
}

void TestLessonsUi::click(QPushButton* button)
{
    QVERIFY(button->isVisible());
    QVERIFY2(button->isEnabled(), qPrintable(button->objectName()));
    QTest::mouseClick(button, Qt::LeftButton);
}

bool TestLessonsUi::triggerMenuAction(const QString& name)
{
    auto* action = m_window->findChild<QAction*>(name);
    if (!action)
        return false;
    for (QAction* top : m_window->menuBar()->actions()) {
        if (top->menu() && top->menu()->actions().contains(action)) {
            action->trigger();
            return true;
        }
    }
    return false;
}

void TestLessonsUi::courseFromTheLessonsMenu()
{
    auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("lessonsDock"));
    QVERIFY(dock);
    QVERIFY(!dock->isVisible());
    QVERIFY(triggerMenuAction(QStringLiteral("showLessonsAction")));
    QTRY_VERIFY(dock->isVisible());
    QCOMPARE(m_window->dockWidgetArea(dock), Qt::LeftDockWidgetArea);
    QVERIFY(panel()->lessonBox()->count() >= 9);
    QCOMPARE(panel()->lessonBox()->itemText(0), QStringLiteral("1. Events and streams"));
    QVERIFY(panel()->startButton()->isVisible());
    QVERIFY(!panel()->nextButton()->isEnabled()); // nothing runs yet
    QVERIFY(panel()->textView()->toPlainText().contains(QStringLiteral("A shop that remembers everything")));
}

void TestLessonsUi::firstLessonWalkedThrough()
{
    lessons()->showDock();
    panel()->lessonBox()->setCurrentIndex(0);
    click(panel()->startButton());
    QVERIFY(lessons()->isRunning());
    // On its own copy, writable; the sample is not what is open.
    QCOMPARE(QFileInfo(m_window->storePath()), QFileInfo(lessons()->scratchPath()));
    QVERIFY(!m_window->rawStore()->isReadOnly());
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("explore"));
    QVERIFY(PanelHighlight::on(m_window->centralWidget())); // step 1 outlines the events
    QCOMPARE(panel()->stepLabel()->text(), QStringLiteral("Step 1 of 5"));
    QVERIFY(!panel()->backButton()->isEnabled());
    click(panel()->nextButton()); // a step without a check

    // Step 2: select cart-102.
    QCOMPARE(lessons()->currentStep(), 1);
    QVERIFY(panel()->textView()->toPlainText().contains(QStringLiteral("One stream per thing")));
    QVERIFY(!panel()->nextButton()->isEnabled());
    QVERIFY2(panel()->statusText().startsWith(QStringLiteral("To do: Select cart-102")),
        qPrintable(panel()->statusText()));
    click(panel()->checkButton());
    QVERIFY2(panel()->statusText().contains(QStringLiteral("Hint: Type cart-102")),
        qPrintable(panel()->statusText()));
    QVERIFY(m_window->selectStream(StreamId(QStringLiteral("cart-102"))));
    QTRY_VERIFY(panel()->nextButton()->isEnabled());
    QVERIFY2(panel()->statusText().startsWith(QStringLiteral("✓ The table now shows")),
        qPrintable(panel()->statusText()));
    click(panel()->nextButton());

    // Step 3: click an ItemAdded row (version 2) in the table.
    QCOMPARE(lessons()->currentStep(), 2);
    QVERIFY(!panel()->nextButton()->isEnabled());
    QTableView* table = m_window->eventView();
    const int row = m_window->eventModel()->ensureVersionLoaded(Version(2));
    QVERIFY(row >= 0);
    QTest::mouseClick(
        table->viewport(), Qt::LeftButton, {}, table->visualRect(table->model()->index(row, 2)).center());
    QTRY_VERIFY(panel()->nextButton()->isEnabled());
    click(panel()->nextButton());

    // Step 4: the Metadata tab, clicked on its tab bar.
    QTabWidget* tabs = m_window->inspector()->tabs();
    QTabBar* bar = tabs->tabBar();
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(1).center());
    QCOMPARE(tabs->currentIndex(), 1);
    QTRY_VERIFY(panel()->nextButton()->isEnabled());
    click(panel()->nextButton());
    // Back goes to the step before, Next again to the last one.
    click(panel()->backButton());
    QCOMPARE(lessons()->currentStep(), 3);
    QTRY_VERIFY(panel()->nextButton()->isEnabled()); // still on the Metadata tab
    click(panel()->nextButton());
    QCOMPARE(panel()->nextButton()->text(), QStringLiteral("Finish ✓"));
    click(panel()->nextButton());

    // Finished: marked in the list and kept in the settings; the next lesson starts.
    QVERIFY(lessons()->progress().isCompleted(QStringLiteral("events-and-streams")));
    QVERIFY(panel()->lessonBox()->itemText(0).startsWith(QStringLiteral("✓ ")));
    QCOMPARE(lessons()->currentLesson(), 1);
    QCOMPARE(lessons()->currentStep(), 0);
    const auto kept
        = lessons::Progress::fromJson(QSettings().value(QStringLiteral("lessons/progress")).toByteArray());
    QVERIFY(kept.isCompleted(QStringLiteral("events-and-streams")));
    QCOMPARE(kept.state(QStringLiteral("events-and-streams")).passed, (std::set<int> {0, 1, 2, 3, 4}));
}

void TestLessonsUi::aRefusedCommandIsChecked()
{
    // Lesson 2 step 1 (where the last test left it, from the settings): AddItem to a confirmed cart.
    QVERIFY(lessons()->startLesson(1));
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("bus"));
    PublishDialog* dialog = m_window->busController()->publishDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->stream(), QStringLiteral("cart-1"));
    QCOMPARE(dialog->commandType(), QStringLiteral("AddItem"));
    QVERIFY(!panel()->nextButton()->isEnabled());
    const qint64 before = m_window->rawStore()->summary().events;
    QTest::mouseClick(dialog->publishButton(), Qt::LeftButton);
    QVERIFY(dialog->lastOutcome());
    QCOMPARE(dialog->lastOutcome()->kind, PublishOutcome::Kind::Rejected);
    QTRY_VERIFY(panel()->nextButton()->isEnabled());
    QCOMPARE(m_window->rawStore()->summary().events, before); // nothing stored
    const auto facts = lessons()->facts()->facts();
    QCOMPARE(facts["publish"]["rejected"].get<int>(), 1);
    QVERIFY(facts["publish"]["rejectedCommands"] == nlohmann::json::array({"AddItem"}));
    dialog->close();
}

void TestLessonsUi::resetRestoresTheStore()
{
    QVERIFY(lessons()->startLesson(1));
    lessons()->goToStep(1); // the conflict step: the dialog on cart-207
    PublishDialog* dialog = m_window->busController()->publishDialog();
    QTRY_VERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->stream(), QStringLiteral("cart-207"));
    const qint64 before = m_window->rawStore()->summary().events;
    dialog->setExpectation(PublishDialog::Expectation::Any);
    QTest::mouseClick(dialog->publishButton(), Qt::LeftButton);
    QVERIFY2(dialog->lastOutcome() && dialog->lastOutcome()->ok(), qPrintable(dialog->resultText()));
    QTRY_VERIFY(m_window->rawStore()->summary().events > before);
    QVERIFY(!panel()->nextButton()->isEnabled()); // stored, but the step wants a conflict
    dialog->setExpectation(PublishDialog::Expectation::Exact, 1);
    QTest::mouseClick(dialog->publishButton(), Qt::LeftButton);
    QCOMPARE(dialog->lastOutcome()->kind, PublishOutcome::Kind::Conflict);
    QTRY_VERIFY(panel()->nextButton()->isEnabled());
    dialog->close();

    click(panel()->resetButton());
    QTRY_COMPARE(m_window->rawStore()->summary().events, qint64(3000));
    QCOMPARE(QFileInfo(m_window->storePath()), QFileInfo(lessons()->scratchPath()));
    QCOMPARE(lessons()->currentStep(), 0);
    QVERIFY(lessons()->progress().state(QStringLiteral("versions-and-concurrency")).passed.empty());
}

void TestLessonsUi::openLessonFromTheFileMenu()
{
    const QString file = m_dir.filePath(QStringLiteral("teacher.json"));
    {
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(R"({"id":"teacher-1","title":"My lesson","steps":[
            {"title":"Go to the bus","explain":"Open the **Bus** workspace.","check":
              [{"fact":"workspace","equals":"bus","says":"Open the Bus workspace"}]},
            {"title":"Done","explain":"That is all."}]})");
    }
    const auto answer = testsupport::answerNextFileDialog(file);
    // File ▸ Open Lesson… (the same action as in the Lessons menu).
    QMenu* fileMenu = nullptr;
    for (QAction* top : m_window->menuBar()->actions())
        if (top->menu() && top->text() == QStringLiteral("&File"))
            fileMenu = top->menu();
    QVERIFY(fileMenu);
    QVERIFY(fileMenu->actions().contains(lessons()->openLessonAction()));
    lessons()->openLessonAction()->trigger();
    QTRY_COMPARE(lessons()->course().title, QStringLiteral("My lesson"));
    QCOMPARE(panel()->lessonBox()->count(), 1);
    click(panel()->startButton());
    m_window->workspaces()->activate(QStringLiteral("explore"));
    QTRY_VERIFY(panel()->statusText().startsWith(QStringLiteral("To do: Open the Bus workspace")));
    QAction* bus = m_window->workspaces()->actionFor(QStringLiteral("bus")); // the learner's way
    QTest::mouseClick(m_window->workspaces()->modeBar()->widgetForAction(bus), Qt::LeftButton);
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("bus"));
    QTRY_VERIFY(panel()->nextButton()->isEnabled());
    click(panel()->nextButton());
    QVERIFY(panel()->textView()->toPlainText().contains(QStringLiteral("That is all.")));
    // Back to the bundled course from the menu.
    QVERIFY(triggerMenuAction(QStringLiteral("bundledCourseAction")));
    QVERIFY(panel()->lessonBox()->count() >= 9);
}

void TestLessonsUi::aBrokenLessonIsRefused()
{
    const QString file = m_dir.filePath(QStringLiteral("broken.json"));
    {
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(
            R"({"id":"x","title":"Broken","steps":[{"title":"a","explain":"b"},{"title":"c","check":{"fact":"workspace"}}]})");
    }
    const QString before = lessons()->course().title;
    QVERIFY(!lessons()->openFile(file));
    QCOMPARE(panel()->status(), LessonsPanel::Status::Problem);
    QVERIFY2(panel()->statusText().contains(
                 file + QStringLiteral(": step 2.check[0]: a condition needs exactly one of")),
        qPrintable(panel()->statusText()));
    QCOMPARE(lessons()->course().title, before); // the course shown stays
    QVERIFY(!lessons()->openFile(m_dir.filePath(QStringLiteral("missing.json"))));
    QVERIFY(panel()->statusText().contains(QStringLiteral("missing.json: cannot be read")));
}

void TestLessonsUi::aStepThatCannotBeSetUpSaysWhy()
{
    const QString file = m_dir.filePath(QStringLiteral("nostream.json"));
    {
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(R"({"id":"nostream","title":"No such stream","steps":[
            {"title":"a","explain":"b","do":{"selectStream":"cart-999999","highlight":"nothingDock"}}]})");
    }
    QVERIFY(lessons()->openFile(file));
    QVERIFY(lessons()->startLesson(0));
    QCOMPARE(panel()->status(), LessonsPanel::Status::Problem);
    QVERIFY2(panel()->statusText().contains(
                 QStringLiteral("selectStream: the store has no stream \"cart-999999\"")),
        qPrintable(panel()->statusText()));
    QVERIFY(panel()->statusText().contains(QStringLiteral("highlight: no panel \"nothingDock\"")));
}

void TestLessonsUi::theDockFollowsTheWorkspaces()
{
    QVERIFY(lessons()->openBundledCourse());
    QVERIFY(lessons()->startLesson(0));
    auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("lessonsDock"));
    for (const Workspace& workspace : Workspaces::all()) {
        QAction* action = m_window->workspaces()->actionFor(workspace.id);
        QTest::mouseClick(m_window->workspaces()->modeBar()->widgetForAction(action), Qt::LeftButton);
        QCOMPARE(m_window->workspaces()->current(), workspace.id);
        QTRY_VERIFY2(dock->isVisible(), qPrintable(workspace.id));
        QCOMPARE(m_window->dockWidgetArea(dock), Qt::LeftDockWidgetArea);
        QVERIFY2(!dock->visibleRegion().isEmpty(), qPrintable(workspace.id));
    }
}

void TestLessonsUi::everyBundledStepSetsUp()
{
    QVERIFY(lessons()->openBundledCourse());
    for (int l = 0; l < int(lessons()->course().lessons.size()); ++l) {
        QVERIFY(lessons()->startLesson(l));
        const int steps = int(lessons()->course().lessons[std::size_t(l)].steps.size());
        for (int s = 0; s < steps; ++s) {
            lessons()->goToStep(s);
            QVERIFY2(panel()->status() != LessonsPanel::Status::Problem,
                qPrintable(QStringLiteral("lesson %1 step %2: %3")
                               .arg(l + 1)
                               .arg(s + 1)
                               .arg(panel()->statusText())));
            // Every fact the step checks is one the window reports (a part may be null while
            // nothing is selected, but no name is misspelt).
            const nlohmann::json facts = lessons()->facts()->facts();
            for (const lessons::Condition& c :
                lessons()->course().lessons[std::size_t(l)].steps[std::size_t(s)].check)
                for (const QString& path : {c.fact, c.otherFact})
                    QVERIFY2(path.isEmpty() || factNameKnown(facts, path),
                        qPrintable(
                            QStringLiteral("lesson %1 step %2: no fact %3").arg(l + 1).arg(s + 1).arg(path)));
        }
        if (PublishDialog* dialog = m_window->busController()->publishDialog())
            dialog->close();
    }
}

void TestLessonsUi::theWelcomePageStartsTheCourse()
{
    help::WelcomeDialog* welcome = m_window->showWelcome();
    QVERIFY(welcome);
    QVERIFY(QTest::qWaitForWindowExposed(welcome));
    QVERIFY(testsupport::clickLink(welcome->browser(), QStringLiteral("chronoscope:lessons")));
    QTRY_VERIFY(lessons()->isRunning());
    QVERIFY(m_window->findChild<QDockWidget*>(QStringLiteral("lessonsDock"))->isVisible());
    QCOMPARE(QFileInfo(m_window->storePath()), QFileInfo(lessons()->scratchPath()));
    welcome->close();
}

namespace {
// Clicks Publish in the dialog a step prefilled; returns its outcome's kind name.
QString publishPrefilled(MainWindow& window)
{
    PublishDialog* dialog = window.busController()->publishDialog();
    if (!dialog || !dialog->isVisible())
        return QStringLiteral("no dialog");
    QTest::mouseClick(dialog->publishButton(), Qt::LeftButton);
    return dialog->lastOutcome()
        ? outcomeName(dialog->lastOutcome()->kind) + QLatin1Char(' ') + dialog->lastOutcome()->error
        : QStringLiteral("no outcome");
}
} // namespace

void TestLessonsUi::publishDeclinedPayment(std::optional<RecordedEvent>& cancelled)
{
    QVERIFY(m_window->busController()->consumers()->declineAction()->isChecked());
    const QString outcome = publishPrefilled(*m_window);
    QVERIFY2(outcome.startsWith(QStringLiteral("stored")), qPrintable(outcome));
    QTRY_VERIFY_WITH_TIMEOUT(panel()->nextButton()->isEnabled(), 15000);
    const auto appended = lessons()->facts()->facts()["appended"];
    click(panel()->nextButton());
    for (const auto& e : appended["events"])
        if (e["type"] == "OrderCancelled")
            cancelled = m_window->store()->readAt(Position(e["position"].get<qint64>()));
}

void TestLessonsUi::deadLetterLessonWalkedThrough()
{
    QVERIFY(lessons()->openBundledCourse());
    QVERIFY(lessons()->resetLesson()); // a fresh copy of the sample
    QVERIFY(lessons()->startLesson(4));
    lessons()->goToStep(0);
    QCOMPARE(lessons()->course().lessons[4].id, QStringLiteral("bus-retries-dead-letters"));
    // Step 1: the prefilled ConfirmCart, published; the saga's reactions follow.
    QString outcome = publishPrefilled(*m_window);
    QVERIFY2(outcome.startsWith(QStringLiteral("stored")), qPrintable(outcome));
    QTRY_VERIFY2_WITH_TIMEOUT(panel()->nextButton()->isEnabled(),
        qPrintable(
            panel()->statusText() + QString::fromStdString(lessons()->facts()->facts()["appended"].dump())),
        15000);
    click(panel()->nextButton());
    // Step 2: the e-mail service switched off by its check box, then a publish.
    auto* email = m_window->findChild<QCheckBox*>(QStringLiteral("outage-email-box"));
    QVERIFY(email);
    QTest::mouseClick(email, Qt::LeftButton);
    QVERIFY(email->isChecked());
    outcome = publishPrefilled(*m_window);
    QVERIFY2(outcome.startsWith(QStringLiteral("stored")), qPrintable(outcome));
    QTRY_VERIFY_WITH_TIMEOUT(panel()->nextButton()->isEnabled(), 15000);
    QVERIFY(lessons()->facts()->facts()["deadLetters"]["count"].get<int>() >= 1);
    click(panel()->nextButton());
    // Step 3: the service back on, the dead letter selected and retried.
    QTest::mouseClick(email, Qt::LeftButton);
    QVERIFY(!email->isChecked());
    DeadLetterPanel* letters = m_window->busController()->deadLetters();
    QTRY_VERIFY(letters->model()->rowCount() >= 1);
    letters->view()->selectRow(0);
    QTest::mouseClick(letters->retryButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel()->nextButton()->isEnabled(), 15000);
    click(panel()->nextButton());
    QCOMPARE(lessons()->currentStep(), 3);
    if (PublishDialog* dialog = m_window->busController()->publishDialog())
        dialog->close();
}

void TestLessonsUi::raceLessonWalkedThrough()
{
    QVERIFY(lessons()->openBundledCourse());
    QVERIFY(lessons()->resetLesson());
    QVERIFY(lessons()->startLesson(1));
    lessons()->goToStep(2); // two writers race
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("teach"));
    auto* feature = m_window->findChild<RaceFeature*>(QStringLiteral("raceFeature"));
    QVERIFY(feature);
    RacePanel* race = feature->panel();
    QCOMPARE(race->streamBox()->currentText(), QStringLiteral("cart-207"));
    QCOMPARE(m_window->browser()->currentStream().toString(), QStringLiteral("cart-207"));
    using race::Writer;
    for (QPushButton* button : {race->loadButton(Writer::A), race->loadButton(Writer::B),
             race->appendButton(Writer::A), race->appendButton(Writer::B)}) {
        QVERIFY(!panel()->nextButton()->isEnabled());
        click(button);
    }
    QTRY_VERIFY2(panel()->nextButton()->isEnabled(), qPrintable(panel()->statusText()));
    click(panel()->nextButton());
    click(race->retryButton(Writer::B));
    QTRY_VERIFY2(panel()->nextButton()->isEnabled(), qPrintable(panel()->statusText()));
    click(panel()->nextButton());
    // Last write wins on the new cart the step started.
    QVERIFY(race->streamBox()->currentText().startsWith(QStringLiteral("cart-race-")));
    const int any = race->modeBox()->findData(int(race::AppendMode::Any));
    QVERIFY(any >= 0);
    race->modeBox()->setCurrentIndex(any);
    for (QPushButton* button : {race->loadButton(Writer::A), race->loadButton(Writer::B),
             race->appendButton(Writer::A), race->appendButton(Writer::B)})
        click(button);
    QTRY_VERIFY2(panel()->nextButton()->isEnabled(), qPrintable(panel()->statusText() + race->statusText()));
    click(panel()->nextButton());
    QCOMPARE(lessons()->currentStep(), 5);
}

void TestLessonsUi::sagaCompensationLessonWalkedThrough()
{
    QVERIFY(lessons()->openBundledCourse());
    QVERIFY(lessons()->resetLesson());
    QVERIFY(lessons()->startLesson(5));
    lessons()->goToStep(0); // everyBundledStepSetsUp left it at its last step
    QCOMPARE(lessons()->course().lessons[5].id, QStringLiteral("sagas"));
    click(panel()->nextButton());
    // An order placed: the inventory reacts; then the payment: captured and recorded.
    for (int i = 0; i < 2; ++i) {
        const QString outcome = publishPrefilled(*m_window);
        QVERIFY2(outcome.startsWith(QStringLiteral("stored")), qPrintable(outcome));
        QTRY_VERIFY2_WITH_TIMEOUT(
            panel()->nextButton()->isEnabled(), qPrintable(panel()->statusText()), 15000);
        click(panel()->nextButton());
    }
    // Declined: the step switched the gateway; the saga cancels the order.
    std::optional<RecordedEvent> cancelled;
    publishDeclinedPayment(cancelled);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(cancelled);
    // Compensation: the story of the cancelled order.
    m_window->storyFeature()->showStoryOf(*cancelled);
    QTRY_VERIFY_WITH_TIMEOUT(panel()->nextButton()->isEnabled(), 15000);
    click(panel()->nextButton());
    click(panel()->nextButton()); // the last step turns the gateway back on
    QVERIFY(!m_window->busController()->consumers()->declineAction()->isChecked());
    if (PublishDialog* dialog = m_window->busController()->publishDialog())
        dialog->close();
}

// Lessons 3, 4 and 7 to 10, step by step, doing what each step asks.
void TestLessonsUi::restOfTheCourseWalkedThrough()
{
    QVERIFY(lessons()->openBundledCourse());
    QVERIFY(lessons()->resetLesson());
    const auto next = [&] {
        QTRY_VERIFY2_WITH_TIMEOUT(
            panel()->nextButton()->isEnabled(), qPrintable(panel()->statusText()), 20000);
        click(panel()->nextButton());
    };
// Next, and out of the test once a check in next() failed.
#define NEXT()                                                                                               \
    do {                                                                                                     \
        next();                                                                                              \
        if (QTest::currentTestFailed())                                                                      \
            return;                                                                                          \
    } while (false)
    const auto start = [&](int lesson) {
        QVERIFY(lessons()->startLesson(lesson));
        lessons()->goToStep(0);
    };
    // 3. Replay and time travel: versions 4, 5, then one before the last.
    start(2);
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("timetravel"));
    NEXT();
    m_window->statePanel()->setVersion(Version(4));
    NEXT();
    m_window->statePanel()->setVersion(Version(5));
    NEXT();
    NEXT();
    m_window->statePanel()->setVersion(Version(2));
    NEXT();
    QVERIFY(lessons()->progress().isCompleted(QStringLiteral("replay-and-time-travel")));
    // 4. Projections as of a position, then live with a new event.
    QCOMPARE(lessons()->currentLesson(), 3); // the next lesson started by itself
    start(3); // from its first step (everyBundledStepSetsUp left it at its last)
    NEXT();
    PositionSlider* slider = m_window->projectionsPanel()->positionSlider();
    slider->setPosition(Position(1500));
    NEXT();
    slider->setLive(true);
    const QString outcome = publishPrefilled(*m_window);
    QVERIFY2(outcome.startsWith(QStringLiteral("stored")), qPrintable(outcome));
    NEXT();
    m_window->busController()->publishDialog()->close();
    NEXT();
    QVERIFY(lessons()->progress().isCompleted(QStringLiteral("projections-and-cqrs")));
    // 7. Schema evolution: the upcaster loaded by the step, the Upcast tab clicked.
    start(6);
    NEXT();
    QVERIFY(!m_window->upcasterFiles().isEmpty());
    NEXT();
    QTabBar* bar = m_window->inspector()->tabs()->tabBar();
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(EventInspector::UpcastTab).center());
    NEXT();
    NEXT();
    QVERIFY(lessons()->progress().isCompleted(QStringLiteral("schema-evolution")));
    // 8. Stream vs batch: Play, the bigger window, then seconds.
    QCOMPARE(lessons()->currentLesson(), 7);
    start(7);
    NEXT();
    StreamBatchPanel* batch = m_window->findChild<StreamBatchFeature*>()->panel();
    QTest::mouseClick(batch->playButton(), Qt::LeftButton);
    NEXT();
    QVERIFY(batch->isRunning()); // the step replays again with a batch every 200
    QCOMPARE(batch->everyEventsSpin()->value(), 200);
    NEXT();
    batch->policyCombo()->setCurrentIndex(batch->policyCombo()->findData(QStringLiteral("seconds")));
    NEXT();
    QVERIFY(lessons()->progress().isCompleted(QStringLiteral("stream-vs-batch")));
    batch->pause();
    // 9. Topics: a member added, one paused while events come, resumed.
    QCOMPARE(lessons()->currentLesson(), 8);
    start(8);
    NEXT();
    click(m_window->findChild<QPushButton*>(QStringLiteral("addMemberButton")));
    NEXT();
    m_window->busController()->publishDialog()->close();
    auto* pause = m_window->findChild<QToolButton*>(QStringLiteral("pauseButton-consumer-1"));
    QVERIFY(pause);
    QTest::mouseClick(pause, Qt::LeftButton);
    Publisher& publisher = m_window->busController()->runtime()->publisher();
    for (const char* cart : {"cart-210", "cart-214", "cart-221", "cart-222"}) {
        const QByteArray command = QByteArray(R"({"type":"AddItem","stream":")") + cart
            + R"(","data":{"sku":"MUG02","name":"Espresso cup set","quantity":1,"unitPrice":2450}})";
        const bool stored = publisher.execute(command).ok();
        QVERIFY(stored);
    }
    NEXT();
    pause = m_window->findChild<QToolButton*>(QStringLiteral("pauseButton-consumer-1"));
    QTest::mouseClick(pause, Qt::LeftButton); // Resume
    NEXT();
    QVERIFY(lessons()->progress().isCompleted(QStringLiteral("topics-and-consumer-groups")));
    // 10. Stories: the story of an order-10 event.
    QCOMPARE(lessons()->currentLesson(), 9);
    start(9);
    NEXT();
    const auto order = m_window->store()->readStream(StreamId(QStringLiteral("order-10")), Version(1), 1);
    QCOMPARE(order.size(), std::size_t(1));
    m_window->storyFeature()->showStoryOf(order.front());
    NEXT();
    NEXT();
    QVERIFY(lessons()->progress().isCompleted(QStringLiteral("stories-and-specifications")));
    QCOMPARE(panel()->statusText(), QStringLiteral("✓ Course finished: every lesson is done."));
}
#undef NEXT

void TestLessonsUi::anotherStorePausesTheLesson()
{
    QVERIFY(lessons()->openBundledCourse());
    QVERIFY(lessons()->startLesson(0));
    QVERIFY(lessons()->isRunning());
    QVERIFY(m_window->openFile(m_sample, true)); // the person opens another store
    QTRY_VERIFY(!lessons()->isRunning());
    QVERIFY2(panel()->statusText().startsWith(QStringLiteral("Paused")), qPrintable(panel()->statusText()));
    QVERIFY(panel()->startButton()->isVisible());
    QVERIFY(!panel()->nextButton()->isEnabled());
    click(panel()->startButton());
    QVERIFY(lessons()->isRunning());
    QCOMPARE(QFileInfo(m_window->storePath()), QFileInfo(lessons()->scratchPath()));
}

void TestLessonsUi::keptProgressBeyondTheLastStep()
{
    // Progress kept by a longer version of the lesson: its last step, not nothing.
    m_window.reset();
    QSettings().setValue(
        QStringLiteral("lessons/progress"), QByteArray(R"({"events-and-streams":{"step":99}})"));
    QSettings().setValue(QStringLiteral("lessons/current"), QStringLiteral("events-and-streams"));
    init();
    QVERIFY(lessons()->startLesson(0));
    QCOMPARE(lessons()->currentStep(), 4);
    QVERIFY(panel()->textView()->toPlainText().contains(QStringLiteral("What you learned")));
    QVERIFY(panel()->nextButton()->isEnabled());
}

// README pictures, taken only when CHRONOSCOPE_PICTURES names a folder (run with
// QT_QPA_PLATFORM=offscreen:configfile=tests/ui/screens/1366x768.json).
void TestLessonsUi::pictures()
{
    const QString dir = qEnvironmentVariable("CHRONOSCOPE_PICTURES");
    if (dir.isEmpty())
        QSKIP("CHRONOSCOPE_PICTURES is not set");
    const auto grab = [&](const QString& name) {
        QTest::qWait(600);
        QVERIFY(m_window->grab().save(QDir(dir).filePath(name)));
    };
    using race::Writer;
    QVERIFY(lessons()->openBundledCourse());
    QVERIFY(lessons()->resetLesson());
    // Lesson 1, step 2: the panel outlined, the check waiting.
    QVERIFY(lessons()->startLesson(0));
    lessons()->goToStep(1);
    QTest::qWait(300);
    grab(QStringLiteral("lesson-1366.png"));
    // The race: B refused.
    QVERIFY(lessons()->startLesson(1));
    lessons()->goToStep(2);
    RacePanel* race = m_window->findChild<RaceFeature*>(QStringLiteral("raceFeature"))->panel();
    for (QPushButton* button : {race->loadButton(Writer::A), race->loadButton(Writer::B),
             race->appendButton(Writer::A), race->appendButton(Writer::B)})
        click(button);
    QTRY_VERIFY(panel()->nextButton()->isEnabled());
    grab(QStringLiteral("race-1366.png"));
    // Last write wins on a new cart: the lost change.
    lessons()->goToStep(4);
    race->modeBox()->setCurrentIndex(race->modeBox()->findData(int(race::AppendMode::Any)));
    for (QPushButton* button : {race->loadButton(Writer::A), race->loadButton(Writer::B),
             race->appendButton(Writer::A), race->appendButton(Writer::B)})
        click(button);
    QTRY_VERIFY(panel()->nextButton()->isEnabled());
    grab(QStringLiteral("race-lost-1366.png"));
    // Stream vs batch, replaying at 100 events per second.
    QVERIFY(lessons()->startLesson(7));
    lessons()->goToStep(1);
    QTest::mouseClick(m_window->findChild<StreamBatchFeature*>()->panel()->playButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel()->nextButton()->isEnabled(), 20000);
    grab(QStringLiteral("streambatch-1366.png"));
    m_window->findChild<StreamBatchFeature*>()->panel()->pause();
    // Topics: a member added, one paused, events published.
    QVERIFY(lessons()->startLesson(8));
    lessons()->goToStep(1);
    click(m_window->findChild<QPushButton*>(QStringLiteral("addMemberButton")));
    QTRY_VERIFY(panel()->nextButton()->isEnabled());
    click(panel()->nextButton());
    if (PublishDialog* dialog = m_window->busController()->publishDialog())
        dialog->close();
    auto* pause = m_window->findChild<QToolButton*>(QStringLiteral("pauseButton-consumer-1"));
    QVERIFY(pause);
    QTest::mouseClick(pause, Qt::LeftButton);
    Publisher& publisher = m_window->busController()->runtime()->publisher();
    for (const char* cart : {"cart-210", "cart-214", "cart-221", "cart-222"})
        publisher.execute(QByteArray(R"({"type":"AddItem","stream":")") + cart
            + R"(","data":{"sku":"MUG02","name":"Espresso cup set","quantity":1,"unitPrice":2450}})");
    QTRY_VERIFY_WITH_TIMEOUT(panel()->nextButton()->isEnabled(), 10000);
    grab(QStringLiteral("topics-1366.png"));
    // The saga's compensation: a declined payment, the order cancelled, its story.
    QVERIFY(lessons()->startLesson(5));
    lessons()->goToStep(3);
    std::optional<RecordedEvent> cancelled;
    publishDeclinedPayment(cancelled);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(cancelled);
    QVERIFY(m_window->selectStream(cancelled->stream));
    m_window->storyFeature()->showStoryOf(*cancelled);
    QTRY_VERIFY_WITH_TIMEOUT(panel()->nextButton()->isEnabled(), 15000);
    grab(QStringLiteral("saga-compensation-1366.png"));
    lessons()->goToStep(5); // the gateway back on
}

QTEST_MAIN(TestLessonsUi)
#include "tst_lessonsui.moc"
