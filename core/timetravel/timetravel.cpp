#include "timetravel/timetravel.h"

#include "json/jsonmemory.h"

#include <algorithm>

namespace chronoscope {

namespace {
constexpr qint64 kPage = 1024;      // events read from the store per query
constexpr qint64 kMinInterval = 64; // smallest K
constexpr qint64 kMaxInterval = 1 << 20;
} // namespace

TimeTravel::TimeTravel(
    const EventStore& store, std::shared_ptr<const Reducer> reducer, StreamId stream, Options options)
    : m_store(store)
    , m_reducer(std::move(reducer))
    , m_stream(std::move(stream))
    , m_options(options)
{
    if (m_options.snapshotEvery > 0)
        m_interval = m_options.snapshotEvery;
    refresh();
}

Version TimeTravel::lastVersion() const
{
    return Version(m_last.load());
}

void TimeTravel::refresh()
{
    const auto info = m_store.streamInfo(m_stream);
    m_last.store(info ? info->version.value : 0);
}

void TimeTravel::checkVersion(Version v) const
{
    if (v.value < 0)
        throw InvalidInput(
            QStringLiteral("stream '%1': version %2 is negative").arg(m_stream.toString()).arg(v.value));
    const qint64 last = m_last.load();
    if (v.value > last)
        throw InvalidInput(QStringLiteral("stream '%1': version %2 is beyond the stream's last version %3")
                               .arg(m_stream.toString())
                               .arg(v.value)
                               .arg(last));
}

nlohmann::json TimeTravel::stateAt(Version v)
{
    QMutexLocker locker(&m_mutex);
    return stateAtLocked(v);
}

void TimeTravel::prepare(const Progress& progress)
{
    QMutexLocker locker(&m_mutex);
    stateAtLocked(lastVersion(), progress);
}

nlohmann::json TimeTravel::stateAtLocked(Version target, const Progress& progress)
{
    checkVersion(target);
    // Start from the closest known state at or before the target.
    qint64 version = 0;
    nlohmann::json state;
    bool haveState = false;
    auto snap = m_snapshots.upper_bound(target.value);
    if (snap != m_snapshots.begin()) {
        --snap;
        version = snap->first;
        snap->second.lastUse = ++m_clock;
        haveState = true;
    }
    if (m_cursor && m_cursor->first <= target.value && m_cursor->first >= version) {
        version = m_cursor->first;
        state = m_cursor->second;
    } else if (haveState) {
        state = snap->second.state;
    } else {
        state = m_reducer->initialState(m_stream);
    }

    std::vector<RecordedEvent> segment;
    while (version < target.value) {
        auto events
            = m_store.readStream(m_stream, Version(version + 1), std::min(kPage, target.value - version));
        if (events.empty())
            break;
        qint64 bucket = version / m_interval;
        bool done = false;
        for (auto& e : events) {
            if (e.version > target) {
                done = true;
                break;
            }
            const qint64 v = e.version.value;
            const bool crosses = v / m_interval != bucket;
            if (!m_skipped.contains(v))
                segment.push_back(std::move(e));
            if (crosses) {
                // The first event of a new bucket: fold up to it and keep a snapshot there.
                state = m_reducer->fold(std::move(state), segment);
                segment.clear();
                addSnapshot(v, state);
                bucket = v / m_interval;
            }
            version = v;
        }
        state = m_reducer->fold(std::move(state), segment);
        segment.clear();
        if (progress && !progress(version, target.value))
            break;
        if (done)
            break;
    }
    m_cursor.emplace(target.value, state);
    return state;
}

void TimeTravel::addSnapshot(qint64 version, const nlohmann::json& state)
{
    if (m_snapshots.count(version))
        return;
    const std::size_t bytes = jsonMemoryBytes(state) + 64; // + the map node holding the snapshot
    m_snapshots[version] = Snapshot {state, bytes, ++m_clock};
    m_bytes += bytes;
    adaptInterval(bytes);
    while (m_bytes > m_options.memoryBudget && m_snapshots.size() > 1) {
        auto lru = std::min_element(m_snapshots.begin(), m_snapshots.end(),
            [](const auto& a, const auto& b) { return a.second.lastUse < b.second.lastUse; });
        m_bytes -= lru->second.bytes;
        m_snapshots.erase(lru);
    }
}

void TimeTravel::adaptInterval(std::size_t stateBytes)
{
    const qint64 last = m_last.load();
    if (m_options.snapshotEvery > 0 || last <= 0)
        return;
    // Choose K so that a snapshot every K versions of the whole stream fits in the budget.
    const double snapshotsAllowed = std::max(1.0, double(m_options.memoryBudget) / double(stateBytes));
    qint64 wanted = qint64(double(last) / snapshotsAllowed) + 1;
    wanted = std::clamp(wanted, kMinInterval, kMaxInterval);
    if (wanted <= m_interval)
        return;
    // Grow K in powers of two and drop the snapshots that are off the new grid.
    while (m_interval < wanted)
        m_interval *= 2;
    for (auto it = m_snapshots.begin(); it != m_snapshots.end();) {
        const auto prev = it == m_snapshots.begin() ? 0 : std::prev(it)->first;
        if (prev / m_interval == it->first / m_interval && it != m_snapshots.begin()) {
            m_bytes -= it->second.bytes;
            it = m_snapshots.erase(it);
        } else {
            ++it;
        }
    }
}

Version TimeTravel::versionAt(qint64 atMs) const
{
    Version found(0);
    std::optional<Version> from;
    for (;;) {
        const auto events = m_store.readStream(m_stream, from, kPage);
        for (const auto& e : events) {
            if (e.timestampMs > atMs)
                return found;
            found = e.version;
        }
        if (qint64(events.size()) < kPage)
            return found;
        from = Version(events.back().version.value + 1);
    }
}

nlohmann::json TimeTravel::diff(Version from, Version to)
{
    QMutexLocker locker(&m_mutex);
    const auto a = stateAtLocked(from);
    const auto b = stateAtLocked(to);
    return nlohmann::json::diff(a, b);
}

std::vector<FieldChange> TimeTravel::fieldHistory(const QString& pointerText, const Progress& progress)
{
    nlohmann::json::json_pointer pointer;
    try {
        pointer = nlohmann::json::json_pointer(pointerText.toStdString());
    } catch (const nlohmann::json::exception& e) {
        throw InvalidInput(QStringLiteral("'%1' is not a JSON Pointer (RFC 6901): %2")
                               .arg(pointerText, QString::fromUtf8(e.what())));
    }
    QMutexLocker locker(&m_mutex);
    const auto valueAt = [&](const nlohmann::json& state) -> std::optional<nlohmann::json> {
        if (state.contains(pointer))
            return state.at(pointer);
        return std::nullopt;
    };
    std::vector<FieldChange> changes;
    auto state = m_reducer->initialState(m_stream);
    auto current = valueAt(state);
    bool everExists = current.has_value();
    std::optional<Version> from;
    for (;;) {
        const auto events = m_store.readStream(m_stream, from, kPage);
        for (const auto& e : events) {
            if (m_skipped.contains(e.version.value))
                continue;
            state = m_reducer->evolve(std::move(state), e);
            auto next = valueAt(state);
            everExists = everExists || next.has_value();
            if (next != current)
                changes.push_back(FieldChange {e.version, e.position, e.type, e.timestampMs, current, next});
            current = std::move(next);
        }
        if (progress && !events.empty() && !progress(events.back().version.value, m_last.load()))
            break;
        if (qint64(events.size()) < kPage)
            break;
        from = Version(events.back().version.value + 1);
    }
    if (!everExists)
        throw InvalidInput(QStringLiteral("stream '%1': the path '%2' exists at no version of the state")
                               .arg(m_stream.toString(), pointerText));
    return changes;
}

void TimeTravel::setSkipped(const QSet<qint64>& versions)
{
    QMutexLocker locker(&m_mutex);
    if (versions == m_skipped)
        return;
    m_skipped = versions;
    m_snapshots.clear();
    m_bytes = 0;
    m_cursor.reset();
}

QSet<qint64> TimeTravel::skipped() const
{
    QMutexLocker locker(&m_mutex);
    return m_skipped;
}

qint64 TimeTravel::snapshotInterval() const
{
    QMutexLocker locker(&m_mutex);
    return m_interval;
}

qint64 TimeTravel::snapshotCount() const
{
    QMutexLocker locker(&m_mutex);
    return qint64(m_snapshots.size());
}

std::size_t TimeTravel::snapshotBytes() const
{
    QMutexLocker locker(&m_mutex);
    return m_bytes;
}

} // namespace chronoscope
