#include "bus/busworker.h"

#include "bus/eventbus.h"

namespace chronoscope::bus {

Worker::Worker(EventBus& bus)
    : m_bus(bus)
{
    m_thread = std::thread([this] { run(); });
}

Worker::~Worker()
{
    {
        std::lock_guard guard(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void Worker::enqueue(const RecordedEvent& event, const Routes* routes, quint64 tick)
{
    bool wasEmpty;
    {
        std::lock_guard guard(m_mutex);
        wasEmpty = m_incoming.empty();
        m_incoming.push_back({event, routes, tick});
        m_idle = false;
    }
    if (wasEmpty)
        m_wake.notify_one();
}

bool Worker::waitForIdle(int timeoutMs) const
{
    std::unique_lock guard(m_mutex);
    return m_idleChanged.wait_for(guard, std::chrono::milliseconds(timeoutMs), [this] { return m_idle; });
}

void Worker::run()
{
    std::deque<Item> batch;
    for (;;) {
        {
            std::unique_lock guard(m_mutex);
            if (m_incoming.empty() && m_parked.empty()) {
                m_idle = true;
                m_idleChanged.notify_all();
            }
            if (m_parked.empty()) {
                m_wake.wait(guard, [this] { return m_stop || !m_incoming.empty(); });
            } else {
                TimePoint due = TimePoint::max();
                for (const auto& [key, parked] : m_parked)
                    due = std::min(due, parked.due);
                m_wake.wait_until(guard, due, [this] { return m_stop || !m_incoming.empty(); });
            }
            if (m_stop)
                return;
            batch.swap(m_incoming);
        }
        for (const Item& item : batch)
            dispatch(item);
        batch.clear();
        runDueRetries();
    }
}

void Worker::dispatch(const Item& item)
{
    for (SubscriptionState* sub : item.routes->queued) {
        if (!sub->active.load(std::memory_order_relaxed) || !sub->selector.matches(item.event))
            continue;
        const auto parked = m_parked.find(Key(sub, item.event.stream.toString()));
        if (parked != m_parked.end()) {
            // An earlier event of this stream waits for a retry: keep the order.
            parked->second.deliveries.push_back({item.event, item.tick, 1, 0, {}});
            continue;
        }
        std::deque<Pending> queue {{item.event, item.tick, 1, 0, {}}};
        TimePoint due;
        if (!drain(*sub, queue, due))
            m_parked.emplace(Key(sub, item.event.stream.toString()), Parked {std::move(queue), due});
    }
}

bool Worker::drain(SubscriptionState& sub, std::deque<Pending>& queue, TimePoint& due)
{
    while (!queue.empty()) {
        Pending& p = queue.front();
        if (!sub.active.load(std::memory_order_relaxed)) {
            queue.clear();
            break;
        }
        QString error;
        std::lock_guard guard(sub.lock);
        const auto result = m_bus.attempt(sub, p.event, p.attempt, p.attempt == 1, p.tick, error);
        if (result == EventBus::Attempt::Failed) {
            const qint64 now = nowMs();
            if (p.firstFailureMs == 0)
                p.firstFailureMs = now;
            if (p.attempt < sub.retry.maxAttempts) {
                ++p.attempt;
                due = std::chrono::steady_clock::now()
                    + std::chrono::milliseconds(sub.retry.backoffBefore(p.attempt));
                return false;
            }
            m_bus.deadLetter(sub, p.event, error, p.attempt, p.firstFailureMs);
        }
        queue.pop_front();
    }
    return true;
}

void Worker::runDueRetries()
{
    const auto now = std::chrono::steady_clock::now();
    for (auto it = m_parked.begin(); it != m_parked.end();) {
        if (it->second.due > now) {
            ++it;
            continue;
        }
        if (drain(*it->first.first, it->second.deliveries, it->second.due))
            it = m_parked.erase(it);
        else
            ++it;
    }
}

} // namespace chronoscope::bus
