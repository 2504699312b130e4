#pragma once

// The log seen as a Kafka-style topic: events assigned to N partitions by a hash of their stream
// id (so a stream's events keep their order inside one partition, and only there), consumer
// groups whose members share the partitions (range assignment), committed offsets and lag.

#include "store/eventstore.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace chronoscope::topics {

/// The most partitions a topic may have here.
inline constexpr int MaxPartitions = 1024;
/// The most members a group may have here.
inline constexpr int MaxMembers = 1024;

/// The partition of a stream: FNV-1a (32 bits) of the id's UTF-8 bytes, modulo `partitions`.
/// Stable across runs, machines and stores.
int partitionOf(const StreamId& stream, int partitions);

/// What one partition holds.
struct PartitionStats {
    int partition = 0;
    qint64 events = 0;
    qint64 streams = 0;
    std::optional<qint64> firstPosition; ///< none when the partition is empty
    std::optional<qint64> lastPosition;
};

/// Every partition's counts, from the store's stream list (no scan of the events). Throws
/// InvalidInput when `partitions` is not 1..MaxPartitions.
std::vector<PartitionStats> partitionStats(const EventStore& store, int partitions);

/// A member of a consumer group and the partitions it reads.
struct GroupMember {
    QString id;
    std::vector<int> partitions;
};

/// Kafka's range assignment: members sorted by id, the partitions split into contiguous ranges,
/// the first (partitions % members) members one more. Members beyond the partitions get none.
std::vector<GroupMember> assignRange(int partitions, QStringList members);

/// The partitions that change member from one assignment to another (a rebalance):
/// {partition, from member (empty: none), to member}.
struct MovedPartition {
    int partition;
    QString from;
    QString to;
};
std::vector<MovedPartition> movedPartitions(
    const std::vector<GroupMember>& before, const std::vector<GroupMember>& after);

/// A group's committed offset in each partition when it has read the log up to `position`
/// (inclusive; 0: nothing read): the number of that partition's events at or before it. The
/// lag is what is left. Reads the log up to `position` a page at a time.
struct PartitionOffset {
    int partition = 0;
    qint64 committed = 0;
    qint64 lag = 0;
};
std::vector<PartitionOffset> offsetsAt(const EventStore& store, const std::vector<PartitionStats>& stats,
    qint64 position, const std::function<bool(qint64, qint64)>& progress = {});

} // namespace chronoscope::topics
