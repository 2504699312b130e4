#pragma once

// One nesting bound for every JSON document that enters Chronoscope, by any door: payloads
// appended or imported, foreign exports (Redux DevTools, KurrentDB), upcaster rules, JSON
// Schemas, branch files, command and event text typed in the window. nlohmann::json parses
// iteratively, but much of what is then done with a value recurses (dump, comparison, diff,
// valijson, the upcaster rules), so a document nested 100,000 deep would overflow the stack
// later and somewhere else. Refusing it at the door, with the byte where the bound was passed,
// keeps every later step within a stack that is known to suffice.

#include <QString>

#include <optional>
#include <string_view>

namespace chronoscope::jsondepth {

/// Objects and arrays nested deeper than this are refused (the JSON Lines reader's bound).
inline constexpr int MaxDepth = 512;

/// The byte offset of the `[` or `{` that opens level MaxDepth + 1, or nullopt when the text
/// stays within the bound. Cheap (no DOM, one pass; strings and escapes are skipped) and safe
/// on any bytes, valid JSON or not.
std::optional<std::size_t> tooDeepAt(std::string_view text, int maxDepth = MaxDepth);

/// Throws InvalidInput "WHAT is nested deeper than 512 levels (at byte N)" when it is.
void check(std::string_view text, const QString& what);

/// The message check() throws, for callers that report errors their own way.
QString message(const QString& what, std::size_t offset);

} // namespace chronoscope::jsondepth
