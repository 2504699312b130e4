#pragma once

// core/json: JSON below the level of events: a fast strict validator (jsonscan), the one nesting
// bound every door applies (jsondepth), JSON Pointers (jsonpointer) and memory estimates (jsonmemory).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chronoscope::jsonscan {

/// A fast, strict (RFC 8259, UTF-8 checked) JSON validator that reports where values start
/// and end, so raw bytes can be kept exactly as written. It never builds a DOM.
class Scanner {
public:
    Scanner(const char* begin, const char* end)
        : m_begin(begin)
        , m_pos(begin)
        , m_end(end)
    {
    }

    void skipWhitespace();
    bool atEnd() const { return m_pos == m_end; }
    /// Consumes `c` (after whitespace) when it is next.
    bool consume(char c);
    char peek() const { return m_pos < m_end ? *m_pos : '\0'; }
    const char* position() const { return m_pos; }

    /// Validates one string starting at '"'. On success `raw` is the text between the
    /// quotes (escapes not decoded) and `hasEscape` says whether it holds a backslash.
    bool scanString(std::string_view& raw, bool& hasEscape);
    /// Validates one value of any kind (starting at a non-blank byte).
    bool scanValue();

    /// First error met, e.g. "invalid number", and its byte offset.
    const char* error() const { return m_error; }
    std::ptrdiff_t errorOffset() const { return m_errorAt - m_begin; }

private:
    bool fail(const char* message);
    bool scanValue(int depth);
    bool scanNumber();
    bool scanLiteral(std::string_view word);
    bool scanEscape();
    bool scanUtf8();

    const char* m_begin;
    const char* m_pos;
    const char* m_end;
    const char* m_error = nullptr;
    const char* m_errorAt = nullptr;
};

/// Decodes the text between the quotes of a valid JSON string into UTF-8.
std::string decodeString(std::string_view raw);

/// Parses a JSON number that is an integer (no fraction, no exponent) fitting in 64 bits.
std::optional<std::int64_t> parseInteger(std::string_view text);

/// The byte offset of the first byte that does not start a well-formed UTF-8 sequence (overlong
/// forms, surrogates and truncated sequences included), or nullopt when all of `text` is UTF-8.
std::optional<std::size_t> invalidUtf8At(std::string_view text);

/// True when `bytes` is exactly one valid JSON value, surrounded by optional whitespace.
bool isValidJson(std::string_view bytes);

} // namespace chronoscope::jsonscan
