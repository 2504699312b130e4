#pragma once

// Internal to core: the per-subscription state shared by the bus's synchronous path and its
// worker thread, a cheap clock for delivery latency, and a lock that lets a handler publish.

#include "bus/idempotencywindow.h"
#include "bus/subscription.h"

#include <atomic>
#include <chrono>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define CHRONOSCOPE_BUS_TSC 1
#endif

namespace chronoscope::bus {

/// Monotonic ticks, cheap to read (the TSC on x86, else steady_clock nanoseconds).
inline quint64 ticks() noexcept
{
#ifdef CHRONOSCOPE_BUS_TSC
    return __rdtsc();
#else
    return quint64(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

/// Nanoseconds per tick, measured once (about 2 ms the first time).
double nsPerTick();

inline qint64 ticksToNs(quint64 t)
{
    return qint64(double(t) * nsPerTick());
}

/// A spin lock the owning thread may take again (a handler that publishes an event its own
/// subscription receives). Held while a handler runs, so a handler never runs concurrently
/// with itself.
class HandlerLock {
public:
    void lock() noexcept
    {
        const void* me = self();
        if (m_owner.load(std::memory_order_relaxed) == me) {
            ++m_depth;
            return;
        }
        const void* expected = nullptr;
        for (int spins = 0; !m_owner.compare_exchange_weak(
                 expected, me, std::memory_order_acquire, std::memory_order_relaxed);
             ++spins) {
            expected = nullptr;
            if (spins > 64)
                std::this_thread::yield();
        }
        m_depth = 1;
    }
    void unlock() noexcept
    {
        if (--m_depth == 0)
            m_owner.store(nullptr, std::memory_order_release);
    }

private:
    static const void* self() noexcept
    {
        static thread_local char marker;
        return &marker;
    }
    std::atomic<const void*> m_owner {nullptr};
    int m_depth = 0;
};

/// A counter written only by the holder of the subscription's lock and read by anyone.
class Counter {
public:
    void add(quint64 n = 1) noexcept
    {
        m_value.store(m_value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    void set(quint64 v) noexcept { m_value.store(v, std::memory_order_relaxed); }
    quint64 get() const noexcept { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<quint64> m_value {0};
};

/// One subscription as the bus keeps it (kept until the bus is destroyed, so a publisher
/// holding an older list never sees a dangling pointer).
struct SubscriptionState {
    explicit SubscriptionState(SubscriptionId id_, Subscriber s)
        : id(id_)
        , name(std::move(s.name))
        , selector(std::move(s.selector))
        , handler(std::move(s.handler))
        , mode(s.mode)
        , retry(s.retry)
        , seen(s.idempotencyWindow)
    {
    }

    const SubscriptionId id;
    const QString name;
    const BusSelector selector;
    const BusHandler handler;
    const DeliveryMode mode;
    const RetryPolicy retry;
    std::atomic<bool> active {true};

    HandlerLock lock;
    IdempotencyWindow seen; // guarded by lock
    Counter delivered;
    Counter failed;
    Counter deadLettered;
    Counter duplicates;
    Counter latencySumTicks;
    Counter lastLatencyTicks;
    Counter maxLatencyTicks;
    Counter lastDeliveryTick;

    Counter timedDeliveries;    // deliveries whose latency was measured
    quint64 sinceLastTimed = 0; // guarded by lock

    /// Synchronous deliveries measure their latency one time in timingInterval (reading the
    /// clock costs more than the rest of a delivery on some machines); queued ones always.
    static constexpr quint64 timingInterval = 64;

    /// True when this synchronous delivery should be timed (caller holds the lock).
    bool timeThisOne() noexcept
    {
        if (++sinceLastTimed < timingInterval && delivered.get() != 0)
            return false;
        sinceLastTimed = 0;
        return true;
    }

    /// Records a successful delivery without a latency (caller holds the lock).
    void recordUntimedDelivery() noexcept { delivered.add(); }

    /// Records a successful delivery (caller holds the lock).
    void recordDelivery(quint64 latency, quint64 now) noexcept
    {
        delivered.add();
        timedDeliveries.add();
        latencySumTicks.add(latency);
        lastLatencyTicks.set(latency);
        if (latency > maxLatencyTicks.get())
            maxLatencyTicks.set(latency);
        lastDeliveryTick.set(now);
    }
};

/// Subscriptions as one publish sees them; never changed once published.
struct Routes {
    std::vector<SubscriptionState*> synchronous;
    std::vector<SubscriptionState*> queued;
};

/// The message of the exception being handled (StoreError::message(), what(), or a note).
QString currentExceptionMessage();

/// Wall-clock time, ms since the Unix epoch.
qint64 nowMs();

} // namespace chronoscope::bus
