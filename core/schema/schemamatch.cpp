#include "schema/schemamatch.h"

#include <regex>
#include <stdexcept>
#include <unordered_map>

namespace chronoscope::schemamatch {

namespace {

constexpr std::size_t kMaxCachedPatterns = 256;

const std::regex& compiled(const std::string& pattern)
{
    thread_local std::unordered_map<std::string, std::regex> cache;
    if (const auto it = cache.find(pattern); it != cache.end())
        return it->second;
    if (cache.size() >= kMaxCachedPatterns)
        cache.clear();
    // libstdc++'s polynomial mode: a Thompson NFA, no recursion per character, no exponential
    // backtracking. Compiled alone first, so a pattern that is not balanced cannot escape the
    // wrapper below; the wrapper makes one search from the start decide (libstdc++ would
    // otherwise restart the NFA at every position: quadratic time).
    const auto flags = std::regex::ECMAScript | std::regex_constants::__polynomial;
    try {
        const std::regex alone(pattern, flags);
        (void)alone;
        return cache.emplace(pattern, std::regex("^[\\s\\S]*?(?:" + pattern + ")", flags)).first->second;
    } catch (const std::regex_error& e) {
        const bool backReference = e.code() == std::regex_constants::error_backref
            || std::string(e.what()).find("back-reference") != std::string::npos;
        throw std::runtime_error("the pattern '" + pattern + "' "
            + (backReference ? std::string("uses a back-reference, which the linear-time matcher "
                                           "that checks patterns does not support")
                             : std::string("is not a valid regular expression: ") + e.what()));
    }
}

bool digits(const std::string& s, std::size_t from, std::size_t count)
{
    if (from + count > s.size())
        return false;
    for (std::size_t i = from; i < from + count; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

int number(const std::string& s, std::size_t from, std::size_t count)
{
    int n = 0;
    for (std::size_t i = from; i < from + count; ++i)
        n = n * 10 + (s[i] - '0');
    return n;
}

bool dayInMonth(int month, int day)
{
    if (month < 1 || month > 12 || day < 1)
        return false;
    if (month == 2)
        return day <= 29;
    const int limit = (month <= 7) == (month % 2 == 1) ? 31 : 30;
    return day <= limit;
}

/// [0-9]+ "-" MM "-" DD at `from`; `end` is where it stops.
bool date(const std::string& s, std::size_t from, std::size_t& end)
{
    std::size_t i = from;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i;
    if (i == from || i + 6 > s.size() || s[i] != '-' || !digits(s, i + 1, 2) || s[i + 3] != '-'
        || !digits(s, i + 4, 2))
        return false;
    end = i + 6;
    return dayInMonth(number(s, i + 1, 2), number(s, i + 4, 2));
}

/// HH:MM:SS(.frac)?(Z|±HH:MM) from `from` to the end of `s`.
bool time(const std::string& s, std::size_t from)
{
    std::size_t i = from;
    if (!digits(s, i, 2) || s.size() < i + 8 || s[i + 2] != ':' || !digits(s, i + 3, 2) || s[i + 5] != ':'
        || !digits(s, i + 6, 2))
        return false;
    if (number(s, i, 2) > 23 || number(s, i + 3, 2) > 59 || number(s, i + 6, 2) > 60)
        return false;
    i += 8;
    if (i < s.size() && s[i] == '.') {
        const std::size_t start = ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == start)
            return false;
    }
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z'))
        return i + 1 == s.size();
    // valijson's expression accepts '|' as an offset sign too ([\+|\-]); kept for the same answers.
    if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == '|'))
        return s.size() == i + 6 && digits(s, i + 1, 2) && s[i + 3] == ':' && digits(s, i + 4, 2)
            && number(s, i + 1, 2) <= 23 && number(s, i + 4, 2) <= 59;
    return false;
}

} // namespace

bool search(const std::string& pattern, const std::string& text)
{
    return std::regex_search(text, compiled(pattern));
}

bool isDate(const std::string& text)
{
    std::size_t end = 0;
    return date(text, 0, end) && end == text.size();
}

bool isTime(const std::string& text)
{
    return time(text, 0);
}

bool isDateTime(const std::string& text)
{
    std::size_t end = 0;
    return date(text, 0, end) && end < text.size() && (text[end] == 'T' || text[end] == 't')
        && time(text, end + 1);
}

} // namespace chronoscope::schemamatch

namespace {

template<typename Adapter>
bool checkPattern(const Adapter& target, bool strictTypes, const std::string& pattern,
    valijson::ValidationResults* results, const std::vector<std::string>& context)
{
    if ((strictTypes && !target.isString()) || !target.maybeString())
        return true;
    if (chronoscope::schemamatch::search(pattern, target.asString()))
        return true;
    if (results)
        results->pushError(context, "Failed to match regex specified by 'pattern' constraint.");
    return false;
}

template<typename Adapter>
bool checkFormat(const Adapter& target, const std::string& format, valijson::ValidationResults* results,
    const std::vector<std::string>& context)
{
    if (!target.maybeString())
        return true; // formats apply to strings only
    const std::string s = target.asString();
    bool ok = true;
    const char* message = nullptr;
    if (format == "date") {
        ok = chronoscope::schemamatch::isDate(s);
        message = "String should be a valid date";
    } else if (format == "time") {
        ok = chronoscope::schemamatch::isTime(s);
        message = "String should be a valid time";
    } else if (format == "date-time") {
        ok = chronoscope::schemamatch::isDateTime(s);
        message = "String should be a valid date-time";
    }
    if (!ok && results)
        results->pushError(context, message);
    return ok;
}

} // namespace

namespace valijson {

template<>
bool ValidationVisitor<adapters::NlohmannJsonAdapter>::visit(const constraints::PatternConstraint& constraint)
{
    return checkPattern(
        m_target, m_strictTypes, constraint.getPattern<std::string::allocator_type>(), m_results, m_context);
}

template<>
bool ValidationVisitor<adapters::NlohmannJsonAdapter>::visit(const constraints::FormatConstraint& constraint)
{
    return checkFormat(m_target, constraint.getFormat(), m_results, m_context);
}

template<>
bool ValidationVisitor<adapters::StdStringAdapter>::visit(const constraints::PatternConstraint& constraint)
{
    return checkPattern(
        m_target, m_strictTypes, constraint.getPattern<std::string::allocator_type>(), m_results, m_context);
}

template<>
bool ValidationVisitor<adapters::StdStringAdapter>::visit(const constraints::FormatConstraint& constraint)
{
    return checkFormat(m_target, constraint.getFormat(), m_results, m_context);
}

template<>
template<>
bool ValidationVisitor<adapters::NlohmannJsonAdapter>::ValidatePatternPropertySubschemas::operator()(
    const std::basic_string<char, std::char_traits<char>, internal::CustomAllocator<char>>& patternProperty,
    const Subschema* subschema) const
{
    // valijson's own loop, with the bounded search in place of std::regex_search.
    const std::string pattern(patternProperty.c_str());
    bool matchFound = false;
    for (const auto m : m_object) {
        if (!chronoscope::schemamatch::search(pattern, m.first))
            continue;
        matchFound = true;
        if (m_propertiesMatched)
            m_propertiesMatched->insert(m.first);
        std::vector<std::string> newContext = m_context;
        newContext.push_back("[" + m.first + "]");
        ValidationVisitor validator(m.second, newContext, m_strictTypes, m_results, m_regexesCache);
        if (validator.validateSchema(*subschema))
            continue;
        if (m_results)
            m_results->pushError(
                m_context, "Failed to validate against schema associated with pattern '" + pattern + "'.");
        if (m_validated)
            *m_validated = false;
        if (!m_continueOnFailure)
            return false;
    }
    if (!matchFound && !m_continueIfUnmatched)
        return false;
    return m_continueOnSuccess;
}

} // namespace valijson
