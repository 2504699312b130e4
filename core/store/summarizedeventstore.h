#pragma once

#include "store/forwardingeventstore.h"

#include <QMutex>

#include <atomic>
#include <map>
#include <memory>

class QThread;

namespace chronoscope {

class ForeignEventStore;

/// One summary of a store's streams, types and totals, as far as a position.
struct StreamSummaryData {
    Position lastPosition;
    qint64 events = 0;
    std::vector<StreamInfo> streams;      ///< by id (StreamId order)
    std::map<QString, qint64> typeCounts; ///< events per type
};

/// A foreign store (Emmett, Marten: they keep no stream list with counts, so listing their
/// streams, categories, types or totals counts every event) with a summary of its own: built once
/// by reading every event in position order on a thread of its own, with progress and cancel,
/// cached in a file outside the store (`cacheDir`, by default the user's cache folder) and, when
/// the store is opened again, read from there and brought up to date with the events after the
/// cached position. The store itself is never written.
///
/// Until the summary is ready, streams, categories and types are empty and summary() gives the
/// store's own count, asked once (the end is read again each time, one indexed read); then summaryReady() and
/// changedElsewhere(last) are emitted so views read the lists again. Events another program appends
/// (changedElsewhere, from a StoreFollower) are added to the summary before any view hears of them.
class SummarizedEventStore : public ForwardingEventStore {
    Q_OBJECT
public:
    SummarizedEventStore(
        std::unique_ptr<ForeignEventStore> inner, QString cacheDir = {}, QObject* parent = nullptr);
    /// Cancels the build and waits for its thread.
    ~SummarizedEventStore() override;

    /// Starts building (or loading and bringing up to date) the summary.
    void start();
    /// Stops the build: the lists stay empty (summaryFailed says so).
    void cancel();
    bool isReady() const;
    /// The file the summary is cached in.
    QString cacheFile() const { return m_cacheFile; }
    /// How the last build went: "built", "cached" (read from the cache and brought up to date) or
    /// "rebuilt" (the cache no longer matched the store).
    QString origin() const;

    std::vector<StreamInfo> streams(const QString& prefix = {}) const override;
    std::vector<StreamInfo> streamPage(
        const StreamQuery& query, const std::optional<StreamInfo>& after, qint64 limit) const override;
    std::vector<CategoryInfo> categories() const override;
    std::optional<StreamInfo> streamInfo(const StreamId& stream) const override;
    StoreSummary summary() const override;
    std::vector<TypeCount> typeCounts() const override;

    /// Reads the events after `data.lastPosition` into it (at most up to `until`). Returns false
    /// when `cancelled` turns true. Throws StoreError when the store cannot be read.
    static bool extend(const EventStore& store, StreamSummaryData& data, Position until,
        const std::function<bool(qint64 done, qint64 total)>& progress = {});

Q_SIGNALS:
    /// Building: `done` of `total` positions read.
    void summaryProgress(qint64 done, qint64 total);
    void summaryReady();
    /// The summary could not be built (the store could not be read, or cancel()).
    void summaryFailed(const QString& reason);

private:
    void build();
    void catchUp(Position last);
    std::shared_ptr<const StreamSummaryData> data() const;

    StoreSummary m_identity;
    QString m_cacheFile;
    mutable QMutex m_lock;
    std::shared_ptr<const StreamSummaryData> m_data; // null until ready
    QString m_origin;
    mutable std::optional<StoreSummary> m_counted; // the store's own totals, until the summary is ready
    std::atomic<bool> m_cancelled {false};
    QThread* m_thread = nullptr;
};

/// Saves / loads a summary in a cache file (JSON). load() returns null for a missing or damaged file
/// or one about another location.
bool saveStreamSummary(const QString& file, const QString& location, const StreamSummaryData& data);
std::shared_ptr<StreamSummaryData> loadStreamSummary(const QString& file, const QString& location);

} // namespace chronoscope
