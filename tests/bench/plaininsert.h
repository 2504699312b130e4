#pragma once

#include "bench/workload.h"

namespace chronoscope::bench {

/// The baseline: inserts the workload's rows into a fresh SQLite file holding the same
/// `events` table and indexes as the store, with the plain sqlite3 C API (one transaction
/// per batch, values converted to UTF-8 before the clock starts). Returns the time spent.
Stopwatch plainInsert(const QString& path, const Workload& workload, qint64 batchSize);

} // namespace chronoscope::bench
