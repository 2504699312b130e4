// The read side of PgEventStore: every read is one indexed query on the calling thread's
// connection; summaries come from the counter tables, never from a scan of the events.
#include "store/postgres/pgeventstore.h"

#include <QSqlQuery>

#include <limits>

namespace chronoscope {

namespace {

#define CHRONOSCOPE_PG_EVENT_COLUMNS                                                                         \
    "position, stream, version, CAST(id AS text), type, schema_version, timestamp_ms, data, metadata"
#define CHRONOSCOPE_PG_STREAM_COLUMNS                                                                        \
    "stream, version, events, first_position, last_position, first_timestamp_ms, last_timestamp_ms"

constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kMin = std::numeric_limits<qint64>::min();

RecordedEvent readEvent(const QSqlQuery& q)
{
    RecordedEvent e;
    e.position = Position(q.value(0).toLongLong());
    e.stream = StreamId(q.value(1).toString());
    e.version = Version(q.value(2).toLongLong());
    e.id = QUuid::fromString(q.value(3).toString());
    e.type = q.value(4).toString();
    e.schemaVersion = q.value(5).toInt();
    e.timestampMs = q.value(6).toLongLong();
    e.data = q.value(7).toString().toUtf8();
    e.metadata = q.value(8).toString().toUtf8();
    return e;
}

StreamInfo readStreamInfo(const QSqlQuery& q)
{
    StreamInfo s;
    s.stream = StreamId(q.value(0).toString());
    s.version = Version(q.value(1).toLongLong());
    s.events = q.value(2).toLongLong();
    s.firstPosition = Position(q.value(3).toLongLong());
    s.lastPosition = Position(q.value(4).toLongLong());
    s.firstTimestampMs = q.value(5).toLongLong();
    s.lastTimestampMs = q.value(6).toLongLong();
    return s;
}

} // namespace

std::optional<RecordedEvent> PgEventStore::readAt(Position position) const
{
    auto q = m_connections.get().run(
        QStringLiteral("SELECT " CHRONOSCOPE_PG_EVENT_COLUMNS " FROM events WHERE position = ?"),
        {qlonglong(position.value)}, QStringLiteral("reading position %1").arg(position.value));
    if (!q.next())
        return std::nullopt;
    return readEvent(q);
}

std::vector<RecordedEvent> PgEventStore::readStream(
    const StreamId& stream, std::optional<Version> from, qint64 maxCount, Direction direction) const
{
    std::vector<RecordedEvent> out;
    if (maxCount <= 0)
        return out;
    const bool forward = direction == Direction::Forward;
    auto q = m_connections.get().run(forward
            ? QStringLiteral("SELECT " CHRONOSCOPE_PG_EVENT_COLUMNS
                             " FROM events WHERE stream = ? AND version >= ? ORDER BY version LIMIT ?")
            : QStringLiteral("SELECT " CHRONOSCOPE_PG_EVENT_COLUMNS
                             " FROM events WHERE stream = ? AND version <= ? ORDER BY version DESC LIMIT ?"),
        {stream.toString(), from ? from->value : (forward ? kMin : kMax), maxCount},
        QStringLiteral("reading stream '%1'").arg(stream.toString()));
    while (q.next())
        out.push_back(readEvent(q));
    return out;
}

std::vector<RecordedEvent> PgEventStore::readAll(
    std::optional<Position> from, qint64 maxCount, const EventFilter& filter, Direction direction) const
{
    std::vector<RecordedEvent> out;
    if (maxCount <= 0)
        return out;
    // A category is the part before the first '-': category "cart" is the prefix "cart-".
    if (!filter.category.isEmpty() && filter.category.contains(QLatin1Char('-')))
        return out;
    const bool forward = direction == Direction::Forward;
    QString sql = QStringLiteral("SELECT " CHRONOSCOPE_PG_EVENT_COLUMNS " FROM events WHERE position ")
        + (forward ? QStringLiteral(">= ?") : QStringLiteral("<= ?"));
    QVariantList values {from ? from->value : (forward ? kMin : kMax)};
    if (!filter.types.isEmpty()) {
        QStringList marks;
        for (const auto& type : filter.types) {
            marks << QStringLiteral("?");
            values << type;
        }
        sql += QStringLiteral(" AND type IN (") + marks.join(QLatin1String(", ")) + QLatin1Char(')');
    }
    for (const QString& prefix :
        {filter.streamPrefix, filter.category.isEmpty() ? QString() : filter.category + QLatin1Char('-')}) {
        if (prefix.isEmpty())
            continue;
        sql += QStringLiteral(" AND starts_with(stream, CAST(? AS text))");
        values << prefix;
    }
    if (filter.fromTimeMs) {
        sql += QStringLiteral(" AND timestamp_ms >= ?");
        values << *filter.fromTimeMs;
    }
    if (filter.toTimeMs) {
        sql += QStringLiteral(" AND timestamp_ms < ?");
        values << *filter.toTimeMs;
    }
    sql += forward ? QStringLiteral(" ORDER BY position LIMIT ?")
                   : QStringLiteral(" ORDER BY position DESC LIMIT ?");
    values << maxCount;
    auto q = m_connections.get().run(sql, values, QStringLiteral("reading events"));
    while (q.next())
        out.push_back(readEvent(q));
    return out;
}

std::vector<StreamInfo> PgEventStore::streams(const QString& prefix) const
{
    std::vector<StreamInfo> out;
    auto q = m_connections.get().run(prefix.isEmpty()
            ? QStringLiteral(
                "SELECT " CHRONOSCOPE_PG_STREAM_COLUMNS " FROM streams ORDER BY stream COLLATE \"C\"")
            : QStringLiteral(
                "SELECT " CHRONOSCOPE_PG_STREAM_COLUMNS
                " FROM streams WHERE starts_with(stream, CAST(? AS text)) ORDER BY stream COLLATE \"C\""),
        prefix.isEmpty() ? QVariantList {} : QVariantList {prefix}, QStringLiteral("listing the streams"));
    while (q.next())
        out.push_back(readStreamInfo(q));
    return out;
}

std::optional<StreamInfo> PgEventStore::streamInfo(const StreamId& stream) const
{
    auto q = m_connections.get().run(
        QStringLiteral("SELECT " CHRONOSCOPE_PG_STREAM_COLUMNS " FROM streams WHERE stream = ?"),
        {stream.toString()}, QStringLiteral("reading stream '%1'").arg(stream.toString()));
    if (!q.next())
        return std::nullopt;
    return readStreamInfo(q);
}

StoreSummary PgEventStore::summary() const
{
    auto q = m_connections.get().run(
        QStringLiteral("SELECT events, streams, last_position FROM totals WHERE id = 1"), {},
        QStringLiteral("reading the totals"));
    StoreSummary s;
    s.format = QStringLiteral("chronoscope-postgresql");
    s.location = m_connections.location().display();
    s.readOnly = m_readOnly;
    if (q.next()) {
        s.events = q.value(0).toLongLong();
        s.streams = q.value(1).toLongLong();
        s.lastPosition = Position(q.value(2).toLongLong());
    }
    return s;
}

std::vector<TypeCount> PgEventStore::typeCounts() const
{
    auto q = m_connections.get().run(
        QStringLiteral("SELECT type, events FROM type_counts WHERE events > 0 ORDER BY type COLLATE \"C\""),
        {}, QStringLiteral("reading the type counts"));
    std::vector<TypeCount> out;
    while (q.next())
        out.push_back({q.value(0).toString(), q.value(1).toLongLong()});
    return out;
}

} // namespace chronoscope
