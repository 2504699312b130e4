#pragma once

#include "store/forwardingeventstore.h"
#include "upcast/upcaster.h"

#include <QMutex>

namespace chronoscope {

/// An EventStore that shows another store's events upcast: every read (readStream, readAll,
/// readAt) runs the events through an UpcasterChain, so reducers, projections and views see
/// current payloads and schema versions. The inner store is never changed by a read; writes,
/// stream lists and totals pass through unchanged.
///
/// The raw form stays reachable: rawAt() reads the stored event and inspect() gives both forms
/// with the steps applied (for a raw/upcast side-by-side view).
class UpcastingEventStore final : public ForwardingEventStore {
    Q_OBJECT
public:
    /// What a read does when an upcaster fails on an event.
    enum class OnError {
        Throw,   ///< the read throws UpcastError (replay and projections: never fold a raw event)
        KeepRaw, ///< the event is returned as stored; the error is kept (lastErrors())
    };

    UpcastingEventStore(EventStore& inner, std::shared_ptr<const UpcasterChain> chain,
        OnError onError = OnError::Throw, QObject* parent = nullptr);
    UpcastingEventStore(std::unique_ptr<EventStore> inner, std::shared_ptr<const UpcasterChain> chain,
        OnError onError = OnError::Throw, QObject* parent = nullptr);

    const UpcasterChain& chain() const { return *m_chain; }

    /// The event at `position` exactly as stored.
    std::optional<RecordedEvent> rawAt(Position position) const { return inner().readAt(position); }
    /// Both forms of the event at `position` (nullopt when there is none). Never throws for an
    /// upcaster failure: the outcome carries the error.
    std::optional<UpcastOutcome> inspect(Position position) const;
    /// Both forms of events already read raw (e.g. from inner()).
    std::vector<UpcastOutcome> inspect(const std::vector<RecordedEvent>& raw) const;

    /// KeepRaw: the errors of the most recent read (empty after a read with none).
    std::vector<UpcastError> lastErrors() const;

    std::vector<RecordedEvent> readStream(const StreamId& stream, std::optional<Version> from,
        qint64 maxCount, Direction direction = Direction::Forward) const override;
    std::vector<RecordedEvent> readAll(std::optional<Position> from, qint64 maxCount,
        const EventFilter& filter = {}, Direction direction = Direction::Forward) const override;
    std::optional<RecordedEvent> readAt(Position position) const override;

private:
    std::vector<RecordedEvent> upcast(std::vector<RecordedEvent> events) const;

    std::shared_ptr<const UpcasterChain> m_chain;
    OnError m_onError;
    mutable QMutex m_errorsMutex;
    mutable std::vector<UpcastError> m_lastErrors;
};

} // namespace chronoscope
