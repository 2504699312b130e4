#pragma once

// core/formats: event files written by other tools or for them: JSON Lines (import, export,
// reading), Redux DevTools exports and KurrentDB-style arrays (foreignimports).

#include "store/eventstore.h"

#include <QIODevice>

#include <functional>

namespace chronoscope {

/// The JSON Lines interchange format: one event per line,
/// {"position","stream","version","id","type","schemaVersion","timestamp","data","metadata"}.
namespace jsonlines {

/// One event as a single JSON line (no trailing newline). data and metadata are written
/// as stored: big numbers and non-ASCII text are kept as they are.
QByteArray toLine(const RecordedEvent& event);

/// Progress callback: bytes done, bytes total; return false to cancel.
using Progress = std::function<bool(qint64 done, qint64 total)>;

/// Parses a whole file. Requires stream, type and data on each line; assigns what is missing
/// (version per stream in file order, position in file order, new UUID, `nowMs`). Given
/// versions and positions are kept and checked against `existing` (for appending to a store
/// that already has events; may be null): a gap, duplicate or disorder is an error.
/// Throws InvalidInput naming the file and the line number. Blank lines are skipped.
std::vector<RecordedEvent> parse(QIODevice& device, const QString& fileName, qint64 nowMs,
    const EventStore* existing = nullptr, const Progress& progress = {});

/// Imports a file into a store in one transaction: a file with an error imports nothing.
/// Returns the number of events imported.
qint64 importFile(const QString& path, EventStore& store, const Progress& progress = {});

/// Writes every event of the store in global order. Returns the number written.
qint64 exportFile(const EventStore& store, const QString& path, const Progress& progress = {});

} // namespace jsonlines
} // namespace chronoscope
