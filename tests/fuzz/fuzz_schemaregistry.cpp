// libFuzzer harness: the schema registry. The input is a JSON Schema, the separator, then a
// payload; the schema is loaded from a folder (SchemaRegistry::loadFolder, as the CLI and the
// window do) and the payload validated against it, as a stored event and as an append.
// Documented errors (StoreError: InvalidInput, OpenError, SchemaViolationError) are fine.

#include "fuzz/fuzzsupport.h"
#include "schema/schemaregistry.h"

using namespace chronoscope;

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    fuzz::startApplication(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto [schema, payload] = fuzz::split(fuzz::bytes(data, size));
    static const auto folder = [] {
        const auto path = fuzz::scratchPath(QStringLiteral("schemas"));
        QDir().mkpath(path);
        return path;
    }();
    fuzz::writeFile(QDir(folder).filePath(QStringLiteral("Fuzz.v1.schema.json")), schema);

    std::shared_ptr<SchemaRegistry> registry;
    try {
        registry = SchemaRegistry::loadFolder(folder);
    } catch (const StoreError&) {
        return 0;
    }

    RecordedEvent event;
    event.position = Position(1);
    event.stream = StreamId(QStringLiteral("fuzz-1"));
    event.version = Version(1);
    event.type = QStringLiteral("Fuzz");
    event.data = payload;
    registry->validate(event).summary();

    EventData append;
    append.type = event.type;
    append.data = payload;
    try {
        registry->checkAppend(event.stream, {append}, true);
    } catch (const StoreError&) {
    }
    return 0;
}
