#pragma once

// One check for every store that pages its streams itself (SQLite, PostgreSQL): fills an empty
// store with ids that stress filters and orders (LIKE and GLOB metacharacters, a backslash,
// non-ASCII, no category, letters in both cases), then pages every order, filter (also by number of events)
// and direction in pages of 7 and compares with filtering and sorting the whole list (streamquery::page, what
// EventStore's default does).

#include "store/eventstore.h"
#include "support/storetesthelpers.h"

#include <QStringList>

namespace testsupport {

/// "" when every page matched; else the first query that did not, with both lists.
inline QString checkStreamPages(chronoscope::EventStore& store, int* checked)
{
    using namespace chronoscope;
    std::vector<AppendRequest> requests;
    const QStringList odd {QStringLiteral("a%b-1"), QStringLiteral("a_b-2"), QStringLiteral("x\\y-3"),
        QStringLiteral("\u00e9t\u00e9-1"), QStringLiteral("-lead"), QStringLiteral("plain"),
        QStringLiteral("Cart-UPPER"), QStringLiteral("cart-[1]"), QStringLiteral("a.b-4"),
        QStringLiteral("q$-5")};
    const QStringList categories {QStringLiteral("cart"), QStringLiteral("order"), QStringLiteral("user")};
    for (int n = 0; n < 120; ++n) {
        const QString id
            = n < odd.size() ? odd[n] : QStringLiteral("%1-%2").arg(categories[n % 3]).arg(n * 7919 % 1000);
        std::vector<EventData> events;
        for (int e = 0; e < n % 5 + 1; ++e)
            events.push_back(testing::makeEvent(QStringLiteral("T")));
        requests.push_back({StreamId(id), ExpectedVersion::any(), std::move(events)});
    }
    store.appendMany(requests);
    // A second write, so that versions and last positions are not in id order.
    store.append(StreamId(QStringLiteral("cart-0")), {testing::makeEvent(QStringLiteral("T"))},
        ExpectedVersion::any());
    const auto all = store.streams();
    const auto counted = streamquery::categories(all);
    if (store.categories() != counted)
        return QStringLiteral("categories() differ from the counted streams");

    const std::vector<std::pair<StreamQuery::Match, QString>> filters {{StreamQuery::Match::Substring, {}},
        {StreamQuery::Match::Substring, QStringLiteral("CART")},
        {StreamQuery::Match::Substring, QStringLiteral("%")},
        {StreamQuery::Match::Substring, QStringLiteral("_")},
        {StreamQuery::Match::Substring, QStringLiteral("\\")},
        {StreamQuery::Match::Prefix, QStringLiteral("order-")},
        {StreamQuery::Match::Prefix, QStringLiteral("\u00e9")},
        {StreamQuery::Match::Glob, QStringLiteral("*-1?")},
        {StreamQuery::Match::Glob, QStringLiteral("[cu]*")},
        {StreamQuery::Match::Glob, QStringLiteral("cart-[[]*")},
        {StreamQuery::Match::Glob, QStringLiteral("a.b-?")},
        {StreamQuery::Match::Glob, QStringLiteral("[^a-c]*-5")},
        {StreamQuery::Match::Glob, QStringLiteral("x\\*")}};
    const std::vector<std::optional<QString>> inCategory {
        std::nullopt, QStringLiteral("cart"), QString(), QStringLiteral("nope")};
    using Bound = std::optional<qint64>;
    const std::vector<std::pair<Bound, Bound>> eventBounds {{Bound(), Bound()}, {Bound(2), Bound(2)},
        {Bound(2), Bound(4)}, {Bound(4), Bound()}, {Bound(), Bound(1)}};
    *checked = 0;
    for (const auto sort : {StreamQuery::Sort::Id, StreamQuery::Sort::Version, StreamQuery::Sort::Events,
             StreamQuery::Sort::LastEvent})
        for (const bool descending : {false, true})
            for (const auto& [match, text] : filters)
                for (const auto& category : inCategory)
                    for (const auto& [minEvents, maxEvents] : eventBounds) {
                        // Bounds on the number of events with a few of the filters (every order).
                        if ((minEvents || maxEvents)
                            && !(text.isEmpty() || text == QLatin1String("CART")
                                || text == QLatin1String("[cu]*")))
                            continue;
                        StreamQuery q;
                        q.minEvents = minEvents;
                        q.maxEvents = maxEvents;
                        q.sort = sort;
                        q.descending = descending;
                        q.match = match;
                        q.text = text;
                        q.category = category;
                        const auto expected = streamquery::page(all, q, std::nullopt, 1000);
                        std::vector<StreamInfo> paged;
                        std::optional<StreamInfo> after;
                        for (int guard = 0; guard < 1000; ++guard) {
                            const auto page = store.streamPage(q, after, 7);
                            paged.insert(paged.end(), page.begin(), page.end());
                            if (page.size() < 7)
                                break;
                            after = page.back();
                        }
                        QStringList want, got;
                        for (const auto& s : expected)
                            want << s.stream.toString();
                        for (const auto& s : paged)
                            got << s.stream.toString();
                        if (got != want)
                            return QStringLiteral("sort %1 descending %2 match %3 '%4' category %5 events "
                                                  "%8..%9:\n got %6\nwant %7")
                                .arg(int(sort))
                                .arg(descending)
                                .arg(int(match))
                                .arg(text, category.value_or(QStringLiteral("(any)")),
                                    got.join(QLatin1Char(' ')), want.join(QLatin1Char(' ')))
                                .arg(minEvents.value_or(-1))
                                .arg(maxEvents.value_or(-1));
                        *checked += want.isEmpty() ? 0 : 1;
                    }
    return {};
}

} // namespace testsupport
