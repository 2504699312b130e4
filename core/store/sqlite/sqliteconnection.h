#pragma once

// Internal to core: a thin layer over one SQLite connection. Qt Sql opens and owns the
// connection; the hot paths use the sqlite3 C API on its handle with cached statements.

#include "store/openfiles.h"

#include <QByteArray>
#include <QMutex>
#include <QSqlDatabase>
#include <QString>

#include <sqlite3.h>

#include <map>
#include <memory>

namespace chronoscope::sqlite {

/// Throws the StoreError subclass that fits an SQLite result code, naming the file:
/// busy/locked, read-only, not a database, damaged... `opening` selects OpenError for the
/// generic cases.
[[noreturn]] void throwError(sqlite3* db, int rc, const QString& fileName, const QString& what, bool opening);

class Connection;

/// A prepared statement in use. A cached statement is reset (and its bindings cleared) when
/// this leaves scope; a one-off statement is finalised.
class Statement {
public:
    Statement(sqlite3_stmt* stmt, const Connection* connection, bool owned)
        : m_stmt(stmt)
        , m_connection(connection)
        , m_owned(owned)
    {
    }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    void bind(int index, qint64 value);
    /// Binds UTF-8 text without copying: `text` must live until the statement is reset.
    void bind(int index, const QByteArray& text);
    void bindText(int index, const char* data, qsizetype size);
    void bindNull(int index);
    /// Runs one step; true when a row is available.
    bool step();
    /// Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    qint64 int64(int column) const { return sqlite3_column_int64(m_stmt, column); }
    bool isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
    QByteArray bytes(int column) const;
    QString text(int column) const;
    sqlite3_stmt* raw() const { return m_stmt; }

private:
    sqlite3_stmt* m_stmt;
    const Connection* m_connection;
    bool m_owned;
};

/// One connection to a store file, to be used by one thread at a time.
class Connection {
public:
    /// Opens the file through Qt Sql (QSQLITE). readOnly opens with QSQLITE_OPEN_READONLY.
    /// Never creates a file unless `create`. Throws OpenError naming the file.
    Connection(const QString& path, bool readOnly, bool create, int busyTimeoutMs);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* handle() const { return m_handle; }
    const QString& fileName() const { return m_path; }
    bool isReadOnly() const { return m_readOnly; }

    /// A statement prepared once per connection; keyed by the address of `sql`, so pass
    /// string literals.
    Statement cached(const char* sql);
    /// A statement prepared for one use.
    Statement prepare(const QByteArray& sql);
    /// Runs SQL without results (several statements allowed).
    void exec(const char* sql, bool opening = false);
    /// The first column of the first row of `sql` as text (pragmas); empty when no row.
    QByteArray scalar(const char* sql, bool opening = false);

    [[noreturn]] void fail(int rc, const QString& what, bool opening = false) const;

    /// Held by whoever uses the connection (its thread, or the store's sweeper).
    QRecursiveMutex& mutex() { return m_mutex; }
    /// Reads run inside a read transaction that is reused for up to `windowNs` as long as
    /// the store's write generation has not moved: this saves SQLite's per-statement lock
    /// round trips (system calls) on point reads. Ends an older or outdated one first.
    void beginReadTransaction(quint64 generation, qint64 windowNs);
    /// Ends the read transaction, if any (before a write, or when it got too old).
    void endReadTransaction();
    /// True when a read transaction has been open for longer than `windowNs`.
    bool readTransactionOlderThan(qint64 windowNs) const;

private:
    QRecursiveMutex m_mutex;
    bool m_inReadTransaction = false;
    quint64 m_readTransactionGeneration = 0;
    qint64 m_readTransactionStartNs = 0;
    QString m_name;
    QString m_path;
    bool m_readOnly;
    QSqlDatabase m_db;
    sqlite3* m_handle = nullptr;
    std::map<const char*, sqlite3_stmt*> m_cache;
    std::unique_ptr<openfiles::Registration> m_registration; ///< released after the close
};

} // namespace chronoscope::sqlite
