#pragma once

#include "store/postgres/pglocation.h"

#include <QMutex>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>
#include <QVariantList>

#include <map>
#include <memory>
#include <thread>

namespace chronoscope::pg {

/// One connection to a PostgreSQL database through Qt Sql's QPSQL driver, used only by the
/// thread that opened it. Every table name is looked up in the location's schema (the
/// connection's search_path). A read-only connection runs every transaction READ ONLY, so the
/// server itself refuses any write.
class Connection {
public:
    /// Connects; throws OpenError naming the store (password hidden) and the server's reason.
    Connection(const PgLocation& location, bool readOnly);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    const PgLocation& location() const { return m_location; }
    bool isReadOnly() const { return m_readOnly; }

    /// Runs one statement, binding `values` to its `?` placeholders in order. Throws StoreError
    /// (OpenError when `opening`) naming the store, `what` was being done and the server's message.
    QSqlQuery run(const QString& sql, const QVariantList& values, const QString& what, bool opening = false);
    /// Runs statements without parameters (several may be separated by ';').
    void exec(const QString& sql, const QString& what, bool opening = false);

    void begin();
    void commit();
    /// Rolls back the open transaction, if any; never throws.
    void rollback() noexcept;

    /// True when the schema exists in the database.
    bool schemaExists();
    /// Names of the schemas a user made (system schemas left out), ordered by name.
    QStringList schemas();
    /// Tables (plain, partitioned, views) of the schema, partitions left out, ordered by name.
    QStringList tables();
    /// Column name -> type name (e.g. "uuid", "text") of a table of the schema.
    QStringList columns(const QString& table, QStringList* types = nullptr);

    /// `name` as a quoted SQL identifier.
    static QString quoteIdentifier(const QString& name);

    /// The Qt driver of the connection (LISTEN and its notifications go through it).
    QSqlDriver* driver() const { return m_db.driver(); }

private:
    [[noreturn]] void fail(const QSqlError& error, const QString& what, bool opening) const;
    void setUpSession(bool opening);
    /// A connection the server dropped (it stopped, the network went) is made again before the
    /// next statement outside a transaction; throws StoreError while the server cannot be reached.
    void reconnectIfLost(const QString& what);

    PgLocation m_location;
    bool m_readOnly;
    QString m_name;
    QSqlDatabase m_db;
    bool m_inTransaction = false;
};

/// A transaction on a connection, rolled back unless committed.
class Transaction {
public:
    explicit Transaction(Connection& c)
        : m_connection(c)
    {
        m_connection.begin();
    }
    ~Transaction()
    {
        if (!m_done)
            m_connection.rollback();
    }
    void commit()
    {
        m_connection.commit();
        m_done = true;
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

private:
    Connection& m_connection;
    bool m_done = false;
};

/// One connection per calling thread, opened on first use; all are closed with this object.
class ThreadConnections {
public:
    ThreadConnections(PgLocation location, bool readOnly);
    ~ThreadConnections();
    /// The calling thread's connection; throws OpenError when it cannot be made.
    Connection& get() const;
    const PgLocation& location() const { return m_location; }

private:
    PgLocation m_location;
    bool m_readOnly;
    mutable QMutex m_lock;
    mutable std::map<std::thread::id, std::unique_ptr<Connection>> m_connections;
};

/// The error text of a failed query: the server's message, else the driver's.
QString errorText(const QSqlError& error);

} // namespace chronoscope::pg
