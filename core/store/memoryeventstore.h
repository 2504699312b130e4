#pragma once

#include "store/eventstore.h"

#include <QReadWriteLock>

#include <map>

namespace chronoscope {

/// An event store held in memory. Used for tests, for JSON Lines files opened read-only and
/// for hypothetical branches. Thread-safe: reads share a lock, writes take it exclusively.
class MemoryEventStore final : public EventStore {
    Q_OBJECT
public:
    explicit MemoryEventStore(
        QString format = QStringLiteral("memory"), QString location = {}, QObject* parent = nullptr);

    /// After this, every write throws ReadOnlyError.
    void setReadOnly(bool readOnly);

    AppendResult append(
        const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected) override;
    std::vector<AppendResult> appendMany(const std::vector<AppendRequest>& requests) override;
    void importRecorded(const std::vector<RecordedEvent>& events) override;
    std::vector<RecordedEvent> readStream(const StreamId& stream, std::optional<Version> from,
        qint64 maxCount, Direction direction) const override;
    std::vector<RecordedEvent> readAll(std::optional<Position> from, qint64 maxCount,
        const EventFilter& filter, Direction direction) const override;
    std::optional<RecordedEvent> readAt(Position position) const override;
    std::vector<StreamInfo> streams(const QString& prefix) const override;
    std::optional<StreamInfo> streamInfo(const StreamId& stream) const override;
    StoreSummary summary() const override;
    std::vector<TypeCount> typeCounts() const override;

private:
    struct Stream {
        StreamInfo info;
        std::vector<std::size_t> indices; // into m_events, in version order
    };
    void checkWritable() const;
    void store(RecordedEvent event); // caller holds the write lock
    std::size_t lowerBound(Position position) const;

    mutable QReadWriteLock m_lock;
    QString m_format;
    QString m_location;
    bool m_readOnly = false;
    std::vector<RecordedEvent> m_events; // ordered by position
    std::map<StreamId, Stream> m_streams;
    std::map<QString, qint64> m_types;
};

} // namespace chronoscope
