#include "json/jsonpointer.h"

#include <algorithm>

namespace chronoscope {

std::optional<JsonPointer> JsonPointer::parse(const std::string& text, std::string* error)
{
    JsonPointer pointer;
    if (text.empty())
        return pointer;
    if (text.front() != '/') {
        if (error)
            *error = "a JSON Pointer is empty or starts with '/'";
        return std::nullopt;
    }
    std::string token;
    for (std::size_t i = 1; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '/') {
            pointer.tokens.push_back(std::move(token));
            token.clear();
            continue;
        }
        if (text[i] != '~') {
            token += text[i];
            continue;
        }
        const char next = i + 1 < text.size() ? text[i + 1] : '\0';
        if (next != '0' && next != '1') {
            if (error)
                *error = "'~' must be followed by 0 or 1 (write ~0 for '~' and ~1 for '/')";
            return std::nullopt;
        }
        token += next == '0' ? '~' : '/';
        ++i;
    }
    return pointer;
}

JsonPointer JsonPointer::parent() const
{
    JsonPointer p = *this;
    if (!p.tokens.empty())
        p.tokens.pop_back();
    return p;
}

bool JsonPointer::isPrefixOf(const JsonPointer& other) const
{
    if (tokens.size() > other.tokens.size())
        return false;
    return std::equal(tokens.begin(), tokens.end(), other.tokens.begin());
}

std::string JsonPointer::toString() const
{
    std::string out;
    for (const auto& token : tokens) {
        out += '/';
        for (const char c : token) {
            if (c == '~')
                out += "~0";
            else if (c == '/')
                out += "~1";
            else
                out += c;
        }
    }
    return out;
}

JsonPointer JsonPointer::child(const std::string& token) const
{
    JsonPointer p = *this;
    p.tokens.push_back(token);
    return p;
}

bool isArrayIndex(const std::string& token)
{
    if (token.empty() || token.size() > 18)
        return false;
    if (token.size() > 1 && token.front() == '0')
        return false;
    return std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const nlohmann::json* JsonPointer::find(const nlohmann::json& document) const
{
    const nlohmann::json* node = &document;
    for (const auto& token : tokens) {
        if (node->is_object()) {
            const auto it = node->find(token);
            if (it == node->end())
                return nullptr;
            node = &*it;
        } else if (node->is_array()) {
            if (!isArrayIndex(token))
                return nullptr;
            const auto index = std::stoull(token);
            if (index >= node->size())
                return nullptr;
            node = &(*node)[index];
        } else {
            return nullptr;
        }
    }
    return node;
}

nlohmann::json* JsonPointer::find(nlohmann::json& document) const
{
    return const_cast<nlohmann::json*>(find(static_cast<const nlohmann::json&>(document)));
}

} // namespace chronoscope
