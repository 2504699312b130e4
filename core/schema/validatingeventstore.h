#pragma once

#include "schema/schemaregistry.h"
#include "store/forwardingeventstore.h"

namespace chronoscope {

/// The append hook of a schema registry: an EventStore that checks every event written
/// through it (append, appendMany, importRecorded) against the registry before handing the
/// write to the inner store. A batch with one event that does not match writes nothing and
/// throws SchemaViolationError (an InvalidInput, so a Publisher reports it as Invalid).
/// Reads pass through.
class ValidatingEventStore final : public ForwardingEventStore {
    Q_OBJECT
public:
    ValidatingEventStore(EventStore& inner, std::shared_ptr<const SchemaRegistry> registry,
        bool requireSchema = false, QObject* parent = nullptr);
    ValidatingEventStore(std::unique_ptr<EventStore> inner, std::shared_ptr<const SchemaRegistry> registry,
        bool requireSchema = false, QObject* parent = nullptr);

    const SchemaRegistry& registry() const { return *m_registry; }

    AppendResult append(
        const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected) override;
    std::vector<AppendResult> appendMany(const std::vector<AppendRequest>& requests) override;
    void importRecorded(const std::vector<RecordedEvent>& events) override;

private:
    std::shared_ptr<const SchemaRegistry> m_registry;
    bool m_requireSchema;
};

} // namespace chronoscope
