#pragma once

#include "store/eventstore.h"

#include <QReadWriteLock>

namespace chronoscope {

/// A hypothetical line of one stream: the stream as stored up to `forkAt`, then events that
/// exist only here. It is an EventStore, so time travel, diffs and field history work on it
/// unchanged; appends to the forked stream go to the branch (in memory, with the usual
/// expected-version rules), never into the store underneath. Every other write is refused.
class BranchStore final : public EventStore {
    Q_OBJECT
public:
    /// Throws InvalidInput when forkAt is negative or beyond the stream's last version.
    BranchStore(const EventStore& base, StreamId stream, Version forkAt, QString name = {},
        QObject* parent = nullptr);

    const StreamId& stream() const { return m_stream; }
    Version forkAt() const { return m_forkAt; }
    const QString& name() const { return m_name; }
    /// The events that exist only on the branch, in order.
    std::vector<RecordedEvent> branchEvents() const;

    /// Saves the branch as JSON: {"name","stream","forkAt","events":[JSON Lines objects]}.
    void save(const QString& path) const;
    /// Loads a saved branch on top of `base`; throws InvalidInput naming the file and problem.
    static std::unique_ptr<BranchStore> load(const EventStore& base, const QString& path);

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
    std::vector<RecordedEvent> mergedStream() const; // base up to forkAt + branch events

    const EventStore& m_base;
    StreamId m_stream;
    Version m_forkAt;
    QString m_name;
    mutable QReadWriteLock m_lock;
    std::vector<RecordedEvent> m_events;
    std::optional<StreamInfo> m_baseAtFork;
};

} // namespace chronoscope
