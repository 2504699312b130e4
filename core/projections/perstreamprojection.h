#pragma once

// Per-stream projections: a read model of one state per stream, {streamId: state}, like
// EventStoreDB's foreachStream() partitions or Marten's live aggregations. A stream's state
// depends on its own events only, so any part of the read model can be folded from its streams
// when a view asks for it: a window need not hold every stream's state in memory.

#include "projections/projection.h"
#include "store/eventstore.h"

#include <optional>

namespace chronoscope {

/// A projection whose read model is {streamId: state of that stream}, in stream id order. A stream
/// gets a member with its first event the projection reads.
class PerStreamProjection : public Projection {
public:
    /// A stream's state before its first event.
    virtual nlohmann::json initialStreamState() const = 0;
    /// Updates a stream's state for one of its events; may throw anything derived from std::exception.
    virtual void evolveStream(nlohmann::json& state, const RecordedEvent& e) const = 0;
    /// A folder over the whole read model (every stream's state in memory).
    std::unique_ptr<ProjectionFolder> createFolder() const override;
};

/// Where a page of a per-stream read model sits (see ProjectionEngine::Options::pageSize).
struct ReadModelPage {
    qint64 offset = 0; ///< rows before this page
    qint64 rows = 0;   ///< rows on it
    qint64 total = -1; ///< rows of the whole read model; -1 when that needs every stream read
    bool hasPrevious = false;
    bool hasNext = false;
    QString first; ///< stream id of the first row (empty without rows)
    QString last;  ///< stream id of the last row
    bool operator==(const ReadModelPage&) const = default;
};

/// How a page moves.
enum class PageMove { First, Previous, Next, Stay };

/// One page of a per-stream read model folded from its streams.
struct StreamStatePage {
    nlohmann::json rows = nlohmann::json::object(); ///< {streamId: state}
    ReadModelPage page;
};

/// Folds the page of rows of `projection` that starts after stream id `after` (forward; nullopt:
/// from the first stream) or ends before `before` (when given: the page before it), at most
/// `limit` rows, as of position `asOf`: only events at or before it count, and a stream with no
/// such event it reads has no row. Streams are read in id order from the store's stream index,
/// so the cost is the page's events. Throws ProjectionError naming the event a state failed on.
/// The page's offset and total are left for the caller, which knows where the page started.
StreamStatePage foldStreamPage(const EventStore& store, const PerStreamProjection& projection,
    const std::optional<QString>& after, const std::optional<QString>& before, qint64 limit, Position asOf);

/// The state of one stream as of a position (null JSON when it has no event the projection reads by then).
nlohmann::json foldStream(
    const EventStore& store, const PerStreamProjection& projection, const StreamId& stream, Position asOf);

} // namespace chronoscope
