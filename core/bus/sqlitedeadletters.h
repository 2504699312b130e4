#pragma once

#include "bus/deadletters.h"
#include "store/openfiles.h"

#include <memory>

struct sqlite3;

namespace chronoscope {

/// Dead letters kept in a native SQLite store's file, in a `dead_letters` table made on first
/// use (no event row is ever touched). Uses its own connection, guarded by a mutex, so any
/// thread may use it. Throws OpenError when the file is not a Chronoscope store,
/// ReadOnlyError when it cannot be written, StoreError when a statement fails.
class SqliteDeadLetterQueue final : public DeadLetterQueue {
public:
    explicit SqliteDeadLetterQueue(const QString& storePath, int busyTimeoutMs = 2000);
    ~SqliteDeadLetterQueue() override;
    SqliteDeadLetterQueue(const SqliteDeadLetterQueue&) = delete;
    SqliteDeadLetterQueue& operator=(const SqliteDeadLetterQueue&) = delete;

    const QString& path() const { return m_path; }

    DeadLetter park(const RecordedEvent& event, const QString& handler, const QString& error, int attempts,
        qint64 firstFailureMs, qint64 lastFailureMs) override;
    std::vector<DeadLetter> list() const override;
    std::optional<DeadLetter> get(qint64 id) const override;
    std::optional<DeadLetter> recordFailure(qint64 id, const QString& error, qint64 whenMs) override;
    bool remove(qint64 id) override;
    qsizetype count() const override;

private:
    std::vector<DeadLetter> select(const char* where, qint64 id) const;
    void exec(const char* sql, const QString& what) const;

    QString m_path;
    mutable QMutex m_lock;
    sqlite3* m_db = nullptr;
    std::unique_ptr<openfiles::Registration> m_registration;
};

} // namespace chronoscope
