#include "store/postgres/pgconnection.h"

#include "base/errors.h"

#include <QSqlDriver>
#include <QSqlError>

#include <atomic>

namespace chronoscope::pg {

QString errorText(const QSqlError& error)
{
    auto text = error.databaseText().trimmed();
    if (text.isEmpty())
        text = error.driverText().trimmed();
    // libpq prefixes server messages with "ERROR:  " and may append the SQLSTATE; keep one line.
    if (text.startsWith(QLatin1String("ERROR:")))
        text = text.mid(6).trimmed();
    QStringList lines;
    for (const auto& line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        lines << line.simplified();
    return lines.join(QLatin1String("; "));
}

QString Connection::quoteIdentifier(const QString& name)
{
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

Connection::Connection(const PgLocation& location, bool readOnly)
    : m_location(location)
    , m_readOnly(readOnly)
{
    static std::atomic<int> counter {0};
    m_name = QStringLiteral("chronoscope-pg-%1").arg(counter.fetch_add(1));
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
    if (!m_db.isValid()) {
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
        throw OpenError(QStringLiteral("'%1': the Qt PostgreSQL driver (QPSQL) is not available; install it "
                                       "(Debian: libqt6sql6-psql)")
                            .arg(location.display()));
    }
    m_db.setHostName(location.host);
    m_db.setPort(location.port);
    m_db.setDatabaseName(location.database);
    m_db.setUserName(location.user);
    m_db.setPassword(location.password);
    m_db.setConnectOptions(QStringLiteral("connect_timeout=10;application_name=chronoscope"));
    if (!m_db.open()) {
        const auto error = errorText(m_db.lastError());
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
        throw OpenError(
            QStringLiteral("cannot connect to the PostgreSQL store '%1': %2").arg(location.display(), error));
    }
    try {
        setUpSession(true);
    } catch (...) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
        throw;
    }
}

void Connection::setUpSession(bool opening)
{
    exec(QStringLiteral("SET client_min_messages = warning"), QStringLiteral("setting up the session"),
        opening);
    run(QStringLiteral("SELECT set_config('search_path', ?, false)"), {quoteIdentifier(m_location.schema)},
        QStringLiteral("selecting the schema"), opening);
    if (m_readOnly)
        exec(QStringLiteral("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"),
            QStringLiteral("making the session read-only"), opening);
}

void Connection::reconnectIfLost(const QString& what)
{
    // Only between transactions: statements of a transaction never go to another session.
    if (m_db.isOpen() || m_inTransaction)
        return;
    if (!m_db.open())
        throw StoreError(QStringLiteral("'%1': %2 failed: the server cannot be reached (%3); trying again "
                                        "at the next read")
                             .arg(m_location.display(), what, errorText(m_db.lastError())));
    setUpSession(false);
}

Connection::~Connection()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

void Connection::fail(const QSqlError& error, const QString& what, bool opening) const
{
    QString reason = errorText(error);
    if (reason.isEmpty())
        reason = m_db.isOpen()
            ? QStringLiteral("the driver gave no reason")
            : QStringLiteral("the connection to the server was lost (the server stopped or "
                             "cannot be reached)");
    const auto text = QStringLiteral("'%1': %2 failed: %3").arg(m_location.display(), what, reason);
    if (opening)
        throw OpenError(text);
    if (error.nativeErrorCode() == QLatin1String("25006")) // read_only_sql_transaction
        throw ReadOnlyError(text);
    throw StoreError(text);
}

QSqlQuery Connection::run(const QString& sql, const QVariantList& values, const QString& what, bool opening)
{
    if (!opening)
        reconnectIfLost(what);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        fail(q.lastError(), what, opening);
    for (const auto& value : values)
        q.addBindValue(value);
    if (!q.exec())
        fail(q.lastError(), what, opening);
    return q;
}

void Connection::exec(const QString& sql, const QString& what, bool opening)
{
    if (!opening)
        reconnectIfLost(what);
    QSqlQuery q(m_db);
    if (!q.exec(sql))
        fail(q.lastError(), what, opening);
}

void Connection::begin()
{
    reconnectIfLost(QStringLiteral("starting a transaction"));
    if (!m_db.transaction())
        fail(m_db.lastError(), QStringLiteral("starting a transaction"), false);
    m_inTransaction = true;
}

void Connection::commit()
{
    m_inTransaction = false;
    if (!m_db.commit())
        fail(m_db.lastError(), QStringLiteral("committing"), false);
}

void Connection::rollback() noexcept
{
    m_inTransaction = false;
    m_db.rollback();
}

bool Connection::schemaExists()
{
    auto q = run(QStringLiteral("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?"),
        {m_location.schema}, QStringLiteral("looking for the schema"), true);
    return q.next();
}

QStringList Connection::schemas()
{
    auto q = run(QStringLiteral("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                                "AND nspname <> 'information_schema' ORDER BY nspname COLLATE \"C\""),
        {}, QStringLiteral("listing the schemas"), true);
    QStringList names;
    while (q.next())
        names << q.value(0).toString();
    return names;
}

QStringList Connection::tables()
{
    auto q = run(
        QStringLiteral("SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "
                       "n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', "
                       "'f') AND NOT c.relispartition ORDER BY c.relname COLLATE \"C\""),
        {m_location.schema}, QStringLiteral("listing the tables"), true);
    QStringList names;
    while (q.next())
        names << q.value(0).toString();
    return names;
}

QStringList Connection::columns(const QString& table, QStringList* types)
{
    auto q
        = run(QStringLiteral(
                  "SELECT a.attname, pg_catalog.format_type(a.atttypid, NULL) FROM pg_catalog.pg_attribute a "
                  "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON "
                  "n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND "
                  "NOT a.attisdropped ORDER BY a.attnum"),
            {m_location.schema, table}, QStringLiteral("reading the columns of %1").arg(table), true);
    QStringList names;
    while (q.next()) {
        names << q.value(0).toString();
        if (types)
            *types << q.value(1).toString();
    }
    return names;
}

ThreadConnections::ThreadConnections(PgLocation location, bool readOnly)
    : m_location(std::move(location))
    , m_readOnly(readOnly)
{
}

ThreadConnections::~ThreadConnections()
{
    QMutexLocker locker(&m_lock);
    m_connections.clear();
}

Connection& ThreadConnections::get() const
{
    const auto thread = std::this_thread::get_id();
    {
        QMutexLocker locker(&m_lock);
        const auto it = m_connections.find(thread);
        if (it != m_connections.end())
            return *it->second;
    }
    auto c = std::make_unique<Connection>(m_location, m_readOnly); // outside the lock: connecting may wait
    QMutexLocker locker(&m_lock);
    return *m_connections.emplace(thread, std::move(c)).first->second;
}

} // namespace chronoscope::pg
