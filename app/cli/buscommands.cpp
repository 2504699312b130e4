// Sub-commands of the publishing path: command, publish (through the bus, with the sample
// reactions subscribed) and dead-letters (list, show, discard, retry).
#include "bus/deferreddeadletters.h"
#include "bus/publisher.h"
#include "bus/sqlitedeadletters.h"
#include "cli/cli.h"
#include "cli/eventoptions.h"
#include "cli/output.h"
#include "cli/stores.h"
#include "formats/jsonlines.h"
#include "sample/reactions.h"
#include "store/storefactory.h"

namespace chronoscope::cli {

namespace {

const QString StoreArg = QStringLiteral("STORE");
const QString StoreHelp
    = QStringLiteral("A Chronoscope store file (written: foreign and JSON Lines stores are refused).");

const QString ReactionsHelp = QStringLiteral(
    "The sample reactions are subscribed on the bus: confirmation-email (OrderPlaced, OrderShipped,\n"
    "OrderCancelled -> EmailSent in email-<order>), inventory-reservation (OrderPlaced -> ReserveStock),\n"
    "payment-gateway (PaymentRequested -> AuthorizePayment + CapturePayment) and order-saga\n"
    "(PaymentCaptured -> RecordPayment; PaymentFailed -> ReleaseStock + CancelOrder). They run before\n"
    "the command returns; a reaction that fails every attempt (3) is kept in the store's dead letters.");

/// Options shared by the sub-commands that run the sample reactions.
void addReactionOptions(Command& cmd)
{
    cmd.addOption(QStringLiteral("fail"),
        QStringLiteral("Make consumers fail, as if their service were down: email, inventory, payment, saga\n"
                       "(comma-separated or repeated)."),
        QStringLiteral("list"));
    cmd.addOption(QStringLiteral("decline-payments"),
        QStringLiteral("The payment gateway declines payments (FailPayment): the order saga compensates."));
    cmd.addOption(QStringLiteral("no-reactions"), QStringLiteral("Subscribe no sample reaction."));
}

/// A store opened for writing, a bus keeping dead letters in it, a publisher and the reactions;
/// records everything the bus published and dead-lettered during the run.
class Session {
public:
    Session(const Command& cmd, const QString& path)
        : m_store(openForWriting(path))
    {
        m_bus.setDeadLetterQueue(std::make_shared<SqliteDeadLetterQueue>(path));
        m_publisher = std::make_unique<Publisher>(*m_store, m_bus);
        QObject::connect(
            &m_bus, &EventBus::published, &m_bus,
            [this](const RecordedEvent& e) { m_published.push_back(e); }, Qt::DirectConnection);
        QObject::connect(
            &m_bus, &EventBus::deadLettered, &m_bus,
            [this](const DeadLetter& d) { m_deadLettered.push_back(d); }, Qt::DirectConnection);
        auto switches = std::make_shared<sample::ReactionSwitches>();
        for (const auto& list : cmd.values(QStringLiteral("fail"))) {
            for (const auto& key : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                const auto consumer = sample::consumerFromText(key);
                if (!consumer)
                    throw UsageError(
                        QStringLiteral("%1: --fail '%2' is not one of email, inventory, payment, saga")
                            .arg(cmd.name(), key.trimmed()));
                switches->setFailing(*consumer, true);
            }
        }
        switches->setDecliningPayments(cmd.isSet(QStringLiteral("decline-payments")));
        sample::ReactionOptions options;
        if (cmd.isSet(QStringLiteral("no-reactions")))
            options.consumers.clear();
        m_reactions = std::make_unique<sample::SampleReactions>(*m_publisher, options, switches);
    }

    Publisher& publisher() { return *m_publisher; }
    EventBus& bus() { return m_bus; }
    const sample::SampleReactions& reactions() const { return *m_reactions; }
    const std::vector<RecordedEvent>& published() const { return m_published; }
    const std::vector<DeadLetter>& deadLettered() const { return m_deadLettered; }

private:
    std::unique_ptr<EventStore> m_store;
    EventBus m_bus;
    std::unique_ptr<Publisher> m_publisher;
    std::unique_ptr<sample::SampleReactions> m_reactions;
    std::vector<RecordedEvent> m_published;
    std::vector<DeadLetter> m_deadLettered;
};

std::string uuid(const QUuid& id)
{
    return output::utf8(id.toString(QUuid::WithoutBraces));
}

output::Json eventSummary(const RecordedEvent& e)
{
    output::Json j;
    j["position"] = e.position.value;
    j["stream"] = output::utf8(e.stream.toString());
    j["version"] = e.version.value;
    j["type"] = output::utf8(e.type);
    j["id"] = uuid(e.id);
    try {
        const auto meta = e.metadataJson();
        if (const auto it = meta.find("causationId"); it != meta.end())
            j["causationId"] = *it;
    } catch (const StoreError&) {
        // metadata that is not JSON: nothing to show
    }
    return j;
}

output::Json deadLetterSummary(const DeadLetter& d)
{
    output::Json j;
    j["id"] = d.id;
    j["handler"] = output::utf8(d.handler);
    j["event"] = eventSummary(d.event);
    j["attempts"] = d.attempts;
    j["error"] = output::utf8(d.error);
    j["firstFailure"] = output::utf8(formatTimestamp(d.firstFailureMs));
    j["lastFailure"] = output::utf8(formatTimestamp(d.lastFailureMs));
    return j;
}

/// What the run published besides `own`, and what it dead-lettered.
void addReactions(output::Json& j, const Session& session, const std::vector<RecordedEvent>& own)
{
    output::Json reactions = output::Json::array();
    for (const auto& e : session.published()) {
        const bool mine
            = std::any_of(own.begin(), own.end(), [&](const RecordedEvent& o) { return o.id == e.id; });
        if (!mine)
            reactions.push_back(eventSummary(e));
    }
    j["reactions"] = std::move(reactions);
    output::Json parked = output::Json::array();
    for (const auto& d : session.deadLettered())
        parked.push_back(deadLetterSummary(d));
    j["deadLettered"] = std::move(parked);
}

/// Prints the outcome as JSON; errors also on stderr. Returns the exit code.
int report(const PublishOutcome& outcome, const Session& session, bool isCommand)
{
    output::Json j;
    j["outcome"] = output::utf8(outcomeName(outcome.kind));
    j["stream"] = output::utf8(outcome.stream.toString());
    if (isCommand && !outcome.commandId.isNull())
        j["commandId"] = uuid(outcome.commandId);
    if (!outcome.correlationId.isNull())
        j["correlationId"] = uuid(outcome.correlationId);
    if (!outcome.causationId.isNull())
        j["causationId"] = uuid(outcome.causationId);
    if (!outcome.ok()) {
        j["error"] = output::utf8(outcome.error);
        if (outcome.kind == PublishOutcome::Kind::Conflict && outcome.expected) {
            j["expected"] = output::utf8(outcome.expected->toString());
            j["actual"] = outcome.actual.value;
        }
        output::json(j);
        output::error(outcome.error);
        return outcome.kind == PublishOutcome::Kind::Conflict ? ExitWrongVersion : ExitError;
    }
    output::Json events = output::Json::array();
    for (const auto& e : outcome.events)
        events.push_back(eventSummary(e));
    j["events"] = std::move(events);
    addReactions(j, session, outcome.events);
    if (isCommand)
        j["state"] = outcome.state;
    output::json(j);
    return ExitOk;
}

/// The dead-letter queue of a native store; refuses other formats with a clear reason. For
/// reading: null when the store never had a dead letter.
std::unique_ptr<SqliteDeadLetterQueue> openDeadLetters(const QString& path, bool writing)
{
    const auto format = detectFormat(path);
    if (format == StoreFormat::Missing)
        throw OpenError(QStringLiteral("'%1': no such file").arg(path));
    if (format != StoreFormat::ChronoscopeSqlite)
        throw InvalidInput(
            QStringLiteral("'%1' is %2: only Chronoscope stores keep dead letters")
                .arg(path,
                    format == StoreFormat::JsonLines          ? QStringLiteral("a JSON Lines file")
                        : format == StoreFormat::EmmettSqlite ? QStringLiteral("an Emmett store (read-only)")
                                                              : QStringLiteral("not a Chronoscope store")));
    if (writing)
        checkWritePermission(path);
    else if (!deadLetterTableExists(path)) // asked read-only: listing never writes to the store
        return nullptr;                    // nothing to read, and no table made just to find that out
    return std::make_unique<SqliteDeadLetterQueue>(path);
}

qint64 entryId(const QString& text)
{
    bool ok = false;
    const auto id = text.toLongLong(&ok);
    if (!ok || id <= 0)
        throw UsageError(
            QStringLiteral("dead-letters: '%1' is not a dead-letter id (a number shown by the list)")
                .arg(text));
    return id;
}

QString column(const QString& text, int width)
{
    return text.size() > width ? text.left(width - 1) + QChar(0x2026) : text.leftJustified(width);
}

void printTable(const std::vector<DeadLetter>& entries, const QString& path)
{
    if (entries.empty()) {
        output::message(QStringLiteral("no dead letters in '%1'").arg(path));
        return;
    }
    output::line(QStringLiteral("%1 %2 %3 %4 %5 %6")
                     .arg(column(QStringLiteral("ID"), 5), column(QStringLiteral("HANDLER"), 22),
                         column(QStringLiteral("EVENT"), 40), column(QStringLiteral("ATTEMPTS"), 8),
                         column(QStringLiteral("LAST FAILURE"), 24), QStringLiteral("ERROR"))
                     .toUtf8());
    for (const auto& d : entries) {
        const auto event = QStringLiteral("%1 %2@%3 (#%4)")
                               .arg(d.event.type, d.event.stream.toString())
                               .arg(d.event.version.value)
                               .arg(d.event.position.value);
        output::line(QStringLiteral("%1 %2 %3 %4 %5 %6")
                         .arg(column(QString::number(d.id), 5), column(d.handler, 22), column(event, 40),
                             column(QString::number(d.attempts), 8),
                             column(formatTimestamp(d.lastFailureMs), 24), d.error)
                         .toUtf8());
    }
}

int retryDeadLetter(const Command& cmd, const QString& path, qint64 id)
{
    openDeadLetters(path, true); // the format and permission checks, with their messages
    Session session(cmd, path);
    const auto entry = session.bus().deadLetters().get(id);
    if (!entry)
        throw InvalidInput(
            QStringLiteral("dead letter %1: no such entry in '%2' (retried or discarded already?)")
                .arg(id)
                .arg(path));
    const auto handlers = session.reactions().handlerNames();
    if (!handlers.contains(entry->handler))
        throw InvalidInput(
            QStringLiteral("dead letter %1 is for handler '%2'; the CLI runs only the sample reactions (%3): "
                           "retry it from the program that subscribed '%2'")
                .arg(id)
                .arg(entry->handler,
                    handlers.isEmpty() ? QStringLiteral("none subscribed")
                                       : handlers.join(QStringLiteral(", "))));
    const bool delivered = session.bus().retryDeadLetter(id);
    output::Json j;
    j["retried"] = id;
    j["handler"] = output::utf8(entry->handler);
    j["delivered"] = delivered;
    if (!delivered) {
        const auto now = session.bus().deadLetters().get(id);
        j["attempts"] = now ? now->attempts : entry->attempts + 1;
        j["error"] = now ? output::Json(output::utf8(now->error)) : output::Json(nullptr);
    }
    addReactions(j, session, {});
    output::json(j);
    if (!delivered) {
        output::error(QStringLiteral("dead letter %1 (%2): still failing; it stays in the queue")
                          .arg(id)
                          .arg(entry->handler));
        return ExitError;
    }
    return ExitOk;
}

} // namespace

int runCommand(const QStringList& arguments)
{
    Command cmd(QStringLiteral("command"),
        QStringLiteral(
            "Runs a sample-domain command through the publishing path: the aggregate decides under its\n"
            "rules, the events are appended at the version it was loaded at, and the bus publishes\n"
            "them. Prints {outcome, stream, commandId, correlationId, causationId, events: [...],\n"
            "reactions: [...], deadLettered: [...], state}.\n"
            "The command is JSON: {\"type\",\"stream\",\"data\":{...}} with optional \"id\",\n"
            "\"correlationId\", \"causationId\" and \"expectedVersion\" (a number, \"any\", \"no-stream\" "
            "or\n"
            "\"exists\"), e.g. "
            "{\"type\":\"AddItem\",\"stream\":\"cart-1\",\"data\":{\"sku\":\"MUG01\",\"quantity\":1,\n"
            "\"unitPrice\":1290}}.\n")
            + ReactionsHelp
            + QStringLiteral(
                "\nExit codes: 0 stored, 1 rejected by a rule or invalid, 2 usage, 3 wrong expected version\n"
                "(nothing is stored unless the exit code is 0)."),
        {{StoreArg, StoreHelp}});
    cmd.addOption(
        QStringLiteral("json"), QStringLiteral("The command as JSON (required)."), QStringLiteral("command"));
    addReactionOptions(cmd);
    if (!cmd.parse(arguments))
        return ExitOk;
    const auto text = cmd.required(QStringLiteral("json")).toUtf8();
    const auto command = sample::parseCommand(text); // InvalidInput names what is wrong (exit 1)
    Session session(cmd, cmd.positional(0));
    return report(session.publisher().execute(command), session, true);
}

int runPublish(const QStringList& arguments)
{
    Command cmd(QStringLiteral("publish"),
        QStringLiteral(
            "Appends one event (no domain rules) and publishes it on the bus. Metadata gets a\n"
            "correlationId and causationId (given, already in --metadata, or new). Prints {outcome,\n"
            "stream, correlationId, causationId, events, reactions, deadLettered}.\n")
            + ReactionsHelp
            + QStringLiteral(
                "\nExit codes: 0 stored, 1 invalid JSON or a store that cannot be written, 2 usage,\n"
                "3 wrong expected version (nothing stored)."),
        {{StoreArg, StoreHelp}});
    addEventOptions(cmd, QStringLiteral("payment-3"), QStringLiteral("PaymentFailed"));
    cmd.addOption(QStringLiteral("correlation-id"), QStringLiteral("The story it belongs to (a UUID)."),
        QStringLiteral("uuid"));
    cmd.addOption(
        QStringLiteral("causation-id"), QStringLiteral("What caused it (a UUID)."), QStringLiteral("uuid"));
    addReactionOptions(cmd);
    if (!cmd.parse(arguments))
        return ExitOk;
    const auto given = eventOptions(cmd);
    const auto uuidOption = [&](const QString& name) {
        if (!cmd.isSet(name))
            return QUuid();
        const auto id = QUuid::fromString(cmd.value(name).trimmed());
        if (id.isNull())
            throw UsageError(QStringLiteral("publish: --%1 '%2' is not a UUID").arg(name, cmd.value(name)));
        return id;
    };
    const auto correlation = uuidOption(QStringLiteral("correlation-id"));
    const auto causation = uuidOption(QStringLiteral("causation-id"));
    Session session(cmd, cmd.positional(0));
    const auto outcome = session.publisher().publishEvent(
        given.stream, given.type, given.data, given.metadata, given.expected, correlation, causation);
    return report(outcome, session, false);
}

int runDeadLetters(const QStringList& arguments)
{
    const QString description = QStringLiteral(
        "The dead-letter queue kept in a Chronoscope store: deliveries that failed every attempt.\n"
        "  dead-letters STORE [--json]       list them (a table, or a JSON array with --json)\n"
        "  dead-letters STORE show ID        one entry as JSON, its event in full\n"
        "  dead-letters STORE discard ID     remove an entry without delivering it\n"
        "  dead-letters STORE retry ID       deliver it again; the CLI can retry the sample reactions'\n"
        "                                    entries (confirmation-email, inventory-reservation,\n"
        "                                    payment-gateway, order-saga): it subscribes them, as 'command'\n"
        "                                    does. Other handlers' entries are retried from the program\n"
        "                                    that subscribed them (the desktop window).\n"
        "Success removes the entry; a reaction that already did its work does nothing again.\n"
        "Exit codes: 0 ok, 1 no such entry / still failing / not a Chronoscope store, 2 usage.");
    Command cmd(QStringLiteral("dead-letters"), description, {{StoreArg, StoreHelp}},
        {{QStringLiteral("ACTION"), QStringLiteral("show, discard or retry.")},
            {QStringLiteral("ID"), QStringLiteral("The entry's id.")}});
    cmd.addOption(QStringLiteral("json"), QStringLiteral("List as a JSON array."));
    addReactionOptions(cmd);
    if (!cmd.parse(arguments))
        return ExitOk;
    const auto path = cmd.positional(0);
    if (cmd.positionalCount() == 1) {
        const auto queue = openDeadLetters(path, false);
        const auto entries = queue ? queue->list() : std::vector<DeadLetter> {};
        if (cmd.isSet(QStringLiteral("json"))) {
            output::Json list = output::Json::array();
            for (const auto& d : entries)
                list.push_back(deadLetterSummary(d));
            output::json(list);
        } else {
            printTable(entries, path);
        }
        return ExitOk;
    }
    const auto action = cmd.positional(1);
    const auto id = entryId(cmd.positional(2));
    if (action == QLatin1String("show")) {
        const auto queue = openDeadLetters(path, false);
        const auto entry = queue ? queue->get(id) : std::nullopt;
        if (!entry)
            throw InvalidInput(QStringLiteral("dead letter %1: no such entry in '%2'").arg(id).arg(path));
        auto j = deadLetterSummary(*entry);
        j["event"] = output::Json::parse(jsonlines::toLine(entry->event).toStdString());
        output::json(j);
        return ExitOk;
    }
    if (action == QLatin1String("discard")) {
        if (!openDeadLetters(path, true)->remove(id))
            throw InvalidInput(QStringLiteral("dead letter %1: no such entry in '%2'").arg(id).arg(path));
        output::Json j;
        j["discarded"] = id;
        output::json(j);
        return ExitOk;
    }
    if (action == QLatin1String("retry"))
        return retryDeadLetter(cmd, path, id);
    throw UsageError(
        QStringLiteral("dead-letters: unknown action '%1' (show, discard or retry)").arg(action));
}

} // namespace chronoscope::cli
