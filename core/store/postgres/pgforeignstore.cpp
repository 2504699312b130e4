#include "store/postgres/pgforeignstore.h"

#include <QSqlQuery>

namespace chronoscope {

namespace {

QString epochMs(const QString& column)
{
    return QStringLiteral("CAST(floor(extract(epoch FROM %1) * 1000) AS bigint)").arg(column);
}

/// "an array", "a string"... for the first character of a JSON text; empty for an object.
QString notAnObject(const QByteArray& json)
{
    const auto text = json.trimmed();
    if (text.startsWith('{'))
        return {};
    if (text.isEmpty())
        return QStringLiteral("empty");
    switch (text.front()) {
    case '[':
        return QStringLiteral("a JSON array");
    case '"':
        return QStringLiteral("a JSON string");
    case 't':
    case 'f':
        return QStringLiteral("a JSON boolean");
    case 'n':
        return QStringLiteral("JSON null");
    default:
        return QStringLiteral("a JSON number");
    }
}

} // namespace

PgForeignSchema PgForeignSchema::emmett()
{
    PgForeignSchema s;
    s.format = QStringLiteral("emmett-postgresql");
    s.library = QStringLiteral("Emmett");
    s.table = QStringLiteral("emt_messages");
    s.position = QStringLiteral("global_position");
    s.stream = QStringLiteral("stream_id");
    s.version = QStringLiteral("stream_position");
    s.id = QStringLiteral("message_id");
    s.type = QStringLiteral("message_type");
    s.timestampMs = epochMs(QStringLiteral("created"));
    s.data = QStringLiteral("CAST(message_data AS text)");
    s.metadata = QStringLiteral("CAST(message_metadata AS text)");
    s.dataColumn = QStringLiteral("emt_messages.message_data");
    s.schemaVersion = QStringLiteral("1");
    s.eventsOnly = QStringLiteral("message_kind = 'E' AND NOT is_archived");
    s.streamEquals = s.stream + QStringLiteral(" = CAST(? AS text)");
    s.required = {QStringLiteral("global_position"), QStringLiteral("stream_id"),
        QStringLiteral("stream_position"), QStringLiteral("message_id"), QStringLiteral("message_type"),
        QStringLiteral("message_kind"), QStringLiteral("message_data"), QStringLiteral("message_metadata"),
        QStringLiteral("is_archived"), QStringLiteral("created")};
    return s;
}

PgForeignSchema PgForeignSchema::marten(const QStringList& columns, const QStringList& types)
{
    PgForeignSchema s;
    s.format = QStringLiteral("marten-postgresql");
    s.library = QStringLiteral("Marten");
    s.table = QStringLiteral("mt_events");
    s.position = QStringLiteral("seq_id");
    s.stream = QStringLiteral("CAST(stream_id AS text)");
    s.version = QStringLiteral("version");
    s.id = QStringLiteral("CAST(id AS text)");
    s.type = QStringLiteral("type");
    s.timestampMs = epochMs(QStringLiteral("\"timestamp\""));
    s.data = QStringLiteral("CAST(data AS text)");
    s.dataColumn = QStringLiteral("mt_events.data");
    s.eventsOnly = QStringLiteral("is_archived IS NOT TRUE"); // Marten's column may be NULL
    s.required = {QStringLiteral("seq_id"), QStringLiteral("id"), QStringLiteral("stream_id"),
        QStringLiteral("version"), QStringLiteral("data"), QStringLiteral("type"),
        QStringLiteral("timestamp"), QStringLiteral("is_archived")};
    const auto index = columns.indexOf(QLatin1String("stream_id"));
    s.uuidStreams = index >= 0 && index < types.size() && types[index] == QLatin1String("uuid");
    s.schemaVersion = QStringLiteral("1");
    // Compare the column itself (not its text) so the (stream, version) index is used.
    s.streamEquals = s.uuidStreams ? QStringLiteral("stream_id = CAST(? AS uuid)")
                                   : s.stream + QStringLiteral(" = CAST(? AS text)");
    // Marten keeps metadata in optional columns: gather the ones this store has.
    QStringList parts;
    const std::pair<const char*, const char*> optional[]
        = {{"tenant_id", "tenantId"}, {"mt_dotnet_type", "dotnetType"}, {"correlation_id", "correlationId"},
            {"causation_id", "causationId"}, {"user_name", "userName"}, {"headers", "headers"}};
    for (const auto& [column, key] : optional) {
        if (!columns.contains(QLatin1String(column)))
            continue;
        parts << QStringLiteral("CASE WHEN %1 IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('%2', %1) END")
                     .arg(QLatin1String(column), QLatin1String(key));
    }
    s.metadata = parts.isEmpty()
        ? QStringLiteral("'{}'")
        : QStringLiteral("CAST((%1) AS text)").arg(parts.join(QLatin1String(" || ")));
    return s;
}

QStringList PgForeignSchema::missingColumns(const QStringList& columns) const
{
    QStringList missing;
    for (const auto& c : required)
        if (!columns.contains(c))
            missing << c;
    return missing;
}

PgForeignStore::PgForeignStore(const PgLocation& location, PgForeignSchema schema, QObject* parent)
    : ForeignEventStore(parent)
    , m_connections(location, true)
    , m_schema(std::move(schema))
{
    m_connections.get(); // connect now, so errors show at once
}

PgForeignStore::~PgForeignStore() = default;

QString PgForeignStore::refusal() const
{
    return QStringLiteral("'%1' is a %2 store; foreign stores open read-only: nothing was written")
        .arg(m_connections.location().display(), m_schema.library);
}

RecordedEvent PgForeignStore::toEvent(const QSqlQuery& q) const
{
    RecordedEvent e = pg::eventFromRow(q);
    for (const auto& [bytes, what] : {std::pair {&e.data, QStringLiteral("payload")},
             std::pair {&e.metadata, QStringLiteral("metadata")}}) {
        const auto problem = notAnObject(*bytes);
        if (!problem.isEmpty())
            throw StoreError(
                QStringLiteral("'%1' (%2): the event at position %3 (stream '%4', version %5, type "
                               "'%6') has a %7 that is %8, not a JSON object")
                    .arg(m_connections.location().display(), m_schema.library)
                    .arg(e.position.value)
                    .arg(e.stream.toString())
                    .arg(e.version.value)
                    .arg(e.type, what, problem));
    }
    return e;
}

bool PgForeignStore::streamCanExist(const StreamId& stream) const
{
    if (!m_schema.uuidStreams)
        return true;
    const auto text = stream.toString();
    return text.size() == 36 && !QUuid::fromString(text).isNull();
}

std::vector<RecordedEvent> PgForeignStore::readStream(
    const StreamId& stream, std::optional<Version> from, qint64 maxCount, Direction direction) const
{
    if (!streamCanExist(stream))
        return {};
    return pg::readEvents(m_connections.get(),
        pg::streamEventsQuery(m_schema, stream, from, maxCount, direction),
        [this](const QSqlQuery& q) { return toEvent(q); });
}

std::vector<RecordedEvent> PgForeignStore::readAll(
    std::optional<Position> from, qint64 maxCount, const EventFilter& filter, Direction direction) const
{
    return pg::readEvents(m_connections.get(),
        pg::allEventsQuery(m_schema, from, maxCount, filter, direction),
        [this](const QSqlQuery& q) { return toEvent(q); });
}

std::optional<RecordedEvent> PgForeignStore::readAt(Position position) const
{
    auto events = pg::readEvents(m_connections.get(), pg::eventAtQuery(m_schema, position),
        [this](const QSqlQuery& q) { return toEvent(q); });
    if (events.empty())
        return std::nullopt;
    return std::move(events.front());
}

namespace {
StreamInfo readStreamInfo(const QSqlQuery& q, int offset)
{
    StreamInfo s;
    s.version = Version(q.value(offset).toLongLong());
    s.events = q.value(offset + 1).toLongLong();
    s.firstPosition = Position(q.value(offset + 2).toLongLong());
    s.lastPosition = Position(q.value(offset + 3).toLongLong());
    s.firstTimestampMs = q.value(offset + 4).toLongLong();
    s.lastTimestampMs = q.value(offset + 5).toLongLong();
    return s;
}
} // namespace

std::vector<StreamInfo> PgForeignStore::streams(const QString& prefix) const
{
    const auto aggregates = QStringLiteral("MAX(%1), COUNT(*), MIN(%2), MAX(%2), MIN(%3), MAX(%3)")
                                .arg(m_schema.version, m_schema.position, m_schema.timestampMs);
    auto q = m_connections.get().run(
        QStringLiteral("SELECT %1, %2 FROM %3 WHERE %4 AND starts_with(%1, CAST(? AS text)) GROUP BY %1 "
                       "ORDER BY %1 COLLATE \"C\"")
            .arg(m_schema.stream, aggregates, m_schema.table, m_schema.eventsOnly),
        {prefix.isNull() ? QStringLiteral("") : prefix}, QStringLiteral("listing the streams"));
    std::vector<StreamInfo> out;
    while (q.next()) {
        auto s = readStreamInfo(q, 1);
        s.stream = StreamId(q.value(0).toString());
        out.push_back(s);
    }
    return out;
}

std::optional<StreamInfo> PgForeignStore::streamInfo(const StreamId& stream) const
{
    if (!streamCanExist(stream))
        return std::nullopt;
    auto q = m_connections.get().run(
        QStringLiteral("SELECT MAX(%1), COUNT(*), MIN(%2), MAX(%2), MIN(%3), MAX(%3) FROM %4 WHERE %5 AND %6")
            .arg(m_schema.version, m_schema.position, m_schema.timestampMs, m_schema.table,
                m_schema.eventsOnly, m_schema.streamEquals),
        {stream.toString()}, QStringLiteral("reading stream '%1'").arg(stream.toString()));
    if (!q.next() || q.value(1).toLongLong() == 0)
        return std::nullopt;
    auto s = readStreamInfo(q, 0);
    s.stream = stream;
    return s;
}

StoreSummary PgForeignStore::identity() const
{
    StoreSummary s;
    s.format = m_schema.format;
    s.location = m_connections.location().display();
    s.readOnly = true;
    return s;
}

StoreSummary PgForeignStore::summary() const
{
    auto q = m_connections.get().run(
        QStringLiteral("SELECT COUNT(*), COUNT(DISTINCT %1), COALESCE(MAX(%2), 0) FROM %3 WHERE %4")
            .arg(m_schema.stream, m_schema.position, m_schema.table, m_schema.eventsOnly),
        {}, QStringLiteral("counting events"));
    StoreSummary s;
    s.format = m_schema.format;
    s.location = m_connections.location().display();
    s.readOnly = true;
    if (q.next()) {
        s.events = q.value(0).toLongLong();
        s.streams = q.value(1).toLongLong();
        s.lastPosition = Position(q.value(2).toLongLong());
    }
    return s;
}

std::vector<TypeCount> PgForeignStore::typeCounts() const
{
    auto q = m_connections.get().run(
        QStringLiteral("SELECT %1, COUNT(*) FROM %2 WHERE %3 GROUP BY %1 ORDER BY %1 COLLATE \"C\"")
            .arg(m_schema.type, m_schema.table, m_schema.eventsOnly),
        {}, QStringLiteral("counting event types"));
    std::vector<TypeCount> out;
    while (q.next())
        out.push_back({q.value(0).toString(), q.value(1).toLongLong()});
    return out;
}

} // namespace chronoscope
