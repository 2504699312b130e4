#pragma once

#include "store/eventstore.h"

#include <QByteArray>

#include <vector>

namespace chronoscope::bench {

/// A deterministic synthetic workload shaped like the sample domain: carts of ten events,
/// six event types, ~110-byte JSON payloads and a correlation id in the metadata.
class Workload {
public:
    Workload(qint64 events, quint64 seed = 1);

    qint64 events() const { return m_events; }
    qint64 streams() const { return m_streams; }

    /// Events [first, first + count) as one appendMany() call: one request per run of ten
    /// events of a stream, with ExpectedVersion::any(). Ids and timestamps are given.
    std::vector<AppendRequest> requests(qint64 first, qint64 count) const;

    /// The same events as they are stored (positions first + 1..., versions per stream).
    std::vector<RecordedEvent> recorded(qint64 first, qint64 count) const;

private:
    EventData event(qint64 index) const;
    StreamId stream(qint64 index) const;
    qint64 version(qint64 index) const;

    qint64 m_events;
    qint64 m_streams;
    quint64 m_seed;
};

/// Wall-clock and CPU time of the calling thread, summed over the measured sections. On a
/// busy machine the CPU figure shows what the code costs, the wall figure what a user waits.
class Stopwatch {
public:
    void start();
    void stop();
    double wallSeconds() const { return m_wall; }
    double cpuSeconds() const { return m_cpu; }

private:
    double m_wall = 0, m_cpu = 0, m_wallStart = 0, m_cpuStart = 0;
};

/// A resident-memory field of /proc/self/status, in MiB: VmRSS (all), RssAnon (heap, stacks)
/// or RssFile (mapped files, such as SQLite's memory-mapped database: counted once per
/// mapping although the pages are the page cache's, shared).
double residentMiB(const char* field = "VmRSS");

} // namespace chronoscope::bench
