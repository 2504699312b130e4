#pragma once

// ui/base: what every feature folder of the window uses and none owns: the one way to run work
// off the GUI thread (this file) and the window's colours and text styles (style.h).

#include "base/errors.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

namespace chronoscope {

/// Handed to a job: true once the job's result would be dropped (a newer job started, reset()
/// was called or the tracker is going away), so a long job can stop at its next step.
class JobCancelled {
public:
    JobCancelled(std::shared_ptr<const std::atomic<quint64>> generation, quint64 mine)
        : m_generation(std::move(generation))
        , m_mine(mine)
    {
    }
    bool operator()() const { return m_generation->load(std::memory_order_acquire) != m_mine; }

private:
    std::shared_ptr<const std::atomic<quint64>> m_generation;
    quint64 m_mine;
};

/// What a job gave back: its value, or the text of the exception it threw (errorText()).
template<typename R> struct JobResult {
    std::optional<R> value;
    QString error;
    bool ok() const { return value.has_value(); }
};

/// Runs jobs on the global thread pool for one QObject (the context) and delivers each result
/// to a callback in the context's thread (in the spirit of KDAB hotspot's JobTracker).
///
/// - Every startJob() starts a new generation: the result of an older job is dropped (its
///   callback never runs), and its cancel check turns true. reset() does the same without
///   starting a job, e.g. when the store or the selection changes.
/// - The job gets a JobCancelled to poll; an exception it throws becomes JobResult::error.
/// - The job and the callback are destroyed in the context's thread after the callback (or
///   after a drop), so shared pointers they capture (a store, a TimeTravel) are released there:
///   Qt Sql connections must close in the thread that opened them.
/// - whenIdle, if set, runs in the context's thread each time a job ends, before its result is
///   delivered: a caller that folds requests (only the latest counts) starts the next one there.
/// - The destructor resets and waits until running jobs have returned: a job may keep using
///   what its owner owns until then. Jobs should therefore check their cancel flag.
///
/// Not thread-safe: use it from the context's thread only.
class JobTracker {
public:
    explicit JobTracker(QObject* context)
        : m_context(context)
    {
    }
    JobTracker(const JobTracker&) = delete;
    JobTracker& operator=(const JobTracker&) = delete;
    ~JobTracker()
    {
        reset();
        std::unique_lock lock(m_state->mutex);
        m_state->idle.wait(lock, [this] { return m_state->running == 0; });
    }

    /// Starts `job(JobCancelled)` on the pool; `then(JobResult<R>)` runs in the context's thread
    /// if no newer job was started and reset() was not called meanwhile.
    template<typename Job, typename Then> void startJob(Job&& job, Then&& then)
    {
        using R = std::decay_t<std::invoke_result_t<Job&, const JobCancelled&>>;
        const quint64 mine = m_state->generation.fetch_add(1, std::memory_order_acq_rel) + 1;
        {
            const std::lock_guard lock(m_state->mutex);
            ++m_state->running;
        }
        ++m_pending;
        auto state = m_state;
        QPointer<QObject> context(m_context);
        // Work and callback travel together and end in the context's thread.
        auto task = std::make_shared<Task<R>>(Task<R> {std::forward<Job>(job), std::forward<Then>(then)});
        QThreadPool::globalInstance()->start([state, context, mine, task = std::move(task), this]() mutable {
            auto result = std::make_shared<JobResult<R>>();
            const JobCancelled cancelled(
                std::shared_ptr<const std::atomic<quint64>>(state, &state->generation), mine);
            if (!cancelled()) {
                try {
                    result->value.emplace(task->work(cancelled));
                } catch (const std::exception& e) {
                    result->error = errorText(e);
                } catch (...) {
                    result->error = QStringLiteral("unknown error");
                }
            }
            auto deliver = [this, state, mine, task, result]() {
                --m_pending;
                if (m_whenIdle)
                    m_whenIdle();
                if (state->generation.load(std::memory_order_acquire) == mine)
                    task->then(std::move(*result));
            };
            if (context)
                QMetaObject::invokeMethod(context, std::move(deliver), Qt::QueuedConnection);
            task.reset();
            // Last: the destructor may return (and the tracker go) as soon as this is seen.
            const std::lock_guard lock(state->mutex);
            --state->running;
            state->idle.notify_all();
        });
    }

    /// Drops the results of every running job and turns their cancel checks true.
    void reset() { m_state->generation.fetch_add(1, std::memory_order_acq_rel); }

    /// True while a started job has not yet been handed back to the context's thread (even one
    /// whose result will be dropped).
    bool isJobRunning() const { return m_pending > 0; }

    /// Runs in the context's thread when a job ends, before its result is delivered.
    void setWhenIdle(std::function<void()> whenIdle) { m_whenIdle = std::move(whenIdle); }

private:
    template<typename R> struct Task {
        std::function<R(const JobCancelled&)> work;
        std::function<void(JobResult<R>)> then;
    };
    struct State {
        std::atomic<quint64> generation {0};
        std::mutex mutex;
        std::condition_variable idle;
        int running = 0;
    };

    QObject* m_context;
    std::shared_ptr<State> m_state = std::make_shared<State>();
    int m_pending = 0;
    std::function<void()> m_whenIdle;
};

} // namespace chronoscope
