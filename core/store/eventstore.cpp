#include "store/eventstore.h"

#include "store/appendnotifier.h"

namespace chronoscope {

EventStore::~EventStore() = default;

std::vector<StreamInfo> EventStore::streamPage(
    const StreamQuery& query, const std::optional<StreamInfo>& after, qint64 limit) const
{
    // Narrow by prefix where the query allows it: streams() is ordered and prefix-ranged.
    QString prefix;
    if (query.match == StreamQuery::Match::Prefix)
        prefix = query.text;
    else if (query.category && !query.category->isEmpty())
        prefix = *query.category + QLatin1Char('-');
    return streamquery::page(streams(prefix), query, after, limit);
}

std::vector<CategoryInfo> EventStore::categories() const
{
    return streamquery::categories(streams());
}

std::unique_ptr<AppendNotifier> EventStore::appendNotifier() const
{
    return nullptr;
}

} // namespace chronoscope
