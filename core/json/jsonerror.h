#pragma once

// nlohmann::json's exceptions in the words a person reads. json::parse throws parse_error for
// malformed text and out_of_range (406) for a number past a double's range ("1e999"): callers
// catch nlohmann::json::exception, the base of both, and show jsonerror::text(e).

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace chronoscope::jsonerror {

/// The message without nlohmann's "[json.exception.parse_error.101] " prefix.
QString text(const nlohmann::json::exception& e);

/// The 1-based byte just past the offending character for a parse_error; nullopt otherwise.
std::optional<std::size_t> byte(const nlohmann::json::exception& e);

} // namespace chronoscope::jsonerror
