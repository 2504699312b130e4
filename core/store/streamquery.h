#pragma once

// Which streams to list and in what order, one page at a time (keyset paging: a page starts
// after the last row of the one before, so the millionth row costs what the first does). SQL
// stores answer it from their indexes; EventStore's default answers it from streams().

#include "store/streaminfo.h"

#include <QString>

#include <optional>
#include <vector>

namespace chronoscope {

class EventStore;

/// A filter and an order over the streams of a store.
struct StreamQuery {
    enum class Match {
        Prefix,    ///< the id starts with text (case-sensitive)
        Substring, ///< the id contains text (case-insensitive for ASCII letters)
        Glob,      ///< the whole id matches text: * any run, ? one character, [abc] [a-z] [^a] a class
    };
    enum class Sort {
        Id,        ///< by stream id
        Version,   ///< by last version, then id
        Events,    ///< by number of events, then id
        LastEvent, ///< by the position of the stream's last event
    };

    std::optional<QString> category; ///< only this category ("" = ids without '-'); nullopt: all
    QString text;                    ///< empty: every stream
    Match match = Match::Substring;
    Sort sort = Sort::Id;
    bool descending = false;
    std::optional<qint64> minEvents; ///< only streams with at least this many events
    std::optional<qint64> maxEvents; ///< only streams with at most this many events

    /// Substring, or Glob when text holds a wildcard (* ? [): what a filter box means.
    static Match matchFor(const QString& text);
    /// What a filter box's text asks for: the text to match (matchFor()), and a term
    /// "events:N" or "events:A-B" (also "A..B", "A-" for at least A) for the number of events,
    /// anywhere among words separated by spaces. Category and order are left as they are.
    static StreamQuery fromFilterText(const QString& text);
    /// The term fromFilterText() reads as "between min and max events".
    static QString eventsTerm(qint64 min, qint64 max);
    bool operator==(const StreamQuery&) const = default;
};

/// One category's totals: what the category tree shows.
struct CategoryInfo {
    QString category; ///< "" = ids without '-'
    qint64 streams = 0;
    qint64 events = 0;
    bool operator==(const CategoryInfo&) const = default;
};

namespace streamquery {

/// The column of the stream tables (SQLite's and PostgreSQL's) an order sorts by before the id;
/// nullptr for Sort::Id (the id alone).
const char* sortColumn(StreamQuery::Sort sort);
/// A stream's value of that column (0 for Sort::Id).
qint64 sortKey(StreamQuery::Sort sort, const StreamInfo& info);
/// True when id a sorts before id b: UTF-8 byte order, as SQLite's BINARY and PostgreSQL's
/// COLLATE "C" compare, the order every page of streams comes in.
bool idBefore(const StreamId& a, const StreamId& b);
/// True when a store's index answers the query's filter directly: no text, a prefix, or a glob
/// that starts with a literal character (a range of the id index). A substring, or a glob that
/// starts with a wildcard, checks every id of the category (or of the store) instead.
bool answeredByIndex(const StreamQuery& query);
/// True when the stream passes the query's category and text filter.
bool matches(const StreamQuery& query, const StreamInfo& info);
/// True when a comes before b in the query's order (ties broken by id, so the order is total).
bool before(const StreamQuery& query, const StreamInfo& a, const StreamInfo& b);
/// Where the class "[...]" that opens at pattern[open] closes: the index of its ']', or -1 when
/// it does not (then '[' is a literal). A ']' right after "[" or "[^" is a member, as in GLOB.
qsizetype globClassEnd(const QString& pattern, qsizetype open);
/// SQLite GLOB semantics (case-sensitive; no recursion, linear backtracking on '*').
bool globMatch(const QString& pattern, const QString& text);
/// The page of `all` (any order) after `after`, at most limit rows, in the query's order.
std::vector<StreamInfo> page(std::vector<StreamInfo> all, const StreamQuery& query,
    const std::optional<StreamInfo>& after, qint64 limit);
/// The first `want` streams a query selects, read from the store in pages of at most 4,096;
/// `*more` tells whether the store may hold more (false once a page came back short). Throws
/// what EventStore::streamPage throws.
std::vector<StreamInfo> firstStreams(
    const EventStore& store, const StreamQuery& query, qint64 want, bool* more);
/// Categories with their stream and event counts, by name, "" last.
std::vector<CategoryInfo> categories(const std::vector<StreamInfo>& all);

} // namespace streamquery

} // namespace chronoscope
