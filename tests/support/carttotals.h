#pragma once

// The sample cart's itemCount and total as a recount of its lines: what the cart reducer and the
// cart-summaries projection, which keep them up to date event by event, must agree with.

#include <nlohmann/json.hpp>

#include <cstdint>

namespace chronoscope::testing {

struct CartTotals {
    std::int64_t itemCount = 0;
    std::int64_t total = 0;
};

/// Sums quantity and quantity × unitPrice over cart["items"].
inline CartTotals recountCart(const nlohmann::json& cart)
{
    CartTotals sums;
    for (const auto& item : cart["items"]) {
        sums.itemCount += item["quantity"].get<std::int64_t>();
        sums.total += item["quantity"].get<std::int64_t>() * item["unitPrice"].get<std::int64_t>();
    }
    return sums;
}

} // namespace chronoscope::testing
