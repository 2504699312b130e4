#pragma once

#include "base/ids.h"
#include "bus/busselector.h"
#include "store/recordedevent.h"

#include <QString>

#include <functional>

namespace chronoscope {

/// Identity of a bus subscription, returned by EventBus::subscribe().
using SubscriptionId = StrongInt<struct SubscriptionTag>;

/// A bus handler: throwing (anything) means the delivery failed.
using BusHandler = std::function<void(const RecordedEvent&)>;

/// Where a handler runs.
enum class DeliveryMode {
    /// In the publisher's thread, before publish() returns. Failed attempts are retried at
    /// once (the backoff does not apply: the publisher is never put to sleep).
    Synchronous,
    /// On the bus's worker thread, in publish order for each stream. Failed attempts are
    /// retried after the backoff; later events of the same stream wait for the retry (events
    /// of other streams do not).
    Queued,
};

/// How often and how fast a failed delivery is tried again before it goes to the
/// dead-letter queue.
struct RetryPolicy {
    int maxAttempts = 3;          ///< attempts in all, the first one included (>= 1)
    qint64 initialBackoffMs = 10; ///< wait before the 2nd attempt (queued mode)
    double multiplier = 2.0;      ///< each later wait is the previous one times this

    /// Wait before attempt `attempt` (2 for the first retry) in milliseconds.
    qint64 backoffBefore(int attempt) const;
};

/// Everything EventBus::subscribe() needs.
struct Subscriber {
    QString name;         ///< handler name shown to users; unique on a bus
    BusSelector selector; ///< which events
    BusHandler handler;
    DeliveryMode mode = DeliveryMode::Synchronous;
    RetryPolicy retry;
    /// How many processed event ids are remembered to skip duplicates (idempotency). An
    /// event re-published after more than this many newer ones may be applied again.
    int idempotencyWindow = 4096;
};

/// Counters of a bus, in total or for one handler.
struct BusCounters {
    quint64 published = 0;    ///< events published (total only)
    quint64 delivered = 0;    ///< successful deliveries
    quint64 failed = 0;       ///< attempts that threw
    quint64 deadLettered = 0; ///< deliveries that went to the dead-letter queue
    quint64 duplicates = 0;   ///< deliveries skipped: the handler had already processed the event
    /// Latency: from publish (queued: including the wait in the queue) to the handler's
    /// successful return. Measured on every queued delivery, and on one synchronous delivery in
    /// 64 (every one while EventBus::delivered is connected): reading a clock can cost more
    /// than the rest of a synchronous delivery.
    qint64 lastLatencyNs = 0; ///< of the most recent measured delivery
    qint64 maxLatencyNs = 0;  ///< over the measured deliveries
    double meanLatencyNs = 0; ///< over the measured deliveries
};

/// One handler's counters.
struct HandlerCounters {
    SubscriptionId id;
    QString name;
    BusSelector selector;
    DeliveryMode mode = DeliveryMode::Synchronous;
    BusCounters counters;
};

} // namespace chronoscope
