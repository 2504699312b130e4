// The `project` sub-command: runs a projection (built-in or JavaScript) over a store and prints
// its read model as one JSON line.
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/stores.h"
#include "projections/jsprojection.h"
#include "projections/projectionengine.h"

#include <QFileInfo>

#include <limits>

namespace chronoscope::cli {

namespace {

const QString ListOption = QStringLiteral("list-builtins");

int listBuiltins()
{
    output::Json list = output::Json::array();
    for (const auto& name : builtinProjectionNames()) {
        output::Json entry;
        entry["name"] = output::utf8(name);
        entry["description"] = output::utf8(builtinProjection(name)->description());
        list.push_back(std::move(entry));
    }
    output::json(list);
    return ExitOk;
}

std::shared_ptr<const Projection> loadProjection(const QString& spec, const JsLimits& limits)
{
    const QString builtin = QStringLiteral("builtin:");
    if (spec.startsWith(builtin)) {
        const auto name = spec.mid(builtin.size());
        if (!builtinProjectionNames().contains(name))
            throw UsageError(QStringLiteral("project: unknown built-in projection '%1'; known: %2")
                                 .arg(name, builtinProjectionNames().join(QStringLiteral(", "))));
        return builtinProjection(name);
    }
    if (builtinProjectionNames().contains(spec) && !QFileInfo::exists(spec))
        throw UsageError(
            QStringLiteral("project: '%1' is not a file; the built-in projection of that name is "
                           "--projection builtin:%1")
                .arg(spec));
    return JsProjection::fromFile(spec, limits);
}

} // namespace

int runProject(const QStringList& arguments)
{
    const bool list = arguments.contains(QStringLiteral("--") + ListOption);
    QList<QPair<QString, QString>> positionals;
    if (!list)
        positionals.append({QStringLiteral("STORE"),
            QStringLiteral("An event store: a file (Chronoscope SQLite, Emmett SQLite, JSON Lines, Redux "
                           "DevTools, KurrentDB JSON) or a postgresql:// URL.")});
    Command cmd(QStringLiteral("project"),
        QStringLiteral("Runs a projection over every event of a store (or up to --at) and prints its read "
                       "model as one JSON line.\nA JavaScript projection is written in the EventStoreDB "
                       "style: fromAll() / fromCategory(c) / fromStream(s) / fromStreams([...]),\n"
                       ".foreachStream(), .when({ $init, $any, TYPE: function (state, e) { ... } })."),
        positionals);
    cmd.addOption(QStringLiteral("projection"),
        QStringLiteral("A JavaScript projection file, or builtin:NAME (see --list-builtins)."),
        QStringLiteral("F.js|builtin:NAME"));
    cmd.addOption(QStringLiteral("at"),
        QStringLiteral("The read model as of this global position (0: initial)."),
        QStringLiteral("POSITION"));
    cmd.addOption(QStringLiteral("time-limit"),
        QStringLiteral("Milliseconds one call into a script may run (default 2000)."), QStringLiteral("MS"));
    cmd.addOption(QStringLiteral("memory-mb"),
        QStringLiteral("MiB the program may grow by during one call into a script (default %1); no "
                       "string or array a built-in makes may be larger.")
            .arg(JsLimits().memoryMiB),
        QStringLiteral("MiB"));
    cmd.addOption(ListOption, QStringLiteral("Prints the built-in projections as JSON and exits."));
    if (!cmd.parse(arguments))
        return ExitOk;
    if (list)
        return listBuiltins();

    const auto spec = cmd.required(QStringLiteral("projection"));
    const auto at = cmd.integer(QStringLiteral("at"), 0);
    JsLimits limits;
    limits.time = std::chrono::milliseconds(cmd.integer(QStringLiteral("time-limit"), 1).value_or(2000));
    const auto memory = cmd.integer(QStringLiteral("memory-mb"), 1).value_or(limits.memoryMiB);
    if (memory > std::numeric_limits<int>::max())
        throw UsageError(QStringLiteral("project: --memory-mb %1 is too large").arg(memory));
    limits.memoryMiB = int(memory);
    const auto store = openForReading(cmd.positional(0));
    const auto last = store->summary().lastPosition;
    if (at && *at > last.value)
        throw UsageError(QStringLiteral("project: --at %1 is beyond the last position of the store (%2)")
                             .arg(*at)
                             .arg(last.value));
    ProjectionEngine engine(*store, loadProjection(spec, limits));
    engine.rebuild({}, at ? std::optional<Position>(Position(*at)) : std::nullopt);
    if (engine.fault())
        throw ProjectionError(*engine.fault());
    output::line(QByteArray::fromStdString(engine.state().dump()));
    return ExitOk;
}

} // namespace chronoscope::cli
