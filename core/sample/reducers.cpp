#include "sample/reducers.h"

#include "base/errors.h"
#include "sample/fields.h"
#include "sample/sampledomain.h"

#include <algorithm>
#include <stdexcept>

namespace chronoscope::sample {

using detail::intField;
using detail::optionalString;
using detail::stringField;
using nlohmann::json;

namespace {

bool is(QStringView type, const char* name)
{
    return type == QLatin1String(name);
}

[[noreturn]] void unknownType(Aggregate aggregate, QStringView type)
{
    throw std::invalid_argument(QStringLiteral("the %1 reducer does not know event type '%2'")
                                    .arg(aggregateName(aggregate), type.toString())
                                    .toStdString());
}

/// Keeps itemCount and total equal to the sums over the cart's lines by applying what one line
/// changed (quantity and unit price before and after), instead of adding every line up again on
/// every event (a third of a cart replay's time).
void adjustCartTotals(json& state, std::int64_t quantityBefore, std::int64_t priceBefore,
    std::int64_t quantityAfter, std::int64_t priceAfter)
{
    state["total"]
        = state.value("total", std::int64_t(0)) - quantityBefore * priceBefore + quantityAfter * priceAfter;
    state["itemCount"] = state.value("itemCount", std::int64_t(0)) - quantityBefore + quantityAfter;
}

json evolveCart(json state, QStringView type, const json& data)
{
    if (is(type, "CartOpened")) {
        state["status"] = "open";
        state["customerId"] = stringField(data, "customerId");
    } else if (is(type, "ItemAdded")) {
        auto& item = state["items"][stringField(data, "sku")];
        if (!item.is_object())
            item = json::object();
        const auto quantityBefore = item.value("quantity", std::int64_t(0));
        const auto priceBefore = item.value("unitPrice", std::int64_t(0));
        const auto quantity = quantityBefore + intField(data, "quantity");
        const auto price = intField(data, "unitPrice");
        item["name"] = optionalString(data, "name", item.value("name", std::string()));
        item["quantity"] = quantity;
        item["unitPrice"] = price;
        adjustCartTotals(state, quantityBefore, priceBefore, quantity, price);
    } else if (is(type, "ItemRemoved")) {
        auto& items = state["items"];
        const auto& sku = stringField(data, "sku");
        const auto it = items.find(sku);
        if (it != items.end()) {
            const auto quantityBefore = (*it)["quantity"].get<std::int64_t>();
            const auto price = (*it)["unitPrice"].get<std::int64_t>();
            const auto left = quantityBefore - intField(data, "quantity");
            if (left > 0)
                (*it)["quantity"] = left;
            else
                items.erase(it);
            adjustCartTotals(state, quantityBefore, price, std::max<std::int64_t>(left, 0), price);
        }
    } else if (is(type, "CartConfirmed")) {
        state["status"] = "confirmed";
    } else if (is(type, "CartAbandoned")) {
        state["status"] = "abandoned";
        state["abandonReason"] = optionalString(data, "reason");
    } else {
        unknownType(Aggregate::Cart, type);
    }
    return state;
}

json evolveOrder(json state, QStringView type, const json& data)
{
    if (is(type, "OrderPlaced")) {
        state["status"] = "placed";
        state["cartId"] = stringField(data, "cartId");
        state["customerId"] = stringField(data, "customerId");
        state["lines"] = detail::field(data, "lines");
        state["total"] = intField(data, "total");
        state["paid"] = 0;
        state["outstanding"] = intField(data, "total");
    } else if (is(type, "OrderPaid")) {
        const auto paid = state["paid"].get<std::int64_t>() + intField(data, "amount");
        state["paid"] = paid;
        state["outstanding"] = state["total"].get<std::int64_t>() - paid;
        state["payments"].push_back(stringField(data, "paymentId"));
        if (state["outstanding"].get<std::int64_t>() <= 0)
            state["status"] = "paid";
    } else if (is(type, "OrderShipped")) {
        state["status"] = "shipped";
        state["carrier"] = stringField(data, "carrier");
        state["trackingNumber"] = optionalString(data, "trackingNumber");
    } else if (is(type, "OrderCancelled")) {
        state["status"] = "cancelled";
        state["cancelReason"] = optionalString(data, "reason");
    } else {
        unknownType(Aggregate::Order, type);
    }
    return state;
}

json evolvePayment(json state, QStringView type, const json& data)
{
    if (is(type, "PaymentRequested")) {
        state["status"] = "requested";
        state["orderId"] = stringField(data, "orderId");
        state["amount"] = intField(data, "amount");
        state["method"] = stringField(data, "method");
    } else if (is(type, "PaymentAuthorized")) {
        state["status"] = "authorized";
        state["authorizationCode"] = optionalString(data, "authorizationCode");
    } else if (is(type, "PaymentCaptured")) {
        state["status"] = "captured";
        state["captured"] = intField(data, "amount");
    } else if (is(type, "PaymentFailed")) {
        state["status"] = "failed";
        state["failureReason"] = optionalString(data, "reason");
    } else if (is(type, "PaymentRefunded")) {
        const auto refunded = state["refunded"].get<std::int64_t>() + intField(data, "amount");
        state["refunded"] = refunded;
        state["status"]
            = refunded >= state["captured"].get<std::int64_t>() ? "refunded" : "partially-refunded";
    } else {
        unknownType(Aggregate::Payment, type);
    }
    return state;
}

json evolveInventory(json state, QStringView type, const json& data)
{
    auto onHand = state["onHand"].get<std::int64_t>();
    auto reserved = state["reserved"].get<std::int64_t>();
    auto& reservations = state["reservations"];
    const auto quantity = intField(data, "quantity");
    if (is(type, "StockReceived")) {
        onHand += quantity;
    } else if (is(type, "StockReserved")) {
        reserved += quantity;
        auto& r = reservations[stringField(data, "orderId")];
        r = r.is_number_integer() ? r.get<std::int64_t>() + quantity : quantity;
    } else if (is(type, "StockReleased")) {
        reserved -= quantity;
        reservations.erase(stringField(data, "orderId"));
    } else if (is(type, "StockShipped")) {
        reserved -= quantity;
        onHand -= quantity;
        reservations.erase(stringField(data, "orderId"));
    } else {
        unknownType(Aggregate::Inventory, type);
    }
    state["onHand"] = onHand;
    state["reserved"] = reserved;
    state["available"] = onHand - reserved;
    return state;
}

/// The built-in reducer of one aggregate: parses the payload and calls evolve().
class SampleReducer final : public Reducer {
public:
    explicit SampleReducer(Aggregate aggregate)
        : m_aggregate(aggregate)
    {
    }
    QString name() const override { return QStringLiteral("%1 (built-in)").arg(aggregateName(m_aggregate)); }
    nlohmann::json initialState(const StreamId& stream) const override
    {
        return sample::initialState(m_aggregate, stream);
    }
    nlohmann::json evolve(nlohmann::json state, const RecordedEvent& event) const override
    {
        try {
            return sample::evolve(m_aggregate, std::move(state), event.type, event.dataJson());
        } catch (const std::exception& error) {
            throw ReducerError(event, errorText(error));
        }
    }

private:
    Aggregate m_aggregate;
};

} // namespace

std::optional<Aggregate> aggregateOf(const StreamId& stream)
{
    const auto category = stream.category();
    for (auto a : {Aggregate::Cart, Aggregate::Order, Aggregate::Payment, Aggregate::Inventory})
        if (category == aggregateName(a))
            return a;
    return std::nullopt;
}

QString aggregateName(Aggregate aggregate)
{
    switch (aggregate) {
    case Aggregate::Cart:
        return QStringLiteral("cart");
    case Aggregate::Order:
        return QStringLiteral("order");
    case Aggregate::Payment:
        return QStringLiteral("payment");
    case Aggregate::Inventory:
        return QStringLiteral("inventory");
    }
    return {};
}

json initialState(Aggregate aggregate, const StreamId& stream)
{
    const auto id = stream.toString().toStdString();
    switch (aggregate) {
    case Aggregate::Cart:
        return json {{"cartId", id}, {"customerId", nullptr}, {"status", "new"}, {"items", json::object()},
            {"itemCount", 0}, {"total", 0}, {"abandonReason", nullptr}};
    case Aggregate::Order:
        return json {{"orderId", id}, {"cartId", nullptr}, {"customerId", nullptr}, {"status", "new"},
            {"lines", json::array()}, {"total", 0}, {"paid", 0}, {"outstanding", 0},
            {"payments", json::array()}, {"carrier", nullptr}, {"trackingNumber", nullptr},
            {"cancelReason", nullptr}};
    case Aggregate::Payment:
        return json {{"paymentId", id}, {"orderId", nullptr}, {"status", "new"}, {"method", nullptr},
            {"amount", 0}, {"captured", 0}, {"refunded", 0}, {"authorizationCode", nullptr},
            {"failureReason", nullptr}};
    case Aggregate::Inventory: {
        const auto dash = id.find('-');
        return json {{"sku", dash == std::string::npos ? id : id.substr(dash + 1)}, {"onHand", 0},
            {"reserved", 0}, {"available", 0}, {"reservations", json::object()}};
    }
    }
    return json::object();
}

json evolve(Aggregate aggregate, json state, QStringView type, const json& data)
{
    switch (aggregate) {
    case Aggregate::Cart:
        return evolveCart(std::move(state), type, data);
    case Aggregate::Order:
        return evolveOrder(std::move(state), type, data);
    case Aggregate::Payment:
        return evolvePayment(std::move(state), type, data);
    case Aggregate::Inventory:
        return evolveInventory(std::move(state), type, data);
    }
    return state;
}

void registerReducers(ReducerRegistry& registry)
{
    for (auto a : {Aggregate::Cart, Aggregate::Order, Aggregate::Payment, Aggregate::Inventory})
        registry.add(aggregateName(a), std::make_shared<const SampleReducer>(a));
}

} // namespace chronoscope::sample
