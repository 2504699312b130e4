#pragma once

// How far a learner got in each lesson (kept in the settings as JSON between runs).

#include <QByteArray>
#include <QString>

#include <map>
#include <set>

namespace chronoscope::lessons {

struct LessonState {
    int step = 0;           ///< the step shown last (0-based)
    std::set<int> passed;   ///< steps whose check held (or that had none) when Next was pressed
    bool completed = false; ///< the last step was finished
};

class Progress {
public:
    /// Reads what toJson() wrote; anything unreadable (another version, edited by hand) is
    /// skipped, never an error: progress is a convenience.
    static Progress fromJson(const QByteArray& bytes);
    QByteArray toJson() const;

    LessonState state(const QString& lessonId) const;
    void setStep(const QString& lessonId, int step);
    void markPassed(const QString& lessonId, int step);
    void markCompleted(const QString& lessonId);
    /// Forgets one lesson's progress (Reset).
    void reset(const QString& lessonId);
    bool isCompleted(const QString& lessonId) const { return state(lessonId).completed; }

private:
    std::map<QString, LessonState> m_lessons;
};

} // namespace chronoscope::lessons
