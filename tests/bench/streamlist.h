#pragma once

#include <QString>

namespace chronoscope::bench {

/// The window's stream list and category tree over a store of any size, through the same
/// StreamListModel and CategoryTreeModel: the tree's categories, the list's first page, pages
/// further on, each order, filters (a rare substring, a glob, a substring nothing matches: the
/// worst case, every id checked), a stream deep in the largest category; next to what the
/// window did before paging (EventStore::streams(): every stream read), in the same run.
void runStreamListBenchmark(const QString& store);

} // namespace chronoscope::bench
