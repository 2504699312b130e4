#pragma once

#include "js/jslimits.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

class QJSEngine;

namespace chronoscope {

/// Stops QJSEngine calls that run past their deadline or make the process grow past their
/// memory limit (shared by JavaScript reducers, projections and upcasters). arm() before a
/// call into the script, disarm() after it; a stopped engine gets setInterrupted(true), and
/// the caller clears it after the call. While an engine is armed, the watchdog samples the
/// process's resident memory every few milliseconds.
class JsWatchdog {
public:
    /// Why a call was stopped.
    enum class Stop { None, Time, Memory };

    JsWatchdog();
    ~JsWatchdog();
    JsWatchdog(const JsWatchdog&) = delete;
    JsWatchdog& operator=(const JsWatchdog&) = delete;

    void arm(QJSEngine* engine, const JsLimits& limits);
    /// Ends the watch; says whether (and why) the engine was interrupted meanwhile.
    Stop disarm(QJSEngine* engine);

    /// The process's resident memory in bytes, -1 when it cannot be read.
    static std::int64_t residentBytes();

private:
    struct Watch {
        std::chrono::steady_clock::time_point deadline;
        std::int64_t baseline = -1; ///< resident bytes when armed, -1: no memory limit
        std::int64_t limitBytes = 0;
        Stop stop = Stop::None;
    };
    void run();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<QJSEngine*, Watch> m_watches;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace chronoscope
