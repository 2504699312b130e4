// libFuzzer harness: the JSON scanner (jsonscan) and its helpers on any bytes. When
// isValidJson() accepts a text, nlohmann::json::accept() must accept it too (the store keeps
// bytes the scanner passed, and reads them back with nlohmann): a disagreement aborts.

#include "fuzz/fuzzsupport.h"
#include "json/jsondepth.h"
#include "json/jsonscan.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

using namespace chronoscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    const bool valid = jsonscan::isValidJson(text);
    if (valid && !nlohmann::json::accept(text.begin(), text.end())) {
        std::fprintf(stderr, "fuzz_jsonscan: isValidJson accepts what nlohmann::json::accept refuses\n");
        std::abort();
    }

    // The scanner by hand: a value, then (like the JSON Lines reader) an object's members.
    jsonscan::Scanner scanner(text.data(), text.data() + text.size());
    scanner.skipWhitespace();
    if (scanner.peek() == '{') {
        scanner.consume('{');
        while (!scanner.atEnd()) {
            scanner.skipWhitespace();
            std::string_view raw;
            bool hasEscape = false;
            if (scanner.peek() != '"' || !scanner.scanString(raw, hasEscape))
                break;
            const auto decoded = jsonscan::decodeString(raw);
            if (!hasEscape && decoded != raw)
                std::abort(); // a string without escapes decodes to itself
            if (!scanner.consume(':'))
                break;
            scanner.skipWhitespace();
            const char* start = scanner.position();
            if (!scanner.scanValue())
                break;
            const std::string_view value(start, std::size_t(scanner.position() - start));
            jsonscan::parseInteger(value);
            if (!scanner.consume(','))
                break;
        }
    } else if (!scanner.atEnd()) {
        scanner.scanValue();
    }
    if (scanner.error())
        (void)scanner.errorOffset();

    if (const auto at = jsonscan::invalidUtf8At(text); at && *at >= size)
        std::abort();
    if (const auto at = jsondepth::tooDeepAt(text); at && *at >= size)
        std::abort();
    jsonscan::parseInteger(text);
    return 0;
}
