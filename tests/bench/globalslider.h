#pragma once

#include <QtGlobal>

namespace chronoscope::bench {

/// The window's global position slider, measured through the same ProjectionSet the
/// Projections and Charts docks use: every built-in projection (and then one JavaScript
/// projection more) caught up over a SQLite store of `events` synthetic events, then the time
/// from moving the slider to a random position until every projection's read model as of that
/// position has arrived (p50/p99/max ms).
void runGlobalSliderBenchmark(qint64 events);

} // namespace chronoscope::bench
