#include "bus/deferreddeadletters.h"

#include "bus/sqlitedeadletters.h"

#include <sqlite3.h>

namespace chronoscope {

bool deadLetterTableExists(const QString& path)
{
    sqlite3* db = nullptr;
    const QByteArray file = path.toUtf8();
    bool found = false;
    if (sqlite3_open_v2(file.constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 2000);
        sqlite3_stmt* stmt = nullptr;
        const char* sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'dead_letters'";
        if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK)
            found = sqlite3_step(stmt) == SQLITE_ROW;
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return found;
}

DeferredSqliteDeadLetterQueue::DeferredSqliteDeadLetterQueue(QString storePath)
    : m_path(std::move(storePath))
{
    queue(false);
}

DeferredSqliteDeadLetterQueue::~DeferredSqliteDeadLetterQueue() = default;

SqliteDeadLetterQueue* DeferredSqliteDeadLetterQueue::queue(bool create) const
{
    QMutexLocker locker(&m_lock);
    if (!m_queue && (create || deadLetterTableExists(m_path)))
        m_queue = std::make_unique<SqliteDeadLetterQueue>(m_path);
    return m_queue.get();
}

bool DeferredSqliteDeadLetterQueue::isMaterialised() const
{
    QMutexLocker locker(&m_lock);
    return bool(m_queue);
}

DeadLetter DeferredSqliteDeadLetterQueue::park(const RecordedEvent& event, const QString& handler,
    const QString& error, int attempts, qint64 firstFailureMs, qint64 lastFailureMs)
{
    return queue(true)->park(event, handler, error, attempts, firstFailureMs, lastFailureMs);
}

std::vector<DeadLetter> DeferredSqliteDeadLetterQueue::list() const
{
    const auto* q = queue(false);
    return q ? q->list() : std::vector<DeadLetter> {};
}

std::optional<DeadLetter> DeferredSqliteDeadLetterQueue::get(qint64 id) const
{
    const auto* q = queue(false);
    return q ? q->get(id) : std::nullopt;
}

std::optional<DeadLetter> DeferredSqliteDeadLetterQueue::recordFailure(
    qint64 id, const QString& error, qint64 whenMs)
{
    auto* q = queue(false);
    return q ? q->recordFailure(id, error, whenMs) : std::nullopt;
}

bool DeferredSqliteDeadLetterQueue::remove(qint64 id)
{
    auto* q = queue(false);
    return q && q->remove(id);
}

qsizetype DeferredSqliteDeadLetterQueue::count() const
{
    const auto* q = queue(false);
    return q ? q->count() : 0;
}

} // namespace chronoscope
