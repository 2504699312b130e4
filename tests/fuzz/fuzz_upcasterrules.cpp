// libFuzzer harness: declarative upcaster rules (upcasterrules::parse) and applying them. The
// input is a rule file, optionally followed by the separator and a payload; every rule that
// loads is applied to events of its type and version with that payload and with a few fixed
// ones. Documented errors (StoreError: InvalidInput, UpcastError) are fine.

#include "fuzz/fuzzsupport.h"
#include "upcast/upcaster.h"
#include "upcast/upcasterrules.h"

using namespace chronoscope;

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    fuzz::startApplication(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto [rules, payload] = fuzz::split(fuzz::bytes(data, size));
    std::vector<std::shared_ptr<const UpcastStep>> steps;
    try {
        steps = upcasterrules::parse(rules, QStringLiteral("rules.json"));
    } catch (const StoreError&) {
        return 0;
    }

    UpcasterChain chain;
    for (const auto& step : steps) {
        try {
            chain.add(step);
        } catch (const StoreError&) {
        }
    }

    static const QByteArray fixed[] = {
        QByteArrayLiteral(R"({"qty":"3","price":1.5,"legacy":true,"sku":"A-1","pricing":{"amount":2}})"),
        QByteArrayLiteral(R"({"quantity":2.5,"flag":"yes","list":[1,"2",null],"nested":{"a":{"b":[]}}})"),
        QByteArrayLiteral(R"([1,2,3])"),
        QByteArrayLiteral("null"),
        QByteArrayLiteral("not json"),
        QByteArrayLiteral(R"({"n":1e308,"m":-9223372036854775808,"u":18446744073709551615,"s":"\u00e9"})"),
    };
    std::vector<RecordedEvent> events;
    qint64 position = 0;
    for (const auto& step : chain.steps()) {
        auto add = [&](const QByteArray& bytes) {
            RecordedEvent e;
            e.position = Position(++position);
            e.stream = StreamId(QStringLiteral("fuzz-1"));
            e.version = Version(position);
            e.type = step->type();
            e.schemaVersion = step->from();
            e.data = bytes;
            events.push_back(std::move(e));
        };
        if (!payload.isEmpty())
            add(payload);
        for (const auto& bytes : fixed)
            add(bytes);
    }
    for (const auto& event : events) {
        try {
            chain.upcast(event).dataJson();
        } catch (const StoreError&) {
        }
    }
    chain.inspect(events);
    try {
        chain.upcast(events);
    } catch (const StoreError&) {
    }
    return 0;
}
