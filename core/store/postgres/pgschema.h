#pragma once

#include <QStringList>

#include <optional>

namespace chronoscope::pg {
class Connection;
}

namespace chronoscope::pgschema {

/// The native store's tables on PostgreSQL: chronoscope_meta ('format' = "chronoscope",
/// 'schema_version'), events (payloads kept as the exact text the writer gave), streams,
/// type_counts and totals (one row, also the write lock that orders every append).

/// The schema version this build writes.
int currentVersion();

/// Schema version of the native store in the connection's schema; nullopt when its tables do
/// not say format = "chronoscope". Throws OpenError when they cannot be read.
std::optional<int> storedVersion(pg::Connection& c, const QStringList& tables);

/// Creates the native tables in an empty schema (and the schema when it is missing) in one
/// transaction. Two programs creating at once make one store. Throws OpenError naming the
/// tables when the schema holds tables of something else.
void create(pg::Connection& c);

/// The message for a schema whose tables are not an event store Chronoscope knows.
QString notAStoreMessage(const QString& where, const QStringList& tables);

} // namespace chronoscope::pgschema
