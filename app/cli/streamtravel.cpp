#include "cli/streamtravel.h"

#include "cli/schemaoptions.h"
#include "cli/stores.h"
#include "replay/jsreducer.h"
#include "replay/reducer.h"

#include <limits>

namespace chronoscope::cli {

namespace {

const QString StreamOption = QStringLiteral("stream");
const QString ReducerOption = QStringLiteral("reducer");
const QString TimeoutOption = QStringLiteral("timeout-ms");
const QString MemoryOption = QStringLiteral("memory-mb");
const QString SkipOption = QStringLiteral("skip");

constexpr qint64 DefaultTimeoutMs = 2000;

/// Every --skip value (repeatable, each a comma-separated list) as versions.
QSet<qint64> parseSkip(const Command& cmd)
{
    QSet<qint64> versions;
    if (!cmd.isSet(SkipOption))
        return versions;
    for (const auto& list : cmd.values(SkipOption)) {
        const auto parts = list.split(QLatin1Char(','));
        for (const auto& part : parts) {
            bool ok = false;
            const auto v = part.trimmed().toLongLong(&ok);
            if (!ok)
                throw UsageError(QStringLiteral("%1: --skip '%2': '%3' is not a version (a whole number)")
                                     .arg(cmd.name(), list, part.trimmed()));
            if (v < 1)
                throw UsageError(
                    QStringLiteral("%1: --skip %2: only events can be skipped, and the first event "
                                   "is version 1")
                        .arg(cmd.name())
                        .arg(v));
            versions.insert(v);
        }
    }
    return versions;
}

} // namespace

void StreamTravel::addOptions(Command& cmd, bool withSkip)
{
    cmd.addOption(StreamOption, QStringLiteral("The stream (required)."), QStringLiteral("id"));
    cmd.addOption(ReducerOption,
        QStringLiteral("Fold with the JavaScript reducer in <file.js> instead of the built-in reducer "
                       "of the stream's category. The file defines evolve(state, event) and optionally "
                       "initialState (a value, or a function of the stream id), as globals or on "
                       "module.exports; event is {type, data, metadata, streamId, version, position, "
                       "timestamp, id}. The script has no file, network or process access."),
        QStringLiteral("file.js"));
    cmd.addOption(TimeoutOption,
        QStringLiteral("With --reducer: interrupt a call into the script that runs longer than <ms> "
                       "milliseconds (default 2000)."),
        QStringLiteral("ms"));
    cmd.addOption(MemoryOption,
        QStringLiteral("With --reducer: stop a call into the script during which the program grows by more "
                       "than <MiB> (default %1); no string or array a built-in makes may be larger.")
            .arg(JsLimits().memoryMiB),
        QStringLiteral("MiB"));
    addUpcasterOption(cmd);
    if (withSkip)
        cmd.addOption(SkipOption,
            QStringLiteral("What-if: leave out the events at these versions (comma-separated, "
                           "repeatable). The store is never changed."),
            QStringLiteral("v,v,..."));
}

StreamTravel::StreamTravel(const Command& cmd)
    : m_command(cmd.name())
    , m_stream(cmd.required(StreamOption))
{
    // Syntax first, so that a wrong command line is reported before any file is opened.
    const auto timeout = cmd.integer(TimeoutOption, 1);
    const auto memory = cmd.integer(MemoryOption, 1);
    const bool hasReducer = cmd.isSet(ReducerOption);
    for (const auto& [value, option] :
        {std::pair {timeout, TimeoutOption}, std::pair {memory, MemoryOption}}) {
        if (value && !hasReducer)
            throw UsageError(QStringLiteral("%1: --%2 limits a JavaScript reducer: give it with --reducer")
                                 .arg(m_command, option));
    }
    if (memory && *memory > std::numeric_limits<int>::max())
        throw UsageError(QStringLiteral("%1: --memory-mb %2 is too large").arg(m_command).arg(*memory));
    const auto script = hasReducer ? cmd.required(ReducerOption) : QString();
    m_skipped = parseSkip(cmd);

    m_store = withUpcasters(cmd, openForReading(cmd.positional(0)));
    const auto info = m_store->streamInfo(m_stream);
    if (!info)
        throw InvalidInput(
            QStringLiteral("no stream '%1' in '%2'").arg(m_stream.toString(), cmd.positional(0)));
    m_last = info->version;
    for (const auto v : m_skipped) {
        if (v > m_last.value)
            throw InvalidInput(QStringLiteral("--skip %1 is beyond the end of stream '%2' (last version %3)")
                                   .arg(v)
                                   .arg(m_stream.toString())
                                   .arg(m_last.value));
    }

    std::shared_ptr<const Reducer> reducer;
    if (hasReducer) {
        JsLimits limits;
        limits.time = std::chrono::milliseconds(timeout.value_or(DefaultTimeoutMs));
        limits.memoryMiB = int(memory.value_or(limits.memoryMiB));
        reducer = JsReducer::fromFile(script, limits); // the script's top-level code runs under them too
    } else {
        reducer = ReducerRegistry::withBuiltins().reducerFor(m_stream);
    }
    // One question per run: snapshots would cost memory and time and never be used again.
    TimeTravel::Options options;
    options.snapshotEvery = std::numeric_limits<qint64>::max();
    m_travel = std::make_unique<TimeTravel>(*m_store, std::move(reducer), m_stream, options);
    m_travel->setSkipped(m_skipped);
}

StreamTravel::~StreamTravel() = default;

std::optional<qint64> StreamTravel::wholeNumber(const Command& cmd, const QString& option)
{
    if (!cmd.isSet(option))
        return std::nullopt;
    const auto text = cmd.value(option);
    bool ok = false;
    const auto n = text.trimmed().toLongLong(&ok);
    if (!ok)
        throw UsageError(QStringLiteral("%1: --%2 '%3' is not a whole number").arg(cmd.name(), option, text));
    return n;
}

Version StreamTravel::checkVersion(const QString& option, qint64 value) const
{
    if (value < 0)
        throw InvalidInput(QStringLiteral("--%1 %2: a version cannot be negative").arg(option).arg(value));
    if (value > m_last.value)
        throw InvalidInput(QStringLiteral("--%1 %2 is beyond the end of stream '%3' (last version %4)")
                               .arg(option)
                               .arg(value)
                               .arg(m_stream.toString())
                               .arg(m_last.value));
    return Version(value);
}

} // namespace chronoscope::cli
