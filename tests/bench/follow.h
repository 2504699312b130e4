#pragma once

#include <QString>

namespace chronoscope::bench {

/// Following another writer: the time from another process's commit (the event's own timestamp,
/// taken by the store just before it commits) to StoreFollower telling changedElsewhere, and to
/// `chronoscope-cli events --follow` printing the event; p50/p95/max ms over 30 appends made by
/// `chronoscope-cli append`, each after a random 0..300 ms pause (out of step with the polls). On `store`
/// (appended to: give a copy) or, when empty, a new store.
void runFollowBenchmark(const QString& store);

} // namespace chronoscope::bench
