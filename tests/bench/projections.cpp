#include "bench/projections.h"

#include "bench/benchscripts.h"
#include "bench/figure.h"
#include "bench/workload.h"
#include "projections/jsprojection.h"
#include "projections/projectionengine.h"
#include "store/memoryeventstore.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

namespace chronoscope::bench {

namespace {

// One state per stream (10,000 carts for 1M events).
const char* const kPerStream = R"JS(
fromCategory('cart').foreachStream().when({
    $init: function () { return { events: 0, items: 0 }; },
    ItemAdded: function (s, e) { s.events++; s.items += e.data.quantity; },
    $any: function (s, e) { s.events++; }
});
)JS";

void measure(const std::string& name, const EventStore& store, std::shared_ptr<const Projection> projection)
{
    const qint64 events = store.summary().events;
    ProjectionEngine engine(store, std::move(projection));
    Stopwatch watch;
    watch.start();
    engine.rebuild();
    watch.stop();
    if (engine.fault()) {
        std::fprintf(stderr, "%s faulted: %s\n", name.c_str(), qPrintable(engine.fault()->message()));
        return;
    }
    figure("projection_" + name + "_rebuild_events_per_s", double(events) / watch.wallSeconds(), "events/s");
    figure("projection_" + name + "_rebuild_events_per_s_cpu", double(events) / watch.cpuSeconds(),
        "events/cpu-s");
    figure("projection_" + name + "_snapshots", double(engine.snapshotCount()), "states");
    figure(
        "projection_" + name + "_snapshots_mib", double(engine.snapshotBytes()) / (1024.0 * 1024.0), "MiB");

    // Scrubbing: the read model as of random positions, each from the nearest snapshot.
    std::mt19937_64 random(7);
    std::uniform_int_distribution<qint64> pick(0, engine.checkpoint().value);
    std::vector<double> ms;
    for (int i = 0; i < 50; ++i) {
        const auto start = std::chrono::steady_clock::now();
        engine.stateAsOf(Position(pick(random)));
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    figure("projection_" + name + "_state_at_p50_ms", ms[ms.size() / 2], "ms");
    figure("projection_" + name + "_state_at_p99_ms", ms[ms.size() * 99 / 100], "ms");
}

} // namespace

void runProjectionBenchmarks(qint64 events)
{
    MemoryEventStore store;
    const Workload workload(events);
    for (qint64 first = 0; first < events; first += 10000)
        store.importRecorded(workload.recorded(first, std::min<qint64>(10000, events - first)));
    measure("cpp_events_by_type", store, builtinProjection(QStringLiteral("events-by-type")));
    measure("cpp_events_per_hour", store, builtinProjection(QStringLiteral("events-per-hour")));
    measure("cpp_stream_lengths", store, builtinProjection(QStringLiteral("stream-lengths")));
    // Only what it costs to hand events to the script: no handler matches.
    measure("js_no_handler", store,
        JsProjection::fromSource(QStringLiteral("fromAll().when({ NoSuchType: function (s, e) {} });"),
            QStringLiteral("none.js")));
    measure("js_from_all", store,
        JsProjection::fromSource(QString::fromUtf8(kFromAllScript), QStringLiteral("from-all.js")));
    measure("js_foreach_stream", store,
        JsProjection::fromSource(QString::fromUtf8(kPerStream), QStringLiteral("per-stream.js")));
}

} // namespace chronoscope::bench
