#pragma once

// The sample domain's aggregates and their evolve functions (the facts side of
// decide/evolve). States are plain JSON a teacher can read; see commands.h for the events.
//
// cart-<n>       {cartId, customerId, status: new|open|confirmed|abandoned,
//                 items: {SKU: {name, quantity, unitPrice}}, itemCount, total, abandonReason}
// order-<n>      {orderId, cartId, customerId, status: new|placed|paid|shipped|cancelled,
//                 lines: [{sku, name, quantity, unitPrice, lineTotal}], total, paid, outstanding,
//                 payments: [paymentId], carrier, trackingNumber, cancelReason}
// payment-<n>    {paymentId, orderId, status: new|requested|authorized|captured|failed|
//                 partially-refunded|refunded, method, amount, captured, refunded,
//                 authorizationCode, failureReason}
// inventory-<s>  {sku, onHand, reserved, available, reservations: {orderId: quantity}}
//
// Money is in integer cents. Ids in payloads are stream ids ("cart-7", "order-3").

#include "base/ids.h"

#include <QStringView>

#include <nlohmann/json.hpp>

#include <optional>

namespace chronoscope::sample {

enum class Aggregate { Cart, Order, Payment, Inventory };

/// The aggregate a stream holds, by category ("cart", "order", "payment", "inventory").
std::optional<Aggregate> aggregateOf(const StreamId& stream);
/// "cart", "order", "payment" or "inventory": the category of its streams.
QString aggregateName(Aggregate aggregate);

/// State of an aggregate before its first event (status "new").
nlohmann::json initialState(Aggregate aggregate, const StreamId& stream);

/// Applies one event. Throws detail::FieldError (a std::runtime_error) naming the field when
/// the payload lacks one, and std::invalid_argument for an event type the aggregate does not know.
nlohmann::json evolve(
    Aggregate aggregate, nlohmann::json state, QStringView type, const nlohmann::json& data);

} // namespace chronoscope::sample
