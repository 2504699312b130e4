#include "sample/reactions.h"

#include "bus/publisher.h"
#include "replay/replay.h"
#include "sample/commands.h"
#include "sample/fields.h"

namespace chronoscope::sample {

using detail::intField;
using detail::optionalString;
using detail::stringField;
using nlohmann::json;

namespace {

/// The current state of a sample aggregate (its initial state when the stream is empty).
json stateOf(const EventStore& store, const StreamId& stream)
{
    const auto aggregate = aggregateOf(stream);
    if (!aggregate)
        throw InvalidInput(
            QStringLiteral("'%1' is not a stream of the sample domain").arg(stream.toString()));
    if (!store.streamInfo(stream))
        return initialState(*aggregate, stream);
    return stateAtVersion(store, *ReducerRegistry::withBuiltins().reducerFor(stream), stream);
}

QUuid uuidIn(const json& object, const char* key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QUuid::fromString(QString::fromStdString(it->get<std::string>()));
}

json metadataOf(const RecordedEvent& event)
{
    try {
        return event.metadataJson();
    } catch (const StoreError&) {
        return json::object(); // unreadable metadata: the event starts a story of its own
    }
}

/// The story an event belongs to: its correlation id, or its own id when it has none.
QUuid correlationOf(const RecordedEvent& event)
{
    const auto id = uuidIn(metadataOf(event), "correlationId");
    return id.isNull() ? event.id : id;
}

/// A command caused by `cause`: same correlation, causation = the event.
Command reactionTo(const RecordedEvent& cause, const char* type, const std::string& stream, json data)
{
    Command c;
    c.type = QLatin1String(type);
    c.stream = StreamId(QString::fromStdString(stream));
    c.data = std::move(data);
    c.correlationId = correlationOf(cause);
    c.causationId = cause.id;
    return c;
}

/// Runs a reaction's command; anything but success fails the delivery (retry, dead letter).
void issue(Publisher& publisher, const Command& command)
{
    const auto outcome = publisher.execute(command);
    if (!outcome.ok())
        throw StoreError(outcome.error);
}

bool contains(const json& array, const std::string& value)
{
    return array.is_array() && std::find(array.begin(), array.end(), value) != array.end();
}

QString euros(std::int64_t cents)
{
    return QStringLiteral("%1.%2 EUR").arg(cents / 100).arg(std::abs(cents % 100), 2, 10, QLatin1Char('0'));
}

} // namespace

const std::array<Consumer, 4>& allConsumers()
{
    static const std::array<Consumer, 4> all {Consumer::ConfirmationEmail, Consumer::InventoryReservation,
        Consumer::PaymentGateway, Consumer::OrderSaga};
    return all;
}

QString consumerName(Consumer consumer)
{
    switch (consumer) {
    case Consumer::ConfirmationEmail:
        return QStringLiteral("confirmation-email");
    case Consumer::InventoryReservation:
        return QStringLiteral("inventory-reservation");
    case Consumer::PaymentGateway:
        return QStringLiteral("payment-gateway");
    case Consumer::OrderSaga:
        return QStringLiteral("order-saga");
    }
    return {};
}

QString consumerKey(Consumer consumer)
{
    switch (consumer) {
    case Consumer::ConfirmationEmail:
        return QStringLiteral("email");
    case Consumer::InventoryReservation:
        return QStringLiteral("inventory");
    case Consumer::PaymentGateway:
        return QStringLiteral("payment");
    case Consumer::OrderSaga:
        return QStringLiteral("saga");
    }
    return {};
}

QString outageMessage(Consumer consumer)
{
    switch (consumer) {
    case Consumer::ConfirmationEmail:
        return QStringLiteral("e-mail service down");
    case Consumer::InventoryReservation:
        return QStringLiteral("inventory service down");
    case Consumer::PaymentGateway:
        return QStringLiteral("payment gateway rejects the request (unavailable)");
    case Consumer::OrderSaga:
        return QStringLiteral("order saga down");
    }
    return {};
}

std::optional<Consumer> consumerFromText(const QString& text)
{
    const auto t = text.trimmed();
    for (const auto c : allConsumers())
        if (t == consumerKey(c) || t == consumerName(c))
            return c;
    return std::nullopt;
}

SampleReactions::SampleReactions(
    Publisher& publisher, ReactionOptions options, std::shared_ptr<ReactionSwitches> switches)
    : m_publisher(publisher)
    , m_switches(switches ? std::move(switches) : std::make_shared<ReactionSwitches>())
{
    auto& bus = m_publisher.bus();
    try {
        for (const auto consumer : options.consumers) {
            BusSelector selector;
            BusHandler handler;
            switch (consumer) {
            case Consumer::ConfirmationEmail:
                selector = BusSelector::typeGlob(QStringLiteral("Order*"));
                handler = [this](const RecordedEvent& e) { sendEmail(e); };
                break;
            case Consumer::InventoryReservation:
                selector = BusSelector::type(QStringLiteral("OrderPlaced"));
                handler = [this](const RecordedEvent& e) { reserveStock(e); };
                break;
            case Consumer::PaymentGateway:
                selector = BusSelector::type(QStringLiteral("PaymentRequested"));
                handler = [this](const RecordedEvent& e) { chargePayment(e); };
                break;
            case Consumer::OrderSaga:
                selector = BusSelector::typeGlob(QStringLiteral("Payment*"));
                handler = [this](const RecordedEvent& e) { runSaga(e); };
                break;
            }
            const auto name = consumerName(consumer);
            m_subscriptions.emplace_back(
                bus.subscribe(name, selector, std::move(handler), options.mode, options.retry), name);
        }
    } catch (...) {
        for (const auto& [id, name] : m_subscriptions)
            bus.unsubscribe(id);
        throw;
    }
}

SampleReactions::~SampleReactions()
{
    for (const auto& [id, name] : m_subscriptions)
        m_publisher.bus().unsubscribe(id);
    m_publisher.bus().waitForIdle();
}

QStringList SampleReactions::handlerNames() const
{
    QStringList names;
    for (const auto& [id, name] : m_subscriptions)
        names << name;
    return names;
}

void SampleReactions::failIfDown(Consumer consumer) const
{
    if (m_switches->isFailing(consumer))
        throw StoreError(outageMessage(consumer) + QStringLiteral(" (simulated)"));
}

void SampleReactions::sendEmail(const RecordedEvent& event)
{
    const bool placed = event.type == QLatin1String("OrderPlaced");
    const bool shipped = event.type == QLatin1String("OrderShipped");
    const bool cancelled = event.type == QLatin1String("OrderCancelled");
    if (!placed && !shipped && !cancelled)
        return;
    failIfDown(Consumer::ConfirmationEmail);
    auto& store = m_publisher.store();
    const auto data = event.dataJson();
    const auto orderId = optionalString(data, "orderId", event.stream.toString().toStdString());
    const StreamId mailbox(QStringLiteral("email-") + QString::fromStdString(orderId));
    // Sent already for this event (a dead letter retried after a partial success, or by
    // another process)? Then there is nothing to do.
    const auto sent = store.readStream(mailbox, std::nullopt, 1 << 20);
    for (const auto& mail : sent)
        if (uuidIn(metadataOf(mail), "causationId") == event.id)
            return;

    const auto order = stateOf(store, StreamId(QString::fromStdString(orderId)));
    const auto customer = optionalString(data, "customerId",
        order.value("customerId", json()).is_string() ? order.at("customerId").get<std::string>()
                                                      : std::string("unknown customer"));
    const auto id = QString::fromStdString(orderId);
    json mail {{"to", customer}, {"orderId", orderId}};
    if (placed) {
        mail["template"] = "order-confirmation";
        mail["subject"]
            = QStringLiteral("Order %1 confirmed: %2").arg(id, euros(intField(data, "total"))).toStdString();
    } else if (shipped) {
        mail["template"] = "shipping-notice";
        mail["subject"] = QStringLiteral("Order %1 is on its way with %2")
                              .arg(id, QString::fromStdString(optionalString(data, "carrier", "the carrier")))
                              .toStdString();
    } else {
        mail["template"] = "cancellation-notice";
        mail["subject"]
            = QStringLiteral("Order %1 was cancelled: %2")
                  .arg(id, QString::fromStdString(optionalString(data, "reason", "no reason given")))
                  .toStdString();
    }
    const Version version = sent.empty() ? Version(0) : sent.back().version;
    const auto outcome = m_publisher.publishEvent(mailbox, QStringLiteral("EmailSent"),
        QByteArray::fromStdString(mail.dump()), {}, ExpectedVersion::exact(version), correlationOf(event),
        event.id);
    if (!outcome.ok())
        throw StoreError(outcome.error);
}

void SampleReactions::reserveStock(const RecordedEvent& event)
{
    if (event.type != QLatin1String("OrderPlaced"))
        return;
    failIfDown(Consumer::InventoryReservation);
    auto& store = m_publisher.store();
    const auto data = event.dataJson();
    const auto orderId = stringField(data, "orderId");
    const auto status
        = stateOf(store, StreamId(QString::fromStdString(orderId))).value("status", std::string());
    if (status != "placed" && status != "paid")
        return; // cancelled (by the saga, say) or shipped: nothing to hold any more
    for (const auto& line : detail::field(data, "lines")) {
        const auto stream = "inventory-" + stringField(line, "sku");
        const auto inventory = stateOf(store, StreamId(QString::fromStdString(stream)));
        if (inventory.at("reservations").contains(orderId))
            continue; // reserved by an earlier attempt
        issue(m_publisher,
            reactionTo(event, "ReserveStock", stream,
                {{"orderId", orderId}, {"quantity", intField(line, "quantity")}}));
    }
}

void SampleReactions::chargePayment(const RecordedEvent& event)
{
    if (event.type != QLatin1String("PaymentRequested"))
        return;
    failIfDown(Consumer::PaymentGateway);
    const auto payment = event.stream.toString().toStdString();
    // requested -> authorized -> captured, one step at a time from the current state, so a
    // retry goes on where an earlier attempt stopped.
    for (int step = 0; step < 2; ++step) {
        const auto status = stateOf(m_publisher.store(), event.stream).value("status", std::string());
        if (status != "requested" && status != "authorized")
            return; // captured, failed or refunded: handled already
        if (m_switches->isDecliningPayments()) {
            issue(m_publisher,
                reactionTo(event, "FailPayment", payment,
                    {{"reason", "declined by the payment gateway (simulated)"}}));
            return;
        }
        if (status == "requested")
            issue(m_publisher,
                reactionTo(event, "AuthorizePayment", payment,
                    {{"authorizationCode",
                        "SIM-" + event.id.toString(QUuid::Id128).left(8).toUpper().toStdString()}}));
        else
            issue(m_publisher, reactionTo(event, "CapturePayment", payment, json::object()));
    }
}

void SampleReactions::runSaga(const RecordedEvent& event)
{
    const bool captured = event.type == QLatin1String("PaymentCaptured");
    const bool failed = event.type == QLatin1String("PaymentFailed");
    if (!captured && !failed)
        return;
    failIfDown(Consumer::OrderSaga);
    const auto data = event.dataJson();
    if (failed) {
        compensate(event, data);
        return;
    }
    auto& store = m_publisher.store();
    const auto paymentId = stringField(data, "paymentId");
    const auto orderId = stringField(data, "orderId");
    const auto order = stateOf(store, StreamId(QString::fromStdString(orderId)));
    if (contains(order.at("payments"), paymentId))
        return; // recorded already
    const auto amount = intField(data, "amount");
    if (order.value("status", std::string()) == "placed"
        && amount <= order.value("outstanding", std::int64_t(0))) {
        issue(m_publisher,
            reactionTo(event, "RecordPayment", orderId, {{"paymentId", paymentId}, {"amount", amount}}));
        return;
    }
    // The order does not take this money (cancelled, paid by another payment...): give it back.
    const auto payment = stateOf(store, StreamId(QString::fromStdString(paymentId)));
    const auto left = payment.value("captured", std::int64_t(0)) - payment.value("refunded", std::int64_t(0));
    const auto pStatus = payment.value("status", std::string());
    if (left > 0 && (pStatus == "captured" || pStatus == "partially-refunded"))
        issue(m_publisher,
            reactionTo(event, "RefundPayment", paymentId,
                {{"amount", left},
                    {"reason",
                        "order " + orderId + " is " + order.value("status", std::string("new"))
                            + " and takes no payment"}}));
}

void SampleReactions::compensate(const RecordedEvent& event, const json& data)
{
    auto& store = m_publisher.store();
    const auto paymentId = stringField(data, "paymentId");
    const auto orderId = stringField(data, "orderId");
    const auto order = stateOf(store, StreamId(QString::fromStdString(orderId)));
    const auto status = order.value("status", std::string());
    const bool cancel = status == "placed" && order.value("paid", std::int64_t(0)) == 0;
    if (!cancel && status != "cancelled")
        return; // paid by another payment, shipped, or never placed: nothing to undo
    const auto reason
        = "payment " + paymentId + " failed: " + optionalString(data, "reason", "no reason given");
    // Release first, so a retry after a partial failure still finds the order to cancel.
    for (const auto& line : order.at("lines")) {
        const auto stream = "inventory-" + stringField(line, "sku");
        if (stateOf(store, StreamId(QString::fromStdString(stream))).at("reservations").contains(orderId))
            issue(m_publisher,
                reactionTo(event, "ReleaseStock", stream, {{"orderId", orderId}, {"reason", reason}}));
    }
    if (cancel)
        issue(m_publisher, reactionTo(event, "CancelOrder", orderId, {{"reason", reason}}));
}

} // namespace chronoscope::sample
