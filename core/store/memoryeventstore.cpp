#include "store/memoryeventstore.h"

#include <QDateTime>

#include <algorithm>

namespace chronoscope {

MemoryEventStore::MemoryEventStore(QString format, QString location, QObject* parent)
    : EventStore(parent)
    , m_format(std::move(format))
    , m_location(std::move(location))
{
}

void MemoryEventStore::setReadOnly(bool readOnly)
{
    QWriteLocker locker(&m_lock);
    m_readOnly = readOnly;
}

void MemoryEventStore::checkWritable() const
{
    if (m_readOnly)
        throw ReadOnlyError(QStringLiteral("the store '%1' is open read-only: nothing was written")
                                .arg(m_location.isEmpty() ? m_format : m_location));
}

void MemoryEventStore::store(RecordedEvent event)
{
    auto& s = m_streams[event.stream];
    if (s.indices.empty()) {
        s.info.stream = event.stream;
        s.info.firstPosition = event.position;
        s.info.firstTimestampMs = event.timestampMs;
    }
    s.info.version = event.version;
    s.info.events += 1;
    s.info.lastPosition = event.position;
    s.info.lastTimestampMs = event.timestampMs;
    s.indices.push_back(m_events.size());
    m_types[event.type] += 1;
    m_events.push_back(std::move(event));
}

std::vector<AppendResult> MemoryEventStore::appendMany(const std::vector<AppendRequest>& requests)
{
    std::vector<AppendResult> results;
    Position first;
    Position last;
    {
        QWriteLocker locker(&m_lock);
        checkWritable();
        // Check everything first, so a failure writes nothing.
        std::map<StreamId, Version> versions;
        for (const auto& request : requests) {
            if (request.stream.isEmpty())
                throw InvalidInput(QStringLiteral("the stream id is empty"));
            auto it = versions.find(request.stream);
            if (it == versions.end()) {
                const auto s = m_streams.find(request.stream);
                it = versions
                         .emplace(request.stream, s == m_streams.end() ? Version(0) : s->second.info.version)
                         .first;
            }
            if (!request.expected.isSatisfiedBy(it->second))
                throw WrongExpectedVersion(request.stream, request.expected, it->second);
            for (std::size_t i = 0; i < request.events.size(); ++i)
                validateEventData(request.stream, request.events[i], int(i));
            it->second = Version(it->second.value + qint64(request.events.size()));
        }
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        std::int64_t next = m_events.empty() ? 1 : m_events.back().position.value + 1;
        first = Position(next);
        for (const auto& request : requests) {
            const auto s = m_streams.find(request.stream);
            std::int64_t version = s == m_streams.end() ? 0 : s->second.info.version.value;
            AppendResult result {Position(next), Position(next - 1), Version(version)};
            for (const auto& data : request.events) {
                RecordedEvent e;
                e.position = Position(next++);
                e.stream = request.stream;
                e.version = Version(++version);
                e.id = data.id.isNull() ? QUuid::createUuid() : data.id;
                e.type = data.type;
                e.schemaVersion = data.schemaVersion;
                e.timestampMs = data.timestampMs.value_or(now);
                e.data = data.data;
                e.metadata = data.metadata;
                store(std::move(e));
            }
            result.lastPosition = Position(next - 1);
            result.version = Version(version);
            results.push_back(result);
        }
        last = Position(next - 1);
    }
    if (first <= last)
        Q_EMIT appended(first, last);
    return results;
}

AppendResult MemoryEventStore::append(
    const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected)
{
    return appendMany({AppendRequest {stream, expected, events}}).front();
}

void MemoryEventStore::importRecorded(const std::vector<RecordedEvent>& events)
{
    if (events.empty())
        return;
    {
        QWriteLocker locker(&m_lock);
        checkWritable();
        std::int64_t last = m_events.empty() ? 0 : m_events.back().position.value;
        const std::int64_t storeLast = last;
        std::map<StreamId, Version> versions;
        for (const auto& e : events) {
            if (e.stream.isEmpty())
                throw InvalidInput(
                    QStringLiteral("position %1: the stream id is empty").arg(e.position.value));
            if (e.type.trimmed().isEmpty())
                throw InvalidInput(
                    QStringLiteral("position %1: the event type is empty").arg(e.position.value));
            if (e.position.value <= last)
                throw InvalidInput(positionNotAfterMessage(e, last, storeLast));
            last = e.position.value;
            auto it = versions.find(e.stream);
            if (it == versions.end()) {
                const auto s = m_streams.find(e.stream);
                it = versions.emplace(e.stream, s == m_streams.end() ? Version(0) : s->second.info.version)
                         .first;
            }
            if (e.version.value != it->second.value + 1)
                throw InvalidInput(QStringLiteral("stream '%1': version %2 does not follow version %3")
                                       .arg(e.stream.toString())
                                       .arg(e.version.value)
                                       .arg(it->second.value));
            it->second = e.version;
        }
        for (const auto& e : events)
            store(e);
    }
    Q_EMIT appended(events.front().position, events.back().position);
}

std::size_t MemoryEventStore::lowerBound(Position position) const
{
    return std::size_t(std::lower_bound(m_events.begin(), m_events.end(), position,
                           [](const RecordedEvent& e, Position p) { return e.position < p; })
        - m_events.begin());
}

std::vector<RecordedEvent> MemoryEventStore::readStream(
    const StreamId& stream, std::optional<Version> from, qint64 maxCount, Direction direction) const
{
    QReadLocker locker(&m_lock);
    std::vector<RecordedEvent> out;
    const auto s = m_streams.find(stream);
    if (s == m_streams.end() || maxCount <= 0)
        return out;
    const auto& idx = s->second.indices;
    if (direction == Direction::Forward) {
        std::size_t i = 0;
        if (from)
            i = std::size_t(std::partition_point(idx.begin(), idx.end(), [&](std::size_t k) {
                return m_events[k].version < *from;
            }) - idx.begin());
        for (; i < idx.size() && qint64(out.size()) < maxCount; ++i)
            out.push_back(m_events[idx[i]]);
    } else {
        std::size_t end = idx.size();
        if (from)
            end = std::size_t(std::partition_point(idx.begin(), idx.end(), [&](std::size_t k) {
                return m_events[k].version <= *from;
            }) - idx.begin());
        for (std::size_t i = end; i > 0 && qint64(out.size()) < maxCount; --i)
            out.push_back(m_events[idx[i - 1]]);
    }
    return out;
}

std::vector<RecordedEvent> MemoryEventStore::readAll(
    std::optional<Position> from, qint64 maxCount, const EventFilter& filter, Direction direction) const
{
    QReadLocker locker(&m_lock);
    std::vector<RecordedEvent> out;
    if (maxCount <= 0)
        return out;
    if (direction == Direction::Forward) {
        for (std::size_t i = from ? lowerBound(*from) : 0;
             i < m_events.size() && qint64(out.size()) < maxCount; ++i)
            if (filter.matches(m_events[i]))
                out.push_back(m_events[i]);
    } else {
        std::size_t end = from ? lowerBound(Position(from->value + 1)) : m_events.size();
        for (std::size_t i = end; i > 0 && qint64(out.size()) < maxCount; --i)
            if (filter.matches(m_events[i - 1]))
                out.push_back(m_events[i - 1]);
    }
    return out;
}

std::optional<RecordedEvent> MemoryEventStore::readAt(Position position) const
{
    QReadLocker locker(&m_lock);
    const auto i = lowerBound(position);
    if (i < m_events.size() && m_events[i].position == position)
        return m_events[i];
    return std::nullopt;
}

std::vector<StreamInfo> MemoryEventStore::streams(const QString& prefix) const
{
    QReadLocker locker(&m_lock);
    std::vector<StreamInfo> out;
    for (auto it = m_streams.lower_bound(StreamId(prefix)); it != m_streams.end(); ++it) {
        if (!it->first.toString().startsWith(prefix))
            break;
        out.push_back(it->second.info);
    }
    return out;
}

std::optional<StreamInfo> MemoryEventStore::streamInfo(const StreamId& stream) const
{
    QReadLocker locker(&m_lock);
    const auto s = m_streams.find(stream);
    if (s == m_streams.end())
        return std::nullopt;
    return s->second.info;
}

StoreSummary MemoryEventStore::summary() const
{
    QReadLocker locker(&m_lock);
    StoreSummary s;
    s.format = m_format;
    s.location = m_location;
    s.events = qint64(m_events.size());
    s.streams = qint64(m_streams.size());
    s.lastPosition = m_events.empty() ? Position(0) : m_events.back().position;
    s.readOnly = m_readOnly;
    return s;
}

std::vector<TypeCount> MemoryEventStore::typeCounts() const
{
    QReadLocker locker(&m_lock);
    std::vector<TypeCount> out;
    out.reserve(m_types.size());
    for (const auto& [type, n] : m_types)
        out.push_back({type, n});
    return out;
}

} // namespace chronoscope
