#include "json/jsonscan.h"

#include "json/jsondepth.h"

#include <charconv>
#include <limits>

namespace chronoscope::jsonscan {

namespace {
constexpr int MaxDepth = jsondepth::MaxDepth; // the one bound for JSON (jsondepth.h)

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Four hex digits at p (p + 4 <= end checked by the caller); -1 when one is not hex.
int hex4(const char* p)
{
    int v = 0;
    for (int i = 0; i < 4; ++i) {
        const int h = hexValue(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

void appendUtf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xC0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xE0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (cp >> 18)));
        out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    }
}
} // namespace

bool Scanner::fail(const char* message)
{
    if (!m_error) {
        m_error = message;
        m_errorAt = m_pos;
    }
    return false;
}

void Scanner::skipWhitespace()
{
    while (m_pos < m_end && (*m_pos == ' ' || *m_pos == '\t' || *m_pos == '\n' || *m_pos == '\r'))
        ++m_pos;
}

bool Scanner::consume(char c)
{
    skipWhitespace();
    if (m_pos < m_end && *m_pos == c) {
        ++m_pos;
        return true;
    }
    return false;
}

bool Scanner::scanEscape()
{
    // m_pos is on the backslash.
    if (m_end - m_pos < 2)
        return fail("unterminated escape in string");
    switch (m_pos[1]) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        m_pos += 2;
        return true;
    case 'u':
        break;
    default:
        return fail("invalid escape in string");
    }
    if (m_end - m_pos < 6)
        return fail("incomplete \\u escape in string");
    const int cp = hex4(m_pos + 2);
    if (cp < 0)
        return fail("invalid \\u escape in string");
    m_pos += 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fail("lone low surrogate in string");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (m_end - m_pos < 6 || m_pos[0] != '\\' || m_pos[1] != 'u')
            return fail("high surrogate not followed by a low surrogate in string");
        const int low = hex4(m_pos + 2);
        if (low < 0xDC00 || low > 0xDFFF)
            return fail("high surrogate not followed by a low surrogate in string");
        m_pos += 6;
    }
    return true;
}

namespace {
/// The length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong forms, no
/// surrogates, nothing past U+10FFFF), or 0 when there is none.
int utf8SequenceLength(const unsigned char* p, std::ptrdiff_t left)
{
    const unsigned char c = p[0];
    auto cont = [&](int i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i < left && p[i] >= lo && p[i] <= hi;
    };
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c == 0xE0)
        return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED)
        return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0)
        return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
        return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4)
        return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}
} // namespace

std::optional<std::size_t> invalidUtf8At(std::string_view text)
{
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto size = std::ptrdiff_t(text.size());
    for (std::ptrdiff_t i = 0; i < size;) {
        const int length = utf8SequenceLength(p + i, size - i);
        if (length == 0)
            return std::size_t(i);
        i += length;
    }
    return std::nullopt;
}

bool Scanner::scanUtf8()
{
    const int length = utf8SequenceLength(reinterpret_cast<const unsigned char*>(m_pos), m_end - m_pos);
    if (length == 0)
        return fail("invalid UTF-8 in string");
    m_pos += length;
    return true;
}

bool Scanner::scanString(std::string_view& raw, bool& hasEscape)
{
    if (m_pos >= m_end || *m_pos != '"')
        return fail("expected a string");
    ++m_pos;
    const char* start = m_pos;
    hasEscape = false;
    for (;;) {
        while (m_pos < m_end) {
            const auto c = static_cast<unsigned char>(*m_pos);
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
                break;
            ++m_pos;
        }
        if (m_pos >= m_end)
            return fail("unterminated string");
        const auto c = static_cast<unsigned char>(*m_pos);
        if (c == '"') {
            raw = std::string_view(start, std::size_t(m_pos - start));
            ++m_pos;
            return true;
        }
        if (c == '\\') {
            hasEscape = true;
            if (!scanEscape())
                return false;
        } else if (c < 0x20) {
            return fail("control character in string (must be escaped)");
        } else if (!scanUtf8()) {
            return false;
        }
    }
}

bool Scanner::scanNumber()
{
    const char* start = m_pos;
    if (m_pos < m_end && *m_pos == '-')
        ++m_pos;
    if (m_pos >= m_end || !isDigit(*m_pos))
        return fail("invalid number");
    // Decimal magnitude of the value, to refuse what a double cannot hold (as nlohmann does).
    std::int64_t magnitude = 0;
    bool zero = false;
    if (*m_pos == '0') {
        ++m_pos;
        zero = true;
    } else {
        const char* digits = m_pos;
        while (m_pos < m_end && isDigit(*m_pos))
            ++m_pos;
        magnitude = m_pos - digits - 1;
    }
    if (m_pos < m_end && *m_pos == '.') {
        ++m_pos;
        if (m_pos >= m_end || !isDigit(*m_pos))
            return fail("invalid number: digits expected after '.'");
        const char* fraction = m_pos;
        while (m_pos < m_end && isDigit(*m_pos)) {
            if (zero && *m_pos != '0') {
                zero = false;
                magnitude = -(m_pos - fraction + 1);
            }
            ++m_pos;
        }
    }
    std::int64_t exponent = 0;
    if (m_pos < m_end && (*m_pos == 'e' || *m_pos == 'E')) {
        ++m_pos;
        bool negative = false;
        if (m_pos < m_end && (*m_pos == '+' || *m_pos == '-'))
            negative = *m_pos++ == '-';
        if (m_pos >= m_end || !isDigit(*m_pos))
            return fail("invalid number: digits expected in exponent");
        while (m_pos < m_end && isDigit(*m_pos)) {
            if (exponent < 1000000)
                exponent = exponent * 10 + (*m_pos - '0');
            ++m_pos;
        }
        if (negative)
            exponent = -exponent;
    }
    if (!zero && magnitude + exponent >= 308) {
        double value = 0;
        const auto result = std::from_chars(start, m_pos, value);
        if (result.ec == std::errc::result_out_of_range)
            return fail("number out of range");
    }
    return true;
}

bool Scanner::scanLiteral(std::string_view word)
{
    if (std::string_view(m_pos, std::size_t(m_end - m_pos)).substr(0, word.size()) != word)
        return fail("invalid literal");
    m_pos += word.size();
    return true;
}

bool Scanner::scanValue()
{
    return scanValue(0);
}

bool Scanner::scanValue(int depth)
{
    if (m_pos >= m_end)
        return fail("unexpected end of input, a value was expected");
    std::string_view raw;
    bool escaped = false;
    switch (*m_pos) {
    case '"':
        return scanString(raw, escaped);
    case 't':
        return scanLiteral("true");
    case 'f':
        return scanLiteral("false");
    case 'n':
        return scanLiteral("null");
    case '{':
    case '[':
        break;
    default:
        if (*m_pos == '-' || isDigit(*m_pos))
            return scanNumber();
        return fail("unexpected character, a value was expected");
    }
    if (depth >= MaxDepth)
        return fail("nested deeper than 512 levels");
    const bool object = *m_pos == '{';
    const char close = object ? '}' : ']';
    ++m_pos;
    if (consume(close))
        return true;
    for (;;) {
        skipWhitespace();
        if (object) {
            if (!scanString(raw, escaped))
                return false;
            if (!consume(':'))
                return fail("expected ':' after an object key");
            skipWhitespace();
        }
        if (!scanValue(depth + 1))
            return false;
        if (consume(close))
            return true;
        if (!consume(','))
            return fail(object ? "expected ',' or '}' in object" : "expected ',' or ']' in array");
    }
}

std::string decodeString(std::string_view raw)
{
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c != '\\' || i + 1 >= raw.size()) {
            out.push_back(c);
            continue;
        }
        const char e = raw[++i];
        switch (e) {
        case 'b':
            out.push_back('\b');
            break;
        case 'f':
            out.push_back('\f');
            break;
        case 'n':
            out.push_back('\n');
            break;
        case 'r':
            out.push_back('\r');
            break;
        case 't':
            out.push_back('\t');
            break;
        case 'u': {
            if (i + 5 > raw.size())
                return out;
            int cp = hex4(raw.data() + i + 1);
            i += 4;
            if (cp < 0)
                return out;
            std::uint32_t code = std::uint32_t(cp);
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 7 <= raw.size() && raw[i + 1] == '\\'
                && raw[i + 2] == 'u') {
                const int low = hex4(raw.data() + i + 3);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    code = 0x10000 + ((std::uint32_t(cp) - 0xD800) << 10) + (std::uint32_t(low) - 0xDC00);
                    i += 6;
                }
            }
            appendUtf8(out, code);
            break;
        }
        default:
            out.push_back(e);
            break;
        }
    }
    return out;
}

std::optional<std::int64_t> parseInteger(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    std::size_t i = 0;
    const bool negative = text[0] == '-';
    if (negative)
        ++i;
    if (i >= text.size() || (text[i] == '0' && text.size() > i + 1))
        return std::nullopt;
    std::uint64_t value = 0;
    const std::uint64_t limit = negative ? std::uint64_t(std::numeric_limits<std::int64_t>::max()) + 1
                                         : std::uint64_t(std::numeric_limits<std::int64_t>::max());
    for (; i < text.size(); ++i) {
        if (!isDigit(text[i]))
            return std::nullopt;
        const auto digit = std::uint64_t(text[i] - '0');
        if (value > (limit - digit) / 10)
            return std::nullopt;
        value = value * 10 + digit;
    }
    if (negative)
        return value == limit ? std::numeric_limits<std::int64_t>::min() : -std::int64_t(value);
    return std::int64_t(value);
}

bool isValidJson(std::string_view bytes)
{
    Scanner s(bytes.data(), bytes.data() + bytes.size());
    s.skipWhitespace();
    if (!s.scanValue())
        return false;
    s.skipWhitespace();
    return s.atEnd();
}

} // namespace chronoscope::jsonscan
