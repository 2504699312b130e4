#include "cli/cli.h"
#include "store/recordedevent.h"

#include <cstdio>

namespace chronoscope::cli {

Command::Command(const QString& name, const QString& description,
    const QList<QPair<QString, QString>>& positionals, const QList<QPair<QString, QString>>& optional)
    : m_name(name)
{
    m_parser.setApplicationDescription(description);
    m_parser.addHelpOption();
    QString syntax = name;
    for (const auto& p : positionals)
        syntax += QLatin1Char(' ') + p.first;
    QStringList optionalNames;
    for (const auto& p : optional)
        optionalNames << p.first;
    if (!optionalNames.isEmpty())
        syntax += QStringLiteral(" [%1]").arg(optionalNames.join(QLatin1Char(' ')));
    // The sub-command's name is the first positional argument; the usage line shows it.
    m_parser.addPositionalArgument(name, QStringLiteral("The sub-command."), syntax);
    for (const auto& p : positionals) {
        m_positionalNames.append(p.first);
        m_parser.addPositionalArgument(p.first, p.second, QString(u' '));
    }
    for (const auto& p : optional) {
        m_optionalNames.append(p.first);
        m_parser.addPositionalArgument(p.first, p.second, QString(u' '));
    }
}

void Command::addOption(const QString& name, const QString& description, const QString& valueName)
{
    m_parser.addOption(QCommandLineOption(name, description, valueName));
}

bool Command::parse(const QStringList& arguments)
{
    if (!m_parser.parse(arguments))
        throw UsageError(m_parser.errorText());
    if (m_parser.isSet(QStringLiteral("help"))) {
        const auto help = m_parser.helpText().toUtf8();
        std::fwrite(help.constData(), 1, std::size_t(help.size()), stdout);
        return false;
    }
    m_positionals = m_parser.positionalArguments().mid(1);
    const QStringList names = m_positionalNames + m_optionalNames;
    // The required ones, or all of them.
    const auto given = m_positionals.size();
    const auto expected = given > m_positionalNames.size() ? names.size() : m_positionalNames.size();
    if (given < expected)
        throw UsageError(QStringLiteral("%1: missing %2")
                             .arg(m_name, names.mid(given, expected - given).join(QLatin1Char(' '))));
    if (given > expected)
        throw UsageError(
            QStringLiteral("%1: unexpected argument '%2'").arg(m_name, m_positionals.at(expected)));
    return true;
}

QString Command::required(const QString& option) const
{
    if (!m_parser.isSet(option))
        throw UsageError(QStringLiteral("%1: the option --%2 is required").arg(m_name, option));
    const auto v = m_parser.value(option);
    if (v.trimmed().isEmpty())
        throw UsageError(QStringLiteral("%1: --%2 is empty").arg(m_name, option));
    return v;
}

std::optional<qint64> Command::integer(const QString& option, qint64 min) const
{
    if (!m_parser.isSet(option))
        return std::nullopt;
    const auto text = m_parser.value(option);
    bool ok = false;
    const auto n = text.trimmed().toLongLong(&ok);
    if (!ok)
        throw UsageError(QStringLiteral("%1: --%2 '%3' is not a whole number").arg(m_name, option, text));
    if (n < min)
        throw UsageError(
            QStringLiteral("%1: --%2 %3 is below the minimum of %4").arg(m_name, option, text).arg(min));
    return n;
}

std::optional<qint64> Command::time(const QString& option) const
{
    if (!m_parser.isSet(option))
        return std::nullopt;
    const auto text = m_parser.value(option);
    const auto ms = parseTimestamp(text);
    if (!ms)
        throw UsageError(QStringLiteral("%1: --%2 '%3' is not an ISO-8601 date and time "
                                        "(e.g. 2026-01-05T10:00:00Z)")
                             .arg(m_name, option, text));
    return ms;
}

void Command::exclusive(const QString& a, const QString& b) const
{
    if (m_parser.isSet(a) && m_parser.isSet(b))
        throw UsageError(QStringLiteral("%1: --%2 and --%3 cannot be used together").arg(m_name, a, b));
}

} // namespace chronoscope::cli
