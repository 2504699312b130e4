#include "sample/commands.h"

#include "json/jsondepth.h"
#include "json/jsonerror.h"
#include "replay/replay.h"
#include "sample/fields.h"

#include <QDateTime>
#include <QHash>

namespace chronoscope::sample {

using nlohmann::json;

namespace {

FieldSpec text(const char* name, bool required, const char* description)
{
    return {QLatin1String(name), QStringLiteral("string"), required, QLatin1String(description)};
}
FieldSpec integer(const char* name, const char* description)
{
    return {QLatin1String(name), QStringLiteral("integer"), true, QLatin1String(description)};
}
FieldSpec streamRef(const char* name, const char* category, const char* description)
{
    return {QLatin1String(name), QStringLiteral("stream"), true, QLatin1String(description),
        QLatin1String(category)};
}

std::vector<CommandSpec> makeSpecs()
{
    const auto events = [](std::initializer_list<const char*> names) {
        QStringList out;
        for (const auto* n : names)
            out << QLatin1String(n);
        return out;
    };
    const auto c = Aggregate::Cart;
    const auto o = Aggregate::Order;
    const auto p = Aggregate::Payment;
    const auto i = Aggregate::Inventory;
    return {
        {QStringLiteral("OpenCart"), c, QStringLiteral("A customer starts shopping."),
            {text("customerId", true, "customer, e.g. C1042")}, events({"CartOpened"})},
        {QStringLiteral("AddItem"), c, QStringLiteral("Put a product in an open cart."),
            {text("sku", true, "product code"), integer("quantity", "how many (> 0)"),
                integer("unitPrice", "price of one, in cents"), text("name", false, "product name")},
            events({"ItemAdded"})},
        {QStringLiteral("RemoveItem"), c, QStringLiteral("Take some of a product out of an open cart."),
            {text("sku", true, "product code"), integer("quantity", "how many (> 0)")},
            events({"ItemRemoved"})},
        {QStringLiteral("ConfirmCart"), c, QStringLiteral("The customer checks out a non-empty cart."), {},
            events({"CartConfirmed"})},
        {QStringLiteral("AbandonCart"), c, QStringLiteral("The customer leaves."),
            {text("reason", false, "why, e.g. timeout")}, events({"CartAbandoned"})},
        {QStringLiteral("PlaceOrder"), o, QStringLiteral("Turn a confirmed cart into an order."),
            {streamRef("cartId", "cart", "the confirmed cart, e.g. cart-7")}, events({"OrderPlaced"})},
        {QStringLiteral("RecordPayment"), o, QStringLiteral("Count a captured payment towards the order."),
            {streamRef("paymentId", "payment", "the captured payment"), integer("amount", "cents")},
            events({"OrderPaid"})},
        {QStringLiteral("ShipOrder"), o, QStringLiteral("Hand a paid order to a carrier."),
            {text("carrier", true, "e.g. DHL"), text("trackingNumber", false, "carrier's number")},
            events({"OrderShipped"})},
        {QStringLiteral("CancelOrder"), o, QStringLiteral("Cancel an unpaid order."),
            {text("reason", false, "why")}, events({"OrderCancelled"})},
        {QStringLiteral("RequestPayment"), p, QStringLiteral("Ask the payment provider for money."),
            {streamRef("orderId", "order", "the order to pay"), integer("amount", "cents"),
                text("method", true, "card, paypal or bank-transfer")},
            events({"PaymentRequested"})},
        {QStringLiteral("AuthorizePayment"), p,
            QStringLiteral("The provider authorizes a requested payment."),
            {text("authorizationCode", false, "provider's code")}, events({"PaymentAuthorized"})},
        {QStringLiteral("CapturePayment"), p, QStringLiteral("Take the authorized money."), {},
            events({"PaymentCaptured"})},
        {QStringLiteral("FailPayment"), p, QStringLiteral("The provider declines the payment."),
            {text("reason", false, "e.g. card declined")}, events({"PaymentFailed"})},
        {QStringLiteral("RefundPayment"), p, QStringLiteral("Give captured money back."),
            {integer("amount", "cents"), text("reason", false, "why")}, events({"PaymentRefunded"})},
        {QStringLiteral("ReceiveStock"), i, QStringLiteral("A delivery from a supplier arrives."),
            {integer("quantity", "units (> 0)"), text("supplier", false, "who delivered")},
            events({"StockReceived"})},
        {QStringLiteral("ReserveStock"), i, QStringLiteral("Hold units for an order."),
            {streamRef("orderId", "order", "the order"), integer("quantity", "units (> 0)")},
            events({"StockReserved"})},
        {QStringLiteral("ReleaseStock"), i, QStringLiteral("Free an order's reservation."),
            {streamRef("orderId", "order", "the order"), text("reason", false, "why")},
            events({"StockReleased"})},
        {QStringLiteral("ShipStock"), i,
            QStringLiteral("Units of an order's reservation leave the warehouse."),
            {streamRef("orderId", "order", "the order")}, events({"StockShipped"})},
    };
}

QUuid parseUuid(const json& object, const char* name, const QString& type)
{
    const auto it = object.find(name);
    if (it == object.end() || it->is_null())
        return {};
    const auto uuid
        = it->is_string() ? QUuid::fromString(QString::fromStdString(it->get<std::string>())) : QUuid();
    if (uuid.isNull())
        throw InvalidInput(QStringLiteral("command '%1': '%2' must be a UUID string, got %3")
                               .arg(type, QLatin1String(name), QString::fromStdString(it->dump())));
    return uuid;
}

std::string uuidText(const QUuid& id)
{
    return id.toString(QUuid::WithoutBraces).toStdString();
}

} // namespace

const std::vector<CommandSpec>& commandSpecs()
{
    static const auto specs = makeSpecs();
    return specs;
}

const CommandSpec* findCommandSpec(const QString& type)
{
    static const auto byType = [] {
        QHash<QString, const CommandSpec*> out;
        for (const auto& spec : commandSpecs())
            out.insert(spec.type, &spec);
        return out;
    }();
    return byType.value(type, nullptr);
}

Command parseCommand(const json& j)
{
    if (!j.is_object())
        throw InvalidInput(
            QStringLiteral("a command must be a JSON object {\"type\",\"stream\",\"data\"}, got %1")
                .arg(QLatin1String(j.type_name())));
    const auto typeIt = j.find("type");
    if (typeIt == j.end() || !typeIt->is_string() || typeIt->get<std::string>().empty())
        throw InvalidInput(QStringLiteral("the command has no \"type\" (a string such as \"AddItem\")"));
    Command command;
    command.type = QString::fromStdString(typeIt->get<std::string>());
    const auto* spec = findCommandSpec(command.type);
    if (!spec) {
        QStringList known;
        for (const auto& s : commandSpecs())
            known << s.type;
        throw InvalidInput(QStringLiteral("unknown command type '%1'; known types: %2")
                               .arg(command.type, known.join(QStringLiteral(", "))));
    }
    const auto category = aggregateName(spec->aggregate);
    const auto streamIt = j.find("stream");
    if (streamIt == j.end() || !streamIt->is_string())
        throw InvalidInput(QStringLiteral("command '%1' has no \"stream\" (a %2 stream such as \"%2-1\")")
                               .arg(command.type, category));
    command.stream = StreamId(QString::fromStdString(streamIt->get<std::string>()));
    if (command.stream.category() != category || command.stream.toString().size() <= category.size() + 1)
        throw InvalidInput(QStringLiteral("command '%1' applies to %2 streams (%2-<id>), not '%3'")
                               .arg(command.type, category, command.stream.toString()));
    const auto dataIt = j.find("data");
    if (dataIt != j.end() && !dataIt->is_null()) {
        if (!dataIt->is_object())
            throw InvalidInput(QStringLiteral("command '%1' on '%2': \"data\" must be a JSON object")
                                   .arg(command.type, command.stream.toString()));
        command.data = *dataIt;
    }
    for (const auto& field : spec->fields) {
        const auto name = field.name.toStdString();
        const auto it = command.data.find(name);
        const auto where = QStringLiteral("command '%1' on '%2': field '%3'")
                               .arg(command.type, command.stream.toString(), field.name);
        if (it == command.data.end() || it->is_null()) {
            if (field.required)
                throw InvalidInput(QStringLiteral("%1 (%2) is missing").arg(where, field.description));
            continue;
        }
        if (field.kind == QLatin1String("integer") && !it->is_number_integer())
            throw InvalidInput(QStringLiteral("%1 must be an integer, got %2")
                                   .arg(where, QString::fromStdString(it->dump())));
        if (field.kind != QLatin1String("integer") && !it->is_string())
            throw InvalidInput(
                QStringLiteral("%1 must be a string, got %2").arg(where, QString::fromStdString(it->dump())));
        if (field.kind == QLatin1String("stream")
            && StreamId(QString::fromStdString(it->get<std::string>())).category() != field.category)
            throw InvalidInput(QStringLiteral("%1 must be a %2 stream id such as \"%2-1\", got %3")
                                   .arg(where, field.category, QString::fromStdString(it->dump())));
    }
    command.id = parseUuid(j, "id", command.type);
    command.correlationId = parseUuid(j, "correlationId", command.type);
    command.causationId = parseUuid(j, "causationId", command.type);
    if (const auto it = j.find("expectedVersion"); it != j.end() && !it->is_null()) {
        const auto text = it->is_number_integer() ? QString::number(it->get<qint64>())
            : it->is_string()                     ? QString::fromStdString(it->get<std::string>())
                                                  : QString();
        command.expectedVersion = ExpectedVersion::parse(text);
        if (!command.expectedVersion)
            throw InvalidInput(
                QStringLiteral("command '%1': \"expectedVersion\" must be a version number (0 or "
                               "more), \"any\", \"no-stream\" or \"exists\", got %2")
                    .arg(command.type, QString::fromStdString(it->dump())));
    }
    return command;
}

Command parseCommand(const QByteArray& text)
{
    json j;
    jsondepth::check(
        std::string_view(text.constData(), std::size_t(text.size())), QStringLiteral("the command"));
    try {
        j = json::parse(text.constBegin(), text.constEnd());
    } catch (const json::exception& error) {
        const auto at = jsonerror::byte(error);
        throw InvalidInput(at
                ? QStringLiteral("the command is not valid JSON (at byte %1): %2")
                      .arg(qulonglong(*at))
                      .arg(jsonerror::text(error))
                : QStringLiteral("the command is not valid JSON: %1").arg(jsonerror::text(error)));
    }
    return parseCommand(j);
}

json toJson(const Command& command)
{
    json j {{"type", command.type.toStdString()}, {"stream", command.stream.toString().toStdString()},
        {"data", command.data}};
    if (!command.id.isNull())
        j["id"] = uuidText(command.id);
    if (!command.correlationId.isNull())
        j["correlationId"] = uuidText(command.correlationId);
    if (!command.causationId.isNull())
        j["causationId"] = uuidText(command.causationId);
    if (command.expectedVersion)
        j["expectedVersion"] = command.expectedVersion->kind() == ExpectedVersion::Kind::Exact
            ? json(command.expectedVersion->version().value)
            : json(command.expectedVersion->toString().toStdString());
    return j;
}

QByteArray eventMetadata(const Command& command)
{
    if (command.id.isNull())
        throw InvalidInput(
            QStringLiteral("command '%1' on '%2' has no id").arg(command.type, command.stream.toString()));
    // Written by hand (keys in the order nlohmann would sort them): this runs once per
    // generated command, a million times for a large sample store.
    const auto id = command.id.toByteArray(QUuid::WithoutBraces);
    QByteArray out;
    out.reserve(200);
    out += "{\"causationId\":\"";
    out += command.causationId.isNull() ? id : command.causationId.toByteArray(QUuid::WithoutBraces);
    out += "\",\"commandId\":\"";
    out += id;
    out += "\",\"commandType\":";
    out += QByteArray::fromStdString(json(command.type.toStdString()).dump());
    out += ",\"correlationId\":\"";
    out += command.correlationId.isNull() ? id : command.correlationId.toByteArray(QUuid::WithoutBraces);
    out += "\"}";
    return out;
}

std::vector<EventData> decide(const json& state, const Command& command, const RelatedStates& related)
{
    const auto metadata = eventMetadata(command);
    std::vector<EventData> out;
    for (auto& e : decideEvents(state, command, related)) {
        EventData data;
        data.type = e.type;
        data.data = QByteArray::fromStdString(e.data.dump());
        data.metadata = metadata;
        out.push_back(std::move(data));
    }
    return out;
}

namespace {

InvalidInput notApplied(const Command& command, const QString& type, const QString& why)
{
    return InvalidInput(
        QStringLiteral("command '%1' on '%2': its %3 cannot be applied (%4); nothing was appended")
            .arg(command.type, command.stream.toString(), type, why));
}

} // namespace

CommandHandler::CommandHandler(EventStore& store)
    : m_store(store)
{
}

json CommandHandler::load(Aggregate aggregate, const StreamId& stream, Version& version) const
{
    const auto info = m_store.streamInfo(stream);
    version = info ? info->version : Version(0);
    auto state = initialState(aggregate, stream);
    if (version.value == 0)
        return state;
    const auto reducer = ReducerRegistry::withBuiltins().reducerFor(stream);
    return stateAtVersion(m_store, *reducer, stream, version);
}

CommandResult CommandHandler::handle(Command command)
{
    const auto aggregate = aggregateOf(command.stream);
    if (!aggregate)
        throw InvalidInput(QStringLiteral("command '%1': '%2' is not a stream of the sample domain")
                               .arg(command.type, command.stream.toString()));
    if (command.id.isNull())
        command.id = QUuid::createUuid();
    CommandResult result;
    auto state = load(*aggregate, command.stream, result.loadedVersion);
    if (command.expectedVersion && !command.expectedVersion->isSatisfiedBy(result.loadedVersion))
        throw WrongExpectedVersion(command.stream, *command.expectedVersion, result.loadedVersion);
    RelatedStates related;
    for (const auto& name : relatedStreams(command)) {
        const StreamId other(name);
        if (const auto a = aggregateOf(other)) {
            Version ignored;
            related[name] = load(*a, other, ignored);
        }
    }
    const auto decided = decideEvents(state, command, related);
    if (decided.empty()) {
        result.state = std::move(state);
        return result;
    }
    const auto metadata = eventMetadata(command);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::vector<EventData> events;
    for (const auto& e : decided) {
        EventData data;
        data.type = e.type;
        data.data = QByteArray::fromStdString(e.data.dump());
        data.metadata = metadata;
        data.id = QUuid::createUuid();
        data.timestampMs = now;
        events.push_back(std::move(data));
        try {
            state = evolve(*aggregate, std::move(state), e.type, e.data);
        } catch (const detail::FieldError& error) {
            // What it decided does not apply to what it read (a history this domain would not
            // write): nothing is appended.
            throw notApplied(command, e.type, QString::fromUtf8(error.what()));
        } catch (const json::exception& error) {
            throw notApplied(command, e.type, jsonerror::text(error));
        }
    }
    const auto appended
        = m_store.append(command.stream, events, ExpectedVersion::exact(result.loadedVersion));
    for (std::size_t i = 0; i < events.size(); ++i) {
        RecordedEvent r;
        r.position = Position(appended.firstPosition.value + qint64(i));
        r.stream = command.stream;
        r.version = Version(result.loadedVersion.value + 1 + qint64(i));
        r.id = events[i].id;
        r.type = events[i].type;
        r.timestampMs = now;
        r.data = events[i].data;
        r.metadata = events[i].metadata;
        result.events.push_back(std::move(r));
    }
    result.state = std::move(state);
    return result;
}

} // namespace chronoscope::sample
