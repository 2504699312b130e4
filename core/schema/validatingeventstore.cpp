#include "schema/validatingeventstore.h"

namespace chronoscope {

ValidatingEventStore::ValidatingEventStore(
    EventStore& inner, std::shared_ptr<const SchemaRegistry> registry, bool requireSchema, QObject* parent)
    : ForwardingEventStore(inner, parent)
    , m_registry(std::move(registry))
    , m_requireSchema(requireSchema)
{
}

ValidatingEventStore::ValidatingEventStore(std::unique_ptr<EventStore> inner,
    std::shared_ptr<const SchemaRegistry> registry, bool requireSchema, QObject* parent)
    : ForwardingEventStore(std::move(inner), parent)
    , m_registry(std::move(registry))
    , m_requireSchema(requireSchema)
{
}

AppendResult ValidatingEventStore::append(
    const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected)
{
    m_registry->checkAppend(stream, events, m_requireSchema);
    return ForwardingEventStore::append(stream, events, expected);
}

std::vector<AppendResult> ValidatingEventStore::appendMany(const std::vector<AppendRequest>& requests)
{
    for (const auto& request : requests)
        m_registry->checkAppend(request.stream, request.events, m_requireSchema);
    return ForwardingEventStore::appendMany(requests);
}

void ValidatingEventStore::importRecorded(const std::vector<RecordedEvent>& events)
{
    for (const auto& e : events) {
        const auto where
            = QStringLiteral("stream '%1' version %2 (type '%3', schema version %4, position %5)")
                  .arg(e.stream.toString())
                  .arg(e.version.value)
                  .arg(e.type)
                  .arg(e.schemaVersion)
                  .arg(e.position.value);
        const auto check = m_registry->validate(e);
        if (check.status == SchemaCheck::Status::Invalid)
            throw SchemaViolationError(QStringLiteral("%1 does not match %2: %3: nothing was written")
                                           .arg(where, check.schemaOrigin, check.summary()),
                check.violations);
        if (check.status == SchemaCheck::Status::NoSchema && m_requireSchema)
            throw SchemaViolationError(
                QStringLiteral(
                    "%1: no schema for this type and version, and schemas are required: nothing was written")
                    .arg(where),
                {});
    }
    ForwardingEventStore::importRecorded(events);
}

} // namespace chronoscope
