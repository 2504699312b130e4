#pragma once

#include "store/foreigneventstore.h"

#include <QMutex>

#include <map>
#include <thread>

namespace chronoscope {

/// Reads an event store written by Emmett's SQLite event store (`emt_messages`, `emt_streams`).
///
/// Always read-only: the file is opened with SQLite's `mode=ro&immutable=1`, so nothing is
/// created beside it (no -wal/-shm), nothing is locked and not a byte changes. Positions are
/// `global_position`, versions `stream_position` (gaps allowed: a rejected append in Emmett
/// still bumps the stream's counter), ids `message_id`, timestamps `created` (UTC). Only
/// events (message_kind 'E') that are not archived are shown. `message_schema_version` holds
/// Emmett's stream version before the batch, not a schema version, so every event has
/// schema version 1.
class EmmettSqliteStore final : public ForeignEventStore {
    Q_OBJECT
public:
    /// Throws OpenError naming the file when it cannot be read or is not an Emmett store.
    explicit EmmettSqliteStore(const QString& path, QObject* parent = nullptr);
    ~EmmettSqliteStore() override;

    /// True when the SQLite database at `path` has Emmett's tables (the file is opened immutable).
    static bool looksLikeEmmett(const QString& path);

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
    QString connectionName() const; // the calling thread's connection, opened on first use
    QString refusal() const override;

    QString m_path;
    mutable QMutex m_lock;
    mutable std::map<std::thread::id, QString> m_connections;
};

} // namespace chronoscope
