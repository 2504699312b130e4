#pragma once

#include <QString>

namespace chronoscope::bench {

/// The window's event table over a store of any size, through the same EventTableModel: the
/// all-stream shown (rows counted), the first rows, End (the last row), random rows anywhere
/// (p50/p99), the largest stream shown and its last version; then the process's memory
/// (smaps_rollup: Rss, Pss, Private_Dirty, Anonymous).
void runEventTableBenchmark(const QString& store);

} // namespace chronoscope::bench
