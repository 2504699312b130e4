#include "store/sqlite/sqliteconnection.h"

#include "base/errors.h"

#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QVariant>

#include <atomic>
#include <chrono>

namespace chronoscope::sqlite {

void throwError(sqlite3* db, int rc, const QString& fileName, const QString& what, bool opening)
{
    const auto detail = QString::fromUtf8(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: {
        const auto text
            = QStringLiteral("'%1' is locked by another connection or program (%2 gave up waiting: %3)")
                  .arg(fileName, what, detail);
        if (opening)
            throw OpenError(text);
        throw StoreError(text);
    }
    case SQLITE_READONLY:
        throw ReadOnlyError(QStringLiteral(
            "'%1' cannot be written: the file or its folder is read-only (%2: %3); nothing was written")
                                .arg(fileName, what, detail));
    case SQLITE_NOTADB:
        throw OpenError(QStringLiteral("'%1' is not an SQLite database (%2)").arg(fileName, detail));
    case SQLITE_CORRUPT:
    case SQLITE_IOERR:
        // A person reads this in the status bar: what is wrong with the file, not the statement.
        throw OpenError(QStringLiteral("'%1' is damaged or was cut short by another program (%2); nothing "
                                       "was written to it")
                            .arg(fileName, detail));
    case SQLITE_CANTOPEN:
        throw OpenError(QStringLiteral("'%1' cannot be opened (%2)").arg(fileName, detail));
    default:
        break;
    }
    const auto text = QStringLiteral("'%1': %2 failed: %3").arg(fileName, what, detail);
    if (opening)
        throw OpenError(text);
    throw StoreError(text);
}

// --- Statement ---------------------------------------------------------------------------

Statement::~Statement()
{
    if (m_owned) {
        sqlite3_finalize(m_stmt);
    } else {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

void Statement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void Statement::bind(int index, const QByteArray& text)
{
    bindText(index, text.constData(), text.size());
}

void Statement::bindText(int index, const char* data, qsizetype size)
{
    // A null pointer would bind NULL; an empty text must stay an empty text.
    sqlite3_bind_text64(m_stmt, index, data ? data : "", sqlite3_uint64(size), SQLITE_STATIC, SQLITE_UTF8);
}

void Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    m_connection->fail(rc, QString::fromUtf8(sqlite3_sql(m_stmt)).simplified().left(60));
}

void Statement::run()
{
    while (step()) { }
    sqlite3_reset(m_stmt);
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
}

QByteArray Statement::bytes(int column) const
{
    const auto* data = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return size > 0 ? QByteArray(data, size) : QByteArray();
}

QString Statement::text(int column) const
{
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
}

// --- Connection --------------------------------------------------------------------------

Connection::Connection(const QString& path, bool readOnly, bool create, int busyTimeoutMs)
    : m_path(path)
    , m_readOnly(readOnly)
{
    static std::atomic<int> counter {0};
    if (!create && !QFileInfo::exists(path))
        throw OpenError(QStringLiteral("'%1': no such file").arg(path));
    m_name = QStringLiteral("chronoscope-sqlite-%1").arg(counter.fetch_add(1));
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    if (!m_db.isValid()) {
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
        throw OpenError(QStringLiteral("'%1': the Qt SQLite driver (QSQLITE) is not available").arg(path));
    }
    m_db.setDatabaseName(path);
    auto options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs);
    if (readOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    m_db.setConnectOptions(options);
    const auto cleanUp = [this] {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    };
    if (!m_db.open()) {
        const auto error = m_db.lastError().text();
        cleanUp();
        throw OpenError(QStringLiteral("'%1' cannot be opened: %2").arg(path, error));
    }
    const QVariant handle = m_db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0
        || !(m_handle = *static_cast<sqlite3* const*>(handle.constData()))) {
        cleanUp();
        throw OpenError(QStringLiteral("'%1': the Qt SQLite driver gave no sqlite3 handle").arg(path));
    }
    m_registration = std::make_unique<openfiles::Registration>(path);
}

Connection::~Connection()
{
    endReadTransaction();
    for (auto& [sql, stmt] : m_cache)
        sqlite3_finalize(stmt);
    m_cache.clear();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
    m_registration.reset();
}

void Connection::fail(int rc, const QString& what, bool opening) const
{
    throwError(m_handle, rc, m_path, what, opening);
}

namespace {
qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

void Connection::beginReadTransaction(quint64 generation, qint64 windowNs)
{
    if (m_inReadTransaction) {
        if (generation == m_readTransactionGeneration && nowNs() - m_readTransactionStartNs <= windowNs)
            return;
        endReadTransaction();
    }
    if (!sqlite3_get_autocommit(m_handle))
        return; // inside a write transaction: reads see it as it is
    exec("BEGIN");
    m_inReadTransaction = true;
    m_readTransactionGeneration = generation;
    m_readTransactionStartNs = nowNs();
}

void Connection::endReadTransaction()
{
    if (!m_inReadTransaction)
        return;
    m_inReadTransaction = false;
    if (!sqlite3_get_autocommit(m_handle))
        sqlite3_exec(m_handle, "COMMIT", nullptr, nullptr, nullptr);
}

bool Connection::readTransactionOlderThan(qint64 windowNs) const
{
    return m_inReadTransaction && nowNs() - m_readTransactionStartNs > windowNs;
}

Statement Connection::cached(const char* sql)
{
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        sqlite3_stmt* stmt = nullptr;
        const int rc = sqlite3_prepare_v3(m_handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK)
            fail(rc, QString::fromUtf8(sql).simplified().left(60));
        it = m_cache.emplace(sql, stmt).first;
    }
    return Statement(it->second, this, false);
}

Statement Connection::prepare(const QByteArray& sql)
{
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(m_handle, sql.constData(), int(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK)
        fail(rc, QString::fromUtf8(sql).simplified().left(60));
    return Statement(stmt, this, true);
}

void Connection::exec(const char* sql, bool opening)
{
    const int rc = sqlite3_exec(m_handle, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        fail(rc, QString::fromUtf8(sql).simplified().left(60), opening);
}

QByteArray Connection::scalar(const char* sql, bool opening)
{
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(m_handle, sql, -1, &stmt, nullptr);
    if (rc != SQLITE_OK)
        fail(rc, QString::fromUtf8(sql), opening);
    QByteArray value;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        value = QByteArray(
            reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), sqlite3_column_bytes(stmt, 0));
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        fail(rc, QString::fromUtf8(sql), opening);
    return value;
}

} // namespace chronoscope::sqlite
