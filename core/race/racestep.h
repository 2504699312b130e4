#pragma once

// core/race: the race simulator's vocabulary: the two writers, what a step did, and what a
// last-write-wins append lost.

#include "store/eventstore.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace chronoscope::race {

/// The two simulated writers.
enum class Writer { A, B };
/// What a step did: read the stream, append the writer's decision, or reload + decide + append.
enum class StepKind { Load, Append, Retry };
/// How a step ended.
enum class Outcome {
    Loaded,   ///< the writer read the stream
    Appended, ///< its events were stored
    Conflict, ///< WrongExpectedVersion: the stream was not at the version it expected; nothing stored
    Rejected, ///< the domain refused the command on the state it had (DomainError); nothing stored
};
/// The expectation of an append.
enum class AppendMode {
    Exact, ///< expected version = the version the writer loaded (optimistic concurrency)
    Any,   ///< no check: last write wins
};

/// "A" or "B".
QString writerName(Writer writer);
/// The other writer.
Writer otherWriter(Writer writer);
/// "load", "append" or "retry".
QString kindName(StepKind kind);
/// "loaded", "appended", "conflict" or "rejected".
QString outcomeName(Outcome outcome);

/// What a last-write-wins append lost: it was decided on `decidedOn` but stored after `actual`.
struct LostUpdate {
    Version decidedOn;                 ///< the version the writer had loaded
    Version actual;                    ///< the stream's version just before its append
    std::vector<RecordedEvent> missed; ///< the events stored in between, in version order
    std::vector<QString> missedBy;     ///< per missed event: "A", "B" or "" (another writer)
    nlohmann::json decidedState;       ///< the state the writer decided on
    nlohmann::json actualState;        ///< the real state before its append
    nlohmann::json patch;              ///< RFC 6902 from decidedState to actualState: what it did not see
    /// What deciding on the real state would have done instead: "" when the same, else a sentence.
    QString realDecision;
    /// The whole story for a person: "B decided on version 3 and did not see A's ItemAdded
    /// (version 4): ...".
    QString sentence;
};

/// One step of a race, as the sequence diagram draws it.
struct RaceStep {
    Writer writer = Writer::A;
    StepKind kind = StepKind::Load;
    AppendMode mode = AppendMode::Exact;
    std::optional<ExpectedVersion> expected; ///< appends and retries: what was expected
    Version loaded;                          ///< the version read (load) or decided on (append)
    Version actual;                          ///< the stream's version when the step ran (before an append)
    Outcome outcome = Outcome::Loaded;
    QString commandType;               ///< appends: the command decided
    std::vector<RecordedEvent> events; ///< Appended: the events as stored (positions, versions)
    QString message;                   ///< what happened, in plain words
    std::optional<LostUpdate> lost;    ///< a last-write-wins append that missed events

    /// The step as JSON (for lessons and the CLI): writer, kind, mode, expected, loaded, actual,
    /// outcome, events [{position, version, type}], message, lost {missed, patch, sentence}.
    nlohmann::json toJson() const;
};

/// Counts over `steps` for lessons: {"stream","steps","loads","appends" (append steps, whatever
/// their outcome),"conflicts","retries","retrySucceeded","lostUpdates","rejections","lastOutcome"}.
nlohmann::json raceFacts(const std::vector<RaceStep>& steps, const StreamId& stream);

} // namespace chronoscope::race
