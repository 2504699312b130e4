#include "bus/idempotencywindow.h"

#include <algorithm>
#include <cstring>

namespace chronoscope {

IdempotencyWindow::IdempotencyWindow(int capacity)
{
    capacity = std::max(capacity, 1);
    std::size_t size = 4;
    while (size < std::size_t(capacity) * 2)
        size *= 2;
    m_table.resize(size);
    m_mask = size - 1;
    m_ringSlot.assign(std::size_t(capacity), -1);
}

quint32 IdempotencyWindow::hashOf(const QUuid& id) noexcept
{
    static_assert(sizeof(QUuid) == 16);
    quint64 a;
    quint64 b;
    std::memcpy(&a, &id, 8);
    std::memcpy(&b, reinterpret_cast<const char*>(&id) + 8, 8);
    quint64 h = (a ^ (b * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
    return quint32(h >> 32);
}

qsizetype IdempotencyWindow::find(const QUuid& id) const noexcept
{
    for (std::size_t i = hashOf(id) & m_mask;; i = (i + 1) & m_mask) {
        const Slot& slot = m_table[i];
        if (slot.ring < 0)
            return -1;
        if (slot.id == id)
            return qsizetype(i);
    }
}

bool IdempotencyWindow::insert(const QUuid& id) noexcept
{
    const quint32 hash = hashOf(id);
    std::size_t i = hash & m_mask;
    for (;; i = (i + 1) & m_mask) {
        if (m_table[i].ring < 0)
            break;
        if (m_table[i].id == id)
            return false;
    }
    // Forget the oldest id (unless it was removed already); the erase may move entries, so
    // look for the free slot again.
    if (const qint32 oldest = m_ringSlot[std::size_t(m_next)]; oldest >= 0) {
        eraseSlot(std::size_t(oldest));
        for (i = hash & m_mask; m_table[i].ring >= 0; i = (i + 1) & m_mask) { }
    }
    m_table[i] = {id, m_next, hash};
    m_ringSlot[std::size_t(m_next)] = qint32(i);
    m_next = m_next + 1 == capacity() ? 0 : m_next + 1;
    return true;
}

void IdempotencyWindow::remove(const QUuid& id) noexcept
{
    const qsizetype at = find(id);
    if (at >= 0)
        eraseSlot(std::size_t(at));
}

void IdempotencyWindow::eraseSlot(std::size_t hole) noexcept
{
    m_ringSlot[std::size_t(m_table[hole].ring)] = -1;
    // Backward-shift deletion: move later entries of the probe run into the hole so that
    // lookups never stop early.
    for (std::size_t j = (hole + 1) & m_mask; m_table[j].ring >= 0; j = (j + 1) & m_mask) {
        const std::size_t k = m_table[j].hash & m_mask;
        // Move j into the hole when its home is not in the cyclic range (hole, j].
        const bool homeInRange = hole <= j ? (k > hole && k <= j) : (k > hole || k <= j);
        if (!homeInRange) {
            m_table[hole] = m_table[j];
            m_ringSlot[std::size_t(m_table[hole].ring)] = qint32(hole);
            hole = j;
        }
    }
    m_table[hole] = Slot {};
}

} // namespace chronoscope
