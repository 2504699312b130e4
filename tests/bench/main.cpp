// chronoscope-bench: prints one JSON line per figure, {"name":..., "value":..., "unit":...}.
//   --events N    size of the workload (default 1000000)
//   --only NAME   one group: append, import, jsonl, open, bus, projections, timetravel, slider, follow,
//   table, streams, summary (open = open + first rows, point reads, memory; summary only when asked,
//   on --store: an Emmett or Marten store)
//   --store PATH  follow, table, streams and summary: run on this store (follow appends to it: give a copy)
#include "bench/bus.h"
#include "bench/figure.h"
#include "bench/follow.h"
#include "bench/streamsummary.h"
#ifdef CHRONOSCOPE_BENCH_SLIDER
#include "bench/eventtable.h"
#include "bench/globalslider.h"
#include "bench/streamlist.h"
#endif
#include "bench/plaininsert.h"
#include "bench/projections.h"
#include "bench/timetravel.h"
#include "bench/workload.h"
#include "formats/jsonlines.h"
#include "store/sqlite/sqleventstore.h"
#include "store/storefactory.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

using namespace chronoscope;
using namespace chronoscope::bench;
using Clock = std::chrono::steady_clock;

namespace {

constexpr qint64 kBatch = 1000;

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

/// Prints events/s by wall-clock time and by CPU time of the writing thread.
void rates(const char* name, qint64 events, const Stopwatch& watch)
{
    figure(name, double(events) / watch.wallSeconds(), "events/s");
    figure(QByteArray(QByteArray(name) + "_cpu").constData(), double(events) / watch.cpuSeconds(),
        "events/cpu-s");
}

/// Appends the workload in batches of kBatch through appendMany().
Stopwatch appendAll(const QString& path, const Workload& workload)
{
    SqlEventStore store(path, {.create = true});
    Stopwatch watch;
    for (qint64 first = 0; first < workload.events(); first += kBatch) {
        const auto requests = workload.requests(first, std::min(kBatch, workload.events() - first));
        watch.start();
        store.appendMany(requests);
        watch.stop();
    }
    return watch;
}

/// Writes already-recorded events in batches of kBatch through importRecorded().
Stopwatch importAll(const QString& path, const Workload& workload)
{
    SqlEventStore store(path, {.create = true});
    Stopwatch watch;
    for (qint64 first = 0; first < workload.events(); first += kBatch) {
        const auto events = workload.recorded(first, std::min(kBatch, workload.events() - first));
        watch.start();
        store.importRecorded(events);
        watch.stop();
    }
    return watch;
}

void jsonLinesImport(const QString& dir, const Workload& workload)
{
    const QString file = dir + QStringLiteral("/events.jsonl");
    {
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly))
            throw StoreError(QStringLiteral("cannot write '%1'").arg(file));
        for (qint64 first = 0; first < workload.events(); first += 10000) {
            QByteArray chunk;
            for (const auto& e :
                workload.recorded(first, std::min<qint64>(10000, workload.events() - first))) {
                chunk += jsonlines::toLine(e);
                chunk += '\n';
            }
            out.write(chunk);
        }
    }
    SqlEventStore store(dir + QStringLiteral("/from-jsonl.chronoscope"), {.create = true});
    Stopwatch watch;
    watch.start();
    const qint64 n = jsonlines::importFile(file, store);
    watch.stop();
    QFile::remove(file);
    rates("jsonl_import_events_per_s", n, watch);
}

/// Runs in a fresh process so that time and memory belong to opening alone.
int openChild(const QString& path)
{
    const double rssBefore = residentMiB();
    const auto start = Clock::now();
    auto store = openStore(path);
    const auto first = store->readAll(std::nullopt, 100);
    const double ms = seconds(Clock::now() - start) * 1000.0;
    if (first.size() != 100)
        return 2;
    figure("open_store_read_100_ms", ms, "ms");
    figure("rss_before_open_mib", rssBefore, "MiB");
    figure("rss_after_open_mib", residentMiB(), "MiB");

    // Two rounds of random reads: the first also pays for the first touch of each page of
    // the file (page faults), the second shows the steady state of a store in use.
    const qint64 last = store->summary().lastPosition.value;
    std::mt19937_64 random(42);
    std::uniform_int_distribution<qint64> pick(1, last);
    for (const char* round : {"point_read_first_round", "point_read"}) {
        std::vector<double> micros(200000);
        for (auto& us : micros) {
            const Position p(pick(random));
            const auto t = Clock::now();
            const auto e = store->readAt(p);
            us = seconds(Clock::now() - t) * 1e6;
            if (!e || e->position != p)
                return 3;
        }
        std::sort(micros.begin(), micros.end());
        figure(QByteArray(QByteArray(round) + "_p50_us").constData(), micros[micros.size() / 2], "us");
        figure(QByteArray(QByteArray(round) + "_p99_us").constData(), micros[micros.size() * 99 / 100], "us");
    }
    figure("rss_after_point_reads_mib", residentMiB(), "MiB");
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    qint64 events = 1000000;
    QString only;
    QString givenStore;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--events") && i + 1 < args.size())
            events = args[++i].toLongLong();
        else if (args[i] == QLatin1String("--only") && i + 1 < args.size())
            only = args[++i];
        else if (args[i] == QLatin1String("--store") && i + 1 < args.size())
            givenStore = args[++i];
        else if (args[i] == QLatin1String("--open-child") && i + 1 < args.size())
            return openChild(args[++i]);
        else {
            std::fprintf(stderr,
                "usage: chronoscope-bench [--events N] [--only "
                "append|import|jsonl|open|bus|projections|timetravel|slider|follow|table|streams|summary] "
                "[--store "
                "PATH]\n");
            return 1;
        }
    }
    if (events < 100) {
        std::fprintf(stderr, "--events must be at least 100\n");
        return 1;
    }
    const auto selected = [&](const char* name) { return only.isEmpty() || only == QLatin1String(name); };
    try {
        QTemporaryDir dir;
        const Workload workload(events);
        figure("events", double(events), "events");
        const QString storePath = dir.filePath(QStringLiteral("store.chronoscope"));
        if (selected("append") || selected("open")
            || ((only == QLatin1String("table") || only == QLatin1String("streams"))
                && givenStore.isEmpty())) {
            const Stopwatch store = appendAll(storePath, workload);
            if (selected("append")) {
                rates("append_batched_events_per_s", events, store);
                const Stopwatch plain
                    = plainInsert(dir.filePath(QStringLiteral("plain.db")), workload, kBatch);
                rates("sqlite3_plain_insert_events_per_s", events, plain);
                figure("append_vs_plain_ratio", plain.wallSeconds() / store.wallSeconds(), "ratio");
                figure("append_vs_plain_ratio_cpu", plain.cpuSeconds() / store.cpuSeconds(), "ratio");
                QFile::remove(dir.filePath(QStringLiteral("plain.db")));
            }
            figure("store_file_mib", double(QFile(storePath).size()) / (1024.0 * 1024.0), "MiB");
        }
        if (selected("import")) {
            const auto path = dir.filePath(QStringLiteral("import.chronoscope"));
            rates("import_recorded_batched_events_per_s", events, importAll(path, workload));
            QFile::remove(path);
        }
        if (selected("bus"))
            runBusBenchmarks(events);
        if (selected("projections"))
            runProjectionBenchmarks(events);
        if (selected("timetravel"))
            runTimeTravelBenchmarks(events);
        if (selected("follow"))
            runFollowBenchmark(givenStore);
        if (only == QLatin1String("summary")) // needs a foreign store: only when asked for
            runStreamSummaryBenchmark(givenStore);
#ifdef CHRONOSCOPE_BENCH_SLIDER
        if (selected("table"))
            runEventTableBenchmark(givenStore.isEmpty() ? storePath : givenStore);
        if (selected("streams"))
            runStreamListBenchmark(givenStore.isEmpty() ? storePath : givenStore);
#endif
#ifdef CHRONOSCOPE_BENCH_SLIDER
        if (selected("slider"))
            runGlobalSliderBenchmark(events);
#else
        if (only == QLatin1String("slider"))
            std::fprintf(stderr, "the slider benchmark needs the ui library (CHRONOSCOPE_BUILD_UI=ON)\n");
#endif
        if (selected("jsonl"))
            jsonLinesImport(dir.path(), workload);
        if (selected("open")) {
            QProcess child;
            child.setProcessChannelMode(QProcess::ForwardedChannels);
            child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--open-child"), storePath});
            child.waitForFinished(-1);
            if (child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0) {
                std::fprintf(stderr, "the open benchmark failed (exit code %d)\n", child.exitCode());
                return 1;
            }
        }
    } catch (const StoreError& error) {
        std::fprintf(stderr, "%s\n", qPrintable(error.message()));
        return 1;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 1;
    }
    return 0;
}
