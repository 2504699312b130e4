#include "store/storefollower.h"

#include "base/errors.h"
#include "store/appendnotifier.h"

#include <QFileInfo>
#include <QThread>
#include <QTimer>

#include <sys/stat.h>

namespace chronoscope {

namespace {

/// The file's identity (device and inode); nullopt when it does not exist.
std::optional<std::pair<quint64, quint64>> fileIdentity(const QString& path)
{
    struct stat info { };
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return std::nullopt;
    return std::pair {quint64(info.st_dev), quint64(info.st_ino)};
}

} // namespace

Position lastPosition(const EventStore& store)
{
    const auto events = store.readAll(std::nullopt, 1, {}, Direction::Backward);
    return events.empty() ? Position(0) : events.front().position;
}

/// Reads the last position every interval, in the follower's thread, and at once when the store
/// announces a commit (AppendNotifier): then the interval only serves to notice a server that went
/// away, and is longer.
class StoreFollower::Worker : public QObject {
    Q_OBJECT
public:
    Worker(const EventStore& store, QString filePath, int intervalMs, std::atomic<quint64>& polls)
        : m_store(store)
        , m_polls(polls)
        , m_filePath(std::move(filePath))
        , m_intervalMs(intervalMs)
        , m_identity(m_filePath.isEmpty() ? std::nullopt : fileIdentity(m_filePath))
    {
    }

    void start()
    {
        m_timer = new QTimer(this);
        m_timer->setInterval(m_intervalMs);
        connect(m_timer, &QTimer::timeout, this, &Worker::poll);
        m_timer->start();
        poll();
    }

    void poll()
    {
        const quint64 seq = ++m_polls;
        qint64 last = -1;
        QString problem;
        try {
            last = chronoscope::lastPosition(m_store).value;
        } catch (const std::exception& error) {
            problem = errorText(error);
        }
        if (problem.isEmpty())
            listen();
        else
            stopListening(); // the connection may be gone with the server: listen again once it answers
        if (problem.isEmpty() && !m_filePath.isEmpty()) {
            const auto now = fileIdentity(m_filePath);
            if (!now)
                problem = tr("The store file '%1' was deleted or moved: the window shows the file as it "
                             "was opened. Open it again once it is back.")
                              .arg(m_filePath);
            else if (m_identity && *now != *m_identity) {
                problem = tr("The store file '%1' was replaced by another file: the window shows the "
                             "one it opened. Open it again to see the new one.")
                              .arg(m_filePath);
                if (now != m_replacedBy) { // told once per new file
                    m_replacedBy = now;
                    Q_EMIT replaced();
                }
            }
        }
        Q_EMIT read(seq, last, problem);
    }

Q_SIGNALS:
    void read(quint64 seq, qint64 last, const QString& problem);
    void replaced();

private:
    /// Once per time the store reads fine: asks the store for its notifier.
    void listen()
    {
        if (m_notifier || m_listenTried)
            return;
        m_listenTried = true;
        try {
            m_notifier = m_store.appendNotifier();
        } catch (const std::exception&) {
            m_notifier.reset(); // polled as before
        }
        if (!m_notifier)
            return;
        connect(m_notifier.get(), &AppendNotifier::notified, this, &Worker::poll);
        m_timer->setInterval(std::max(m_intervalMs, ListeningIntervalMs));
    }

    void stopListening()
    {
        m_notifier.reset();
        m_listenTried = false;
        m_timer->setInterval(m_intervalMs);
    }

    /// Reads while the store announces its commits: to notice a server that stopped answering.
    static constexpr int ListeningIntervalMs = 1000;

    const EventStore& m_store;
    std::atomic<quint64>& m_polls;
    QString m_filePath;
    int m_intervalMs;
    std::optional<std::pair<quint64, quint64>> m_identity;
    std::optional<std::pair<quint64, quint64>> m_replacedBy;
    QTimer* m_timer = nullptr;
    std::unique_ptr<AppendNotifier> m_notifier;
    bool m_listenTried = false;
};

StoreFollower::StoreFollower(
    EventStore& store, Position shown, const QString& filePath, int intervalMs, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_thread(new QThread(this))
    , m_worker(new Worker(store, filePath, intervalMs, m_polls))
    , m_known(shown)
    , m_reported(shown)
{
    m_thread->setObjectName(QStringLiteral("store follower"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::started, m_worker, &Worker::start);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &Worker::read, this, &StoreFollower::onRead);
    connect(m_worker, &Worker::replaced, this, &StoreFollower::fileReplaced);
    // What this program writes is known already: not reported again as written elsewhere. Told
    // in the writer's thread, right after the commit: a read that started before this moment
    // may have seen the store before or after the write, so it is not used.
    connect(
        &m_store, &EventStore::appended, this,
        [this](Position, Position last) {
            qint64 own = m_ownLast.load();
            while (last.value > own && !m_ownLast.compare_exchange_weak(own, last.value)) { }
            m_ignoreUpTo.store(m_polls.load());
        },
        Qt::DirectConnection);
    m_thread->start();
}

StoreFollower::~StoreFollower()
{
    disconnect(m_worker, nullptr, this, nullptr);
    m_thread->quit();
    m_thread->wait();
}

void StoreFollower::setFollowing(bool following)
{
    if (m_following == following)
        return;
    m_following = following;
    if (following)
        reportPending();
}

void StoreFollower::reportPending()
{
    if (m_known <= m_reported)
        return;
    m_reported = m_known;
    m_pending = 0;
    Q_EMIT pendingChanged(0);
    Q_EMIT m_store.changedElsewhere(m_known);
}

void StoreFollower::onRead(quint64 seq, qint64 last, const QString& problem)
{
    const Position own(m_ownLast.load());
    if (own > m_known)
        m_known = own;
    if (own > m_reported)
        m_reported = own;
    if (seq <= m_ignoreUpTo.load())
        return; // it may have read the store before this program's last write
    if (!problem.isEmpty()) {
        setProblem(problem);
        return;
    }
    const Position now(last);
    if (m_known.value > 0 && now < m_known) {
        setProblem(tr("The store now ends at position %1, before position %2 that was shown: it was "
                      "emptied or replaced. Open it again.")
                       .arg(now.value)
                       .arg(m_known.value));
        m_known = now;
        m_reported = now;
        return;
    }
    setProblem({});
    if (now <= m_known)
        return;
    m_known = now;
    if (!m_following) {
        m_pending = m_known.value - m_reported.value;
        Q_EMIT pendingChanged(m_pending);
        return;
    }
    m_reported = now;
    Q_EMIT m_store.changedElsewhere(now);
}

void StoreFollower::setProblem(const QString& problem)
{
    if (problem == m_problem)
        return;
    m_problem = problem;
    Q_EMIT problemChanged(problem);
}

} // namespace chronoscope

#include "storefollower.moc"
