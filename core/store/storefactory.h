#pragma once

#include "store/eventstore.h"

#include <memory>

namespace chronoscope {

enum class StoreFormat {
    Missing,           ///< no file at that path
    ChronoscopeSqlite, ///< our own SQLite store
    JsonLines,         ///< one JSON event per line
    EmmettSqlite,      ///< written by Emmett's SQLite event store (emt_messages), opened read-only
    OtherSqlite,       ///< an SQLite database of a schema we do not know
    ReduxDevTools,     ///< a Redux DevTools export (state.json), opened read-only in memory
    KurrentJson,       ///< a KurrentDB projection fixture (JSON array of events), read-only in memory
    Unknown,           ///< neither SQLite nor JSON Lines
};

/// Looks at the file's content (never its name) to tell its format.
StoreFormat detectFormat(const QString& path);
QString formatName(StoreFormat format);

struct OpenOptions {
    bool readOnly = false; ///< open our own store read-only
    bool create = false;   ///< create a new, empty native store when the file is missing
};

/// Opens a store of any detected format. JSON Lines files are loaded into memory read-only.
/// A PostgreSQL URL (postgresql://...) opens the store in that database: see openPostgresStore;
/// options.create makes a native store in an empty schema.
/// Throws OpenError naming the file and what is wrong with it.
std::unique_ptr<EventStore> openStore(const QString& path, const OpenOptions& options = {});

/// Connects once to the server of a postgresql:// URL and disconnects: for a caller that wants
/// to know (off its GUI thread: an unanswering host keeps libpq waiting up to its connect
/// timeout) whether the server lets it in before opening. Throws OpenError with the server's
/// refusal (no such host, password refused, no such database), the password never in it.
void reachPostgres(const QString& url);

/// Creates a new native SQLite store and opens it. Race-free: the store is made complete under a
/// temporary sibling name and named `path` only if nothing has that name yet; throws
/// AlreadyExists when a file is (or meanwhile was) there, and never removes a file it did not
/// make. Partials left by killed processes beside `path` are removed first.
std::unique_ptr<EventStore> createSqliteStore(const QString& path);

} // namespace chronoscope
