#pragma once

#include "projections/projectionrunner.h"

#include <QObject>

#include <memory>
#include <optional>
#include <vector>

namespace chronoscope {

class ProjectionListModel;

/// The read model a view shows for a projection: live (after its checkpoint) or as of the
/// position chosen on the global slider.
struct ProjectionView {
    /// The read model, shared (views copy only what they keep); null until computed.
    std::shared_ptr<const nlohmann::json> data;
    std::optional<Position> at; ///< nullopt: live
    Position checkpoint;        ///< live: the checkpoint the state belongs to
    QString error;              ///< the state as of `at` could not be computed
    bool pending = false;       ///< the state as of the chosen position is still being computed
    bool valid = false;         ///< false until something was computed
    /// Set for a read model kept a page at a time (a per-stream projection): where `data` sits.
    std::optional<ReadModelPage> page;

    /// The read model (null JSON until computed).
    const nlohmann::json& state() const;
};

/// The projections of the open store: the built-in ones and the JavaScript ones the user
/// added, each run by a ProjectionRunner on its own thread. They start (a rebuild, then live
/// catch-up) when a store is set and stop when it goes. Keeps the list model up to date
/// (status, checkpoint, lag, rebuild progress) and, when a position is chosen, asks every
/// projection for its read model as of that position: one request per projection at a time,
/// answers for a position no longer chosen are dropped and the latest one asked instead.
class ProjectionSet : public QObject {
    Q_OBJECT
public:
    explicit ProjectionSet(QObject* parent = nullptr);
    ~ProjectionSet() override;

    /// Options of the engines made from now on (tests use small checkpoint intervals).
    void setEngineOptions(ProjectionEngine::Options options) { m_options = options; }
    /// Runs the projections over a store (null: stops and removes them). The JavaScript
    /// projections added before are run over the new store too.
    void setStore(std::shared_ptr<const EventStore> store);
    const EventStore* store() const { return m_store.get(); }
    std::shared_ptr<const EventStore> sharedStore() const { return m_store; }
    /// The last position of the store as last seen (0 without a store).
    Position lastPosition() const { return m_lastPosition; }
    /// Bucket length of the events-by-type-over-time projection of this store (ms).
    qint64 timelineBucketMs() const { return m_timelineBucketMs; }

    ProjectionListModel* model() const { return m_model; }
    QStringList names() const;
    bool contains(const QString& name) const { return find(name) != nullptr; }
    std::shared_ptr<const Projection> projection(const QString& name) const;
    /// The source of a JavaScript projection (empty for a built-in one).
    QString scriptSource(const QString& name) const;
    bool isScript(const QString& name) const;

    /// Compiles a JavaScript projection and runs it; returns its name (the file name, made
    /// unique; "projection-N.js" when fileName is empty). Throws InvalidInput naming the file
    /// and line of a syntax error.
    QString addScript(const QString& source, const QString& fileName = {});
    /// Replaces a JavaScript projection's script and rebuilds it. Throws InvalidInput (the
    /// old script keeps running) when the new one does not compile or the name is unknown.
    void replaceScript(const QString& name, const QString& source);
    /// Removes a JavaScript projection; false for a built-in or unknown one.
    bool removeScript(const QString& name);

    /// Rebuilds a projection from position 1, then follows appends.
    void rebuild(const QString& name);
    /// Stops following appends; the read model stays.
    void stop(const QString& name);
    /// Cancels a rebuild or catch-up under way: the projection stops where it got to (stopped,
    /// its read model as far as it got); Rebuild starts it again.
    void cancel(const QString& name);

    /// Shows every projection as of a global position (nullopt: live).
    void setAsOfPosition(std::optional<Position> position);
    std::optional<Position> asOfPosition() const { return m_asOfPosition; }
    /// What views show for a projection now.
    ProjectionView view(const QString& name) const;
    /// True when every projection has finished its rebuild and every state asked for has come.
    bool isSettled() const;

    /// Shows another page of a per-stream projection's read model (live and as of the chosen
    /// position); viewChanged() follows. Nothing happens for a projection shown whole.
    void movePage(const QString& name, PageMove move);

    /// Asks for the per-event steps of a projection in [from, to]; answered by stepsReady().
    void requestSteps(const QString& name, Position from, Position to, qint64 maxSteps = 1000);

Q_SIGNALS:
    /// What view(name) returns has changed.
    void viewChanged(const QString& name);
    /// Status, checkpoint or progress of a projection changed.
    void statusChanged(const QString& name);
    void asOfPositionChanged();
    /// A store was set or removed (the list was rebuilt).
    void storeChanged();
    /// Events were appended to the store.
    void lastPositionChanged(chronoscope::Position last);
    void stepsReady(const QString& name, const chronoscope::ProjectionQueryResult& result);
    /// isSettled() became true.
    void settled();

private:
    struct Entry;
    struct Script {
        QString name;
        QString fileName;
        QString source;
        std::shared_ptr<const Projection> projection;
    };

    Entry* find(const QString& name) const;
    Entry* findById(quint64 id) const;
    int rowOf(const Entry* entry) const;
    void addEntry(std::shared_ptr<const Projection> projection, const QString& script);
    void startRunner(Entry& entry);
    void updateRow(Entry& entry);
    /// The store grew to `last` (here or in another program): lags grow, the slider's end moves.
    void storeEndsAt(Position last);
    void askStateAt(Entry& entry);
    void onUpdated(quint64 id, const ProjectionReport& report);
    void onProgress(quint64 id, quint64 generation, qint64 done, qint64 total);
    void onStateAt(quint64 id, const ProjectionQueryResult& result);
    void checkSettled();
    QString uniqueName(const QString& fileName) const;

    std::shared_ptr<const EventStore> m_store;
    /// Snapshots kept per projection: the window runs nine at once (the eight built-ins and the
    /// type timeline), so the engine's default of 64 MiB each could hold over half a GiB on a large
    /// store; 12 MiB each still lets an answer as of any position replay only a few thousand events
    /// on the sample stores (see BENCHMARKS.md, memory).
    static constexpr std::size_t SnapshotBudget = 12u << 20;
    /// Rows of a per-stream read model the window holds (one page; the others are folded from
    /// their streams when shown), so no projection keeps a state per stream of a large store.
    static constexpr qint64 PageRows = 500;
    ProjectionEngine::Options m_options {1000, SnapshotBudget, 1000, PageRows};
    ProjectionListModel* m_model;
    std::vector<std::unique_ptr<Entry>> m_entries; // in the order of the model's rows
    std::vector<Script> m_scripts;                 // user scripts, kept across stores
    std::optional<Position> m_asOfPosition;
    Position m_lastPosition;
    qint64 m_timelineBucketMs = 0;
    quint64 m_nextId = 1;
    int m_untitled = 0;
    bool m_wasSettled = true;
};

} // namespace chronoscope
