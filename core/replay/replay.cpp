#include "replay/replay.h"

namespace chronoscope {

namespace {

constexpr qint64 PageSize = 1000;

StreamInfo requireStream(const EventStore& store, const StreamId& stream)
{
    auto info = store.streamInfo(stream);
    if (!info)
        throw InvalidInput(QStringLiteral("no stream '%1'").arg(stream.toString()));
    return *info;
}

/// Turns whatever the reducer threw into an error naming stream, version and type.
[[noreturn]] void rethrowNamed(const RecordedEvent& event, const Reducer& reducer)
{
    try {
        throw;
    } catch (const ReducerError&) {
        throw;
    } catch (const StoreError& error) {
        // Reducers are asked to name the stream themselves (the JavaScript one does); keep
        // such a message as it is rather than repeating the place.
        if (error.message().contains(QStringLiteral("stream '%1'").arg(event.stream.toString())))
            throw;
        throw ReducerError(
            event, QStringLiteral("reducer '%1' failed: %2").arg(reducer.name(), error.message()));
    } catch (const std::exception& error) {
        throw ReducerError(event,
            QStringLiteral("reducer '%1' failed: %2").arg(reducer.name(), QString::fromUtf8(error.what())));
    }
}

/// Folds a page; when the reducer fails, replays the page one event at a time from a copy of
/// the state so the error names the event that failed.
nlohmann::json foldPage(const Reducer& reducer, nlohmann::json state, const std::vector<RecordedEvent>& page)
{
    const nlohmann::json before = state;
    try {
        return reducer.fold(std::move(state), page);
    } catch (const std::exception&) {
        nlohmann::json retry = before;
        for (const auto& e : page) {
            try {
                retry = reducer.evolve(std::move(retry), e);
            } catch (...) {
                rethrowNamed(e, reducer);
            }
        }
        // The batch failed but every single step worked: name the batch's last event.
        rethrowNamed(page.back(), reducer);
    }
}

/// Calls `visit` with pages of the stream's events in version order until it returns false.
template<typename Visit> void forEachPage(const EventStore& store, const StreamId& stream, Visit&& visit)
{
    std::optional<Version> from;
    for (;;) {
        auto page = store.readStream(stream, from, PageSize, Direction::Forward);
        if (page.empty())
            return;
        const Version last = page.back().version;
        const bool more = qint64(page.size()) == PageSize;
        if (!visit(page) || !more)
            return;
        from = Version(last.value + 1);
    }
}

} // namespace

nlohmann::json stateAtVersion(
    const EventStore& store, const Reducer& reducer, const StreamId& stream, std::optional<Version> upTo)
{
    const auto info = requireStream(store, stream);
    if (upTo && (upTo->value < 0 || *upTo > info.version))
        throw InvalidInput(QStringLiteral("stream '%1' has no version %2: versions go from 0 to %3")
                               .arg(stream.toString())
                               .arg(upTo->value)
                               .arg(info.version.value));
    const Version target = upTo.value_or(info.version);
    auto state = reducer.initialState(stream);
    if (target.value == 0)
        return state;
    forEachPage(store, stream, [&](std::vector<RecordedEvent>& page) {
        // Versions may have gaps: keep every event whose version is <= target.
        auto end = page.begin();
        while (end != page.end() && end->version <= target)
            ++end;
        const bool reachedTarget = end != page.end();
        page.erase(end, page.end());
        if (!page.empty())
            state = foldPage(reducer, std::move(state), page);
        return !reachedTarget && (page.empty() || page.back().version < target);
    });
    return state;
}

nlohmann::json stateAtTime(
    const EventStore& store, const Reducer& reducer, const StreamId& stream, qint64 atMs)
{
    requireStream(store, stream);
    // The version in force at atMs is that of the last event stamped at or before it; the
    // state is every event up to that version (the same answer when timestamps only grow).
    Version version(0);
    forEachPage(store, stream, [&](const std::vector<RecordedEvent>& page) {
        for (const auto& e : page)
            if (e.timestampMs <= atMs)
                version = e.version;
        return true;
    });
    return stateAtVersion(store, reducer, stream, version);
}

} // namespace chronoscope
