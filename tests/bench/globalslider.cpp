#include "bench/globalslider.h"

#include "bench/benchscripts.h"
#include "bench/figure.h"
#include "bench/workload.h"
#include "projections/projectionset.h"
#include "store/storefactory.h"

#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>

namespace chronoscope::bench {

namespace {

// Waits until every projection has caught up and every state asked for has come; false after
// `limitMs` without that.
bool waitSettled(ProjectionSet& set, int limitMs)
{
    if (set.isSettled())
        return true;
    QEventLoop loop;
    QTimer::singleShot(limitMs, &loop, &QEventLoop::quit);
    QObject::connect(&set, &ProjectionSet::settled, &loop, &QEventLoop::quit);
    loop.exec();
    return set.isSettled();
}

// 100 moves of the slider: to random positions, or (`drag`) forward through the log in
// steps of 1/100 of it, as when a person drags the handle.
void moveSlider(ProjectionSet& set, const std::string& prefix, qint64 last, bool drag)
{
    std::mt19937_64 random(11);
    std::uniform_int_distribution<qint64> pick(1, last);
    std::vector<double> ms;
    std::map<QString, std::vector<double>> perProjection;
    auto start = std::chrono::steady_clock::now();
    const auto connection
        = QObject::connect(&set, &ProjectionSet::viewChanged, &set, [&](const QString& name) {
              const auto view = set.view(name);
              if (view.at && view.at == set.asOfPosition() && !view.pending)
                  perProjection[name].push_back(
                      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                          .count());
          });
    for (int i = 0; i < 100; ++i) {
        start = std::chrono::steady_clock::now();
        set.setAsOfPosition(Position(drag ? std::max<qint64>(1, last * (i + 1) / 100 - 1) : pick(random)));
        if (!waitSettled(set, 120000)) {
            std::fprintf(stderr, "global slider: no answer within 2 minutes\n");
            return;
        }
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    QObject::disconnect(connection);
    std::sort(ms.begin(), ms.end());
    // Each projection's own answer time: which one the slider waits for.
    for (auto& [name, times] : perProjection) {
        std::sort(times.begin(), times.end());
        figure(prefix + "_" + name.toStdString() + "_p50_ms", times[times.size() / 2], "ms");
        figure(prefix + "_" + name.toStdString() + "_p99_ms", times[times.size() * 99 / 100], "ms");
    }
    figure(prefix + "_p50_ms", ms[ms.size() / 2], "ms");
    figure(prefix + "_p99_ms", ms[ms.size() * 99 / 100], "ms");
    figure(prefix + "_max_ms", ms.back(), "ms");
}

} // namespace

void runGlobalSliderBenchmark(qint64 events)
{
    QTemporaryDir dir;
    std::shared_ptr<EventStore> store;
    {
        auto created = createSqliteStore(dir.filePath(QStringLiteral("slider.chronoscope")));
        const Workload workload(events);
        for (qint64 first = 0; first < events; first += 10000)
            created->importRecorded(workload.recorded(first, std::min<qint64>(10000, events - first)));
        store = std::move(created);
    }
    const qint64 last = store->summary().lastPosition.value;

    ProjectionSet set;
    Stopwatch watch;
    watch.start();
    set.setStore(store);
    if (!waitSettled(set, 600000)) {
        std::fprintf(stderr, "global slider: the projections did not catch up within 10 minutes\n");
        return;
    }
    watch.stop();
    const auto builtins = set.names().size();
    figure("slider_builtin_projections", double(builtins), "projections");
    figure("slider_builtin_catch_up_s", watch.wallSeconds(), "s");
    moveSlider(set, "slider_builtins", last, false);
    set.setAsOfPosition(std::nullopt);
    moveSlider(set, "slider_builtins_drag", last, true);

    set.setAsOfPosition(std::nullopt);
    watch.start();
    set.addScript(QString::fromUtf8(kFromAllScript), QStringLiteral("from-all.js"));
    if (!waitSettled(set, 600000)) {
        std::fprintf(stderr, "global slider: the JavaScript projection did not catch up within 10 minutes\n");
        return;
    }
    watch.stop();
    figure("slider_js_catch_up_s", watch.wallSeconds(), "s");
    moveSlider(set, "slider_builtins_and_js", last, false);
    set.setAsOfPosition(std::nullopt);
    moveSlider(set, "slider_builtins_and_js_drag", last, true);
    figure("slider_rss_mib", residentMiB("VmRSS"), "MiB");
    figure("slider_rss_anon_mib", residentMiB("RssAnon"), "MiB");
    figure("slider_rss_file_mib", residentMiB("RssFile"), "MiB");
}

} // namespace chronoscope::bench
