#pragma once

#include "bus/deadletters.h"

#include <memory>

namespace chronoscope {

class SqliteDeadLetterQueue;

/// Dead letters in a native SQLite store's file, without touching the file until there is one
/// to keep: the `dead_letters` table is made by the first park(), not when the store is opened
/// (opening a store in the window changes nothing in it). Until then the queue reads as empty,
/// unless another program (e.g. chronoscope-cli) has made the table meanwhile: then it is used.
/// Thread-safe.
class DeferredSqliteDeadLetterQueue final : public DeadLetterQueue {
public:
    explicit DeferredSqliteDeadLetterQueue(QString storePath);
    ~DeferredSqliteDeadLetterQueue() override;

    /// Whether the table exists (and is in use) now.
    bool isMaterialised() const;

    DeadLetter park(const RecordedEvent& event, const QString& handler, const QString& error, int attempts,
        qint64 firstFailureMs, qint64 lastFailureMs) override;
    std::vector<DeadLetter> list() const override;
    std::optional<DeadLetter> get(qint64 id) const override;
    std::optional<DeadLetter> recordFailure(qint64 id, const QString& error, qint64 whenMs) override;
    bool remove(qint64 id) override;
    qsizetype count() const override;

private:
    /// The real queue when the table exists (made when `create`), else nullptr.
    SqliteDeadLetterQueue* queue(bool create) const;

    QString m_path;
    mutable QMutex m_lock;
    mutable std::unique_ptr<SqliteDeadLetterQueue> m_queue;
};

/// Whether the SQLite file at `path` has a dead_letters table. Opens it read-only; false when it
/// cannot be read.
bool deadLetterTableExists(const QString& path);

} // namespace chronoscope
