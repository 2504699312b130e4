#include "bench/streamlist.h"

#include "bench/figure.h"
#include "store/storefactory.h"
#include "streams/categorytreemodel.h"
#include "streams/streamlistmodel.h"

#include <chrono>
#include <cstdio>
#include <string>

namespace chronoscope::bench {

namespace {

using Clock = std::chrono::steady_clock;

} // namespace

void runStreamListBenchmark(const QString& path)
{
    auto store = openStore(path, {.readOnly = true});
    CategoryTreeModel tree;
    auto start = Clock::now();
    tree.setStore(store.get());
    figure("streams_tree_categories_ms", msSince(start), "ms");
    const auto all = tree.allStreamsIndex();
    figure(
        "streams_total", all.siblingAtColumn(CategoryTreeModel::StreamsColumn).data().toDouble(), "streams");

    StreamListModel list;
    start = Clock::now();
    list.setStore(store.get());
    figure("streams_list_first_page_ms", msSince(start), "ms");

    start = Clock::now();
    for (int i = 0; i < 100 && list.canFetchMore({}); ++i)
        list.fetchMore({});
    figure("streams_list_next_100_pages_ms_per_page", msSince(start) / 100.0, "ms");

    const std::pair<int, const char*> orders[] = {{StreamListModel::VersionColumn, "version"},
        {StreamListModel::EventsColumn, "events"}, {StreamListModel::LastTimestampColumn, "last"}};
    for (const auto& [column, name] : orders) {
        start = Clock::now();
        list.sort(column, Qt::DescendingOrder);
        figure(std::string("streams_sort_") + name + "_desc_first_page_ms", msSince(start), "ms");
    }
    list.sort(StreamListModel::StreamColumn, Qt::AscendingOrder);

    const std::pair<const char*, const char*> filters[] = {{"cart-19999", "substring_rare"},
        {"order-12*", "glob_prefix"}, {"*-7?7", "glob_any"}, {"no-such-stream", "substring_miss"}};
    for (const auto& [text, name] : filters) {
        start = Clock::now();
        list.setText(QString::fromLatin1(text));
        figure(std::string("streams_filter_") + name + "_ms", msSince(start), "ms");
        figure(std::string("streams_filter_") + name + "_rows", list.rowCount(), "rows");
    }
    list.setText({});

    // The largest category's last stream by id: the tree reads pages until it is there.
    QModelIndex largest;
    for (int row = 0; row < tree.rowCount(all); ++row) {
        const auto c = tree.index(row, CategoryTreeModel::StreamsColumn, all);
        if (!largest.isValid() || c.data().toLongLong() > largest.data().toLongLong())
            largest = c;
    }
    if (largest.isValid()) {
        StreamQuery last;
        last.category = largest.siblingAtColumn(0).data(CategoryTreeModel::CategoryRole).toString();
        last.descending = true;
        const auto page = store->streamPage(last, std::nullopt, 1);
        if (!page.empty()) {
            start = Clock::now();
            const auto index = tree.loadStream(page.front().stream, 1 << 20);
            figure("streams_tree_load_last_of_largest_ms", msSince(start), "ms");
            figure("streams_tree_load_last_of_largest_row", index.row(), "row");
        }
    }

    // The peer in the same run: reading every stream, as the window did before paging.
    start = Clock::now();
    const auto everything = store->streams();
    figure("streams_read_all_ms", msSince(start), "ms");
    figure("streams_read_all_rows", double(everything.size()), "streams");
}

} // namespace chronoscope::bench
