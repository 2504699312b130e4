#pragma once

#include "store/eventstore.h"

#include <memory>

namespace chronoscope {

/// Opens the event store at a PostgreSQL URL (postgresql://user[:password]@host:port/db[?schema=S]).
/// The format comes from the tables of the schema: Chronoscope's own (chronoscope_meta), Emmett
/// (emt_messages + emt_streams) or Marten (mt_events + mt_streams); the foreign ones open
/// read-only. With `create`, an empty or missing schema gets a new native store; otherwise it is
/// an error. Throws OpenError naming the store (password hidden) and what is wrong: no
/// connection, unknown schema, tables of something else (named), missing columns.
std::unique_ptr<EventStore> openPostgresStore(const QString& url, bool readOnly, bool create);

} // namespace chronoscope
