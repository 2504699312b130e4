// The write side of PgEventStore: every write is one transaction that first takes the row
// lock of `totals`, then checks, inserts the events through one json_to_recordset statement
// per chunk, and updates the stream, type and total counters.
#include "store/postgres/pgeventstore.h"

#include "store/batchwrite.h"

#include <map>

namespace chronoscope {

namespace {

constexpr qsizetype kChunk = 2000; // events per INSERT statement

const QString kLockTotals = QStringLiteral("SELECT last_position FROM totals WHERE id = 1 FOR UPDATE");
const QString kStreamVersion = QStringLiteral("SELECT version FROM streams WHERE stream = ?");
const QString kInsertEvents = QStringLiteral(
    "INSERT INTO events(position, stream, version, id, type, schema_version, timestamp_ms, data, metadata)"
    " SELECT p, s, v, CAST(i AS uuid), t, sv, ts, d, m FROM json_to_recordset(CAST(? AS json))"
    " AS x(p bigint, s text, v bigint, i text, t text, sv integer, ts bigint, d text, m text)");
const QString kUpsertStreams = QStringLiteral(
    "INSERT INTO streams(stream, category, version, events, first_position, last_position, "
    "first_timestamp_ms,"
    " last_timestamp_ms) SELECT s, c, v, n, fp, lp, ft, lt FROM json_to_recordset(CAST(? AS json))"
    " AS x(s text, c text, v bigint, n bigint, fp bigint, lp bigint, ft bigint, lt bigint)"
    " ON CONFLICT (stream) DO UPDATE SET version = excluded.version, events = streams.events + "
    "excluded.events,"
    " last_position = excluded.last_position, last_timestamp_ms = excluded.last_timestamp_ms");
const QString kUpsertTypes
    = QStringLiteral("INSERT INTO type_counts(type, events) SELECT t, n FROM json_to_recordset(CAST(? AS "
                     "json)) AS x(t text, n bigint)"
                     " ON CONFLICT (type) DO UPDATE SET events = type_counts.events + excluded.events");
const QString kUpdateTotals = QStringLiteral(
    "UPDATE totals SET events = events + ?, streams = streams + ?, last_position = ? WHERE id = 1");

std::string utf8(const QString& text)
{
    const auto bytes = text.toUtf8();
    return std::string(bytes.constData(), std::size_t(bytes.size()));
}

/// Collects the rows of one write and sends them in a few statements.
class BatchWriter {
public:
    explicit BatchWriter(pg::Connection& c)
        : m_connection(c)
    {
    }

    /// Current version of a stream (0 when it has none) as this batch left it.
    qint64 version(const StreamId& stream) { return delta(stream).version; }

    void add(const StreamId& stream, qint64 position, const QUuid& id, const QString& type, int schemaVersion,
        qint64 timestampMs, const QByteArray& data, const QByteArray& metadata)
    {
        auto& d = delta(stream);
        d.version += 1;
        if (d.added++ == 0) {
            d.firstPosition = position;
            d.firstTimestamp = timestampMs;
        }
        d.lastPosition = position;
        d.lastTimestamp = timestampMs;
        m_types[type] += 1;
        m_lastPosition = std::max(m_lastPosition, position);
        nlohmann::json row = {{"p", position}, {"s", utf8(stream.toString())}, {"v", d.version},
            {"i", id.toString(QUuid::WithoutBraces).toStdString()}, {"t", utf8(type)}, {"sv", schemaVersion},
            {"ts", timestampMs}, {"d", std::string(data.constData(), std::size_t(data.size()))}};
        if (metadata.isEmpty())
            row["m"] = nullptr;
        else
            row["m"] = std::string(metadata.constData(), std::size_t(metadata.size()));
        m_rows.push_back(std::move(row));
        ++m_events;
        if (qsizetype(m_rows.size()) >= kChunk)
            flushEvents();
    }

    void finish()
    {
        flushEvents();
        if (m_events == 0)
            return;
        qint64 newStreams = 0;
        auto streams = nlohmann::json::array();
        for (const auto& [stream, d] : m_streams) {
            if (d.added == 0)
                continue;
            if (d.version == d.added)
                ++newStreams;
            streams.push_back({{"s", utf8(stream.toString())}, {"c", utf8(stream.category())},
                {"v", d.version}, {"n", d.added}, {"fp", d.firstPosition}, {"lp", d.lastPosition},
                {"ft", d.firstTimestamp}, {"lt", d.lastTimestamp}});
        }
        run(kUpsertStreams, {QString::fromStdString(streams.dump())},
            QStringLiteral("updating the stream list"));
        auto types = nlohmann::json::array();
        for (auto it = m_types.cbegin(); it != m_types.cend(); ++it)
            types.push_back({{"t", utf8(it.key())}, {"n", it.value()}});
        run(kUpsertTypes, {QString::fromStdString(types.dump())}, QStringLiteral("updating the type counts"));
        run(kUpdateTotals, {m_events, newStreams, m_lastPosition}, QStringLiteral("updating the totals"));
    }

private:
    struct Delta {
        qint64 version = 0;
        qint64 added = 0;
        qint64 firstPosition = 0;
        qint64 lastPosition = 0;
        qint64 firstTimestamp = 0;
        qint64 lastTimestamp = 0;
    };

    void run(const QString& sql, const QVariantList& values, const QString& what)
    {
        m_connection.run(sql, values, what);
    }

    void flushEvents()
    {
        if (m_rows.empty())
            return;
        std::string rows;
        try {
            rows = m_rows.dump();
        } catch (const nlohmann::json::exception&) {
            const auto& first = m_rows.front();
            throw InvalidInput(
                QStringLiteral("the events from position %1 on hold text that is not valid UTF-8 "
                               "(data or metadata): nothing was written")
                    .arg(first["p"].get<qint64>()));
        }
        run(kInsertEvents, {QString::fromStdString(rows)}, QStringLiteral("inserting events"));
        m_rows = nlohmann::json::array();
    }

    Delta& delta(const StreamId& stream)
    {
        auto it = m_streams.find(stream);
        if (it == m_streams.end()) {
            Delta d;
            auto q = m_connection.run(kStreamVersion, {stream.toString()},
                QStringLiteral("reading the version of stream '%1'").arg(stream.toString()));
            if (q.next())
                d.version = q.value(0).toLongLong();
            it = m_streams.emplace(stream, d).first;
        }
        return it->second;
    }

    pg::Connection& m_connection;
    std::map<StreamId, Delta> m_streams;
    QHash<QString, qint64> m_types;
    nlohmann::json m_rows = nlohmann::json::array();
    qint64 m_events = 0;
    qint64 m_lastPosition = 0;
};

/// Takes the store-wide write lock (the row of `totals`) and returns the last position.
qint64 lockForWriting(pg::Connection& c)
{
    auto q = c.run(kLockTotals, {}, QStringLiteral("locking the store for writing"));
    if (!q.next())
        throw StoreError(QStringLiteral("'%1': the totals table has no row: the store is damaged")
                             .arg(c.location().display()));
    return q.value(0).toLongLong();
}

} // namespace

PgEventStore::PgEventStore(const PgLocation& location, bool readOnly, QObject* parent)
    : EventStore(parent)
    , m_connections(location, readOnly)
    , m_readOnly(readOnly)
{
    m_connections.get(); // connect now, so errors show at once
}

PgEventStore::~PgEventStore() = default;

void PgEventStore::checkWritable() const
{
    if (m_readOnly)
        throw ReadOnlyError(QStringLiteral("the store '%1' is open read-only: nothing was written")
                                .arg(m_connections.location().display()));
}

std::vector<AppendResult> PgEventStore::appendMany(const std::vector<AppendRequest>& requests)
{
    std::vector<AppendResult> results;
    qint64 first = 0;
    qint64 next = 0;
    {
        QMutexLocker locker(&m_writeLock);
        checkWritable();
        auto& c = m_connections.get();
        pg::Transaction transaction(c);
        const qint64 last = lockForWriting(c);
        BatchWriter writer(c);
        first = last + 1;
        results = writeAppendRequests(writer, requests, first);
        next = results.empty() ? first : results.back().lastPosition.value + 1;
        writer.finish();
        transaction.commit();
    }
    if (first < next)
        Q_EMIT appended(Position(first), Position(next - 1));
    return results;
}

AppendResult PgEventStore::append(
    const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected)
{
    return appendMany({AppendRequest {stream, expected, events}}).front();
}

void PgEventStore::importRecorded(const std::vector<RecordedEvent>& events)
{
    if (events.empty())
        return;
    {
        QMutexLocker locker(&m_writeLock);
        checkWritable();
        auto& c = m_connections.get();
        pg::Transaction transaction(c);
        qint64 last = lockForWriting(c);
        const qint64 storeLast = last;
        BatchWriter writer(c);
        for (const auto& e : events) {
            checkImportedEvent(e, last, writer.version(e.stream), storeLast);
            last = e.position.value;
            writer.add(
                e.stream, e.position.value, e.id, e.type, e.schemaVersion, e.timestampMs, e.data, e.metadata);
        }
        writer.finish();
        transaction.commit();
    }
    Q_EMIT appended(events.front().position, events.back().position);
}

} // namespace chronoscope
