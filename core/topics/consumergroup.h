#pragma once

// A consumer group reading the log as a topic (see partitions.h), simulated: the partitions' end
// offsets are counts of their events, the members share the partitions by range assignment, each
// running member advances its partitions' committed offsets, a paused one does not, and a
// rebalance (a member added or removed) moves partitions while their committed offsets stay:
// they belong to the group, as in Kafka. A value type, no store inside: the caller feeds it.

#include "topics/partitions.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace chronoscope::topics {

/// One partition as the group sees it.
struct GroupPartition {
    int partition = 0;
    qint64 events = 0;    ///< the end offset: events in the partition so far
    qint64 streams = 0;   ///< streams hashed to it
    qint64 committed = 0; ///< the group's committed offset (events read), never above `events`
    QString member;       ///< who reads it; empty: nobody (the group has no member for it)
    qint64 lag() const { return events - committed; }
};

/// One member of the group.
struct GroupMemberState {
    QString id;
    std::vector<int> partitions;
    bool paused = false;
};

/// Where a group starts reading: every event is lag, or none is.
enum class StartFrom { Beginning, End };

class ConsumerGroup {
public:
    /// A group named `name` on a topic of `partitions` partitions (all empty) with these members.
    /// Throws InvalidInput on a bad partition count, or an empty or repeated member id.
    explicit ConsumerGroup(
        QString name = QStringLiteral("group"), int partitions = 6, const QStringList& members = {});

    const QString& name() const { return m_name; }
    int partitionCount() const { return int(m_partitions.size()); }
    const std::vector<GroupPartition>& partitions() const { return m_partitions; }
    /// The members, sorted by id (the order of the range assignment).
    const std::vector<GroupMemberState>& members() const { return m_members; }
    const GroupMemberState* member(const QString& id) const;

    /// A new topic layout of `stats.size()` partitions (from partitionStats), counted up to the
    /// global position `position`. Members are assigned again (not counted as a rebalance) and the
    /// committed offsets start from `from`. Throws InvalidInput when stats is empty or too long.
    void setTopic(const std::vector<PartitionStats>& stats, qint64 position, StartFrom from);
    /// The last global position counted into the partitions' ends.
    qint64 position() const { return m_position; }
    /// An event at `position` of `stream` (version `version`) arrived: its partition's end grows
    /// (and its stream count when version is 1). Ignored, returning false, when `position` was
    /// counted already.
    bool addEvent(const StreamId& stream, qint64 version, qint64 position);

    /// Moves every committed offset to the start (Beginning: 0) or the end (End: the partition's end).
    void resetOffsets(StartFrom from);

    /// Adds a member and rebalances; returns the partitions that moved. Throws InvalidInput on an
    /// empty or taken id, or beyond MaxMembers.
    std::vector<MovedPartition> addMember(const QString& id);
    /// Removes a member and rebalances; returns the partitions that moved. Throws InvalidInput
    /// when there is no such member.
    std::vector<MovedPartition> removeMember(const QString& id);
    /// The first "consumer-N" id (N from 1) not taken.
    QString nextMemberId() const;

    /// Pauses or resumes a member: a paused member's partitions keep their committed offsets.
    /// Throws InvalidInput when there is no such member.
    void setPaused(const QString& id, bool paused);

    /// One poll of every running member: each reads up to `perMember` events of its partitions
    /// (shared between its partitions that lag) and commits them. Returns the events read.
    qint64 consume(qint64 perMember);

    /// Rebalances so far (adds and removes) and the partitions the last one moved.
    int rebalances() const { return m_rebalances; }
    const std::vector<MovedPartition>& lastMoves() const { return m_lastMoves; }

    qint64 events() const;
    qint64 totalLag() const;
    qint64 maxLag() const;
    /// The lag of the partitions a member reads (0 for an unknown member).
    qint64 memberLag(const QString& id) const;
    int pausedCount() const;

private:
    void assign(const QStringList& ids, bool countRebalance);
    GroupMemberState* findMember(const QString& id);

    QString m_name;
    std::vector<GroupPartition> m_partitions;
    std::vector<GroupMemberState> m_members;
    std::vector<MovedPartition> m_lastMoves;
    qint64 m_position = 0;
    int m_rebalances = 0;
};

} // namespace chronoscope::topics
