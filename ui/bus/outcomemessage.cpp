#include "bus/outcomemessage.h"

#include "base/style.h"

#include <QCoreApplication>

#include <algorithm>

namespace chronoscope {

namespace {
QString tr(const char* text, int n = -1)
{
    return QCoreApplication::translate("chronoscope::PublishDialog", text, nullptr, n);
}
} // namespace

QString storyLine(const std::vector<QString>& types)
{
    if (types.empty())
        return {};
    // "StockReserved ×4, EmailSent": each type once, in the order they were stored.
    std::vector<std::pair<QString, int>> counts;
    for (const QString& type : types) {
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == type; });
        if (it == counts.end())
            counts.emplace_back(type, 1);
        else
            ++it->second;
    }
    QStringList parts;
    for (const auto& [type, n] : counts)
        parts << (n == 1 ? type : QStringLiteral("%1 \u00d7%2").arg(type).arg(n));
    return tr("The consumers' reactions stored %n more event(s) of this story so far: %1.", int(types.size()))
        .arg(parts.join(QStringLiteral(", ")));
}

QString expectationText(const ExpectedVersion& expected)
{
    switch (expected.kind()) {
    case ExpectedVersion::Kind::Any:
        return tr("any version");
    case ExpectedVersion::Kind::NoStream:
        return tr("no stream (a new one)");
    case ExpectedVersion::Kind::StreamExists:
        return tr("an existing stream");
    case ExpectedVersion::Kind::Exact:
        return tr("version %1").arg(expected.version().value);
    }
    return {};
}

OutcomeMessage outcomeMessage(const PublishOutcome& outcome, const QString& stream)
{
    const QString streamName = outcome.stream.isEmpty() ? stream : outcome.stream.toString();
    const QString green = style::hex(style::Colour::SuccessText);
    const QString red = style::hex(style::Colour::FailureText);
    switch (outcome.kind) {
    case PublishOutcome::Kind::Stored: {
        OutcomeMessage m {{}, {}, green};
        for (const auto& e : outcome.events)
            m.lines << tr("%1 \u2192 %2 version %3, position %4")
                           .arg(e.type, e.stream.toString())
                           .arg(e.version.value)
                           .arg(e.position.value);
        m.title = outcome.events.empty()
            ? tr("Accepted: the command decided no event, so nothing was stored.")
            : tr("Stored %n event(s); the bus is delivering them (see the Bus Monitor):",
                int(outcome.events.size()));
        return m;
    }
    case PublishOutcome::Kind::Rejected:
        return {tr("Rejected by the domain's rules; nothing was stored."), {outcome.error}, red};
    case PublishOutcome::Kind::Conflict: {
        const QString expected = outcome.expected ? expectationText(*outcome.expected) : tr("(unknown)");
        return {tr("Conflict on %1: expected %2, but the stream is at version %3. Nothing was stored.")
                    .arg(streamName, expected)
                    .arg(outcome.actual.value),
            {tr("Someone wrote to the stream since you looked. Check its events, then publish again with the "
                "expected version set to %1.")
                    .arg(outcome.actual.value)},
            style::hex(style::Colour::WarningText)};
    }
    case PublishOutcome::Kind::Invalid:
        return {tr("Not published; nothing was stored."), {outcome.error}, red};
    }
    return {};
}

} // namespace chronoscope
