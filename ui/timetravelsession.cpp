#include "timetravelsession.h"

#include <QtConcurrent/QtConcurrentRun>

namespace chronoscope {

std::vector<PatchRow> patchRows(const nlohmann::json& from, const nlohmann::json& to)
{
    std::vector<PatchRow> rows;
    const auto patch = nlohmann::json::diff(from, to);
    rows.reserve(patch.size());
    const auto valueAt = [](const nlohmann::json& doc, const std::string& path) -> std::optional<nlohmann::json> {
        try {
            const nlohmann::json::json_pointer pointer(path);
            if (doc.contains(pointer))
                return doc.at(pointer);
        } catch (const nlohmann::json::exception&) {
        }
        return std::nullopt;
    };
    for (const auto& op : patch) {
        PatchRow row;
        row.op = QString::fromStdString(op.value("op", std::string()));
        const std::string path = op.value("path", std::string());
        row.path = QString::fromStdString(path);
        if (row.op != QStringLiteral("add"))
            row.oldValue = valueAt(from, path);
        if (row.op != QStringLiteral("remove"))
            row.newValue = op.contains("value") ? std::optional<nlohmann::json>(op["value"]) : valueAt(to, path);
        rows.push_back(std::move(row));
    }
    return rows;
}

TimeTravelSession::TimeTravelSession(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<StateAtVersion>();
}

TimeTravelSession::~TimeTravelSession()
{
    // Jobs use the TimeTravel and the store through raw pointers kept alive here.
    for (QFutureWatcherBase* job : std::as_const(m_jobs))
        job->waitForFinished();
}

void TimeTravelSession::setStore(std::shared_ptr<const EventStore> store)
{
    m_store = std::move(store);
    setStream(std::nullopt, nullptr);
}

void TimeTravelSession::setStream(const std::optional<StreamId>& stream, std::shared_ptr<const Reducer> reducer)
{
    m_stream = (m_store && reducer) ? stream : std::nullopt;
    m_reducer = m_stream ? std::move(reducer) : nullptr;
    m_skipped.clear();
    invalidate();
    Q_EMIT streamChanged();
}

void TimeTravelSession::setSkipped(const QSet<qint64>& versions)
{
    if (versions == m_skipped)
        return;
    m_skipped = versions;
    invalidate();
    Q_EMIT skippedChanged();
}

void TimeTravelSession::invalidate()
{
    // A fresh TimeTravel: jobs still running on the old one finish there and are dropped.
    ++m_generation;
    m_pendingState.reset();
    m_travel.reset();
    m_last = Version(0);
    if (!m_stream)
        return;
    m_travel = std::make_shared<TimeTravel>(*m_store, m_reducer, *m_stream);
    m_travel->setSkipped(m_skipped);
    m_last = m_travel->lastVersion();
}

template<typename R>
void TimeTravelSession::launch(std::function<R(TimeTravel&)> work,
                               std::function<void(quint64, const Outcome<R>&)> done)
{
    if (!m_travel)
        return;
    auto* watcher = new QFutureWatcher<Outcome<R>>(this);
    m_jobs.append(watcher);
    const quint64 generation = m_generation;
    TimeTravel* travel = m_travel.get();
    // The store and the TimeTravel stay alive (and are released) in this thread.
    auto keep = std::make_pair(m_store, m_travel);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, keep, done] {
        (void)keep;
        m_jobs.removeOne(watcher);
        const Outcome<R> outcome = watcher->result();
        watcher->deleteLater();
        done(generation, outcome);
    });
    watcher->setFuture(QtConcurrent::run([travel, work] {
        Outcome<R> outcome;
        try {
            outcome.value = work(*travel);
        } catch (const StoreError& error) {
            outcome.error = error.message();
        } catch (const std::exception& error) {
            outcome.error = QString::fromUtf8(error.what());
        }
        return outcome;
    }));
}

void TimeTravelSession::requestState(Version version)
{
    if (!m_travel)
        return;
    if (m_stateRunning)
        m_pendingState = version.value; // folded: only the latest one is computed
    else
        startState(version.value);
}

void TimeTravelSession::startState(qint64 version)
{
    m_stateRunning = true;
    const StreamId stream = *m_stream;
    const EventStore* store = m_store.get();
    launch<StateAtVersion>(
        [version, stream, store](TimeTravel& travel) {
            StateAtVersion result;
            result.version = version;
            result.state = travel.stateAt(Version(version));
            if (version > 0) {
                result.changes = patchRows(travel.stateAt(Version(version - 1)), result.state);
                const auto events = store->readStream(stream, Version(version), 1);
                if (!events.empty() && events.front().version == Version(version))
                    result.event = events.front();
            }
            return result;
        },
        [this](quint64 generation, const Outcome<StateAtVersion>& outcome) {
            m_stateRunning = false;
            const bool current = generation == m_generation;
            if (m_pendingState) {
                const qint64 next = *m_pendingState;
                m_pendingState.reset();
                startState(next);
            }
            if (!current || m_stateRunning)
                return; // stale, or a newer request is already running
            if (outcome.error.isEmpty())
                Q_EMIT stateReady(outcome.value);
            else
                Q_EMIT stateFailed(outcome.value.version, outcome.error);
        });
}

void TimeTravelSession::requestDiff(Version a, Version b)
{
    const quint64 request = ++m_diffRequest;
    launch<std::vector<PatchRow>>(
        [a, b](TimeTravel& travel) { return patchRows(travel.stateAt(a), travel.stateAt(b)); },
        [this, request, a, b](quint64 generation, const Outcome<std::vector<PatchRow>>& outcome) {
            if (generation != m_generation || request != m_diffRequest)
                return;
            if (outcome.error.isEmpty())
                Q_EMIT diffReady(a.value, b.value, outcome.value);
            else
                Q_EMIT diffFailed(outcome.error);
        });
}

void TimeTravelSession::requestFieldHistory(const QString& pointer)
{
    const quint64 request = ++m_historyRequest;
    launch<std::vector<FieldChange>>(
        [pointer](TimeTravel& travel) { return travel.fieldHistory(pointer); },
        [this, request, pointer](quint64 generation, const Outcome<std::vector<FieldChange>>& outcome) {
            if (generation != m_generation || request != m_historyRequest)
                return;
            if (outcome.error.isEmpty())
                Q_EMIT historyReady(pointer, outcome.value);
            else
                Q_EMIT historyFailed(pointer, outcome.error);
        });
}

void TimeTravelSession::requestVersionAt(qint64 timestampMs)
{
    launch<Version>([timestampMs](TimeTravel& travel) { return travel.versionAt(timestampMs); },
                    [this, timestampMs](quint64 generation, const Outcome<Version>& outcome) {
                        if (generation == m_generation && outcome.error.isEmpty())
                            Q_EMIT versionFound(timestampMs, outcome.value);
                    });
}

void TimeTravelSession::tryReducer(std::shared_ptr<const Reducer> reducer)
{
    if (!m_stream || !reducer)
        return;
    const quint64 request = ++m_reducerRequest;
    const EventStore* store = m_store.get();
    const StreamId stream = *m_stream;
    const QSet<qint64> skipped = m_skipped;
    const qint64 last = m_last.value;
    // The candidate replays the whole stream on a TimeTravel of its own.
    launch<bool>(
        [store, stream, reducer, skipped, last](TimeTravel&) {
            TimeTravel candidate(*store, reducer, stream);
            candidate.setSkipped(skipped);
            candidate.stateAt(Version(last));
            return true;
        },
        [this, request, reducer](quint64 generation, const Outcome<bool>& outcome) {
            if (generation != m_generation || request != m_reducerRequest)
                return;
            if (!outcome.error.isEmpty()) {
                Q_EMIT reducerRejected(outcome.error);
                return;
            }
            m_reducer = reducer;
            invalidate();
            Q_EMIT reducerAccepted(reducer->name());
        });
}

} // namespace chronoscope
