#include "jswatchdog.h"

#include <QJSEngine>

namespace chronoscope {

JsWatchdog::JsWatchdog()
    : m_thread([this] { run(); })
{
}

JsWatchdog::~JsWatchdog()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void JsWatchdog::arm(QJSEngine* engine, std::chrono::milliseconds limit)
{
    {
        std::lock_guard lock(m_mutex);
        m_deadlines[engine] = std::chrono::steady_clock::now() + limit;
    }
    m_wake.notify_all();
}

void JsWatchdog::disarm(QJSEngine* engine)
{
    std::lock_guard lock(m_mutex);
    m_deadlines.erase(engine);
}

void JsWatchdog::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        if (m_deadlines.empty()) {
            m_wake.wait(lock);
            continue;
        }
        auto next = std::chrono::steady_clock::time_point::max();
        const auto now = std::chrono::steady_clock::now();
        for (auto it = m_deadlines.begin(); it != m_deadlines.end();) {
            if (it->second <= now) {
                it->first->setInterrupted(true);
                it = m_deadlines.erase(it);
            } else {
                next = std::min(next, it->second);
                ++it;
            }
        }
        if (next != std::chrono::steady_clock::time_point::max())
            m_wake.wait_until(lock, next);
    }
}

} // namespace chronoscope
