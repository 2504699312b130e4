#pragma once

#include "js/jslimits.h"
#include "projections/projection.h"

#include <chrono>
#include <memory>

namespace chronoscope {

class JsWatchdog;

/// A projection written in JavaScript in the EventStoreDB style, run by QJSEngine:
///
///     options({ $includeLinks: false });          // accepted, recorded, otherwise ignored
///     fromAll()                                   // or fromCategory('cart'), fromStream('cart-1'),
///                                                 //    fromStreams(['a', 'b']) / fromStreams('a', 'b')
///         .foreachStream()                        // optional: one state per stream id
///         .when({
///             $init: function () { return { count: 0 }; },
///             $any: function (state, e) { ... },  // events without a handler of their own
///             ItemAdded: function (state, e) { state.count += e.data.quantity; }
///         })
///         .outputState();
///
/// A handler may mutate the state and/or return a new one (a returned value replaces it).
/// `e` has eventType (= type), data (= body, parsed), metadata, streamId, category,
/// sequenceNumber (0-based, EventStoreDB's event number), version (1-based), position,
/// timestamp (ISO-8601 UTC) and eventId. The read model is the state, or with foreachStream an
/// object {streamId: state}. The engine has no file, network or process access; emit() and
/// linkTo() throw. Every call into the script (its top-level code, $init, a batch of events)
/// runs under the time and memory limits. Whatever a handler throws, even a value that is not
/// an Error, is an error naming the script file and line and the event (position, stream,
/// version, type).
class JsProjection final : public Projection {
public:
    /// Compiles the script in a throw-away engine to learn its source; throws InvalidInput
    /// naming file and line of a syntax or top-level error, or when no fromX().when() is given.
    static std::shared_ptr<JsProjection> fromSource(
        const QString& script, const QString& fileName, JsLimits limits = {});
    static std::shared_ptr<JsProjection> fromSource(
        const QString& script, const QString& fileName, std::chrono::milliseconds timeLimit);
    /// Reads a file and compiles it; throws InvalidInput when it cannot be read.
    static std::shared_ptr<JsProjection> fromFile(const QString& path, JsLimits limits = {});
    static std::shared_ptr<JsProjection> fromFile(const QString& path, std::chrono::milliseconds timeLimit);
    ~JsProjection() override;

    QString name() const override;
    QString description() const override;
    ProjectionSource source() const override { return m_source; }
    /// A folder with its own QJSEngine, belonging to the calling thread.
    std::unique_ptr<ProjectionFolder> createFolder() const override;

    bool isPerStream() const { return m_perStream; }
    /// What the script passed to options(), as JSON (an empty object when not called).
    const nlohmann::json& options() const { return m_options; }
    std::chrono::milliseconds timeLimit() const { return m_limits.time; }
    const JsLimits& limits() const { return m_limits; }
    const QString& fileName() const { return m_fileName; }

private:
    class Folder;
    JsProjection(QString script, QString fileName, JsLimits limits);

    QString m_script;
    QString m_fileName;
    JsLimits m_limits;
    ProjectionSource m_source;
    bool m_perStream = false;
    nlohmann::json m_options = nlohmann::json::object();
    std::shared_ptr<JsWatchdog> m_watchdog;
};

} // namespace chronoscope
