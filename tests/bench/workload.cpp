#include "bench/workload.h"

#include <QFile>
#include <QUuid>

#include <algorithm>
#include <ctime>

namespace chronoscope::bench {

namespace {

constexpr qint64 kRun = 10;                   // events per stream per request
constexpr qint64 kEventsPerStream = 100;      // average stream length
constexpr qint64 kBaseTimeMs = 1767225600000; // 2026-01-01T00:00:00Z

quint64 mix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

const char* const kTypes[]
    = {"CartCreated", "ItemAdded", "ItemAdded", "ItemRemoved", "CartCheckedOut", "ItemAdded"};

} // namespace

Workload::Workload(qint64 events, quint64 seed)
    : m_events(events)
    , m_streams(std::max<qint64>(1, events / kEventsPerStream))
    , m_seed(seed)
{
}

// Event i belongs to run i / 10; runs go round the streams, so stream s receives runs
// s, s + streams, s + 2 * streams...
StreamId Workload::stream(qint64 index) const
{
    return StreamId(QStringLiteral("cart-%1").arg((index / kRun) % m_streams));
}

qint64 Workload::version(qint64 index) const
{
    const qint64 run = index / kRun;
    return (run / m_streams) * kRun + index % kRun + 1;
}

EventData Workload::event(qint64 index) const
{
    const quint64 r = mix(m_seed ^ quint64(index));
    const quint64 r2 = mix(r);
    EventData e;
    e.type = QString::fromLatin1(kTypes[index % 6]);
    e.data = "{\"sku\":\"SKU-" + QByteArray::number(r % 100000) + "\",\"quantity\":"
        + QByteArray::number(1 + r % 5) + ",\"unitPrice\":" + QByteArray::number(100 + (r >> 8) % 10000)
        + ",\"currency\":\"EUR\",\"customerId\":\"customer-" + QByteArray::number((r >> 20) % 50000) + "\"}";
    e.metadata = "{\"correlationId\":\"corr-" + QByteArray::number(index / kRun) + "\",\"user\":\"bench\"}";
    e.id = QUuid(uint(r), ushort(r >> 32), ushort((r >> 48 & 0x0fff) | 0x4000), uchar(0x80 | (r2 & 0x3f)),
        uchar(r2 >> 8), uchar(r2 >> 16), uchar(r2 >> 24), uchar(r2 >> 32), uchar(r2 >> 40), uchar(r2 >> 48),
        uchar(r2 >> 56));
    e.timestampMs = kBaseTimeMs + index * 10;
    return e;
}

std::vector<AppendRequest> Workload::requests(qint64 first, qint64 count) const
{
    std::vector<AppendRequest> out;
    for (qint64 i = first; i < first + count; ++i) {
        if (out.empty() || i % kRun == 0)
            out.push_back(AppendRequest {stream(i), ExpectedVersion::any(), {}});
        out.back().events.push_back(event(i));
    }
    return out;
}

std::vector<RecordedEvent> Workload::recorded(qint64 first, qint64 count) const
{
    std::vector<RecordedEvent> out;
    out.reserve(std::size_t(count));
    for (qint64 i = first; i < first + count; ++i) {
        const auto data = event(i);
        RecordedEvent e;
        e.position = Position(i + 1);
        e.stream = stream(i);
        e.version = Version(version(i));
        e.id = data.id;
        e.type = data.type;
        e.schemaVersion = data.schemaVersion;
        e.timestampMs = *data.timestampMs;
        e.data = data.data;
        e.metadata = data.metadata;
        out.push_back(std::move(e));
    }
    return out;
}

namespace {
double now(clockid_t clock)
{
    timespec t {};
    clock_gettime(clock, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}
} // namespace

void Stopwatch::start()
{
    m_wallStart = now(CLOCK_MONOTONIC);
    m_cpuStart = now(CLOCK_THREAD_CPUTIME_ID);
}

void Stopwatch::stop()
{
    m_wall += now(CLOCK_MONOTONIC) - m_wallStart;
    m_cpu += now(CLOCK_THREAD_CPUTIME_ID) - m_cpuStart;
}

double residentMiB(const char* field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray name = QByteArray(field) + ':';
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(name))
            return line.mid(name.size()).trimmed().split(' ').front().toDouble() / 1024.0;
    }
    return -1;
}

} // namespace chronoscope::bench
