#pragma once

// Fast paths for the canonical UTC timestamps of JSON Lines files; anything else goes through
// parseTimestamp / formatTimestamp (recordedevent.h).

#include <cstdint>
#include <optional>
#include <string_view>

namespace chronoscope::isotimestamp {

/// Parses exactly "YYYY-MM-DDTHH:MM:SS.mmmZ" or "YYYY-MM-DDTHH:MM:SSZ" to milliseconds since
/// the Unix epoch; nullopt for anything else (use the general parser then).
std::optional<std::int64_t> parseCanonicalTimestamp(std::string_view text);
/// Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" (24 bytes, no terminator); false outside years 0..9999.
bool formatCanonicalTimestamp(std::int64_t ms, char* out);

} // namespace chronoscope::isotimestamp
