#include "timetravel/timetravelsession.h"

#include <utility>

namespace chronoscope {

std::vector<PatchRow> patchRows(const nlohmann::json& from, const nlohmann::json& to)
{
    std::vector<PatchRow> rows;
    const auto patch = nlohmann::json::diff(from, to);
    rows.reserve(patch.size());
    const auto valueAt
        = [](const nlohmann::json& doc, const std::string& path) -> std::optional<nlohmann::json> {
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
            row.newValue
                = op.contains("value") ? std::optional<nlohmann::json>(op["value"]) : valueAt(to, path);
        rows.push_back(std::move(row));
    }
    return rows;
}

TimeTravelSession::TimeTravelSession(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<StateAtVersion>();
    // Requests for the state fold: while one runs, only the latest one asked for is kept.
    m_stateJobs.setWhenIdle([this] {
        if (m_pendingState)
            startState(*std::exchange(m_pendingState, std::nullopt));
    });
}

TimeTravelSession::~TimeTravelSession() = default;

void TimeTravelSession::setStore(std::shared_ptr<const EventStore> store)
{
    m_store = std::move(store);
    setStream(std::nullopt, nullptr);
}

void TimeTravelSession::setStream(
    const std::optional<StreamId>& stream, std::shared_ptr<const Reducer> reducer)
{
    m_stream = (m_store && reducer) ? stream : std::nullopt;
    m_reducer = m_stream ? std::move(reducer) : nullptr;
    m_skipped.clear();
    invalidate();
    Q_EMIT streamChanged();
}

bool TimeTravelSession::refreshEnd()
{
    if (!m_travel)
        return false;
    const Version before = m_last;
    m_travel->refresh();
    const Version last = m_travel->lastVersion();
    if (last == before)
        return false;
    if (last < before) {
        // Shorter than it was (the store was rewritten under it): the snapshots and the last
        // state computed belong to events that are gone, so the replay starts afresh.
        invalidate();
    } else {
        m_last = last;
    }
    Q_EMIT lastVersionChanged(before);
    return true;
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
    for (JobTracker* jobs : {&m_stateJobs, &m_diffJobs, &m_historyJobs, &m_versionJobs, &m_reducerJobs})
        jobs->reset();
    m_pendingState.reset();
    m_travel.reset();
    m_last = Version(0);
    if (!m_stream)
        return;
    m_travel = std::make_shared<TimeTravel>(*m_store, m_reducer, *m_stream);
    m_travel->setSkipped(m_skipped);
    m_last = m_travel->lastVersion();
}

void TimeTravelSession::requestState(Version version)
{
    if (!m_travel)
        return;
    if (m_stateJobs.isJobRunning())
        m_pendingState = version.value; // folded: only the latest one is computed
    else
        startState(version.value);
}

bool TimeTravelSession::isBusy() const
{
    return m_stateJobs.isJobRunning();
}

void TimeTravelSession::startState(qint64 version)
{
    if (!m_travel)
        return;
    // The jobs hold the store and the TimeTravel; the tracker releases them in this thread.
    m_stateJobs.startJob(
        [version, stream = *m_stream, store = m_store, travel = m_travel](const JobCancelled&) {
            StateAtVersion result;
            result.version = version;
            try {
                result.state = travel->stateAt(Version(version));
                if (version > 0)
                    result.changes = patchRows(travel->stateAt(Version(version - 1)), result.state);
            } catch (const ReducerError& e) {
                // What the person can do about it, in the window.
                throw StoreError(QStringLiteral("%1. Untick v%2 in the event table to replay without it "
                                                "(what-if), or choose another reducer in the Reducer panel.")
                                     .arg(e.message())
                                     .arg(e.version().value));
            }
            if (version > 0) {
                const auto events = store->readStream(stream, Version(version), 1);
                if (!events.empty() && events.front().version == Version(version))
                    result.event = events.front();
            }
            return result;
        },
        [this, version](JobResult<StateAtVersion> outcome) {
            if (outcome.ok())
                Q_EMIT stateReady(*outcome.value);
            else
                Q_EMIT stateFailed(version, outcome.error);
        });
}

void TimeTravelSession::requestDiff(Version a, Version b)
{
    if (!m_travel)
        return;
    m_diffJobs.startJob(
        [a, b, store = m_store, travel = m_travel](
            const JobCancelled&) { return patchRows(travel->stateAt(a), travel->stateAt(b)); },
        [this, a, b](JobResult<std::vector<PatchRow>> outcome) {
            if (outcome.ok())
                Q_EMIT diffReady(a.value, b.value, *outcome.value);
            else
                Q_EMIT diffFailed(outcome.error);
        });
}

void TimeTravelSession::requestFieldHistory(const QString& pointer)
{
    if (!m_travel)
        return;
    m_historyJobs.startJob([pointer, store = m_store, travel = m_travel](
                               const JobCancelled&) { return travel->fieldHistory(pointer); },
        [this, pointer](JobResult<std::vector<FieldChange>> outcome) {
            if (outcome.ok())
                Q_EMIT historyReady(pointer, *outcome.value);
            else
                Q_EMIT historyFailed(pointer, outcome.error);
        });
}

void TimeTravelSession::requestVersionAt(qint64 timestampMs)
{
    if (!m_travel)
        return;
    m_versionJobs.startJob([timestampMs, store = m_store, travel = m_travel](
                               const JobCancelled&) { return travel->versionAt(timestampMs); },
        [this, timestampMs](JobResult<Version> outcome) {
            if (outcome.ok())
                Q_EMIT versionFound(timestampMs, *outcome.value);
        });
}

void TimeTravelSession::tryReducer(std::shared_ptr<const Reducer> reducer)
{
    if (!m_stream || !reducer)
        return;
    // The candidate replays the whole stream on a TimeTravel of its own.
    m_reducerJobs.startJob(
        [store = m_store, stream = *m_stream, reducer, skipped = m_skipped, last = m_last](
            const JobCancelled&) {
            TimeTravel candidate(*store, reducer, stream);
            candidate.setSkipped(skipped);
            candidate.stateAt(last);
            return true;
        },
        [this, reducer](JobResult<bool> outcome) {
            if (!outcome.ok()) {
                Q_EMIT reducerRejected(outcome.error);
                return;
            }
            m_reducer = reducer;
            invalidate();
            Q_EMIT reducerAccepted(reducer->name());
        });
}

} // namespace chronoscope
