#include "store/postgres/pgeventreads.h"

#include <QSqlQuery>

#include <limits>

namespace chronoscope::pg {

namespace {
constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kMin = std::numeric_limits<qint64>::min();
} // namespace

QString EventColumns::selectList() const
{
    return QStringList {position, stream, version, id, type, schemaVersion, timestampMs, data, metadata}.join(
        QLatin1String(", "));
}

EventQuery eventAtQuery(const EventColumns& c, Position position)
{
    return {QStringLiteral("SELECT %1 FROM %2 WHERE %3 = ? AND %4")
                .arg(c.selectList(), c.table, c.position, c.eventsOnly),
        {qlonglong(position.value)}, QStringLiteral("reading position %1").arg(position.value)};
}

std::optional<EventQuery> streamEventsQuery(const EventColumns& c, const StreamId& stream,
    std::optional<Version> from, qint64 maxCount, Direction direction)
{
    if (maxCount <= 0)
        return std::nullopt;
    const bool forward = direction == Direction::Forward;
    return EventQuery {QStringLiteral("SELECT %1 FROM %2 WHERE %3 AND %4 AND %5 %6 ? ORDER BY %5 %7 LIMIT ?")
                           .arg(c.selectList(), c.table, c.eventsOnly, c.streamEquals, c.version,
                               forward ? QStringLiteral(">=") : QStringLiteral("<="),
                               forward ? QStringLiteral("ASC") : QStringLiteral("DESC")),
        {stream.toString(), from ? from->value : (forward ? kMin : kMax), maxCount},
        QStringLiteral("reading stream '%1'").arg(stream.toString())};
}

std::optional<EventQuery> allEventsQuery(const EventColumns& c, std::optional<Position> from, qint64 maxCount,
    const EventFilter& filter, Direction direction)
{
    if (maxCount <= 0)
        return std::nullopt;
    // A category is the part before the first '-': category "cart" is the prefix "cart-".
    if (!filter.category.isEmpty() && filter.category.contains(QLatin1Char('-')))
        return std::nullopt;
    const bool forward = direction == Direction::Forward;
    QString where = QStringLiteral("%1 AND %2 %3 ?")
                        .arg(c.eventsOnly, c.position, forward ? QStringLiteral(">=") : QStringLiteral("<="));
    QVariantList values {from ? from->value : (forward ? kMin : kMax)};
    if (!filter.types.isEmpty()) {
        QStringList marks;
        for (const auto& type : filter.types) {
            marks << QStringLiteral("?");
            values << type;
        }
        where += QStringLiteral(" AND %1 IN (%2)").arg(c.type, marks.join(QLatin1String(", ")));
    }
    for (const QString& prefix :
        {filter.streamPrefix, filter.category.isEmpty() ? QString() : filter.category + QLatin1Char('-')}) {
        if (prefix.isEmpty())
            continue;
        where += QStringLiteral(" AND starts_with(%1, CAST(? AS text))").arg(c.stream);
        values << prefix;
    }
    if (filter.fromTimeMs) {
        where += QStringLiteral(" AND %1 >= ?").arg(c.timestampMs);
        values << *filter.fromTimeMs;
    }
    if (filter.toTimeMs) {
        where += QStringLiteral(" AND %1 < ?").arg(c.timestampMs);
        values << *filter.toTimeMs;
    }
    values << maxCount;
    return EventQuery {QStringLiteral("SELECT %1 FROM %2 WHERE %3 ORDER BY %4 %5 LIMIT ?")
                           .arg(c.selectList(), c.table, where, c.position,
                               forward ? QStringLiteral("ASC") : QStringLiteral("DESC")),
        values, QStringLiteral("reading events")};
}

RecordedEvent eventFromRow(const QSqlQuery& q)
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

} // namespace chronoscope::pg
