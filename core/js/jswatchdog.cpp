#include "js/jswatchdog.h"

#include <QJSEngine>

#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

namespace chronoscope {

namespace {

// How often the memory of the process is looked at while a script runs.
constexpr auto kSampleEvery = std::chrono::milliseconds(2);

} // namespace

std::int64_t JsWatchdog::residentBytes()
{
    // Opened once; pread at offset 0 makes the kernel write the figures afresh.
    static const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    static const long page = ::sysconf(_SC_PAGESIZE);
    if (fd < 0 || page <= 0)
        return -1;
    char text[128];
    const auto n = ::pread(fd, text, sizeof text - 1, 0);
    if (n <= 0)
        return -1;
    text[n] = '\0';
    char* end = nullptr;
    std::strtoll(text, &end, 10); // total program size; resident pages come second
    const auto pages = std::strtoll(end, nullptr, 10);
    return pages > 0 ? std::int64_t(pages) * page : -1;
}

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

void JsWatchdog::arm(QJSEngine* engine, const JsLimits& limits)
{
    Watch watch;
    watch.deadline = std::chrono::steady_clock::now() + limits.time;
    if (limits.memoryMiB > 0) {
        watch.baseline = residentBytes();
        watch.limitBytes = std::int64_t(limits.memoryMiB) * 1024 * 1024;
    }
    {
        std::lock_guard lock(m_mutex);
        m_watches[engine] = watch;
    }
    m_wake.notify_all();
}

JsWatchdog::Stop JsWatchdog::disarm(QJSEngine* engine)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_watches.find(engine);
    if (it == m_watches.end())
        return Stop::None;
    const auto stop = it->second.stop;
    m_watches.erase(it);
    return stop;
}

void JsWatchdog::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        auto next = std::chrono::steady_clock::time_point::max();
        const auto now = std::chrono::steady_clock::now();
        std::int64_t resident = -2; // read once per round, and only when a watch needs it
        for (auto& [engine, watch] : m_watches) {
            if (watch.stop != Stop::None)
                continue;
            if (watch.deadline <= now) {
                watch.stop = Stop::Time;
            } else if (watch.baseline >= 0) {
                if (resident == -2)
                    resident = residentBytes();
                if (resident >= 0 && resident - watch.baseline > watch.limitBytes)
                    watch.stop = Stop::Memory;
                else
                    next = std::min({next, watch.deadline, now + kSampleEvery});
            } else {
                next = std::min(next, watch.deadline);
            }
            if (watch.stop != Stop::None)
                engine->setInterrupted(true);
        }
        if (next == std::chrono::steady_clock::time_point::max())
            m_wake.wait(lock);
        else
            m_wake.wait_until(lock, next);
    }
}

} // namespace chronoscope
