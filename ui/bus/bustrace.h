#pragma once

#include "bus/eventbus.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <vector>

namespace chronoscope {

/// One thing that happened on the bus, as the monitor shows it.
struct BusTraceEntry {
    enum class Kind {
        Published,    ///< the bus received the event
        Delivered,    ///< a handler processed it (attempt = the attempt that succeeded)
        Retrying,     ///< an attempt failed; the bus will try again
        Failed,       ///< an attempt failed and no retry follows (a dead letter follows or was retried)
        DeadLettered, ///< parked in the dead-letter queue after its last attempt
        Duplicate,    ///< skipped: the handler had already processed this event
    };
    Kind kind = Kind::Published;
    qint64 timeMs = 0;       ///< when it was observed, UTC ms since the epoch
    QString handler;         ///< empty for Published
    RecordedEvent event;     ///< payload bytes are shared, not copied
    int attempt = 0;         ///< Delivered / Retrying / Failed / DeadLettered (attempts made)
    qint64 latencyNs = -1;   ///< Delivered: from publish to the handler's return
    QString error;           ///< Retrying / Failed / DeadLettered
    qint64 deadLetterId = 0; ///< DeadLettered: the entry's id in the queue (0 when not kept)
    QUuid correlationId;     ///< from the event's metadata; filled in on the GUI thread
};

/// Mean and 99th percentile of the most recent delivery latencies.
struct LatencyStats {
    qsizetype samples = 0;
    double meanNs = 0;
    qint64 p99Ns = 0;
};

/// Watches an EventBus and hands what it sees to the GUI thread in batches.
///
/// The bus's signals are connected directly, so they run in the delivering thread (publisher
/// or bus worker) and only append to a buffer under a mutex; the first entry of a batch posts
/// one queued call that starts a short timer in the recorder's thread, and the timer emits
/// everything gathered meanwhile as one entriesArrived(). A flood of events therefore costs
/// the GUI one signal per interval, not one per event. Only the most recent `maxPending`
/// entries are kept while the GUI is slow; the number dropped is reported.
class BusTraceRecorder : public QObject {
    Q_OBJECT
public:
    /// Starts watching `bus`, which must outlive the recorder (or be detached first).
    explicit BusTraceRecorder(EventBus& bus, QObject* parent = nullptr);
    ~BusTraceRecorder() override;

    /// Stops watching. Call before the bus's handlers stop (no delivery may be running).
    void detach();
    EventBus& bus() const { return m_bus; }

    /// How many attempts a handler gets, so a failed attempt can be told apart from the last
    /// one. Handlers not named here are taken to use the bus's default policy.
    void setRetryPolicy(const QString& handler, const RetryPolicy& policy);
    /// Milliseconds between batches (default 100).
    void setInterval(int ms) { m_timer.setInterval(ms); }
    /// Hands over everything gathered so far, now (in the recorder's thread).
    void flush();

    /// Latency over the most recent deliveries (at most latencyWindow()).
    LatencyStats latency() const;
    static constexpr qsizetype latencyWindow() { return 10000; }
    static constexpr qsizetype maxPending() { return 50000; }
    /// Entries dropped so far because the GUI did not take them in time.
    quint64 dropped() const { return m_dropped.load(); }

Q_SIGNALS:
    /// Emitted in the recorder's thread, oldest first.
    void entriesArrived(const std::vector<chronoscope::BusTraceEntry>& entries);

private:
    void record(BusTraceEntry entry);
    void onDelivered(const QString& handler, const RecordedEvent& event, qint64 latencyNs);
    void onFailed(const QString& handler, const RecordedEvent& event, const QString& error, int attempt);
    void onDeadLettered(const DeadLetter& entry);
    void onDuplicate(const QString& handler, const RecordedEvent& event);

    EventBus& m_bus;
    std::vector<QMetaObject::Connection> m_connections;
    QTimer m_timer;

    mutable QMutex m_lock; // guards everything below
    std::vector<BusTraceEntry> m_pending;
    bool m_scheduled = false;
    QHash<QString, int> m_maxAttempts;
    /// Attempts that failed so far per (handler, position), to number the one that succeeds.
    QHash<std::pair<QString, qint64>, int> m_failedAttempts;
    std::vector<qint64> m_latencies; // ring of the most recent latencies
    qsizetype m_latencyNext = 0;
    std::atomic<quint64> m_dropped {0};
};

/// The correlation id in an event's metadata (null when there is none or it is unreadable).
QUuid correlationIdOf(const RecordedEvent& event);

} // namespace chronoscope
