#pragma once

// core/sample: the sample shop used for teaching and tests: commands and their rules, aggregates,
// reactions (the bus's consumers) and the deterministic store generator.

#include "replay/reducer.h"
#include "store/eventstore.h"

#include <functional>

namespace chronoscope::sample {

/// Options for the deterministic sample-store generator.
struct GeneratorOptions {
    qint64 events = 2000; ///< approximate number of events to write (at least this many)
    quint64 seed = 1;     ///< same seed, same store, byte for byte in content
};

/// Progress: events written so far, target; return false to cancel.
using GeneratorProgress = std::function<bool(qint64 done, qint64 total)>;

/// Fills `store` with a realistic shopping story (carts, orders, payments, inventory) by
/// running the sample domain's command handlers. Deterministic for a given seed: ids,
/// timestamps and choices come from the seed. Returns the number of events written.
/// The simulated clock starts at 2026-01-05T08:00:00Z and the story spans several weeks.
/// Events are appended with appendMany in batches of about 1000 (each request with the exact
/// expected version); writing stops at the first command boundary at or past `events`, so a
/// few more may be written. The progress callback runs after every batch; when it returns
/// false, generation stops and what was written stays. Throws InvalidInput when the store
/// already holds cart-, order-, payment- or inventory- streams. See sample/commands.h for the
/// events, commands and rules.
qint64 generate(EventStore& store, const GeneratorOptions& options, const GeneratorProgress& progress = {});

/// Registers the sample domain's built-in reducers (cart, order, payment, inventory).
void registerReducers(ReducerRegistry& registry);

} // namespace chronoscope::sample
