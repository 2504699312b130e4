#include "bus/sqlitedeadletters.h"

#include "base/errors.h"
#include "store/sqlite/sqliteconnection.h"
#include "store/sqlite/sqliteschema.h"

#include <sqlite3.h>

namespace chronoscope {

namespace {

const char* const createTable = "CREATE TABLE IF NOT EXISTS dead_letters("
                                " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                                " handler TEXT NOT NULL,"
                                " event_id TEXT NOT NULL,"
                                " position INTEGER NOT NULL,"
                                " stream TEXT NOT NULL,"
                                " version INTEGER NOT NULL,"
                                " type TEXT NOT NULL,"
                                " schema_version INTEGER NOT NULL,"
                                " timestamp INTEGER NOT NULL,"
                                " data TEXT NOT NULL,"
                                " metadata TEXT NOT NULL,"
                                " error TEXT NOT NULL,"
                                " attempts INTEGER NOT NULL,"
                                " first_failure INTEGER NOT NULL,"
                                " last_failure INTEGER NOT NULL,"
                                " UNIQUE(handler, event_id))";

const char* const columns = "SELECT id, handler, event_id, position, stream, version, type, schema_version,"
                            " timestamp, data, metadata, error, attempts, first_failure, last_failure"
                            " FROM dead_letters ";

/// A statement finalised when it leaves scope; throws naming the file on failure.
class Query {
public:
    Query(sqlite3* db, const QByteArray& sql, const QString& path)
        : m_db(db)
        , m_path(path)
    {
        const int rc = sqlite3_prepare_v2(db, sql.constData(), int(sql.size()), &m_stmt, nullptr);
        if (rc != SQLITE_OK)
            sqlite::throwError(db, rc, path, QStringLiteral("preparing a dead-letter statement"), false);
    }
    ~Query() { sqlite3_finalize(m_stmt); }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    void bind(int i, qint64 v) { sqlite3_bind_int64(m_stmt, i, v); }
    void bind(int i, const QByteArray& text)
    {
        sqlite3_bind_text64(m_stmt, i, text.constData() ? text.constData() : "", sqlite3_uint64(text.size()),
            SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    void bind(int i, const QString& text) { bind(i, text.toUtf8()); }
    bool step()
    {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc != SQLITE_DONE)
            sqlite::throwError(m_db, rc, m_path, QStringLiteral("writing or reading dead letters"), false);
        return false;
    }
    qint64 integer(int c) const { return sqlite3_column_int64(m_stmt, c); }
    QByteArray bytes(int c) const
    {
        return QByteArray(
            reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, c)), sqlite3_column_bytes(m_stmt, c));
    }
    QString text(int c) const { return QString::fromUtf8(bytes(c)); }

private:
    sqlite3* m_db;
    const QString& m_path;
    sqlite3_stmt* m_stmt = nullptr;
};

DeadLetter readRow(const Query& q)
{
    DeadLetter d;
    d.id = q.integer(0);
    d.handler = q.text(1);
    d.event.id = QUuid::fromString(q.text(2));
    d.event.position = Position(q.integer(3));
    d.event.stream = StreamId(q.text(4));
    d.event.version = Version(q.integer(5));
    d.event.type = q.text(6);
    d.event.schemaVersion = int(q.integer(7));
    d.event.timestampMs = q.integer(8);
    d.event.data = q.bytes(9);
    d.event.metadata = q.bytes(10);
    d.error = q.text(11);
    d.attempts = int(q.integer(12));
    d.firstFailureMs = q.integer(13);
    d.lastFailureMs = q.integer(14);
    return d;
}

} // namespace

SqliteDeadLetterQueue::SqliteDeadLetterQueue(const QString& storePath, int busyTimeoutMs)
    : m_path(storePath)
{
    const int rc = sqlite3_open_v2(
        storePath.toUtf8().constData(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr);
    try {
        if (rc != SQLITE_OK)
            sqlite::throwError(
                m_db, rc, storePath, QStringLiteral("opening the store for dead letters"), true);
        sqlite3_busy_timeout(m_db, busyTimeoutMs);
        if (!sqliteschema::storedVersion(m_db, storePath))
            throw OpenError(
                sqliteschema::notAStoreMessage(storePath, sqliteschema::tableNames(m_db, storePath)));
        m_registration = std::make_unique<openfiles::Registration>(storePath);
        exec(createTable, QStringLiteral("creating the dead_letters table"));
    } catch (...) {
        m_registration.reset();
        sqlite3_close(m_db);
        throw;
    }
}

SqliteDeadLetterQueue::~SqliteDeadLetterQueue()
{
    sqlite3_close(m_db);
    m_registration.reset();
}

void SqliteDeadLetterQueue::exec(const char* sql, const QString& what) const
{
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        sqlite::throwError(m_db, rc, m_path, what, false);
}

DeadLetter SqliteDeadLetterQueue::park(const RecordedEvent& event, const QString& handler,
    const QString& error, int attempts, qint64 firstFailureMs, qint64 lastFailureMs)
{
    QMutexLocker locker(&m_lock);
    const QString eventId = event.id.toString(QUuid::WithoutBraces);
    {
        Query q(m_db,
            "INSERT INTO dead_letters(handler, event_id, position, stream, version, type, schema_version,"
            " timestamp, data, metadata, error, attempts, first_failure, last_failure)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
            " ON CONFLICT(handler, event_id) DO UPDATE SET attempts = attempts + excluded.attempts,"
            " error = excluded.error, last_failure = excluded.last_failure",
            m_path);
        q.bind(1, handler);
        q.bind(2, eventId);
        q.bind(3, event.position.value);
        q.bind(4, event.stream.toString());
        q.bind(5, event.version.value);
        q.bind(6, event.type);
        q.bind(7, qint64(event.schemaVersion));
        q.bind(8, event.timestampMs);
        q.bind(9, event.data);
        q.bind(10, event.metadata);
        q.bind(11, error);
        q.bind(12, qint64(attempts));
        q.bind(13, firstFailureMs);
        q.bind(14, lastFailureMs);
        q.step();
    }
    Query q(m_db, QByteArray(columns) + "WHERE handler = ?1 AND event_id = ?2", m_path);
    q.bind(1, handler);
    q.bind(2, eventId);
    if (!q.step())
        throw StoreError(QStringLiteral("'%1': the dead letter of event %2 for '%3' was not kept")
                             .arg(m_path, eventId, handler));
    return readRow(q);
}

std::vector<DeadLetter> SqliteDeadLetterQueue::select(const char* where, qint64 id) const
{
    QMutexLocker locker(&m_lock);
    Query q(m_db, QByteArray(columns) + where, m_path);
    if (id)
        q.bind(1, id);
    std::vector<DeadLetter> out;
    while (q.step())
        out.push_back(readRow(q));
    return out;
}

std::vector<DeadLetter> SqliteDeadLetterQueue::list() const
{
    return select("ORDER BY id", 0);
}

std::optional<DeadLetter> SqliteDeadLetterQueue::get(qint64 id) const
{
    auto rows = select("WHERE id = ?1", id);
    if (rows.empty())
        return std::nullopt;
    return std::move(rows.front());
}

std::optional<DeadLetter> SqliteDeadLetterQueue::recordFailure(qint64 id, const QString& error, qint64 whenMs)
{
    {
        QMutexLocker locker(&m_lock);
        Query q(m_db,
            "UPDATE dead_letters SET attempts = attempts + 1, error = ?2, last_failure = ?3 WHERE id = ?1",
            m_path);
        q.bind(1, id);
        q.bind(2, error);
        q.bind(3, whenMs);
        q.step();
        if (sqlite3_changes(m_db) == 0)
            return std::nullopt;
    }
    return get(id);
}

bool SqliteDeadLetterQueue::remove(qint64 id)
{
    QMutexLocker locker(&m_lock);
    Query q(m_db, "DELETE FROM dead_letters WHERE id = ?1", m_path);
    q.bind(1, id);
    q.step();
    return sqlite3_changes(m_db) > 0;
}

qsizetype SqliteDeadLetterQueue::count() const
{
    QMutexLocker locker(&m_lock);
    Query q(m_db, "SELECT count(*) FROM dead_letters", m_path);
    return q.step() ? qsizetype(q.integer(0)) : 0;
}

} // namespace chronoscope
