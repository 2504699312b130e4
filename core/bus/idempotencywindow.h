#pragma once

#include <QUuid>

#include <vector>

namespace chronoscope {

/// The event ids a bus handler processed successfully, remembered for the last `capacity`
/// ids (oldest forgotten first). Memory is allocated once, in the constructor: insert,
/// contains and remove never allocate. Not thread-safe: the bus guards it.
class IdempotencyWindow {
public:
    explicit IdempotencyWindow(int capacity);

    int capacity() const { return int(m_ringSlot.size()); }
    bool contains(const QUuid& id) const noexcept { return find(id) >= 0; }
    /// Remembers `id`; false when it was already there. When full, forgets the oldest id.
    bool insert(const QUuid& id) noexcept;
    /// Forgets `id` (a delivery that was claimed and then failed).
    void remove(const QUuid& id) noexcept;

private:
    struct Slot {
        QUuid id;
        qint32 ring = -1; // index in m_ringSlot; -1: empty slot
        quint32 hash = 0; // of id, so that moving entries never hashes again
    };
    static quint32 hashOf(const QUuid& id) noexcept;
    qsizetype find(const QUuid& id) const noexcept;
    void eraseSlot(std::size_t slot) noexcept;

    std::vector<Slot> m_table; // open addressing, linear probing, size a power of two
    std::size_t m_mask = 0;
    std::vector<qint32> m_ringSlot; // insertion order: table slot of each id, -1 when removed
    int m_next = 0;                 // ring index the next insert takes
};

} // namespace chronoscope
