#pragma once

// core/store/sqlite: stores in SQLite files: our own (sqleventstore, its schema and connection)
// and Emmett's SQLite event store (emmettsqlitestore, read-only).

#include "store/eventstore.h"

#include <QMutex>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

struct sqlite3;

namespace chronoscope {

namespace sqlite {
class BatchWriter;
class Connection;
} // namespace sqlite

/// How to open a native SQLite store.
struct SqlStoreOptions {
    bool readOnly = false;    ///< open with QSQLITE_OPEN_READONLY; every write throws ReadOnlyError
    bool create = false;      ///< create a new, empty store when the file is missing
    int busyTimeoutMs = 2000; ///< how long to wait for another writer before giving up
};

/// The native event store: one SQLite file in WAL mode, schema in sqliteschema.h.
///
/// Usable from any thread: each thread gets its own connection (made on first use, closed
/// with the store); writes of this store are serialised by a mutex, writes of other programs
/// by SQLite's write lock (BEGIN IMMEDIATE, waiting up to busyTimeoutMs). A file the user
/// cannot write opens read-only.
class SqlEventStore final : public EventStore {
    Q_OBJECT
public:
    /// Opens (or, with options.create, creates) the store at `path`, upgrading an older schema.
    /// Throws OpenError naming the file: missing, not SQLite, another schema, locked...
    explicit SqlEventStore(
        const QString& path, const SqlStoreOptions& options = {}, QObject* parent = nullptr);
    ~SqlEventStore() override;

    const QString& path() const { return m_path; }

    AppendResult append(
        const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected) override;
    std::vector<AppendResult> appendMany(const std::vector<AppendRequest>& requests) override;
    void importRecorded(const std::vector<RecordedEvent>& events) override;
    std::vector<RecordedEvent> readStream(const StreamId& stream, std::optional<Version> from,
        qint64 maxCount, Direction direction = Direction::Forward) const override;
    std::vector<RecordedEvent> readAll(std::optional<Position> from, qint64 maxCount,
        const EventFilter& filter = {}, Direction direction = Direction::Forward) const override;
    std::optional<RecordedEvent> readAt(Position position) const override;
    std::vector<StreamInfo> streams(const QString& prefix = {}) const override;
    std::vector<StreamInfo> streamPage(
        const StreamQuery& query, const std::optional<StreamInfo>& after, qint64 limit) const override;
    std::vector<CategoryInfo> categories() const override;
    std::optional<StreamInfo> streamInfo(const StreamId& stream) const override;
    StoreSummary summary() const override;
    std::vector<TypeCount> typeCounts() const override;

    /// How long a thread's read snapshot may be reused when nothing was written through
    /// this store: the staleness bound for writes made by other programs.
    static constexpr qint64 readTransactionWindowNs = 5'000'000;

private:
    class ReadScope; // locks the calling thread's connection and opens or reuses its snapshot
    sqlite::Connection& connection() const; // the calling thread's connection
    void checkWritable() const;
    /// One write: under the write lock, in one write transaction, `body` adds rows to the batch
    /// (given the store's last position); then commits and reports appended().
    void write(const std::function<void(sqlite::BatchWriter&, qint64 lastPosition)>& body);
    /// Ends the read snapshots of idle connections: all of them, or those past the window.
    void sweepSnapshots(bool all) const;
    void sweeperLoop();
    /// Called by SQLite after each commit of a writable connection (sqlite3_wal_hook): asks the
    /// sweeper thread to checkpoint, or checkpoints at once when the WAL has grown too long.
    static int walCommitted(void* store, sqlite3* db, const char* dbName, int frames);
    void watchWal(sqlite::Connection& c) const;
    void checkpoint();

    QString m_path;
    SqlStoreOptions m_options;
    bool m_readOnly = false;
    int m_schemaVersion = 0; ///< of the file as opened (< current only when read-only)
    bool m_fileNotWritable = false;
    /// Read-only, and no -wal/-shm was beside the file when it was opened: SQLite makes them for
    /// a reader too, and this store removes them again on closing when nobody else uses them.
    bool m_removeCompanions = false;
    mutable QMutex m_connectionsLock;
    mutable std::map<std::thread::id, std::unique_ptr<sqlite::Connection>> m_connections;
    QMutex m_writeLock;
    std::atomic<quint64> m_generation {0}; // bumped by every committed write
    std::mutex m_sweeperLock;
    std::condition_variable m_sweeperWake;
    bool m_stopping = false;
    std::atomic<bool> m_checkpointWanted {false};
    std::atomic<int> m_walFrames {0}; // WAL length after the last commit through this store
    std::thread m_sweeper;
};

} // namespace chronoscope
