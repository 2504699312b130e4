#pragma once

#include "schema/schemaregistry.h"
#include "store/eventstore.h"

#include <functional>
#include <memory>
#include <optional>

namespace chronoscope {

/// One reason an event does not match its schema, as the panel lists it.
struct SchemaViolationRow {
    Position position;
    StreamId stream;
    Version version;
    QString type;
    int schemaVersion = 0;
    QString schema;  ///< file of the schema
    QString pointer; ///< JSON Pointer into the payload
    QString message;
};

/// What validating a set of events found.
struct SchemaValidationResult {
    static constexpr std::size_t MaxViolations = 10000; ///< more are counted, not listed
    qint64 checked = 0;
    qint64 valid = 0;
    qint64 invalid = 0;
    qint64 noSchema = 0;
    bool truncated = false; ///< more violations than listed
    std::vector<SchemaViolationRow> violations;
};

/// Validates one event into `result`.
void validateEvent(
    const SchemaRegistry& registry, const RecordedEvent& event, SchemaValidationResult& result);

/// Validates every event of `stream`, or (no stream) every event of `type` in the store, a
/// page at a time; stops early once `cancelled()` is true (a newer request).
/// Safe off the GUI thread: the registry and the store may be read from several threads.
SchemaValidationResult validateEvents(const std::shared_ptr<EventStore>& store,
    const std::shared_ptr<const SchemaRegistry>& registry, const std::optional<StreamId>& stream,
    const QString& type, const std::function<bool()>& cancelled);

} // namespace chronoscope
