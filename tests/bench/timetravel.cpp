#include "bench/timetravel.h"

#include "bench/figure.h"
#include "bench/workload.h"
#include "replay/jsreducer.h"
#include "replay/reducer.h"
#include "store/sqlite/sqleventstore.h"
#include "timetravel/timetravel.h"

#include <QFile>
#include <QTemporaryDir>
#include <QUuid>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <malloc.h>
#include <random>

namespace chronoscope::bench {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kJumps = 2000;
constexpr qint64 kSkus = 20;                  // the cart holds at most this many lines
constexpr qint64 kBaseTimeMs = 1767225600000; // 2026-01-01T00:00:00Z

const StreamId kStream(QStringLiteral("cart-1"));

/// Bytes the C++ heap (malloc) holds now. Unlike VmRSS it leaves out the store's memory-mapped
/// file pages and the JavaScript engine's own heap.
double heapMiB()
{
    return double(mallinfo2().uordblks) / (1024.0 * 1024.0);
}

// The same cart as the built-in C++ reducer, in JavaScript: items by SKU, count and total.
const char* const kCartJs = R"JS(
function initialState(id) {
    return { cartId: id, customerId: null, status: 'new', items: {}, itemCount: 0, total: 0 };
}
function evolve(s, e) {
    var d = e.data;
    if (e.type === 'CartOpened') {
        s.status = 'open';
        s.customerId = d.customerId;
    } else if (e.type === 'ItemAdded') {
        var item = s.items[d.sku] || (s.items[d.sku] = { name: d.name, quantity: 0, unitPrice: d.unitPrice });
        item.quantity += d.quantity;
        item.unitPrice = d.unitPrice;
    } else if (e.type === 'ItemRemoved') {
        var it = s.items[d.sku];
        if (it) {
            it.quantity -= d.quantity;
            if (it.quantity <= 0)
                delete s.items[d.sku];
        }
    }
    var count = 0, total = 0;
    for (var k in s.items) {
        count += s.items[k].quantity;
        total += s.items[k].quantity * s.items[k].unitPrice;
    }
    s.itemCount = count;
    s.total = total;
    return s;
}
)JS";

/// Version v (1-based) of the one long cart: opened, then items added and removed in waves so
/// the state stays a cart of up to kSkus lines.
RecordedEvent cartEvent(qint64 v)
{
    RecordedEvent e;
    e.position = Position(v);
    e.stream = kStream;
    e.version = Version(v);
    e.id = QUuid::createUuid();
    e.timestampMs = kBaseTimeMs + v * 1000;
    e.metadata = "{\"correlationId\":\"bench\"}";
    const qint64 sku = v % kSkus;
    const QByteArray skuText = "SKU-" + QByteArray::number(sku);
    if (v == 1) {
        e.type = QStringLiteral("CartOpened");
        e.data = "{\"cartId\":\"cart-1\",\"customerId\":\"customer-1\"}";
    } else if ((v / (3 * kSkus)) % 3 != 2) { // two waves of adding, one of removing
        e.type = QStringLiteral("ItemAdded");
        e.data = "{\"cartId\":\"cart-1\",\"sku\":\"" + skuText + "\",\"name\":\"Product "
            + QByteArray::number(sku) + "\",\"quantity\":" + QByteArray::number(1 + v % 3)
            + ",\"unitPrice\":" + QByteArray::number(100 + sku * 25) + "}";
    } else {
        e.type = QStringLiteral("ItemRemoved");
        e.data = "{\"cartId\":\"cart-1\",\"sku\":\"" + skuText
            + "\",\"quantity\":" + QByteArray::number(2 + v % 3) + "}";
    }
    return e;
}

void buildStore(SqlEventStore& store, qint64 events)
{
    Stopwatch watch;
    for (qint64 first = 1; first <= events; first += 10000) {
        std::vector<RecordedEvent> batch;
        for (qint64 v = first; v <= std::min(events, first + 9999); ++v)
            batch.push_back(cartEvent(v));
        watch.start();
        store.importRecorded(batch);
        watch.stop();
    }
    figure("timetravel_store_build_events_per_s", double(events) / watch.wallSeconds(), "events/s");
}

/// Reading the whole stream without reducing: the part of a replay that is the store's.
void readOnly(const SqlEventStore& store, qint64 events)
{
    Stopwatch watch;
    watch.start();
    qint64 read = 0;
    std::optional<Version> from;
    for (;;) {
        const auto page = store.readStream(kStream, from, 1024);
        read += qint64(page.size());
        if (qint64(page.size()) < 1024)
            break;
        from = Version(page.back().version.value + 1);
    }
    watch.stop();
    if (read != events)
        throw StoreError(QStringLiteral("read %1 events of %2").arg(read).arg(events));
    figure("timetravel_read_stream_events_per_s", double(events) / watch.wallSeconds(), "events/s");
}

void measure(const std::string& name, const SqlEventStore& store, std::shared_ptr<const Reducer> reducer,
    qint64 events)
{
    const std::string prefix = "timetravel_" + name + "_";
    const double heapBefore = heapMiB();
    TimeTravel travel(store, std::move(reducer), kStream);

    // Full replay: what opening the stream costs the first time, snapshots taken on the way.
    Stopwatch replay;
    replay.start();
    travel.prepare();
    replay.stop();
    figure(prefix + "full_replay_events_per_s", double(events) / replay.wallSeconds(), "events/s");
    figure(prefix + "full_replay_events_per_s_cpu", double(events) / replay.cpuSeconds(), "events/cpu-s");
    figure(prefix + "snapshot_interval", double(travel.snapshotInterval()), "versions");
    figure(prefix + "snapshots", double(travel.snapshotCount()), "snapshots");
    figure(prefix + "snapshot_bytes_mib", double(travel.snapshotBytes()) / (1024.0 * 1024.0), "MiB");
    figure(prefix + "heap_growth_after_replay_mib", heapMiB() - heapBefore, "MiB");
    figure(prefix + "state_bytes", double(travel.stateAt(travel.lastVersion()).dump().size()), "bytes");

    // Jumps to random versions, as a user dragging the slider or typing a version.
    std::mt19937_64 random(11);
    std::uniform_int_distribution<qint64> pick(0, travel.lastVersion().value);
    std::vector<double> ms;
    ms.reserve(kJumps);
    Stopwatch jumps;
    for (int i = 0; i < kJumps; ++i) {
        const Version v(pick(random));
        const auto start = Clock::now();
        jumps.start();
        const auto state = travel.stateAt(v);
        jumps.stop();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        if (!state.is_object())
            throw StoreError(QStringLiteral("state at %1 is not an object").arg(v.value));
    }
    std::sort(ms.begin(), ms.end());
    figure(prefix + "jump_p50_ms", ms[ms.size() / 2], "ms");
    figure(prefix + "jump_p99_ms", ms[ms.size() * 99 / 100], "ms");
    figure(prefix + "jump_max_ms", ms.back(), "ms");
    figure(prefix + "jump_mean_cpu_ms", jumps.cpuSeconds() * 1000.0 / kJumps, "cpu-ms");
    figure(prefix + "heap_growth_after_jumps_mib", heapMiB() - heapBefore, "MiB");
    figure(prefix + "rss_after_jumps_mib", residentMiB(), "MiB");
}

} // namespace

void runTimeTravelBenchmarks(qint64 events)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        throw StoreError(QStringLiteral("cannot create a temporary folder"));
    const auto path = dir.filePath(QStringLiteral("timetravel.chronoscope"));
    SqlEventStore store(path, {.create = true});
    buildStore(store, events);
    figure("timetravel_stream_events", double(events), "events");
    figure("timetravel_store_file_mib", double(QFile(path).size()) / (1024.0 * 1024.0), "MiB");
    readOnly(store, events);

    const auto cpp = ReducerRegistry::withBuiltins().reducerFor(kStream);
    measure("cpp", store, cpp, events);
    // The two reducers agree, so the JavaScript figures are for the same work.
    auto js = JsReducer::fromSource(QString::fromUtf8(kCartJs), QStringLiteral("cart-bench.js"));
    {
        TimeTravel a(store, cpp, kStream), b(store, js, kStream);
        for (const qint64 v :
            {qint64(0), qint64(1), std::min<qint64>(events, 777), std::min<qint64>(events, 20000)}) {
            auto x = a.stateAt(Version(v)), y = b.stateAt(Version(v));
            x.erase("abandonReason");
            if (x != y)
                throw StoreError(
                    QStringLiteral("C++ and JS cart reducers differ at version %1:\n%2\n%3")
                        .arg(v)
                        .arg(QString::fromStdString(x.dump()), QString::fromStdString(y.dump())));
        }
    }
    measure("js", store, js, events);
}

} // namespace chronoscope::bench
