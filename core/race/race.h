#pragma once

// core/race: optimistic concurrency made visible. Two simulated writers load the same
// aggregate of the sample shop, decide on what they loaded (possibly stale) and append with an
// expected version; the person steps them in any order and sees WrongExpectedVersion, a retry,
// or what a last-write-wins append loses.

#include "race/racestep.h"
#include "sample/commands.h"

#include <array>
#include <functional>

namespace chronoscope {
class Publisher;
}

namespace chronoscope::race {

/// Appends `events` to `stream` if `expected` holds and returns them as stored (positions,
/// versions, ids). Throws like EventStore::append: WrongExpectedVersion, InvalidInput,
/// ReadOnlyError.
using AppendFunction = std::function<std::vector<RecordedEvent>(
    const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected)>;

/// Appends straight to `store` (which must outlive the function).
AppendFunction appendToStore(EventStore& store);
/// Appends through the publishing path: Publisher::publishEvent, one event after the other (the
/// first with `expected`, the next ones with the version the previous one made), so the bus
/// publishes them and every panel sees them. The publisher must outlive the function.
AppendFunction appendThrough(Publisher& publisher);

/// Longest stream the simulator folds (it reads on the caller's thread).
inline constexpr qint64 MaxRaceStreamEvents = 10000;

/// Two writers, A and B, racing on one stream of the sample domain. Every operation returns the
/// step it took and records it (steps()). Not thread-safe; the store must outlive it.
class RaceSimulator {
public:
    /// Reads `store`; appends with `append` (empty: appendToStore(store)).
    explicit RaceSimulator(EventStore& store, AppendFunction append = {});

    /// Races on `stream` from now on (forgets steps and loads). Throws InvalidInput when the
    /// stream is not of a category of the sample domain (cart, order, payment, inventory).
    void setStream(const StreamId& stream);
    const StreamId& stream() const { return m_stream; }

    /// The command `writer` wants, in the JSON form {"type","stream","data"} (sample/commands.h);
    /// "stream" may be left out: the race's stream is used whatever it says. Throws InvalidInput
    /// naming the writer and what is wrong (no stream chosen, unknown type, wrong category...).
    void setCommand(Writer writer, const nlohmann::json& command);
    /// The command's JSON form (null while none is set).
    nlohmann::json commandJson(Writer writer) const;

    /// A stream id no stream of `store` has: cart-race-1, cart-race-2, ...
    static StreamId freshCartId(const EventStore& store);
    /// Opens a new cart (OpenCart + AddItem through the append function) on freshCartId() and
    /// races on it; the writers keep their commands. Returns the stream. Throws StoreError.
    StreamId startFreshCart();

    /// The writer reads the stream and folds its state with the sample reducer.
    RaceStep load(Writer writer);
    /// The writer decides on the state it loaded (not reading the store again) and appends with
    /// the version it loaded (Exact) or with no check (Any). Throws InvalidInput when it has not
    /// loaded or has no command.
    RaceStep append(Writer writer, AppendMode mode);
    /// Reload, decide again and append with the version just read.
    RaceStep retry(Writer writer);
    /// Forgets the steps and what the writers loaded (the store keeps what was appended).
    void reset();

    const std::vector<RaceStep>& steps() const { return m_steps; }
    bool hasLoaded(Writer writer) const { return m_writers[index(writer)].loaded; }
    Version loadedVersion(Writer writer) const { return m_writers[index(writer)].version; }
    const nlohmann::json& loadedState(Writer writer) const { return m_writers[index(writer)].state; }
    /// Its last append was refused with WrongExpectedVersion (and it has not retried since).
    bool lastWasConflict(Writer writer) const { return m_writers[index(writer)].conflict; }

    /// Counts for lessons: {"stream","steps","loads","appends" (append steps, whatever their
    /// outcome),"conflicts","retries","retrySucceeded","lostUpdates","rejections","lastOutcome"}.
    nlohmann::json facts() const { return raceFacts(m_steps, m_stream); }

private:
    struct WriterState {
        std::optional<sample::Command> command;
        bool loaded = false;
        Version version;
        nlohmann::json state;
        bool conflict = false;
    };
    static std::size_t index(Writer writer) { return writer == Writer::A ? 0 : 1; }

    /// The stream's state and version (every event, bounded by MaxRaceStreamEvents).
    nlohmann::json readState(Version& version, std::optional<Version> upTo = std::nullopt) const;
    RaceStep decideAndAppend(Writer writer, AppendMode mode, StepKind kind);
    LostUpdate lostUpdate(
        Writer writer, Version actual, const sample::Command& command, const std::vector<EventData>& decided);
    QString attribution(const RecordedEvent& event) const;
    void requireStream() const;

    EventStore& m_store;
    AppendFunction m_append;
    StreamId m_stream;
    std::array<WriterState, 2> m_writers;
    std::vector<RaceStep> m_steps;
};

} // namespace chronoscope::race
