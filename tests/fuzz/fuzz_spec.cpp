// libFuzzer harness: given / when / then specifications (spec::parseSpec), running their cases
// against the sample domain (spec::runCase) and writing them out (toJson, toQtTest, toJest). A
// specification that parses must parse again from its own JSON with the same cases, and every
// result must be one JSON object. Documented errors (StoreError: InvalidInput) are fine.

#include "fuzz/fuzzsupport.h"
#include "spec/givenwhenthen.h"

using namespace chronoscope;

namespace {
/// The cases run per input (each appends its given events to a store in memory).
constexpr std::size_t CasesRun = 4;
} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    fuzz::startApplication(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    spec::Spec parsed;
    try {
        parsed = spec::parseSpec(fuzz::bytes(data, size));
    } catch (const StoreError&) {
        return 0;
    }
    if (parsed.cases.empty())
        std::abort(); // parseSpec refuses a specification without cases

    // Its own JSON reads back to the same cases.
    const QByteArray written = QByteArray::fromStdString(spec::toJson(parsed).dump());
    spec::Spec again;
    try {
        again = spec::parseSpec(written);
    } catch (const StoreError& e) {
        qFatal("fuzz_spec: a parsed specification does not read back: %s", qPrintable(e.message()));
    }
    if (again.cases.size() != parsed.cases.size())
        std::abort();
    for (std::size_t i = 0; i < parsed.cases.size(); ++i) {
        const spec::SpecCase& a = parsed.cases[i];
        const spec::SpecCase& b = again.cases[i];
        if (a.name != b.name || a.stream != b.stream || a.whenType != b.whenType || a.whenData != b.whenData
            || a.given.size() != b.given.size() || a.then.has_value() != b.then.has_value()
            || a.thenError != b.thenError)
            std::abort();
    }

    for (std::size_t i = 0; i < parsed.cases.size() && i < CasesRun; ++i) {
        try {
            const spec::CaseResult result = spec::runCase(parsed.cases[i]);
            if (!spec::toJson(result).is_object())
                std::abort();
            if (result.passed && !result.message.isEmpty())
                std::abort();
        } catch (const StoreError&) {
        }
    }
    if (parsed.cases.size() <= CasesRun) {
        spec::toQtTest(parsed);
        spec::toJest(parsed);
    }
    return 0;
}
