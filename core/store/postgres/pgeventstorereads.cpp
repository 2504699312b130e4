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

namespace {

/// A glob (SQLite's GLOB: * ? [abc] [a-z] [^a], everything else literal) as an anchored POSIX
/// regular expression for PostgreSQL's `~`. Linear; an unclosed '[' is a literal, as in GLOB.
QString globToRegex(const QString& glob)
{
    QString out = QStringLiteral("^");
    for (qsizetype i = 0; i < glob.size(); ++i) {
        const QChar c = glob[i];
        if (c == QLatin1Char('*')) {
            out += QStringLiteral(".*");
            continue;
        }
        if (c == QLatin1Char('?')) {
            out += QLatin1Char('.');
            continue;
        }
        if (c == QLatin1Char('[')) {
            const qsizetype j = streamquery::globClassEnd(glob, i);
            if (j >= 0) {
                out += QLatin1Char('[');
                qsizetype k = i + 1;
                if (glob[k] == QLatin1Char('^')) {
                    out += QLatin1Char('^');
                    ++k;
                }
                for (; k < j; ++k) {
                    const QChar m = glob[k];
                    if (m == QLatin1Char('\\') || m == QLatin1Char('[') || m == QLatin1Char(']')
                        || (m == QLatin1Char('^') && k > i + 1))
                        out += QLatin1Char('\\');
                    out += m;
                }
                out += QLatin1Char(']');
                i = j;
                continue;
            }
        }
        if (QStringLiteral("\\.^$|()[]{}*+?").contains(c))
            out += QLatin1Char('\\');
        out += c;
    }
    return out + QLatin1Char('$');
}

} // namespace

std::vector<StreamInfo> PgEventStore::streamPage(
    const StreamQuery& query, const std::optional<StreamInfo>& after, qint64 limit) const
{
    // Every value is bound; ids are ordered by bytes (COLLATE "C"), as SQLite and the default do.
    const char* key = streamquery::sortColumn(query.sort);
    QString sql = QStringLiteral("SELECT " CHRONOSCOPE_PG_STREAM_COLUMNS " FROM streams WHERE TRUE");
    QVariantList values;
    if (query.category) {
        // "" is "no category"; a null QString would be bound as NULL, which matches nothing.
        sql += QStringLiteral(" AND category = CAST(? AS text)");
        values << (query.category->isEmpty() ? QStringLiteral("") : *query.category);
    }
    if (!query.text.isEmpty()) {
        switch (query.match) {
        case StreamQuery::Match::Prefix:
            sql += QStringLiteral(" AND starts_with(stream, CAST(? AS text))");
            values << query.text;
            break;
        case StreamQuery::Match::Substring:
            sql += QStringLiteral(" AND strpos(lower(stream), lower(CAST(? AS text))) > 0");
            values << query.text;
            break;
        case StreamQuery::Match::Glob:
            sql += QStringLiteral(" AND stream ~ CAST(? AS text)");
            values << globToRegex(query.text);
            break;
        }
    }
    const QString cmp = query.descending ? QStringLiteral(" < ") : QStringLiteral(" > ");
    if (after) {
        if (key) {
            const qint64 value = streamquery::sortKey(query.sort, *after);
            sql += QStringLiteral(
                " AND (%1, stream COLLATE \"C\")%2(CAST(? AS bigint), CAST(? AS text) COLLATE \"C\")")
                       .arg(QLatin1String(key), cmp);
            values << value << after->stream.toString();
        } else {
            sql += QStringLiteral(" AND stream COLLATE \"C\"%1CAST(? AS text) COLLATE \"C\"").arg(cmp);
            values << after->stream.toString();
        }
    }
    if (query.minEvents) {
        sql += QStringLiteral(" AND events >= CAST(? AS bigint)");
        values << *query.minEvents;
    }
    if (query.maxEvents) {
        sql += QStringLiteral(" AND events <= CAST(? AS bigint)");
        values << *query.maxEvents;
    }
    const QString dir = query.descending ? QStringLiteral(" DESC") : QString();
    sql += QStringLiteral(" ORDER BY ");
    if (key)
        sql += QLatin1String(key) + dir + QStringLiteral(", ");
    sql += QStringLiteral("stream COLLATE \"C\"") + dir + QStringLiteral(" LIMIT CAST(? AS bigint)");
    values << std::max<qint64>(limit, 0);
    std::vector<StreamInfo> out;
    auto q = m_connections.get().run(sql, values, QStringLiteral("listing a page of streams"));
    while (q.next())
        out.push_back(readStreamInfo(q));
    return out;
}

std::vector<CategoryInfo> PgEventStore::categories() const
{
    // Counted from the streams table (one row per stream, not per event).
    std::vector<CategoryInfo> out;
    auto q = m_connections.get().run(
        QStringLiteral("SELECT category, count(*), sum(events) FROM streams GROUP BY category"
                       " ORDER BY category = '', category COLLATE \"C\""),
        {}, QStringLiteral("counting the streams per category"));
    while (q.next())
        out.push_back({q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toLongLong()});
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
