// libFuzzer harness: the JSON Lines parser (jsonlines::parse) on any bytes, then an import of
// what it accepted into a store and a round trip through toLine. Documented errors
// (StoreError) are fine; anything else, or a round trip that changes an event, is a finding.

#include "formats/jsonlines.h"
#include "fuzz/fuzzsupport.h"
#include "store/memoryeventstore.h"

#include <QBuffer>

#include <cstdlib>

using namespace chronoscope;

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    fuzz::startApplication(argc, argv);
    return 0;
}

namespace {
// toLine writes missing metadata as {}.
bool sameMetadata(const QByteArray& a, const QByteArray& b)
{
    return a == b || (a.trimmed().isEmpty() && b == "{}");
}

const char* difference(const RecordedEvent& a, const RecordedEvent& b)
{
    if (a.position != b.position)
        return "position";
    if (a.stream != b.stream)
        return "stream";
    if (a.version != b.version)
        return "version";
    if (a.id != b.id)
        return "id";
    if (a.type != b.type)
        return "type";
    if (a.schemaVersion != b.schemaVersion)
        return "schemaVersion";
    if (a.timestampMs != b.timestampMs)
        return "timestamp";
    if (a.data != b.data)
        return "data";
    if (!sameMetadata(a.metadata, b.metadata))
        return "metadata";
    return nullptr;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto input = fuzz::bytes(data, size);
    QBuffer device(&input);
    device.open(QIODevice::ReadOnly);
    std::vector<RecordedEvent> events;
    try {
        events = jsonlines::parse(device, QStringLiteral("fuzz.jsonl"), 1700000000000);
    } catch (const StoreError&) {
        return 0;
    }

    MemoryEventStore store;
    try {
        store.importRecorded(events);
    } catch (const StoreError&) {
    }

    // What the parser accepted, written back as lines, reads back the same.
    QByteArray lines;
    for (const auto& event : events)
        lines += jsonlines::toLine(event) + '\n';
    QBuffer again(&lines);
    again.open(QIODevice::ReadOnly);
    std::vector<RecordedEvent> reread;
    try {
        reread = jsonlines::parse(again, QStringLiteral("again.jsonl"), 0);
    } catch (const StoreError& e) {
        qFatal("fuzz_jsonlines: a written line does not parse: %s", e.what());
    }
    if (reread.size() != events.size())
        qFatal("fuzz_jsonlines: %zu events written, %zu read back", events.size(), reread.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (const char* field = difference(events[i], reread[i]))
            qFatal("fuzz_jsonlines: the %s of event %zu changed in a round trip: %s", field, i,
                lines.constData());
    }
    return 0;
}
