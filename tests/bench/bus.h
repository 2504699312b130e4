#pragma once

#include <QtGlobal>

namespace chronoscope::bench {

/// Event bus figures, one JSON line each: synchronous dispatch to one subscriber in ns per
/// event next to a plain std::function call, a Qt direct signal/slot call and Boost.Signals2,
/// and queued throughput in events/s. `events`: deliveries per measured run.
void runBusBenchmarks(qint64 events);

} // namespace chronoscope::bench
