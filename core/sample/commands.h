#pragma once

// The sample shop domain: commands, the events they produce, and the rules they enforce.
//
// Streams (category = part before the first '-'; ids in payloads are stream ids):
//   cart-<n>, order-<n>, payment-<n>, inventory-<SKU>.  Money: integer cents (EUR).
//
// Events and payloads
//   cart      CartOpened    {cartId, customerId}
//             ItemAdded     {cartId, sku, name, quantity, unitPrice}
//             ItemRemoved   {cartId, sku, quantity}
//             CartConfirmed {cartId, customerId, items: [{sku, quantity, unitPrice}], total}
//             CartAbandoned {cartId, reason}
//   order     OrderPlaced   {orderId, cartId, customerId, lines: [{sku, name, quantity, unitPrice,
//                            lineTotal}], total}
//             OrderPaid     {orderId, paymentId, amount}
//             OrderShipped  {orderId, carrier, trackingNumber}
//             OrderCancelled {orderId, reason}
//   payment   PaymentRequested  {paymentId, orderId, amount, method: card|paypal|bank-transfer}
//             PaymentAuthorized {paymentId, orderId, amount, authorizationCode}
//             PaymentCaptured   {paymentId, orderId, amount}
//             PaymentFailed     {paymentId, orderId, reason}
//             PaymentRefunded   {paymentId, orderId, amount, reason}
//   inventory StockReceived {sku, quantity, supplier}
//             StockReserved {sku, quantity, orderId}
//             StockReleased {sku, quantity, orderId, reason}
//             StockShipped  {sku, quantity, orderId}
//
// Every event's metadata is {"correlationId","causationId","commandId","commandType"} (UUIDs
// without braces). causationId is the command's causationId: the command id for a command a
// person gave, the causing event's id for a reaction (OrderPlaced caused by CartConfirmed...).
// correlationId is shared by everything one story causes (cart -> order -> payment -> shipment).
//
// Commands (JSON form {"type","stream","data":{...}} plus optional "id", "correlationId",
// "causationId", "expectedVersion"); see commandSpecs() for fields. Rules, each rejected with
// a DomainError:
//   OpenCart      the cart is new; customerId not empty
//   AddItem       the cart is open (not new, confirmed or abandoned); quantity > 0; unitPrice >= 0
//   RemoveItem    the cart is open; quantity > 0; the sku is in the cart with at least that quantity
//   ConfirmCart   the cart is open (no double confirmation); it holds at least one item
//   AbandonCart   the cart is open
//   PlaceOrder    the order is new; the cart (data.cartId) is confirmed
//   RecordPayment the order is placed and not fully paid; 0 < amount <= outstanding; the payment
//                 (data.paymentId) is captured, for this order, for that amount
//   ShipOrder     the order is paid in full (no shipment before payment); not shipped, not cancelled
//   CancelOrder   the order is placed and unpaid (paid, shipped or cancelled orders cannot be)
//   RequestPayment the payment is new; amount > 0; the order (data.orderId) is placed and the amount
//                 is not above its outstanding total; method is card, paypal or bank-transfer
//   AuthorizePayment the payment is requested
//   CapturePayment the payment is authorized
//   FailPayment   the payment is requested or authorized
//   RefundPayment the payment is captured; 0 < amount <= captured - refunded
//   ReceiveStock  quantity > 0
//   ReserveStock  quantity > 0; quantity <= available; no reservation for that order yet
//   ReleaseStock  a reservation for the order exists
//   ShipStock     a reservation for the order exists

#include "base/errors.h"
#include "replay/reducer.h"
#include "sample/reducers.h"
#include "store/eventstore.h"

#include <QStringList>
#include <QUuid>

#include <map>
#include <vector>

namespace chronoscope::sample {

/// A command broke a rule of the domain. The message names the aggregate (stream), the
/// command and the rule, e.g. "AddItem rejected by cart 'cart-1': the cart is confirmed...".
class DomainError : public StoreError {
public:
    using StoreError::StoreError;
};

/// A request to change one aggregate.
struct Command {
    QString type;    ///< e.g. "AddItem"
    StreamId stream; ///< the aggregate it addresses, e.g. "cart-1"
    nlohmann::json data = nlohmann::json::object();
    QUuid id;            ///< command id; CommandHandler assigns one when null
    QUuid correlationId; ///< null: the command id (a new story)
    QUuid causationId;   ///< null: the command id; a reaction gives the causing event's id
    /// When set, CommandHandler refuses the command with WrongExpectedVersion (nothing is
    /// stored) unless the stream is at this version: a client's optimistic concurrency check.
    /// JSON: a version number, "any", "no-stream" or "exists".
    std::optional<ExpectedVersion> expectedVersion = {};
};

/// One field of a command, for a form.
struct FieldSpec {
    QString name;
    QString kind; ///< "string", "integer" (money in cents) or "stream" (a stream id)
    bool required = true;
    QString description;
    QString category = {}; ///< for kind "stream": the category the stream must have
};

/// A command type as a UI form shows it.
struct CommandSpec {
    QString type;
    Aggregate aggregate;
    QString description;
    std::vector<FieldSpec> fields;
    QStringList emits; ///< event types it may produce
};

/// Every command type, grouped by aggregate (cart, order, payment, inventory).
const std::vector<CommandSpec>& commandSpecs();
/// The spec of one type, or nullptr.
const CommandSpec* findCommandSpec(const QString& type);

/// Parses {"type","stream","data",["id","correlationId","causationId"]}. Throws InvalidInput
/// naming what is wrong: not an object, unknown type (listing the known ones), a stream of the
/// wrong category, a missing field or one of the wrong type.
Command parseCommand(const nlohmann::json& json);
/// Same, from text; invalid JSON gives InvalidInput with the parser's position.
Command parseCommand(const QByteArray& json);
/// The JSON form parseCommand reads.
nlohmann::json toJson(const Command& command);

/// An event decided by a command, before it gets ids and metadata.
struct DomainEvent {
    QString type;
    nlohmann::json data;
};

/// Other aggregates' states a command reads, by stream id (a missing one counts as new).
using RelatedStates = std::map<QString, nlohmann::json>;

/// Streams whose state decide() reads besides the command's own (PlaceOrder: the cart...).
QStringList relatedStreams(const Command& command);

/// The domain's decision: pure. Throws DomainError when a rule is broken, InvalidInput when
/// the command is malformed. `state` is the state of command.stream.
std::vector<DomainEvent> decideEvents(
    const nlohmann::json& state, const Command& command, const RelatedStates& related = {});

/// decideEvents() turned into events to append, with metadata from the command's ids (which
/// must be set; a null id throws InvalidInput). Event ids and timestamps are left to the store.
std::vector<EventData> decide(
    const nlohmann::json& state, const Command& command, const RelatedStates& related = {});

/// Metadata JSON of an event caused by `command`.
QByteArray eventMetadata(const Command& command);

/// What handling a command did.
struct CommandResult {
    Version loadedVersion;             ///< version the decision was taken on
    std::vector<RecordedEvent> events; ///< the events appended (may be empty)
    nlohmann::json state;              ///< state of the aggregate after them
};

/// The write path: loads the aggregate (and related ones) by replay, decides, and appends with
/// ExpectedVersion::exact(loaded version), so a concurrent writer makes it fail with
/// WrongExpectedVersion instead of breaking a rule. Nothing is appended when a rule is broken.
class CommandHandler {
public:
    explicit CommandHandler(EventStore& store);
    /// Handles one command; assigns a command id (and event ids) when missing.
    CommandResult handle(Command command);

private:
    nlohmann::json load(Aggregate aggregate, const StreamId& stream, Version& version) const;
    EventStore& m_store;
};

} // namespace chronoscope::sample
