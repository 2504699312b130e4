#include "store/storefactory.h"

#include "formats/foreignimports.h"
#include "formats/jsonlines.h"
#include "store/memoryeventstore.h"
#include "store/openfiles.h"
#include "store/postgres/pgconnection.h"
#include "store/postgres/pglocation.h"
#include "store/postgres/pgstorefactory.h"
#include "store/sqlite/emmettsqlitestore.h"
#include "store/sqlite/sqleventstore.h"
#include "store/sqlite/sqliteschema.h"
#include "store/storefiles.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <sqlite3.h>

namespace chronoscope {

namespace {

/// What a look inside an SQLite file found.
struct SqliteProbe {
    StoreFormat format = StoreFormat::OtherSqlite;
    QStringList tables;
    QString error; ///< why the tables could not be read (locked, damaged...); empty when they could
};

bool hasSqliteHeader(QFile& file)
{
    static const QByteArray magic("SQLite format 3\0", 16);
    return file.read(16) == magic;
}

/// Opens the file read-only with the sqlite3 C API (no Qt connection name, nothing written).
/// `immutable` also keeps SQLite from creating -wal/-shm files beside a foreign WAL database.
SqliteProbe probeSqlite(const QString& path, bool immutable)
{
    SqliteProbe probe;
    sqlite3* db = nullptr;
    const QString uri = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toString(QUrl::FullyEncoded)
        + (immutable ? QStringLiteral("?mode=ro&immutable=1") : QStringLiteral("?mode=ro"));
    const int rc
        = sqlite3_open_v2(uri.toUtf8().constData(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    try {
        if (rc != SQLITE_OK)
            throw OpenError(QStringLiteral("'%1' cannot be opened: %2")
                                .arg(path, QString::fromUtf8(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc))));
        sqlite3_busy_timeout(db, 1000);
        if (sqliteschema::storedVersion(db, path)) {
            probe.format = StoreFormat::ChronoscopeSqlite;
        } else {
            probe.tables = sqliteschema::tableNames(db, path);
            if (probe.tables.contains(QStringLiteral("emt_messages"))
                && probe.tables.contains(QStringLiteral("emt_streams")))
                probe.format = StoreFormat::EmmettSqlite;
        }
    } catch (const StoreError& error) {
        probe.error = error.message();
    }
    sqlite3_close(db);
    return probe;
}

/// Looks without changing anything: first immutably (a foreign WAL file gets no -wal/-shm
/// beside it); when that finds no known schema and a -wal file already exists (a store in use,
/// whose tables may still live in the WAL), looks again through the WAL.
SqliteProbe probeSqlite(const QString& path)
{
    // An immutable connection takes no locks, and closing its descriptor would drop the locks
    // that this process's open connections hold on the file (see openfiles.h): while SQLite has
    // the file open here, look through a plain read-only connection, which SQLite shares safely.
    if (openfiles::isOpenBySqlite(path))
        return probeSqlite(path, false);
    auto probe = probeSqlite(path, true);
    if (probe.format == StoreFormat::OtherSqlite && QFileInfo::exists(path + QStringLiteral("-wal")))
        probe = probeSqlite(path, false);
    return probe;
}

/// True when the first non-blank byte (after a byte order mark) opens a JSON object: one
/// event per line. Whether every line really is one is the JSON Lines reader's to say, with
/// the line number; so `info`, `import` and the window agree on what a file is, however long
/// its first line.
bool looksLikeJsonLines(QFile& file)
{
    QByteArray head = file.read(3);
    if (head.startsWith("\xEF\xBB\xBF"))
        head.clear();
    for (;;) {
        for (const char c : head) {
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
                continue;
            return c == '{';
        }
        head = file.read(1 << 16);
        if (head.isEmpty())
            return false; // the end (or a read error)
    }
}

} // namespace

StoreFormat detectFormat(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return StoreFormat::Missing;
    if (info.isDir())
        return StoreFormat::Unknown;
    // Open through SQLite here: reading it with a descriptor of our own would drop its locks.
    if (openfiles::isOpenBySqlite(path))
        return probeSqlite(path).format;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return StoreFormat::Unknown;
    if (hasSqliteHeader(file)) {
        file.close();
        return probeSqlite(path).format;
    }
    file.seek(0);
    if (const auto foreign = foreignimports::detect(file); foreign != foreignimports::Kind::None)
        return foreign == foreignimports::Kind::ReduxDevTools ? StoreFormat::ReduxDevTools
                                                              : StoreFormat::KurrentJson;
    file.seek(0);
    return looksLikeJsonLines(file) ? StoreFormat::JsonLines : StoreFormat::Unknown;
}

QString formatName(StoreFormat format)
{
    switch (format) {
    case StoreFormat::Missing:
        return QStringLiteral("missing");
    case StoreFormat::ChronoscopeSqlite:
        return QStringLiteral("chronoscope-sqlite");
    case StoreFormat::JsonLines:
        return QStringLiteral("jsonl");
    case StoreFormat::EmmettSqlite:
        return QStringLiteral("emmett-sqlite");
    case StoreFormat::OtherSqlite:
        return QStringLiteral("sqlite");
    case StoreFormat::ReduxDevTools:
        return QStringLiteral("redux-devtools");
    case StoreFormat::KurrentJson:
        return QStringLiteral("kurrent-json");
    case StoreFormat::Unknown:
        return QStringLiteral("unknown");
    }
    return {};
}

std::unique_ptr<EventStore> openStore(const QString& path, const OpenOptions& options)
{
    if (isPostgresUrl(path))
        return openPostgresStore(path, options.readOnly, options.create);
    const QFileInfo info(path);
    if (!info.exists()) {
        if (options.create)
            return createSqliteStore(path);
        throw OpenError(QStringLiteral("'%1': no such file").arg(path));
    }
    if (info.isDir())
        throw OpenError(QStringLiteral("'%1' is a folder, not an event store").arg(path));
    // Already open through SQLite in this process (a reopen with upcasters, say): no descriptor
    // of our own, which would drop the open connections' locks when closed (see openfiles.h).
    const bool openHere = openfiles::isOpenBySqlite(path);
    QFile file(path);
    if (!openHere && !file.open(QIODevice::ReadOnly))
        throw OpenError(QStringLiteral("'%1' cannot be read: %2").arg(path, file.errorString()));

    if (openHere || hasSqliteHeader(file)) {
        file.close();
        const auto probe = probeSqlite(path);
        if (!probe.error.isEmpty())
            throw OpenError(probe.error);
        if (probe.format == StoreFormat::EmmettSqlite)
            return std::make_unique<EmmettSqliteStore>(path); // foreign: always read-only
        if (probe.format != StoreFormat::ChronoscopeSqlite)
            throw OpenError(sqliteschema::notAStoreMessage(path, probe.tables));
        SqlStoreOptions sqlOptions;
        sqlOptions.readOnly = options.readOnly;
        return std::make_unique<SqlEventStore>(path, sqlOptions);
    }

    file.seek(0);
    if (const auto foreign = foreignimports::detect(file); foreign != foreignimports::Kind::None) {
        file.close();
        return foreignimports::openInMemory(path, foreign);
    }
    file.seek(0);
    if (!looksLikeJsonLines(file)) {
        throw OpenError(info.size() == 0
                ? QStringLiteral("'%1' is empty: it is not an event store").arg(path)
                : QStringLiteral("'%1' is not an event store: neither SQLite nor JSON Lines").arg(path));
    }
    file.seek(0);
    auto store = std::make_unique<MemoryEventStore>(QStringLiteral("jsonl"), path);
    try {
        store->importRecorded(jsonlines::parse(file, path, QDateTime::currentMSecsSinceEpoch()));
    } catch (const OpenError&) {
        throw;
    } catch (const StoreError& error) {
        throw OpenError(error.message());
    }
    store->setReadOnly(true);
    return store;
}

std::unique_ptr<EventStore> createSqliteStore(const QString& path)
{
    if (isPostgresUrl(path))
        throw OpenError(
            QStringLiteral("'%1' is a PostgreSQL URL, not a file: a new SQLite store needs a file path")
                .arg(parsePgUrl(path).display()));
    const auto exists = [&path] {
        return AlreadyExists(QStringLiteral("'%1' already exists: a new store needs a new file").arg(path));
    };
    if (QFileInfo::exists(path))
        throw exists();
    // Made complete under a name of this process's own, then named `path` only if nothing has
    // that name yet: two processes creating the same store race safely (one wins, the other is
    // told it exists) and nobody ever sees or removes a half-made store.
    storefiles::removeAbandonedPartials(path);
    const auto partial = storefiles::partialSibling(path);
    try {
        {
            SqlStoreOptions options;
            options.create = true;
            SqlEventStore store(partial, options);
        }
        if (QFileInfo::exists(partial + QStringLiteral("-wal")))
            throw StoreError(QStringLiteral("'%1': the new store was not closed cleanly").arg(partial));
        if (!storefiles::publishNew(partial, path))
            throw exists();
    } catch (...) {
        storefiles::removeWithCompanions(partial);
        throw;
    }
    return std::make_unique<SqlEventStore>(path, SqlStoreOptions {});
}

void reachPostgres(const QString& url)
{
    const pg::Connection probe(parsePgUrl(url), true);
}

} // namespace chronoscope
