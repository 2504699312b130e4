// libFuzzer harness: Redux DevTools and KurrentDB imports (foreignimports) on any bytes:
// detect() on a device, both parsers on the bytes, and, for content detected as one of them,
// the import from a file into a store. Documented errors (StoreError) are fine.

#include "formats/foreignimports.h"
#include "fuzz/fuzzsupport.h"
#include "store/memoryeventstore.h"

#include <QBuffer>

using namespace chronoscope;

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    fuzz::startApplication(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto input = fuzz::bytes(data, size);
    QBuffer device(&input);
    device.open(QIODevice::ReadOnly);
    const auto kind = foreignimports::detect(device);

    foreignimports::Options options;
    options.nowMs = 1700000000000;
    try {
        foreignimports::parseRedux(input, QStringLiteral("state.json"), options);
    } catch (const StoreError&) {
    }
    try {
        foreignimports::parseKurrent(input, QStringLiteral("events.json"), options);
    } catch (const StoreError&) {
    }
    if (kind == foreignimports::Kind::None)
        return 0;

    static const auto path = fuzz::scratchPath(QStringLiteral("foreign.json"));
    fuzz::writeFile(path, input);
    try {
        MemoryEventStore store;
        foreignimports::importFile(path, kind, store, options);
        store.readAll(std::nullopt, 1000, {}, Direction::Forward);
    } catch (const StoreError&) {
    }
    try {
        const auto opened = foreignimports::openInMemory(path, kind, options);
        opened->summary();
        opened->streams();
    } catch (const StoreError&) {
    }
    return 0;
}
