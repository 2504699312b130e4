// The sample domain's decisions: which events a command produces, and the rules it must obey.

#include "json/jsonerror.h"
#include "sample/commands.h"
#include "sample/fields.h"

namespace chronoscope::sample {

using detail::intField;
using detail::optionalString;
using detail::stringField;
using nlohmann::json;

namespace {

/// Context of one decision: the command, its own state, and error helpers naming both.
class Decision {
    /// Runs f; a missing or mistyped command field becomes InvalidInput naming the command.
    template<typename F> auto guarded(F f) const
    {
        try {
            return f();
        } catch (const detail::FieldError& error) {
            throw InvalidInput(
                QStringLiteral("command '%1' on '%2': %3")
                    .arg(m_command.type, m_command.stream.toString(), QString::fromUtf8(error.what())));
        }
    }

public:
    Decision(const json& state, const Command& command, const RelatedStates& related)
        : m_state(state)
        , m_command(command)
        , m_related(related)
    {
    }

    [[noreturn]] void reject(const QString& rule) const
    {
        throw DomainError(
            QStringLiteral("%1 rejected by %2 '%3': %4")
                .arg(m_command.type, m_command.stream.category(), m_command.stream.toString(), rule));
    }
    /// Rejects with the rule `describe()` returns unless ok (the text is only built on failure).
    template<typename Describe> void require(bool ok, Describe&& describe) const
    {
        if (!ok)
            reject(describe());
    }

    std::string status() const { return m_state.value("status", std::string("new")); }
    QString statusText() const { return QString::fromStdString(status()); }
    std::int64_t stateInt(const char* name) const { return m_state.value(name, std::int64_t(0)); }
    const json& state() const { return m_state; }
    std::string id() const { return m_command.stream.toString().toStdString(); }

    // Command fields (parseCommand checked them; a hand-built command may still be wrong).
    std::int64_t integer(const char* name) const
    {
        return guarded([&] { return intField(m_command.data, name); });
    }
    std::string text(const char* name) const
    {
        return guarded([&] { return stringField(m_command.data, name); });
    }
    std::string optional(const char* name) const
    {
        return guarded([&] { return optionalString(m_command.data, name); });
    }

    /// State of a related stream named by a field of the command, and that stream's id.
    std::pair<const json&, std::string> related(const char* field, Aggregate aggregate) const
    {
        const auto name = text(field);
        const auto it = m_related.find(QString::fromStdString(name));
        if (it != m_related.end())
            return {it->second, name};
        m_missing = initialState(aggregate, StreamId(QString::fromStdString(name)));
        return {m_missing, name};
    }

    void requireOpenCart(const char* what) const
    {
        const auto s = status();
        if (s == "new")
            reject(QStringLiteral("the cart has not been opened"));
        require(s == "open", [&] {
            return QStringLiteral("no item can be %1 a %2 cart").arg(QLatin1String(what), statusText());
        });
    }
    void requirePositive(const char* name, std::int64_t value) const
    {
        require(value > 0, [&] {
            return QStringLiteral("%1 must be greater than 0, got %2").arg(QLatin1String(name)).arg(value);
        });
    }

private:
    const json& m_state;
    const Command& m_command;
    const RelatedStates& m_related;
    mutable json m_missing; // state of a related stream that does not exist yet
};

/// The single event a command decided (moved, never copied: payloads can be large).
std::vector<DomainEvent> event(const char* type, json data)
{
    std::vector<DomainEvent> out;
    out.push_back({QLatin1String(type), std::move(data)});
    return out;
}

std::vector<DomainEvent> decideCart(const Decision& d, QStringView type)
{
    if (type == QLatin1String("OpenCart")) {
        d.require(d.status() == "new",
            [&] { return QStringLiteral("the cart already exists (status %1)").arg(d.statusText()); });
        const auto customer = d.text("customerId");
        d.require(!customer.empty(), [&] { return QStringLiteral("customerId must not be empty"); });
        return event("CartOpened", {{"cartId", d.id()}, {"customerId", customer}});
    }
    if (type == QLatin1String("AddItem")) {
        d.requireOpenCart("added to");
        const auto quantity = d.integer("quantity");
        d.requirePositive("quantity", quantity);
        const auto price = d.integer("unitPrice");
        d.require(
            price >= 0, [&] { return QStringLiteral("unitPrice must not be negative, got %1").arg(price); });
        const auto sku = d.text("sku");
        d.require(!sku.empty(), [&] { return QStringLiteral("sku must not be empty"); });
        return event("ItemAdded",
            {{"cartId", d.id()}, {"sku", sku}, {"name", d.optional("name")}, {"quantity", quantity},
                {"unitPrice", price}});
    }
    if (type == QLatin1String("RemoveItem")) {
        d.requireOpenCart("removed from");
        const auto quantity = d.integer("quantity");
        d.requirePositive("quantity", quantity);
        const auto sku = d.text("sku");
        const auto& items = d.state().at("items");
        const auto it = items.find(sku);
        d.require(it != items.end(),
            [&] { return QStringLiteral("the cart holds no '%1'").arg(QString::fromStdString(sku)); });
        const auto held = it->value("quantity", std::int64_t(0));
        d.require(quantity <= held, [&] {
            return QStringLiteral("cannot remove %1 of '%2': the cart holds %3")
                .arg(quantity)
                .arg(QString::fromStdString(sku))
                .arg(held);
        });
        return event("ItemRemoved", {{"cartId", d.id()}, {"sku", sku}, {"quantity", quantity}});
    }
    if (type == QLatin1String("ConfirmCart")) {
        d.require(d.status() != "confirmed", [&] { return QStringLiteral("the cart is already confirmed"); });
        d.require(d.status() == "open", [&] {
            return QStringLiteral("only an open cart can be confirmed (status %1)").arg(d.statusText());
        });
        const auto& items = d.state().at("items");
        d.require(!items.empty(), [&] { return QStringLiteral("cannot confirm an empty cart"); });
        json lines = json::array();
        for (auto it = items.begin(); it != items.end(); ++it)
            lines.push_back(
                {{"sku", it.key()}, {"quantity", it->at("quantity")}, {"unitPrice", it->at("unitPrice")}});
        return event("CartConfirmed",
            {{"cartId", d.id()}, {"customerId", d.state().at("customerId")}, {"items", std::move(lines)},
                {"total", d.stateInt("total")}});
    }
    // AbandonCart
    d.require(d.status() == "open",
        [&] { return QStringLiteral("only an open cart can be abandoned (status %1)").arg(d.statusText()); });
    return event("CartAbandoned", {{"cartId", d.id()}, {"reason", d.optional("reason")}});
}

std::vector<DomainEvent> decideOrder(const Decision& d, QStringView type)
{
    const auto status = d.status();
    if (type == QLatin1String("PlaceOrder")) {
        d.require(status == "new",
            [&] { return QStringLiteral("the order was already placed (status %1)").arg(d.statusText()); });
        // Not a structured binding: clang 14 cannot capture one in the lambdas below.
        const auto cartRelated = d.related("cartId", Aggregate::Cart);
        const json& cart = cartRelated.first;
        const std::string& cartId = cartRelated.second;
        const auto cartStatus = cart.value("status", std::string("new"));
        d.require(cartStatus == "confirmed", [&] {
            return QStringLiteral("no order from an unconfirmed cart: '%1' is %2")
                .arg(QString::fromStdString(cartId), QString::fromStdString(cartStatus));
        });
        json lines = json::array();
        std::int64_t total = 0;
        const auto& items = cart.at("items");
        for (auto it = items.begin(); it != items.end(); ++it) {
            const auto quantity = it->at("quantity").get<std::int64_t>();
            const auto price = it->at("unitPrice").get<std::int64_t>();
            lines.push_back({{"sku", it.key()}, {"name", it->value("name", std::string())},
                {"quantity", quantity}, {"unitPrice", price}, {"lineTotal", quantity * price}});
            total += quantity * price;
        }
        return event("OrderPlaced",
            {{"orderId", d.id()}, {"cartId", cartId}, {"customerId", cart.at("customerId")},
                {"lines", std::move(lines)}, {"total", total}});
    }
    if (type == QLatin1String("RecordPayment")) {
        d.require(status != "new", [&] { return QStringLiteral("the order has not been placed"); });
        d.require(status == "placed",
            [&] { return QStringLiteral("the order is %1 and takes no more payments").arg(d.statusText()); });
        const auto amount = d.integer("amount");
        d.requirePositive("amount", amount);
        const auto outstanding = d.stateInt("outstanding");
        d.require(amount <= outstanding, [&] {
            return QStringLiteral("no payment above the order's outstanding total: %1 > %2")
                .arg(amount)
                .arg(outstanding);
        });
        const auto paymentRelated = d.related("paymentId", Aggregate::Payment);
        const json& payment = paymentRelated.first;
        const std::string& paymentId = paymentRelated.second;
        const auto pStatus = payment.value("status", std::string("new"));
        d.require(pStatus == "captured", [&] {
            return QStringLiteral("payment '%1' is not captured (status %2)")
                .arg(QString::fromStdString(paymentId), QString::fromStdString(pStatus));
        });
        d.require(payment.value("orderId", std::string()) == d.id(), [&] {
            return QStringLiteral("payment '%1' is for another order").arg(QString::fromStdString(paymentId));
        });
        d.require(amount <= payment.value("captured", std::int64_t(0)), [&] {
            return QStringLiteral("payment '%1' captured less than %2")
                .arg(QString::fromStdString(paymentId))
                .arg(amount);
        });
        for (const auto& p : d.state().at("payments"))
            d.require(p != paymentId, [&] {
                return QStringLiteral("payment '%1' was already recorded")
                    .arg(QString::fromStdString(paymentId));
            });
        return event("OrderPaid", {{"orderId", d.id()}, {"paymentId", paymentId}, {"amount", amount}});
    }
    if (type == QLatin1String("ShipOrder")) {
        d.require(status != "shipped", [&] { return QStringLiteral("the order was already shipped"); });
        d.require(
            status != "cancelled", [&] { return QStringLiteral("a cancelled order cannot be shipped"); });
        d.require(status == "paid", [&] {
            return QStringLiteral("no shipment before payment: the order is %1, %2 cents outstanding")
                .arg(d.statusText())
                .arg(d.stateInt("outstanding"));
        });
        return event("OrderShipped",
            {{"orderId", d.id()}, {"carrier", d.text("carrier")},
                {"trackingNumber", d.optional("trackingNumber")}});
    }
    // CancelOrder
    d.require(status != "new", [&] { return QStringLiteral("the order has not been placed"); });
    d.require(status == "placed",
        [&] { return QStringLiteral("a %1 order cannot be cancelled").arg(d.statusText()); });
    d.require(d.stateInt("paid") == 0,
        [&] { return QStringLiteral("a partly paid order cannot be cancelled; refund first"); });
    return event("OrderCancelled", {{"orderId", d.id()}, {"reason", d.optional("reason")}});
}

std::vector<DomainEvent> decidePayment(const Decision& d, QStringView type)
{
    const auto status = d.status();
    const auto orderId = d.state().value("orderId", json());
    if (type == QLatin1String("RequestPayment")) {
        d.require(status == "new", [&] {
            return QStringLiteral("the payment was already requested (status %1)").arg(d.statusText());
        });
        const auto amount = d.integer("amount");
        d.requirePositive("amount", amount);
        const auto method = d.text("method");
        d.require(method == "card" || method == "paypal" || method == "bank-transfer", [&] {
            return QStringLiteral("method must be card, paypal or bank-transfer, got '%1'")
                .arg(QString::fromStdString(method));
        });
        const auto orderRelated = d.related("orderId", Aggregate::Order);
        const json& order = orderRelated.first;
        const std::string& id = orderRelated.second;
        const auto oStatus = order.value("status", std::string("new"));
        d.require(oStatus == "placed", [&] {
            return QStringLiteral("order '%1' does not take payments (status %2)")
                .arg(QString::fromStdString(id), QString::fromStdString(oStatus));
        });
        const auto outstanding = order.value("outstanding", std::int64_t(0));
        d.require(amount <= outstanding, [&] {
            return QStringLiteral("no payment above the order's outstanding total: %1 > %2 on '%3'")
                .arg(amount)
                .arg(outstanding)
                .arg(QString::fromStdString(id));
        });
        return event("PaymentRequested",
            {{"paymentId", d.id()}, {"orderId", id}, {"amount", amount}, {"method", method}});
    }
    if (type == QLatin1String("AuthorizePayment")) {
        d.require(status == "requested", [&] {
            return QStringLiteral("only a requested payment can be authorized (status %1)")
                .arg(d.statusText());
        });
        return event("PaymentAuthorized",
            {{"paymentId", d.id()}, {"orderId", orderId}, {"amount", d.stateInt("amount")},
                {"authorizationCode", d.optional("authorizationCode")}});
    }
    if (type == QLatin1String("CapturePayment")) {
        d.require(status == "authorized", [&] {
            return QStringLiteral("only an authorized payment can be captured (status %1)")
                .arg(d.statusText());
        });
        return event("PaymentCaptured",
            {{"paymentId", d.id()}, {"orderId", orderId}, {"amount", d.stateInt("amount")}});
    }
    if (type == QLatin1String("FailPayment")) {
        d.require(status == "requested" || status == "authorized", [&] {
            return QStringLiteral("only a pending payment can fail (status %1)").arg(d.statusText());
        });
        return event(
            "PaymentFailed", {{"paymentId", d.id()}, {"orderId", orderId}, {"reason", d.optional("reason")}});
    }
    // RefundPayment
    d.require(status == "captured" || status == "partially-refunded", [&] {
        return QStringLiteral("only a captured payment can be refunded (status %1)").arg(d.statusText());
    });
    const auto amount = d.integer("amount");
    d.requirePositive("amount", amount);
    const auto left = d.stateInt("captured") - d.stateInt("refunded");
    d.require(amount <= left,
        [&] { return QStringLiteral("cannot refund %1: only %2 is left to refund").arg(amount).arg(left); });
    return event("PaymentRefunded",
        {{"paymentId", d.id()}, {"orderId", orderId}, {"amount", amount}, {"reason", d.optional("reason")}});
}

std::vector<DomainEvent> decideInventory(const Decision& d, QStringView type)
{
    const auto sku = d.state().value("sku", std::string());
    if (type == QLatin1String("ReceiveStock")) {
        const auto quantity = d.integer("quantity");
        d.requirePositive("quantity", quantity);
        return event(
            "StockReceived", {{"sku", sku}, {"quantity", quantity}, {"supplier", d.optional("supplier")}});
    }
    const auto orderId = d.text("orderId");
    const auto& reservations = d.state().at("reservations");
    const auto reservation = reservations.find(orderId);
    if (type == QLatin1String("ReserveStock")) {
        const auto quantity = d.integer("quantity");
        d.requirePositive("quantity", quantity);
        d.require(reservation == reservations.end(), [&] {
            return QStringLiteral("stock is already reserved for '%1'").arg(QString::fromStdString(orderId));
        });
        const auto available = d.stateInt("available");
        d.require(quantity <= available, [&] {
            return QStringLiteral("no stock reservation beyond available stock: %1 asked, %2 available")
                .arg(quantity)
                .arg(available);
        });
        return event("StockReserved", {{"sku", sku}, {"quantity", quantity}, {"orderId", orderId}});
    }
    d.require(reservation != reservations.end(),
        [&] { return QStringLiteral("no stock is reserved for '%1'").arg(QString::fromStdString(orderId)); });
    const auto quantity = reservation->get<std::int64_t>();
    if (type == QLatin1String("ReleaseStock"))
        return event("StockReleased",
            {{"sku", sku}, {"quantity", quantity}, {"orderId", orderId}, {"reason", d.optional("reason")}});
    return event("StockShipped", {{"sku", sku}, {"quantity", quantity}, {"orderId", orderId}});
}

} // namespace

QStringList relatedStreams(const Command& command)
{
    const auto* spec = findCommandSpec(command.type);
    QStringList out;
    if (!spec || command.data.is_null())
        return out;
    // Fields that name another stream are read by the decision, except an inventory's orderId
    // (a reservation is checked against the inventory's own state).
    if (spec->aggregate == Aggregate::Inventory)
        return out;
    for (const auto& field : spec->fields) {
        if (field.kind != QLatin1String("stream"))
            continue;
        const auto it = command.data.find(field.name.toStdString());
        if (it != command.data.end() && it->is_string())
            out << QString::fromStdString(it->get<std::string>());
    }
    return out;
}

std::vector<DomainEvent> decideEvents(const json& state, const Command& command, const RelatedStates& related)
{
    const auto* spec = findCommandSpec(command.type);
    if (!spec)
        throw InvalidInput(QStringLiteral("unknown command type '%1'").arg(command.type));
    if (aggregateOf(command.stream) != spec->aggregate)
        throw InvalidInput(QStringLiteral("command '%1' applies to %2 streams, not '%3'")
                               .arg(command.type, aggregateName(spec->aggregate), command.stream.toString()));
    const Decision d(state, command, related);
    // A state this domain's reducers would not build (a history written by hand or by another
    // program: a confirmed cart that was never opened, an item without a price) is refused in
    // words naming the command, not left to escape as a field or JSON error.
    const auto refused = [&](const QString& why) {
        return InvalidInput(
            QStringLiteral("command '%1' on '%2': the state it decides on is not one the sample "
                           "domain builds (%3)")
                .arg(command.type, command.stream.toString(), why));
    };
    try {
        switch (spec->aggregate) {
        case Aggregate::Cart:
            return decideCart(d, command.type);
        case Aggregate::Order:
            return decideOrder(d, command.type);
        case Aggregate::Payment:
            return decidePayment(d, command.type);
        case Aggregate::Inventory:
            return decideInventory(d, command.type);
        }
    } catch (const detail::FieldError& error) {
        throw refused(QString::fromUtf8(error.what()));
    } catch (const json::exception& error) {
        throw refused(jsonerror::text(error));
    }
    return {};
}

} // namespace chronoscope::sample
