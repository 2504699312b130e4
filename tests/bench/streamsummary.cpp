#include "bench/streamsummary.h"

#include "bench/figure.h"
#include "store/foreigneventstore.h"
#include "store/storefactory.h"
#include "store/summarizedeventstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTemporaryDir>

#include <chrono>

namespace chronoscope::bench {

namespace {

std::unique_ptr<ForeignEventStore> openForeign(const QString& path)
{
    OpenOptions readOnly;
    readOnly.readOnly = true;
    auto store = openStore(path, readOnly);
    auto foreign = takeForeign(store);
    if (!foreign)
        throw InvalidInput(QStringLiteral("stream summary benchmark: '%1' is not a foreign store").arg(path));
    return foreign;
}

/// Builds the summary and waits for it; returns ms.
double buildOnce(const QString& path, const QString& cacheDir, std::size_t* streams)
{
    SummarizedEventStore store(openForeign(path), cacheDir);
    QEventLoop loop;
    bool failed = false;
    QObject::connect(&store, &SummarizedEventStore::summaryReady, &loop, &QEventLoop::quit);
    QObject::connect(&store, &SummarizedEventStore::summaryFailed, &loop, [&] {
        failed = true;
        loop.quit();
    });
    const auto start = std::chrono::steady_clock::now();
    store.start();
    if (!store.isReady())
        loop.exec();
    const double ms = msSince(start);
    if (failed)
        throw StoreError(QStringLiteral("stream summary benchmark: the summary failed"));
    *streams = store.streams().size();
    return ms;
}

} // namespace

void runStreamSummaryBenchmark(const QString& path)
{
    if (path.isEmpty())
        throw InvalidInput(QStringLiteral("--only summary needs --store PATH (an Emmett or Marten store)"));
    const auto inner = openForeign(path);
    auto start = std::chrono::steady_clock::now();
    const auto listed = inner->streams();
    figure("summary_store_lists_streams_ms", msSince(start), "ms");
    start = std::chrono::steady_clock::now();
    const auto totals = inner->summary();
    figure("summary_store_counts_totals_ms", msSince(start), "ms");
    figure("summary_streams", double(listed.size()), "streams");
    figure("summary_events", double(totals.events), "events");
    QTemporaryDir cache;
    std::size_t streams = 0;
    figure("summary_build_ms", buildOnce(path, cache.path(), &streams), "ms");
    if (streams != listed.size())
        throw StoreError(
            QStringLiteral("stream summary benchmark: the summary lists another number of streams"));
    figure("summary_from_cache_ms", buildOnce(path, cache.path(), &streams), "ms");
}

} // namespace chronoscope::bench
