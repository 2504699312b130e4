#pragma once

#include <QString>

namespace chronoscope::bench {

/// A foreign store's stream summary (SummarizedEventStore) on `store` (an Emmett or Marten store):
/// the store's own listing of its streams (one counting query, what every page of the stream list
/// cost before), then the summary built from nothing, then read back from its cache; ms each.
void runStreamSummaryBenchmark(const QString& store);

} // namespace chronoscope::bench
