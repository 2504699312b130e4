#include "story/story.h"

#include "base/errors.h"
#include "formats/jsonlines.h"

#include <QHash>

#include <algorithm>

namespace chronoscope {

namespace {

using OrderedJson = nlohmann::ordered_json;

QString textMember(const nlohmann::json& object, std::initializer_list<const char*> names)
{
    for (const char* name : names) {
        const auto it = object.find(name);
        if (it != object.end() && it->is_string())
            return QString::fromStdString(it->get<std::string>());
    }
    return {};
}

// The id as the story compares it: braces and case do not matter ("{ABC}" == "abc").
QString normalisedId(QString id)
{
    id = id.trimmed();
    if (id.startsWith(QLatin1Char('{')) && id.endsWith(QLatin1Char('}')))
        id = id.mid(1, id.size() - 2);
    return id.toLower();
}

// Reads the whole log a page at a time, giving each event to `visit` until it returns false.
// Throws StoreError when `progress` cancels.
template<typename Visit> void scanLog(const EventStore& store, const StoryProgress& progress, Visit visit)
{
    const qint64 total = store.summary().events;
    constexpr qint64 Page = 2000;
    std::optional<Position> from;
    qint64 read = 0;
    while (true) {
        const auto page = store.readAll(from, Page);
        for (const RecordedEvent& event : page) {
            if (!visit(event))
                return;
        }
        read += qint64(page.size());
        if (progress && !progress(read, total))
            throw StoreError(QStringLiteral("cancelled"));
        if (qint64(page.size()) < Page)
            return;
        from = Position(page.back().position.value + 1);
    }
}

} // namespace

StoryIds storyIds(const RecordedEvent& event)
{
    StoryIds ids;
    nlohmann::json metadata;
    try {
        metadata = event.metadataJson();
    } catch (const StoreError&) {
        return ids; // metadata that is not JSON has no ids
    }
    if (!metadata.is_object())
        return ids;
    ids.correlationId = textMember(metadata, {"correlationId", "correlation_id", "$correlationId"});
    ids.causationId = textMember(metadata, {"causationId", "causation_id", "$causationId"});
    ids.commandType = textMember(metadata, {"commandType", "command_type"});
    return ids;
}

qint64 Story::offsetMs(int index) const
{
    if (events.empty() || index < 0 || index >= int(events.size()))
        return 0;
    return events[size_t(index)].timestampMs - events.front().timestampMs;
}

QString Story::outsideCause(int index) const
{
    if (index < 0 || index >= int(events.size()))
        return {};
    const RecordedEvent& event = events[size_t(index)];
    const QString cause = normalisedId(storyIds(event).causationId);
    if (cause.isEmpty() || cause == normalisedId(event.id.toString(QUuid::WithoutBraces)))
        return {};
    return storyIds(event).causationId;
}

Story findStory(const EventStore& store, const QString& correlationId, const StoryProgress& progress)
{
    const QString wanted = normalisedId(correlationId);
    if (wanted.isEmpty())
        throw InvalidInput(QStringLiteral("a story needs a correlation id"));
    Story story;
    story.correlationId = correlationId.trimmed();
    const QByteArray needle = wanted.toUtf8();
    scanLog(store, progress, [&](const RecordedEvent& event) {
        // Most events are not in the story: a byte search before parsing the metadata.
        if (!event.metadata.toLower().contains(needle)
            || normalisedId(storyIds(event).correlationId) != wanted)
            return true;
        if (qint64(story.events.size()) >= MaxStoryEvents) {
            story.truncated = true;
            return false;
        }
        story.events.push_back(event);
        return true;
    });

    // The tree: each event's parent is the story's event whose id is its causation id.
    const int n = int(story.events.size());
    QHash<QString, int> byId;
    for (int i = 0; i < n; ++i)
        byId.insert(normalisedId(story.events[size_t(i)].id.toString(QUuid::WithoutBraces)), i);
    story.parent.assign(size_t(n), -1);
    story.children.assign(size_t(n), {});
    for (int i = 0; i < n; ++i) {
        const QString cause = normalisedId(storyIds(story.events[size_t(i)]).causationId);
        const int parent = cause.isEmpty() ? -1 : byId.value(cause, -1);
        if (parent != i)
            story.parent[size_t(i)] = parent;
    }
    // Roots, and the events their trees reach (breadth first, no recursion).
    std::vector<int> depth(size_t(n), -1);
    for (int i = 0; i < n; ++i) {
        if (story.parent[size_t(i)] >= 0)
            story.children[size_t(story.parent[size_t(i)])].push_back(i); // i ascends: position order
        else
            story.roots.push_back(i);
    }
    std::vector<int> queue(story.roots.begin(), story.roots.end());
    for (int r : story.roots)
        depth[size_t(r)] = 0;
    for (size_t head = 0; head < queue.size(); ++head) {
        const int at = queue[head];
        for (int child : story.children[size_t(at)]) {
            depth[size_t(child)] = depth[size_t(at)] + 1;
            queue.push_back(child);
        }
    }
    // Too deep: hang the deeper events under their ancestor at MaxStoryDepth.
    for (int i = 0; i < n; ++i) {
        if (depth[size_t(i)] > MaxStoryDepth) {
            int ancestor = story.parent[size_t(i)];
            while (depth[size_t(ancestor)] > MaxStoryDepth)
                ancestor = story.parent[size_t(ancestor)];
            if (ancestor != story.parent[size_t(i)]) {
                auto& old = story.children[size_t(story.parent[size_t(i)])];
                old.erase(std::remove(old.begin(), old.end(), i), old.end());
                story.parent[size_t(i)] = ancestor;
                auto& kids = story.children[size_t(ancestor)];
                kids.insert(std::upper_bound(kids.begin(), kids.end(), i), i);
                ++story.flattened;
            }
        }
    }
    // What no root reaches sits in or under a cycle: walk each one's causes until one repeats.
    std::vector<int> cycleOf(size_t(n), -1);
    for (int i = 0; i < n; ++i) {
        if (depth[size_t(i)] >= 0 || cycleOf[size_t(i)] >= 0)
            continue;
        // Not reached, so no cause of it is a root or reached: its causes lead into a cycle,
        // a new one (met again on this walk) or one found before.
        std::vector<int> path;
        QHash<int, int> onPath;
        int at = i;
        while (at >= 0 && cycleOf[size_t(at)] < 0 && !onPath.contains(at)) {
            onPath.insert(at, int(path.size()));
            path.push_back(at);
            at = story.parent[size_t(at)];
        }
        if (at < 0)
            continue; // (cannot happen: it would have been a root's)
        const int cycle = onPath.contains(at) ? int(story.cycles.size()) : cycleOf[size_t(at)];
        if (cycle == int(story.cycles.size()))
            story.cycles.emplace_back();
        for (int member : path) { // the cycle's own events and those hanging under it
            cycleOf[size_t(member)] = cycle;
            story.cycles[size_t(cycle)].push_back(member);
        }
    }
    for (auto& cycle : story.cycles)
        std::sort(cycle.begin(), cycle.end());
    return story;
}

Story storyOf(const EventStore& store, const RecordedEvent& event, const StoryProgress& progress)
{
    const QString correlation = storyIds(event).correlationId;
    if (correlation.trimmed().isEmpty())
        throw InvalidInput(
            QStringLiteral("the event at position %1 (%2 v%3) has no correlation id in its metadata")
                .arg(event.position.value)
                .arg(event.stream.toString())
                .arg(event.version.value));
    return findStory(store, correlation, progress);
}

std::optional<RecordedEvent> findEventById(
    const EventStore& store, const QUuid& id, const StoryProgress& progress)
{
    if (id.isNull())
        return std::nullopt;
    std::optional<RecordedEvent> found;
    scanLog(store, progress, [&](const RecordedEvent& event) {
        if (event.id != id)
            return true;
        found = event;
        return false;
    });
    return found;
}

nlohmann::ordered_json storyJson(const Story& story)
{
    OrderedJson out;
    out["correlationId"] = story.correlationId.toStdString();
    OrderedJson events = OrderedJson::array();
    for (const RecordedEvent& event : story.events)
        events.push_back(OrderedJson::parse(jsonlines::toLine(event).toStdString()));
    out["events"] = std::move(events);
    // Nodes made bottom-up (children before parents: later positions first is not enough, so
    // by decreasing depth), never by recursion.
    const int n = int(story.events.size());
    std::vector<int> order;
    order.reserve(size_t(n));
    std::vector<int> stack(story.roots.rbegin(), story.roots.rend());
    while (!stack.empty()) { // pre-order
        const int at = stack.back();
        stack.pop_back();
        order.push_back(at);
        const auto& kids = story.children[size_t(at)];
        stack.insert(stack.end(), kids.rbegin(), kids.rend());
    }
    std::vector<OrderedJson> nodes(static_cast<size_t>(n));
    for (auto it = order.rbegin(); it != order.rend(); ++it) { // reverse pre-order: children first
        const int at = *it;
        const RecordedEvent& event = story.events[size_t(at)];
        OrderedJson node;
        node["position"] = event.position.value;
        node["stream"] = event.stream.toString().toStdString();
        node["type"] = event.type.toStdString();
        node["offsetMs"] = story.offsetMs(at);
        if (story.parent[size_t(at)] < 0) {
            const QString cause = story.outsideCause(at);
            if (!cause.isEmpty()) {
                OrderedJson causedBy {{"id", cause.toStdString()}};
                const QString command = storyIds(event).commandType;
                if (!command.isEmpty())
                    causedBy["commandType"] = command.toStdString();
                node["causedBy"] = std::move(causedBy);
            }
        }
        OrderedJson children = OrderedJson::array();
        for (int child : story.children[size_t(at)])
            children.push_back(std::move(nodes[size_t(child)]));
        node["children"] = std::move(children);
        nodes[size_t(at)] = std::move(node);
    }
    OrderedJson roots = OrderedJson::array();
    for (int root : story.roots)
        roots.push_back(std::move(nodes[size_t(root)]));
    out["roots"] = std::move(roots);
    if (!story.cycles.empty()) {
        OrderedJson cycles = OrderedJson::array();
        for (const auto& cycle : story.cycles) {
            OrderedJson positions = OrderedJson::array();
            for (int member : cycle)
                positions.push_back(story.events[size_t(member)].position.value);
            cycles.push_back(std::move(positions));
        }
        out["cycles"] = std::move(cycles);
    }
    if (story.truncated)
        out["truncated"] = true;
    if (story.flattened > 0)
        out["flattened"] = story.flattened;
    return out;
}

} // namespace chronoscope
