#include "bench/follow.h"

#include "bench/figure.h"
#include "store/postgres/pglocation.h"
#include "store/storefactory.h"
#include "store/storefollower.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

namespace chronoscope::bench {

namespace {

constexpr int kRounds = 30;

void percentiles(const std::string& name, std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    figure(name + "_p50_ms", ms[ms.size() / 2], "ms");
    figure(name + "_p95_ms", ms[ms.size() * 95 / 100], "ms");
    figure(name + "_max_ms", ms.back(), "ms");
}

/// Waits a random 0..300 ms (serving events), so appends do not fall in step with the polls.
void randomPause()
{
    static std::mt19937 random(11);
    QElapsedTimer pause;
    pause.start();
    const int ms = std::uniform_int_distribution<int>(0, 300)(random);
    while (pause.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

bool appendElsewhere(const QString& path, int round)
{
    randomPause();
    QProcess append;
    append.start(QStringLiteral(CHRONOSCOPE_CLI),
        {QStringLiteral("append"), path, QStringLiteral("--stream"), QStringLiteral("bench-follow-1"),
            QStringLiteral("--type"), QStringLiteral("Followed"), QStringLiteral("--data"),
            QStringLiteral("{\"round\":%1}").arg(round)});
    return append.waitForFinished(30000) && append.exitCode() == 0;
}

} // namespace

void runFollowBenchmark(const QString& given)
{
    QTemporaryDir dir;
    QString path = given;
    if (path.isEmpty()) {
        path = dir.filePath(QStringLiteral("follow.chronoscope"));
        EventData seed;
        seed.type = QStringLiteral("Seeded");
        seed.data = "{}";
        createSqliteStore(path)->append(StreamId(QStringLiteral("seed-1")), {seed}, ExpectedVersion::any());
    }
    auto store = openStore(path);
    StoreFollower follower(*store, lastPosition(*store), isPostgresUrl(path) ? QString() : path);

    std::vector<double> window;
    for (int round = 0; round < kRounds; ++round) {
        qint64 toldAt = 0;
        Position told;
        const auto connection
            = QObject::connect(store.get(), &EventStore::changedElsewhere, store.get(), [&](Position p) {
                  toldAt = QDateTime::currentMSecsSinceEpoch();
                  told = p;
              });
        if (!appendElsewhere(path, round))
            throw StoreError(QStringLiteral("follow benchmark: chronoscope-cli append failed"));
        QElapsedTimer wait;
        wait.start();
        while (toldAt == 0 && wait.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
        QObject::disconnect(connection);
        const auto event = store->readAt(told);
        if (toldAt == 0 || !event)
            throw StoreError(QStringLiteral("follow benchmark: the append was not noticed in 10 s"));
        window.push_back(double(toldAt - event->timestampMs));
    }
    percentiles("follow_window_commit_to_signal", window);

    // The command line: events --follow printing each new event.
    QProcess follow;
    follow.start(QStringLiteral(CHRONOSCOPE_CLI),
        {QStringLiteral("events"), path, QStringLiteral("--follow"), QStringLiteral("--stream"),
            QStringLiteral("bench-follow-1"), QStringLiteral("--from-version"),
            QString::number(kRounds + 1)});
    follow.waitForStarted();
    std::vector<double> cli;
    for (int round = 0; round < kRounds; ++round) {
        if (!appendElsewhere(path, kRounds + round))
            throw StoreError(QStringLiteral("follow benchmark: chronoscope-cli append failed"));
        QElapsedTimer wait;
        wait.start();
        while (!follow.canReadLine() && wait.elapsed() < 10000)
            follow.waitForReadyRead(20);
        const qint64 printedAt = QDateTime::currentMSecsSinceEpoch();
        const auto line = follow.readLine();
        const auto event = nlohmann::json::parse(line.constData(), nullptr, false);
        if (event.is_discarded() || !event.contains("timestamp"))
            throw StoreError(QStringLiteral("follow benchmark: events --follow printed no event in 10 s"));
        const auto at = parseTimestamp(QString::fromStdString(event["timestamp"].get<std::string>()));
        cli.push_back(double(printedAt - at.value_or(printedAt)));
    }
    follow.kill();
    follow.waitForFinished();
    percentiles("follow_cli_commit_to_line", cli);
}

} // namespace chronoscope::bench
