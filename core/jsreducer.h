#pragma once

#include "reducer.h"

#include <QMutex>
#include <chrono>
#include <map>
#include <memory>
#include <thread>

class QJSEngine;

namespace chronoscope {

class JsWatchdog;

/// A reducer written in JavaScript and run by QJSEngine.
///
/// The script defines `initialState` (a value, or a function of the stream id returning it)
/// and `evolve(state, event)`, as globals or on `module.exports`. `event` is
/// {type, data, metadata, streamId, version, position, timestamp, id} with data and metadata
/// parsed. The engine has no file, network or process access. One call running longer than
/// the time limit is interrupted. Errors name stream, version, event type and script line.
/// Usable from several threads: each thread gets its own engine.
class JsReducer final : public Reducer {
public:
    /// Compiles the script; throws InvalidInput naming the file and line of a syntax error,
    /// or the missing `evolve`.
    static std::shared_ptr<JsReducer> fromSource(const QString& source, const QString& fileName);
    /// Reads and compiles a file; throws InvalidInput when it cannot be read.
    static std::shared_ptr<JsReducer> fromFile(const QString& path);

    ~JsReducer() override;

    QString name() const override;
    nlohmann::json initialState(const StreamId& stream) const override;
    nlohmann::json evolve(nlohmann::json state, const RecordedEvent& event) const override;
    nlohmann::json fold(nlohmann::json state, const std::vector<RecordedEvent>& events) const override;

    /// Limit for one call into the script (default 2000 ms).
    void setTimeLimit(std::chrono::milliseconds limit) { m_limit = limit; }
    std::chrono::milliseconds timeLimit() const { return m_limit; }
    const QString& fileName() const { return m_fileName; }
    const QString& source() const { return m_source; }

private:
    struct Engine;
    JsReducer(QString source, QString fileName);
    Engine& engineForThisThread() const;

    QString m_source;
    QString m_fileName;
    std::chrono::milliseconds m_limit {2000};
    mutable QMutex m_mutex;
    mutable std::map<std::thread::id, std::unique_ptr<Engine>> m_engines;
    std::unique_ptr<JsWatchdog> m_watchdog;
};

} // namespace chronoscope
