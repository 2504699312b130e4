#pragma once

#include "projections/perstreamprojection.h"
#include "projections/projection.h"
#include "store/eventstore.h"

#include <functional>
#include <map>
#include <optional>

namespace chronoscope {

enum class ProjectionStatus { Stopped, Running, Faulted };
/// "stopped", "running", "faulted".
QString statusName(ProjectionStatus status);

/// One event of ProjectionEngine::steps(): the read model before and after it.
struct ProjectionStep {
    Position position;
    StreamId stream;
    Version version;
    QString type;
    nlohmann::json before;
    nlohmann::json after; ///< equals before when the event failed
    qint64 elapsedNs = 0; ///< time the projection took for this event
    QString error;        ///< empty unless the projection failed on this event
};

/// A projection running over one store: its read model, checkpoint (last global position
/// processed), status and fault, rebuild, catch-up, and the read model as of any position.
///
/// While processing it takes a snapshot (the state as JSON text) every K positions, as TimeTravel
/// does for one stream; K grows with the state's size (so snapshots cost a few bytes per event)
/// and doubles when the snapshots pass the memory budget (every other one is dropped), so memory stays
/// bounded and stateAsOf(p) replays at most about K positions. Not thread-safe: use it from one thread (a
/// script projection's engine belongs to the thread that first used it).
class ProjectionEngine {
public:
    struct Options {
        qint64 snapshotEvery = 1000;          ///< smallest K, in positions
        std::size_t memoryBudget = 64u << 20; ///< bytes of snapshots kept at most
        qint64 batchSize = 1000;              ///< events read and applied per step
        /// Per-stream projections (PerStreamProjection): when > 0, the engine keeps one page of this
        /// many rows of the read model instead of the whole of it, folded from the page's streams
        /// when the page, the checkpoint or the position asked for changes (movePage()); 0 folds
        /// the whole read model as for any projection.
        qint64 pageSize = 0;
    };
    /// Progress: position reached, last position; return false to cancel.
    using Progress = std::function<bool(qint64 done, qint64 total)>;

    ProjectionEngine(const EventStore& store, std::shared_ptr<const Projection> projection, Options options);
    ProjectionEngine(const EventStore& store, std::shared_ptr<const Projection> projection)
        : ProjectionEngine(store, std::move(projection), Options {})
    {
    }
    ~ProjectionEngine();

    const Projection& projection() const { return *m_projection; }
    /// The read model after every event up to checkpoint().
    nlohmann::json state();
    /// The same without a copy, for another thread to read (see ProjectionFolder::sharedState).
    std::shared_ptr<const nlohmann::json> sharedState();
    Position checkpoint() const { return m_checkpoint; }
    ProjectionStatus status() const;
    /// The failure that stopped the projection (status faulted).
    const std::optional<ProjectionFault>& fault() const { return m_fault; }

    /// Marks the projection running (it follows appends) or stopped; a faulted one stays faulted.
    void setRunning(bool running) { m_running = running; }

    /// Forgets everything and processes the log from position 1 (up to `until` when given).
    /// Returns false when cancelled by progress. A failing event faults the projection: the
    /// state and checkpoint stay just before it; no exception is thrown.
    bool rebuild(const Progress& progress = {}, std::optional<Position> until = std::nullopt);
    /// Processes events after the checkpoint (up to `until`). Does nothing when faulted.
    bool catchUp(const Progress& progress = {}, std::optional<Position> until = std::nullopt);

    /// The read model after every event with position <= p (0: the initial state), cheaply
    /// from the nearest snapshot (or from the last state asked for, when that is nearer).
    /// Throws InvalidInput for a position outside [0, last position] and ProjectionError when
    /// the projection fails on the way.
    nlohmann::json stateAsOf(Position p);
    /// The same without a copy of the state computed.
    std::shared_ptr<const nlohmann::json> sharedStateAsOf(Position p);

    /// Each matching event with position in [from, to] (at most maxSteps), with the read model
    /// before and after it and the time it took. Stops after the first failing event.
    std::vector<ProjectionStep> steps(Position from, Position to, qint64 maxSteps = 1000);

    /// True when the read model is kept a page at a time (see Options::pageSize).
    bool isPaged() const { return m_perStream && m_options.pageSize > 0; }
    /// Paged: where the page of state() sits.
    const ReadModelPage& page() const { return m_page; }
    /// Paged: where the page of the last stateAsOf() answer sits.
    const ReadModelPage& pageAsOf() const { return m_pageAsOf; }
    /// Paged: shows the first, previous or next page (Stay folds the same page again). A failing
    /// stream faults the projection until a page folds without failing. No-op when not paged.
    void movePage(PageMove move);

    qint64 snapshotInterval() const { return m_interval; }
    qint64 snapshotCount() const { return qint64(m_snapshots.size()); }
    std::size_t snapshotBytes() const { return m_snapshotBytes; }

private:
    ProjectionFolder& mainFolder();
    ProjectionFolder& scratchFolder();
    /// Loads into `folder` the state as of `p` from the nearest snapshot; returns its position.
    Position loadNearest(ProjectionFolder& folder, Position p);
    /// Applies events in (from, to] to `folder`; takes snapshots when `snapshots`. Throws ProjectionError.
    bool process(
        ProjectionFolder& folder, Position from, Position to, bool snapshots, const Progress& progress);
    void takeSnapshot(ProjectionFolder& folder, Position at);
    Position lastPosition() const;
    /// Paged: folds the page at the anchor as of a position.
    StreamStatePage foldPage(Position asOf) const;
    /// Paged: folds the live page again, or records the fault that stopped it.
    void refoldPage();
    /// Paged: per-stream steps (each event with its stream's state before and after it), for a
    /// range steps() has clamped to the log.
    std::vector<ProjectionStep> streamSteps(Position from, Position to, qint64 maxSteps);
    /// Reads the events in [from, to] a batch at a time and calls `visit` with each one the
    /// projection reads, until it returns false.
    void forEachMatching(
        Position from, Position to, const std::function<bool(const RecordedEvent&)>& visit) const;

    const EventStore& m_store;
    std::shared_ptr<const Projection> m_projection;
    ProjectionSource m_source;
    EventFilter m_filter;
    Options m_options;
    std::unique_ptr<ProjectionFolder> m_main;
    std::unique_ptr<ProjectionFolder> m_scratch;
    Position m_checkpoint;
    bool m_running = false;
    std::optional<ProjectionFault> m_fault;
    std::map<qint64, std::string> m_snapshots; // position -> state text after it
    /// The position the scratch folder's state is as of, when it holds a complete one: a
    /// later stateAsOf() goes on from there when that is nearer than any snapshot (dragging
    /// the global slider forward replays only what it passed over).
    std::optional<Position> m_scratchAt;
    std::size_t m_snapshotBytes = 0;
    qint64 m_interval = 0;
    qint64 m_nextSnapshot = 0;

    // Paged per-stream read models: the page is anchored after (forward) or before (backward) a
    // stream id, so folding it again (new events, another position) gives the same rows.
    const PerStreamProjection* m_perStream = nullptr;
    struct Anchor {
        std::optional<QString> after;  ///< forward: rows after this id (nullopt: the first rows)
        std::optional<QString> before; ///< backward: the rows just before this id
        qint64 offset = 0;             ///< rows before the page
    } m_anchor;
    ReadModelPage m_page;
    ReadModelPage m_pageAsOf;
    std::shared_ptr<const nlohmann::json> m_pageRows
        = std::make_shared<const nlohmann::json>(nlohmann::json::object());
};

} // namespace chronoscope
