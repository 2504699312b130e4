#include "json/jsondepth.h"

#include "base/errors.h"

namespace chronoscope::jsondepth {

std::optional<std::size_t> tooDeepAt(std::string_view text, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i; // the escaped character cannot end the string
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > maxDepth)
                return i;
            break;
        case ']':
        case '}':
            if (depth > 0)
                --depth;
            break;
        default:
            break;
        }
    }
    return std::nullopt;
}

QString message(const QString& what, std::size_t offset)
{
    return QStringLiteral(
        "%1 is nested deeper than %2 levels (the bound for JSON in Chronoscope), at byte %3")
        .arg(what)
        .arg(MaxDepth)
        .arg(offset);
}

void check(std::string_view text, const QString& what)
{
    if (const auto at = tooDeepAt(text))
        throw InvalidInput(message(what, *at));
}

} // namespace chronoscope::jsondepth
