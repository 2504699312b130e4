#include "store/sqlite/sqleventstore.h"

#include "store/batchwrite.h"
#include "store/sqlite/sqliteconnection.h"
#include "store/sqlite/sqliteschema.h"
#include "store/storefiles.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace chronoscope {

using sqlite::Connection;
using sqlite::Statement;

namespace {

constexpr char kBegin[] = "BEGIN IMMEDIATE";
constexpr char kCommit[] = "COMMIT";
constexpr char kLastPosition[] = "SELECT max(position) FROM events";
constexpr char kStreamVersion[] = "SELECT version FROM streams WHERE stream = ?1";
constexpr char kInsertEvent[]
    = "INSERT INTO events(position, stream, version, id, type, schema_version, timestamp,"
      " data, metadata) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr char kUpsertStream[]
    = "INSERT INTO streams(stream, category, version, events, first_position, last_position, first_timestamp,"
      " last_timestamp) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(stream) DO UPDATE SET"
      " version = excluded.version, events = events + excluded.events, last_position = "
      "excluded.last_position,"
      " last_timestamp = excluded.last_timestamp";
constexpr char kUpsertType[] = "INSERT INTO type_counts(type, events) VALUES(?1, ?2)"
                               " ON CONFLICT(type) DO UPDATE SET events = events + excluded.events";
constexpr char kUpsertCategory[]
    = "INSERT INTO categories(category, streams, events) VALUES(?1, ?2, ?3) ON CONFLICT(category) DO UPDATE"
      " SET streams = streams + excluded.streams, events = events + excluded.events";
constexpr char kUpdateTotals[]
    = "UPDATE totals SET events = events + ?1, streams = streams + ?2 WHERE id = 1";

/// How much a connection caches. The opener's connection (the GUI thread's in the window) keeps
/// 32 MiB of pages; every other thread's (projections, time travel, jobs) scans sequentially and
/// keeps 4 MiB. No connection maps the file (mmap_size 0): a store truncated by another program
/// while mapped would stop the process with SIGBUS on the next read of a page past the new end,
/// where read() gives SQLite an error it reports; and eleven maps of one file made the window's
/// Rss count the store eleven times.
enum class ConnectionRole { Opener, Other };

// Per-connection settings. WAL is persistent in the file: set once by a writable opener.
void configure(Connection& c, bool setWal, ConnectionRole role)
{
    if (setWal) {
        const auto mode = c.scalar("PRAGMA journal_mode = WAL", true);
        if (mode.toLower() != "wal")
            throw OpenError(QStringLiteral("'%1': cannot switch to WAL journal mode (got '%2')")
                                .arg(c.fileName(), QString::fromUtf8(mode)));
    }
    c.exec("PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 0", true);
    c.exec(role == ConnectionRole::Opener ? "PRAGMA cache_size = -32768" : "PRAGMA cache_size = -4096", true);
}

/// A write transaction (BEGIN IMMEDIATE), rolled back unless committed.
class WriteTransaction {
public:
    explicit WriteTransaction(Connection& c)
        : m_connection(c)
    {
        m_connection.cached(kBegin).run();
    }
    ~WriteTransaction()
    {
        if (!m_committed)
            sqlite3_exec(m_connection.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void commit()
    {
        m_connection.cached(kCommit).run();
        m_committed = true;
    }

private:
    Connection& m_connection;
    bool m_committed = false;
};

qint64 lastPosition(Connection& c)
{
    auto q = c.cached(kLastPosition);
    return q.step() ? q.int64(0) : 0;
}

qint64 streamVersion(Connection& c, const QByteArray& streamUtf8)
{
    auto q = c.cached(kStreamVersion);
    q.bind(1, streamUtf8);
    return q.step() ? q.int64(0) : 0;
}

/// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" without allocating.
void formatUuid(const QUuid& id, char* out)
{
    static const char hex[] = "0123456789abcdef";
    const auto put = [&out](quint64 value, int digits) {
        for (int i = digits - 1; i >= 0; --i)
            *out++ = hex[(value >> (4 * i)) & 0xf];
    };
    put(id.data1, 8);
    *out++ = '-';
    put(id.data2, 4);
    *out++ = '-';
    put(id.data3, 4);
    *out++ = '-';
    put(quint64(id.data4[0]) << 8 | id.data4[1], 4);
    *out++ = '-';
    for (int i = 2; i < 8; ++i)
        put(id.data4[i], 2);
}

} // namespace

namespace sqlite {
/// One stream's part of a write, with its id as UTF-8 (bound to every row).
struct BatchDelta : StreamDelta {
    QByteArray utf8;
};
} // namespace sqlite

/// The rows of one write: inserts them and keeps the stream, type and total counters up to date.
class sqlite::BatchWriter : public BatchBookkeeping<sqlite::BatchWriter, sqlite::BatchDelta> {
public:
    using Delta = BatchDelta;

    explicit BatchWriter(Connection& c)
        : m_connection(c)
        , m_insert(c.cached(kInsertEvent))
    {
    }

    Connection& connection() { return m_connection; }

    Delta loadDelta(const StreamId& stream)
    {
        Delta d;
        d.utf8 = stream.toString().toUtf8();
        d.version = streamVersion(m_connection, d.utf8);
        return d;
    }

    void add(Delta& d, qint64 position, const QUuid& id, const QString& type, int schemaVersion,
        qint64 timestampMs, const QByteArray& data, const QByteArray& metadata)
    {
        count(d, position, timestampMs);
        auto& t = m_types[type];
        if (t.second++ == 0)
            t.first = type.toUtf8();
        char idText[36];
        formatUuid(id, idText);

        m_insert.bind(1, position);
        m_insert.bind(2, d.utf8);
        m_insert.bind(3, d.version);
        m_insert.bindText(4, idText, sizeof idText);
        m_insert.bind(5, t.first);
        m_insert.bind(6, qint64(schemaVersion));
        m_insert.bind(7, timestampMs);
        m_insert.bind(8, data);
        if (metadata.isEmpty())
            m_insert.bindNull(9);
        else
            m_insert.bind(9, metadata);
        m_insert.run();
    }

    void finish()
    {
        auto upsert = m_connection.cached(kUpsertStream);
        std::map<QByteArray, std::pair<qint64, qint64>> categories; // category -> (new streams, events)
        for (const auto& [stream, d] : deltas()) {
            if (d.added == 0)
                continue;
            const QByteArray category = stream.category().toUtf8();
            auto& counts = categories[category];
            counts.first += d.version == d.added ? 1 : 0;
            counts.second += d.added;
            upsert.bind(1, d.utf8);
            upsert.bind(2, category);
            upsert.bind(3, d.version);
            upsert.bind(4, d.added);
            upsert.bind(5, d.firstPosition);
            upsert.bind(6, d.lastPosition);
            upsert.bind(7, d.firstTimestamp);
            upsert.bind(8, d.lastTimestamp);
            upsert.run();
        }
        auto upsertCategory = m_connection.cached(kUpsertCategory);
        for (const auto& [category, counts] : categories) {
            upsertCategory.bind(1, category);
            upsertCategory.bind(2, counts.first);
            upsertCategory.bind(3, counts.second);
            upsertCategory.run();
        }
        auto types = m_connection.cached(kUpsertType);
        for (auto it = m_types.cbegin(); it != m_types.cend(); ++it) {
            types.bind(1, it->first);
            types.bind(2, it->second);
            types.run();
        }
        auto totals = m_connection.cached(kUpdateTotals);
        totals.bind(1, events());
        totals.bind(2, newStreams());
        totals.run();
    }

private:
    Connection& m_connection;
    Statement m_insert;
    QHash<QString, std::pair<QByteArray, qint64>> m_types; // type -> (UTF-8, events added)
};

namespace {

/// A bulk load into an empty store: the secondary indexes of the events table (not its
/// UNIQUE(stream, version) constraint, which checks the load) are dropped before the rows go in
/// and built again from the stored DDL afterwards, in one pass over sorted keys instead of one
/// B-tree insert per row. All inside the caller's write transaction: a failure or a crash
/// before COMMIT leaves the store as it was, indexes included.
class DeferredIndexes {
public:
    explicit DeferredIndexes(Connection& c)
        : m_connection(c)
    {
        auto q = c.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'"
                           " AND sql IS NOT NULL ORDER BY name");
        while (q.step())
            m_indexes.emplace_back(q.bytes(0), q.bytes(1));
        for (const auto& [name, sql] : m_indexes) {
            QByteArray quoted = name;
            quoted.replace('"', "\"\"");
            c.exec(QByteArray("DROP INDEX \"" + quoted + '"').constData());
        }
    }

    void restore()
    {
        for (const auto& [name, sql] : m_indexes)
            m_connection.exec(sql.constData());
    }

private:
    Connection& m_connection;
    std::vector<std::pair<QByteArray, QByteArray>> m_indexes; // name, CREATE INDEX statement
};

/// WAL frames (pages) after which the sweeper thread checkpoints: SQLite's own default for
/// wal_autocheckpoint, which the hook below replaces.
constexpr int kCheckpointFrames = 1000;
/// WAL frames after which the writer checkpoints itself, when the sweeper did not keep up.
constexpr int kInlineCheckpointFrames = 16 * kCheckpointFrames;

/// Rows from which an import into an empty store builds its secondary indexes after the load.
constexpr std::size_t kDeferIndexesFrom = 50000;

} // namespace

SqlEventStore::SqlEventStore(const QString& path, const SqlStoreOptions& options, QObject* parent)
    : EventStore(parent)
    , m_path(path)
    , m_options(options)
    , m_readOnly(options.readOnly)
{
    const QFileInfo info(path);
    const bool exists = info.exists();
    if (!exists && !options.create)
        throw OpenError(QStringLiteral("'%1': no such file").arg(path));
    if (!exists && options.readOnly)
        throw OpenError(
            QStringLiteral("'%1': no such file (a new store cannot be created read-only)").arg(path));
    if (exists && info.isDir())
        throw OpenError(QStringLiteral("'%1' is a folder, not an event store").arg(path));
    if (exists && !m_readOnly && !info.isWritable()) {
        m_readOnly = true;
        m_fileNotWritable = true;
    }
    m_removeCompanions = exists && m_readOnly && !openfiles::isOpenBySqlite(path)
        && !QFileInfo::exists(path + QStringLiteral("-wal"))
        && !QFileInfo::exists(path + QStringLiteral("-shm"));
    auto c = std::make_unique<Connection>(path, m_readOnly, !exists, options.busyTimeoutMs);
    try {
        if (!exists) {
            configure(*c, true, ConnectionRole::Opener);
            sqliteschema::migrate(c->handle(), path);
            m_schemaVersion = sqliteschema::currentVersion();
        } else {
            const auto version = sqliteschema::storedVersion(c->handle(), path);
            if (!version)
                throw OpenError(
                    sqliteschema::notAStoreMessage(path, sqliteschema::tableNames(c->handle(), path)));
            const int current = sqliteschema::currentVersion();
            if (*version > current)
                throw OpenError(
                    QStringLiteral("'%1' was written by a newer Chronoscope (schema version %2; this "
                                   "version reads up to %3)")
                        .arg(path)
                        .arg(*version)
                        .arg(current));
            // Version 2 reads without the category counts and stream-list indexes of version 3
            // (categories() counts the streams table instead), so a read-only look needs no upgrade.
            m_schemaVersion = *version < current && m_readOnly ? *version : current;
            if (*version < 2 && m_readOnly)
                throw OpenError(
                    QStringLiteral("'%1' uses the older schema version %2 and must be upgraded to "
                                   "version %3, which needs write access to the file")
                        .arg(path)
                        .arg(*version)
                        .arg(current));
            configure(*c, !m_readOnly, ConnectionRole::Opener);
            if (*version < current && !m_readOnly)
                sqliteschema::migrate(c->handle(), path);
        }
    } catch (...) {
        c.reset();
        if (!exists) {
            for (const char* suffix : {"", "-wal", "-shm", "-journal"})
                QFile::remove(path + QLatin1String(suffix));
        }
        throw;
    }
    watchWal(*c);
    m_connections.emplace(std::this_thread::get_id(), std::move(c));
    m_sweeper = std::thread([this] { sweeperLoop(); });
}

SqlEventStore::~SqlEventStore()
{
    {
        std::lock_guard<std::mutex> lock(m_sweeperLock);
        m_stopping = true;
    }
    m_sweeperWake.notify_all();
    m_sweeper.join();
    {
        QMutexLocker locker(&m_connectionsLock);
        m_connections.clear();
    }
    // A reader leaves the folder as it found it (SQLite's own clean-up on close is a writer's).
    if (m_removeCompanions && !openfiles::isOpenBySqlite(m_path))
        storefiles::removeIdleCompanions(m_path);
}

void SqlEventStore::sweeperLoop()
{
    // An idle thread's snapshot would keep SQLite from checkpointing the WAL: end it.
    // Checkpoints asked for by walCommitted() run here too, so that the writing thread does
    // not copy the WAL into the database file (and wait for its fsync) in the middle of a write.
    std::unique_lock<std::mutex> lock(m_sweeperLock);
    for (;;) {
        m_sweeperWake.wait_for(lock, std::chrono::milliseconds(50),
            [this] { return m_stopping || m_checkpointWanted.load(std::memory_order_relaxed); });
        if (m_stopping)
            return;
        lock.unlock(); // a writer's wake-up never waits for this work
        if (m_checkpointWanted.exchange(false, std::memory_order_acq_rel))
            checkpoint();
        sweepSnapshots(false);
        lock.lock();
    }
}

void SqlEventStore::checkpoint()
{
    try {
        auto& c = connection();
        QMutexLocker use(&c.mutex());
        c.endReadTransaction();
        // PASSIVE: copies what no reader still needs, never waits for or blocks a writer.
        sqlite3_wal_checkpoint_v2(c.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } catch (const std::exception&) {
        // No connection for the sweeper (file gone, locked...): the writer checkpoints itself
        // once the WAL passes kInlineCheckpointFrames.
    }
}

int SqlEventStore::walCommitted(void* store, sqlite3* db, const char* dbName, int frames)
{
    auto* self = static_cast<SqlEventStore*>(store);
    const int before = self->m_walFrames.exchange(frames, std::memory_order_relaxed);
    if (frames < kCheckpointFrames)
        return SQLITE_OK;
    if (frames >= kInlineCheckpointFrames && before >= kCheckpointFrames) {
        // The sweeper had its chance and writes came faster: copy what it left here, as
        // SQLite's own auto-checkpoint would have done. Once everything is copied, the next
        // write starts the WAL over, which bounds its size.
        sqlite3_wal_checkpoint_v2(db, dbName, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        return SQLITE_OK;
    }
    if (!self->m_checkpointWanted.exchange(true, std::memory_order_acq_rel))
        self->m_sweeperWake.notify_all();
    return SQLITE_OK;
}

void SqlEventStore::watchWal(Connection& c) const
{
    // The hook only touches the checkpoint request and the sweeper's wake-up.
    if (!m_readOnly)
        sqlite3_wal_hook(c.handle(), &SqlEventStore::walCommitted, const_cast<SqlEventStore*>(this));
}

void SqlEventStore::sweepSnapshots(bool all) const
{
    QMutexLocker locker(&m_connectionsLock);
    for (auto& [thread, c] : m_connections) {
        if (!all && !c->readTransactionOlderThan(readTransactionWindowNs))
            continue;
        if (c->mutex().tryLock()) {
            c->endReadTransaction();
            c->mutex().unlock();
        }
    }
}

Connection& SqlEventStore::connection() const
{
    const auto thread = std::this_thread::get_id();
    {
        QMutexLocker locker(&m_connectionsLock);
        const auto it = m_connections.find(thread);
        if (it != m_connections.end())
            return *it->second;
    }
    // A new thread: open its own connection (outside the lock: opening may wait on the file).
    auto c = std::make_unique<Connection>(m_path, m_readOnly, false, m_options.busyTimeoutMs);
    configure(*c, false, ConnectionRole::Other);
    watchWal(*c);
    QMutexLocker locker(&m_connectionsLock);
    return *m_connections.emplace(thread, std::move(c)).first->second;
}

void SqlEventStore::checkWritable() const
{
    if (m_fileNotWritable)
        throw ReadOnlyError(QStringLiteral("the store '%1' is read-only because you may not write the file: "
                                           "nothing was written")
                                .arg(m_path));
    if (m_readOnly)
        throw ReadOnlyError(
            QStringLiteral("the store '%1' is open read-only: nothing was written").arg(m_path));
}

void SqlEventStore::write(const std::function<void(sqlite::BatchWriter&, qint64)>& body)
{
    std::optional<std::pair<Position, Position>> written;
    {
        QMutexLocker locker(&m_writeLock);
        checkWritable();
        auto& c = connection();
        QMutexLocker use(&c.mutex());
        c.endReadTransaction();
        WriteTransaction transaction(c);
        sqlite::BatchWriter writer(c);
        body(writer, lastPosition(c));
        writer.finish();
        transaction.commit();
        m_generation.fetch_add(1, std::memory_order_acq_rel);
        written = writer.span();
    }
    sweepSnapshots(true);
    if (written)
        Q_EMIT appended(written->first, written->second);
}

std::vector<AppendResult> SqlEventStore::appendMany(const std::vector<AppendRequest>& requests)
{
    std::vector<AppendResult> results;
    write([&](sqlite::BatchWriter& writer, qint64 last) {
        results = writeAppendRequests(writer, requests, last + 1);
    });
    return results;
}

AppendResult SqlEventStore::append(
    const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected)
{
    return appendMany({AppendRequest {stream, expected, events}}).front();
}

void SqlEventStore::importRecorded(const std::vector<RecordedEvent>& events)
{
    if (events.empty())
        return;
    write([&](sqlite::BatchWriter& writer, qint64 last) {
        std::optional<DeferredIndexes> deferred;
        if (last == 0 && events.size() >= kDeferIndexesFrom)
            deferred.emplace(writer.connection());
        writeImportedEvents(writer, events, last);
        if (deferred)
            deferred->restore();
    });
}

} // namespace chronoscope
