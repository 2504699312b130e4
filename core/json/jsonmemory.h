#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>

namespace chronoscope {

/// Estimated heap and inline bytes held by a parsed JSON value: the value itself, the
/// containers it owns (std::map nodes of objects, vector capacity of arrays) and the characters
/// of strings and keys longer than the small-string buffer. Used to budget cached states by what
/// they cost in memory rather than by the length of their text, which is several times smaller.
std::size_t jsonMemoryBytes(const nlohmann::json& value);

} // namespace chronoscope
