#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

struct sqlite3;

namespace chronoscope::sqliteschema {

/// Name of the key/value table that marks a Chronoscope store ('format' = "chronoscope",
/// 'schema_version' = N).
inline constexpr const char* metaTable = "chronoscope_meta";
/// Value of the 'format' key.
inline constexpr const char* formatTag = "chronoscope";

/// One step of the schema history: the SQL that takes a store from version toVersion - 1
/// to toVersion. Step 1 creates a store from nothing.
struct Migration {
    int toVersion;
    const char* description;
    std::vector<const char*> statements;
};

/// Every step, in order. A new store runs them all; an older store runs the ones it lacks.
const std::vector<Migration>& migrations();

/// The schema version this build writes.
int currentVersion();

/// Names of the tables of an open database, ordered by name (SQLite's own tables excluded).
/// Throws OpenError naming `fileName` when the file cannot be read.
QStringList tableNames(sqlite3* db, const QString& fileName);

/// Schema version of an open Chronoscope store; nullopt when the database has no meta table
/// saying format = "chronoscope". Throws OpenError when the file cannot be read.
std::optional<int> storedVersion(sqlite3* db, const QString& fileName);

/// The message for an SQLite database that is not a Chronoscope store.
QString notAStoreMessage(const QString& fileName, const QStringList& tables);

/// Brings an open, writable store from its stored version (0: empty database) to
/// currentVersion() in one transaction. Throws OpenError on failure (nothing is changed).
void migrate(sqlite3* db, const QString& fileName);

} // namespace chronoscope::sqliteschema
