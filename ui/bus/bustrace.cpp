#include "bus/bustrace.h"

#include <QDateTime>

#include <algorithm>

namespace chronoscope {

namespace {
/// Forgetting failed-attempt counts past this many (handler, event) pairs bounds the memory a
/// handler that never recovers can take; the price is an attempt number shown as 1.
constexpr qsizetype MaxTrackedFailures = 100000;
} // namespace

QUuid correlationIdOf(const RecordedEvent& event)
{
    if (event.metadata.isEmpty())
        return {};
    try {
        const auto meta = event.metadataJson();
        const auto it = meta.find("correlationId");
        if (it == meta.end() || !it->is_string())
            return {};
        return QUuid::fromString(QString::fromStdString(it->get<std::string>()));
    } catch (const std::exception&) {
        return {};
    }
}

BusTraceRecorder::BusTraceRecorder(EventBus& bus, QObject* parent)
    : QObject(parent)
    , m_bus(bus)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &BusTraceRecorder::flush);
    m_latencies.reserve(std::size_t(latencyWindow()));
    const auto direct = Qt::DirectConnection;
    m_connections = {
        connect(
            &bus, &EventBus::published, this,
            [this](const RecordedEvent& event) {
                BusTraceEntry entry;
                entry.kind = BusTraceEntry::Kind::Published;
                entry.event = event;
                record(std::move(entry));
            },
            direct),
        connect(&bus, &EventBus::delivered, this, &BusTraceRecorder::onDelivered, direct),
        connect(&bus, &EventBus::failed, this, &BusTraceRecorder::onFailed, direct),
        connect(&bus, &EventBus::deadLettered, this, &BusTraceRecorder::onDeadLettered, direct),
        connect(&bus, &EventBus::duplicateSkipped, this, &BusTraceRecorder::onDuplicate, direct),
    };
}

BusTraceRecorder::~BusTraceRecorder()
{
    detach();
}

void BusTraceRecorder::detach()
{
    for (const auto& c : m_connections)
        disconnect(c);
    m_connections.clear();
}

void BusTraceRecorder::setRetryPolicy(const QString& handler, const RetryPolicy& policy)
{
    QMutexLocker locker(&m_lock);
    m_maxAttempts.insert(handler, policy.maxAttempts);
}

void BusTraceRecorder::record(BusTraceEntry entry)
{
    entry.timeMs = QDateTime::currentMSecsSinceEpoch();
    bool post = false;
    {
        QMutexLocker locker(&m_lock);
        if (qsizetype(m_pending.size()) >= maxPending()) {
            // The GUI is not keeping up: keep the newer half (amortised O(1) per entry).
            const auto drop = m_pending.size() / 2;
            m_pending.erase(m_pending.begin(), m_pending.begin() + qsizetype(drop));
            m_dropped.fetch_add(drop);
        }
        m_pending.push_back(std::move(entry));
        if (!m_scheduled) {
            m_scheduled = true;
            post = true;
        }
    }
    if (post) // one queued call per batch, never one per event
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (!m_timer.isActive())
                    m_timer.start();
            },
            Qt::QueuedConnection);
}

void BusTraceRecorder::onDelivered(const QString& handler, const RecordedEvent& event, qint64 latencyNs)
{
    BusTraceEntry entry;
    entry.kind = BusTraceEntry::Kind::Delivered;
    entry.handler = handler;
    entry.event = event;
    entry.latencyNs = latencyNs;
    {
        QMutexLocker locker(&m_lock);
        entry.attempt = m_failedAttempts.take({handler, event.position.value}) + 1;
        if (qsizetype(m_latencies.size()) < latencyWindow())
            m_latencies.push_back(latencyNs);
        else
            m_latencies[std::size_t(m_latencyNext)] = latencyNs;
        m_latencyNext = (m_latencyNext + 1) % latencyWindow();
    }
    record(std::move(entry));
}

void BusTraceRecorder::onFailed(
    const QString& handler, const RecordedEvent& event, const QString& error, int attempt)
{
    BusTraceEntry entry;
    entry.handler = handler;
    entry.event = event;
    entry.attempt = attempt;
    entry.error = error;
    {
        QMutexLocker locker(&m_lock);
        const int max = m_maxAttempts.value(handler, RetryPolicy {}.maxAttempts);
        entry.kind = attempt < max ? BusTraceEntry::Kind::Retrying : BusTraceEntry::Kind::Failed;
        if (m_failedAttempts.size() >= MaxTrackedFailures)
            m_failedAttempts.clear();
        m_failedAttempts.insert({handler, event.position.value}, attempt);
    }
    record(std::move(entry));
}

void BusTraceRecorder::onDeadLettered(const DeadLetter& dead)
{
    BusTraceEntry entry;
    entry.kind = BusTraceEntry::Kind::DeadLettered;
    entry.handler = dead.handler;
    entry.event = dead.event;
    entry.attempt = dead.attempts;
    entry.error = dead.error;
    entry.deadLetterId = dead.id;
    {
        // A retry from the queue numbers its attempts after the ones already made.
        QMutexLocker locker(&m_lock);
        m_failedAttempts.insert({dead.handler, dead.event.position.value}, dead.attempts);
    }
    record(std::move(entry));
}

void BusTraceRecorder::onDuplicate(const QString& handler, const RecordedEvent& event)
{
    BusTraceEntry entry;
    entry.kind = BusTraceEntry::Kind::Duplicate;
    entry.handler = handler;
    entry.event = event;
    record(std::move(entry));
}

void BusTraceRecorder::flush()
{
    std::vector<BusTraceEntry> batch;
    {
        QMutexLocker locker(&m_lock);
        batch.swap(m_pending);
        m_scheduled = false;
    }
    if (batch.empty())
        return;
    // Metadata is parsed here, on the GUI side, once per event of the batch.
    QHash<qint64, QUuid> correlations;
    for (auto& entry : batch) {
        const qint64 key = entry.event.position.value;
        auto it = correlations.constFind(key);
        if (it == correlations.cend())
            it = correlations.insert(key, correlationIdOf(entry.event));
        entry.correlationId = *it;
    }
    Q_EMIT entriesArrived(batch);
}

LatencyStats BusTraceRecorder::latency() const
{
    std::vector<qint64> samples;
    {
        QMutexLocker locker(&m_lock);
        samples = m_latencies;
    }
    LatencyStats stats;
    stats.samples = qsizetype(samples.size());
    if (samples.empty())
        return stats;
    double sum = 0;
    for (const qint64 s : samples)
        sum += double(s);
    stats.meanNs = sum / double(samples.size());
    // Nearest-rank 99th percentile: the smallest sample with at least 99% of them at or below.
    const auto rank = std::size_t((samples.size() * 99 + 99) / 100) - 1;
    std::nth_element(samples.begin(), samples.begin() + qsizetype(rank), samples.end());
    stats.p99Ns = samples[rank];
    return stats;
}

} // namespace chronoscope
