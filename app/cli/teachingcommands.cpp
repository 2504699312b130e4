// Teaching sub-commands: story (correlation and causation), topics (partitions and consumer
// groups), spec (given / when / then: run and export). They never write a store.
#include "base/errors.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/stores.h"
#include "spec/givenwhenthen.h"
#include "story/story.h"
#include "topics/partitions.h"

#include <QFile>

#include <algorithm>

namespace chronoscope::cli {

namespace {

const QString StoreArg = QStringLiteral("STORE");
const QString StoreHelp = QStringLiteral("An event store: a file (Chronoscope SQLite, Emmett SQLite, JSON "
                                         "Lines, Redux DevTools, KurrentDB JSON) or a postgresql:// URL.");

void printOrdered(const nlohmann::ordered_json& value)
{
    output::line(QByteArray::fromStdString(
        value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)));
}

int runSpecRun(const QStringList& arguments)
{
    Command cmd(QStringLiteral("spec run"),
        QStringLiteral(
            "Runs a given / when / then specification against the sample domain's command\n"
            "handlers (no store needed): {\"cases\":[{\"name\", \"stream\", \"given\":[{\"type\",\n"
            "\"data\"[, \"stream\"]}], \"when\":{\"type\", \"data\"}, \"then\":[{\"type\", \"data\"}]}]},\n"
            "or \"thenError\":\"text the refusal contains\" instead of \"then\". Prints one JSON\n"
            "line per case {name, passed}; a failed one also has the message, the first differing\n"
            "event's index, the JSON Pointer of its first differing field, and the expected and\n"
            "actual values there. Exit code 0 when every case passes, 1 otherwise."),
        {{QStringLiteral("SPEC"), QStringLiteral("The specification, a JSON file ('-': standard input).")}});
    auto args = arguments;
    args.removeAt(2); // the action word
    if (!cmd.parse(args))
        return ExitOk;
    const QString path = cmd.positional(0);
    QFile file;
    const bool stdinput = path == QLatin1String("-");
    if (stdinput ? !file.open(stdin, QIODevice::ReadOnly)
                 : (file.setFileName(path), !file.open(QIODevice::ReadOnly)))
        throw StoreError(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    constexpr qint64 MaxSpecBytes = 64LL * 1024 * 1024;
    const QByteArray text = file.read(MaxSpecBytes + 1);
    if (text.size() > MaxSpecBytes)
        throw InvalidInput(QStringLiteral("%1: larger than 64 MiB").arg(path));
    spec::Spec parsed;
    try {
        parsed = spec::parseSpec(text);
    } catch (const InvalidInput& e) {
        throw InvalidInput(QStringLiteral("%1: %2").arg(path, e.message()));
    }
    int failed = 0;
    for (const spec::SpecCase& c : parsed.cases) {
        const spec::CaseResult result = spec::runCase(c);
        failed += result.passed ? 0 : 1;
        printOrdered(spec::toJson(result));
    }
    output::message(QStringLiteral("%1 of %2 case(s) passed")
                        .arg(parsed.cases.size() - size_t(failed))
                        .arg(parsed.cases.size()));
    return failed == 0 ? ExitOk : ExitError;
}

int runSpecExport(const QStringList& arguments)
{
    Command cmd(QStringLiteral("spec export"),
        QStringLiteral(
            "Writes a given / when / then specification made from a stream's events: one case per\n"
            "command (events sharing a commandId), given the stream's earlier events (and those of\n"
            "the streams the command reads), when the command (commandType in the metadata, its\n"
            "fields from the event's data), then the events. --format json (the form 'spec run'\n"
            "reads), qtest (a Qt Test of the sample domain) or jest (Emmett's\n"
            "DeciderSpecification style)."),
        {{StoreArg, StoreHelp}});
    cmd.addOption(QStringLiteral("stream"), QStringLiteral("The stream (required)."), QStringLiteral("id"));
    cmd.addOption(QStringLiteral("from"), QStringLiteral("First version to export (default: 1)."),
        QStringLiteral("version"));
    cmd.addOption(QStringLiteral("to"),
        QStringLiteral("Last version to export (default: the stream's last)."), QStringLiteral("version"));
    cmd.addOption(
        QStringLiteral("format"), QStringLiteral("json (default), qtest or jest."), QStringLiteral("format"));
    auto args = arguments;
    args.removeAt(2);
    if (!cmd.parse(args))
        return ExitOk;
    const StreamId stream(cmd.required(QStringLiteral("stream")));
    const QString format
        = cmd.isSet(QStringLiteral("format")) ? cmd.value(QStringLiteral("format")) : QStringLiteral("json");
    if (format != QLatin1String("json") && format != QLatin1String("qtest")
        && format != QLatin1String("jest"))
        throw UsageError(
            QStringLiteral("spec export: --format must be json, qtest or jest, not '%1'").arg(format));
    const auto store = openForReading(cmd.positional(0));
    const auto info = store->streamInfo(stream);
    if (!info)
        throw InvalidInput(QStringLiteral("no stream '%1' in %2").arg(stream.toString(), cmd.positional(0)));
    const qint64 from = cmd.integer(QStringLiteral("from"), 1).value_or(1);
    const qint64 to = cmd.integer(QStringLiteral("to"), 1).value_or(info->version.value);
    const spec::Spec exported = spec::exportSpec(*store, stream, Version(from), Version(to));
    if (format == QLatin1String("json"))
        printOrdered(spec::toJson(exported));
    else if (format == QLatin1String("qtest"))
        output::line(spec::toQtTest(exported).toUtf8());
    else
        output::line(spec::toJest(exported).toUtf8());
    return ExitOk;
}

} // namespace

int runStory(const QStringList& arguments)
{
    Command cmd(QStringLiteral("story"),
        QStringLiteral(
            "Prints the story of an event as one JSON object: every event sharing its correlation\n"
            "id, across streams, as JSON Lines objects in position order, and the causation tree\n"
            "{\"correlationId\", \"events\":[...], \"roots\":[{\"position\", \"stream\", \"type\",\n"
            "\"offsetMs\", \"children\":[...]}]}, roots and children in position order. A root's\n"
            "cause outside the story (a command) is \"causedBy\":{\"id\", \"commandType\"}; events\n"
            "whose causes go round in a circle are listed in \"cycles\", not followed.\n"
            "Give exactly one of --event, --position, --correlation."),
        {{StoreArg, StoreHelp}});
    cmd.addOption(QStringLiteral("event"), QStringLiteral("The story of the event with this id."),
        QStringLiteral("id"));
    cmd.addOption(QStringLiteral("position"),
        QStringLiteral("The story of the event at this global position."), QStringLiteral("n"));
    cmd.addOption(QStringLiteral("correlation"), QStringLiteral("The story of this correlation id."),
        QStringLiteral("id"));
    if (!cmd.parse(arguments))
        return ExitOk;
    const int given = int(cmd.isSet(QStringLiteral("event"))) + int(cmd.isSet(QStringLiteral("position")))
        + int(cmd.isSet(QStringLiteral("correlation")));
    if (given != 1)
        throw UsageError(QStringLiteral("story: give exactly one of --event, --position and --correlation"));
    const auto store = openForReading(cmd.positional(0));
    output::Progress progress(QStringLiteral("reading the log"));
    Story story;
    if (cmd.isSet(QStringLiteral("correlation"))) {
        story = findStory(*store, cmd.required(QStringLiteral("correlation")), std::ref(progress));
    } else if (cmd.isSet(QStringLiteral("position"))) {
        const qint64 position = *cmd.integer(QStringLiteral("position"), 1);
        const auto event = store->readAt(Position(position));
        if (!event)
            throw InvalidInput(QStringLiteral("no event at position %1 (the last is %2)")
                                   .arg(position)
                                   .arg(store->summary().lastPosition.value));
        story = storyOf(*store, *event, std::ref(progress));
    } else {
        const QString text = cmd.required(QStringLiteral("event"));
        const QUuid id = QUuid::fromString(text);
        if (id.isNull())
            throw UsageError(
                QStringLiteral("story: --event must be an event id (a UUID), not '%1'").arg(text));
        const auto event = findEventById(*store, id, std::ref(progress));
        if (!event)
            throw InvalidInput(QStringLiteral("no event with id %1").arg(text));
        story = storyOf(*store, *event, std::ref(progress));
    }
    progress.finish();
    if (story.events.empty())
        throw InvalidInput(QStringLiteral("no event has the correlation id %1").arg(story.correlationId));
    if (!story.cycles.empty())
        output::message(QStringLiteral("warning: %1 causation cycle(s) in the story (see \"cycles\")")
                            .arg(int(story.cycles.size())));
    printOrdered(storyJson(story));
    return ExitOk;
}

int runTopics(const QStringList& arguments)
{
    Command cmd(QStringLiteral("topics"),
        QStringLiteral(
            "Prints the store seen as a Kafka-style topic, as one JSON object: its events assigned\n"
            "to N partitions by a hash of the stream id (FNV-1a), so that a stream's events keep\n"
            "their order in one partition: {\"partitions\":[{\"partition\", \"events\", \"streams\",\n"
            "\"firstPosition\", \"lastPosition\"}]} (numbered from 0). With --group: the group's\n"
            "members (--members M: G-1 ... G-M, or --member repeated), the partitions each reads\n"
            "(range assignment), and per partition the committed offset and lag when the group has\n"
            "read the log up to --committed (default: all of it). With --stream: its partition."),
        {{StoreArg, StoreHelp}});
    cmd.addOption(QStringLiteral("partitions"), QStringLiteral("Number of partitions, 1 to 1024 (required)."),
        QStringLiteral("n"));
    cmd.addOption(
        QStringLiteral("group"), QStringLiteral("A consumer group's name."), QStringLiteral("name"));
    cmd.addOption(QStringLiteral("members"), QStringLiteral("With --group: that many members (default 1)."),
        QStringLiteral("m"));
    cmd.addOption(QStringLiteral("member"), QStringLiteral("With --group: a member by name (repeatable)."),
        QStringLiteral("name"));
    cmd.addOption(QStringLiteral("committed"),
        QStringLiteral("With --group: the global position the group has read up to (default: the last)."),
        QStringLiteral("position"));
    cmd.addOption(QStringLiteral("stream"), QStringLiteral("Also say which partition this stream is in."),
        QStringLiteral("id"));
    if (!cmd.parse(arguments))
        return ExitOk;
    const auto given = cmd.integer(QStringLiteral("partitions"), 1);
    if (!given)
        throw UsageError(QStringLiteral("topics: the option --partitions is required"));
    const qint64 partitions = *given;
    if (partitions > topics::MaxPartitions)
        throw UsageError(
            QStringLiteral("topics: --partitions must be at most %1").arg(topics::MaxPartitions));
    const bool group = cmd.isSet(QStringLiteral("group"));
    for (const char* option : {"members", "member", "committed"}) {
        if (!group && cmd.isSet(QLatin1String(option)))
            throw UsageError(QStringLiteral("topics: --%1 needs --group").arg(QLatin1String(option)));
    }
    cmd.exclusive(QStringLiteral("members"), QStringLiteral("member"));
    const auto store = openForReading(cmd.positional(0));
    const auto stats = topics::partitionStats(*store, int(partitions));
    output::Json out;
    output::Json list = output::Json::array();
    for (const auto& s : stats) {
        output::Json p;
        p["partition"] = s.partition;
        p["events"] = s.events;
        p["streams"] = s.streams;
        p["firstPosition"] = s.firstPosition ? output::Json(*s.firstPosition) : output::Json(nullptr);
        p["lastPosition"] = s.lastPosition ? output::Json(*s.lastPosition) : output::Json(nullptr);
        list.push_back(std::move(p));
    }
    out["partitions"] = std::move(list);
    if (cmd.isSet(QStringLiteral("stream"))) {
        const StreamId stream(cmd.required(QStringLiteral("stream")));
        out["stream"] = output::utf8(stream.toString());
        out["partition"] = topics::partitionOf(stream, int(partitions));
    }
    if (group) {
        const QString name = cmd.required(QStringLiteral("group"));
        QStringList members = cmd.values(QStringLiteral("member"));
        if (members.isEmpty()) {
            const qint64 count = cmd.integer(QStringLiteral("members"), 1).value_or(1);
            if (count > topics::MaxMembers)
                throw UsageError(
                    QStringLiteral("topics: --members must be at most %1").arg(topics::MaxMembers));
            for (qint64 i = 1; i <= count; ++i)
                members << QStringLiteral("%1-%2").arg(name).arg(i);
        }
        const qint64 last = store->summary().lastPosition.value;
        const qint64 committed = cmd.integer(QStringLiteral("committed"), 0).value_or(last);
        output::Progress progress(QStringLiteral("reading the log"));
        const auto offsets = topics::offsetsAt(*store, stats, committed, std::ref(progress));
        progress.finish();
        output::Json g;
        g["group"] = output::utf8(name);
        g["committedPosition"] = std::min(committed, last);
        output::Json memberList = output::Json::array();
        for (const auto& member : topics::assignRange(int(partitions), members)) {
            output::Json m;
            m["member"] = output::utf8(member.id);
            m["partitions"] = member.partitions;
            qint64 lag = 0;
            for (int p : member.partitions)
                lag += offsets[size_t(p)].lag;
            m["lag"] = lag;
            memberList.push_back(std::move(m));
        }
        g["members"] = std::move(memberList);
        output::Json offsetList = output::Json::array();
        for (const auto& o : offsets)
            offsetList.push_back({{"partition", o.partition}, {"committed", o.committed}, {"lag", o.lag}});
        g["offsets"] = std::move(offsetList);
        out["group"] = std::move(g);
    }
    output::json(out);
    return ExitOk;
}

int runSpec(const QStringList& arguments)
{
    const auto action = arguments.value(2);
    if (action == QLatin1String("run"))
        return runSpecRun(arguments);
    if (action == QLatin1String("export"))
        return runSpecExport(arguments);
    if (action.isEmpty() || action == QLatin1String("--help") || action == QLatin1String("-h")) {
        const auto text
            = QStringLiteral("Usage: chronoscope-cli spec run SPEC.json\n"
                             "       chronoscope-cli spec export STORE --stream S [--from V] [--to V] "
                             "[--format json|qtest|jest]\n\n"
                             "Run 'chronoscope-cli spec run --help' for the options.\n"
                             "Run 'chronoscope-cli spec export --help' for the options.\n");
        if (action.isEmpty())
            throw UsageError(QStringLiteral("spec: missing the action (run or export)"));
        output::line(text.toUtf8());
        return ExitOk;
    }
    throw UsageError(QStringLiteral("spec: unknown action '%1' (expected run or export)").arg(action));
}

} // namespace chronoscope::cli
