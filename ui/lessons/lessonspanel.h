#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTextBrowser;

namespace chronoscope {

/// The Lessons dock's contents: the course's lessons (a check mark on those finished), the step
/// being taught (its title and Markdown text), what the learner has still to do or that it is
/// done, and Back, Show Me, Check, Next, Reset. LessonsFeature fills it and reacts to it.
class LessonsPanel : public QWidget {
    Q_OBJECT
public:
    explicit LessonsPanel(QWidget* parent = nullptr);

    /// The lessons' titles, a check mark on the completed ones; `current` selected (-1: none).
    void setLessons(
        const QString& course, const QStringList& titles, const QList<bool>& completed, int current);
    /// One step: "Step n of m", its title and text (Markdown).
    void showStep(int step, int steps, const QString& title, const QString& markdown);
    /// What the learner sees under the text: to do (plain), done (success colour), a problem (error colour).
    enum class Status { ToDo, Done, Problem, Note };
    void setStatus(Status status, const QString& text);
    Status status() const { return m_status; }
    QString statusText() const;

    QComboBox* lessonBox() const { return m_lessons; }
    QTextBrowser* textView() const { return m_text; }
    QLabel* stepLabel() const { return m_stepLabel; }
    QLabel* statusLabel() const { return m_statusLabel; }
    QProgressBar* progressBar() const { return m_progress; }
    QPushButton* backButton() const { return m_back; }
    QPushButton* showMeButton() const { return m_showMe; }
    QPushButton* checkButton() const { return m_check; }
    QPushButton* nextButton() const { return m_next; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* resetButton() const { return m_reset; }

Q_SIGNALS:
    void lessonChosen(int index);

private:
    QLabel* m_course;
    QComboBox* m_lessons;
    QLabel* m_stepLabel;
    QProgressBar* m_progress;
    QTextBrowser* m_text;
    QLabel* m_statusLabel;
    Status m_status = Status::Note;
    QPushButton* m_back;
    QPushButton* m_showMe;
    QPushButton* m_check;
    QPushButton* m_next;
    QPushButton* m_start;
    QPushButton* m_reset;
};

} // namespace chronoscope
