// Time-travel sub-commands: diff (the JSON Patch between two versions of a stream) and history
// (every change of one field). `state` is in readcommands.cpp; all three share StreamTravel.
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/streamtravel.h"

namespace chronoscope::cli {

namespace {

const QString StoreArg = QStringLiteral("STORE");
const QString StoreHelp = QStringLiteral("An event store file (any format chronoscope-cli detects).");

std::string dumpJson(const nlohmann::json& value)
{
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// RFC 6902 vocabulary for what happened to the field.
const char* changeOp(const FieldChange& change)
{
    if (!change.oldValue)
        return "add";
    if (!change.newValue)
        return "remove";
    return "replace";
}

} // namespace

int runDiff(const QStringList& arguments)
{
    Command cmd(QStringLiteral("diff"),
        QStringLiteral("Prints the RFC 6902 JSON Patch that turns the state of a stream at version A\n"
                       "into its state at version B, as one JSON line (an array of operations;\n"
                       "[] when the states are equal). A may be greater than B."),
        {{StoreArg, StoreHelp}});
    StreamTravel::addOptions(cmd, true);
    cmd.addOption(QStringLiteral("from"), QStringLiteral("Version A (required; 0: initial state)."),
        QStringLiteral("A"));
    cmd.addOption(QStringLiteral("to"), QStringLiteral("Version B (required)."), QStringLiteral("B"));
    if (!cmd.parse(arguments))
        return ExitOk;
    cmd.required(QStringLiteral("from"));
    cmd.required(QStringLiteral("to"));
    const auto from = *StreamTravel::wholeNumber(cmd, QStringLiteral("from"));
    const auto to = *StreamTravel::wholeNumber(cmd, QStringLiteral("to"));

    StreamTravel travel(cmd);
    const auto a = travel.checkVersion(QStringLiteral("from"), from);
    const auto b = travel.checkVersion(QStringLiteral("to"), to);
    output::line(QByteArray::fromStdString(dumpJson(travel.travel().diff(a, b))));
    return ExitOk;
}

int runHistory(const QStringList& arguments)
{
    Command cmd(QStringLiteral("history"),
        QStringLiteral(
            "Prints every change of one field of a stream's state as one JSON line: an array of\n"
            "{version, position, type, timestamp, op, old, new}, one entry per event after which the value\n"
            "at --path differs from the value before it, in version order.\n"
            "op is \"add\" (the field did not exist before the event; old is null), \"remove\" (the event\n"
            "removed it; new is null) or \"replace\" (old and new are both values, either may be a JSON "
            "null).\n"
            "An error (exit 1) when the path exists at no version of the state."),
        {{StoreArg, StoreHelp}});
    StreamTravel::addOptions(cmd, true);
    cmd.addOption(QStringLiteral("path"),
        QStringLiteral("The field, as a JSON Pointer (RFC 6901), e.g. /items/sku-1/quantity "
                       "('' is the whole state; '~1' stands for '/', '~0' for '~')."),
        QStringLiteral("pointer"));
    if (!cmd.parse(arguments))
        return ExitOk;
    if (!cmd.isSet(QStringLiteral("path")))
        throw UsageError(QStringLiteral("history: the option --path is required"));
    const auto path = cmd.value(QStringLiteral("path"));
    try {
        nlohmann::json::json_pointer pointer(path.toStdString());
    } catch (const nlohmann::json::exception& e) {
        // what() reads "[json.exception.parse_error.107] parse error at byte 1: REASON".
        auto reason = QString::fromUtf8(e.what());
        reason = reason.mid(reason.indexOf(QStringLiteral("] ")) + 2);
        if (reason.startsWith(QStringLiteral("parse error")))
            reason = reason.mid(reason.indexOf(QStringLiteral(": ")) + 2);
        throw UsageError(
            QStringLiteral("history: --path '%1' is not a JSON Pointer (RFC 6901): %2").arg(path, reason));
    }

    StreamTravel travel(cmd);
    output::Progress progress(QStringLiteral("history"));
    const auto changes = travel.travel().fieldHistory(
        path, [&](qint64 done, qint64 total) { return progress(done, total); });
    progress.finish();
    output::Json list = output::Json::array();
    for (const auto& c : changes) {
        output::Json j;
        j["version"] = c.version.value;
        j["position"] = c.position.value;
        j["type"] = output::utf8(c.type);
        j["timestamp"] = output::utf8(formatTimestamp(c.timestampMs));
        j["op"] = changeOp(c);
        j["old"] = c.oldValue ? output::Json(*c.oldValue) : output::Json(nullptr);
        j["new"] = c.newValue ? output::Json(*c.newValue) : output::Json(nullptr);
        list.push_back(std::move(j));
    }
    output::line(
        QByteArray::fromStdString(list.dump(-1, ' ', false, output::Json::error_handler_t::replace)));
    return ExitOk;
}

} // namespace chronoscope::cli
