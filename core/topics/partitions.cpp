#include "topics/partitions.h"

#include "base/errors.h"

#include <QHash>

#include <algorithm>

namespace chronoscope::topics {

namespace {

void checkPartitions(int partitions)
{
    if (partitions < 1 || partitions > MaxPartitions)
        throw InvalidInput(
            QStringLiteral("a topic has 1 to %1 partitions, not %2").arg(MaxPartitions).arg(partitions));
}

} // namespace

int partitionOf(const StreamId& stream, int partitions)
{
    checkPartitions(partitions);
    quint32 hash = 2166136261u;
    for (const char byte : stream.toString().toUtf8()) {
        hash ^= quint8(byte);
        hash *= 16777619u;
    }
    return int(hash % quint32(partitions));
}

std::vector<PartitionStats> partitionStats(const EventStore& store, int partitions)
{
    checkPartitions(partitions);
    std::vector<PartitionStats> stats(static_cast<size_t>(partitions));
    for (int p = 0; p < partitions; ++p)
        stats[size_t(p)].partition = p;
    for (const StreamInfo& info : store.streams()) {
        if (info.events <= 0)
            continue;
        PartitionStats& s = stats[size_t(partitionOf(info.stream, partitions))];
        s.events += info.events;
        ++s.streams;
        const qint64 first = info.firstPosition.value, last = info.lastPosition.value;
        s.firstPosition = s.firstPosition ? std::min(*s.firstPosition, first) : first;
        s.lastPosition = s.lastPosition ? std::max(*s.lastPosition, last) : last;
    }
    return stats;
}

std::vector<GroupMember> assignRange(int partitions, QStringList members)
{
    checkPartitions(partitions);
    members.removeDuplicates();
    members.removeAll(QString());
    if (members.size() > MaxMembers)
        throw InvalidInput(
            QStringLiteral("a group has at most %1 members, not %2").arg(MaxMembers).arg(members.size()));
    std::sort(members.begin(), members.end());
    std::vector<GroupMember> out;
    if (members.isEmpty())
        return out;
    const int count = int(members.size());
    const int each = partitions / count;
    const int extra = partitions % count;
    int next = 0;
    for (int m = 0; m < count; ++m) {
        GroupMember member {members[m], {}};
        const int take = each + (m < extra ? 1 : 0);
        for (int i = 0; i < take; ++i)
            member.partitions.push_back(next++);
        out.push_back(std::move(member));
    }
    return out;
}

std::vector<MovedPartition> movedPartitions(
    const std::vector<GroupMember>& before, const std::vector<GroupMember>& after)
{
    QHash<int, QString> was, now;
    for (const GroupMember& m : before)
        for (int p : m.partitions)
            was.insert(p, m.id);
    for (const GroupMember& m : after)
        for (int p : m.partitions)
            now.insert(p, m.id);
    QList<int> partitions = was.keys() + now.keys();
    std::sort(partitions.begin(), partitions.end());
    partitions.erase(std::unique(partitions.begin(), partitions.end()), partitions.end());
    std::vector<MovedPartition> moved;
    for (int p : partitions) {
        if (was.value(p) != now.value(p))
            moved.push_back({p, was.value(p), now.value(p)});
    }
    return moved;
}

std::vector<PartitionOffset> offsetsAt(const EventStore& store, const std::vector<PartitionStats>& stats,
    qint64 position, const std::function<bool(qint64, qint64)>& progress)
{
    const int partitions = int(stats.size());
    checkPartitions(partitions);
    std::vector<PartitionOffset> out(static_cast<size_t>(partitions));
    for (int p = 0; p < partitions; ++p)
        out[size_t(p)].partition = p;
    const qint64 last = store.summary().lastPosition.value;
    const qint64 upTo = std::min(position, last);
    if (upTo >= last) { // everything read: the offsets are the counts, no scan
        for (int p = 0; p < partitions; ++p)
            out[size_t(p)].committed = stats[size_t(p)].events;
    } else if (upTo > 0) {
        QHash<QString, int> partitionOfStream; // hashing once per stream
        constexpr qint64 Page = 5000;
        std::optional<Position> from;
        qint64 read = 0;
        bool done = false;
        while (!done) {
            const auto page = store.readAll(from, Page);
            for (const RecordedEvent& event : page) {
                if (event.position.value > upTo) {
                    done = true;
                    break;
                }
                const QString id = event.stream.toString();
                auto it = partitionOfStream.find(id);
                if (it == partitionOfStream.end())
                    it = partitionOfStream.insert(id, partitionOf(event.stream, partitions));
                ++out[size_t(*it)].committed;
            }
            read += qint64(page.size());
            if (progress && !progress(read, upTo))
                throw StoreError(QStringLiteral("cancelled"));
            if (qint64(page.size()) < Page)
                break;
            from = Position(page.back().position.value + 1);
        }
    }
    for (int p = 0; p < partitions; ++p)
        out[size_t(p)].lag = std::max<qint64>(0, stats[size_t(p)].events - out[size_t(p)].committed);
    return out;
}

} // namespace chronoscope::topics
