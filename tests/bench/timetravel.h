#pragma once

#include <QtGlobal>

namespace chronoscope::bench {

/// Time-travel figures, one JSON line each, on one cart stream of `events` events stored in a
/// SqlEventStore in a temporary folder: full replay (TimeTravel::prepare, events/s, wall and
/// CPU), the snapshots it keeps (count, interval, bytes as the engine counts them, malloc heap
/// growth), and 2,000 jumps to random versions (p50/p99/max ms), with the built-in C++ cart
/// reducer and with a cart-like JavaScript reducer.
void runTimeTravelBenchmarks(qint64 events);

} // namespace chronoscope::bench
