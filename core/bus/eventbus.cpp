#include "bus/eventbus.h"

#include "base/errors.h"
#include "bus/busdelivery.h"
#include "bus/busworker.h"

#include <cmath>

namespace chronoscope {

using bus::SubscriptionState;

EventBus::EventBus(QObject* parent)
    : QObject(parent)
    , m_deadLetters(std::make_shared<MemoryDeadLetterQueue>())
    , m_publishedSignal(QMetaMethod::fromSignal(&EventBus::published))
    , m_deliveredSignal(QMetaMethod::fromSignal(&EventBus::delivered))
    , m_failedSignal(QMetaMethod::fromSignal(&EventBus::failed))
    , m_duplicateSignal(QMetaMethod::fromSignal(&EventBus::duplicateSkipped))
{
    qRegisterMetaType<RecordedEvent>();
    qRegisterMetaType<DeadLetter>();
    bus::nsPerTick(); // calibrate now rather than on the first delivery
    m_routeSets.push_back(std::make_unique<bus::Routes>());
    m_current.store(m_routeSets.back().get(), std::memory_order_release);
}

void EventBus::connectNotify(const QMetaMethod& signal)
{
    if (signal == m_publishedSignal)
        m_watched.fetch_or(1);
    else if (signal == m_deliveredSignal)
        m_watched.fetch_or(2);
    else if (signal == m_failedSignal)
        m_watched.fetch_or(4);
    else if (signal == m_duplicateSignal)
        m_watched.fetch_or(8);
}

EventBus::~EventBus()
{
    m_worker.reset();
}

SubscriptionId EventBus::subscribe(const QString& name, const BusSelector& selector, BusHandler handler,
    DeliveryMode mode, const RetryPolicy& retry)
{
    return subscribe(Subscriber {name, selector, std::move(handler), mode, retry});
}

SubscriptionId EventBus::subscribe(Subscriber subscriber)
{
    const QString name = subscriber.name.trimmed();
    if (name.isEmpty())
        throw InvalidInput(QStringLiteral("bus subscription: the handler name is empty"));
    if (!subscriber.handler)
        throw InvalidInput(QStringLiteral("bus subscription '%1': no handler function").arg(name));
    const RetryPolicy& retry = subscriber.retry;
    if (retry.maxAttempts < 1 || retry.initialBackoffMs < 0 || !(retry.multiplier >= 1.0)
        || !std::isfinite(retry.multiplier))
        throw InvalidInput(
            QStringLiteral("bus subscription '%1': invalid retry policy (max attempts %2 must be "
                           ">= 1, initial backoff %3 ms >= 0, multiplier %4 >= 1)")
                .arg(name)
                .arg(retry.maxAttempts)
                .arg(retry.initialBackoffMs)
                .arg(retry.multiplier));
    if (subscriber.idempotencyWindow < 1)
        throw InvalidInput(
            QStringLiteral("bus subscription '%1': the idempotency window must hold at least one event")
                .arg(name));
    subscriber.name = name;

    QMutexLocker locker(&m_lock);
    const bus::Routes& current = *m_current.load(std::memory_order_relaxed);
    for (const auto* list : {&current.synchronous, &current.queued})
        for (const SubscriptionState* s : *list)
            if (s->name == name)
                throw InvalidInput(
                    QStringLiteral("bus subscription: a handler named '%1' is already subscribed").arg(name));
    if (subscriber.mode == DeliveryMode::Queued && !m_worker)
        m_worker = std::make_unique<bus::Worker>(*this);
    const SubscriptionId id(m_nextId++);
    m_subscriptions.push_back(std::make_unique<SubscriptionState>(id, std::move(subscriber)));
    auto next = std::make_unique<bus::Routes>(current);
    auto* state = m_subscriptions.back().get();
    (state->mode == DeliveryMode::Queued ? next->queued : next->synchronous).push_back(state);
    m_routeSets.push_back(std::move(next));
    m_current.store(m_routeSets.back().get(), std::memory_order_release);
    return id;
}

bool EventBus::unsubscribe(SubscriptionId id)
{
    QMutexLocker locker(&m_lock);
    const bus::Routes& current = *m_current.load(std::memory_order_relaxed);
    auto next = std::make_unique<bus::Routes>(current);
    bool found = false;
    for (auto* list : {&next->synchronous, &next->queued}) {
        for (auto it = list->begin(); it != list->end(); ++it) {
            if ((*it)->id == id) {
                (*it)->active.store(false);
                list->erase(it);
                found = true;
                break;
            }
        }
    }
    if (!found)
        return false;
    m_routeSets.push_back(std::move(next));
    m_current.store(m_routeSets.back().get(), std::memory_order_release);
    return true;
}

QStringList EventBus::handlerNames() const
{
    QStringList names;
    for (const auto& c : handlerCounters())
        names.append(c.name);
    return names;
}

void EventBus::publish(const RecordedEvent& event)
{
    m_published.fetch_add(1, std::memory_order_relaxed);
    if (Q_UNLIKELY(connected(1, m_publishedSignal)))
        Q_EMIT published(event);
    const bus::Routes* routes = m_current.load(std::memory_order_acquire);
    for (SubscriptionState* sub : routes->synchronous) {
        if (sub->selector.matches(event))
            deliverSynchronously(*sub, event);
    }
    if (!routes->queued.empty()) {
        for (const SubscriptionState* sub : routes->queued) {
            if (sub->selector.matches(event)) {
                m_worker->enqueue(event, routes, bus::ticks());
                break;
            }
        }
    }
}

void EventBus::publish(const std::vector<RecordedEvent>& events)
{
    for (const auto& event : events)
        publish(event);
}

void EventBus::deliverSynchronously(SubscriptionState& sub, const RecordedEvent& event)
{
    std::lock_guard guard(sub.lock);
    if (!sub.active.load(std::memory_order_relaxed))
        return;
    const quint64 start = sub.timeThisOne() || connected(2, m_deliveredSignal) ? bus::ticks() : 0;
    QString error;
    qint64 firstFailureMs = 0;
    for (int number = 1; number <= sub.retry.maxAttempts; ++number) {
        switch (attempt(sub, event, number, number == 1, start, error)) {
        case Attempt::Delivered:
        case Attempt::Duplicate:
            return;
        case Attempt::Failed:
            if (number == 1)
                firstFailureMs = bus::nowMs();
            break;
        }
    }
    deadLetter(sub, event, error, sub.retry.maxAttempts, firstFailureMs);
}

EventBus::Attempt EventBus::attempt(SubscriptionState& sub, const RecordedEvent& event, int number,
    bool claim, quint64 startTick, QString& error)
{
    if (claim && !event.id.isNull() && !sub.seen.insert(event.id)) {
        sub.duplicates.add();
        if (Q_UNLIKELY(connected(8, m_duplicateSignal)))
            Q_EMIT duplicateSkipped(sub.name, event);
        return Attempt::Duplicate;
    }
    try {
        sub.handler(event);
    } catch (...) {
        error = bus::currentExceptionMessage();
        sub.failed.add();
        if (connected(4, m_failedSignal))
            Q_EMIT failed(sub.name, event, error, number);
        return Attempt::Failed;
    }
    if (startTick == 0) { // not timed
        sub.recordUntimedDelivery();
        return Attempt::Delivered;
    }
    const quint64 end = bus::ticks();
    const quint64 latency = end > startTick ? end - startTick : 0;
    sub.recordDelivery(latency, end);
    if (Q_UNLIKELY(connected(2, m_deliveredSignal)))
        Q_EMIT delivered(sub.name, event, bus::ticksToNs(latency));
    return Attempt::Delivered;
}

void EventBus::deadLetter(SubscriptionState& sub, const RecordedEvent& event, const QString& error,
    int attempts, qint64 firstFailureMs)
{
    if (!event.id.isNull())
        sub.seen.remove(event.id);
    sub.deadLettered.add();
    const qint64 now = bus::nowMs();
    DeadLetter entry;
    try {
        entry = m_deadLetters->park(
            event, sub.name, error, attempts, firstFailureMs ? firstFailureMs : now, now);
    } catch (const StoreError& parkError) {
        // The queue could not keep it (e.g. the database is locked): still tell the user.
        entry = DeadLetter {0, event, sub.name,
            error + QStringLiteral(" (not kept: ") + parkError.message() + QLatin1Char(')'), attempts,
            firstFailureMs, now};
    }
    Q_EMIT deadLettered(entry);
}

} // namespace chronoscope

namespace chronoscope {

bool EventBus::waitForIdle(int timeoutMs) const
{
    QMutexLocker locker(&m_lock);
    bus::Worker* w = m_worker.get();
    locker.unlock();
    return !w || w->waitForIdle(timeoutMs);
}

namespace {

HandlerCounters countersOf(const SubscriptionState& s)
{
    HandlerCounters out {s.id, s.name, s.selector, s.mode, {}};
    BusCounters& c = out.counters;
    c.delivered = s.delivered.get();
    c.failed = s.failed.get();
    c.deadLettered = s.deadLettered.get();
    c.duplicates = s.duplicates.get();
    c.lastLatencyNs = bus::ticksToNs(s.lastLatencyTicks.get());
    c.maxLatencyNs = bus::ticksToNs(s.maxLatencyTicks.get());
    const quint64 timed = s.timedDeliveries.get();
    c.meanLatencyNs = timed ? double(s.latencySumTicks.get()) * bus::nsPerTick() / double(timed) : 0.0;
    return out;
}

} // namespace

BusCounters EventBus::totals() const
{
    QMutexLocker locker(&m_lock);
    BusCounters total;
    total.published = m_published.load(std::memory_order_relaxed);
    double latencySum = 0;
    quint64 timed = 0;
    quint64 lastTick = 0;
    for (const auto& s : m_subscriptions) {
        const BusCounters c = countersOf(*s).counters;
        total.delivered += c.delivered;
        total.failed += c.failed;
        total.deadLettered += c.deadLettered;
        total.duplicates += c.duplicates;
        total.maxLatencyNs = std::max(total.maxLatencyNs, c.maxLatencyNs);
        latencySum += c.meanLatencyNs * double(s->timedDeliveries.get());
        timed += s->timedDeliveries.get();
        if (s->timedDeliveries.get() && s->lastDeliveryTick.get() >= lastTick) {
            lastTick = s->lastDeliveryTick.get();
            total.lastLatencyNs = c.lastLatencyNs;
        }
    }
    total.meanLatencyNs = timed ? latencySum / double(timed) : 0.0;
    return total;
}

std::vector<HandlerCounters> EventBus::handlerCounters() const
{
    QMutexLocker locker(&m_lock);
    std::vector<HandlerCounters> out;
    for (const auto& s : m_subscriptions)
        if (s->active.load())
            out.push_back(countersOf(*s));
    return out;
}

std::optional<HandlerCounters> EventBus::handlerCounters(const QString& handler) const
{
    for (auto& c : handlerCounters())
        if (c.name == handler)
            return std::move(c);
    return std::nullopt;
}

void EventBus::setDeadLetterQueue(std::shared_ptr<DeadLetterQueue> queue)
{
    if (!queue)
        throw InvalidInput(QStringLiteral("event bus: no dead-letter queue given"));
    QMutexLocker locker(&m_lock);
    m_deadLetters = std::move(queue);
}

bool EventBus::retryDeadLetter(qint64 id)
{
    const auto entry = m_deadLetters->get(id);
    if (!entry)
        throw InvalidInput(
            QStringLiteral("dead letter %1: no such entry (retried or discarded already?)").arg(id));
    SubscriptionState* sub = nullptr;
    {
        QMutexLocker locker(&m_lock);
        for (const auto& s : m_subscriptions)
            if (s->active.load() && s->name == entry->handler)
                sub = s.get();
    }
    if (!sub)
        throw InvalidInput(QStringLiteral("dead letter %1: no handler named '%2' is subscribed")
                               .arg(id)
                               .arg(entry->handler));
    std::lock_guard guard(sub->lock);
    QString error;
    switch (attempt(*sub, entry->event, entry->attempts + 1, true, bus::ticks(), error)) {
    case Attempt::Delivered:
    case Attempt::Duplicate:
        m_deadLetters->remove(id);
        return true;
    case Attempt::Failed:
        break;
    }
    if (!entry->event.id.isNull())
        sub->seen.remove(entry->event.id);
    if (const auto updated = m_deadLetters->recordFailure(id, error, bus::nowMs()))
        Q_EMIT deadLettered(*updated);
    return false;
}

bool EventBus::discardDeadLetter(qint64 id)
{
    return m_deadLetters->remove(id);
}

} // namespace chronoscope
