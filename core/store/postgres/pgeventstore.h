#pragma once

// core/store/postgres: stores in PostgreSQL: our own (pgeventstore, pgschema), Emmett's and
// Marten's (pgforeignstore: PgForeignSchema::emmett() and ::marten(), read-only), URLs (pglocation).

#include "store/eventstore.h"
#include "store/postgres/pgconnection.h"

#include <QMutex>

#include <functional>

namespace chronoscope {

namespace pg {
class BatchWriter;
} // namespace pg

/// The native event store on PostgreSQL (tables in pgschema.h), through Qt Sql's QPSQL driver.
///
/// Same contract as SqlEventStore. Several programs may write at once: every write first locks
/// the one row of `totals` (SELECT ... FOR UPDATE), so writes are applied one after another in
/// commit order, global positions stay contiguous, and a stream's version is checked against
/// what the last committed write left. Each thread uses its own connection. Payloads are kept
/// as the exact text the writer gave. Read-only: every transaction of the session is READ ONLY
/// and every write throws ReadOnlyError. appended() reports writes made through this object.
/// Every write also announces its commit on the channel AppendsChannel (NOTIFY, payload: the
/// schema, a line break, the last position), which appendNotifier() LISTENs to.
class PgEventStore final : public EventStore {
    Q_OBJECT
public:
    /// Opens the store whose tables exist at `location` (see openPostgresStore to detect and
    /// create). Throws OpenError naming the store when it cannot connect.
    PgEventStore(const PgLocation& location, bool readOnly, QObject* parent = nullptr);
    ~PgEventStore() override;

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
    std::vector<StreamInfo> streamPage(
        const StreamQuery& query, const std::optional<StreamInfo>& after, qint64 limit) const override;
    std::vector<CategoryInfo> categories() const override;
    std::optional<StreamInfo> streamInfo(const StreamId& stream) const override;
    StoreSummary summary() const override;
    std::vector<TypeCount> typeCounts() const override;
    /// A connection of its own LISTENing on AppendsChannel for commits to this schema.
    std::unique_ptr<AppendNotifier> appendNotifier() const override;

    /// The NOTIFY channel of commits to native stores (every schema: the payload names it).
    static constexpr const char* AppendsChannel = "chronoscope_appended";

private:
    void checkWritable() const;
    /// One write: under the write lock, in one transaction holding the row lock of `totals`,
    /// `body` adds rows to the batch (given the last position); then commits and reports appended().
    void write(const std::function<void(pg::BatchWriter&, qint64 lastPosition)>& body);

    pg::ThreadConnections m_connections;
    bool m_readOnly;
    QMutex m_writeLock; // writes of this object, one at a time (others wait on the row lock)
};

} // namespace chronoscope
