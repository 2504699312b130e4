#include "topics/consumergroup.h"

#include "base/errors.h"

#include <QHash>

#include <algorithm>

namespace chronoscope::topics {

namespace {

void checkId(const QString& id)
{
    if (id.trimmed().isEmpty())
        throw InvalidInput(QStringLiteral("a member needs an id"));
}

} // namespace

ConsumerGroup::ConsumerGroup(QString name, int partitions, const QStringList& members)
    : m_name(std::move(name))
{
    if (partitions < 1 || partitions > MaxPartitions)
        throw InvalidInput(
            QStringLiteral("a topic has 1 to %1 partitions, not %2").arg(MaxPartitions).arg(partitions));
    std::vector<PartitionStats> empty(static_cast<size_t>(partitions));
    for (size_t p = 0; p < empty.size(); ++p)
        empty[p].partition = int(p);
    setTopic(empty, 0, StartFrom::End);
    for (const QString& id : members) {
        checkId(id);
        if (members.count(id) > 1)
            throw InvalidInput(QStringLiteral("the member %1 is named twice").arg(id));
    }
    assign(members, false);
}

const GroupMemberState* ConsumerGroup::member(const QString& id) const
{
    for (const GroupMemberState& m : m_members)
        if (m.id == id)
            return &m;
    return nullptr;
}

GroupMemberState* ConsumerGroup::findMember(const QString& id)
{
    return const_cast<GroupMemberState*>(std::as_const(*this).member(id));
}

void ConsumerGroup::setTopic(const std::vector<PartitionStats>& stats, qint64 position, StartFrom from)
{
    if (stats.empty() || stats.size() > size_t(MaxPartitions))
        throw InvalidInput(
            QStringLiteral("a topic has 1 to %1 partitions, not %2").arg(MaxPartitions).arg(stats.size()));
    std::vector<GroupPartition> partitions(stats.size());
    for (size_t p = 0; p < stats.size(); ++p) {
        partitions[p].partition = int(p);
        partitions[p].events = std::max<qint64>(0, stats[p].events);
        partitions[p].streams = std::max<qint64>(0, stats[p].streams);
    }
    m_partitions = std::move(partitions);
    m_position = std::max<qint64>(0, position);
    resetOffsets(from);
    QStringList ids;
    for (const GroupMemberState& m : m_members)
        ids << m.id;
    assign(ids, false);
}

bool ConsumerGroup::addEvent(const StreamId& stream, qint64 version, qint64 position)
{
    if (position <= m_position)
        return false;
    m_position = position;
    GroupPartition& p = m_partitions[size_t(partitionOf(stream, partitionCount()))];
    ++p.events;
    if (version == 1)
        ++p.streams;
    return true;
}

void ConsumerGroup::resetOffsets(StartFrom from)
{
    for (GroupPartition& p : m_partitions)
        p.committed = from == StartFrom::End ? p.events : 0;
}

std::vector<MovedPartition> ConsumerGroup::addMember(const QString& id)
{
    checkId(id);
    if (member(id))
        throw InvalidInput(QStringLiteral("the group has a member %1 already").arg(id));
    if (int(m_members.size()) >= MaxMembers)
        throw InvalidInput(QStringLiteral("a group has at most %1 members").arg(MaxMembers));
    QStringList ids {id};
    for (const GroupMemberState& m : m_members)
        ids << m.id;
    assign(ids, true);
    return m_lastMoves;
}

std::vector<MovedPartition> ConsumerGroup::removeMember(const QString& id)
{
    if (!member(id))
        throw InvalidInput(QStringLiteral("the group has no member %1").arg(id));
    QStringList ids;
    for (const GroupMemberState& m : m_members)
        if (m.id != id)
            ids << m.id;
    assign(ids, true);
    return m_lastMoves;
}

QString ConsumerGroup::nextMemberId() const
{
    for (int n = 1;; ++n) { // ends: at most MaxMembers ids are taken
        const QString id = QStringLiteral("consumer-%1").arg(n);
        if (!member(id))
            return id;
    }
}

void ConsumerGroup::setPaused(const QString& id, bool paused)
{
    GroupMemberState* m = findMember(id);
    if (!m)
        throw InvalidInput(QStringLiteral("the group has no member %1").arg(id));
    m->paused = paused;
}

void ConsumerGroup::assign(const QStringList& ids, bool countRebalance)
{
    QHash<QString, bool> paused;
    std::vector<GroupMember> before;
    for (const GroupMemberState& m : m_members) {
        paused.insert(m.id, m.paused);
        before.push_back({m.id, m.partitions});
    }
    const std::vector<GroupMember> after = assignRange(partitionCount(), ids);
    std::vector<GroupMemberState> members;
    for (GroupPartition& p : m_partitions)
        p.member.clear();
    for (const GroupMember& m : after) {
        members.push_back({m.id, m.partitions, paused.value(m.id, false)});
        for (int p : m.partitions)
            m_partitions[size_t(p)].member = m.id;
    }
    m_members = std::move(members);
    if (countRebalance) {
        m_lastMoves = movedPartitions(before, after);
        ++m_rebalances;
    }
}

qint64 ConsumerGroup::consume(qint64 perMember)
{
    qint64 read = 0;
    for (const GroupMemberState& m : m_members) {
        if (m.paused)
            continue;
        qint64 budget = std::max<qint64>(0, perMember);
        // Shared between the lagging partitions; what one does not need goes to the next.
        int lagging = 0;
        for (int p : m.partitions)
            lagging += m_partitions[size_t(p)].lag() > 0 ? 1 : 0;
        for (int p : m.partitions) {
            GroupPartition& part = m_partitions[size_t(p)];
            if (part.lag() <= 0 || budget <= 0)
                continue;
            const qint64 share = (budget + lagging - 1) / lagging;
            const qint64 take = std::min({part.lag(), share, budget});
            part.committed += take;
            budget -= take;
            read += take;
            --lagging;
        }
    }
    return read;
}

qint64 ConsumerGroup::events() const
{
    qint64 sum = 0;
    for (const GroupPartition& p : m_partitions)
        sum += p.events;
    return sum;
}

qint64 ConsumerGroup::totalLag() const
{
    qint64 sum = 0;
    for (const GroupPartition& p : m_partitions)
        sum += p.lag();
    return sum;
}

qint64 ConsumerGroup::maxLag() const
{
    qint64 most = 0;
    for (const GroupPartition& p : m_partitions)
        most = std::max(most, p.lag());
    return most;
}

qint64 ConsumerGroup::memberLag(const QString& id) const
{
    qint64 sum = 0;
    if (const GroupMemberState* m = member(id))
        for (int p : m->partitions)
            sum += m_partitions[size_t(p)].lag();
    return sum;
}

int ConsumerGroup::pausedCount() const
{
    return int(std::count_if(m_members.begin(), m_members.end(), [](const auto& m) { return m.paused; }));
}

} // namespace chronoscope::topics
