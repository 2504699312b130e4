#include "store/postgres/pgschema.h"

#include "base/errors.h"
#include "store/postgres/pgconnection.h"

namespace chronoscope::pgschema {

namespace {

const char* const kTables[] = {
    "CREATE TABLE chronoscope_meta(key text PRIMARY KEY, value text NOT NULL)",
    "CREATE TABLE events("
    " position bigint PRIMARY KEY,"
    " stream text NOT NULL,"
    " version bigint NOT NULL,"
    " id uuid NOT NULL,"
    " type text NOT NULL,"
    " schema_version integer NOT NULL DEFAULT 1,"
    " timestamp_ms bigint NOT NULL,"
    " data text NOT NULL,"
    " metadata text,"
    " UNIQUE(stream, version))",
    "CREATE INDEX events_by_type ON events(type, position)",
    "CREATE INDEX events_by_time ON events(timestamp_ms)",
    "CREATE TABLE streams("
    " stream text PRIMARY KEY,"
    " category text NOT NULL,"
    " version bigint NOT NULL,"
    " events bigint NOT NULL,"
    " first_position bigint NOT NULL,"
    " last_position bigint NOT NULL,"
    " first_timestamp_ms bigint NOT NULL,"
    " last_timestamp_ms bigint NOT NULL)",
    "CREATE TABLE type_counts(type text PRIMARY KEY, events bigint NOT NULL)",
    "CREATE TABLE totals(id integer PRIMARY KEY CHECK (id = 1), events bigint NOT NULL, streams bigint NOT "
    "NULL,"
    " last_position bigint NOT NULL)",
    "INSERT INTO totals(id, events, streams, last_position) VALUES (1, 0, 0, 0)",
    "INSERT INTO chronoscope_meta(key, value) VALUES ('format', 'chronoscope'), ('schema_version', '1')",
};

QString where(const pg::Connection& c)
{
    return c.location().display();
}

} // namespace

int currentVersion()
{
    return 1;
}

std::optional<int> storedVersion(pg::Connection& c, const QStringList& tables)
{
    if (!tables.contains(QLatin1String("chronoscope_meta")))
        return std::nullopt;
    auto q = c.run(
        QStringLiteral("SELECT key, value FROM chronoscope_meta WHERE key IN ('format', 'schema_version')"),
        {}, QStringLiteral("reading the store's meta table"), true);
    bool ours = false;
    int version = 0;
    while (q.next()) {
        if (q.value(0).toString() == QLatin1String("format"))
            ours = q.value(1).toString() == QLatin1String("chronoscope");
        else
            version = q.value(1).toString().toInt();
    }
    if (!ours)
        return std::nullopt;
    return version;
}

QString notAStoreMessage(const QString& where, const QStringList& tables)
{
    return QStringLiteral("'%1' is not an event store Chronoscope knows (tables: %2); it looks for "
                          "chronoscope_meta (Chronoscope), emt_messages + emt_streams (Emmett) or "
                          "mt_events + mt_streams (Marten)")
        .arg(where,
            tables.size() <= 12 ? tables.join(QLatin1String(", "))
                                : tables.mid(0, 12).join(QLatin1String(", "))
                    + QStringLiteral(" and %1 more").arg(tables.size() - 12));
}

void create(pg::Connection& c)
{
    const auto what = QStringLiteral("creating the store's tables");
    c.begin();
    try {
        // Serialise creators of this schema: the second one finds the tables made.
        c.run(QStringLiteral("SELECT pg_advisory_xact_lock(hashtext(?))"),
            {QString(QStringLiteral("chronoscope-create:") + c.location().schema)}, what, true);
        c.exec(QStringLiteral("CREATE SCHEMA IF NOT EXISTS ")
                + pg::Connection::quoteIdentifier(c.location().schema),
            QStringLiteral("creating the schema"), true);
        const auto tables = c.tables();
        if (!tables.isEmpty()) {
            const auto version = storedVersion(c, tables);
            if (!version)
                throw OpenError(notAStoreMessage(where(c), tables));
            c.rollback(); // someone else made it first
            return;
        }
        for (const char* sql : kTables)
            c.exec(QString::fromUtf8(sql), what, true);
        c.commit();
    } catch (...) {
        c.rollback();
        throw;
    }
}

} // namespace chronoscope::pgschema
