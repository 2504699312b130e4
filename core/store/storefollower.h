#pragma once

#include "store/eventstore.h"

#include <QObject>
#include <QString>

#include <atomic>

class QThread;

namespace chronoscope {

/// The store's last position (0 when it is empty), by one indexed read of its last event: not
/// summary(), which counts every event of a foreign store. Throws StoreError.
Position lastPosition(const EventStore& store);

/// Notices the events other programs append to a store and tells through the store's
/// changedElsewhere() signal, so every view and projection that shows it can catch up.
///
/// Every interval it reads the store's last event: one indexed read, on a thread of its own, so
/// a database server that stops answering never blocks the caller. A store that announces its
/// commits (EventStore::appendNotifier(): PostgreSQL's LISTEN/NOTIFY on a native store) is read at
/// once on each announcement, and then every second at most often, to notice a server that went
/// away; after a failed read it listens again once the store answers. When the last position has
/// passed what it knows (the store's own appended() included), it emits
/// store.changedElsewhere(last) in the follower's thread; while paused it only counts the new
/// events (pending()). A read that fails is reported once by problemChanged(message) and tried
/// again every interval; the first one that works reports problemChanged(""). A last position
/// that goes down (the store emptied or replaced) is reported the same way. For a store file,
/// a file that is deleted or replaced by another one is reported too: the store keeps reading the
/// file it opened, so the window should open the path again.
class StoreFollower : public QObject {
    Q_OBJECT
public:
    /// Starts following at once, from `shown` (the last position the caller has read).
    /// `filePath`: the store's file, watched for deletion and replacement (empty for a server).
    StoreFollower(EventStore& store, Position shown, const QString& filePath = {}, int intervalMs = 250,
        QObject* parent = nullptr);
    /// Waits for a read in progress to end.
    ~StoreFollower() override;

    /// Following (the default): new events are reported at once. Paused: only counted, and
    /// reported all together when following again.
    void setFollowing(bool following);
    bool isFollowing() const { return m_following; }
    /// Reports the events counted while paused (changedElsewhere), paused or not.
    void reportPending();
    /// Positions appended elsewhere and not reported yet (while paused): the number of new
    /// events, for stores whose positions have no gaps.
    qint64 pending() const { return m_pending; }
    /// The last position the follower knows of.
    Position lastPosition() const { return m_known; }
    /// What is wrong with the store now; empty when it reads fine.
    const QString& problem() const { return m_problem; }

Q_SIGNALS:
    void pendingChanged(qint64 events);
    void problemChanged(const QString& problem);
    /// The store's file was replaced by another file (a new one at the same path; once per new
    /// file): the caller may open the path again (problemChanged says so too).
    void fileReplaced();

private:
    class Worker;
    void onRead(quint64 seq, qint64 last, const QString& problem);
    void setProblem(const QString& problem);

    EventStore& m_store;
    QThread* m_thread;
    Worker* m_worker;
    Position m_known;
    Position m_reported;
    bool m_following = true;
    qint64 m_pending = 0;
    QString m_problem;
    std::atomic<quint64> m_polls {0};      // reads started by the worker
    std::atomic<quint64> m_ignoreUpTo {0}; // reads that may predate this program's last write
    std::atomic<qint64> m_ownLast {0};     // the last position this program wrote
};

} // namespace chronoscope
