#pragma once

#include "bus/bustrace.h"
#include "bus/publisher.h"
#include "sample/reactions.h"

#include <QObject>

#include <memory>

namespace chronoscope {

/// Everything that makes a writable store live in the window: an EventBus (dead letters kept
/// in the store's file when it is a Chronoscope SQLite store, else in memory), the Publisher
/// that appends and publishes, the sample shop's consumers with their failure switches, and a
/// BusTraceRecorder for the monitor. Built when a writable store opens, destroyed (consumers
/// first, after the bus worker is idle) when it closes.
class BusRuntime : public QObject {
    Q_OBJECT
public:
    struct Options {
        /// Queued: consumers run on the bus worker, so the window never waits for them and
        /// retries are spaced by the backoff the monitor shows.
        DeliveryMode mode = DeliveryMode::Queued;
        RetryPolicy retry {3, 200, 2.0};
    };

    /// `path` is the store's file ("" for a store in memory). Throws ReadOnlyError for a
    /// read-only store (see canPublish()).
    BusRuntime(
        std::shared_ptr<EventStore> store, const QString& path, Options options, QObject* parent = nullptr);
    BusRuntime(std::shared_ptr<EventStore> store, const QString& path, QObject* parent = nullptr)
        : BusRuntime(std::move(store), path, Options {}, parent)
    {
    }
    ~BusRuntime() override;

    /// Whether events can be published to `store`; when not, `why` says why for a tooltip.
    static bool canPublish(const EventStore* store, QString* why = nullptr);

    EventStore& store() const { return *m_store; }
    EventBus& bus() const { return *m_bus; }
    Publisher& publisher() const { return *m_publisher; }
    sample::SampleReactions& reactions() const { return *m_reactions; }
    std::shared_ptr<sample::ReactionSwitches> switches() const { return m_switches; }
    BusTraceRecorder& recorder() const { return *m_recorder; }
    /// Where dead letters are kept, for a person ("in the store file", "in memory ...").
    QString deadLetterLocation() const { return m_deadLetterLocation; }

private:
    std::shared_ptr<EventStore> m_store;
    std::unique_ptr<EventBus> m_bus;
    std::unique_ptr<BusTraceRecorder> m_recorder;
    std::unique_ptr<Publisher> m_publisher;
    std::shared_ptr<sample::ReactionSwitches> m_switches;
    std::unique_ptr<sample::SampleReactions> m_reactions;
    QString m_deadLetterLocation;
};

} // namespace chronoscope
