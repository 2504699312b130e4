// The read side of SqlEventStore: every read is one indexed query on the calling thread's
// connection; summaries come from the counter tables, never from a scan of the events.
#include "store/sqlite/sqleventstore.h"
#include "store/sqlite/sqliteconnection.h"

#include <limits>

namespace chronoscope {

using sqlite::Connection;
using sqlite::Statement;

namespace {

#define CHRONOSCOPE_EVENT_COLUMNS                                                                            \
    "position, stream, version, id, type, schema_version, timestamp, data, metadata"
#define CHRONOSCOPE_STREAM_COLUMNS                                                                           \
    "stream, version, events, first_position, last_position, first_timestamp, last_timestamp"

constexpr char kReadAt[] = "SELECT " CHRONOSCOPE_EVENT_COLUMNS " FROM events WHERE position = ?1";
constexpr char kAllForward[]
    = "SELECT " CHRONOSCOPE_EVENT_COLUMNS " FROM events WHERE position >= ?1 ORDER BY position LIMIT ?2";
constexpr char kAllBackward[]
    = "SELECT " CHRONOSCOPE_EVENT_COLUMNS " FROM events WHERE position <= ?1 ORDER BY position DESC LIMIT ?2";
constexpr char kStreamForward[]
    = "SELECT " CHRONOSCOPE_EVENT_COLUMNS
      " FROM events WHERE stream = ?1 AND version >= ?2 ORDER BY version LIMIT ?3";
constexpr char kStreamBackward[]
    = "SELECT " CHRONOSCOPE_EVENT_COLUMNS
      " FROM events WHERE stream = ?1 AND version <= ?2 ORDER BY version DESC LIMIT ?3";
constexpr char kStreamInfo[] = "SELECT " CHRONOSCOPE_STREAM_COLUMNS " FROM streams WHERE stream = ?1";
constexpr char kStreamsAll[] = "SELECT " CHRONOSCOPE_STREAM_COLUMNS " FROM streams ORDER BY stream";
constexpr char kStreamsRange[]
    = "SELECT " CHRONOSCOPE_STREAM_COLUMNS " FROM streams WHERE stream >= ?1 AND stream < ?2 ORDER BY stream";
constexpr char kStreamsFrom[]
    = "SELECT " CHRONOSCOPE_STREAM_COLUMNS " FROM streams WHERE stream >= ?1 ORDER BY stream";
constexpr char kTotals[]
    = "SELECT events, streams, (SELECT max(position) FROM events) FROM totals WHERE id = 1";
constexpr char kCategories[]
    = "SELECT category, streams, events FROM categories ORDER BY category = '', category";
constexpr char kCategoriesCounted[] = "SELECT category, count(*), sum(events) FROM streams GROUP BY category"
                                      " ORDER BY category = '', category";
constexpr char kTypeCounts[] = "SELECT type, events FROM type_counts ORDER BY type";

constexpr qint64 kMax = std::numeric_limits<qint64>::max();

RecordedEvent readEvent(const Statement& q, const StreamId* knownStream = nullptr)
{
    RecordedEvent e;
    e.position = Position(q.int64(0));
    e.stream = knownStream ? *knownStream : StreamId(q.text(1));
    e.version = Version(q.int64(2));
    const auto* id = reinterpret_cast<const char*>(sqlite3_column_text(q.raw(), 3));
    e.id = QUuid::fromString(QLatin1String(id, sqlite3_column_bytes(q.raw(), 3)));
    e.type = q.text(4);
    e.schemaVersion = int(q.int64(5));
    e.timestampMs = q.int64(6);
    e.data = q.bytes(7);
    e.metadata = q.bytes(8);
    return e;
}

StreamInfo readStreamInfo(const Statement& q)
{
    StreamInfo s;
    s.stream = StreamId(q.text(0));
    s.version = Version(q.int64(1));
    s.events = q.int64(2);
    s.firstPosition = Position(q.int64(3));
    s.lastPosition = Position(q.int64(4));
    s.firstTimestampMs = q.int64(5);
    s.lastTimestampMs = q.int64(6);
    return s;
}

/// The smallest UTF-8 string greater than every string starting with `prefix` (empty: none).
QByteArray prefixEnd(QByteArray prefix)
{
    while (!prefix.isEmpty() && quint8(prefix.back()) == 0xff)
        prefix.chop(1);
    if (!prefix.isEmpty())
        prefix.back() = char(quint8(prefix.back()) + 1);
    return prefix;
}

} // namespace

class SqlEventStore::ReadScope {
public:
    explicit ReadScope(const SqlEventStore& store)
        : m_connection(store.connection())
        , m_locker(&m_connection.mutex())
    {
        m_connection.beginReadTransaction(
            store.m_generation.load(std::memory_order_acquire), readTransactionWindowNs);
    }
    Connection* operator->() const { return &m_connection; }

private:
    Connection& m_connection;
    QMutexLocker<QRecursiveMutex> m_locker;
};

std::optional<RecordedEvent> SqlEventStore::readAt(Position position) const
{
    ReadScope c(*this);
    auto q = c->cached(kReadAt);
    q.bind(1, position.value);
    if (!q.step())
        return std::nullopt;
    return readEvent(q);
}

std::vector<RecordedEvent> SqlEventStore::readStream(
    const StreamId& stream, std::optional<Version> from, qint64 maxCount, Direction direction) const
{
    std::vector<RecordedEvent> out;
    if (maxCount <= 0)
        return out;
    const bool forward = direction == Direction::Forward;
    ReadScope c(*this);
    auto q = c->cached(forward ? kStreamForward : kStreamBackward);
    const QByteArray id = stream.toString().toUtf8();
    q.bind(1, id);
    q.bind(2, from ? from->value : (forward ? std::numeric_limits<qint64>::min() : kMax));
    q.bind(3, maxCount);
    while (q.step())
        out.push_back(readEvent(q, &stream));
    return out;
}

std::vector<RecordedEvent> SqlEventStore::readAll(
    std::optional<Position> from, qint64 maxCount, const EventFilter& filter, Direction direction) const
{
    std::vector<RecordedEvent> out;
    if (maxCount <= 0)
        return out;
    const bool forward = direction == Direction::Forward;
    const qint64 start = from ? from->value : (forward ? std::numeric_limits<qint64>::min() : kMax);
    ReadScope c(*this);
    if (filter.isEmpty()) {
        auto q = c->cached(forward ? kAllForward : kAllBackward);
        q.bind(1, start);
        q.bind(2, maxCount);
        while (q.step())
            out.push_back(readEvent(q));
        return out;
    }
    // A category is the part before the first '-': category "cart" is the prefix "cart-".
    if (!filter.category.isEmpty() && filter.category.contains(QLatin1Char('-')))
        return out;
    QByteArray sql = "SELECT " CHRONOSCOPE_EVENT_COLUMNS " FROM events WHERE position ";
    sql += forward ? ">= ?1" : "<= ?1";
    std::vector<QByteArray> texts; // bound from ?3 on, in order
    if (!filter.types.isEmpty()) {
        sql += " AND type IN (";
        for (qsizetype i = 0; i < filter.types.size(); ++i) {
            sql += (i ? ", ?" : "?") + QByteArray::number(qsizetype(texts.size()) + 3);
            texts.push_back(filter.types[i].toUtf8());
        }
        sql += ")";
    }
    for (const QString& prefix :
        {filter.streamPrefix, filter.category.isEmpty() ? QString() : filter.category + QLatin1Char('-')}) {
        if (prefix.isEmpty())
            continue;
        const QByteArray n = QByteArray::number(qsizetype(texts.size()) + 3);
        sql += " AND substr(stream, 1, length(?" + n + ")) = ?" + n;
        texts.push_back(prefix.toUtf8());
    }
    std::vector<qint64> numbers; // bound after the texts
    if (filter.fromTimeMs) {
        sql += " AND timestamp >= ?" + QByteArray::number(qsizetype(texts.size() + numbers.size()) + 3);
        numbers.push_back(*filter.fromTimeMs);
    }
    if (filter.toTimeMs) {
        sql += " AND timestamp < ?" + QByteArray::number(qsizetype(texts.size() + numbers.size()) + 3);
        numbers.push_back(*filter.toTimeMs);
    }
    sql += forward ? " ORDER BY position LIMIT ?2" : " ORDER BY position DESC LIMIT ?2";
    auto q = c->prepare(sql);
    q.bind(1, start);
    q.bind(2, maxCount);
    int index = 3;
    for (const auto& text : texts)
        q.bind(index++, text);
    for (const qint64 number : numbers)
        q.bind(index++, number);
    while (q.step())
        out.push_back(readEvent(q));
    return out;
}

std::vector<StreamInfo> SqlEventStore::streams(const QString& prefix) const
{
    std::vector<StreamInfo> out;
    ReadScope c(*this);
    const QByteArray begin = prefix.toUtf8();
    const QByteArray end = prefixEnd(begin);
    auto q = c->cached(prefix.isEmpty() ? kStreamsAll : (end.isEmpty() ? kStreamsFrom : kStreamsRange));
    if (!prefix.isEmpty()) {
        q.bind(1, begin);
        if (!end.isEmpty())
            q.bind(2, end);
    }
    while (q.step())
        out.push_back(readStreamInfo(q));
    return out;
}

std::optional<StreamInfo> SqlEventStore::streamInfo(const StreamId& stream) const
{
    ReadScope c(*this);
    auto q = c->cached(kStreamInfo);
    const QByteArray id = stream.toString().toUtf8();
    q.bind(1, id);
    if (!q.step())
        return std::nullopt;
    return readStreamInfo(q);
}

std::vector<StreamInfo> SqlEventStore::streamPage(
    const StreamQuery& query, const std::optional<StreamInfo>& after, qint64 limit) const
{
    // One statement per shape; every filter and the keyset are bound, never spliced in. The
    // order columns have an index each (schema version 3), so a page reads about `limit` rows
    // of it; a text filter other than a prefix is checked along that index.
    const char* key = streamquery::sortColumn(query.sort);
    QByteArray sql("SELECT " CHRONOSCOPE_STREAM_COLUMNS " FROM streams WHERE 1");
    std::vector<QByteArray> texts; // bound from ?2 on, in order
    auto param = [&](const QByteArray& value) {
        texts.push_back(value);
        sql.append('?').append(QByteArray::number(qsizetype(texts.size()) + 1));
    };
    if (query.category) {
        sql.append(" AND category = ");
        param(query.category->toUtf8());
    }
    if (!query.text.isEmpty()) {
        const QByteArray text = query.text.toUtf8();
        switch (query.match) {
        case StreamQuery::Match::Prefix: {
            sql.append(" AND stream >= ");
            param(text);
            const QByteArray end = prefixEnd(text);
            if (!end.isEmpty()) {
                sql.append(" AND stream < ");
                param(end);
            }
            break;
        }
        case StreamQuery::Match::Substring: {
            QByteArray pattern("%");
            for (const char ch : text) {
                if (ch == '%' || ch == '_' || ch == '\\')
                    pattern.append('\\');
                pattern.append(ch);
            }
            pattern.append('%');
            sql.append(" AND stream LIKE ");
            param(pattern);
            sql.append(" ESCAPE '\\'");
            break;
        }
        case StreamQuery::Match::Glob:
            sql.append(" AND stream GLOB ");
            param(text);
            break;
        }
    }
    if (query.minEvents)
        sql.append(" AND events >= ").append(QByteArray::number(*query.minEvents)); // numbers, never text
    if (query.maxEvents)
        sql.append(" AND events <= ").append(QByteArray::number(*query.maxEvents));
    const char* cmp = query.descending ? " < " : " > ";
    if (after) {
        if (key) {
            const qint64 value = streamquery::sortKey(query.sort, *after);
            sql.append(" AND (").append(key).append(", stream)").append(cmp).append('(');
            sql.append(QByteArray::number(value)).append(", ");
            param(after->stream.toString().toUtf8());
            sql.append(')');
        } else {
            sql.append(" AND stream").append(cmp);
            param(after->stream.toString().toUtf8());
        }
    }
    const char* dir = query.descending ? " DESC" : "";
    sql.append(" ORDER BY ");
    if (key)
        sql.append(key).append(dir).append(", ");
    sql.append("stream").append(dir).append(" LIMIT ?1");
    ReadScope c(*this);
    auto q = c->prepare(sql);
    q.bind(1, std::max<qint64>(limit, 0));
    int index = 2;
    for (const auto& text : texts)
        q.bind(index++, text);
    std::vector<StreamInfo> out;
    while (q.step())
        out.push_back(readStreamInfo(q));
    return out;
}

std::vector<CategoryInfo> SqlEventStore::categories() const
{
    std::vector<CategoryInfo> out;
    ReadScope c(*this);
    auto q = c->cached(m_schemaVersion >= 3 ? kCategories : kCategoriesCounted);
    while (q.step())
        out.push_back({q.text(0), q.int64(1), q.int64(2)});
    return out;
}

StoreSummary SqlEventStore::summary() const
{
    StoreSummary s;
    s.format = QStringLiteral("chronoscope-sqlite");
    s.location = m_path;
    s.readOnly = m_readOnly;
    ReadScope c(*this);
    auto q = c->cached(kTotals);
    if (q.step()) {
        s.events = q.int64(0);
        s.streams = q.int64(1);
        s.lastPosition = Position(q.int64(2));
    }
    return s;
}

std::vector<TypeCount> SqlEventStore::typeCounts() const
{
    std::vector<TypeCount> out;
    ReadScope c(*this);
    auto q = c->cached(kTypeCounts);
    while (q.step())
        out.push_back({q.text(0), q.int64(1)});
    return out;
}

} // namespace chronoscope
