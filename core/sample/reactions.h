#pragma once

// The sample shop's consumers: bus handlers that react to events by issuing commands through a
// Publisher, so a person can watch a story unfold, switch a service off, see deliveries retried
// and dead-lettered, switch it on again and retry the dead letter.
//
//   confirmation-email    OrderPlaced / OrderShipped / OrderCancelled -> an e-mail to the
//                         customer, simulated: an EmailSent event {to, orderId, template,
//                         subject} in the stream email-<orderId> (e.g. email-order-7), so sent
//                         mails are visible, kept with the store, and never sent twice.
//   inventory-reservation OrderPlaced -> ReserveStock on inventory-<SKU> for each line of a
//                         placed order (lines already reserved are skipped).
//   payment-gateway       PaymentRequested -> AuthorizePayment + CapturePayment, or FailPayment
//                         when the gateway is set to decline.
//   order-saga            PaymentCaptured -> RecordPayment on the order (RefundPayment when the
//                         order no longer takes it); PaymentFailed -> compensates: ReleaseStock
//                         for every reservation of the order, then CancelOrder.
//
// Every reaction's command carries the triggering event's correlation id and causation = that
// event's id. Reactions check the current state before each step, so delivering the same event
// again (a dead letter retried, even by another process) does nothing twice.

#include "bus/eventbus.h"

#include <array>
#include <atomic>
#include <memory>
#include <optional>

namespace chronoscope {
class Publisher;
}

namespace chronoscope::sample {

enum class Consumer { ConfirmationEmail, InventoryReservation, PaymentGateway, OrderSaga };

/// Every consumer, in the order above.
const std::array<Consumer, 4>& allConsumers();
/// The bus handler name, e.g. "confirmation-email".
QString consumerName(Consumer consumer);
/// The short key a user types: "email", "inventory", "payment" or "saga".
QString consumerKey(Consumer consumer);
/// What a switched-off consumer reports, e.g. "e-mail service down".
QString outageMessage(Consumer consumer);
/// By key or handler name; nullopt when unknown.
std::optional<Consumer> consumerFromText(const QString& text);

/// Switches a window or a test flips to make consumers fail. Thread-safe.
class ReactionSwitches {
public:
    /// While failing, every delivery to the consumer throws its outage message (retried per
    /// policy, then dead-lettered).
    void setFailing(Consumer consumer, bool failing) { m_failing[index(consumer)].store(failing); }
    bool isFailing(Consumer consumer) const { return m_failing[index(consumer)].load(); }
    /// While set, the payment gateway declines every payment (FailPayment): a business outcome,
    /// not a failed delivery; the order saga then compensates.
    void setDecliningPayments(bool declining) { m_declining.store(declining); }
    bool isDecliningPayments() const { return m_declining.load(); }

private:
    static std::size_t index(Consumer consumer) { return std::size_t(consumer); }
    std::array<std::atomic<bool>, 4> m_failing {};
    std::atomic<bool> m_declining {false};
};

struct ReactionOptions {
    /// Synchronous: a command returns after every reaction it caused ran (CLI, tests).
    /// Queued: reactions run on the bus worker, with the retry backoff.
    DeliveryMode mode = DeliveryMode::Synchronous;
    RetryPolicy retry;
    /// Which consumers to subscribe (all by default).
    std::vector<Consumer> consumers = {allConsumers().begin(), allConsumers().end()};
};

/// The sample consumers, subscribed on the publisher's bus for the object's lifetime. The
/// publisher (with its store and bus) must outlive it.
class SampleReactions {
public:
    explicit SampleReactions(Publisher& publisher, ReactionOptions options = {},
        std::shared_ptr<ReactionSwitches> switches = std::make_shared<ReactionSwitches>());
    /// Unsubscribes and waits until the bus worker is idle (no reaction still running).
    ~SampleReactions();
    SampleReactions(const SampleReactions&) = delete;
    SampleReactions& operator=(const SampleReactions&) = delete;

    ReactionSwitches& switches() const { return *m_switches; }
    /// The bus handler names subscribed, in subscription order.
    QStringList handlerNames() const;

private:
    void sendEmail(const RecordedEvent& event);
    void reserveStock(const RecordedEvent& event);
    void chargePayment(const RecordedEvent& event);
    void runSaga(const RecordedEvent& event);
    void compensate(const RecordedEvent& event, const nlohmann::json& data);
    void failIfDown(Consumer consumer) const;

    Publisher& m_publisher;
    std::shared_ptr<ReactionSwitches> m_switches;
    std::vector<std::pair<SubscriptionId, QString>> m_subscriptions;
};

} // namespace chronoscope::sample
