#pragma once

// core/bus: the in-process event bus: subscriptions by type, glob or category, synchronous and
// queued delivery with retries, idempotency, dead letters (in memory and in the store's file),
// and the Publisher that turns commands and raw events into stored events.

#include "bus/deadletters.h"
#include "bus/subscription.h"

#include <QMetaMethod>
#include <QMutex>
#include <QObject>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace chronoscope {

namespace bus {
struct SubscriptionState;
struct Routes;
class Worker;
} // namespace bus

/// In-process publish/subscribe for recorded events.
///
/// Every subscription has a handler name, a selector, a delivery mode and a retry policy.
/// A handler that throws fails that delivery only: the others still get the event. A failed
/// delivery is retried per policy (at once for synchronous subscriptions, after the backoff
/// on the worker for queued ones); after the last attempt it goes to the dead-letter queue.
/// Delivery is idempotent by (handler, event id): an event a handler already processed is
/// skipped (events with a null id are never skipped).
///
/// Thread-safe: publish, subscribe and the dead-letter operations may be called from any
/// thread. A handler never runs concurrently with itself; it may publish. Signals are emitted
/// in the thread that delivered (publisher or worker) with value types, so queued connections
/// to the GUI are safe; nothing is emitted (and nothing allocated on the synchronous path)
/// for a signal nobody is connected to.
class EventBus : public QObject {
    Q_OBJECT
public:
    explicit EventBus(QObject* parent = nullptr);
    /// Stops the worker; queued deliveries not yet made are dropped.
    ~EventBus() override;

    /// Adds a subscription. Throws InvalidInput when the name is empty or already used on this
    /// bus, the handler is empty, or the retry policy is out of range.
    SubscriptionId subscribe(Subscriber subscriber);
    SubscriptionId subscribe(const QString& name, const BusSelector& selector, BusHandler handler,
        DeliveryMode mode = DeliveryMode::Synchronous, const RetryPolicy& retry = {});
    /// Removes a subscription; false when there is none with that id. A delivery already
    /// running finishes; no new one starts. Its counters stay in the totals.
    bool unsubscribe(SubscriptionId id);
    /// Names of the subscribed handlers, in subscription order.
    QStringList handlerNames() const;

    /// Delivers to every matching subscription. Returns when the synchronous handlers are done.
    void publish(const RecordedEvent& event);
    void publish(const std::vector<RecordedEvent>& events);

    /// Waits until the worker has nothing queued or waiting for a retry; false on timeout.
    bool waitForIdle(int timeoutMs = 30000) const;

    /// Counters of all handlers (unsubscribed ones included) and the number published.
    BusCounters totals() const;
    /// Counters of the subscribed handlers, in subscription order.
    std::vector<HandlerCounters> handlerCounters() const;
    std::optional<HandlerCounters> handlerCounters(const QString& handler) const;

    /// The dead-letter queue (in memory unless replaced).
    DeadLetterQueue& deadLetters() const { return *m_deadLetters; }
    /// Replaces the dead-letter queue (e.g. with a SqliteDeadLetterQueue). Not while
    /// deliveries are running.
    void setDeadLetterQueue(std::shared_ptr<DeadLetterQueue> queue);
    /// Delivers dead letter `id` to its handler again, now, in the calling thread. Success (or
    /// finding that the handler already processed the event) removes the entry and returns
    /// true; failure updates the entry's attempts, last failure and error and returns false.
    /// Throws InvalidInput when there is no such entry or no subscribed handler of that name.
    bool retryDeadLetter(qint64 id);
    /// Removes dead letter `id` without delivering it; false when there is none.
    bool discardDeadLetter(qint64 id);

Q_SIGNALS:
    void published(const chronoscope::RecordedEvent& event);
    void delivered(const QString& handler, const chronoscope::RecordedEvent& event, qint64 latencyNs);
    void failed(
        const QString& handler, const chronoscope::RecordedEvent& event, const QString& error, int attempt);
    void deadLettered(const chronoscope::DeadLetter& entry);
    /// A delivery skipped because the handler had already processed the event (idempotency).
    void duplicateSkipped(const QString& handler, const chronoscope::RecordedEvent& event);

private:
    friend class bus::Worker;
    enum class Attempt { Delivered, Duplicate, Failed };

    void deliverSynchronously(bus::SubscriptionState& sub, const RecordedEvent& event);
    /// One attempt by a caller holding sub.lock; `claim` checks and records the event id first.
    Attempt attempt(bus::SubscriptionState& sub, const RecordedEvent& event, int number, bool claim,
        quint64 startTick, QString& error);
    /// Releases the claim and parks the delivery (caller holds sub.lock).
    void deadLetter(bus::SubscriptionState& sub, const RecordedEvent& event, const QString& error,
        int attempts, qint64 firstFailureMs);
    /// A cheap flag first (set by connectNotify), then Qt's exact answer.
    bool connected(int bit, const QMetaMethod& signal) const
    {
        return (m_watched.load(std::memory_order_relaxed) & bit) && isSignalConnected(signal);
    }
    void connectNotify(const QMetaMethod& signal) override;

    mutable QMutex m_lock; // guards subscribing and the lists below
    std::vector<std::unique_ptr<bus::SubscriptionState>> m_subscriptions; // every one ever made
    std::vector<std::unique_ptr<bus::Routes>> m_routeSets;                // every one ever made
    std::atomic<const bus::Routes*> m_current {nullptr};
    qint64 m_nextId = 1;
    std::atomic<quint64> m_published {0};
    std::shared_ptr<DeadLetterQueue> m_deadLetters;
    std::unique_ptr<bus::Worker> m_worker;
    std::atomic<int> m_watched {0}; // bits: 1 published, 2 delivered, 4 failed, 8 duplicateSkipped
    QMetaMethod m_publishedSignal;
    QMetaMethod m_deliveredSignal;
    QMetaMethod m_failedSignal;
    QMetaMethod m_duplicateSignal;
};

} // namespace chronoscope
