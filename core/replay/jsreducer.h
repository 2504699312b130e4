#pragma once

#include "js/jslimits.h"
#include "replay/reducer.h"

#include <QMutex>

#include <chrono>
#include <map>
#include <memory>
#include <span>
#include <thread>

class QJSEngine;

namespace chronoscope {

class JsWatchdog;

/// A reducer written in JavaScript and run by QJSEngine.
///
/// The script defines `initialState` (a value, or a function of the stream id returning it)
/// and `evolve(state, event)`, as globals or on `module.exports`. `event` is
/// {type, data, metadata, streamId, version, position, timestamp, id} with data and metadata
/// parsed. The engine has no file, network or process access. Every call into the script (its
/// top-level code included) runs under the time and memory limits. Whatever the script throws,
/// even a value that is not an Error, is an error naming stream, version, event type and script
/// line. Usable from several threads: each thread gets its own engine.
class JsReducer final : public Reducer {
public:
    /// Compiles and runs the script's top-level code; throws InvalidInput naming the file and
    /// line of a syntax error, what the top-level code threw, or the missing `evolve`.
    static std::shared_ptr<JsReducer> fromSource(
        const QString& source, const QString& fileName, JsLimits limits = {});
    /// Reads and compiles a file; throws InvalidInput when it cannot be read.
    static std::shared_ptr<JsReducer> fromFile(const QString& path, JsLimits limits = {});

    ~JsReducer() override;

    QString name() const override;
    nlohmann::json initialState(const StreamId& stream) const override;
    nlohmann::json evolve(nlohmann::json state, const RecordedEvent& event) const override;
    nlohmann::json fold(nlohmann::json state, const std::vector<RecordedEvent>& events) const override;

    /// Limit for one call into the script (default 2000 ms). Set before the reducer is used.
    void setTimeLimit(std::chrono::milliseconds limit);
    std::chrono::milliseconds timeLimit() const { return m_limits.time; }
    /// How much the process may grow during one call, in MiB (default 512; 0: no limit).
    void setMemoryLimitMiB(int mib);
    int memoryLimitMiB() const { return m_limits.memoryMiB; }
    const QString& fileName() const { return m_fileName; }
    const QString& source() const { return m_source; }

private:
    struct Engine;
    JsReducer(QString source, QString fileName, JsLimits limits);
    Engine& engineForThisThread() const;
    void setLimits(const JsLimits& limits);
    nlohmann::json foldBatch(
        Engine& engine, nlohmann::json state, std::span<const RecordedEvent> batch) const;

    QString m_source;
    QString m_fileName;
    JsLimits m_limits;
    std::unique_ptr<JsWatchdog> m_watchdog; // before the engines: they are gone before it is
    mutable QMutex m_mutex;
    mutable std::map<std::thread::id, std::unique_ptr<Engine>> m_engines;
};

} // namespace chronoscope
