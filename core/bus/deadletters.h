#pragma once

#include "store/recordedevent.h"

#include <QMutex>
#include <QString>

#include <optional>
#include <vector>

namespace chronoscope {

/// A delivery that failed every attempt, parked for a person to inspect, retry or discard.
struct DeadLetter {
    qint64 id = 0;             ///< identity in its queue, > 0
    RecordedEvent event;       ///< the event, payload and metadata included
    QString handler;           ///< name of the handler that failed
    QString error;             ///< message of the last failure
    int attempts = 0;          ///< attempts made so far, retries from the queue included
    qint64 firstFailureMs = 0; ///< UTC, milliseconds since the Unix epoch
    qint64 lastFailureMs = 0;
};

/// Where dead letters are kept. One entry per (handler, event id): parking a delivery that is
/// already there adds its attempts and updates the error and last failure time.
/// Implementations are thread-safe.
class DeadLetterQueue {
public:
    virtual ~DeadLetterQueue();

    /// Parks a failed delivery (or updates its entry); returns the entry as stored.
    virtual DeadLetter park(const RecordedEvent& event, const QString& handler, const QString& error,
        int attempts, qint64 firstFailureMs, qint64 lastFailureMs)
        = 0;
    /// Every entry, oldest first.
    virtual std::vector<DeadLetter> list() const = 0;
    virtual std::optional<DeadLetter> get(qint64 id) const = 0;
    /// Records one more failed attempt of entry `id`; returns the updated entry (nullopt when
    /// there is no such entry).
    virtual std::optional<DeadLetter> recordFailure(qint64 id, const QString& error, qint64 whenMs) = 0;
    /// Removes an entry; false when there was none.
    virtual bool remove(qint64 id) = 0;
    virtual qsizetype count() const = 0;
};

/// Dead letters in memory, lost when the program ends.
class MemoryDeadLetterQueue final : public DeadLetterQueue {
public:
    DeadLetter park(const RecordedEvent& event, const QString& handler, const QString& error, int attempts,
        qint64 firstFailureMs, qint64 lastFailureMs) override;
    std::vector<DeadLetter> list() const override;
    std::optional<DeadLetter> get(qint64 id) const override;
    std::optional<DeadLetter> recordFailure(qint64 id, const QString& error, qint64 whenMs) override;
    bool remove(qint64 id) override;
    qsizetype count() const override;

private:
    mutable QMutex m_lock;
    std::vector<DeadLetter> m_entries; // ordered by id
    qint64 m_nextId = 1;
};

} // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::DeadLetter)
