#include "projections/projection.h"

#include "base/errors.h"

#include <atomic>

namespace chronoscope {

ProjectionSource ProjectionSource::fromCategory(const QString& category)
{
    ProjectionSource s;
    s.kind = Kind::Category;
    s.category = category;
    return s;
}

ProjectionSource ProjectionSource::fromStreams(const QStringList& streams)
{
    ProjectionSource s;
    s.kind = Kind::Streams;
    s.streams = streams;
    return s;
}

EventFilter ProjectionSource::readFilter() const
{
    EventFilter f;
    f.types = types;
    if (kind == Kind::Category)
        f.category = category;
    else if (kind == Kind::Streams && streams.size() == 1)
        f.streamPrefix = streams.front(); // narrows the read; matches() checks the exact id
    return f;
}

bool ProjectionSource::matches(const RecordedEvent& e) const
{
    if (!types.isEmpty() && !types.contains(e.type))
        return false;
    switch (kind) {
    case Kind::All:
        return true;
    case Kind::Category:
        return e.stream.category() == category;
    case Kind::Streams:
        return streams.contains(e.stream.toString());
    }
    return false;
}

QString ProjectionSource::describe() const
{
    QString text;
    switch (kind) {
    case Kind::All:
        text = QStringLiteral("all");
        break;
    case Kind::Category:
        text = QStringLiteral("category '%1'").arg(category);
        break;
    case Kind::Streams:
        text = QStringLiteral("streams '%1'").arg(streams.join(QStringLiteral("', '")));
        break;
    }
    if (!types.isEmpty())
        text += QStringLiteral(" of types '%1'").arg(types.join(QStringLiteral("', '")));
    return text;
}

QString ProjectionFault::message() const
{
    return QStringLiteral("%1 at position %2 (stream '%3' version %4, type '%5')")
        .arg(reason)
        .arg(position.value)
        .arg(stream.toString())
        .arg(version.value)
        .arg(type);
}

ProjectionError::ProjectionError(ProjectionFault fault)
    : StoreError(fault.message())
    , m_fault(std::move(fault))
{
}

ProjectionError::ProjectionError(const RecordedEvent& event, const QString& reason)
    : ProjectionError(ProjectionFault {reason, event.position, event.stream, event.version, event.type})
{
}

nlohmann::json& JsonFolder::writable()
{
    if (m_state.use_count() > 1)
        m_state = std::make_shared<nlohmann::json>(*m_state);
    else // the holder's last read of it happened before it let go
        std::atomic_thread_fence(std::memory_order_acquire);
    return *m_state;
}

void JsonFolder::apply(std::span<const RecordedEvent> events)
{
    if (events.empty())
        return;
    auto& state = writable();
    for (const auto& e : events) {
        try {
            evolve(state, e);
        } catch (const ProjectionError&) {
            throw;
        } catch (const std::exception& error) {
            throw ProjectionError(e, errorText(error));
        }
    }
}

} // namespace chronoscope
