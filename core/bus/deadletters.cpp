#include "bus/deadletters.h"

#include <algorithm>

namespace chronoscope {

DeadLetterQueue::~DeadLetterQueue() = default;

DeadLetter MemoryDeadLetterQueue::park(const RecordedEvent& event, const QString& handler,
    const QString& error, int attempts, qint64 firstFailureMs, qint64 lastFailureMs)
{
    QMutexLocker locker(&m_lock);
    for (auto& entry : m_entries) {
        if (entry.handler == handler && entry.event.id == event.id) {
            entry.attempts += attempts;
            entry.error = error;
            entry.lastFailureMs = lastFailureMs;
            return entry;
        }
    }
    m_entries.push_back({m_nextId++, event, handler, error, attempts, firstFailureMs, lastFailureMs});
    return m_entries.back();
}

std::vector<DeadLetter> MemoryDeadLetterQueue::list() const
{
    QMutexLocker locker(&m_lock);
    return m_entries;
}

std::optional<DeadLetter> MemoryDeadLetterQueue::get(qint64 id) const
{
    QMutexLocker locker(&m_lock);
    const auto it
        = std::find_if(m_entries.begin(), m_entries.end(), [id](const auto& e) { return e.id == id; });
    if (it == m_entries.end())
        return std::nullopt;
    return *it;
}

std::optional<DeadLetter> MemoryDeadLetterQueue::recordFailure(qint64 id, const QString& error, qint64 whenMs)
{
    QMutexLocker locker(&m_lock);
    const auto it
        = std::find_if(m_entries.begin(), m_entries.end(), [id](const auto& e) { return e.id == id; });
    if (it == m_entries.end())
        return std::nullopt;
    it->attempts += 1;
    it->error = error;
    it->lastFailureMs = whenMs;
    return *it;
}

bool MemoryDeadLetterQueue::remove(qint64 id)
{
    QMutexLocker locker(&m_lock);
    const auto it
        = std::find_if(m_entries.begin(), m_entries.end(), [id](const auto& e) { return e.id == id; });
    if (it == m_entries.end())
        return false;
    m_entries.erase(it);
    return true;
}

qsizetype MemoryDeadLetterQueue::count() const
{
    QMutexLocker locker(&m_lock);
    return qsizetype(m_entries.size());
}

} // namespace chronoscope
