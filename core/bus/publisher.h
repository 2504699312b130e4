#pragma once

#include "bus/eventbus.h"
#include "sample/commands.h"
#include "store/eventstore.h"

#include <QMutex>
#include <QObject>

#include <deque>
#include <optional>
#include <vector>

namespace chronoscope {

/// What a command or a raw event sent through a Publisher did.
struct PublishOutcome {
    enum class Kind {
        Stored,   ///< appended (a command may decide no event) and published on the bus
        Rejected, ///< the aggregate refused the command: a rule of the domain; nothing stored
        Conflict, ///< the stream was not at the expected version; nothing stored
        Invalid,  ///< malformed input, or a store that refuses writes; nothing stored
    };
    Kind kind = Kind::Stored;
    QUuid commandId;                   ///< the command's id (null for a raw event)
    QUuid correlationId;               ///< shared by everything this story causes
    QUuid causationId;                 ///< what caused it: the command id, or the reaction's triggering event
    std::vector<RecordedEvent> events; ///< Stored: the events appended, as stored
    /// Every event this call published on the bus, in store order: its own events and those
    /// the synchronous reactions it triggered stored (plus, when other threads write at the
    /// same time, theirs if this call happened to publish them). Empty when the call ran
    /// inside a bus handler: the publish already under way delivers them, after the event it
    /// is handling.
    std::vector<RecordedEvent> published;
    nlohmann::json state;                    ///< Stored, commands: the aggregate's state after the events
    QString error;                           ///< not Stored: the message for a person
    StreamId stream;                         ///< the stream written to (or refused)
    std::optional<ExpectedVersion> expected; ///< Conflict: what the writer expected
    Version actual;                          ///< Conflict: the stream's version at the time

    bool ok() const { return kind == Kind::Stored; }
};

/// "stored", "rejected", "conflict" or "invalid".
QString outcomeName(PublishOutcome::Kind kind);

/// The publishing path: a command (JSON or parsed) goes to the sample domain's CommandHandler,
/// whose aggregate decides under its invariants; the events are appended with the expected
/// version; the store's appended() signal brings them back and the bus publishes the
/// recorded events, in store order. A raw event can be published the same way.
///
/// Every append to the store (by this object or anyone else in the process) is published, once,
/// in position order. A bus handler that writes through the publisher (a reaction) does not
/// publish recursively: its events are queued and delivered after the event being handled has
/// reached every synchronous handler, so handlers see the log in order.
///
/// Correlation: a command without a correlation id starts a story (correlation = command id);
/// a raw event without one gets a new one. Causation defaults to the command id (for a raw
/// event: its correlation id). Reactions pass the triggering event's correlation id and
/// causation = that event's id (see sample/reactions.h).
///
/// Thread-safe: may be called from any thread (including the bus worker); the store and bus
/// must outlive it.
class Publisher : public QObject {
    Q_OBJECT
public:
    Publisher(EventStore& store, EventBus& bus, QObject* parent = nullptr);
    ~Publisher() override;

    EventStore& store() const { return m_store; }
    EventBus& bus() const { return m_bus; }

    /// Handles a sample-domain command. Assigns command id, correlation id and causation id
    /// when missing. Never throws for a rule broken, a conflict or bad input: see the outcome.
    PublishOutcome execute(sample::Command command);
    /// Parses the JSON form (sample/commands.h) first; a parse error gives Kind::Invalid.
    PublishOutcome execute(const QByteArray& commandJson);

    /// Appends one raw event (no domain rules) with `expected` and publishes it. `data` is any
    /// JSON; `metadata` a JSON object or empty. correlationId / causationId are written into the
    /// metadata: the ones given here win, then those already in `metadata`, else new ones.
    PublishOutcome publishEvent(const StreamId& stream, const QString& type, const QByteArray& data,
        const QByteArray& metadata, ExpectedVersion expected, const QUuid& correlationId = {},
        const QUuid& causationId = {});

Q_SIGNALS:
    /// Events were stored but could not be read back for publishing (e.g. the database went
    /// away); they stay stored, unpublished.
    void publishFailed(chronoscope::Position first, chronoscope::Position last, const QString& error);

private:
    struct Range {
        Position first;
        Position last;
    };
    class Scope;

    void onAppended(Position first, Position last);
    /// Publishes the queued ranges unless another call is doing it; collects what it published.
    void drain(std::vector<RecordedEvent>* published);

    EventStore& m_store;
    EventBus& m_bus;
    QMutex m_lock; // guards the two below
    std::deque<Range> m_pending;
    bool m_draining = false;
};

} // namespace chronoscope
