#pragma once

// The part of appendMany() that every SQL store shares: what is checked before a row is
// written, and in which order positions and versions are handed out (an import's checks are
// checkImportedEvent() in recordedevent.h). A store brings its own BatchWriter (its SQL),
// which must offer
//   qint64 version(const StreamId&)  -- the stream's version as this batch leaves it so far
//   void add(stream, position, id, type, schemaVersion, timestampMs, data, metadata)

#include "base/errors.h"
#include "store/eventstore.h"

#include <QDateTime>

#include <map>
#include <vector>

namespace chronoscope {

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
            it = versions.emplace(request.stream, writer.version(request.stream)).first;
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
        AppendResult result {Position(next), Position(next - 1), Version(writer.version(request.stream))};
        for (const auto& e : request.events)
            writer.add(request.stream, next++, e.id.isNull() ? QUuid::createUuid() : e.id, e.type,
                e.schemaVersion, e.timestampMs.value_or(now), e.data, e.metadata);
        result.lastPosition = Position(next - 1);
        result.version = Version(writer.version(request.stream));
        results.push_back(result);
    }
    return results;
}

} // namespace chronoscope
