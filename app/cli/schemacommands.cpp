// Schema evolution from the shell: `schema validate` checks payloads against a folder of JSON
// Schemas; `upcast` previews what upcasters make of stored events. Both only read.
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/schemaoptions.h"
#include "cli/stores.h"
#include "json/jsondepth.h"
#include "upcast/upcastingeventstore.h"

namespace chronoscope::cli {

namespace {

const QString UpcastersOption = QStringLiteral("upcasters");
const QString SchemasOption = QStringLiteral("schemas");
const QString RequireOption = QStringLiteral("require-schema");
constexpr qint64 PageSize = 1000;

output::Json parsedOrText(const QByteArray& raw)
{
    if (raw.trimmed().isEmpty())
        return nullptr;
    auto json = output::Json::parse(raw.constBegin(), raw.constEnd(), nullptr, false);
    if (json.is_discarded())
        return output::utf8(QString::fromUtf8(raw));
    return json;
}

/// Reads every event of the store (or of one stream) in order, a page at a time.
void forEachPage(const EventStore& store, const QString& stream, qint64 limit,
    const std::function<void(const std::vector<RecordedEvent>&)>& visit)
{
    qint64 seen = 0;
    std::int64_t from = stream.isEmpty() ? 1 : 0;
    while (seen < limit) {
        const qint64 want = std::min(PageSize, limit - seen);
        auto page = stream.isEmpty() ? store.readAll(Position(from), want)
                                     : store.readStream(StreamId(stream), Version(from), want);
        if (page.empty())
            return;
        if (qint64(page.size()) > want)
            page.resize(std::size_t(want));
        seen += qint64(page.size());
        from = (stream.isEmpty() ? page.back().position.value : page.back().version.value) + 1;
        visit(page);
        if (qint64(page.size()) < want)
            return;
    }
}

std::unique_ptr<EventStore> openStoreAndStream(const QString& path, const QString& stream)
{
    auto store = openForReading(path);
    if (!stream.isEmpty() && !store->streamInfo(StreamId(stream)))
        throw InvalidInput(QStringLiteral("no stream '%1' in '%2'").arg(stream, path));
    return store;
}

output::Json violationJson(const RecordedEvent* e, const QString& type, int schemaVersion,
    const QString& schemaFile, const SchemaViolation& v)
{
    output::Json j;
    if (e) {
        j["position"] = e->position.value;
        j["stream"] = output::utf8(e->stream.toString());
        j["version"] = e->version.value;
    }
    j["type"] = output::utf8(type);
    j["schemaVersion"] = schemaVersion;
    j["schema"] = schemaFile.isEmpty() ? output::Json(nullptr) : output::Json(output::utf8(schemaFile));
    j["pointer"] = output::utf8(v.pointer);
    j["message"] = output::utf8(v.message);
    return j;
}

int runSchemaValidate(const QStringList& arguments)
{
    // One positional (STORE) unless a single event is given with --event.
    const bool single = std::any_of(arguments.begin(), arguments.end(), [](const QString& a) {
        return a == QLatin1String("--event") || a.startsWith(QLatin1String("--event="));
    });
    QList<QPair<QString, QString>> positionals;
    if (!single)
        positionals.append({QStringLiteral("STORE"), QStringLiteral("An event store file (any format).")});
    Command cmd(QStringLiteral("schema validate"),
        QStringLiteral("Validates payloads against the JSON Schemas of a folder (<Type>.v<N>.schema.json):\n"
                       "one event given with --event and --type, or every event of STORE. Prints one JSON\n"
                       "line per failure {position, stream, version, type, schemaVersion, schema, pointer,\n"
                       "message} and a summary on stderr. Exit code 1 when something does not match."),
        positionals);
    addSchemaOptions(cmd);
    cmd.addOption(QStringLiteral("event"), QStringLiteral("Validate this payload (JSON) instead of a store."),
        QStringLiteral("json"));
    cmd.addOption(QStringLiteral("type"),
        QStringLiteral("With --event: its type. With STORE: only events of <type>."), QStringLiteral("type"));
    cmd.addOption(QStringLiteral("schema-version"),
        QStringLiteral("With --event: its schema version (default 1)."), QStringLiteral("n"));
    cmd.addOption(QStringLiteral("stream"), QStringLiteral("With STORE: only the events of stream <id>."),
        QStringLiteral("id"));
    addUpcasterOption(cmd);
    // QCommandLineParser would take "validate" as STORE: drop the action word first.
    auto args = arguments;
    args.removeAt(2);
    if (!cmd.parse(args))
        return ExitOk;
    cmd.required(SchemasOption);

    if (single) {
        for (const char* option : {"stream", "upcasters"}) {
            if (cmd.isSet(QLatin1String(option)))
                throw UsageError(QStringLiteral("schema validate: --%1 applies to a STORE, not to --event")
                                     .arg(QLatin1String(option)));
        }
        const auto type = cmd.required(QStringLiteral("type"));
        const auto version = cmd.integer(QStringLiteral("schema-version"), 0).value_or(1);
        const auto text = cmd.value(QStringLiteral("event")).toUtf8();
        jsondepth::check(
            std::string_view(text.constData(), std::size_t(text.size())), QStringLiteral("--event"));
        const auto data = nlohmann::json::parse(text.constBegin(), text.constEnd(), nullptr, false);
        if (data.is_discarded())
            throw InvalidInput(QStringLiteral("--event is not valid JSON"));
        const auto registry = schemasFrom(cmd);
        if (!registry->has(type, int(version)))
            throw InvalidInput(QStringLiteral(
                "no schema for %1 schema version %2 in '%3' (expected a file %1.v%2.schema.json)")
                                   .arg(type)
                                   .arg(version)
                                   .arg(cmd.value(SchemasOption)));
        const auto check = registry->validate(type, int(version), data);
        for (const auto& v : check.violations)
            output::json(violationJson(nullptr, type, int(version), check.schemaOrigin, v));
        output::message(check.status == SchemaCheck::Status::Valid
                ? QStringLiteral("valid: matches %1").arg(check.schemaOrigin)
                : QStringLiteral("invalid: %1 violation(s) of %2")
                      .arg(check.violations.size())
                      .arg(check.schemaOrigin));
        return check.status == SchemaCheck::Status::Valid ? ExitOk : ExitError;
    }

    if (cmd.isSet(QStringLiteral("schema-version")))
        throw UsageError(QStringLiteral("schema validate: --schema-version applies to --event"));
    const auto registry = schemasFrom(cmd);
    const auto stream = cmd.value(QStringLiteral("stream"));
    const auto type = cmd.value(QStringLiteral("type"));
    const bool require = cmd.isSet(RequireOption);
    const auto store = withUpcasters(cmd, openStoreAndStream(cmd.positional(0), stream));
    qint64 checked = 0;
    qint64 valid = 0;
    qint64 invalid = 0;
    qint64 noSchema = 0;
    forEachPage(
        *store, stream, std::numeric_limits<qint64>::max(), [&](const std::vector<RecordedEvent>& page) {
            for (const auto& e : page) {
                if (!type.isEmpty() && e.type != type)
                    continue;
                ++checked;
                const auto check = registry->validate(e);
                switch (check.status) {
                case SchemaCheck::Status::Valid:
                    ++valid;
                    break;
                case SchemaCheck::Status::NoSchema:
                    ++noSchema;
                    if (require) {
                        output::json(violationJson(&e, e.type, e.schemaVersion, {},
                            {QString(), QStringLiteral("no schema for this type and schema version")}));
                    }
                    break;
                case SchemaCheck::Status::Invalid:
                    ++invalid;
                    for (const auto& v : check.violations)
                        output::json(violationJson(&e, e.type, e.schemaVersion, check.schemaOrigin, v));
                    break;
                }
            }
        });
    output::message(
        QStringLiteral("checked %1 event(s) against %2 schema(s): %3 valid, %4 invalid, %5 without a schema")
            .arg(checked)
            .arg(registry->size())
            .arg(valid)
            .arg(invalid)
            .arg(noSchema));
    return invalid > 0 || (require && noSchema > 0) ? ExitError : ExitOk;
}

} // namespace

void addUpcasterOption(Command& cmd)
{
    cmd.addOption(UpcastersOption,
        QStringLiteral(
            "Upcast events on read with these upcasters: a JSON rule file (.json) or a JavaScript\n"
            "file (.js); repeatable. The store is never changed."),
        QStringLiteral("file"));
}

std::unique_ptr<EventStore> withUpcasters(const Command& cmd, std::unique_ptr<EventStore> store)
{
    if (!cmd.isSet(UpcastersOption))
        return store;
    auto chain = UpcasterChain::fromFiles(cmd.values(UpcastersOption));
    return std::make_unique<UpcastingEventStore>(std::move(store), std::move(chain));
}

void addSchemaOptions(Command& cmd)
{
    cmd.addOption(SchemasOption, QStringLiteral("A folder of JSON Schemas named <Type>.v<N>.schema.json."),
        QStringLiteral("dir"));
    cmd.addOption(RequireOption,
        QStringLiteral("With --schemas: an event whose type and version have no schema fails."));
}

std::shared_ptr<const SchemaRegistry> schemasFrom(const Command& cmd)
{
    if (!cmd.isSet(SchemasOption)) {
        if (cmd.isSet(RequireOption))
            throw UsageError(QStringLiteral("%1: --require-schema needs --schemas").arg(cmd.name()));
        return nullptr;
    }
    return SchemaRegistry::loadFolder(cmd.required(SchemasOption));
}

void checkAgainstSchemas(const Command& cmd, const StreamId& stream, const std::vector<EventData>& events)
{
    if (const auto registry = schemasFrom(cmd))
        registry->checkAppend(stream, events, cmd.isSet(RequireOption));
}

int runSchema(const QStringList& arguments)
{
    const auto action = arguments.value(2);
    if (action == QLatin1String("validate"))
        return runSchemaValidate(arguments);
    if (action.isEmpty() || action == QLatin1String("--help") || action == QLatin1String("-h")) {
        const auto text
            = QStringLiteral("Usage: chronoscope-cli schema validate --schemas DIR (STORE | --event JSON "
                             "--type T [--schema-version N])\n\n"
                             "Run 'chronoscope-cli schema validate --help' for the options.\n");
        if (action.isEmpty())
            throw UsageError(QStringLiteral("schema: missing the action (validate)"));
        output::line(text.toUtf8());
        return ExitOk;
    }
    throw UsageError(QStringLiteral("schema: unknown action '%1' (expected validate)").arg(action));
}

int runUpcast(const QStringList& arguments)
{
    Command cmd(QStringLiteral("upcast"),
        QStringLiteral(
            "Previews upcasters on stored events, as JSON Lines\n"
            "{position, stream, version, type, fromSchema, toSchema, steps, raw, upcast}; an event\n"
            "an upcaster fails on gets {..., raw, error} instead (exit code 1 at the end). The\n"
            "store is never changed."),
        {{QStringLiteral("STORE"), QStringLiteral("An event store file (any format).")}});
    addUpcasterOption(cmd);
    cmd.addOption(
        QStringLiteral("stream"), QStringLiteral("Only the events of stream <id>."), QStringLiteral("id"));
    cmd.addOption(
        QStringLiteral("limit"), QStringLiteral("Look at most at <n> events."), QStringLiteral("n"));
    cmd.addOption(
        QStringLiteral("changed-only"), QStringLiteral("Print only the events an upcaster applies to."));
    if (!cmd.parse(arguments))
        return ExitOk;
    cmd.required(UpcastersOption);
    const auto limit = cmd.integer(QStringLiteral("limit"), 1).value_or(std::numeric_limits<qint64>::max());
    const auto stream = cmd.value(QStringLiteral("stream"));
    const bool changedOnly = cmd.isSet(QStringLiteral("changed-only"));
    const auto chain = UpcasterChain::fromFiles(cmd.values(UpcastersOption));
    const auto store = openStoreAndStream(cmd.positional(0), stream);
    qint64 seen = 0;
    qint64 upcast = 0;
    qint64 failed = 0;
    forEachPage(*store, stream, limit, [&](const std::vector<RecordedEvent>& page) {
        for (const auto& o : chain->inspect(page)) {
            ++seen;
            if (!o.error.isEmpty())
                ++failed;
            else if (o.changed())
                ++upcast;
            if (changedOnly && o.applied.isEmpty() && o.error.isEmpty())
                continue;
            output::Json j;
            j["position"] = o.raw.position.value;
            j["stream"] = output::utf8(o.raw.stream.toString());
            j["version"] = o.raw.version.value;
            j["type"] = output::utf8(o.raw.type);
            j["fromSchema"] = o.raw.schemaVersion;
            if (o.error.isEmpty())
                j["toSchema"] = o.upcast.schemaVersion;
            output::Json steps = output::Json::array();
            for (const auto& s : o.applied)
                steps.push_back(output::utf8(s));
            j["steps"] = std::move(steps);
            j["raw"] = parsedOrText(o.raw.data);
            if (o.error.isEmpty())
                j["upcast"] = parsedOrText(o.upcast.data);
            else
                j["error"] = output::utf8(o.error);
            output::json(j);
        }
    });
    output::message(QStringLiteral("%1 event(s): %2 upcast, %3 failed, %4 unchanged")
                        .arg(seen)
                        .arg(upcast)
                        .arg(failed)
                        .arg(seen - upcast - failed));
    return failed > 0 ? ExitError : ExitOk;
}

} // namespace chronoscope::cli
