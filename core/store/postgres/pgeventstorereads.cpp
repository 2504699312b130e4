// The read side of PgEventStore: every read is one indexed query on the calling thread's
// connection; summaries come from the counter tables, never from a scan of the events.
#include "store/postgres/pgeventreads.h"
#include "store/postgres/pgeventstore.h"

#include <QSqlQuery>

namespace chronoscope {

namespace {

#define CHRONOSCOPE_PG_STREAM_COLUMNS                                                                        \
    "stream, version, events, first_position, last_position, first_timestamp_ms, last_timestamp_ms"

/// Our events table, as the shared readers see it.
const pg::EventColumns& nativeColumns()
{
    static const pg::EventColumns columns {QStringLiteral("events"), QStringLiteral("position"),
        QStringLiteral("stream"), QStringLiteral("version"), QStringLiteral("CAST(id AS text)"),
        QStringLiteral("type"), QStringLiteral("schema_version"), QStringLiteral("timestamp_ms"),
        QStringLiteral("data"), QStringLiteral("metadata"), QStringLiteral("TRUE"),
        QStringLiteral("stream = ?")};
    return columns;
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
    auto events
        = pg::readEvents(m_connections.get(), pg::eventAtQuery(nativeColumns(), position), pg::eventFromRow);
    if (events.empty())
        return std::nullopt;
    return std::move(events.front());
}

std::vector<RecordedEvent> PgEventStore::readStream(
    const StreamId& stream, std::optional<Version> from, qint64 maxCount, Direction direction) const
{
    return pg::readEvents(m_connections.get(),
        pg::streamEventsQuery(nativeColumns(), stream, from, maxCount, direction), pg::eventFromRow);
}

std::vector<RecordedEvent> PgEventStore::readAll(
    std::optional<Position> from, qint64 maxCount, const EventFilter& filter, Direction direction) const
{
    return pg::readEvents(m_connections.get(),
        pg::allEventsQuery(nativeColumns(), from, maxCount, filter, direction), pg::eventFromRow);
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
