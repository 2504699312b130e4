#pragma once

// What the sample shop sells and the words its story uses. Private to the generator.

#include <QtGlobal>

#include <cstdint>

namespace chronoscope::sample::detail {

struct Product {
    const char* sku;
    const char* name;
    std::int64_t price; // cents
};

inline constexpr Product Catalog[] = {
    {"MUG01", "Enamel mug", 1290},
    {"MUG02", "Espresso cup set", 2450},
    {"TEA01", "Green tea, 100 g", 790},
    {"TEA02", "Earl Grey, 250 g", 1150},
    {"COF01", "Coffee beans, 1 kg", 2490},
    {"COF02", "Decaf beans, 500 g", 1390},
    {"PRS01", "French press", 3490},
    {"KTL01", "Gooseneck kettle", 5990},
    {"GRD01", "Hand grinder", 4590},
    {"FLT01", "Paper filters x100", 490},
    {"SCL01", "Coffee scale", 2990},
    {"BAG01", "Canvas tote", 1590},
    {"CHO01", "Dark chocolate bar", 350},
    {"BIS01", "Almond biscuits", 590},
    {"HON01", "Forest honey", 890},
    {"SPN01", "Wooden spoons x3", 990},
    {"TWL01", "Linen tea towel", 1490},
    {"TRY01", "Serving tray", 2790},
    {"CAN01", "Storage tin", 1190},
    {"GFT01", "Gift card", 2500},
};
inline constexpr qint64 CatalogSize = qint64(sizeof(Catalog) / sizeof(Catalog[0]));

inline const char* const Suppliers[] = {"Nordic Ceramics", "Leaf & Co", "Roastery Berg", "Hollands Houtwerk"};
inline const char* const Carriers[] = {"DHL", "UPS", "PostNL", "DPD"};
inline const char* const Methods[] = {"card", "card", "card", "paypal", "bank-transfer"};
inline const char* const Declines[] = {"card declined", "insufficient funds", "3-D Secure timed out"};
inline const char* const Abandons[] = {"session timed out", "customer left", "shipping too expensive"};

} // namespace chronoscope::sample::detail
