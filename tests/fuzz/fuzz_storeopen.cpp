// libFuzzer harness: opening a file of any bytes as a store (openStore, read-only), as the
// window and the CLI do with a file a user picks: format detection, then the reader of that
// format (our SQLite store, Emmett's, JSON Lines, Redux DevTools, KurrentDB), summary() and
// streams(). Documented errors (StoreError: OpenError, InvalidInput...) are fine.

#include "fuzz/fuzzsupport.h"
#include "store/storefactory.h"

using namespace chronoscope;

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    fuzz::startApplication(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const auto path = fuzz::scratchPath(QStringLiteral("store"));
    fuzz::writeFile(path, fuzz::bytes(data, size));
    try {
        OpenOptions options;
        options.readOnly = true;
        const auto store = openStore(path, options);
        store->summary();
        store->streams();
    } catch (const StoreError&) {
    }
    // A mutated SQLite header may ask for a write-ahead log: leave nothing for the next input.
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    QFile::remove(path + QStringLiteral("-journal"));
    return 0;
}
