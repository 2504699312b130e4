#include "store/forwardingeventstore.h"

#include "store/appendnotifier.h"

namespace chronoscope {

ForwardingEventStore::ForwardingEventStore(EventStore& inner, QObject* parent)
    : EventStore(parent)
    , m_inner(&inner)
{
    connect(m_inner, &EventStore::appended, this, &EventStore::appended, Qt::DirectConnection);
    connect(
        m_inner, &EventStore::changedElsewhere, this, &EventStore::changedElsewhere, Qt::DirectConnection);
}

ForwardingEventStore::ForwardingEventStore(std::unique_ptr<EventStore> inner, QObject* parent)
    : EventStore(parent)
    , m_owned(std::move(inner))
    , m_inner(m_owned.get())
{
    connect(m_inner, &EventStore::appended, this, &EventStore::appended, Qt::DirectConnection);
    connect(
        m_inner, &EventStore::changedElsewhere, this, &EventStore::changedElsewhere, Qt::DirectConnection);
}

ForwardingEventStore::~ForwardingEventStore() = default;

AppendResult ForwardingEventStore::append(
    const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected)
{
    return m_inner->append(stream, events, expected);
}

std::vector<AppendResult> ForwardingEventStore::appendMany(const std::vector<AppendRequest>& requests)
{
    return m_inner->appendMany(requests);
}

void ForwardingEventStore::importRecorded(const std::vector<RecordedEvent>& events)
{
    m_inner->importRecorded(events);
}

std::vector<RecordedEvent> ForwardingEventStore::readStream(
    const StreamId& stream, std::optional<Version> from, qint64 maxCount, Direction direction) const
{
    return m_inner->readStream(stream, from, maxCount, direction);
}

std::vector<RecordedEvent> ForwardingEventStore::readAll(
    std::optional<Position> from, qint64 maxCount, const EventFilter& filter, Direction direction) const
{
    return m_inner->readAll(from, maxCount, filter, direction);
}

std::optional<RecordedEvent> ForwardingEventStore::readAt(Position position) const
{
    return m_inner->readAt(position);
}

std::vector<StreamInfo> ForwardingEventStore::streams(const QString& prefix) const
{
    return m_inner->streams(prefix);
}

std::optional<StreamInfo> ForwardingEventStore::streamInfo(const StreamId& stream) const
{
    return m_inner->streamInfo(stream);
}

StoreSummary ForwardingEventStore::summary() const
{
    return m_inner->summary();
}

std::vector<StreamInfo> ForwardingEventStore::streamPage(
    const StreamQuery& query, const std::optional<StreamInfo>& after, qint64 limit) const
{
    return m_inner->streamPage(query, after, limit);
}

std::vector<CategoryInfo> ForwardingEventStore::categories() const
{
    return m_inner->categories();
}

std::vector<TypeCount> ForwardingEventStore::typeCounts() const
{
    return m_inner->typeCounts();
}

std::unique_ptr<AppendNotifier> ForwardingEventStore::appendNotifier() const
{
    return m_inner->appendNotifier();
}

} // namespace chronoscope
