#pragma once

// Opening stores for chronoscope-cli: the format comes from the content, never the name.

#include "store/eventstore.h"

#include <memory>

namespace chronoscope::cli {

/// Opens a store of any known format read-only. Throws OpenError naming the file.
std::unique_ptr<EventStore> openForReading(const QString& path);

/// Opens an existing native store for writing. JSON Lines files, foreign SQLite files and
/// files without write permission are refused with an error that says why.
std::unique_ptr<EventStore> openForWriting(const QString& path);
/// The same for a PostgreSQL URL too: with createPostgres, an empty schema gets a new native store.
std::unique_ptr<EventStore> openForWriting(const QString& path, bool createPostgres);

/// Throws ReadOnlyError when the file has no write permission bit (checked on the mode bits,
/// so it holds even for root).
void checkWritePermission(const QString& path);

/// True when both paths name the same existing file.
bool sameFile(const QString& a, const QString& b);

} // namespace chronoscope::cli
