#include "store/sqlite/emmettsqlitestore.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

#include <atomic>

namespace chronoscope {

namespace {

const char* const kColumns
    = "global_position, stream_id, stream_position, message_id, message_type, created, "
      "message_data, message_metadata";
const char* const kEventsOnly = "message_kind = 'E' AND is_archived = 0";

QString immutableUri(const QString& path)
{
    // mode=ro: never write; immutable=1: no locks, no -wal/-shm files, no journal recovery.
    return QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toString(QUrl::FullyEncoded)
        + QStringLiteral("?mode=ro&immutable=1");
}

QString openConnection(const QString& path)
{
    static std::atomic<int> counter {0};
    const auto name = QStringLiteral("chronoscope-emmett-%1").arg(++counter);
    auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(immutableUri(path));
    db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI"));
    if (!db.open()) {
        const auto error = db.lastError().text();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
        throw OpenError(QStringLiteral("cannot open '%1' as an Emmett SQLite store: %2").arg(path, error));
    }
    return name;
}

qint64 parseCreated(const QString& text)
{
    // SQLite's CURRENT_TIMESTAMP: "YYYY-MM-DD HH:MM:SS" in UTC; accept ISO-8601 too.
    auto iso = text.trimmed();
    iso.replace(QLatin1Char(' '), QLatin1Char('T'));
    if (!iso.endsWith(QLatin1Char('Z')) && !iso.contains(QLatin1Char('+')))
        iso += QLatin1Char('Z');
    return parseTimestamp(iso).value_or(0);
}

RecordedEvent toEvent(const QSqlQuery& q)
{
    RecordedEvent e;
    e.position = Position(q.value(0).toLongLong());
    e.stream = StreamId(q.value(1).toString());
    e.version = Version(q.value(2).toLongLong());
    e.id = QUuid::fromString(q.value(3).toString());
    e.type = q.value(4).toString();
    e.schemaVersion = 1;
    e.timestampMs = parseCreated(q.value(5).toString());
    e.data = q.value(6).toString().toUtf8();
    e.metadata = q.value(7).toString().toUtf8();
    return e;
}

} // namespace

EmmettSqliteStore::EmmettSqliteStore(const QString& path, QObject* parent)
    : ForeignEventStore(parent)
    , m_path(path)
{
    if (!QFileInfo(path).isFile())
        throw OpenError(QStringLiteral("no such file: '%1'").arg(path));
    if (!looksLikeEmmett(path))
        throw OpenError(
            QStringLiteral("'%1' is not an Emmett SQLite store (no emt_messages and emt_streams tables)")
                .arg(path));
    connectionName(); // open now, so errors show up at once
}

EmmettSqliteStore::~EmmettSqliteStore()
{
    QMutexLocker locker(&m_lock);
    // Each connection belongs to the thread that opened it (QSqlDatabase::database() from this
    // one would only warn "requested database does not belong to the calling thread"):
    // removing the name drops the last handle, which closes the file.
    for (const auto& [thread, name] : m_connections) {
        Q_UNUSED(thread);
        QSqlDatabase::removeDatabase(name);
    }
}

bool EmmettSqliteStore::looksLikeEmmett(const QString& path)
{
    QString name;
    try {
        name = openConnection(path);
    } catch (const OpenError&) {
        return false;
    }
    bool found = false;
    {
        auto db = QSqlDatabase::database(name, false);
        const auto tables = db.tables();
        found = tables.contains(QStringLiteral("emt_messages"))
            && tables.contains(QStringLiteral("emt_streams"));
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return found;
}

QString EmmettSqliteStore::connectionName() const
{
    QMutexLocker locker(&m_lock);
    auto& name = m_connections[std::this_thread::get_id()];
    if (name.isEmpty())
        name = openConnection(m_path);
    return name;
}

QString EmmettSqliteStore::refusal() const
{
    return QStringLiteral("'%1' is an Emmett store, opened read-only: nothing was written").arg(m_path);
}

namespace {
QSqlQuery run(const QString& connection, const QString& sql, const QVariantList& values, const QString& path)
{
    QSqlQuery q(QSqlDatabase::database(connection, false));
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        throw StoreError(QStringLiteral("reading '%1' failed: %2").arg(path, q.lastError().text()));
    for (const auto& v : values)
        q.addBindValue(v);
    if (!q.exec())
        throw StoreError(QStringLiteral("reading '%1' failed: %2").arg(path, q.lastError().text()));
    return q;
}
} // namespace

std::vector<RecordedEvent> EmmettSqliteStore::readStream(
    const StreamId& stream, std::optional<Version> from, qint64 maxCount, Direction direction) const
{
    const bool forward = direction == Direction::Forward;
    const auto sql
        = QStringLiteral("SELECT %1 FROM emt_messages WHERE stream_id = ? AND %2 AND stream_position %3 ? "
                         "ORDER BY stream_position %4 LIMIT ?")
              .arg(QLatin1String(kColumns), QLatin1String(kEventsOnly),
                  forward ? QStringLiteral(">=") : QStringLiteral("<="),
                  forward ? QStringLiteral("ASC") : QStringLiteral("DESC"));
    const qint64 bound = from ? qint64(from->value) : (forward ? 0 : std::numeric_limits<qint64>::max());
    auto q = run(connectionName(), sql, {stream.toString(), bound, maxCount}, m_path);
    std::vector<RecordedEvent> out;
    while (q.next())
        out.push_back(toEvent(q));
    return out;
}

std::vector<RecordedEvent> EmmettSqliteStore::readAll(
    std::optional<Position> from, qint64 maxCount, const EventFilter& filter, Direction direction) const
{
    const bool forward = direction == Direction::Forward;
    QString where
        = QStringLiteral("%1 AND global_position %2 ?")
              .arg(QLatin1String(kEventsOnly), forward ? QStringLiteral(">=") : QStringLiteral("<="));
    QVariantList values {from ? qint64(from->value) : (forward ? 0 : std::numeric_limits<qint64>::max())};
    if (!filter.types.isEmpty()) {
        QStringList marks;
        for (const auto& t : filter.types) {
            marks << QStringLiteral("?");
            values << t;
        }
        where += QStringLiteral(" AND message_type IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    if (!filter.streamPrefix.isEmpty()) {
        where += QStringLiteral(" AND substr(stream_id, 1, length(?)) = ?");
        values << filter.streamPrefix << filter.streamPrefix;
    }
    if (!filter.category.isEmpty()) {
        const QString prefix = filter.category + QLatin1Char('-');
        where += QStringLiteral(" AND substr(stream_id, 1, length(?)) = ?");
        values << prefix << prefix;
    }
    // Time filters compare parsed timestamps in C++: `created` is text in SQLite's own format.
    const bool timeFilter = filter.fromTimeMs || filter.toTimeMs;
    const auto sql
        = QStringLiteral("SELECT %1 FROM emt_messages WHERE %2 ORDER BY global_position %3 %4")
              .arg(QLatin1String(kColumns), where, forward ? QStringLiteral("ASC") : QStringLiteral("DESC"),
                  timeFilter ? QString() : QStringLiteral("LIMIT ?"));
    if (!timeFilter)
        values << maxCount;
    auto q = run(connectionName(), sql, values, m_path);
    std::vector<RecordedEvent> out;
    while (qint64(out.size()) < maxCount && q.next()) {
        auto e = toEvent(q);
        if (filter.matches(e))
            out.push_back(std::move(e));
    }
    return out;
}

std::optional<RecordedEvent> EmmettSqliteStore::readAt(Position position) const
{
    auto q = run(connectionName(),
        QStringLiteral("SELECT %1 FROM emt_messages WHERE global_position = ? AND %2")
            .arg(QLatin1String(kColumns), QLatin1String(kEventsOnly)),
        {qint64(position.value)}, m_path);
    if (q.next())
        return toEvent(q);
    return std::nullopt;
}

std::vector<StreamInfo> EmmettSqliteStore::streams(const QString& prefix) const
{
    auto q = run(connectionName(),
        QStringLiteral(
            "SELECT stream_id, MAX(stream_position), COUNT(*), MIN(global_position), "
            "MAX(global_position), MIN(created), MAX(created) FROM emt_messages "
            "WHERE %1 AND substr(stream_id, 1, length(?)) = ? GROUP BY stream_id ORDER BY stream_id")
            .arg(QLatin1String(kEventsOnly)),
        {QString(prefix.isNull() ? QStringLiteral("") : prefix),
            QString(prefix.isNull() ? QStringLiteral("") : prefix)},
        m_path);
    std::vector<StreamInfo> out;
    while (q.next()) {
        StreamInfo s;
        s.stream = StreamId(q.value(0).toString());
        s.version = Version(q.value(1).toLongLong());
        s.events = q.value(2).toLongLong();
        s.firstPosition = Position(q.value(3).toLongLong());
        s.lastPosition = Position(q.value(4).toLongLong());
        s.firstTimestampMs = parseCreated(q.value(5).toString());
        s.lastTimestampMs = parseCreated(q.value(6).toString());
        out.push_back(s);
    }
    return out;
}

std::optional<StreamInfo> EmmettSqliteStore::streamInfo(const StreamId& stream) const
{
    auto q = run(connectionName(),
        QStringLiteral("SELECT MAX(stream_position), COUNT(*), MIN(global_position), MAX(global_position), "
                       "MIN(created), MAX(created) FROM emt_messages WHERE %1 AND stream_id = ?")
            .arg(QLatin1String(kEventsOnly)),
        {stream.toString()}, m_path);
    if (!q.next() || q.value(1).toLongLong() == 0)
        return std::nullopt;
    StreamInfo s;
    s.stream = stream;
    s.version = Version(q.value(0).toLongLong());
    s.events = q.value(1).toLongLong();
    s.firstPosition = Position(q.value(2).toLongLong());
    s.lastPosition = Position(q.value(3).toLongLong());
    s.firstTimestampMs = parseCreated(q.value(4).toString());
    s.lastTimestampMs = parseCreated(q.value(5).toString());
    return s;
}

StoreSummary EmmettSqliteStore::identity() const
{
    StoreSummary s;
    s.format = QStringLiteral("emmett-sqlite");
    s.location = m_path;
    s.readOnly = true;
    return s;
}

StoreSummary EmmettSqliteStore::summary() const
{
    auto q = run(connectionName(),
        QStringLiteral("SELECT COUNT(*), COUNT(DISTINCT stream_id), COALESCE(MAX(global_position), 0) "
                       "FROM emt_messages WHERE %1")
            .arg(QLatin1String(kEventsOnly)),
        {}, m_path);
    StoreSummary s;
    s.format = QStringLiteral("emmett-sqlite");
    s.location = m_path;
    s.readOnly = true;
    if (q.next()) {
        s.events = q.value(0).toLongLong();
        s.streams = q.value(1).toLongLong();
        s.lastPosition = Position(q.value(2).toLongLong());
    }
    return s;
}

std::vector<TypeCount> EmmettSqliteStore::typeCounts() const
{
    auto q = run(connectionName(),
        QStringLiteral("SELECT message_type, COUNT(*) FROM emt_messages WHERE %1 GROUP BY message_type "
                       "ORDER BY message_type")
            .arg(QLatin1String(kEventsOnly)),
        {}, m_path);
    std::vector<TypeCount> out;
    while (q.next())
        out.push_back({q.value(0).toString(), q.value(1).toLongLong()});
    return out;
}

} // namespace chronoscope
