#include "store/streamquery.h"

#include "store/eventstore.h"

#include <QRegularExpression>

#include <algorithm>
#include <map>

namespace chronoscope {

StreamQuery::Match StreamQuery::matchFor(const QString& text)
{
    for (const QChar c : text)
        if (c == QLatin1Char('*') || c == QLatin1Char('?') || c == QLatin1Char('['))
            return Match::Glob;
    return Match::Substring;
}

StreamQuery StreamQuery::fromFilterText(const QString& text)
{
    StreamQuery query;
    QStringList words;
    static const QRegularExpression term(
        QStringLiteral("^events:(\\d{1,15})(?:(-|\\.\\.|\u2013)(\\d{1,15})?)?$"),
        QRegularExpression::CaseInsensitiveOption);
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const auto m = term.match(word);
        if (!m.hasMatch()) {
            words << word;
            continue;
        }
        query.minEvents = m.captured(1).toLongLong();
        if (m.captured(2).isEmpty())
            query.maxEvents = query.minEvents;
        else if (!m.captured(3).isEmpty())
            query.maxEvents = m.captured(3).toLongLong();
        else
            query.maxEvents.reset();
    }
    // Spaces inside the text are kept as typed when there is no term to take out.
    query.text = query.minEvents ? words.join(QLatin1Char(' ')) : text;
    query.match = matchFor(query.text);
    return query;
}

QString StreamQuery::eventsTerm(qint64 min, qint64 max)
{
    return min == max ? QStringLiteral("events:%1").arg(min)
                      : QStringLiteral("events:%1-%2").arg(min).arg(max);
}

namespace streamquery {

qsizetype globClassEnd(const QString& pattern, qsizetype open)
{
    qsizetype i = open + 1;
    if (i < pattern.size() && pattern[i] == QLatin1Char('^'))
        ++i;
    if (i < pattern.size())
        ++i; // the first member, ']' included
    while (i < pattern.size() && pattern[i] != QLatin1Char(']'))
        ++i;
    return i < pattern.size() ? i : -1;
}

namespace {

/// Matches one class "[...]" at pattern[p] (p at '['); returns the index past ']' and whether
/// c is in it, or nullopt when the class is not closed (then '[' is a literal).
std::optional<std::pair<qsizetype, bool>> matchClass(const QString& pattern, qsizetype p, QChar c)
{
    const qsizetype end = globClassEnd(pattern, p);
    if (end < 0)
        return std::nullopt;
    qsizetype i = p + 1;
    const bool negate = pattern[i] == QLatin1Char('^');
    if (negate)
        ++i;
    bool found = false;
    // A range's high end is never the closing ']', so a range ends before `end`.
    while (i < end) {
        const QChar low = pattern[i];
        if (i + 2 < end && pattern[i + 1] == QLatin1Char('-')) {
            if (c >= low && c <= pattern[i + 2])
                found = true;
            i += 3;
        } else {
            if (c == low)
                found = true;
            ++i;
        }
    }
    return std::pair {end + 1, found != negate};
}

} // namespace

bool globMatch(const QString& pattern, const QString& text)
{
    qsizetype p = 0, t = 0;
    qsizetype starP = -1, starT = 0;
    while (t < text.size()) {
        if (p < pattern.size()) {
            const QChar pc = pattern[p];
            if (pc == QLatin1Char('*')) {
                starP = p++;
                starT = t;
                continue;
            }
            if (pc == QLatin1Char('?')) {
                ++p;
                ++t;
                continue;
            }
            if (pc == QLatin1Char('[')) {
                if (const auto cls = matchClass(pattern, p, text[t])) {
                    if (cls->second) {
                        p = cls->first;
                        ++t;
                        continue;
                    }
                } else if (text[t] == pc) {
                    ++p;
                    ++t;
                    continue;
                }
            } else if (text[t] == pc) {
                ++p;
                ++t;
                continue;
            }
        }
        if (starP < 0)
            return false;
        p = starP + 1;
        t = ++starT;
    }
    while (p < pattern.size() && pattern[p] == QLatin1Char('*'))
        ++p;
    return p == pattern.size();
}

bool idBefore(const StreamId& a, const StreamId& b)
{
    return a.toString().toUtf8() < b.toString().toUtf8();
}

bool matches(const StreamQuery& query, const StreamInfo& info)
{
    const QString id = info.stream.toString();
    if (query.category && info.stream.category() != *query.category)
        return false;
    if ((query.minEvents && info.events < *query.minEvents)
        || (query.maxEvents && info.events > *query.maxEvents))
        return false;
    if (query.text.isEmpty())
        return true;
    switch (query.match) {
    case StreamQuery::Match::Prefix:
        return id.startsWith(query.text);
    case StreamQuery::Match::Substring:
        return id.contains(query.text, Qt::CaseInsensitive);
    case StreamQuery::Match::Glob:
        return globMatch(query.text, id);
    }
    return false;
}

const char* sortColumn(StreamQuery::Sort sort)
{
    switch (sort) {
    case StreamQuery::Sort::Id:
        return nullptr;
    case StreamQuery::Sort::Version:
        return "version";
    case StreamQuery::Sort::Events:
        return "events";
    case StreamQuery::Sort::LastEvent:
        return "last_position";
    }
    return nullptr;
}

qint64 sortKey(StreamQuery::Sort sort, const StreamInfo& info)
{
    switch (sort) {
    case StreamQuery::Sort::Id:
        return 0;
    case StreamQuery::Sort::Version:
        return info.version.value;
    case StreamQuery::Sort::Events:
        return info.events;
    case StreamQuery::Sort::LastEvent:
        return info.lastPosition.value;
    }
    return 0;
}

bool before(const StreamQuery& query, const StreamInfo& a, const StreamInfo& b)
{
    const auto ka = sortKey(query.sort, a), kb = sortKey(query.sort, b);
    const auto less = ka != kb ? ka < kb : idBefore(a.stream, b.stream);
    const auto greater = ka != kb ? ka > kb : idBefore(b.stream, a.stream);
    return query.descending ? greater : less;
}

std::vector<StreamInfo> page(std::vector<StreamInfo> all, const StreamQuery& query,
    const std::optional<StreamInfo>& after, qint64 limit)
{
    std::erase_if(
        all, [&](const StreamInfo& s) { return !matches(query, s) || (after && !before(query, *after, s)); });
    const auto n = std::min<qint64>(qint64(all.size()), std::max<qint64>(limit, 0));
    std::partial_sort(all.begin(), all.begin() + n, all.end(),
        [&](const StreamInfo& a, const StreamInfo& b) { return before(query, a, b); });
    all.resize(std::size_t(n));
    return all;
}

bool answeredByIndex(const StreamQuery& query)
{
    if (query.minEvents || query.maxEvents)
        return false; // checked along the index
    if (query.text.isEmpty() || query.match == StreamQuery::Match::Prefix)
        return true;
    if (query.match == StreamQuery::Match::Substring)
        return false;
    const QChar first = query.text.front();
    return first != QLatin1Char('*') && first != QLatin1Char('?') && first != QLatin1Char('[');
}

std::vector<StreamInfo> firstStreams(
    const EventStore& store, const StreamQuery& query, qint64 want, bool* more)
{
    std::vector<StreamInfo> out;
    std::optional<StreamInfo> after;
    *more = true;
    while (qint64(out.size()) < want) {
        const qint64 ask = std::min<qint64>(want - qint64(out.size()), 4096);
        const auto page = store.streamPage(query, after, ask);
        out.insert(out.end(), page.begin(), page.end());
        if (qint64(page.size()) < ask) {
            *more = false;
            break;
        }
        after = page.back();
    }
    return out;
}

std::vector<CategoryInfo> categories(const std::vector<StreamInfo>& all)
{
    std::map<QString, CategoryInfo> byName;
    for (const auto& s : all) {
        auto& c = byName[s.stream.category()];
        c.streams += 1;
        c.events += s.events;
    }
    std::vector<CategoryInfo> out;
    out.reserve(byName.size());
    for (auto& [name, c] : byName) {
        c.category = name;
        if (!name.isEmpty())
            out.push_back(c);
    }
    if (const auto none = byName.find(QString()); none != byName.end())
        out.push_back(none->second);
    return out;
}

} // namespace streamquery

} // namespace chronoscope
