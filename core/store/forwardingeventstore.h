#pragma once

#include "store/eventstore.h"

#include <memory>

namespace chronoscope {

/// An EventStore that hands every call to another store (the inner one) and re-emits its
/// appended() signal. Decorators derive from it and override only what they change: reads
/// (UpcastingEventStore) or writes (ValidatingEventStore). The inner store is either owned
/// or borrowed; a borrowed one must outlive the decorator.
class ForwardingEventStore : public EventStore {
    Q_OBJECT
public:
    explicit ForwardingEventStore(EventStore& inner, QObject* parent = nullptr);
    explicit ForwardingEventStore(std::unique_ptr<EventStore> inner, QObject* parent = nullptr);
    ~ForwardingEventStore() override;

    /// The store being decorated.
    EventStore& inner() const { return *m_inner; }

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
    std::unique_ptr<AppendNotifier> appendNotifier() const override;

private:
    std::unique_ptr<EventStore> m_owned;
    EventStore* m_inner;
};

} // namespace chronoscope
