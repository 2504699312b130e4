// libFuzzer harness: the query-free read path of a damaged store. Seeded with small valid
// Chronoscope SQLite stores, the mutated bytes are opened read-only and everything is read:
// readAll both ways, readStream and streamInfo of every stream, readAt, typeCounts, every
// event's payload and metadata parsed, and the stories (correlation and causation, whose ids the
// mutations change) of the first and the last event. Documented errors (StoreError) are fine.

#include "fuzz/fuzzsupport.h"
#include "store/storefactory.h"
#include "story/story.h"

using namespace chronoscope;

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    fuzz::startApplication(argc, argv);
    return 0;
}

namespace {
// Bounds the work per input: a mutated header may claim millions of events.
constexpr qint64 MaxEvents = 2000;

void parseAll(const std::vector<RecordedEvent>& events)
{
    for (const auto& event : events) {
        try {
            event.dataJson();
        } catch (const StoreError&) {
        }
        try {
            event.metadataJson();
        } catch (const StoreError&) {
        }
    }
}

void readEverything(const EventStore& store)
{
    store.summary();
    store.typeCounts();
    const auto all = store.readAll(std::nullopt, MaxEvents);
    parseAll(all);
    store.readAll(std::nullopt, MaxEvents, {}, Direction::Backward);
    if (!all.empty())
        store.readAt(all.back().position);
    for (const RecordedEvent* event :
        {all.empty() ? nullptr : &all.front(), all.empty() ? nullptr : &all.back()}) {
        if (!event)
            continue;
        try {
            storyJson(storyOf(store, *event)).dump();
        } catch (const StoreError&) {
        }
    }
    for (const auto& info : store.streams()) {
        try {
            store.streamInfo(info.stream);
            parseAll(store.readStream(info.stream, std::nullopt, MaxEvents));
            store.readStream(info.stream, std::nullopt, MaxEvents, Direction::Backward);
            store.readStream(info.stream, Version(2), 3);
        } catch (const StoreError&) {
        }
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const auto path = fuzz::scratchPath(QStringLiteral("read.chronoscope"));
    fuzz::writeFile(path, fuzz::bytes(data, size));
    try {
        OpenOptions options;
        options.readOnly = true;
        const auto store = openStore(path, options);
        readEverything(*store);
    } catch (const StoreError&) {
    }
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    QFile::remove(path + QStringLiteral("-journal"));
    return 0;
}
