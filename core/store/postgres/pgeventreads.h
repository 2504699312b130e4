#pragma once

// The event reads every PostgreSQL store shares, ours and the foreign ones: one description of
// how a table's columns map onto RecordedEvent, and the queries of readAt, readStream and readAll
// built from it (each one indexed query; the caller turns the rows into events).

#include "store/eventstore.h"
#include "store/postgres/pgconnection.h"

#include <optional>

namespace chronoscope::pg {

/// How an events table maps onto RecordedEvent: an SQL expression per field, read in this order.
struct EventColumns {
    QString table; ///< the events table
    QString position, stream, version, id, type, schemaVersion, timestampMs, data, metadata;
    QString eventsOnly;   ///< condition keeping events (not commands, not archived); "TRUE" for all
    QString streamEquals; ///< condition comparing the stream with one `?`, written so its index is used

    /// The select list: the fields above, comma-separated, in RecordedEvent order.
    QString selectList() const;
};

/// An SQL statement and the values for its `?`s.
struct EventQuery {
    QString sql;
    QVariantList values;
    QString what; ///< for error messages: "reading events"
};

EventQuery eventAtQuery(const EventColumns& columns, Position position);
/// Nothing when no event can match (maxCount <= 0).
std::optional<EventQuery> streamEventsQuery(const EventColumns& columns, const StreamId& stream,
    std::optional<Version> from, qint64 maxCount, Direction direction);
/// Nothing when no event can match (maxCount <= 0, a category holding '-').
std::optional<EventQuery> allEventsQuery(const EventColumns& columns, std::optional<Position> from,
    qint64 maxCount, const EventFilter& filter, Direction direction);

/// The event in the current row, the columns in selectList() order, taken as they are.
RecordedEvent eventFromRow(const QSqlQuery& q);

/// Runs `query` on `connection` and turns each row into an event with `toEvent`.
template<typename ToEvent>
std::vector<RecordedEvent> readEvents(
    Connection& connection, const std::optional<EventQuery>& query, ToEvent&& toEvent)
{
    std::vector<RecordedEvent> out;
    if (!query)
        return out;
    auto q = connection.run(query->sql, query->values, query->what);
    while (q.next())
        out.push_back(toEvent(q));
    return out;
}

} // namespace chronoscope::pg
