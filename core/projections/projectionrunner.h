#pragma once

#include "projections/projectionengine.h"

#include <QObject>

#include <atomic>
#include <memory>

class QThread;

namespace chronoscope {

/// A projection's status and read model at one moment; crosses threads as a value.
struct ProjectionReport {
    quint64 generation = 0; ///< of the rebuild that produced it
    QString name;
    ProjectionStatus status = ProjectionStatus::Stopped;
    Position checkpoint;
    Position lastPosition; ///< of the store when the report was made
    /// The read model, shared so that a queued signal and the views copy a pointer, not a
    /// read model of many megabytes; null only when the projection has no engine.
    std::shared_ptr<const nlohmann::json> state;
    std::optional<ProjectionFault> fault;
    /// Set when the read model is kept a page at a time: where `state` sits in it.
    std::optional<ReadModelPage> page;
};

/// The answer to ProjectionRunner::requestStateAsOf() or requestSteps().
struct ProjectionQueryResult {
    quint64 generation = 0;
    Position from; ///< the position asked for (stateAsOf) or the range start
    Position to;
    std::shared_ptr<const nlohmann::json> state; ///< stateAsOf: the read model as of `from` (shared)
    std::vector<ProjectionStep> steps;           ///< steps: one per matching event
    QString error;                               ///< empty on success
    std::optional<ReadModelPage> page;           ///< stateAsOf of a paged read model: where `state` sits
};

/// Runs a projection on its own worker thread (which owns the projection's engine, e.g. its
/// QJSEngine): rebuilds it, then follows the store's appended() signal while running.
/// Requests are answered by signals carrying values and the generation of the rebuild they
/// belong to, so a receiver can drop stale answers. The store must outlive the runner.
class ProjectionRunner : public QObject {
    Q_OBJECT
public:
    ProjectionRunner(const EventStore& store, std::shared_ptr<const Projection> projection,
        ProjectionEngine::Options options = {}, QObject* parent = nullptr);
    /// Cancels the work under way and waits for the worker thread to end.
    ~ProjectionRunner() override;

    const Projection& projection() const { return *m_projection; }
    /// The generation of the latest rebuild asked for.
    quint64 generation() const { return m_generation.load(); }

    /// Rebuilds from position 1, then follows appends (status running). Returns the generation.
    quint64 start();
    /// Stops following appends (status stopped); the read model stays.
    void stop();
    /// Cancels a rebuild or catch-up under way; the projection stops where it got to.
    void cancel();
    /// Asks for the read model as of a global position; answered by stateAtReady().
    void requestStateAsOf(Position position);
    /// A paged read model (Options::pageSize): shows another page; answered by updated().
    void requestPage(PageMove move);
    /// Asks for the steps in [from, to]; answered by stepsReady().
    void requestSteps(Position from, Position to, qint64 maxSteps = 1000);

Q_SIGNALS:
    /// Processing reached `done` of `total` positions.
    void progress(quint64 generation, qint64 done, qint64 total);
    /// After a rebuild, a catch-up, a stop, a fault or a cancel.
    void updated(const chronoscope::ProjectionReport& report);
    void stateAtReady(const chronoscope::ProjectionQueryResult& result);
    void stepsReady(const chronoscope::ProjectionQueryResult& result);

private:
    class Worker;
    void post(std::function<void()> work);

    const EventStore& m_store;
    std::shared_ptr<const Projection> m_projection;
    std::atomic<quint64> m_generation {0};
    std::atomic<quint64> m_cancelled {0}; // work of generations <= this stops
    QThread* m_thread = nullptr;
    Worker* m_worker = nullptr; // lives in m_thread
};

} // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::ProjectionReport)
Q_DECLARE_METATYPE(chronoscope::ProjectionQueryResult)
