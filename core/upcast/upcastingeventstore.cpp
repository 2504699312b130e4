#include "upcast/upcastingeventstore.h"

namespace chronoscope {

UpcastingEventStore::UpcastingEventStore(
    EventStore& inner, std::shared_ptr<const UpcasterChain> chain, OnError onError, QObject* parent)
    : ForwardingEventStore(inner, parent)
    , m_chain(std::move(chain))
    , m_onError(onError)
{
}

UpcastingEventStore::UpcastingEventStore(std::unique_ptr<EventStore> inner,
    std::shared_ptr<const UpcasterChain> chain, OnError onError, QObject* parent)
    : ForwardingEventStore(std::move(inner), parent)
    , m_chain(std::move(chain))
    , m_onError(onError)
{
}

std::vector<RecordedEvent> UpcastingEventStore::upcast(std::vector<RecordedEvent> events) const
{
    if (m_onError == OnError::Throw) {
        m_chain->upcast(events);
        return events;
    }
    std::vector<UpcastError> errors;
    if (std::any_of(
            events.begin(), events.end(), [this](const RecordedEvent& e) { return m_chain->applies(e); })) {
        auto outcomes = m_chain->inspect(events);
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (!outcomes[i].error.isEmpty())
                errors.emplace_back(outcomes[i].error, events[i].position);
            else
                events[i] = std::move(outcomes[i].upcast);
        }
    }
    QMutexLocker locker(&m_errorsMutex);
    m_lastErrors = std::move(errors);
    return events;
}

std::optional<UpcastOutcome> UpcastingEventStore::inspect(Position position) const
{
    auto raw = inner().readAt(position);
    if (!raw)
        return std::nullopt;
    return std::move(m_chain->inspect({*raw}).front());
}

std::vector<UpcastOutcome> UpcastingEventStore::inspect(const std::vector<RecordedEvent>& raw) const
{
    return m_chain->inspect(raw);
}

std::vector<UpcastError> UpcastingEventStore::lastErrors() const
{
    QMutexLocker locker(&m_errorsMutex);
    return m_lastErrors;
}

std::vector<RecordedEvent> UpcastingEventStore::readStream(
    const StreamId& stream, std::optional<Version> from, qint64 maxCount, Direction direction) const
{
    return upcast(inner().readStream(stream, from, maxCount, direction));
}

std::vector<RecordedEvent> UpcastingEventStore::readAll(
    std::optional<Position> from, qint64 maxCount, const EventFilter& filter, Direction direction) const
{
    return upcast(inner().readAll(from, maxCount, filter, direction));
}

std::optional<RecordedEvent> UpcastingEventStore::readAt(Position position) const
{
    auto raw = inner().readAt(position);
    if (!raw)
        return raw;
    auto events = upcast({std::move(*raw)});
    return std::move(events.front());
}

} // namespace chronoscope
