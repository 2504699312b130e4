#pragma once

#include "bus/publisher.h"

#include <QObject>
#include <QString>

#include <nlohmann/json.hpp>

#include <vector>

namespace chronoscope {

class LessonParticipant;
class MainWindow;

/// What the learner did and sees, as the facts a lesson's checks read (see the manual's
/// "Writing a lesson" for each). Counts of what happened ("publish.rejected", "appended.count")
/// are since the step began: restart() starts them again. Follows the window's bus, store and
/// dead letters; everything else is read from the window when facts() is called (cheap: no
/// store scan; the appended events are read as they come, at most MaxAppended kept).
class WindowFacts : public QObject {
    Q_OBJECT
public:
    static constexpr int MaxAppended = 200;

    explicit WindowFacts(MainWindow* window, QObject* parent = nullptr);

    /// The panels that report facts of their own (under their lessonKey()).
    void setParticipants(std::vector<LessonParticipant*> participants)
    {
        m_participants = std::move(participants);
    }

    /// Counts start again from now (a new step).
    void restart();
    nlohmann::json facts() const;

    /// A publish's outcome and what was published: the command type, or the raw event's type
    /// (BusController::published).
    void notePublished(const PublishOutcome& outcome, const QString& what);

private:
    void onAppended();
    void onDeadLetters(int count);

    MainWindow* m_window;
    std::vector<LessonParticipant*> m_participants;
    qint64 m_seen = 0; // the last position read
    nlohmann::json m_appended = nlohmann::json::array();
    int m_appendedCount = 0;
    nlohmann::json m_publish;
    int m_deadLetters = 0;
    int m_deadLettersMax = 0;
    int m_deadLettersRemoved = 0;
};

} // namespace chronoscope
