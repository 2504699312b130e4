#pragma once

#include "replay/reducer.h"
#include "store/eventstore.h"

namespace chronoscope {

/// State of a stream after replaying every event with version <= `upTo` (nullopt: all).
/// Throws InvalidInput when upTo is negative or beyond the stream's last version, or the stream
/// does not exist; a reducer failure throws ReducerError naming stream, version and type.
nlohmann::json stateAtVersion(const EventStore& store, const Reducer& reducer, const StreamId& stream,
    std::optional<Version> upTo = std::nullopt);

/// State of a stream at the version of its last event with timestamp <= atMs (every event up
/// to it; the initial state when none is that old). Throws InvalidInput for an unknown stream.
nlohmann::json stateAtTime(
    const EventStore& store, const Reducer& reducer, const StreamId& stream, qint64 atMs);

} // namespace chronoscope
