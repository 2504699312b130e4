#pragma once

// Internal to core (schemaregistry.cpp): bounded `pattern` and `format` checks for valijson.
//
// valijson 1.0 matches `pattern` with std::regex's default executor, which recurses once per
// character (a 30,000-character string against "^.*$" overflows the stack) and backtracks
// exponentially ("^(a+)+$" against 33 characters runs for minutes); its date and time formats
// use the same executor. The specialisations declared here replace those two checks for the
// adapters Chronoscope validates with: patterns run on libstdc++'s polynomial (Thompson NFA)
// executor, anchored so that one pass over the text decides (linear time, stack bounded by the
// pattern's size, not the text's); formats are checked by hand; patternProperties match
// property names the same way. Patterns with back-references,
// which no linear matcher supports, are refused with an error naming the pattern.
//
// Include this header before anything that instantiates valijson::ValidationVisitor.

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/adapters/std_string_adapter.hpp>
#include <valijson/validation_visitor.hpp>

#include <string>

namespace chronoscope::schemamatch {

/// ECMAScript `RegExp(pattern).test(text)` in time linear in text's length. Throws
/// std::runtime_error naming the pattern when it does not compile or uses a back-reference.
bool search(const std::string& pattern, const std::string& text);

/// JSON Schema formats as valijson 1.0 defines them (RFC 3339 full-date, full-time, date-time).
bool isDate(const std::string& text);
bool isTime(const std::string& text);
bool isDateTime(const std::string& text);

} // namespace chronoscope::schemamatch

namespace valijson {
template<>
bool ValidationVisitor<adapters::NlohmannJsonAdapter>::visit(
    const constraints::PatternConstraint& constraint);
template<>
bool ValidationVisitor<adapters::NlohmannJsonAdapter>::visit(const constraints::FormatConstraint& constraint);
template<>
bool ValidationVisitor<adapters::StdStringAdapter>::visit(const constraints::PatternConstraint& constraint);
/// patternProperties: the property names are matched the same bounded way.
template<>
template<>
bool ValidationVisitor<adapters::NlohmannJsonAdapter>::ValidatePatternPropertySubschemas::operator()(
    const std::basic_string<char, std::char_traits<char>, internal::CustomAllocator<char>>& patternProperty,
    const Subschema* subschema) const;
template<>
bool ValidationVisitor<adapters::StdStringAdapter>::visit(const constraints::FormatConstraint& constraint);
} // namespace valijson
