#pragma once

// core/projections: read models over the whole log: Projection and the built-in ones, the engine
// that folds them and answers "as of position" (projectionengine), JavaScript projections in the
// EventStoreDB style (jsprojection) and the runner that keeps them off the GUI thread.

// Projections: named folds over the whole log (or a category / stream / type selection) into a
// read model. A Projection is the definition; a ProjectionFolder holds one running state of it;
// ProjectionEngine (projectionengine.h) adds checkpoints, catch-up and state as of a position.

#include "base/errors.h"
#include "store/eventfilter.h"
#include "store/recordedevent.h"

#include <QStringList>

#include <memory>
#include <span>
#include <string>

namespace chronoscope {

/// Which events a projection reads.
struct ProjectionSource {
    enum class Kind { All, Category, Streams };
    Kind kind = Kind::All;
    QString category;    ///< Kind::Category: StreamId::category() equals this
    QStringList streams; ///< Kind::Streams: exact stream ids
    QStringList types;   ///< when not empty: only these event types (any kind)

    static ProjectionSource all() { return {}; }
    static ProjectionSource fromCategory(const QString& category);
    static ProjectionSource fromStreams(const QStringList& streams);

    /// A filter for EventStore::readAll that lets through at least the matching events.
    EventFilter readFilter() const;
    /// True when the projection reads this event.
    bool matches(const RecordedEvent& e) const;
    /// "all", "category 'cart'", "streams 'a', 'b'" (+ " of types ...").
    QString describe() const;
};

/// The event a projection failed on, and why.
struct ProjectionFault {
    QString reason; ///< what went wrong, e.g. "items.js:12: TypeError: ..."
    Position position;
    StreamId stream;
    Version version;
    QString type;

    /// "REASON at position P (stream 'S' version V, type 'T')".
    QString message() const;
};

/// A projection could not apply an event. Names the event (position, stream, version, type)
/// and, for scripts, the file and line.
class ProjectionError : public StoreError {
public:
    explicit ProjectionError(ProjectionFault fault);
    ProjectionError(const RecordedEvent& event, const QString& reason);
    const ProjectionFault& fault() const { return m_fault; }

private:
    ProjectionFault m_fault;
};

/// One running state of a projection. Not thread-safe; a folder of a script projection must
/// be used in the thread that created it.
class ProjectionFolder {
public:
    virtual ~ProjectionFolder() = default;
    /// Back to the initial state.
    virtual void reset() = 0;
    /// Applies events (all matching the projection's source) in order. On failure throws
    /// ProjectionError naming the event; the state is then unspecified (reset or load it).
    virtual void apply(std::span<const RecordedEvent> events) = 0;
    /// The read model as JSON text / as a value.
    virtual std::string stateText() = 0;
    virtual nlohmann::json state() { return nlohmann::json::parse(stateText()); }
    /// The read model as a value nobody changes, for views on other threads. A folder that keeps
    /// its state as JSON hands out the state itself and copies it only when it next changes while
    /// the value is still held (copy on write), so a caught-up read model is in memory once.
    virtual std::shared_ptr<const nlohmann::json> sharedState()
    {
        return std::make_shared<const nlohmann::json>(state());
    }
    /// Replaces the state with one produced by stateText() of a folder of the same projection.
    virtual void loadText(const std::string& text) = 0;
};

/// A projection's definition: name, source, and how to make a folder.
class Projection {
public:
    virtual ~Projection() = default;
    /// Short name shown to the user, e.g. "events-by-type" or "items.js".
    virtual QString name() const = 0;
    /// One sentence on what the read model holds.
    virtual QString description() const = 0;
    virtual ProjectionSource source() const = 0;
    /// A folder in its initial state, for use in the calling thread.
    virtual std::unique_ptr<ProjectionFolder> createFolder() const = 0;
};

/// A folder over a nlohmann::json state, for projections written in C++.
class JsonFolder : public ProjectionFolder {
public:
    void reset() override { m_state = std::make_shared<nlohmann::json>(initialState()); }
    void apply(std::span<const RecordedEvent> events) override;
    std::string stateText() override { return m_state->dump(); }
    nlohmann::json state() override { return *m_state; }
    std::shared_ptr<const nlohmann::json> sharedState() override { return m_state; }
    void loadText(const std::string& text) override
    {
        m_state = std::make_shared<nlohmann::json>(nlohmann::json::parse(text));
    }

protected:
    virtual nlohmann::json initialState() const = 0;
    /// Updates the state for one event; may throw anything derived from std::exception.
    virtual void evolve(nlohmann::json& state, const RecordedEvent& e) const = 0;

private:
    /// The state to change: a copy when a value handed out by sharedState() is still held.
    nlohmann::json& writable();
    std::shared_ptr<nlohmann::json> m_state = std::make_shared<nlohmann::json>();
};

/// Names of the built-in projections, e.g. "events-by-type" (see builtinProjection()).
QStringList builtinProjectionNames();
/// A built-in projection by name; throws InvalidInput listing the known names.
std::shared_ptr<const Projection> builtinProjection(const QString& name);

} // namespace chronoscope
