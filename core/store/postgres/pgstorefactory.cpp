#include "store/postgres/pgstorefactory.h"

#include "store/postgres/pgconnection.h"
#include "store/postgres/pgeventstore.h"
#include "store/postgres/pgforeignstore.h"
#include "store/postgres/pgschema.h"

namespace chronoscope {

namespace {

std::unique_ptr<EventStore> openForeign(pg::Connection& probe, PgForeignSchema schema)
{
    const auto columns = probe.columns(schema.table);
    const auto missing = schema.missingColumns(columns);
    if (!missing.isEmpty())
        throw OpenError(QStringLiteral("'%1' has %2's table %3 without the columns %4: it cannot be read")
                            .arg(probe.location().display(), schema.library, schema.table,
                                missing.join(QLatin1String(", "))));
    return std::make_unique<PgForeignStore>(probe.location(), std::move(schema));
}

} // namespace

std::unique_ptr<EventStore> openPostgresStore(const QString& url, bool readOnly, bool create)
{
    const auto location = parsePgUrl(url);
    const auto where = location.display();
    QStringList tables;
    {
        pg::Connection probe(location, true);
        if (!probe.schemaExists()) {
            if (!create)
                throw OpenError(QStringLiteral("'%1': the database '%2' has no schema '%3' (schemas: %4)")
                                    .arg(where, location.database, location.schema,
                                        probe.schemas().join(QLatin1String(", "))));
        } else {
            tables = probe.tables();
        }
        const auto has = [&tables](const char* name) { return tables.contains(QLatin1String(name)); };
        if (has("chronoscope_meta")) {
            const auto version = pgschema::storedVersion(probe, tables);
            if (!version)
                throw OpenError(pgschema::notAStoreMessage(where, tables));
            if (*version > pgschema::currentVersion())
                throw OpenError(
                    QStringLiteral("'%1' was written by a newer Chronoscope (schema version %2; this "
                                   "version reads up to %3)")
                        .arg(where)
                        .arg(*version)
                        .arg(pgschema::currentVersion()));
            return std::make_unique<PgEventStore>(location, readOnly);
        }
        if (has("emt_messages") && has("emt_streams"))
            return openForeign(probe, PgForeignSchema::emmett());
        if (has("mt_events") && has("mt_streams")) {
            QStringList types;
            const auto columns = probe.columns(QStringLiteral("mt_events"), &types);
            return openForeign(probe, PgForeignSchema::marten(columns, types));
        }
        if (!tables.isEmpty())
            throw OpenError(pgschema::notAStoreMessage(where, tables));
        if (!create)
            throw OpenError(
                QStringLiteral("'%1': schema '%2' has no tables: it is not an event store yet (create "
                               "one with 'chronoscope-cli append --create')")
                    .arg(where, location.schema));
        if (readOnly)
            throw OpenError(QStringLiteral("'%1': a new store cannot be created read-only").arg(where));
    }
    pg::Connection writer(location, false);
    pgschema::create(writer);
    return std::make_unique<PgEventStore>(location, readOnly);
}

} // namespace chronoscope
