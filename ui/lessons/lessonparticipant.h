#pragma once

#include <QString>

#include <nlohmann/json.hpp>

namespace chronoscope {

/// A panel a lesson can set up and check: the race simulator, stream vs batch, the topic panel.
/// The Lessons dock reads its facts whenever it checks a step ("check": [{"fact": "race.conflicts",
/// "atLeast": 1}]) and hands it a step's "do" member named after its key
/// ("do": {"race": {"stream": "cart-102"}}).
class LessonParticipant {
public:
    virtual ~LessonParticipant() = default;
    /// The name its facts and setups go under in a lesson file ("race", "topics", "streamBatch").
    virtual QString lessonKey() const = 0;
    /// The name of the dock that shows it ("raceDock"): a step that sets it up reveals it.
    virtual QString lessonDock() const = 0;
    /// What the learner did and sees now, as one JSON object of counts, flags and strings
    /// (cheap: read every few hundred milliseconds while a lesson runs).
    virtual nlohmann::json lessonFacts() const = 0;
    /// Sets the panel up as a step asks. Returns "" when done, else what was wrong with `setup`
    /// (for the lesson's author: the member and why).
    virtual QString applyLessonSetup(const nlohmann::json& setup) = 0;
};

} // namespace chronoscope
