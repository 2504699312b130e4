#include "store/sqlite/sqliteschema.h"

#include "base/errors.h"
#include "store/sqlite/sqliteconnection.h"

namespace chronoscope::sqliteschema {

const std::vector<Migration>& migrations()
{
    static const std::vector<Migration> steps = {
        {1, "events, streams and the meta table",
            {
                "CREATE TABLE chronoscope_meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT "
                "ROWID",
                "INSERT INTO chronoscope_meta(key, value) VALUES('format', 'chronoscope')",
                "CREATE TABLE events("
                " position INTEGER PRIMARY KEY,"
                " stream TEXT NOT NULL,"
                " version INTEGER NOT NULL,"
                " id TEXT NOT NULL,"
                " type TEXT NOT NULL,"
                " schema_version INTEGER NOT NULL DEFAULT 1,"
                " timestamp INTEGER NOT NULL,"
                " data TEXT NOT NULL,"
                " metadata TEXT,"
                " UNIQUE(stream, version))",
                "CREATE INDEX events_by_type ON events(type, position)",
                "CREATE INDEX events_by_time ON events(timestamp)",
                "CREATE TABLE streams("
                " stream TEXT PRIMARY KEY NOT NULL,"
                " category TEXT NOT NULL,"
                " version INTEGER NOT NULL,"
                " events INTEGER NOT NULL,"
                " first_position INTEGER NOT NULL,"
                " last_position INTEGER NOT NULL,"
                " first_timestamp INTEGER NOT NULL,"
                " last_timestamp INTEGER NOT NULL) WITHOUT ROWID",
            }},
        {2, "per-type counts and totals, so summaries never scan events",
            {
                "CREATE TABLE type_counts(type TEXT PRIMARY KEY NOT NULL, events INTEGER NOT NULL) WITHOUT "
                "ROWID",
                "INSERT INTO type_counts(type, events) SELECT type, count(*) FROM events GROUP BY type",
                "CREATE TABLE totals(id INTEGER PRIMARY KEY CHECK (id = 1), events INTEGER NOT NULL,"
                " streams INTEGER NOT NULL)",
                "INSERT INTO totals(id, events, streams)"
                " SELECT 1, (SELECT count(*) FROM events), (SELECT count(*) FROM streams)",
            }},
        {3, "per-category counts and an index per stream-list order, so the list pages instead of loading",
            {
                "CREATE TABLE categories(category TEXT PRIMARY KEY NOT NULL, streams INTEGER NOT NULL,"
                " events INTEGER NOT NULL) WITHOUT ROWID",
                "INSERT INTO categories(category, streams, events)"
                " SELECT category, count(*), sum(events) FROM streams GROUP BY category",
                "CREATE INDEX streams_by_category ON streams(category, stream)",
                "CREATE INDEX streams_by_version ON streams(version, stream)",
                "CREATE INDEX streams_by_events ON streams(events, stream)",
                "CREATE INDEX streams_by_last ON streams(last_position, stream)",
            }},
    };
    return steps;
}

int currentVersion()
{
    return migrations().back().toVersion;
}

QStringList tableNames(sqlite3* db, const QString& fileName)
{
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name",
        -1, &stmt, nullptr);
    if (rc != SQLITE_OK)
        sqlite::throwError(db, rc, fileName, QStringLiteral("reading the list of tables"), true);
    QStringList names;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        names.append(QString::fromUtf8(
            reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), sqlite3_column_bytes(stmt, 0)));
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        sqlite::throwError(db, rc, fileName, QStringLiteral("reading the list of tables"), true);
    return names;
}

std::optional<int> storedVersion(sqlite3* db, const QString& fileName)
{
    if (!tableNames(db, fileName).contains(QLatin1String(metaTable)))
        return std::nullopt;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db,
        "SELECT key, value FROM chronoscope_meta WHERE key IN ('format', 'schema_version')", -1, &stmt,
        nullptr);
    if (rc != SQLITE_OK)
        sqlite::throwError(db, rc, fileName, QStringLiteral("reading the store's meta table"), true);
    bool ours = false;
    int version = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const QByteArray key(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
        const QByteArray value(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)));
        if (key == "format")
            ours = value == formatTag;
        else
            version = value.toInt();
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        sqlite::throwError(db, rc, fileName, QStringLiteral("reading the store's meta table"), true);
    if (!ours)
        return std::nullopt;
    return version;
}

QString notAStoreMessage(const QString& fileName, const QStringList& tables)
{
    return QStringLiteral("'%1' is an SQLite database but not a Chronoscope store (%2)")
        .arg(fileName,
            tables.isEmpty() ? QStringLiteral("no tables")
                             : QStringLiteral("tables: %1").arg(tables.join(QLatin1String(", "))));
}

namespace {
void execOrThrow(sqlite3* db, const char* sql, const QString& fileName, const QString& what)
{
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        sqlite::throwError(db, rc, fileName, what, true);
}
} // namespace

void migrate(sqlite3* db, const QString& fileName)
{
    execOrThrow(db, "BEGIN IMMEDIATE", fileName, QStringLiteral("starting the schema upgrade"));
    try {
        // Read the version inside the write transaction: another program may have upgraded it.
        const QStringList tables = tableNames(db, fileName);
        int from = 0;
        if (!tables.isEmpty()) {
            const auto stored = storedVersion(db, fileName);
            if (!stored)
                throw OpenError(notAStoreMessage(fileName, tables));
            from = *stored;
        }
        if (from > currentVersion())
            throw OpenError(QStringLiteral("'%1' was written by a newer Chronoscope (schema version %2; this "
                                           "version reads up to %3)")
                                .arg(fileName)
                                .arg(from)
                                .arg(currentVersion()));
        for (const auto& step : migrations()) {
            if (step.toVersion <= from)
                continue;
            const auto what = QStringLiteral("upgrading the schema to version %1 (%2)")
                                  .arg(step.toVersion)
                                  .arg(QLatin1String(step.description));
            for (const char* sql : step.statements)
                execOrThrow(db, sql, fileName, what);
            const QByteArray set
                = QByteArray("INSERT OR REPLACE INTO chronoscope_meta(key, value) VALUES('schema_version', '")
                + QByteArray::number(step.toVersion) + "')";
            execOrThrow(db, set.constData(), fileName, what);
        }
        execOrThrow(db, "COMMIT", fileName, QStringLiteral("committing the schema upgrade"));
    } catch (...) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

} // namespace chronoscope::sqliteschema
