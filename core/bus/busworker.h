#pragma once

// Internal to core: the thread that runs an EventBus's queued subscriptions.

#include "bus/busdelivery.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace chronoscope {
class EventBus;
}

namespace chronoscope::bus {

/// Runs queued deliveries in publish order. A failed delivery waiting for its retry holds
/// back the later events of the same stream for the same handler only, so per-stream order is
/// kept while other streams and handlers go on.
class Worker {
public:
    explicit Worker(EventBus& bus);
    ~Worker(); // stops; deliveries not yet made are dropped
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    /// Queues one published event for the queued subscriptions of `routes`.
    void enqueue(const RecordedEvent& event, const Routes* routes, quint64 tick);
    bool waitForIdle(int timeoutMs) const;

private:
    using TimePoint = std::chrono::steady_clock::time_point;
    struct Item {
        RecordedEvent event;
        const Routes* routes;
        quint64 tick; // when it was published
    };
    struct Pending {
        RecordedEvent event;
        quint64 tick;
        int attempt = 1;           // number of the next attempt
        qint64 firstFailureMs = 0; // 0: no failure yet
        QString error;
    };
    struct Parked {
        std::deque<Pending> deliveries; // the first one waits for its retry
        TimePoint due;
    };
    using Key = std::pair<SubscriptionState*, QString>; // handler and stream

    void run();
    void dispatch(const Item& item);
    /// Makes attempts of the front delivery of `queue` and the ones after it; returns false
    /// when one failed and must wait until `due`.
    bool drain(SubscriptionState& sub, std::deque<Pending>& queue, TimePoint& due);
    void runDueRetries();

    EventBus& m_bus;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    mutable std::condition_variable m_idleChanged;
    std::deque<Item> m_incoming;    // guarded by m_mutex
    bool m_stop = false;            // guarded by m_mutex
    bool m_idle = true;             // guarded by m_mutex
    std::map<Key, Parked> m_parked; // worker thread only
    std::thread m_thread;
};

} // namespace chronoscope::bus
