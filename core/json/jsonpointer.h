#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace chronoscope {

/// An RFC 6901 JSON Pointer split into unescaped reference tokens ("/a~1b/0" -> {"a/b", "0"}).
/// Small on purpose: upcaster rules and schema errors need lookups that never throw and
/// messages that name the pointer as the user wrote it.
struct JsonPointer {
    std::vector<std::string> tokens;

    /// Parses "" (the whole document) or "/token/...". nullopt when the text is not a pointer
    /// (no leading '/', or '~' not followed by 0 or 1); `error` then says why.
    static std::optional<JsonPointer> parse(const std::string& text, std::string* error = nullptr);

    bool isRoot() const { return tokens.empty(); }
    /// The pointer without its last token (the root's parent is the root).
    JsonPointer parent() const;
    /// True when this pointer is `other` or one of its ancestors.
    bool isPrefixOf(const JsonPointer& other) const;
    /// Back to text, escaping '~' and '/'.
    std::string toString() const;
    /// A pointer with one more token.
    JsonPointer child(const std::string& token) const;

    /// The value the pointer names, or null when a token does not resolve (a missing member,
    /// an index out of range or not a number, a scalar on the way).
    const nlohmann::json* find(const nlohmann::json& document) const;
    nlohmann::json* find(nlohmann::json& document) const;

    bool operator==(const JsonPointer&) const = default;
};

/// True when `token` is an array index as RFC 6901 writes them: "0" or digits without a
/// leading zero.
bool isArrayIndex(const std::string& token);

} // namespace chronoscope
