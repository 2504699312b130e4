#include "bus/busdelivery.h"

#include "base/errors.h"

#include <QDateTime>

#include <exception>

namespace chronoscope {

qint64 RetryPolicy::backoffBefore(int attempt) const
{
    double wait = double(initialBackoffMs);
    for (int i = 2; i < attempt; ++i)
        wait *= multiplier;
    return qint64(std::min(wait, 3600.0 * 1000.0));
}

namespace bus {

double nsPerTick()
{
#ifdef CHRONOSCOPE_BUS_TSC
    static const double factor = [] {
        using Clock = std::chrono::steady_clock;
        const auto t0 = Clock::now();
        const quint64 c0 = __rdtsc();
        auto t1 = t0;
        while (t1 - t0 < std::chrono::milliseconds(2))
            t1 = Clock::now();
        const quint64 c1 = __rdtsc();
        const double ns = double(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
        return c1 > c0 ? ns / double(c1 - c0) : 1.0;
    }();
    return factor;
#else
    return 1.0;
#endif
}

QString currentExceptionMessage()
{
    try {
        throw;
    } catch (const std::exception& error) {
        return errorText(error);
    } catch (...) {
        return QStringLiteral("the handler threw an exception that is not a std::exception");
    }
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace bus
} // namespace chronoscope
