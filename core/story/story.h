#pragma once

// Stories: every event that shares a correlation id, across streams, as a causation tree (who
// caused whom). ui/story draws it; chronoscope-cli story prints it.

#include "store/eventstore.h"

#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace chronoscope {

/// The most events a story holds (the rest is left out and Story::truncated says so).
inline constexpr qint64 MaxStoryEvents = 100000;
/// The deepest causation chain shown as a tree; deeper events hang under their ancestor at this
/// depth (Story::flattened counts them), so nothing that reads the tree recurses without a bound.
inline constexpr int MaxStoryDepth = 1000;

/// The ids an event's metadata carries, under the names Chronoscope, Emmett, Marten and
/// EventStoreDB use (correlationId / correlation_id / $correlationId, the same for causation).
struct StoryIds {
    QString correlationId; ///< empty: none
    QString causationId;   ///< empty: none
    QString commandType;   ///< the command that caused it, when the metadata says
};
StoryIds storyIds(const RecordedEvent& event);

/// One story: its events in position order and, by index into them, the causation tree.
struct Story {
    QString correlationId;
    std::vector<RecordedEvent> events;      ///< position order
    std::vector<int> parent;                ///< per event: the index of its cause, -1 for a root
    std::vector<std::vector<int>> children; ///< per event: what it caused, in position order
    std::vector<int> roots;                 ///< in position order
    /// Events whose causes go round in a circle (and what hangs under them): each cycle's events
    /// in position order. They are not under any root.
    std::vector<std::vector<int>> cycles;
    bool truncated = false; ///< more than MaxStoryEvents share the id
    int flattened = 0;      ///< events deeper than MaxStoryDepth, hung at that depth

    /// Milliseconds from the story's first event to event `index`.
    qint64 offsetMs(int index) const;
    /// The cause of root `index` outside the story (a command id), empty when it has none.
    QString outsideCause(int index) const;
};

/// Cancelled when it returns false; gets the events read so far and the store's total.
using StoryProgress = std::function<bool(qint64 read, qint64 total)>;

/// The story of a correlation id: reads the whole log (a page at a time), keeping the events
/// whose metadata carries it. Throws InvalidInput for an empty id; StoreError when cancelled.
Story findStory(const EventStore& store, const QString& correlationId, const StoryProgress& progress = {});
/// The story of one event (its correlation id's). Throws InvalidInput when its metadata has no
/// correlation id, naming the event.
Story storyOf(const EventStore& store, const RecordedEvent& event, const StoryProgress& progress = {});
/// The event with this id (a scan of the log); nullopt when there is none.
std::optional<RecordedEvent> findEventById(
    const EventStore& store, const QUuid& id, const StoryProgress& progress = {});

/// {"correlationId", "events":[JSON Lines objects, position order], "roots":[{"position","stream",
/// "type","offsetMs","children":[...]}], ...}: roots and children in position order; a root
/// caused from outside has "causedBy":{"id"[,"commandType"]}; "cycles":[[positions]] when any;
/// "truncated" and "flattened" when they apply.
nlohmann::ordered_json storyJson(const Story& story);

} // namespace chronoscope
