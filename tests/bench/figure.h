#pragma once

// What every benchmark group prints: one JSON line per figure, {"name":..., "value":..., "unit":...},
// flushed at once so a long run shows its figures as they come.

#include <chrono>
#include <cstdio>
#include <string>

namespace chronoscope::bench {

inline void figure(const std::string& name, double value, const char* unit)
{
    std::printf("{\"name\":\"%s\",\"value\":%.3f,\"unit\":\"%s\"}\n", name.c_str(), value, unit);
    std::fflush(stdout);
}

/// Milliseconds of wall time since `start`.
inline double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

} // namespace chronoscope::bench
