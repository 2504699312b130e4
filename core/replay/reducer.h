#pragma once

// core/replay: aggregates rebuilt by replaying events: Reducer (initial state + evolve), the
// built-in and generic reducers, JavaScript reducers (jsreducer) and replay() itself.

#include "base/errors.h"
#include "store/recordedevent.h"

#include <QHash>

#include <memory>
#include <vector>

namespace chronoscope {

/// Folds a stream's events into a state: initial state + evolve(state, event) -> state.
class Reducer {
public:
    virtual ~Reducer() = default;
    /// Short name shown to the user, e.g. "cart (built-in)".
    virtual QString name() const = 0;
    virtual nlohmann::json initialState(const StreamId& stream) const = 0;
    /// Returns the state after `event`. Throws StoreError naming stream, version and type
    /// when the event cannot be applied.
    virtual nlohmann::json evolve(nlohmann::json state, const RecordedEvent& event) const = 0;
    /// Applies several events in order. Reducers whose state lives elsewhere (JavaScript)
    /// override it to convert the state once per batch instead of once per event.
    virtual nlohmann::json fold(nlohmann::json state, const std::vector<RecordedEvent>& events) const
    {
        for (const auto& e : events)
            state = evolve(std::move(state), e);
        return state;
    }
};

/// A reducer could not apply an event. The message reads
/// "stream 'S' version N (type 'T', position P): REASON"; reason() is the REASON alone, version()
/// the event's version.
class ReducerError : public StoreError {
public:
    ReducerError(const RecordedEvent& event, const QString& reason);
    const QString& reason() const { return m_reason; }
    Version version() const { return m_version; }

private:
    QString m_reason;
    Version m_version;
};

/// The fallback for streams no reducer knows. Its state is
/// {"stream","version","events","lastEventType","lastTimestamp","eventsByType":{TYPE:n},
///  "data": every payload merged in order as a JSON Merge Patch (RFC 7386)}.
std::shared_ptr<const Reducer> genericReducer();

/// Chooses the reducer for a stream by its category; falls back to the generic reducer.
class ReducerRegistry {
public:
    /// A registry holding the built-in reducers of the sample domain.
    static ReducerRegistry withBuiltins();

    void add(const QString& category, std::shared_ptr<const Reducer> reducer);
    std::shared_ptr<const Reducer> reducerFor(const StreamId& stream) const;

private:
    QHash<QString, std::shared_ptr<const Reducer>> m_byCategory;
};

} // namespace chronoscope
