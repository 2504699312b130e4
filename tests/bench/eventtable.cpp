#include "bench/eventtable.h"

#include "bench/figure.h"
#include "store/storefactory.h"
#include "streams/eventtablemodel.h"

#include <QFile>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

namespace chronoscope::bench {

namespace {

using Clock = std::chrono::steady_clock;

/// Rss, Pss, Private_Dirty and Anonymous of this process, in MiB.
void memory(const std::string& prefix)
{
    QFile rollup(QStringLiteral("/proc/self/smaps_rollup"));
    if (!rollup.open(QIODevice::ReadOnly))
        return;
    for (const auto& line : rollup.readAll().split('\n')) {
        for (const char* key : {"Rss", "Pss", "Private_Dirty", "Anonymous"}) {
            if (line.startsWith(QByteArray(QByteArray(key) + ':')))
                figure(prefix + "_" + key + "_mib",
                    line.mid(int(qstrlen(key)) + 1).trimmed().split(' ').front().toDouble() / 1024.0, "MiB");
        }
    }
}

} // namespace

void runEventTableBenchmark(const QString& path)
{
    auto store = openStore(path, {.readOnly = true});
    EventTableModel model;
    model.setStore(store.get());

    auto start = Clock::now();
    model.showAll();
    figure("table_show_all_ms", msSince(start), "ms");
    figure("table_rows", model.rowCount(), "rows");
    figure("table_windowed", model.isWindowed() ? 1 : 0, "bool");

    start = Clock::now();
    for (int row = 0; row < std::min(40, model.rowCount()); ++row)
        model.index(row, EventTableModel::DataColumn).data();
    figure("table_first_40_rows_ms", msSince(start), "ms");

    start = Clock::now();
    const auto last = model.eventAt(model.rowCount() - 1);
    for (int row = std::max(0, model.rowCount() - 40); row < model.rowCount(); ++row)
        model.index(row, EventTableModel::DataColumn).data();
    figure("table_end_last_40_rows_ms", msSince(start), "ms");
    figure("table_end_position", double(last.position.value), "position");

    std::mt19937_64 random(7);
    std::uniform_int_distribution<int> pick(0, std::max(0, model.rowCount() - 1));
    std::vector<double> jumps;
    for (int i = 0; i < 200; ++i) {
        const int row = pick(random);
        start = Clock::now();
        for (int r = row; r < std::min(row + 40, model.rowCount()); ++r)
            model.index(r, EventTableModel::DataColumn).data();
        jumps.push_back(msSince(start));
    }
    std::sort(jumps.begin(), jumps.end());
    figure("table_random_40_rows_p50_ms", jumps[jumps.size() / 2], "ms");
    figure("table_random_40_rows_p99_ms", jumps[jumps.size() * 99 / 100], "ms");
    figure("table_rows_in_memory", double(model.loadedRowCount()), "rows");

    // The largest stream (found outside the timing: the list of every stream is read once).
    StreamInfo largest;
    for (const auto& s : store->streams())
        if (s.events > largest.events)
            largest = s;
    start = Clock::now();
    model.showStream(largest.stream);
    const auto lastVersion = model.eventAt(model.rowCount() - 1);
    figure("table_largest_stream_show_and_end_ms", msSince(start), "ms");
    figure("table_largest_stream_events", double(largest.events), "events");
    figure("table_largest_stream_end_version", double(lastVersion.version.value), "version");
    memory("table_process");
}

} // namespace chronoscope::bench
