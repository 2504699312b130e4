#pragma once

#include "eventstore.h"
#include "reducer.h"

namespace chronoscope {

/// State of a stream after replaying every event with version <= `upTo` (nullopt: all).
/// Throws InvalidInput when upTo is negative or beyond the stream's last version.
nlohmann::json stateAtVersion(const EventStore& store, const Reducer& reducer, const StreamId& stream,
                              std::optional<Version> upTo = std::nullopt);

/// State of a stream after replaying every event with timestamp <= atMs.
nlohmann::json stateAtTime(const EventStore& store, const Reducer& reducer, const StreamId& stream,
                           qint64 atMs);

} // namespace chronoscope
