// Sub-commands that write: append, import, export, sample. None leaves a partial file behind.
#include "cli/cli.h"
#include "cli/eventoptions.h"
#include "cli/output.h"
#include "cli/schemaoptions.h"
#include "cli/stores.h"
#include "formats/foreignimports.h"
#include "formats/jsonlines.h"
#include "json/jsondepth.h"
#include "sample/sampledomain.h"
#include "store/postgres/pglocation.h"
#include "store/sqlite/sqleventstore.h"
#include "store/storefactory.h"
#include "store/storefiles.h"

#include <QFileInfo>

#include <filesystem>
#include <functional>

namespace chronoscope::cli {

namespace {

/// Checks a JSON option value; throws InvalidInput naming the option and the parser's message.
void checkJson(const QString& option, const QByteArray& bytes, bool mustBeObject)
{
    jsondepth::check(
        std::string_view(bytes.constData(), std::size_t(bytes.size())), QStringLiteral("--%1").arg(option));
    try {
        const auto json = nlohmann::json::parse(bytes.constBegin(), bytes.constEnd());
        if (mustBeObject && !json.is_object())
            throw InvalidInput(QStringLiteral("--%1 must be a JSON object, not %2")
                                   .arg(option, QString::fromUtf8(json.type_name())));
    } catch (const nlohmann::json::exception& e) {
        // parse_error for bad syntax, out_of_range for a number no double holds (1e999999)...
        auto message = QString::fromUtf8(e.what());
        const auto bracket = message.indexOf(QLatin1String("] "));
        if (bracket > 0)
            message = message.mid(bracket + 2);
        throw InvalidInput(QStringLiteral("--%1 is not valid JSON: %2").arg(option, message));
    }
}

/// What a file that --force must not replace is, for the error.
QString foreignKind(StoreFormat format)
{
    switch (format) {
    case StoreFormat::EmmettSqlite:
        return QStringLiteral("an Emmett store");
    case StoreFormat::OtherSqlite:
        return QStringLiteral("an SQLite database of another program");
    case StoreFormat::ReduxDevTools:
        return QStringLiteral("a Redux DevTools export");
    case StoreFormat::KurrentJson:
        return QStringLiteral("a KurrentDB export");
    default:
        return QStringLiteral("a file of unknown format");
    }
}

/// Without --force an existing DEST is refused. With it, only our own closed files are replaced:
/// a Chronoscope store that nobody has open or a JSON Lines file (or an empty file); another
/// tool's store never, whatever the flags.
void refuseOverwrite(const QString& command, const QString& path, bool force)
{
    const QFileInfo info(path);
    if (info.isDir())
        throw InvalidInput(QStringLiteral("%1: '%2' is a folder").arg(command, path));
    if (!info.exists())
        return;
    if (!force)
        throw InvalidInput(
            QStringLiteral("%1: '%2' already exists; use --force to replace it").arg(command, path));
    const auto format = detectFormat(path);
    if (format != StoreFormat::ChronoscopeSqlite && format != StoreFormat::JsonLines && info.size() > 0)
        throw InvalidInput(
            QStringLiteral("%1: '%2' is %3, not a file Chronoscope wrote: --force replaces only "
                           "Chronoscope stores and JSON Lines files, never another tool's store; "
                           "nothing was written")
                .arg(command, path, foreignKind(format)));
    if (QFileInfo::exists(path + QStringLiteral("-wal"))
        || QFileInfo::exists(path + QStringLiteral("-journal")))
        throw InvalidInput(
            QStringLiteral("%1: '%2' is open in another program or was not closed cleanly (its "
                           "-wal or -journal file is there): close it, or open it once so that "
                           "SQLite recovers it, before replacing it; nothing was written")
                .arg(command, path));
}

void renameOver(const QString& from, const QString& to)
{
    std::error_code error;
    std::filesystem::rename(
        QFile::encodeName(from).toStdString(), QFile::encodeName(to).toStdString(), error);
    if (error)
        throw StoreError(QStringLiteral("cannot rename '%1' to '%2': %3")
                             .arg(from, to, QString::fromLocal8Bit(error.message().c_str())));
}

/// Builds a new native store next to `destination` and renames it over `destination` only once
/// `fill` succeeded and the store is closed: `destination` never holds half a store, even
/// after a crash. Returns the new store's summary.
StoreSummary buildNewStore(const QString& destination, const std::function<void(EventStore&)>& fill)
{
    storefiles::removeAbandonedPartials(destination);
    const auto partial = storefiles::partialSibling(destination);
    const bool replacing = QFileInfo::exists(destination);
    StoreSummary summary;
    try {
        // The partial's name is this process's own: made in place (a race-free create here
        // would only add a partial of the partial).
        SqlStoreOptions options;
        options.create = true;
        auto store = std::make_unique<SqlEventStore>(partial, options);
        fill(*store);
        summary = store->summary();
        store.reset();
        if (QFileInfo::exists(partial + QLatin1String("-wal")))
            throw StoreError(QStringLiteral("'%1': the store was not closed cleanly").arg(partial));
        if (replacing) {
            renameOver(partial, destination); // refuseOverwrite allowed it: our own, closed store
        } else if (!storefiles::publishNew(partial, destination)) {
            throw AlreadyExists(
                QStringLiteral("'%1' was made by another process meanwhile: nothing was replaced")
                    .arg(destination));
        }
    } catch (...) {
        storefiles::removeWithCompanions(partial);
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
        {{QStringLiteral("STORE"),
            QStringLiteral("A Chronoscope store file (it must exist unless --create).")}});
    addEventOptions(cmd, QStringLiteral("cart-42"), QStringLiteral("ItemAdded"));
    cmd.addOption(QStringLiteral("schema-version"),
        QStringLiteral("Schema version of the payload (default 1)."), QStringLiteral("n"));
    cmd.addOption(QStringLiteral("create"), QStringLiteral("Create a new store when STORE does not exist."));
    addSchemaOptions(cmd);
    if (!cmd.parse(arguments))
        return ExitOk;

    const auto given = eventOptions(cmd);
    const StreamId& stream = given.stream;
    const auto expected = given.expected;
    EventData event;
    event.type = given.type;
    event.data = given.data;
    event.metadata = given.metadata;
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
    const bool create = cmd.isSet(QStringLiteral("create"));
    std::unique_ptr<EventStore> store;
    bool created = false;
    if (create && !isPostgresUrl(path) && !QFileInfo::exists(path)) {
        try {
            store = createSqliteStore(path);
            created = true;
        } catch (const AlreadyExists&) {
            // Another process made it first: append to that store (the expected version decides).
        }
    }
    if (!store)
        store = openForWriting(path, create);
    // A store made here stays even when the append fails: another process may use it already.
    const AppendResult result = store->append(stream, {event}, expected);
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
        QStringLiteral("Redux DevTools: the stream the actions go to (default redux)."),
        QStringLiteral("id"));
    if (!cmd.parse(arguments))
        return ExitOk;
    const auto source = cmd.positional(0);
    const auto destination = cmd.positional(1);
    const auto sourceFormat = detectFormat(source);
    if (sourceFormat == StoreFormat::Missing)
        throw OpenError(QStringLiteral("'%1': no such file").arg(source));
    if (sourceFormat == StoreFormat::Unknown)
        throw InvalidInput(QFileInfo(source).size() == 0
                ? QStringLiteral("'%1' is empty: there is nothing to import").arg(source)
                : QStringLiteral(
                    "'%1' is neither JSON Lines (one event object per line), a Redux DevTools export "
                    "nor a KurrentDB fixture (a JSON array of events): nothing was imported")
                      .arg(source));
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
    output::addCounts(j, summary);
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
    cmd.addOption(
        QStringLiteral("seed"), QStringLiteral("Seed of the story (default 1)."), QStringLiteral("k"));
    cmd.addOption(QStringLiteral("force"), QStringLiteral("Replace DEST when it exists."));
    if (!cmd.parse(arguments))
        return ExitOk;
    const auto destination = cmd.positional(0);
    sample::GeneratorOptions options;
    options.events = cmd.integer(QStringLiteral("events"), 1).value_or(options.events);
    options.seed = quint64(cmd.integer(QStringLiteral("seed"), 0).value_or(qint64(options.seed)));
    qint64 written = 0;
    StoreSummary summary;
    if (isPostgresUrl(destination)) {
        // A PostgreSQL database: written in place, and only when it holds no events yet.
        auto store = openForWriting(destination, true);
        if (store->summary().events > 0)
            throw InvalidInput(
                QStringLiteral("sample: '%1' already holds events; the sample story goes only into "
                               "an empty store")
                    .arg(store->summary().location));
        output::Progress progress(QStringLiteral("writing %1").arg(store->summary().location));
        written = sample::generate(*store, options, std::ref(progress));
        progress.finish();
        summary = store->summary();
    } else {
        refuseOverwrite(QStringLiteral("sample"), destination, cmd.isSet(QStringLiteral("force")));
        summary = buildNewStore(destination, [&](EventStore& store) {
            output::Progress progress(QStringLiteral("writing %1").arg(destination));
            written = sample::generate(store, options, std::ref(progress));
        });
        summary.location = destination;
    }
    output::Json j;
    j["events"] = written;
    j["streams"] = summary.streams;
    j["seed"] = options.seed;
    j["path"] = output::utf8(summary.location);
    output::json(j);
    return ExitOk;
}

} // namespace chronoscope::cli
