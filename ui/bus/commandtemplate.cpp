#include "bus/commandtemplate.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace chronoscope {

namespace {

/// "customer, e.g. C1042" -> "C1042"; "card, paypal or bank-transfer" -> "card"; else "".
QString exampleIn(const QString& description)
{
    static const QRegularExpression eg(QStringLiteral("e\\.g\\.\\s*([^\\s,;)]+)"));
    const auto match = eg.match(description);
    if (match.hasMatch())
        return match.captured(1);
    static const QRegularExpression choices(QStringLiteral("^([\\w-]+)(?:, [\\w-]+)* or [\\w-]+$"));
    const auto choice = choices.match(description);
    return choice.hasMatch() ? choice.captured(1) : QString();
}

QString tr(const char* text)
{
    return QCoreApplication::translate("chronoscope::CommandTemplate", text);
}

} // namespace

nlohmann::json commandTemplate(const sample::CommandSpec& spec)
{
    auto data = nlohmann::json::object();
    for (const auto& field : spec.fields) {
        const QString example = exampleIn(field.description);
        const std::string name = field.name.toStdString();
        if (field.kind == QLatin1String("integer")) {
            data[name] = field.description.contains(QLatin1String("cents")) ? 100 : 1;
        } else if (field.kind == QLatin1String("stream")) {
            data[name] = (example.startsWith(field.category + QLatin1Char('-'))
                    ? example
                    : field.category + QStringLiteral("-1"))
                             .toStdString();
        } else if (field.required || !example.isEmpty()) {
            data[name] = example.toStdString();
        }
    }
    return data;
}

QString describeFields(const sample::CommandSpec& spec)
{
    QStringList lines;
    for (const auto& field : spec.fields) {
        QString kind = field.kind == QLatin1String("integer") ? tr("integer")
            : field.kind == QLatin1String("stream")           ? tr("%1 stream").arg(field.category)
                                                              : tr("text");
        lines << tr("%1 (%2, %3): %4")
                     .arg(field.name, kind, field.required ? tr("required") : tr("optional"),
                         field.description);
    }
    if (lines.isEmpty())
        lines << tr("No fields: the data is {}.");
    return lines.join(QLatin1Char('\n'));
}

} // namespace chronoscope
