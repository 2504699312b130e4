#include "bus/busselector.h"

#include "base/errors.h"

namespace chronoscope {

namespace {
const QLatin1String categoryPrefix("category:");
} // namespace

BusSelector BusSelector::type(const QString& type)
{
    if (type.isEmpty())
        throw InvalidInput(QStringLiteral("bus subscription: the event type is empty"));
    return {Kind::Type, type};
}

BusSelector BusSelector::typeGlob(const QString& pattern)
{
    if (pattern.isEmpty())
        throw InvalidInput(QStringLiteral("bus subscription: the type pattern is empty"));
    if (pattern == QLatin1String("*"))
        return all();
    return {Kind::TypeGlob, pattern};
}

BusSelector BusSelector::category(const QString& category)
{
    if (category.isEmpty())
        throw InvalidInput(QStringLiteral("bus subscription: the stream category is empty"));
    if (category.contains(QLatin1Char('-')))
        throw InvalidInput(QStringLiteral("bus subscription: the stream category '%1' contains '-' (a "
                                          "category is the part of a stream id before the first '-')")
                               .arg(category));
    return {Kind::Category, category};
}

BusSelector BusSelector::parse(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed == QLatin1String("*"))
        return all();
    if (trimmed.startsWith(categoryPrefix))
        return category(trimmed.mid(categoryPrefix.size()).trimmed());
    if (trimmed.contains(QLatin1Char('*')) || trimmed.contains(QLatin1Char('?')))
        return typeGlob(trimmed);
    return type(trimmed);
}

QString BusSelector::toString() const
{
    switch (m_kind) {
    case Kind::All:
        return QStringLiteral("*");
    case Kind::Category:
        return categoryPrefix + m_pattern;
    case Kind::Type:
    case Kind::TypeGlob:
        break;
    }
    return m_pattern;
}

bool BusSelector::matches(const RecordedEvent& event) const noexcept
{
    switch (m_kind) {
    case Kind::All:
        return true;
    case Kind::Type:
        return event.type == m_pattern;
    case Kind::TypeGlob:
        return globMatches(m_pattern, event.type);
    case Kind::Category: {
        // Same rule as StreamId::category() without building a string: the category is
        // followed by the first '-' of the stream id.
        const QString& stream = event.stream.toString();
        const auto n = m_pattern.size();
        return stream.size() > n && stream.at(n) == QLatin1Char('-')
            && QStringView(stream).left(n) == m_pattern;
    }
    }
    return false;
}

bool globMatches(QStringView pattern, QStringView text) noexcept
{
    // Greedy matching with one backtrack point: the last '*' seen.
    qsizetype p = 0;
    qsizetype t = 0;
    qsizetype starP = -1;
    qsizetype starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == QLatin1Char('?') || pattern[p] == text[t])
            && pattern[p] != QLatin1Char('*')) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == QLatin1Char('*')) {
            starP = p++;
            starT = t;
        } else if (starP >= 0) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == QLatin1Char('*'))
        ++p;
    return p == pattern.size();
}

} // namespace chronoscope
