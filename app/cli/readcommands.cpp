// Read-only sub-commands: info, streams, events, state. They open the store read-only.
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/schemaoptions.h"
#include "cli/stores.h"
#include "cli/streamtravel.h"
#include "formats/jsonlines.h"
#include "store/appendnotifier.h"
#include "store/storefollower.h"

#include <QEventLoop>
#include <QThread>
#include <QTimer>

namespace chronoscope::cli {

namespace {
const QString StoreArg = QStringLiteral("STORE");
const QString StoreHelp = QStringLiteral("An event store: a file (Chronoscope SQLite, Emmett SQLite, JSON "
                                         "Lines, Redux DevTools, KurrentDB JSON) or a postgresql:// URL.");

output::Json streamJson(const StreamInfo& s)
{
    const auto category = s.stream.category();
    output::Json j;
    j["stream"] = output::utf8(s.stream.toString());
    j["category"] = category.isEmpty() ? output::Json(nullptr) : output::Json(output::utf8(category));
    j["version"] = s.version.value;
    j["events"] = s.events;
    j["first"] = s.firstPosition.value;
    j["last"] = s.lastPosition.value;
    j["firstTimestamp"] = output::utf8(formatTimestamp(s.firstTimestampMs));
    j["lastTimestamp"] = output::utf8(formatTimestamp(s.lastTimestampMs));
    return j;
}
} // namespace

int runInfo(const QStringList& arguments)
{
    Command cmd(QStringLiteral("info"), QStringLiteral("Prints the totals of a store as JSON."),
        {{StoreArg, StoreHelp}});
    if (!cmd.parse(arguments))
        return ExitOk;
    const auto store = openForReading(cmd.positional(0));
    const auto summary = store->summary();
    output::Json j;
    j["format"] = output::utf8(summary.format);
    j["location"] = output::utf8(summary.location);
    j["readOnly"] = summary.readOnly;
    output::addCounts(j, summary);
    output::Json types = output::Json::object();
    for (const auto& t : store->typeCounts())
        types[output::utf8(t.type)] = t.events;
    j["types"] = std::move(types);
    output::json(j);
    return ExitOk;
}

int runStreams(const QStringList& arguments)
{
    Command cmd(QStringLiteral("streams"),
        QStringLiteral("Prints the streams of a store as a JSON array, ordered by id (or --sort):\n"
                       "[{stream, category, version, events, first, last, firstTimestamp, lastTimestamp}]\n"
                       "With --categories: [{category, streams, events}] instead, from the kept counts."),
        {{StoreArg, StoreHelp}});
    cmd.addOption(QStringLiteral("prefix"), QStringLiteral("Only streams whose id starts with <prefix>."),
        QStringLiteral("prefix"));
    cmd.addOption(QStringLiteral("contains"),
        QStringLiteral("Only streams whose id contains <text> (ASCII letters in any case)."),
        QStringLiteral("text"));
    cmd.addOption(QStringLiteral("glob"),
        QStringLiteral(
            "Only streams whose whole id matches <pattern>: * any run, ? one character, [a-z] a class."),
        QStringLiteral("pattern"));
    cmd.addOption(QStringLiteral("category"),
        QStringLiteral("Only streams of <category> (the id's part before '-'; \"\" for ids without one)."),
        QStringLiteral("category"));
    cmd.addOption(QStringLiteral("sort"),
        QStringLiteral("Order by id (default), version, events or last (the stream's last event)."),
        QStringLiteral("key"));
    cmd.addOption(QStringLiteral("descending"), QStringLiteral("Largest first."));
    cmd.addOption(QStringLiteral("limit"), QStringLiteral("Print at most <n> streams."), QStringLiteral("n"));
    cmd.addOption(
        QStringLiteral("categories"), QStringLiteral("Print the categories with their counts instead."));
    if (!cmd.parse(arguments))
        return ExitOk;
    StreamQuery query;
    int texts = 0;
    for (const auto& [option, match] : {std::pair {QStringLiteral("prefix"), StreamQuery::Match::Prefix},
             std::pair {QStringLiteral("contains"), StreamQuery::Match::Substring},
             std::pair {QStringLiteral("glob"), StreamQuery::Match::Glob}}) {
        if (!cmd.isSet(option))
            continue;
        ++texts;
        query.text = cmd.value(option);
        query.match = match;
    }
    if (texts > 1)
        throw UsageError(QStringLiteral("streams: give one of --prefix, --contains and --glob"));
    if (cmd.isSet(QStringLiteral("category")))
        query.category = cmd.value(QStringLiteral("category"));
    const auto sort = cmd.value(QStringLiteral("sort"));
    if (sort.isEmpty() || sort == QLatin1String("id"))
        query.sort = StreamQuery::Sort::Id;
    else if (sort == QLatin1String("version"))
        query.sort = StreamQuery::Sort::Version;
    else if (sort == QLatin1String("events"))
        query.sort = StreamQuery::Sort::Events;
    else if (sort == QLatin1String("last"))
        query.sort = StreamQuery::Sort::LastEvent;
    else
        throw UsageError(
            QStringLiteral("streams: --sort '%1' is not one of id, version, events, last").arg(sort));
    query.descending = cmd.isSet(QStringLiteral("descending"));
    const auto limit = cmd.integer(QStringLiteral("limit"), 0);
    const auto store = openForReading(cmd.positional(0));
    if (cmd.isSet(QStringLiteral("categories"))) {
        output::Json list = output::Json::array();
        for (const auto& c : store->categories())
            list.push_back(
                {{"category", output::utf8(c.category)}, {"streams", c.streams}, {"events", c.events}});
        output::json(list);
        return ExitOk;
    }
    // Page by page (keyset), printed as it is read: a store of millions of streams starts at once.
    constexpr qint64 kPage = 4096;
    qint64 printed = 0;
    std::optional<StreamInfo> after;
    QByteArray text = "[";
    for (;;) {
        const qint64 want = limit ? std::min(kPage, *limit - printed) : kPage;
        if (want <= 0)
            break;
        const auto page = store->streamPage(query, after, want);
        for (const auto& s : page) {
            if (printed++ > 0)
                text += ',';
            text += QByteArray::fromStdString(
                streamJson(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        }
        output::line(text);
        text.clear();
        if (qint64(page.size()) < want)
            break;
        after = page.back();
    }
    output::line("]");
    return ExitOk;
}

int runEvents(const QStringList& arguments)
{
    Command cmd(QStringLiteral("events"),
        QStringLiteral("Prints events as JSON Lines (one event per line), in global order, or in\n"
                       "version order with --stream. Filters combine."),
        {{StoreArg, StoreHelp}});
    cmd.addOption(
        QStringLiteral("stream"), QStringLiteral("Only the events of stream <id>."), QStringLiteral("id"));
    cmd.addOption(QStringLiteral("from-version"), QStringLiteral("With --stream: start at version <n>."),
        QStringLiteral("n"));
    cmd.addOption(QStringLiteral("from-position"), QStringLiteral("Start at global position <n>."),
        QStringLiteral("n"));
    cmd.addOption(QStringLiteral("limit"), QStringLiteral("Print at most <n> events."), QStringLiteral("n"));
    cmd.addOption(QStringLiteral("type"), QStringLiteral("Only events of <type>; repeat for several types."),
        QStringLiteral("type"));
    cmd.addOption(QStringLiteral("category"), QStringLiteral("Only streams of <category>."),
        QStringLiteral("category"));
    cmd.addOption(QStringLiteral("prefix"), QStringLiteral("Only streams whose id starts with <prefix>."),
        QStringLiteral("prefix"));
    cmd.addOption(QStringLiteral("since"), QStringLiteral("Only events at or after <time> (ISO-8601)."),
        QStringLiteral("time"));
    cmd.addOption(QStringLiteral("until"), QStringLiteral("Only events before <time> (ISO-8601)."),
        QStringLiteral("time"));
    cmd.addOption(QStringLiteral("backward"), QStringLiteral("Newest first."));
    cmd.addOption(QStringLiteral("follow"),
        QStringLiteral("After the events stored, keep printing new ones as other programs append\n"
                       "them (checked every 200 ms) until interrupted (Ctrl+C) or --limit is reached."));
    addUpcasterOption(cmd);
    if (!cmd.parse(arguments))
        return ExitOk;
    cmd.exclusive(QStringLiteral("follow"), QStringLiteral("backward"));
    const bool follow = cmd.isSet(QStringLiteral("follow"));

    cmd.exclusive(QStringLiteral("from-version"), QStringLiteral("from-position"));
    const bool hasStream = cmd.isSet(QStringLiteral("stream"));
    if (cmd.isSet(QStringLiteral("from-version")) && !hasStream)
        throw UsageError(QStringLiteral("events: --from-version needs --stream"));
    if (cmd.isSet(QStringLiteral("from-position")) && hasStream)
        throw UsageError(QStringLiteral(
            "events: --from-position reads the whole store; with --stream use --from-version"));
    const auto fromVersion = cmd.integer(QStringLiteral("from-version"), 0);
    const auto fromPosition = cmd.integer(QStringLiteral("from-position"), 0);
    const auto limit = cmd.integer(QStringLiteral("limit"), 0).value_or(std::numeric_limits<qint64>::max());
    EventFilter filter;
    filter.types = cmd.values(QStringLiteral("type"));
    filter.category = cmd.value(QStringLiteral("category"));
    filter.streamPrefix = cmd.value(QStringLiteral("prefix"));
    filter.fromTimeMs = cmd.time(QStringLiteral("since"));
    filter.toTimeMs = cmd.time(QStringLiteral("until"));
    const auto direction = cmd.isSet(QStringLiteral("backward")) ? Direction::Backward : Direction::Forward;
    const bool forward = direction == Direction::Forward;
    const StreamId stream(cmd.value(QStringLiteral("stream")));
    if (hasStream && stream.isEmpty())
        throw UsageError(QStringLiteral("events: --stream is empty"));

    const auto store = withUpcasters(cmd, openForReading(cmd.positional(0)));
    if (hasStream && !follow && !store->streamInfo(stream))
        throw InvalidInput(
            QStringLiteral("no stream '%1' in '%2'").arg(stream.toString(), cmd.positional(0)));

    constexpr qint64 PageSize = 1000;
    qint64 printed = 0;
    std::optional<std::int64_t> from;
    if (fromVersion)
        from = *fromVersion;
    if (fromPosition)
        from = *fromPosition;
    // Prints what is stored from `from` on; true when it reached the end of what is stored.
    const auto printStored = [&] {
        while (printed < limit) {
            if (from && *from < 1 && !forward)
                return true; // nothing before the first event
            const qint64 want = std::min(PageSize, limit - printed);
            std::vector<RecordedEvent> page;
            if (hasStream) {
                page = store->readStream(stream, from ? std::optional<Version>(Version(*from)) : std::nullopt,
                    PageSize, direction);
            } else {
                page = store->readAll(
                    from ? std::optional<Position>(Position(*from)) : std::nullopt, want, filter, direction);
            }
            if (page.empty())
                return true;
            for (const auto& e : page) {
                if (hasStream && !filter.matches(e))
                    continue;
                output::line(jsonlines::toLine(e));
                if (++printed >= limit)
                    break;
            }
            const auto last = hasStream ? page.back().version.value : page.back().position.value;
            from = forward ? last + 1 : last - 1;
            if (qint64(page.size()) < (hasStream ? PageSize : want))
                return true;
        }
        return false;
    };
    if (!follow) {
        printStored();
        return ExitOk;
    }
    // Following: events up to the store's last position are all read once printStored() returns,
    // so a filter that matches none of them is not asked again over the same events.
    const auto printStoredAndSkip = [&] {
        const auto last = hasStream ? Position(0) : lastPosition(*store);
        if (printStored() && last.value > 0)
            from = std::max<std::int64_t>(from.value_or(1), last.value + 1);
    };
    printStoredAndSkip();
    // Following: what was printed goes out at once; a store that cannot be read (a server that
    // went away) is said once on stderr and read again until it answers.
    // A store that announces its commits (PostgreSQL's LISTEN/NOTIFY) is read again as soon as one
    // is announced, and every second besides (a server that went away); others every 200 ms.
    QString problem;
    std::unique_ptr<AppendNotifier> notifier;
    bool listenTried = false;
    while (printed < limit) {
        output::flush();
        if (!notifier && !listenTried) {
            listenTried = true;
            try {
                notifier = store->appendNotifier();
            } catch (const StoreError&) {
                notifier.reset(); // read every 200 ms instead
            }
        }
        {
            QEventLoop wait;
            QTimer::singleShot(notifier ? 1000 : 200, &wait, &QEventLoop::quit);
            if (notifier)
                QObject::connect(notifier.get(), &AppendNotifier::notified, &wait, &QEventLoop::quit);
            wait.exec();
        }
        try {
            printStoredAndSkip();
            if (!problem.isEmpty()) {
                output::error(QStringLiteral("events: '%1' answers again; following").arg(cmd.positional(0)));
                listenTried = false;
            }
            problem.clear();
        } catch (const StoreError& error) {
            if (error.message() != problem)
                output::error(
                    QStringLiteral("events: %1 (still following; trying again)").arg(error.message()));
            problem = error.message();
            notifier.reset(); // its connection may be gone with the server: listen again once it answers
        }
    }
    return ExitOk;
}

int runState(const QStringList& arguments)
{
    Command cmd(QStringLiteral("state"),
        QStringLiteral("Prints the state of a stream as one JSON line, rebuilt by replaying its events\n"
                       "with the built-in reducer for its category (or the generic one), or with\n"
                       "your JavaScript reducer (--reducer). Without --version or --at: the last version."),
        {{StoreArg, StoreHelp}});
    StreamTravel::addOptions(cmd, true);
    cmd.addOption(QStringLiteral("version"), QStringLiteral("State after version <n> (0: initial state)."),
        QStringLiteral("n"));
    cmd.addOption(QStringLiteral("at"),
        QStringLiteral("State as of <time> (ISO-8601, UTC unless an offset is given)."),
        QStringLiteral("time"));
    if (!cmd.parse(arguments))
        return ExitOk;
    cmd.exclusive(QStringLiteral("version"), QStringLiteral("at"));
    const auto version = StreamTravel::wholeNumber(cmd, QStringLiteral("version"));
    const auto at = cmd.time(QStringLiteral("at"));

    StreamTravel travel(cmd);
    const auto target = version ? travel.checkVersion(QStringLiteral("version"), *version)
        : at                    ? travel.travel().versionAt(*at)
                                : travel.lastVersion();
    const auto state = travel.travel().stateAt(target);
    output::line(
        QByteArray::fromStdString(state.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    return ExitOk;
}

} // namespace chronoscope::cli
