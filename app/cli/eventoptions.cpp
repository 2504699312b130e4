#include "cli/eventoptions.h"

namespace chronoscope::cli {

void addEventOptions(Command& cmd, const QString& streamExample, const QString& typeExample)
{
    cmd.addOption(QStringLiteral("stream"),
        QStringLiteral("The stream id, e.g. %1 (required).").arg(streamExample), QStringLiteral("id"));
    cmd.addOption(QStringLiteral("type"),
        QStringLiteral("The event type, e.g. %1 (required).").arg(typeExample), QStringLiteral("type"));
    cmd.addOption(QStringLiteral("data"), QStringLiteral("The payload, any JSON value (required)."),
        QStringLiteral("json"));
    cmd.addOption(
        QStringLiteral("metadata"), QStringLiteral("Metadata, a JSON object."), QStringLiteral("json"));
    cmd.addOption(QStringLiteral("expected"),
        QStringLiteral("Expected version: any (default), no-stream, exists or a number."),
        QStringLiteral("version"));
}

EventOptions eventOptions(const Command& cmd)
{
    EventOptions e;
    e.stream = StreamId(cmd.required(QStringLiteral("stream")));
    e.type = cmd.required(QStringLiteral("type"));
    if (!cmd.isSet(QStringLiteral("data")))
        throw UsageError(QStringLiteral("%1: the option --data is required").arg(cmd.name()));
    e.data = cmd.value(QStringLiteral("data")).toUtf8();
    e.metadata = cmd.value(QStringLiteral("metadata")).toUtf8();
    const auto expectedText = cmd.isSet(QStringLiteral("expected")) ? cmd.value(QStringLiteral("expected"))
                                                                    : QStringLiteral("any");
    const auto expected = ExpectedVersion::parse(expectedText);
    if (!expected)
        throw UsageError(
            QStringLiteral("%1: --expected '%2' is not one of any, no-stream, exists or a version "
                           "number (0 or more)")
                .arg(cmd.name(), expectedText));
    e.expected = *expected;
    return e;
}

} // namespace chronoscope::cli
