// The write side of PgEventStore: every write is one transaction that first takes the row
// lock of `totals`, then checks, inserts the events through one json_to_recordset statement
// per chunk, and updates the stream, type and total counters.
#include "store/postgres/pgeventstore.h"

#include "store/appendnotifier.h"
#include "store/batchwrite.h"

#include <QSqlDriver>

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

} // namespace

namespace pg {
/// One stream's part of a write, with its id as UTF-8 (written into every row).
struct BatchDelta : StreamDelta {
    std::string utf8;
};
} // namespace pg

/// The rows of one write: collects them and sends them in a few statements.
class pg::BatchWriter : public BatchBookkeeping<pg::BatchWriter, pg::BatchDelta> {
public:
    using Delta = BatchDelta;

    explicit BatchWriter(pg::Connection& c)
        : m_connection(c)
    {
    }

    Delta loadDelta(const StreamId& stream)
    {
        Delta d;
        d.utf8 = utf8(stream.toString());
        auto q = m_connection.run(kStreamVersion, {stream.toString()},
            QStringLiteral("reading the version of stream '%1'").arg(stream.toString()));
        if (q.next())
            d.version = q.value(0).toLongLong();
        return d;
    }

    void add(Delta& d, qint64 position, const QUuid& id, const QString& type, int schemaVersion,
        qint64 timestampMs, const QByteArray& data, const QByteArray& metadata)
    {
        count(d, position, timestampMs);
        m_types[type] += 1;
        nlohmann::json row = {{"p", position}, {"s", d.utf8}, {"v", d.version},
            {"i", id.toString(QUuid::WithoutBraces).toStdString()}, {"t", utf8(type)}, {"sv", schemaVersion},
            {"ts", timestampMs}, {"d", std::string(data.constData(), std::size_t(data.size()))}};
        if (metadata.isEmpty())
            row["m"] = nullptr;
        else
            row["m"] = std::string(metadata.constData(), std::size_t(metadata.size()));
        m_rows.push_back(std::move(row));
        if (qsizetype(m_rows.size()) >= kChunk)
            flushEvents();
    }

    void finish()
    {
        flushEvents();
        if (events() == 0)
            return;
        auto streams = nlohmann::json::array();
        for (const auto& [stream, d] : deltas()) {
            if (d.added == 0)
                continue;
            streams.push_back({{"s", d.utf8}, {"c", utf8(stream.category())}, {"v", d.version},
                {"n", d.added}, {"fp", d.firstPosition}, {"lp", d.lastPosition}, {"ft", d.firstTimestamp},
                {"lt", d.lastTimestamp}});
        }
        run(kUpsertStreams, {QString::fromStdString(streams.dump())},
            QStringLiteral("updating the stream list"));
        auto types = nlohmann::json::array();
        for (auto it = m_types.cbegin(); it != m_types.cend(); ++it)
            types.push_back({{"t", utf8(it.key())}, {"n", it.value()}});
        run(kUpsertTypes, {QString::fromStdString(types.dump())}, QStringLiteral("updating the type counts"));
        run(kUpdateTotals, {events(), newStreams(), qlonglong(span()->second.value)},
            QStringLiteral("updating the totals"));
    }

private:
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

    pg::Connection& m_connection;
    QHash<QString, qint64> m_types;
    nlohmann::json m_rows = nlohmann::json::array();
};

namespace {

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

void PgEventStore::write(const std::function<void(pg::BatchWriter&, qint64)>& body)
{
    std::optional<std::pair<Position, Position>> written;
    {
        QMutexLocker locker(&m_writeLock);
        checkWritable();
        auto& c = m_connections.get();
        pg::Transaction transaction(c);
        const qint64 last = lockForWriting(c);
        pg::BatchWriter writer(c);
        body(writer, last);
        writer.finish();
        written = writer.span();
        if (written) // delivered to the listeners when the transaction commits, and only then
            c.run(QStringLiteral("SELECT pg_notify(?, ?)"),
                QVariantList {QString::fromLatin1(AppendsChannel),
                    QString(
                        c.location().schema + QLatin1Char('\n') + QString::number(written->second.value))},
                QStringLiteral("announcing the appended events"));
        transaction.commit();
    }
    if (written)
        Q_EMIT appended(written->first, written->second);
}

std::vector<AppendResult> PgEventStore::appendMany(const std::vector<AppendRequest>& requests)
{
    std::vector<AppendResult> results;
    write([&](pg::BatchWriter& writer, qint64 last) {
        results = writeAppendRequests(writer, requests, last + 1);
    });
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
    write([&](pg::BatchWriter& writer, qint64 last) { writeImportedEvents(writer, events, last); });
}

namespace {

/// LISTENs on its own connection and tells of the commits announced for one schema.
class PgAppendNotifier final : public AppendNotifier {
public:
    explicit PgAppendNotifier(const PgLocation& location)
        : m_connection(location, true)
        , m_schema(location.schema)
    {
        QSqlDriver* driver = m_connection.driver();
        if (!driver || !driver->subscribeToNotification(QString::fromLatin1(PgEventStore::AppendsChannel)))
            throw StoreError(QStringLiteral("'%1': cannot listen for appends (LISTEN %2 failed)")
                                 .arg(location.display(), QString::fromLatin1(PgEventStore::AppendsChannel)));
        connect(driver, &QSqlDriver::notification, this,
            [this](const QString&, QSqlDriver::NotificationSource, const QVariant& payload) {
                const QString text = payload.toString();
                if (text.section(QLatin1Char('\n'), 0, 0) == m_schema)
                    Q_EMIT notified();
            });
    }

private:
    pg::Connection m_connection;
    QString m_schema;
};

} // namespace

std::unique_ptr<AppendNotifier> PgEventStore::appendNotifier() const
{
    return std::make_unique<PgAppendNotifier>(m_connections.location());
}

} // namespace chronoscope
