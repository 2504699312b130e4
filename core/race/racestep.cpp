#include "race/racestep.h"

namespace chronoscope::race {

using json = nlohmann::json;

QString writerName(Writer writer)
{
    return writer == Writer::A ? QStringLiteral("A") : QStringLiteral("B");
}

Writer otherWriter(Writer writer)
{
    return writer == Writer::A ? Writer::B : Writer::A;
}

QString kindName(StepKind kind)
{
    switch (kind) {
    case StepKind::Load:
        return QStringLiteral("load");
    case StepKind::Append:
        return QStringLiteral("append");
    case StepKind::Retry:
        return QStringLiteral("retry");
    }
    return {};
}

QString outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Loaded:
        return QStringLiteral("loaded");
    case Outcome::Appended:
        return QStringLiteral("appended");
    case Outcome::Conflict:
        return QStringLiteral("conflict");
    case Outcome::Rejected:
        return QStringLiteral("rejected");
    }
    return {};
}

json RaceStep::toJson() const
{
    json j {{"writer", writerName(writer).toStdString()}, {"kind", kindName(kind).toStdString()},
        {"mode", mode == AppendMode::Exact ? "exact" : "any"}, {"loaded", loaded.value},
        {"actual", actual.value}, {"outcome", outcomeName(outcome).toStdString()},
        {"message", message.toStdString()}};
    if (expected)
        j["expected"] = expected->toString().toStdString();
    if (!commandType.isEmpty())
        j["command"] = commandType.toStdString();
    json appended = json::array();
    for (const RecordedEvent& e : events)
        appended.push_back(
            {{"position", e.position.value}, {"version", e.version.value}, {"type", e.type.toStdString()}});
    j["events"] = std::move(appended);
    if (lost) {
        json missed = json::array();
        for (std::size_t i = 0; i < lost->missed.size(); ++i)
            missed.push_back({{"version", lost->missed[i].version.value},
                {"type", lost->missed[i].type.toStdString()}, {"by", lost->missedBy[i].toStdString()}});
        j["lost"] = {{"decidedOn", lost->decidedOn.value}, {"actual", lost->actual.value},
            {"missed", std::move(missed)}, {"patch", lost->patch},
            {"sentence", lost->sentence.toStdString()}};
    }
    return j;
}

json raceFacts(const std::vector<RaceStep>& steps, const StreamId& stream)
{
    int loads = 0, appends = 0, conflicts = 0, retries = 0, retrySucceeded = 0, lostUpdates = 0,
        rejections = 0;
    for (const RaceStep& step : steps) {
        loads += step.kind == StepKind::Load;
        appends += step.kind == StepKind::Append;
        retries += step.kind == StepKind::Retry;
        retrySucceeded += step.kind == StepKind::Retry && step.outcome == Outcome::Appended;
        conflicts += step.outcome == Outcome::Conflict;
        rejections += step.outcome == Outcome::Rejected;
        lostUpdates += step.lost.has_value();
    }
    return {{"stream", stream.toString().toStdString()}, {"steps", steps.size()}, {"loads", loads},
        {"appends", appends}, {"conflicts", conflicts}, {"retries", retries},
        {"retrySucceeded", retrySucceeded}, {"lostUpdates", lostUpdates}, {"rejections", rejections},
        {"lastOutcome", steps.empty() ? std::string() : outcomeName(steps.back().outcome).toStdString()}};
}

} // namespace chronoscope::race
