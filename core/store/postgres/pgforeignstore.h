#pragma once

#include "store/foreigneventstore.h"
#include "store/postgres/pgconnection.h"
#include "store/postgres/pgeventreads.h"

namespace chronoscope {

/// How a foreign schema's events table maps onto RecordedEvent (SQL expressions per field, in
/// the columns it shares with our own table), and what else reading it needs.
struct PgForeignSchema : pg::EventColumns {
    QString format;           ///< summary().format, e.g. "emmett-postgresql"
    QString library;          ///< who wrote it, for messages: "Emmett", "Marten"
    QString dataColumn;       ///< the payload column, named in messages
    bool uuidStreams = false; ///< the stream column is a uuid: other ids match nothing

    /// Emmett's PostgreSQL event store (emt_messages, partitioned; message_kind 'E').
    static PgForeignSchema emmett();
    /// Marten's event store (mt_events); `columns` are mt_events' columns, `types` their types.
    static PgForeignSchema marten(const QStringList& columns, const QStringList& types);
    /// Columns the events table must have; the missing ones of `columns`.
    QStringList missingColumns(const QStringList& columns) const;

    QStringList required;
};

/// Reads an event store another library wrote in PostgreSQL (Emmett, Marten). Always
/// read-only: the session runs every transaction READ ONLY and every write throws
/// ReadOnlyError. A payload or metadata that is not a JSON object is reported, when read, with
/// the stream, version and position of its event. Summaries and stream lists are computed from
/// the events table (these schemas keep no totals).
class PgForeignStore final : public ForeignEventStore {
    Q_OBJECT
public:
    PgForeignStore(const PgLocation& location, PgForeignSchema schema, QObject* parent = nullptr);
    ~PgForeignStore() override;

    std::vector<RecordedEvent> readStream(const StreamId& stream, std::optional<Version> from,
        qint64 maxCount, Direction direction = Direction::Forward) const override;
    std::vector<RecordedEvent> readAll(std::optional<Position> from, qint64 maxCount,
        const EventFilter& filter = {}, Direction direction = Direction::Forward) const override;
    std::optional<RecordedEvent> readAt(Position position) const override;
    std::vector<StreamInfo> streams(const QString& prefix = {}) const override;
    std::optional<StreamInfo> streamInfo(const StreamId& stream) const override;
    StoreSummary summary() const override;
    StoreSummary identity() const override;
    std::vector<TypeCount> typeCounts() const override;

private:
    QString refusal() const override;
    RecordedEvent toEvent(const QSqlQuery& q) const;
    bool streamCanExist(const StreamId& stream) const;

    pg::ThreadConnections m_connections;
    PgForeignSchema m_schema;
};

} // namespace chronoscope
