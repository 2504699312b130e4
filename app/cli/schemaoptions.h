#pragma once

// Options that bring schema evolution into any sub-command: --upcasters FILE (reads see
// events upcast) and --schemas DIR (appends are validated).

#include "cli/cli.h"
#include "schema/schemaregistry.h"
#include "store/eventstore.h"

#include <memory>

namespace chronoscope::cli {

/// Adds --upcasters <file> (repeatable; .json rules or .js script).
void addUpcasterOption(Command& cmd);
/// With --upcasters: loads the files and returns `store` wrapped so every read is upcast
/// (an upcaster failure fails the read, naming the event). Without: `store` unchanged.
/// Throws InvalidInput naming the file when an upcaster file cannot be used.
std::unique_ptr<EventStore> withUpcasters(const Command& cmd, std::unique_ptr<EventStore> store);

/// Adds --schemas <dir> and --require-schema.
void addSchemaOptions(Command& cmd);
/// The registry loaded from --schemas, or null when the option is not given.
std::shared_ptr<const SchemaRegistry> schemasFrom(const Command& cmd);
/// With --schemas: throws SchemaViolationError when an event to append does not match its
/// schema (or has none, with --require-schema). Without: does nothing.
void checkAgainstSchemas(const Command& cmd, const StreamId& stream, const std::vector<EventData>& events);

} // namespace chronoscope::cli
