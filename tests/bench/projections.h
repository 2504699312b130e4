#pragma once

#include <QtGlobal>

namespace chronoscope::bench {

/// Projection figures, one JSON line each: rebuild speed over an in-memory store of `events`
/// synthetic events for C++ built-ins and JavaScript projections (events/s, wall and CPU), and
/// the cost of the read model as of a random position after a rebuild (p50/p99 ms).
void runProjectionBenchmarks(qint64 events);

} // namespace chronoscope::bench
