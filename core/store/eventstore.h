#pragma once

// core/store: the event store: RecordedEvent, EventStore with streams, versions and expected
// versions, filters and stream infos, the in-memory store, opening any format (storefactory),
// making store files without races (storefiles), following what other programs append
// (storefollower); the SQLite and PostgreSQL stores are in sqlite/ and postgres/.

#include "base/errors.h"
#include "store/eventfilter.h"
#include "store/expectedversion.h"
#include "store/recordedevent.h"
#include "store/streaminfo.h"
#include "store/streamquery.h"

#include <QObject>

#include <memory>
#include <optional>
#include <vector>

namespace chronoscope {

/// Result of one append.
struct AppendResult {
    Position firstPosition; ///< position of the first appended event
    Position lastPosition;  ///< position of the last appended event
    Version version;        ///< stream version after the append
};

/// One stream's part of a multi-stream append.
struct AppendRequest {
    StreamId stream;
    ExpectedVersion expected = ExpectedVersion::any();
    std::vector<EventData> events;
};

/// An ordered log of events grouped into streams.
///
/// Every write is atomic: it writes everything or nothing. A failed expectation throws
/// WrongExpectedVersion, bad input throws InvalidInput, a write to a read-only store throws
/// ReadOnlyError. Implementations may be used from several threads (reads and writes are
/// serialised inside); the appended() signal is emitted in the writer's thread.
class AppendNotifier;

class EventStore : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~EventStore() override;

    /// Appends events to one stream in one transaction.
    virtual AppendResult append(
        const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected)
        = 0;

    /// Appends to several streams in one transaction: all requests succeed or none is written.
    virtual std::vector<AppendResult> appendMany(const std::vector<AppendRequest>& requests) = 0;

    /// Writes events that already have positions, versions, ids and timestamps (import,
    /// copy between stores). Positions must be increasing and beyond lastPosition(); each
    /// event's version must be its stream's current version + 1. One transaction.
    virtual void importRecorded(const std::vector<RecordedEvent>& events) = 0;

    /// Events of one stream. Forward: versions >= from (nullopt: from the first).
    /// Backward: versions <= from (nullopt: from the last). At most maxCount events.
    virtual std::vector<RecordedEvent> readStream(const StreamId& stream, std::optional<Version> from,
        qint64 maxCount, Direction direction = Direction::Forward) const = 0;

    /// Events of all streams in global order. Forward: positions >= from; backward:
    /// positions <= from (nullopt: from the start / the end). At most maxCount matching events.
    virtual std::vector<RecordedEvent> readAll(std::optional<Position> from, qint64 maxCount,
        const EventFilter& filter = {}, Direction direction = Direction::Forward) const = 0;

    /// The event at a global position, if any.
    virtual std::optional<RecordedEvent> readAt(Position position) const = 0;

    /// Streams whose id starts with prefix (all when empty), ordered by id.
    virtual std::vector<StreamInfo> streams(const QString& prefix = {}) const = 0;
    /// One page of the streams a query selects, in its order: the rows after `after` (nullopt:
    /// from the first), at most limit. The default filters and sorts streams(); SQL stores
    /// answer from their indexes (keyset paging).
    virtual std::vector<StreamInfo> streamPage(
        const StreamQuery& query, const std::optional<StreamInfo>& after, qint64 limit) const;
    /// Categories with their stream and event counts, by name, "" (no category) last. The
    /// default counts streams(); SQL stores keep the counts up to date on append.
    virtual std::vector<CategoryInfo> categories() const;
    /// One stream's info; nullopt when the stream has no events.
    virtual std::optional<StreamInfo> streamInfo(const StreamId& stream) const = 0;

    /// Totals; never scans all events.
    virtual StoreSummary summary() const = 0;
    /// Number of events per type, ordered by type.
    virtual std::vector<TypeCount> typeCounts() const = 0;

    bool isReadOnly() const { return summary().readOnly; }

    /// A notifier, for the calling thread, that wakes when a commit to the store is announced
    /// (see AppendNotifier); nullptr when the store announces none and has to be polled (the
    /// default; SQLite files, foreign stores). Throws StoreError when it cannot be set up.
    virtual std::unique_ptr<AppendNotifier> appendNotifier() const;

Q_SIGNALS:
    /// Emitted after a successful write, with the range of new global positions.
    void appended(chronoscope::Position first, chronoscope::Position last);
    /// Another program appended: the store now ends at `last`. Emitted by a StoreFollower
    /// (storefollower.h), never by a write of this object; it may repeat a range appended() told.
    /// Views and projections read on from what they show; the bus does not publish these (the
    /// program that wrote them did).
    void changedElsewhere(chronoscope::Position last);
};

} // namespace chronoscope
