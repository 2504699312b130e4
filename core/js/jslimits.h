#pragma once

#include <chrono>

namespace chronoscope {

/// Bounds on every call into a user's script (reducer, projection, upcaster).
struct JsLimits {
    /// Longest one call may run before it is interrupted.
    std::chrono::milliseconds time {2000};
    /// Most the process may grow by during one call, in MiB, before the call is stopped; also
    /// the largest single string or array a built-in may make. 0: no memory limit.
    int memoryMiB = 512;

    bool operator==(const JsLimits&) const = default;
};

} // namespace chronoscope
