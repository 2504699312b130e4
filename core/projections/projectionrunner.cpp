#include "projections/projectionrunner.h"

#include "base/errors.h"

#include <QThread>

namespace chronoscope {

/// Lives in the runner's thread and owns the engine there.
class ProjectionRunner::Worker : public QObject {
public:
    Worker(ProjectionRunner& runner, ProjectionEngine::Options options)
        : m_runner(runner)
        , m_options(options)
    {
    }

    void rebuild(quint64 generation)
    {
        if (cancelled(generation))
            return;
        m_generation = generation;
        m_following = true;
        run([&] { return engine().rebuild(progressFor(generation)); });
    }

    void catchUp()
    {
        if (!m_following || !m_engine || cancelled(m_generation))
            return;
        run([&] { return m_engine->catchUp(progressFor(m_generation)); });
    }

    void stop()
    {
        m_following = false;
        if (m_engine) {
            m_engine->setRunning(false);
            publish();
        }
    }

    void stateAsOf(Position p)
    {
        ProjectionQueryResult result {m_generation, p, p, {}, {}, {}, {}};
        try {
            result.state = engine().sharedStateAsOf(p);
            if (m_engine->isPaged())
                result.page = m_engine->pageAsOf();
        } catch (const std::exception& e) {
            result.error = errorText(e);
        }
        Q_EMIT m_runner.stateAtReady(result);
    }

    void movePage(PageMove move)
    {
        if (!m_engine || !m_engine->isPaged())
            return;
        try {
            m_engine->movePage(move);
        } catch (const std::exception& e) { // the store could not be read
            publish(ProjectionFault {errorText(e), {}, {}, {}, {}});
            return;
        }
        publish();
    }

    void steps(Position from, Position to, qint64 maxSteps)
    {
        ProjectionQueryResult result {m_generation, from, to, {}, {}, {}, {}};
        try {
            result.steps = engine().steps(from, to, maxSteps);
        } catch (const std::exception& e) {
            result.error = errorText(e);
        }
        Q_EMIT m_runner.stepsReady(result);
    }

private:
    ProjectionEngine& engine()
    {
        if (!m_engine)
            m_engine = std::make_unique<ProjectionEngine>(m_runner.m_store, m_runner.m_projection, m_options);
        return *m_engine;
    }

    bool cancelled(quint64 generation) const { return generation <= m_runner.m_cancelled.load(); }

    ProjectionEngine::Progress progressFor(quint64 generation)
    {
        return [this, generation](qint64 done, qint64 total) {
            Q_EMIT m_runner.progress(generation, done, total);
            return !cancelled(generation);
        };
    }

    template<typename Work> void run(Work work)
    {
        std::optional<ProjectionFault> failure;
        try {
            engine().setRunning(m_following);
            if (!work())
                stopAfterCancel();
        } catch (const std::exception& e) {
            failure = ProjectionFault {errorText(e), {}, {}, {}, {}};
        }
        publish(failure);
    }

    void stopAfterCancel()
    {
        m_following = false;
        m_engine->setRunning(false);
    }

    void publish(const std::optional<ProjectionFault>& failure = std::nullopt)
    {
        ProjectionReport s;
        s.generation = m_generation;
        s.name = m_runner.m_projection->name();
        std::optional<ProjectionFault> failed = failure;
        try {
            s.lastPosition = m_runner.m_store.summary().lastPosition;
        } catch (const std::exception& e) { // e.g. the database server went away
            if (!failed)
                failed = ProjectionFault {errorText(e), {}, {}, {}, {}};
        }
        if (m_engine) {
            s.checkpoint = m_engine->checkpoint();
            s.status = m_engine->status();
            s.fault = m_engine->fault();
            if (m_engine->isPaged())
                s.page = m_engine->page();
            try {
                s.state = m_engine->sharedState();
            } catch (const std::exception&) {
                s.state = std::make_shared<const nlohmann::json>(nullptr);
            }
        }
        if (failed) { // the projection could not run at all (its script failed to load, the store is gone)
            s.status = ProjectionStatus::Faulted;
            s.fault = failed;
            m_following = false;
        }
        Q_EMIT m_runner.updated(s);
    }

    ProjectionRunner& m_runner;
    ProjectionEngine::Options m_options;
    std::unique_ptr<ProjectionEngine> m_engine;
    quint64 m_generation = 0;
    bool m_following = false;
};

ProjectionRunner::ProjectionRunner(const EventStore& store, std::shared_ptr<const Projection> projection,
    ProjectionEngine::Options options, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_projection(std::move(projection))
    , m_thread(new QThread(this))
    , m_worker(new Worker(*this, options))
{
    qRegisterMetaType<ProjectionReport>();
    qRegisterMetaType<ProjectionQueryResult>();
    m_thread->setObjectName(QStringLiteral("projection %1").arg(m_projection->name()));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    Worker* worker = m_worker;
    connect(&m_store, &EventStore::appended, m_worker, [worker] { worker->catchUp(); });
    connect(&m_store, &EventStore::changedElsewhere, m_worker, [worker] { worker->catchUp(); });
    m_thread->start();
}

ProjectionRunner::~ProjectionRunner()
{
    cancel();
    m_thread->quit();
    m_thread->wait();
}

void ProjectionRunner::post(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_worker, std::move(work), Qt::QueuedConnection);
}

quint64 ProjectionRunner::start()
{
    const quint64 generation = ++m_generation;
    Worker* worker = m_worker;
    post([worker, generation] { worker->rebuild(generation); });
    return generation;
}

void ProjectionRunner::stop()
{
    Worker* worker = m_worker;
    post([worker] { worker->stop(); });
}

void ProjectionRunner::cancel()
{
    m_cancelled.store(m_generation.load());
}

void ProjectionRunner::requestStateAsOf(Position position)
{
    Worker* worker = m_worker;
    post([worker, position] { worker->stateAsOf(position); });
}

void ProjectionRunner::requestPage(PageMove move)
{
    Worker* worker = m_worker;
    post([worker, move] { worker->movePage(move); });
}

void ProjectionRunner::requestSteps(Position from, Position to, qint64 maxSteps)
{
    Worker* worker = m_worker;
    post([worker, from, to, maxSteps] { worker->steps(from, to, maxSteps); });
}

} // namespace chronoscope
