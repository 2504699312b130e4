#pragma once

#include "base/jobtracker.h"
#include "replay/reducer.h"
#include "store/eventstore.h"
#include "timetravel/timetravel.h"

#include <QObject>
#include <QSet>

#include <functional>
#include <memory>
#include <optional>

namespace chronoscope {

/// One operation of a JSON Patch with the values on both sides, as the diff tables show it.
struct PatchRow {
    QString op;                             ///< "add", "remove" or "replace"
    QString path;                           ///< JSON Pointer
    std::optional<nlohmann::json> oldValue; ///< value before (none for "add")
    std::optional<nlohmann::json> newValue; ///< value after (none for "remove")
};

/// Rows of the patch turning `from` into `to`, with the old and new values filled in.
std::vector<PatchRow> patchRows(const nlohmann::json& from, const nlohmann::json& to);

/// The state of one stream at a version, as computed off the GUI thread.
struct StateAtVersion {
    qint64 version = 0;
    nlohmann::json state;
    std::vector<PatchRow> changes;      ///< what the event at `version` changed (v-1 -> v)
    std::optional<RecordedEvent> event; ///< the event at `version` (none at version 0)
};

/// Time travel over the selected stream for the widgets: one TimeTravel per stream, every
/// computation run off the GUI thread, results tagged with a generation so a stale result
/// (older request, previous stream, reducer or skip set) never overwrites a newer one.
class TimeTravelSession : public QObject {
    Q_OBJECT
public:
    explicit TimeTravelSession(QObject* parent = nullptr);
    ~TimeTravelSession() override;

    /// The store to read (null: none). Clears the stream.
    void setStore(std::shared_ptr<const EventStore> store);
    const EventStore* store() const { return m_store.get(); }
    std::shared_ptr<const EventStore> sharedStore() const { return m_store; }
    /// Chooses the stream and its reducer (null stream: none).
    void setStream(const std::optional<StreamId>& stream, std::shared_ptr<const Reducer> reducer);
    const std::optional<StreamId>& stream() const { return m_stream; }
    std::shared_ptr<const Reducer> reducer() const { return m_reducer; }
    Version lastVersion() const { return m_last; }

    /// What-if: leaves these versions out of every state; the store is never touched.
    void setSkipped(const QSet<qint64>& versions);
    const QSet<qint64>& skipped() const { return m_skipped; }

    /// Computes the state at a version; only the latest request made while one runs is done.
    void requestState(Version version);
    /// Computes the patch between two versions (diffReady).
    void requestDiff(Version a, Version b);
    /// Computes the history of a field (historyReady).
    void requestFieldHistory(const QString& pointer);
    /// Finds the version in force at a time (versionFound).
    void requestVersionAt(qint64 timestampMs);
    /// Replays the stream with another reducer; on success it replaces the current one
    /// (reducerAccepted), on failure the current one stays (reducerRejected).
    void tryReducer(std::shared_ptr<const Reducer> reducer);

    /// True while a state is being computed.
    bool isBusy() const;

    /// Re-reads the stream's end (another writer, or the bus, appended to it): returns whether
    /// the last version changed; lastVersionChanged() tells the panels.
    bool refreshEnd();

Q_SIGNALS:
    void streamChanged();
    /// The stream grew (states already computed stay valid) or shrank (the replay was started
    /// afresh) to a new last version.
    void lastVersionChanged(chronoscope::Version before);
    /// The skip set changed: every state may differ.
    void skippedChanged();
    void stateReady(const chronoscope::StateAtVersion& result);
    void stateFailed(qint64 version, const QString& message);
    void diffReady(qint64 a, qint64 b, const std::vector<chronoscope::PatchRow>& rows);
    void diffFailed(const QString& message);
    void historyReady(const QString& pointer, const std::vector<chronoscope::FieldChange>& changes);
    void historyFailed(const QString& pointer, const QString& message);
    void versionFound(qint64 timestampMs, chronoscope::Version version);
    void reducerAccepted(const QString& name);
    void reducerRejected(const QString& message);

private:
    void startState(qint64 version);
    void invalidate();

    std::shared_ptr<const EventStore> m_store;
    std::optional<StreamId> m_stream;
    std::shared_ptr<const Reducer> m_reducer;
    std::shared_ptr<TimeTravel> m_travel;
    Version m_last;
    QSet<qint64> m_skipped;

    std::optional<qint64> m_pendingState;
    // One tracker per kind of request: a newer request of a kind drops the older one's result;
    // invalidate() drops them all.
    JobTracker m_stateJobs {this};
    JobTracker m_diffJobs {this};
    JobTracker m_historyJobs {this};
    JobTracker m_versionJobs {this};
    JobTracker m_reducerJobs {this};
};

} // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::StateAtVersion)
