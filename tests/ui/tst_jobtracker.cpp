// JobTracker (ui/base/jobtracker.h), the one way the window runs work off the GUI thread: a
// newer job drops an older one's result and turns its cancel check true, reset() does the same,
// results and the job's captures arrive in the context's thread, exceptions become one text,
// whenIdle runs before a result is delivered, and the destructor waits for running jobs.
#include "base/errors.h"
#include "base/jobtracker.h"

#include <QObject>
#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <stdexcept>

using namespace chronoscope;

namespace {

/// Records the thread it is destroyed in.
struct Witness {
    explicit Witness(std::atomic<QThread*>& diedIn)
        : m_diedIn(diedIn)
    {
    }
    ~Witness() { m_diedIn = QThread::currentThread(); }
    std::atomic<QThread*>& m_diedIn;
};

} // namespace

class TestJobTracker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deliversInTheContextsThread();
    void newerJobDropsTheOlder();
    void resetDropsAndCancels();
    void exceptionsBecomeText();
    void capturesAreReleasedInTheContextsThread();
    void whenIdleRunsBeforeDelivery();
    void destructorWaitsForRunningJobs();
};

void TestJobTracker::deliversInTheContextsThread()
{
    QObject context;
    JobTracker jobs(&context);
    QThread* ranIn = nullptr;
    QThread* deliveredIn = nullptr;
    int value = 0;
    jobs.startJob(
        [&](const JobCancelled&) {
            ranIn = QThread::currentThread();
            return 42;
        },
        [&](JobResult<int> result) {
            deliveredIn = QThread::currentThread();
            value = result.ok() ? *result.value : -1;
        });
    QVERIFY(jobs.isJobRunning());
    QTRY_COMPARE(value, 42);
    QVERIFY(ranIn != QThread::currentThread());
    QCOMPARE(deliveredIn, QThread::currentThread());
    QVERIFY(!jobs.isJobRunning());
}

void TestJobTracker::newerJobDropsTheOlder()
{
    QObject context;
    JobTracker jobs(&context);
    QSemaphore started;
    QSemaphore release;
    std::atomic<bool> firstSawCancel {false};
    QList<int> delivered;
    jobs.startJob(
        [&](const JobCancelled& cancelled) {
            started.release();
            release.acquire();
            firstSawCancel = cancelled();
            return 1;
        },
        [&](JobResult<int> r) { delivered << *r.value; });
    started.acquire(); // the first job runs: a job not yet started when dropped is not run at all
    jobs.startJob([](const JobCancelled&) { return 2; }, [&](JobResult<int> r) { delivered << *r.value; });
    release.release();
    QTRY_VERIFY(!jobs.isJobRunning());
    QTest::qWait(20);
    QCOMPARE(delivered, QList<int> {2});
    QVERIFY(firstSawCancel);
}

void TestJobTracker::resetDropsAndCancels()
{
    QObject context;
    JobTracker jobs(&context);
    QSemaphore started;
    std::atomic<int> steps {0};
    bool delivered = false;
    jobs.startJob(
        [&](const JobCancelled& cancelled) {
            started.release();
            while (!cancelled() && steps < 1000000) {
                ++steps;
                QThread::usleep(100);
            }
            return steps.load();
        },
        [&](JobResult<int>) { delivered = true; });
    started.acquire();
    jobs.reset();
    QTRY_VERIFY(!jobs.isJobRunning());
    QTest::qWait(20);
    QVERIFY(!delivered);
    QVERIFY2(steps < 1000000, "the job did not see its cancel check turn true");
}

void TestJobTracker::exceptionsBecomeText()
{
    QObject context;
    JobTracker jobs(&context);
    QString storeText;
    QString stdText;
    jobs.startJob(
        [](const JobCancelled&) -> int { throw InvalidInput(QStringLiteral("no such stream 'a-1'")); },
        [&](JobResult<int> r) {
            QVERIFY(!r.ok());
            storeText = r.error;
        });
    QTRY_VERIFY(!storeText.isEmpty());
    QCOMPARE(storeText, QStringLiteral("no such stream 'a-1'"));
    jobs.startJob([](const JobCancelled&) -> int { throw std::runtime_error("disk full"); },
        [&](JobResult<int> r) { stdText = r.error; });
    QTRY_COMPARE(stdText, QStringLiteral("disk full"));
}

void TestJobTracker::capturesAreReleasedInTheContextsThread()
{
    std::atomic<QThread*> diedIn {nullptr};
    QObject context;
    JobTracker jobs(&context);
    bool delivered = false;
    {
        auto witness = std::make_shared<Witness>(diedIn);
        jobs.startJob([witness](const JobCancelled&) { return witness != nullptr; },
            [&delivered](JobResult<bool> r) { delivered = r.ok() && *r.value; });
    }
    QTRY_VERIFY(delivered);
    QTRY_VERIFY(diedIn.load() != nullptr);
    QCOMPARE(diedIn.load(), QThread::currentThread());
}

void TestJobTracker::whenIdleRunsBeforeDelivery()
{
    QObject context;
    JobTracker jobs(&context);
    QStringList order;
    jobs.setWhenIdle([&] { order << QStringLiteral("idle"); });
    jobs.startJob(
        [](const JobCancelled&) { return 1; }, [&](JobResult<int>) { order << QStringLiteral("result"); });
    QTRY_COMPARE(order.size(), 2);
    QCOMPARE(order, (QStringList {QStringLiteral("idle"), QStringLiteral("result")}));
}

void TestJobTracker::destructorWaitsForRunningJobs()
{
    std::atomic<bool> finished {false};
    std::atomic<bool> sawCancel {false};
    {
        QObject context;
        JobTracker jobs(&context);
        QSemaphore started;
        jobs.startJob(
            [&](const JobCancelled& cancelled) {
                started.release();
                while (!cancelled())
                    QThread::usleep(100);
                sawCancel = true;
                QThread::msleep(50);
                finished = true;
                return 0;
            },
            [](JobResult<int>) { QFAIL("a result after the tracker went"); });
        started.acquire();
    }
    QVERIFY(sawCancel);
    QVERIFY(finished);
}

QTEST_GUILESS_MAIN(TestJobTracker)
#include "tst_jobtracker.moc"
