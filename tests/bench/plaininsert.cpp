#include "bench/plaininsert.h"

#include "store/sqlite/sqliteschema.h"

#include <QFile>

#include <sqlite3.h>

#include <cstring>
#include <stdexcept>

namespace chronoscope::bench {

namespace {

void check(sqlite3* db, int rc, const char* what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

struct Row {
    qint64 position;
    QByteArray stream;
    qint64 version;
    QByteArray id;
    QByteArray type;
    qint64 schemaVersion;
    qint64 timestamp;
    QByteArray data;
    QByteArray metadata;
};

} // namespace

Stopwatch plainInsert(const QString& path, const Workload& workload, qint64 batchSize)
{
    sqlite3* db = nullptr;
    check(db,
        sqlite3_open_v2(
            QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
        "open");
    check(db,
        sqlite3_exec(db,
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;"
            " PRAGMA cache_size = -32768; PRAGMA mmap_size = 268435456",
            nullptr, nullptr, nullptr),
        "pragmas");
    // The very same DDL the store runs for its events table and indexes.
    for (const char* sql : sqliteschema::migrations().front().statements) {
        if (std::strstr(sql, "CREATE TABLE events") == sql || std::strstr(sql, "CREATE INDEX") == sql)
            check(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql);
    }
    sqlite3_stmt* insert = nullptr;
    check(db,
        sqlite3_prepare_v3(db,
            "INSERT INTO events(position, stream, version, id, type, schema_version, timestamp,"
            " data, metadata) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            -1, SQLITE_PREPARE_PERSISTENT, &insert, nullptr),
        "prepare");
    Stopwatch watch;
    std::vector<Row> rows;
    for (qint64 first = 0; first < workload.events(); first += batchSize) {
        const qint64 count = std::min(batchSize, workload.events() - first);
        rows.clear();
        for (const auto& e : workload.recorded(first, count))
            rows.push_back(Row {e.position.value, e.stream.toString().toUtf8(), e.version.value,
                e.id.toByteArray(QUuid::WithoutBraces), e.type.toUtf8(), e.schemaVersion, e.timestampMs,
                e.data, e.metadata});
        watch.start();
        check(db, sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "begin");
        for (const Row& r : rows) {
            sqlite3_bind_int64(insert, 1, r.position);
            sqlite3_bind_text(insert, 2, r.stream.constData(), int(r.stream.size()), SQLITE_STATIC);
            sqlite3_bind_int64(insert, 3, r.version);
            sqlite3_bind_text(insert, 4, r.id.constData(), int(r.id.size()), SQLITE_STATIC);
            sqlite3_bind_text(insert, 5, r.type.constData(), int(r.type.size()), SQLITE_STATIC);
            sqlite3_bind_int64(insert, 6, r.schemaVersion);
            sqlite3_bind_int64(insert, 7, r.timestamp);
            sqlite3_bind_text(insert, 8, r.data.constData(), int(r.data.size()), SQLITE_STATIC);
            sqlite3_bind_text(insert, 9, r.metadata.constData(), int(r.metadata.size()), SQLITE_STATIC);
            check(db, sqlite3_step(insert), "insert");
            sqlite3_reset(insert);
        }
        check(db, sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), "commit");
        watch.stop();
    }
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return watch;
}

} // namespace chronoscope::bench
