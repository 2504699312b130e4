#pragma once

#include "store/eventstore.h"
#include "store/postgres/pgconnection.h"

namespace chronoscope {

/// How a foreign schema's events table maps onto RecordedEvent: SQL expressions per field.
struct PgForeignSchema {
    QString format;  ///< summary().format, e.g. "emmett-postgresql"
    QString library; ///< who wrote it, for messages: "Emmett", "Marten"
    QString table;   ///< the events table
    QString position, stream, version, id, type, timestampMs, data, metadata;
    QString dataColumn;       ///< the payload column, named in messages
    QString eventsOnly;       ///< condition keeping events (not commands, not archived)
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
class PgForeignStore final : public EventStore {
    Q_OBJECT
public:
    PgForeignStore(const PgLocation& location, PgForeignSchema schema, QObject* parent = nullptr);
    ~PgForeignStore() override;

    AppendResult append(
        const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected) override;
    std::vector<AppendResult> appendMany(const std::vector<AppendRequest>& requests) override;
    void importRecorded(const std::vector<RecordedEvent>& events) override;
    std::vector<RecordedEvent> readStream(const StreamId& stream, std::optional<Version> from,
        qint64 maxCount, Direction direction = Direction::Forward) const override;
    std::vector<RecordedEvent> readAll(std::optional<Position> from, qint64 maxCount,
        const EventFilter& filter = {}, Direction direction = Direction::Forward) const override;
    std::optional<RecordedEvent> readAt(Position position) const override;
    std::vector<StreamInfo> streams(const QString& prefix = {}) const override;
    std::optional<StreamInfo> streamInfo(const StreamId& stream) const override;
    StoreSummary summary() const override;
    std::vector<TypeCount> typeCounts() const override;

private:
    [[noreturn]] void refuseWrite() const;
    QString columns() const;
    RecordedEvent toEvent(const QSqlQuery& q) const;
    bool streamCanExist(const StreamId& stream) const;

    pg::ThreadConnections m_connections;
    PgForeignSchema m_schema;
};

} // namespace chronoscope
