// chronoscope-cli: inspect and edit event stores from a shell. Results are JSON on stdout,
// messages on stderr. Exit codes: 0 ok, 1 error, 2 usage, 3 wrong expected version.
#include "base/errors.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "json/jsonscan.h"
#include "replay/reducer.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstring>
#include <functional>

using namespace chronoscope;
using namespace chronoscope::cli;

namespace {

struct SubCommand {
    const char* name;
    const char* summary;
    int (*run)(const QStringList&);
};

const SubCommand subCommands[] = {
    {"info", "totals of a store: format, events, streams, last position, events per type", runInfo},
    {"streams", "the streams of a store with their versions and positions", runStreams},
    {"events", "events as JSON Lines, filtered by stream, type, category, time...", runEvents},
    {"state", "the state of a stream at a version or a time, rebuilt by replay", runState},
    {"append", "append one event to a stream, with an expected version", runAppend},
    {"import", "import a JSON Lines file into a (new) store", runImport},
    {"export", "export every event of a store to a JSON Lines file", runExport},
    {"sample", "create a sample store (a deterministic shopping story)", runSample},
    {"project", "run a projection (built-in or JavaScript) and print its read model", runProject},
    {"command", "run a sample-domain command through the bus, with the sample reactions", runCommand},
    {"publish", "append one event and publish it on the bus, with the sample reactions", runPublish},
    {"dead-letters", "list, show, discard or retry the dead letters kept in a store", runDeadLetters},
    {"diff", "the JSON Patch (RFC 6902) between two versions of a stream's state", runDiff},
    {"history", "every change of one field (JSON Pointer) of a stream's state", runHistory},
    {"schema", "validate events against JSON Schemas: schema validate --schemas DIR ...", runSchema},
    {"upcast", "preview upcasters (JSON rules or JavaScript) on stored events: raw and upcast", runUpcast},
    {"story", "the story of an event: its correlation id's events across streams, as a causation tree",
        runStory},
    {"topics", "the store as a Kafka-style topic: partitions, a consumer group's offsets and lag", runTopics},
    {"spec", "given / when / then specifications: spec run SPEC.json, spec export STORE --stream S", runSpec},
};

QString usageText()
{
    QString text = QStringLiteral(
        "Usage: chronoscope-cli COMMAND [options] ...\n\n"
        "Explore event stores (Chronoscope SQLite or PostgreSQL, Emmett SQLite or PostgreSQL, Marten "
        "PostgreSQL, JSON Lines, Redux DevTools, KurrentDB JSON) from a shell.\n"
        "STORE is a file (its format is detected from its content) or a postgresql:// URL.\n\n"
        "Commands:\n");
    for (const auto& c : subCommands)
        text += QStringLiteral("  %1 %2\n").arg(QLatin1String(c.name), -13).arg(QLatin1String(c.summary));
    text += QStringLiteral("\nRun 'chronoscope-cli COMMAND --help' for a command's options.\n"
                           "Options:\n  -h, --help     this text\n  -v, --version  the program's version\n\n"
                           "Exit codes: 0 ok, 1 error, 2 usage error, 3 wrong expected version.\n");
    return text;
}

void writeStdout(const QString& text)
{
    const auto bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout);
}

int dispatch(const QStringList& arguments)
{
    const QString first = arguments.value(1);
    if (first.isEmpty()) {
        output::message(usageText());
        return ExitUsage;
    }
    if (first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help")) {
        writeStdout(usageText());
        return ExitOk;
    }
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        writeStdout(QStringLiteral("chronoscope-cli %1\n").arg(QCoreApplication::applicationVersion()));
        return ExitOk;
    }
    for (const auto& c : subCommands) {
        if (first == QLatin1String(c.name)) {
            try {
                const int code = c.run(arguments);
                output::flush();
                return code;
            } catch (const UsageError& e) {
                output::flush();
                output::error(e.message());
                output::message(QStringLiteral("Run 'chronoscope-cli %1 --help' for usage.").arg(first));
                return ExitUsage;
            } catch (const ReducerError& e) {
                // An event the reducer cannot apply: what to do about it.
                output::flush();
                output::error(e.message());
                if (first == QLatin1String("state") || first == QLatin1String("diff")
                    || first == QLatin1String("history"))
                    output::message(QStringLiteral("--skip %1 replays without that event; --reducer FILE.js "
                                                   "folds with a reducer of your own.")
                                        .arg(e.version().value));
                return ExitError;
            }
        }
    }
    output::error(first.startsWith(QLatin1Char('-')) ? QStringLiteral("unknown option '%1'").arg(first)
                                                     : QStringLiteral("unknown command '%1'").arg(first));
    output::message(usageText());
    return ExitUsage;
}

/// Qt would replace bytes that are not UTF-8 by U+FFFD without a word, and the stored event
/// would silently differ from what was given: refuse them, naming the option (or the argument's
/// place) and the byte offset.
QString invalidUtf8Argument(int argc, char* argv[])
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i], std::strlen(argv[i]));
        const auto at = jsonscan::invalidUtf8At(arg);
        if (!at)
            continue;
        QString what = QStringLiteral("argument %1").arg(i);
        std::size_t offset = *at;
        const std::string_view previous = i > 1 ? std::string_view(argv[i - 1]) : std::string_view();
        if (arg.starts_with("--") && arg.find('=') != std::string_view::npos && *at > arg.find('=')) {
            what = QString::fromLatin1(arg.substr(0, arg.find('=')));
            offset = *at - arg.find('=') - 1;
        } else if (previous.starts_with("--") && previous.find('=') == std::string_view::npos
            && !jsonscan::invalidUtf8At(previous)) {
            what = QString::fromUtf8(previous.data(), qsizetype(previous.size()));
        }
        return QStringLiteral(
            "%1 is not valid UTF-8: byte 0x%2 at offset %3 does not start a UTF-8 character "
            "(nothing was read or written)")
            .arg(what)
            .arg(unsigned(static_cast<unsigned char>(arg[*at])), 2, 16, QLatin1Char('0'))
            .arg(offset);
    }
    return {};
}

} // namespace

int main(int argc, char* argv[])
{
    if (const auto invalid = invalidUtf8Argument(argc, argv); !invalid.isEmpty()) {
        output::error(invalid);
        return ExitError;
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("chronoscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHRONOSCOPE_VERSION));
    std::setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
    try {
        return dispatch(QCoreApplication::arguments());
    } catch (const WrongExpectedVersion& e) {
        std::fflush(stdout);
        output::error(e.message());
        return ExitWrongVersion;
    } catch (const StoreError& e) {
        std::fflush(stdout);
        output::error(e.message());
        return ExitError;
    } catch (const std::exception& e) {
        std::fflush(stdout);
        output::error(QString::fromUtf8(e.what()));
        return ExitError;
    }
}
