#pragma once

#include "lessons/lesson.h"
#include "lessons/lessonprogress.h"
#include "window/windowfeature.h"

#include <QObject>
#include <QString>

#include <optional>
#include <vector>

class QAction;
class QDockWidget;
class QTimer;

namespace chronoscope {

class LessonParticipant;
class LessonsPanel;
class MainWindow;
class WindowFacts;

/// Lessons: the Lessons dock ("lessonsDock", under the streams in every workspace while a lesson
/// runs), the Lessons menu and File ▸ Open Lesson. A lesson runs on its own copy of the bundled
/// sample store (the scratch store, made on first start, put back by Reset); the bundled store is
/// never written. Each step's "do" is applied when it is shown (and by Show Me), its check is
/// evaluated against WindowFacts a few times a second; Next goes on once it holds. Progress is
/// kept in the settings ("lessons/progress").
class LessonsFeature : public QObject, public WindowFeature {
    Q_OBJECT
public:
    explicit LessonsFeature(MainWindow* window);
    ~LessonsFeature() override;

    void addDocks(QMainWindow& window) override;
    void addMenus(QMenuBar& menus) override;
    void showStore(const StoreSession&, bool) override { }

    /// The panels that report facts and take setups (found among the window's features).
    void setParticipants(std::vector<LessonParticipant*> participants);

    /// Reads a course or one lesson (shown as a course of one). False, with the reason in the
    /// panel and the status bar, when the file cannot be used; the course shown stays.
    bool openFile(const QString& path);
    /// The bundled course (resources/lessons, compiled in).
    bool openBundledCourse();
    /// Starts lesson `index` at the step where it was left, on the scratch store. False when the
    /// scratch store could not be made or opened (the reason is shown).
    bool startLesson(int index);
    bool isRunning() const { return m_running; }
    void goToStep(int step);
    /// Next: marks the step passed and shows the next one (after the last: the lesson is
    /// completed). Does nothing while the step's check does not hold.
    bool next();
    void back();
    /// Check: evaluates now; while it does not hold, the status says what is missing and the hint.
    bool checkNow();
    /// Puts the scratch store back as the sample was and starts the lesson again from step 1.
    bool resetLesson();

    const lessons::Course& course() const { return m_course; }
    int currentLesson() const { return m_lesson; }
    int currentStep() const { return m_step; }
    bool stepPassed() const { return m_passed; }
    const lessons::Progress& progress() const { return m_progress; }
    LessonsPanel* panel() const { return m_panel; }
    WindowFacts* facts() const { return m_facts; }
    QAction* openLessonAction() const { return m_openAction; }
    QAction* showLessonsAction() const { return m_showAction; }
    QAction* resetAction() const { return m_resetAction; }

    /// The lesson's own store file (a copy of the sample). Tests set it; by default it is in the
    /// application's data folder.
    QString scratchPath() const { return m_scratch; }
    void setScratchPath(const QString& path) { m_scratch = path; }

    /// Shows the dock under the streams and raises it.
    void showDock();

private:
    bool setCourse(lessons::Course course);
    bool prepareScratch(bool fresh);
    void showCurrentStep(bool apply);
    void evaluate();
    void refreshList();
    void saveProgress() const;
    void chooseFile();
    void placeDock();
    void problem(const QString& text);
    const lessons::Step* step() const;
    int savedStep(int lesson) const;
    bool onLessonStore() const;
    std::optional<nlohmann::json> readFacts();

    MainWindow* m_window;
    LessonsPanel* m_panel;
    QDockWidget* m_dock = nullptr;
    WindowFacts* m_facts;
    QTimer* m_timer;
    std::vector<LessonParticipant*> m_participants;
    lessons::Course m_course;
    lessons::Progress m_progress;
    int m_lesson = -1;
    int m_step = 0;
    bool m_running = false;
    bool m_passed = false;
    QString m_missing; // the condition the status names
    QString m_scratch;
    QAction* m_openAction = nullptr;
    QAction* m_showAction = nullptr;
    QAction* m_resetAction = nullptr;
};

} // namespace chronoscope
