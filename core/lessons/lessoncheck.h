#pragma once

// Checking a step: its conditions against the facts the window reports (one JSON object:
// {"workspace": "bus", "selectedStream": "cart-102", "publish": {"rejected": 1, ...},
// "race": {"conflicts": 1}, ...}; the Lessons dock gathers it, see the manual for every fact).

#include "lessons/lesson.h"

#include <optional>

namespace chronoscope::lessons {

/// Whether `path` names a fact: parts of letters, digits and '_' joined by '.', at most 8 parts.
bool isFactPath(const QString& path);

/// The fact at a dotted path ("race.conflicts"), or nullopt when any part is missing.
std::optional<nlohmann::json> factAt(const nlohmann::json& facts, const QString& path);

/// Whether one condition holds for these facts. Contains: a string holds the text
/// (case-insensitive), an array holds an element equal to the value or, for an object value,
/// one having at least its members with equal values. Numbers compare as numbers.
bool holds(const Condition& condition, const nlohmann::json& facts);

/// The condition in words for the learner: its "says" or, without one, e.g.
/// "race.conflicts is at least 1 (now 0)".
QString describe(const Condition& condition, const nlohmann::json& facts);

/// The outcome of checking a step: passed, or the first condition that does not hold.
struct CheckResult {
    bool passed = true;
    int failing = -1; ///< index of the first condition that does not hold
    QString missing;  ///< describe() of it
    int held = 0;     ///< how many of the conditions hold
};
CheckResult check(const Step& step, const nlohmann::json& facts);

} // namespace chronoscope::lessons
