// Sub-commands that write: append, import, export, sample. None leaves a partial file behind.
#include "cli.h"
#include "output.h"
#include "schemaoptions.h"
#include "stores.h"

#include "foreignimports.h"
#include "jsonlines.h"
#include "pglocation.h"
#include "sample/sampledomain.h"
#include "storefactory.h"

#include <QFileInfo>
#include <QRandomGenerator>

#include <filesystem>
#include <functional>

namespace chronoscope::cli {

namespace {

/// Checks a JSON option value; throws InvalidInput naming the option and the parser's message.
void checkJson(const QString& option, const QByteArray& bytes, bool mustBeObject)
{
    try {
        const auto json = nlohmann::json::parse(bytes.constBegin(), bytes.constEnd());
        if (mustBeObject && !json.is_object())
            throw InvalidInput(QStringLiteral("--%1 must be a JSON object, not %2")
                                   .arg(option, QString::fromUtf8(json.type_name())));
    } catch (const nlohmann::json::parse_error& e) {
        auto message = QString::fromUtf8(e.what());
        const auto bracket = message.indexOf(QLatin1String("] "));
        if (bracket > 0)
            message = message.mid(bracket + 2);
        throw InvalidInput(QStringLiteral("--%1 is not valid JSON: %2").arg(option, message));
    }
}

/// A sibling of `path` that does not exist yet, for writing a store before renaming it.
QString temporarySibling(const QString& path)
{
    for (;;) {
        const auto candidate = QStringLiteral("%1.partial-%2")
                                   .arg(path)
                                   .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        if (!QFileInfo::exists(candidate))
            return candidate;
    }
}

void refuseOverwrite(const QString& command, const QString& path, bool force)
{
    if (QFileInfo(path).isDir())
        throw InvalidInput(QStringLiteral("%1: '%2' is a folder").arg(command, path));
    if (QFileInfo::exists(path) && !force)
        throw InvalidInput(
            QStringLiteral("%1: '%2' already exists; use --force to replace it").arg(command, path));
}

void renameOver(const QString& from, const QString& to)
{
    std::error_code error;
    std::filesystem::rename(QFile::encodeName(from).toStdString(), QFile::encodeName(to).toStdString(), error);
    if (error)
        throw StoreError(QStringLiteral("cannot rename '%1' to '%2': %3")
                             .arg(from, to, QString::fromLocal8Bit(error.message().c_str())));
}

/// Builds a new native store next to `destination` and renames it over `destination` only once
/// `fill` succeeded and the store is closed: `destination` never holds half a store, even
/// after a crash. Returns the new store's summary.
StoreSummary buildNewStore(const QString& destination, const std::function<void(EventStore&)>& fill)
{
    const auto partial = temporarySibling(destination);
    StoreSummary summary;
    try {
        auto store = createSqliteStore(partial);
        fill(*store);
        summary = store->summary();
        store.reset();
        if (QFileInfo::exists(partial + QLatin1String("-wal")))
            throw StoreError(QStringLiteral("'%1': the store was not closed cleanly").arg(partial));
        for (const char* suffix : {"-wal", "-shm", "-journal"}) // stale companions of a replaced store
            QFile::remove(destination + QLatin1String(suffix));
        renameOver(partial, destination);
    } catch (...) {
        removeStoreFiles(partial);
        throw;
    }
    summary.location = destination;
    return summary;
}

} // namespace

int runAppend(const QStringList& arguments)
{
    Command cmd(QStringLiteral("append"),
                QStringLiteral("Appends one event to a stream of a Chronoscope store and prints\n"
                               "{position, version}. JSON Lines files are read-only.\n"
                               "Exit codes: 2 for a wrong option, 1 for invalid JSON or a store that cannot be\n"
                               "written, 3 when the stream is not at the expected version."),
                {{QStringLiteral("STORE"), QStringLiteral("A Chronoscope store file (it must exist unless --create).")}});
    cmd.addOption(QStringLiteral("stream"), QStringLiteral("The stream id, e.g. cart-42 (required)."),
                  QStringLiteral("id"));
    cmd.addOption(QStringLiteral("type"), QStringLiteral("The event type, e.g. ItemAdded (required)."),
                  QStringLiteral("type"));
    cmd.addOption(QStringLiteral("data"), QStringLiteral("The payload, any JSON value (required)."),
                  QStringLiteral("json"));
    cmd.addOption(QStringLiteral("metadata"), QStringLiteral("Metadata, a JSON object."), QStringLiteral("json"));
    cmd.addOption(QStringLiteral("expected"),
                  QStringLiteral("Expected version: any (default), no-stream, exists or a number."),
                  QStringLiteral("version"));
    cmd.addOption(QStringLiteral("schema-version"), QStringLiteral("Schema version of the payload (default 1)."),
                  QStringLiteral("n"));
    cmd.addOption(QStringLiteral("create"), QStringLiteral("Create a new store when STORE does not exist."));
    addSchemaOptions(cmd);
    if (!cmd.parse(arguments))
        return ExitOk;

    const StreamId stream(cmd.required(QStringLiteral("stream")));
    EventData event;
    event.type = cmd.required(QStringLiteral("type"));
    if (!cmd.isSet(QStringLiteral("data")))
        throw UsageError(QStringLiteral("append: the option --data is required"));
    event.data = cmd.value(QStringLiteral("data")).toUtf8();
    event.metadata = cmd.value(QStringLiteral("metadata")).toUtf8();
    const auto expectedText = cmd.isSet(QStringLiteral("expected")) ? cmd.value(QStringLiteral("expected"))
                                                                     : QStringLiteral("any");
    const auto expected = ExpectedVersion::parse(expectedText);
    if (!expected)
        throw UsageError(QStringLiteral("append: --expected '%1' is not one of any, no-stream, exists or a "
                                        "version number (0 or more)")
                             .arg(expectedText));
    if (const auto schema = cmd.integer(QStringLiteral("schema-version"), 0)) {
        if (*schema > std::numeric_limits<int>::max())
            throw UsageError(QStringLiteral("append: --schema-version %1 is too large").arg(*schema));
        event.schemaVersion = int(*schema);
    }
    checkJson(QStringLiteral("data"), event.data, false);
    if (cmd.isSet(QStringLiteral("metadata")))
        checkJson(QStringLiteral("metadata"), event.metadata, true);
    checkAgainstSchemas(cmd, stream, {event});

    const auto path = cmd.positional(0);
    const bool created = cmd.isSet(QStringLiteral("create")) && !isPostgresUrl(path) && !QFileInfo::exists(path);
    std::unique_ptr<EventStore> store;
    AppendResult result;
    try {
        store = created ? createSqliteStore(path) : openForWriting(path, cmd.isSet(QStringLiteral("create")));
        result = store->append(stream, {event}, *expected);
    } catch (...) {
        store.reset();
        if (created)
            removeStoreFiles(path);
        throw;
    }
    output::Json j;
    j["position"] = result.lastPosition.value;
    j["version"] = result.version.value;
    if (created)
        j["created"] = true;
    output::json(j);
    return ExitOk;
}

int runImport(const QStringList& arguments)
{
    Command cmd(QStringLiteral("import"),
                QStringLiteral("Imports a JSON Lines file, a Redux DevTools export (state.json) or a KurrentDB\n"
                               "projection fixture (a JSON array of {eventType, streamId, data, metadata}) into a\n"
                               "Chronoscope store in one transaction: a file with an error imports nothing. The\n"
                               "format is detected from the content. DEST is created when it does not exist."),
                {{QStringLiteral("SRC"), QStringLiteral("A JSON Lines, Redux DevTools or KurrentDB fixture file.")},
                 {QStringLiteral("DEST"), QStringLiteral("A Chronoscope store (new or existing).")}});
    cmd.addOption(QStringLiteral("stream"),
                  QStringLiteral("Redux DevTools: the stream the actions go to (default redux)."), QStringLiteral("id"));
    if (!cmd.parse(arguments))
        return ExitOk;
    const auto source = cmd.positional(0);
    const auto destination = cmd.positional(1);
    const auto sourceFormat = detectFormat(source);
    if (sourceFormat == StoreFormat::Missing)
        throw OpenError(QStringLiteral("'%1': no such file").arg(source));
    if (sourceFormat == StoreFormat::ChronoscopeSqlite || sourceFormat == StoreFormat::OtherSqlite
        || sourceFormat == StoreFormat::EmmettSqlite)
        throw InvalidInput(QStringLiteral("'%1' is an SQLite database, not a JSON Lines file").arg(source));
    if (sameFile(source, destination))
        throw InvalidInput(QStringLiteral("'%1' cannot be imported into itself").arg(source));
    if (cmd.isSet(QStringLiteral("stream")) && sourceFormat != StoreFormat::ReduxDevTools)
        throw UsageError(QStringLiteral("import: --stream applies to Redux DevTools exports; '%1' is %2")
                             .arg(source, formatName(sourceFormat)));

    const bool created = !isPostgresUrl(destination) && !QFileInfo::exists(destination);
    qint64 imported = 0;
    StoreSummary summary;
    const auto fill = [&](EventStore& store) {
        if (sourceFormat == StoreFormat::ReduxDevTools || sourceFormat == StoreFormat::KurrentJson) {
            foreignimports::Options options;
            if (cmd.isSet(QStringLiteral("stream")))
                options.reduxStream = StreamId(cmd.required(QStringLiteral("stream")));
            const auto kind = sourceFormat == StoreFormat::ReduxDevTools ? foreignimports::Kind::ReduxDevTools
                                                                          : foreignimports::Kind::KurrentJson;
            imported = foreignimports::importFile(source, kind, store, options);
            return;
        }
        output::Progress progress(QStringLiteral("reading %1").arg(source));
        imported = jsonlines::importFile(source, store, std::ref(progress));
    };
    if (created) {
        summary = buildNewStore(destination, fill);
    } else {
        auto store = openForWriting(destination, true); // a PostgreSQL URL: an empty schema gets a store
        fill(*store);
        summary = store->summary();
    }
    output::Json j;
    j["imported"] = imported;
    j["source"] = output::utf8(source);
    j["format"] = output::utf8(formatName(sourceFormat));
    j["destination"] = output::utf8(destination);
    j["created"] = created;
    j["events"] = summary.events;
    j["streams"] = summary.streams;
    j["lastPosition"] = summary.lastPosition.value;
    output::json(j);
    return ExitOk;
}

int runExport(const QStringList& arguments)
{
    Command cmd(QStringLiteral("export"),
                QStringLiteral("Writes every event of a store to a JSON Lines file, in global order. The file\n"
                               "appears only when the export is complete."),
                {{QStringLiteral("STORE"), QStringLiteral("An event store file.")},
                 {QStringLiteral("DEST"), QStringLiteral("The JSON Lines file to write.")}});
    cmd.addOption(QStringLiteral("force"), QStringLiteral("Replace DEST when it exists."));
    if (!cmd.parse(arguments))
        return ExitOk;
    const auto path = cmd.positional(0);
    const auto destination = cmd.positional(1);
    if (sameFile(path, destination))
        throw InvalidInput(QStringLiteral("export: '%1' cannot be exported onto itself").arg(path));
    const auto store = openForReading(path);
    refuseOverwrite(QStringLiteral("export"), destination, cmd.isSet(QStringLiteral("force")));
    output::Progress progress(QStringLiteral("writing %1").arg(destination));
    const auto exported = jsonlines::exportFile(*store, destination, std::ref(progress));
    progress.finish();
    output::Json j;
    j["exported"] = exported;
    j["source"] = output::utf8(path);
    j["destination"] = output::utf8(destination);
    output::json(j);
    return ExitOk;
}

int runSample(const QStringList& arguments)
{
    Command cmd(QStringLiteral("sample"),
                QStringLiteral("Creates a Chronoscope store filled with a deterministic shopping story (carts,\n"
                               "orders, payments, inventory). The same seed gives the same events."),
                {{QStringLiteral("DEST"), QStringLiteral("The store file to create.")}});
    cmd.addOption(QStringLiteral("events"), QStringLiteral("About how many events to write (default 2000)."),
                  QStringLiteral("n"));
    cmd.addOption(QStringLiteral("seed"), QStringLiteral("Seed of the story (default 1)."), QStringLiteral("k"));
    cmd.addOption(QStringLiteral("force"), QStringLiteral("Replace DEST when it exists."));
    if (!cmd.parse(arguments))
        return ExitOk;
    const auto destination = cmd.positional(0);
    sample::GeneratorOptions options;
    options.events = cmd.integer(QStringLiteral("events"), 1).value_or(options.events);
    options.seed = quint64(cmd.integer(QStringLiteral("seed"), 0).value_or(qint64(options.seed)));
    if (isPostgresUrl(destination)) {
        // A PostgreSQL database: written in place, and only when it holds no events yet.
        auto store = openForWriting(destination, true);
        if (store->summary().events > 0)
            throw InvalidInput(QStringLiteral("sample: '%1' already holds events; the sample story goes only into "
                                              "an empty store")
                                   .arg(store->summary().location));
        output::Progress progress(QStringLiteral("writing %1").arg(store->summary().location));
        const auto written = sample::generate(*store, options, std::ref(progress));
        progress.finish();
        const auto summary = store->summary();
        output::Json j;
        j["events"] = written;
        j["streams"] = summary.streams;
        j["seed"] = options.seed;
        j["path"] = output::utf8(summary.location);
        output::json(j);
        return ExitOk;
    }
    refuseOverwrite(QStringLiteral("sample"), destination, cmd.isSet(QStringLiteral("force")));

    qint64 written = 0;
    const auto summary = buildNewStore(destination, [&](EventStore& store) {
        output::Progress progress(QStringLiteral("writing %1").arg(destination));
        written = sample::generate(store, options, std::ref(progress));
    });
    output::Json j;
    j["events"] = written;
    j["streams"] = summary.streams;
    j["seed"] = options.seed;
    j["path"] = output::utf8(destination);
    output::json(j);
    return ExitOk;
}

} // namespace chronoscope::cli
