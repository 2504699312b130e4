#pragma once

// core/timetravel: one stream's state at any version or time, with snapshots so a jump replays
// little, diffs and a field's history (timetravel), and what-if branches (branch).

#include "replay/reducer.h"
#include "store/eventstore.h"

#include <QMutex>
#include <QSet>

#include <atomic>
#include <functional>
#include <map>
#include <memory>

namespace chronoscope {

/// One change of a field, found by TimeTravel::fieldHistory.
struct FieldChange {
    Version version;
    Position position;
    QString type;
    qint64 timestampMs = 0;
    std::optional<nlohmann::json> oldValue; ///< nullopt: the field did not exist before
    std::optional<nlohmann::json> newValue; ///< nullopt: the event removed the field
};

/// The state of one stream at any version, with snapshots so a jump costs a bounded replay.
///
/// Snapshots are taken every K versions while replaying. K adapts to the state's size so all
/// snapshots of the stream fit the memory budget; past the budget the least recently used
/// snapshot is dropped. Version N means "every event whose version is <= N" (foreign stores
/// may skip numbers). Thread-safe: calls are serialised.
class TimeTravel {
public:
    struct Options {
        qint64 snapshotEvery = 0;             ///< K; 0 chooses it from the budget
        std::size_t memoryBudget = 64u << 20; ///< bytes of snapshots kept at most
    };
    using Progress = std::function<bool(qint64 done, qint64 total)>;

    TimeTravel(
        const EventStore& store, std::shared_ptr<const Reducer> reducer, StreamId stream, Options options);
    TimeTravel(const EventStore& store, std::shared_ptr<const Reducer> reducer, StreamId stream)
        : TimeTravel(store, std::move(reducer), std::move(stream), Options {})
    {
    }

    const StreamId& stream() const { return m_stream; }
    const Reducer& reducer() const { return *m_reducer; }
    /// Last version of the stream as of construction or the last refresh().
    Version lastVersion() const;
    /// Re-reads the stream's end after new events were appended.
    void refresh();

    /// State after every event with version <= v. Throws InvalidInput when v is negative or
    /// beyond the last version; a reducer error propagates (it names stream, version, type).
    nlohmann::json stateAt(Version v);
    /// The version in force at a time: the last event with timestamp <= atMs (0: before any).
    Version versionAt(qint64 atMs) const;
    nlohmann::json stateAtTime(qint64 atMs) { return stateAt(versionAt(atMs)); }

    /// RFC 6902 JSON Patch turning the state at `from` into the state at `to`.
    nlohmann::json diff(Version from, Version to);

    /// Every event that changed the value at a JSON Pointer, with old and new values. Throws
    /// InvalidInput for a malformed pointer or one that exists at no version of the stream.
    std::vector<FieldChange> fieldHistory(const QString& pointer, const Progress& progress = {});

    /// What-if: events at these versions are left out of every state (never touching the store).
    void setSkipped(const QSet<qint64>& versions);
    QSet<qint64> skipped() const;

    /// Replays the whole stream once, taking snapshots, so later jumps are cheap.
    void prepare(const Progress& progress = {});

    qint64 snapshotInterval() const;
    qint64 snapshotCount() const;
    std::size_t snapshotBytes() const;

private:
    struct Snapshot {
        nlohmann::json state;
        std::size_t bytes = 0;
        quint64 lastUse = 0;
    };
    nlohmann::json stateAtLocked(Version v, const Progress& progress = {});
    void checkVersion(Version v) const;
    void addSnapshot(qint64 version, const nlohmann::json& state);
    void adaptInterval(std::size_t stateBytes);

    const EventStore& m_store;
    std::shared_ptr<const Reducer> m_reducer;
    StreamId m_stream;
    Options m_options;
    mutable QMutex m_mutex;
    /// The stream's last version, outside the mutex: refresh() and lastVersion() are called on
    /// the GUI thread while a replay on a worker holds the mutex, and must not wait for it.
    std::atomic<qint64> m_last {0};
    qint64 m_interval = 256;
    QSet<qint64> m_skipped;
    std::map<qint64, Snapshot> m_snapshots;
    std::size_t m_bytes = 0;
    quint64 m_clock = 0;
    std::optional<std::pair<qint64, nlohmann::json>> m_cursor; // last state computed
};

} // namespace chronoscope
