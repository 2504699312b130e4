#pragma once

// JavaScript projections the benchmarks share.

namespace chronoscope::bench {

/// Counts events per type and sums the quantities of ItemAdded: every event crosses into JS.
inline constexpr const char* kFromAllScript = R"JS(
fromAll().when({
    $init: function () { return { count: {}, quantity: 0 }; },
    ItemAdded: function (s, e) { s.count[e.eventType] = (s.count[e.eventType] || 0) + 1; s.quantity += e.data.quantity; },
    $any: function (s, e) { s.count[e.eventType] = (s.count[e.eventType] || 0) + 1; }
});
)JS";

} // namespace chronoscope::bench
