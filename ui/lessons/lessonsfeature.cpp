#include "lessons/lessonsfeature.h"

#include "bus/buscontroller.h"
#include "lessons/lessonactions.h"
#include "lessons/lessoncheck.h"
#include "lessons/lessonparticipant.h"
#include "lessons/lessonspanel.h"
#include "lessons/windowfacts.h"
#include "store/sqlite/sqlitecopy.h"
#include "window/mainwindow.h"
#include "window/workspaces.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>

namespace chronoscope {

namespace {

const QString ProgressKey = QStringLiteral("lessons/progress");
const QString CurrentKey = QStringLiteral("lessons/current");
const QString BundledCourse = QStringLiteral(":/lessons/course.json");

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InvalidInput(QStringLiteral("%1: cannot be read (%2)").arg(path, file.errorString()));
    if (file.size() > lessons::MaxFileBytes)
        throw InvalidInput(
            QStringLiteral("%1: larger than %2 MB").arg(path).arg(lessons::MaxFileBytes / (1024 * 1024)));
    return file.readAll();
}

void removeStoreFiles(const QString& path)
{
    for (const QString& suffix :
        {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")})
        QFile::remove(path + suffix);
}

} // namespace

LessonsFeature::LessonsFeature(MainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_panel(new LessonsPanel)
    , m_facts(new WindowFacts(window, this))
    , m_timer(new QTimer(this))
    , m_progress(lessons::Progress::fromJson(QSettings().value(ProgressKey).toByteArray()))
{
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    m_scratch = QDir(data).filePath(QStringLiteral("lessons/lesson-store.chronoscope"));
    m_timer->setInterval(400);
    connect(m_timer, &QTimer::timeout, this, &LessonsFeature::evaluate);
    connect(window->busController(), &BusController::published, m_facts, &WindowFacts::notePublished);
    connect(window->busController(), &BusController::published, this, &LessonsFeature::evaluate);
    connect(m_panel, &LessonsPanel::lessonChosen, this, [this](int index) {
        m_lesson = index;
        m_step = savedStep(index);
        if (m_running)
            startLesson(index);
        else
            showCurrentStep(false);
    });
    connect(
        m_panel->startButton(), &QPushButton::clicked, this, [this] { startLesson(std::max(0, m_lesson)); });
    connect(m_panel->resetButton(), &QPushButton::clicked, this, &LessonsFeature::resetLesson);
    connect(m_panel->nextButton(), &QPushButton::clicked, this, &LessonsFeature::next);
    connect(m_panel->backButton(), &QPushButton::clicked, this, &LessonsFeature::back);
    connect(m_panel->checkButton(), &QPushButton::clicked, this, &LessonsFeature::checkNow);
    connect(m_panel->showMeButton(), &QPushButton::clicked, this, [this] { showCurrentStep(true); });
    openBundledCourse();
}

LessonsFeature::~LessonsFeature() = default;

void LessonsFeature::setParticipants(std::vector<LessonParticipant*> participants)
{
    m_participants = participants;
    m_facts->setParticipants(std::move(participants));
}

void LessonsFeature::addDocks(QMainWindow& window)
{
    m_dock = makeDock(tr("Lessons"), QStringLiteral("lessonsDock"), m_panel, &window);
    window.addDockWidget(Qt::LeftDockWidgetArea, m_dock);
    m_dock->hide();
    // A lesson goes from workspace to workspace: its dock goes along, under the streams.
    connect(m_window->workspaces(), &Workspaces::activated, this, [this] {
        if (m_running)
            placeDock();
    });
}

void LessonsFeature::addMenus(QMenuBar& menus)
{
    m_openAction = new QAction(tr("Open &Lesson…"), this);
    m_openAction->setObjectName(QStringLiteral("openLessonAction"));
    m_openAction->setToolTip(
        tr("Open a lesson or a course written as JSON (see the manual: Writing a lesson)"));
    connect(m_openAction, &QAction::triggered, this, [this] {
        // After the menu has closed: the file dialog is modal.
        QTimer::singleShot(0, this, &LessonsFeature::chooseFile);
    });
    // File ▸ Open Lesson…, after Open Recent.
    for (QAction* action : menus.actions()) {
        if (QMenu* menu = action->menu(); menu && action->text() == tr("&File")) {
            const QList<QAction*> entries = menu->actions();
            QAction* before = entries.size() > 2 ? entries[2] : nullptr;
            menu->insertAction(before, m_openAction);
            break;
        }
    }
    QMenu* menu = menus.addMenu(tr("&Lessons"));
    menu->setObjectName(QStringLiteral("lessonsMenu"));
    m_showAction = menu->addAction(tr("&Course"), this, [this] {
        showDock();
        if (!m_running)
            m_panel->startButton()->setFocus();
    });
    m_showAction->setObjectName(QStringLiteral("showLessonsAction"));
    m_showAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_showAction->setToolTip(tr("The lessons on the sample shop"));
    menu->addAction(m_openAction);
    QAction* bundled = menu->addAction(tr("&Bundled Course"), this, [this] {
        openBundledCourse();
        showDock();
    });
    bundled->setObjectName(QStringLiteral("bundledCourseAction"));
    m_resetAction = menu->addAction(tr("&Reset Lesson Store"), this, &LessonsFeature::resetLesson);
    m_resetAction->setObjectName(QStringLiteral("resetLessonAction"));
    m_resetAction->setToolTip(tr("Puts the lesson's store back as the sample shop was"));
    menu->addSeparator();
    // The teaching panels, for a class without a lesson.
    for (const auto& [name, title] : {std::pair {QStringLiteral("raceDock"), tr("&Race Simulator")},
             std::pair {QStringLiteral("streamBatchDock"), tr("&Stream vs Batch")},
             std::pair {QStringLiteral("topicsDock"), tr("&Topics and Consumer Groups")},
             std::pair {QStringLiteral("storyDock"), tr("S&tory")}}) {
        if (!m_window->findChild<QDockWidget*>(name))
            continue;
        QAction* show = menu->addAction(title, this, [this, name = name] { m_window->raiseDock(name); });
        show->setObjectName(QStringLiteral("show-") + name);
    }
}

void LessonsFeature::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Open a Lesson or a Course"),
        QDir::homePath(), tr("Lessons and courses (*.json);;All files (*)"));
    if (!path.isEmpty() && openFile(path))
        showDock();
}

bool LessonsFeature::openBundledCourse()
{
    return openFile(BundledCourse);
}

bool LessonsFeature::openFile(const QString& path)
{
    lessons::Course course;
    try {
        const QByteArray bytes = readFile(path);
        const nlohmann::json document = lessons::parseDocument(bytes, path);
        if (lessons::isCourse(document)) {
            const QDir dir = QFileInfo(path).dir();
            course = lessons::parseCourse(
                bytes, path, [&](const QString& name) { return readFile(dir.filePath(name)); });
        } else {
            lessons::Lesson lesson = lessons::parseLesson(document, path);
            course.title = lesson.title;
            course.source = path;
            course.lessons.push_back(std::move(lesson));
        }
    } catch (const StoreError& e) {
        problem(e.message());
        return false;
    }
    return setCourse(std::move(course));
}

bool LessonsFeature::setCourse(lessons::Course course)
{
    m_course = std::move(course);
    m_running = false;
    m_timer->stop();
    m_lesson = 0;
    const QString last = QSettings().value(CurrentKey).toString();
    for (int i = 0; i < int(m_course.lessons.size()); ++i)
        if (m_course.lessons[std::size_t(i)].id == last)
            m_lesson = i;
    m_step = savedStep(m_lesson);
    refreshList();
    showCurrentStep(false);
    return true;
}

void LessonsFeature::refreshList()
{
    QStringList titles;
    QList<bool> completed;
    for (const lessons::Lesson& lesson : m_course.lessons) {
        titles.append(lesson.title);
        completed.append(m_progress.isCompleted(lesson.id));
    }
    m_panel->setLessons(m_course.title, titles, completed, m_lesson);
}

int LessonsFeature::savedStep(int lesson) const
{
    // Kept progress may name a step a shorter version of the lesson no longer has.
    const auto& l = m_course.lessons[std::size_t(lesson)];
    return std::clamp(m_progress.state(l.id).step, 0, int(l.steps.size()) - 1);
}

const lessons::Step* LessonsFeature::step() const
{
    if (m_lesson < 0 || m_lesson >= int(m_course.lessons.size()))
        return nullptr;
    const auto& steps = m_course.lessons[std::size_t(m_lesson)].steps;
    return m_step >= 0 && m_step < int(steps.size()) ? &steps[std::size_t(m_step)] : nullptr;
}

bool LessonsFeature::prepareScratch(bool fresh)
{
    const QString sample = m_window->samplePath();
    if (sample.isEmpty() || !QFileInfo::exists(sample)) {
        problem(tr("The sample shop's store was not found, so a lesson has nothing to run on."));
        return false;
    }
    const bool shown = QFileInfo(m_window->storePath()) == QFileInfo(m_scratch);
    if (shown && !fresh)
        return true;
    if (fresh || !QFileInfo::exists(m_scratch)) {
        if (shown)
            m_window->closeStore();
        removeStoreFiles(m_scratch);
        QDir().mkpath(QFileInfo(m_scratch).absolutePath());
        try {
            copySqliteStore(sample, m_scratch);
        } catch (const StoreError& e) {
            problem(tr("The lesson's store could not be made: %1").arg(e.message()));
            return false;
        }
    }
    if (!m_window->openFile(m_scratch)) {
        problem(tr("The lesson's store could not be opened: %1").arg(m_window->lastError()));
        return false;
    }
    m_window->statusBar()->showMessage(tr("The lesson runs on its own copy of the sample shop; the bundled "
                                          "store is unchanged (the copy: %1).")
                                           .arg(m_scratch),
        12000);
    return true;
}

bool LessonsFeature::startLesson(int index)
{
    if (index < 0 || index >= int(m_course.lessons.size()))
        return false;
    m_lesson = index;
    if (!prepareScratch(false))
        return false;
    QSettings().setValue(CurrentKey, m_course.lessons[std::size_t(index)].id);
    m_step = savedStep(index);
    m_running = true;
    refreshList();
    showDock();
    showCurrentStep(true);
    m_timer->start();
    return true;
}

void LessonsFeature::goToStep(int step)
{
    const auto& lesson = m_course.lessons[std::size_t(m_lesson)];
    m_step = std::clamp(step, 0, int(lesson.steps.size()) - 1);
    m_progress.setStep(lesson.id, m_step);
    saveProgress();
    showCurrentStep(m_running);
}

void LessonsFeature::showCurrentStep(bool apply)
{
    const lessons::Step* current = step();
    if (!current)
        return;
    const auto& lesson = m_course.lessons[std::size_t(m_lesson)];
    m_panel->showStep(m_step, int(lesson.steps.size()), current->title, current->explain);
    m_panel->startButton()->setVisible(!m_running);
    m_panel->resetButton()->setVisible(m_running);
    for (QPushButton* button : {m_panel->showMeButton(), m_panel->checkButton(), m_panel->nextButton()})
        button->setEnabled(m_running);
    m_panel->backButton()->setEnabled(m_running && m_step > 0);
    m_panel->nextButton()->setText(m_step + 1 < int(lesson.steps.size()) ? tr("Next ▶") : tr("Finish ✓"));
    m_passed = false;
    m_missing.clear();
    if (!m_running) {
        m_panel->setStatus(LessonsPanel::Status::Note,
            lesson.summary.isEmpty() ? tr("Press Start Lesson: it runs on its own copy of the sample shop.")
                                     : lesson.summary);
        return;
    }
    m_facts->restart();
    if (apply) {
        const QStringList problems = applyLessonActions(*m_window, current->actions, m_participants);
        if (!problems.isEmpty()) {
            m_panel->setStatus(LessonsPanel::Status::Problem,
                tr("This step could not set everything up: %1").arg(problems.join(QStringLiteral("; "))));
            return;
        }
    }
    evaluate();
}

bool LessonsFeature::onLessonStore() const
{
    return QFileInfo(m_window->storePath()) == QFileInfo(m_scratch);
}

std::optional<nlohmann::json> LessonsFeature::readFacts()
{
    try {
        return m_facts->facts();
    } catch (const StoreError& e) {
        m_panel->setStatus(
            LessonsPanel::Status::Problem, tr("The lesson cannot read the store: %1").arg(e.message()));
        return std::nullopt;
    }
}

void LessonsFeature::evaluate()
{
    const lessons::Step* current = step();
    if (!m_running || !current)
        return;
    if (!onLessonStore()) {
        // Another store was opened: the lesson waits (Start Lesson or Show Me brings its store back).
        m_running = false;
        m_timer->stop();
        showCurrentStep(false);
        m_panel->setStatus(LessonsPanel::Status::Note,
            tr("Paused: the window shows another store. Press Start Lesson to go on with the lesson's own."));
        return;
    }
    if (m_panel->status() == LessonsPanel::Status::Problem)
        return; // the author's problem stays until the step changes
    if (current->check.empty()) {
        m_passed = true;
        m_panel->nextButton()->setEnabled(true);
        m_panel->checkButton()->setEnabled(false);
        m_panel->setStatus(LessonsPanel::Status::Note, tr("Read, then press Next."));
        return;
    }
    const auto facts = readFacts();
    if (!facts)
        return;
    const lessons::CheckResult result = lessons::check(*current, *facts);
    m_panel->checkButton()->setEnabled(!result.passed);
    m_panel->nextButton()->setEnabled(result.passed);
    if (result.passed == m_passed && result.missing == m_missing
        && m_panel->status() != LessonsPanel::Status::Note)
        return; // unchanged: the text (maybe with Check's hint) stays
    m_passed = result.passed;
    m_missing = result.missing;
    if (result.passed) {
        m_panel->setStatus(LessonsPanel::Status::Done,
            current->success.isEmpty() ? tr("Done. Press Next.")
                                       : current->success + QLatin1Char(' ') + tr("Press Next."));
        m_panel->nextButton()->setFocus();
    } else {
        m_panel->setStatus(LessonsPanel::Status::ToDo, result.missing);
    }
}

bool LessonsFeature::checkNow()
{
    const lessons::Step* current = step();
    if (!m_running || !current)
        return false;
    const auto facts = readFacts();
    if (!facts)
        return false;
    const lessons::CheckResult result = lessons::check(*current, *facts);
    m_passed = result.passed;
    m_missing = result.missing;
    m_panel->nextButton()->setEnabled(result.passed);
    if (result.passed) {
        m_missing = QStringLiteral("-"); // evaluate() shows the success
        evaluate();
        return true;
    }
    QString text = result.missing;
    if (!current->hint.isEmpty())
        text += QStringLiteral("\n") + tr("Hint: %1").arg(current->hint);
    if (current->check.size() > 1)
        text += QStringLiteral("\n") + tr("(%1 of %2 done)").arg(result.held).arg(current->check.size());
    m_panel->setStatus(LessonsPanel::Status::ToDo, text);
    return false;
}

bool LessonsFeature::next()
{
    const lessons::Step* current = step();
    if (!m_running || !current)
        return false;
    const auto facts = readFacts();
    if (!facts)
        return false;
    if (!current->check.empty() && !lessons::check(*current, *facts).passed) {
        checkNow();
        return false;
    }
    const auto& lesson = m_course.lessons[std::size_t(m_lesson)];
    m_progress.markPassed(lesson.id, m_step);
    if (m_step + 1 < int(lesson.steps.size())) {
        goToStep(m_step + 1);
        return true;
    }
    m_progress.markCompleted(lesson.id);
    m_progress.setStep(lesson.id, 0);
    saveProgress();
    refreshList();
    if (m_lesson + 1 < int(m_course.lessons.size())) {
        const int following = m_lesson + 1;
        m_panel->setStatus(LessonsPanel::Status::Done,
            tr("Lesson finished. Next: %1").arg(m_course.lessons[std::size_t(following)].title));
        startLesson(following);
        m_panel->setStatus(
            LessonsPanel::Status::Done, tr("“%1” finished. This is the next lesson.").arg(lesson.title));
    } else {
        m_panel->setStatus(LessonsPanel::Status::Done, tr("Course finished: every lesson is done."));
        m_panel->nextButton()->setEnabled(false);
    }
    return true;
}

void LessonsFeature::back()
{
    if (m_running && m_step > 0)
        goToStep(m_step - 1);
}

bool LessonsFeature::resetLesson()
{
    if (m_lesson < 0 || m_lesson >= int(m_course.lessons.size()))
        return false;
    if (!prepareScratch(true))
        return false;
    const auto& lesson = m_course.lessons[std::size_t(m_lesson)];
    m_progress.reset(lesson.id);
    saveProgress();
    m_step = 0;
    m_running = false;
    startLesson(m_lesson);
    m_window->statusBar()->showMessage(
        tr("The lesson's store is the sample shop again; the lesson starts over."), 10000);
    return true;
}

void LessonsFeature::saveProgress() const
{
    QSettings().setValue(ProgressKey, m_progress.toJson());
}

void LessonsFeature::problem(const QString& text)
{
    m_panel->setStatus(LessonsPanel::Status::Problem, text);
    m_window->statusBar()->showMessage(text, 15000);
}

void LessonsFeature::showDock()
{
    placeDock();
    m_dock->raise();
}

void LessonsFeature::placeDock()
{
    if (!m_dock)
        return;
    auto* streams = m_window->findChild<QDockWidget*>(QStringLiteral("streamsDock"));
    const bool placed = m_dock->isVisible() && !m_dock->isFloating()
        && m_window->dockWidgetArea(m_dock) == Qt::LeftDockWidgetArea;
    if (placed)
        return;
    m_dock->setFloating(false);
    if (streams && streams->isVisible() && !streams->isFloating()) {
        m_window->splitDockWidget(streams, m_dock, Qt::Vertical);
        m_dock->show();
        m_window->resizeDocks({streams, m_dock}, {40, 60}, Qt::Vertical);
    } else {
        m_window->addDockWidget(Qt::LeftDockWidgetArea, m_dock);
        m_dock->show();
    }
}

} // namespace chronoscope
