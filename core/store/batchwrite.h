#pragma once

// The part of a write that every SQL store shares: what is checked before a row is written, in
// which order positions and versions are handed out, and the per-stream bookkeeping of one batch
// (an import's checks are checkImportedEvent() in recordedevent.h). A store brings its own
// BatchWriter (its SQL), derived from BatchBookkeeping, which must offer
//   Delta loadDelta(const StreamId&)  -- a new delta holding the stream's stored version
//   void add(Delta&, position, id, type, schemaVersion, timestampMs, data, metadata)
// where add() calls count() first.

#include "base/errors.h"
#include "store/eventstore.h"
#include "store/recordedevent.h"

#include <QDateTime>

#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace chronoscope {

/// What one write does to one stream.
struct StreamDelta {
    qint64 version = 0; ///< the stored version, then one more for each event this batch adds
    qint64 added = 0;   ///< events this batch adds to the stream
    qint64 firstPosition = 0;
    qint64 lastPosition = 0;
    qint64 firstTimestamp = 0;
    qint64 lastTimestamp = 0;
};

/// The bookkeeping of one batch: a delta per stream touched (its stored version read once, through
/// Derived::loadDelta), how many events and new streams, and the positions written.
template<typename Derived, typename Delta> class BatchBookkeeping {
public:
    /// The stream's delta in this batch, looked up (with its stored version) on first use.
    Delta& delta(const StreamId& stream)
    {
        if (m_last && m_lastId == stream)
            return *m_last;
        auto it = m_streams.find(stream);
        if (it == m_streams.end())
            it = m_streams.emplace(stream, static_cast<Derived*>(this)->loadDelta(stream)).first;
        m_lastId = stream;
        m_last = &it->second;
        return it->second;
    }

    const std::map<StreamId, Delta>& deltas() const { return m_streams; }
    qint64 events() const { return m_events; }
    qint64 newStreams() const
    {
        qint64 n = 0;
        for (const auto& [stream, d] : m_streams)
            n += d.added > 0 && d.version == d.added ? 1 : 0;
        return n;
    }
    /// The first and the last position written, when the batch wrote any.
    std::optional<std::pair<Position, Position>> span() const
    {
        if (m_events == 0)
            return std::nullopt;
        return std::pair {Position(m_firstPosition), Position(m_lastPosition)};
    }

protected:
    /// Counts an event of `d` at `position`.
    void count(Delta& d, qint64 position, qint64 timestampMs)
    {
        d.version += 1;
        if (d.added++ == 0) {
            d.firstPosition = position;
            d.firstTimestamp = timestampMs;
        }
        d.lastPosition = position;
        d.lastTimestamp = timestampMs;
        if (m_events++ == 0)
            m_firstPosition = position;
        m_lastPosition = std::max(m_lastPosition, position);
    }

private:
    std::map<StreamId, Delta> m_streams;
    StreamId m_lastId;
    Delta* m_last = nullptr;
    qint64 m_events = 0;
    qint64 m_firstPosition = 0;
    qint64 m_lastPosition = 0;
};

/// Checks every request first (stream id, expected version, each event's type, data and
/// metadata), so that a failure writes nothing, then adds the events to `writer` with
/// positions from `firstPosition` on. Returns one result per request.
template<typename Writer>
std::vector<AppendResult> writeAppendRequests(
    Writer& writer, const std::vector<AppendRequest>& requests, qint64 firstPosition)
{
    std::map<StreamId, qint64> versions;
    for (const auto& request : requests) {
        if (request.stream.isEmpty())
            throw InvalidInput(QStringLiteral("the stream id is empty"));
        auto it = versions.find(request.stream);
        if (it == versions.end())
            it = versions.emplace(request.stream, writer.delta(request.stream).version).first;
        if (!request.expected.isSatisfiedBy(Version(it->second)))
            throw WrongExpectedVersion(request.stream, request.expected, Version(it->second));
        for (std::size_t i = 0; i < request.events.size(); ++i)
            validateEventData(request.stream, request.events[i], int(i));
        it->second += qint64(request.events.size());
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 next = firstPosition;
    std::vector<AppendResult> results;
    results.reserve(requests.size());
    for (const auto& request : requests) {
        auto& d = writer.delta(request.stream);
        AppendResult result {Position(next), Position(next - 1), Version(d.version)};
        for (const auto& e : request.events)
            writer.add(d, next++, e.id.isNull() ? QUuid::createUuid() : e.id, e.type, e.schemaVersion,
                e.timestampMs.value_or(now), e.data, e.metadata);
        result.lastPosition = Position(next - 1);
        result.version = Version(d.version);
        results.push_back(result);
    }
    return results;
}

/// Checks each imported event (checkImportedEvent: stream, type, position after `storeLast`
/// and the one before, the stream's next version) and adds it to `writer` with its position.
template<typename Writer>
void writeImportedEvents(Writer& writer, const std::vector<RecordedEvent>& events, qint64 storeLast)
{
    qint64 last = storeLast;
    for (const auto& e : events) {
        auto& d = writer.delta(e.stream);
        checkImportedEvent(e, last, d.version, storeLast);
        last = e.position.value;
        writer.add(d, e.position.value, e.id, e.type, e.schemaVersion, e.timestampMs, e.data, e.metadata);
    }
}

} // namespace chronoscope
