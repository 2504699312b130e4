#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

class QJSEngine;

namespace chronoscope {

/// Interrupts QJSEngine calls that run past their deadline (shared by JavaScript reducers and
/// projections). arm() before a call into the script, disarm() after it; an engine whose
/// deadline passes gets setInterrupted(true), and the caller clears it after the call.
class JsWatchdog {
public:
    JsWatchdog();
    ~JsWatchdog();
    JsWatchdog(const JsWatchdog&) = delete;
    JsWatchdog& operator=(const JsWatchdog&) = delete;

    void arm(QJSEngine* engine, std::chrono::milliseconds limit);
    void disarm(QJSEngine* engine);

private:
    void run();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<QJSEngine*, std::chrono::steady_clock::time_point> m_deadlines;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace chronoscope
