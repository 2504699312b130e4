// Event bus benchmarks (see bus.h). Every contender delivers the same events to a handler
// doing the same work; each figure is the best of several runs after a warm-up.
#include "bench/bus.h"

#include "bench/figure.h"
#include "bus/eventbus.h"

#include <QObject>

#include <algorithm>
#include <boost/signals2.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

namespace chronoscope::bench {

/// The Qt contender: one signal, connected directly to one slot.
class BusBenchEmitter : public QObject {
    Q_OBJECT
Q_SIGNALS:
    void happened(const chronoscope::RecordedEvent& event);
};

namespace {

using Clock = std::chrono::steady_clock;

// The handlers' work: read the event so that no contender gets it for free.
qint64 g_sink = 0;
void handle(const RecordedEvent& e)
{
    g_sink += e.version.value;
}

/// Distinct events (distinct ids: the bus would skip a repeated one as a duplicate) cycled
/// through; more of them than the bus's idempotency window holds.
std::vector<RecordedEvent> makeEvents(int count)
{
    std::vector<RecordedEvent> events(static_cast<std::size_t>(count));
    const QString type = QStringLiteral("ItemAdded");
    const QByteArray data = R"({"sku":"A-1","qty":1})";
    for (int i = 0; i < count; ++i) {
        RecordedEvent& e = events[std::size_t(i)];
        e.position = Position(i + 1);
        e.stream = StreamId(QStringLiteral("cart-%1").arg(i % 64));
        e.version = Version(i / 64 + 1);
        e.id = QUuid::createUuid();
        e.type = type;
        e.data = data;
    }
    return events;
}

/// Best ns per event over `runs` runs of `events` calls of `deliver`.
template<typename F>
double nsPerEvent(const std::vector<RecordedEvent>& pool, qint64 events, int runs, F&& deliver)
{
    double best = 1e300;
    const std::size_t n = pool.size();
    std::size_t k = 0; // carried over runs: a run must not start with events just delivered
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        for (qint64 i = 0; i < events; ++i) {
            deliver(pool[k]);
            if (++k == n)
                k = 0;
        }
        const double ns
            = double(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
        best = std::min(best, ns / double(events));
    }
    return best;
}

} // namespace

void runBusBenchmarks(qint64 events)
{
    constexpr int runs = 5;
    const auto pool = makeEvents(16384);

    std::function<void(const RecordedEvent&)> function = handle;
    const double plain = nsPerEvent(pool, events, runs, [&](const RecordedEvent& e) { function(e); });

    BusBenchEmitter emitter;
    QObject::connect(&emitter, &BusBenchEmitter::happened, &emitter, handle, Qt::DirectConnection);
    const double qt
        = nsPerEvent(pool, events, runs, [&](const RecordedEvent& e) { Q_EMIT emitter.happened(e); });

    boost::signals2::signal<void(const RecordedEvent&)> signal;
    signal.connect(handle);
    const double boost = nsPerEvent(pool, events, runs, [&](const RecordedEvent& e) { signal(e); });

    EventBus bus;
    bus.subscribe(QStringLiteral("bench"), BusSelector::type(QStringLiteral("ItemAdded")), handle);
    const double sync = nsPerEvent(pool, events, runs, [&](const RecordedEvent& e) { bus.publish(e); });
    const BusCounters c = bus.totals();
    if (c.delivered != quint64(events) * runs || c.duplicates != 0) {
        std::fprintf(stderr, "bus benchmark: %llu delivered, %llu duplicates: not what was measured\n",
            static_cast<unsigned long long>(c.delivered), static_cast<unsigned long long>(c.duplicates));
        return;
    }

    figure("bus_sync_dispatch_ns", sync, "ns/event");
    figure("std_function_call_ns", plain, "ns/event");
    figure("qt_direct_signal_ns", qt, "ns/event");
    figure("boost_signals2_ns", boost, "ns/event");
    figure("bus_vs_boost_signals2_speedup", boost / sync, "ratio");

    // Queued: publish everything, then wait until the worker has delivered it all.
    EventBus queuedBus;
    queuedBus.subscribe(QStringLiteral("bench"), BusSelector::type(QStringLiteral("ItemAdded")), handle,
        DeliveryMode::Queued);
    double bestRate = 0;
    std::size_t k = 0;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        for (qint64 i = 0; i < events; ++i) {
            queuedBus.publish(pool[k]);
            if (++k == pool.size())
                k = 0;
        }
        if (!queuedBus.waitForIdle(600000)) {
            std::fprintf(stderr, "bus benchmark: the queued run did not finish\n");
            return;
        }
        bestRate = std::max(
            bestRate, double(events) / std::chrono::duration<double>(Clock::now() - start).count());
    }
    if (queuedBus.totals().delivered != quint64(events) * runs) {
        std::fprintf(stderr, "bus benchmark: queued deliveries missing\n");
        return;
    }
    figure("bus_queued_events_per_s", bestRate, "events/s");
    if (g_sink == 42)
        std::printf("\n"); // keeps the handlers' work observable
}

} // namespace chronoscope::bench

#include "bus.moc"
