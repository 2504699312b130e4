#include "lessons/lessonprogress.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace chronoscope::lessons {

namespace {
// Bounds on what is read back, so a settings file edited by hand cannot make it grow.
constexpr int MaxStoredLessons = 1000;
constexpr int MaxStoredStep = 10000;
} // namespace

Progress Progress::fromJson(const QByteArray& bytes)
{
    Progress progress;
    const auto document = nlohmann::json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
    if (!document.is_object())
        return progress;
    for (const auto& [id, value] : document.items()) {
        if (int(progress.m_lessons.size()) >= MaxStoredLessons)
            break;
        if (!value.is_object() || id.empty())
            continue;
        LessonState state;
        if (const auto step = value.find("step"); step != value.end() && step->is_number_integer())
            state.step = int(std::clamp<std::int64_t>(step->get<std::int64_t>(), 0, MaxStoredStep));
        if (const auto passed = value.find("passed"); passed != value.end() && passed->is_array())
            for (const auto& n : *passed)
                if (n.is_number_integer() && n.get<std::int64_t>() >= 0
                    && n.get<std::int64_t>() <= MaxStoredStep)
                    state.passed.insert(int(n.get<std::int64_t>()));
        if (const auto done = value.find("completed"); done != value.end() && done->is_boolean())
            state.completed = done->get<bool>();
        progress.m_lessons[QString::fromStdString(id)] = state;
    }
    return progress;
}

QByteArray Progress::toJson() const
{
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [id, state] : m_lessons)
        out[id.toStdString()]
            = {{"step", state.step}, {"passed", state.passed}, {"completed", state.completed}};
    return QByteArray::fromStdString(out.dump());
}

LessonState Progress::state(const QString& lessonId) const
{
    const auto it = m_lessons.find(lessonId);
    return it == m_lessons.end() ? LessonState {} : it->second;
}

void Progress::setStep(const QString& lessonId, int step)
{
    m_lessons[lessonId].step = std::clamp(step, 0, MaxStoredStep);
}

void Progress::markPassed(const QString& lessonId, int step)
{
    if (step >= 0 && step <= MaxStoredStep)
        m_lessons[lessonId].passed.insert(step);
}

void Progress::markCompleted(const QString& lessonId)
{
    m_lessons[lessonId].completed = true;
}

void Progress::reset(const QString& lessonId)
{
    m_lessons.erase(lessonId);
}

} // namespace chronoscope::lessons
