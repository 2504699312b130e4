#pragma once

#include "store/eventstore.h"

#include <QIODevice>

namespace chronoscope {

/// Files written by other tools that open as event stores (read-only, in memory) and import
/// into ours:
///
/// - **Redux DevTools exports** (`state.json`): the lifted state {actionsById, stagedActionIds,
///   computedStates, skippedActionIds, committedState, ...}, or the extension's export
///   {payload, preloadedState} where payload (and preloadedState) are JSON text of those. The
///   actions become one stream (default `redux`), in stagedActionIds order: event type =
///   action.type, data = the action without `type`, timestamp = the lifted action's
///   timestamp. metadata = {source: "redux-devtools", reduxActionId, skipped (when the action is
///   toggled off), reducerError (the computed state's error, when any)}. The initial state
///   (preloadedState, or the lifted state's committedState) becomes the stream's first event,
///   of type `@@PRELOADED_STATE`, so a reducer can start from it; without one, the first event
///   is the first action (usually `@@INIT`).
/// - **KurrentDB (EventStoreDB) projection fixtures**: a JSON array of
///   {eventType, streamId, data, metadata?, eventId?, created?, schemaVersion?}; positions
///   follow the array order and versions count per stream.
///
/// Event ids are derived from the file's content and the event's place in it, so opening the
/// same file twice gives the same ids. Errors name the file and the array index or action id.
namespace foreignimports {

enum class Kind {
    None, ///< neither
    ReduxDevTools,
    KurrentJson,
};

/// Looks at the start of the content (never the name). Reads from the device's current
/// position; the caller seeks back.
Kind detect(QIODevice& device);
QString kindName(Kind kind); ///< "redux-devtools", "kurrent-json"

struct Options {
    StreamId reduxStream = StreamId(QStringLiteral("redux")); ///< the stream Redux actions go to
    qint64 nowMs = 0;                                         ///< timestamp of events that carry none
    const EventStore* existing = nullptr; ///< positions and versions continue after this store's
};

/// Parses the whole content. Throws InvalidInput naming `fileName` and the place.
std::vector<RecordedEvent> parseRedux(
    const QByteArray& content, const QString& fileName, const Options& options);
std::vector<RecordedEvent> parseKurrent(
    const QByteArray& content, const QString& fileName, const Options& options);
/// Reads and parses a file of the given kind.
std::vector<RecordedEvent> parseFile(const QString& path, Kind kind, const Options& options);

/// Opens a file of the given kind as a read-only store in memory; throws OpenError.
std::unique_ptr<EventStore> openInMemory(const QString& path, Kind kind, const Options& options = {});

/// Imports a file into a store in one transaction; returns the number of events imported.
qint64 importFile(const QString& path, Kind kind, EventStore& store, Options options);

} // namespace foreignimports
} // namespace chronoscope
