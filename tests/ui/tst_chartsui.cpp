// The Charts dock read as a person reads it, offscreen in a real window: labels that fit (never
// elided), a time axis that a far outlier does not flatten, hover text with exact values, and
// clicks that filter the event table (a type, a type in a time bucket) or the stream list (a
// stream length). The store: 600 events over 20 days in streams of 1 to 6 events, and one
// event 300 days later.

#include "projections/chartaxes.h"
#include "projections/chartdata.h"
#include "projections/chartpick.h"
#include "projections/chartspanel.h"
#include "projections/projectionset.h"
#include "projections/readmodelchart.h"
#include "projections/typetimeline.h"
#include "store/memoryeventstore.h"
#include "streams/eventtablemodel.h"
#include "streams/streambrowser.h"
#include "streams/streamlistmodel.h"
#include "window/mainwindow.h"
#include "window/workspaces.h"

#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeView>
#include <QtCharts/QAbstractBarSeries>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLineSeries>

using namespace chronoscope;

namespace {

constexpr qint64 Day = 86400000;
constexpr qint64 T0 = 1767225600000; // 2026-01-01T00:00Z
constexpr int Timeout = 20000;
const QStringList Types {
    QStringLiteral("CartOpened"), QStringLiteral("ItemAdded"), QStringLiteral("CartConfirmed")};

std::shared_ptr<MemoryEventStore> makeStore(bool outlier)
{
    auto store = std::make_shared<MemoryEventStore>();
    int n = 0;
    for (int s = 0; n < 600; ++s) {
        const int length = s % 6 + 1;
        for (int v = 0; v < length && n < 600; ++v, ++n) {
            EventData e;
            e.type = Types[v == 0 ? 0 : (v == length - 1 ? 2 : 1)];
            e.data = "{}";
            e.timestampMs = T0 + qint64(n) * 20 * Day / 600;
            store->append(StreamId(QStringLiteral("cart-%1").arg(s)), {e}, ExpectedVersion::any());
        }
    }
    if (outlier) {
        EventData late;
        late.type = QStringLiteral("CartOpened");
        late.data = "{}";
        late.timestampMs = T0 + 300 * Day;
        store->append(StreamId(QStringLiteral("late-1")), {late}, ExpectedVersion::noStream());
    }
    return store;
}

QChart* chartOf(ReadModelChart* chart)
{
    return chart->view()->chart();
}

// The point of the view's viewport where the chart draws `value` of `series`.
QPoint viewPoint(ReadModelChart* chart, QAbstractSeries* series, const QPointF& value)
{
    QChart* c = chartOf(chart);
    const QPointF inChart = c->mapToPosition(value, series);
    return chart->view()->mapFromScene(c->mapToScene(inChart));
}

QAbstractBarSeries* barSeries(ReadModelChart* chart)
{
    for (QAbstractSeries* s : chartOf(chart)->series())
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(s))
            return bars;
    return nullptr;
}

void hoverAndClick(ReadModelChart* chart, const QPoint& at)
{
    QWidget* viewport = chart->view()->viewport();
    QTest::mouseMove(viewport, at + QPoint(0, 2));
    QTest::mouseMove(viewport, at);
    QTest::mouseClick(viewport, Qt::LeftButton, {}, at);
}

} // namespace

class TestChartsUi : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // --- the numbers behind the charts ---

    void bulkWindowLeavesOutFarTimes()
    {
        ChartData data;
        data.kind = ChartKind::TimeLine;
        for (int d = 0; d < 20; ++d) {
            data.times << T0 + d * Day;
        }
        data.series << ChartSeries {QStringLiteral("n"), QList<double>(20, 50.0)};
        // Every time when nothing is far out.
        TimeWindow whole = bulkTimeWindow(data);
        QVERIFY(!whole.trimmed());
        QCOMPARE(whole.firstIndex, 0);
        QCOMPARE(whole.lastIndex, 19);
        // One event 300 days later: left out, and counted.
        data.times << T0 + 300 * Day;
        data.series[0].values << 1;
        const TimeWindow bulk = bulkTimeWindow(data);
        QVERIFY(bulk.trimmed());
        QCOMPARE(bulk.lastIndex, 19);
        QCOMPARE(bulk.to, T0 + 19 * Day);
        QCOMPARE(bulk.after, 1.0);
        QCOMPARE(bulk.before, 0.0);
        // ... and one 300 days earlier too.
        data.times.prepend(T0 - 300 * Day);
        data.series[0].values.prepend(2);
        const TimeWindow both = bulkTimeWindow(data);
        QCOMPARE(both.before, 2.0);
        QCOMPARE(both.after, 1.0);
        QCOMPARE(both.from, T0);
        // Not left out: a far time holding more than the tail, or one that is not far.
        ChartData heavy = data;
        heavy.series[0].values.back() = 200;
        QCOMPARE(bulkTimeWindow(heavy).after, 0.0);
        ChartData near;
        near.kind = ChartKind::TimeLine;
        near.times = {T0, T0 + Day, T0 + 2 * Day, T0 + 3 * Day};
        near.series << ChartSeries {QStringLiteral("n"), {500, 500, 500, 1}};
        QVERIFY(!bulkTimeWindow(near).trimmed());
        QCOMPARE(bulkTimeWindow(ChartData {}).lastIndex, -1);
    }

    void gapsDropToZero()
    {
        ChartData data;
        data.kind = ChartKind::StackedTime;
        data.times = {T0, T0 + Day, T0 + 5 * Day, T0 + 7 * Day};
        data.series << ChartSeries {QStringLiteral("A"), {1, 2, 3, 4}}
                    << ChartSeries {QStringLiteral("B"), {5, 6, 7, 8}};
        const double total = data.total();
        fillTimeGaps(data, Day);
        // A zero after day 1 and before day 5 (a gap of 4 days), one between day 5 and 7.
        QCOMPARE(data.times,
            (QList<qint64> {
                T0, T0 + Day, T0 + 2 * Day, T0 + 4 * Day, T0 + 5 * Day, T0 + 6 * Day, T0 + 7 * Day}));
        QCOMPARE(data.series[0].values, (QList<double> {1, 2, 0, 0, 3, 0, 4}));
        QCOMPARE(data.series[1].values, (QList<double> {5, 6, 0, 0, 7, 0, 8}));
        QCOMPARE(data.total(), total);
        ChartData same = data;
        fillTimeGaps(same, Day); // done once is done
        QCOMPARE(same.times, data.times);
    }

    void bucketIgnoresAFarOutlier()
    {
        // 20 days of events: the bucket that suits them, with or without one 300 days later.
        const qint64 bulk = timelineBucketFor(*makeStore(false));
        QCOMPARE(bulk, timelineBucketMs(20 * Day));
        QCOMPARE(timelineBucketFor(*makeStore(true)), bulk);
        QVERIFY(timelineBucketMs(300 * Day) > bulk); // what the whole span would have given
    }

    void labelsAreFittedNotElided()
    {
        const QFont font;
        const QFontMetricsF metrics(font);
        const QStringList shortLabels {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")};
        QCOMPARE(fitCategoryLabels(shortLabels, font, 600), CategoryLabels {});
        QStringList ranges;
        for (int i = 0; i < 12; ++i)
            ranges << QStringLiteral("%1\u2013%2").arg(1 << i).arg((2 << i) - 1);
        const CategoryLabels standing = fitCategoryLabels(ranges, font, 12 * (metrics.height() + 4));
        QVERIFY(standing.angle != 0);
        QCOMPARE(standing.step, 1);
        const CategoryLabels thinned = fitCategoryLabels(ranges, font, 12 * metrics.height() / 3);
        QCOMPARE(thinned.angle, -90);
        QVERIFY(thinned.step >= 3);
        const QStringList shown = thinnedLabels(ranges, thinned.step);
        QCOMPARE(shown.size(), ranges.size());
        QCOMPARE(QSet<QString>(shown.begin(), shown.end()).size(), ranges.size()); // still distinct
        QCOMPARE(shown[0], ranges[0]);
        QCOMPARE(shown[thinned.step], ranges[thinned.step]);
        QVERIFY(shown[1].trimmed().remove(QChar(0x200B)).isEmpty());
        // Time ticks: as many labels as fit side by side.
        const QString format = QStringLiteral("yyyy-MM-dd");
        const double label = metrics.horizontalAdvance(QStringLiteral("2026-12-28"));
        for (const double width : {120.0, 300.0, 700.0}) {
            const int ticks = timeTicksThatFit(width, font, format);
            QVERIFY(ticks >= 2 && ticks <= 8);
            QVERIFY2(ticks == 2 || ticks * label <= width, qPrintable(QString::number(width)));
        }
    }

    void hoverTextHasExactValues()
    {
        ChartData data;
        data.kind = ChartKind::StackedTime;
        data.times = {T0, T0 + Day};
        data.series << ChartSeries {QStringLiteral("ItemAdded"), {1234, 1}}
                    << ChartSeries {QStringLiteral("other"), {5, 0}};
        data.otherNames = {QStringLiteral("A<b>"), QStringLiteral("B")};
        const ChartPick pick = timePick(data, 0, 0, Day);
        QCOMPARE(*pick.time, T0);
        const QString text = hoverText(data, pick, QStringLiteral("Click"));
        QVERIFY2(text.contains(QStringLiteral("2026-01-01")), qPrintable(text));
        QVERIFY2(text.contains(QLocale().toString(1234)), qPrintable(text));
        QVERIFY2(text.contains(QLocale().toString(1239)), qPrintable(text)); // all types of the bucket
        const ChartPick other = timePick(data, 1, 0, Day);
        QCOMPARE(other.members, data.otherNames);
        const QString otherText = hoverText(data, other);
        QVERIFY2(otherText.contains(QStringLiteral("A&lt;b&gt;")), qPrintable(otherText)); // escaped
        QCOMPARE(nearestTime(data, T0 + Day / 3, 0, 1), 0);
        QCOMPARE(nearestTime(data, T0 + 2 * Day / 3, 0, 1), 1);
    }

    // --- the charts in the window ---

    void chartsReadAndFilter()
    {
        MainWindow window;
        window.setErrorDialogsEnabled(false);
        window.resize(1366, 768);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto store = makeStore(true);
        window.setStore(store, QStringLiteral("charts"));
        QVERIFY(window.workspaces()->activate(QStringLiteral("projections")));
        ChartsPanel* charts = window.chartsPanel();
        QTRY_VERIFY_WITH_TIMEOUT(window.projectionSet()->isSettled(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(charts->typesChart()->data().total(), 601.0, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(charts->timelineChart()->data().total(), 601.0, Timeout);
        QTest::qWait(50); // laid out

        // The time axis: the 20 days, not the 300; the late event named under the chart.
        ReadModelChart* timeline = charts->timelineChart();
        QVERIFY(timeline->timeWindow().trimmed());
        QCOMPARE(timeline->timeWindow().after, 1.0);
        QVERIFY(timeline->timeWindow().to < T0 + 21 * Day);
        const QString note = timeline->outlierNote();
        QVERIFY2(note.contains(QStringLiteral("1 after")) && note.contains(QStringLiteral("2026-10-28")),
            qPrintable(note));
        auto* noteLabel = timeline->findChild<QLabel*>(QStringLiteral("chartOutliers"));
        QVERIFY(noteLabel && noteLabel->isVisible());
        Q_EMIT noteLabel->linkActivated(QStringLiteral("all")); // the link, as clicked
        QVERIFY(timeline->showsAllTimes());
        QVERIFY(!timeline->timeWindow().trimmed());
        QVERIFY(timeline->outlierNote().contains(QStringLiteral("Leave out")));
        Q_EMIT noteLabel->linkActivated(QStringLiteral("bulk"));
        QVERIFY(!timeline->showsAllTimes());
        // Its time labels fit the plot's width.
        auto* timeAxis = qobject_cast<QDateTimeAxis*>(chartOf(timeline)->axes(Qt::Horizontal).value(0));
        QVERIFY(timeAxis);
        QVERIFY(!timeAxis->truncateLabels());
        const double labelWidth
            = QFontMetricsF(timeAxis->labelsFont()).horizontalAdvance(QStringLiteral("2026-01-01"));
        QVERIFY2(timeAxis->tickCount() == 2
                || timeAxis->tickCount() * labelWidth <= chartOf(timeline)->plotArea().width(),
            qPrintable(QString::number(timeAxis->tickCount())));

        // Event types: every bar named; hovering tells the exact count; a click filters the table.
        ReadModelChart* types = charts->typesChart();
        QAbstractBarSeries* typeBars = barSeries(types);
        QVERIFY(typeBars);
        QBarCategoryAxis* typeAxis = nullptr;
        for (QAbstractAxis* axis : typeBars->attachedAxes())
            typeAxis = typeAxis ? typeAxis : qobject_cast<QBarCategoryAxis*>(axis);
        QVERIFY(typeAxis);
        QVERIFY(!typeAxis->truncateLabels());
        const int itemAdded = int(types->drawnCategories().indexOf(QStringLiteral("ItemAdded")));
        QVERIFY2(itemAdded >= 0, qPrintable(types->drawnCategories().join(QLatin1Char(','))));
        const double itemAddedCount = typeBars->barSets().front()->at(itemAdded);
        QVERIFY(itemAddedCount > 100);
        const bool lying = typeBars->type() == QAbstractSeries::SeriesTypeHorizontalBar;
        const QPoint bar = viewPoint(types, typeBars,
            lying ? QPointF(itemAddedCount / 2, itemAdded) : QPointF(itemAdded, itemAddedCount / 2));
        QSignalSpy picked(types, &ReadModelChart::picked);
        hoverAndClick(types, bar);
        QVERIFY2(types->hoverText().contains(QStringLiteral("ItemAdded"))
                && types->hoverText().contains(QLocale().toString(qint64(itemAddedCount))),
            qPrintable(types->hoverText()));
        QCOMPARE(picked.size(), 1);
        QTRY_VERIFY(window.eventsTitle().contains(QStringLiteral("picked in the Charts")));
        QVERIFY2(
            window.eventsTitle().contains(QStringLiteral("ItemAdded")), qPrintable(window.eventsTitle()));
        EventTableModel* events = window.eventModel();
        while (events->canFetchMore({}))
            events->fetchMore({});
        QCOMPARE(events->rowCount(), int(itemAddedCount));
        for (int row = 0; row < events->rowCount(); row += 17)
            QCOMPARE(events->eventAt(row).type, QStringLiteral("ItemAdded"));

        // The timeline: a click on a type's area in a bucket shows that type in that bucket.
        QAreaSeries* area = nullptr;
        for (QAbstractSeries* s : chartOf(timeline)->series()) {
            if (auto* a = qobject_cast<QAreaSeries*>(s); a && a->name() == QStringLiteral("ItemAdded"))
                area = a;
        }
        QVERIFY(area);
        const qint64 bucket = window.projectionSet()->timelineBucketMs();
        const qsizetype middle = timeline->data().times.indexOf(T0 + 10 * Day - (T0 + 10 * Day) % bucket);
        QVERIFY(middle >= 0);
        const QPointF upper = area->upperSeries()->at(int(middle - timeline->timeWindow().firstIndex));
        const QPointF lower = area->lowerSeries()
            ? area->lowerSeries()->at(int(middle - timeline->timeWindow().firstIndex))
            : QPointF(upper.x(), 0);
        QVERIFY(upper.y() > lower.y());
        QSignalSpy timePicked(timeline, &ReadModelChart::picked);
        hoverAndClick(timeline, viewPoint(timeline, area, QPointF(upper.x(), (upper.y() + lower.y()) / 2)));
        QCOMPARE(timePicked.size(), 1);
        const auto pick = timePicked.front().front().value<ChartPick>();
        QCOMPARE(pick.series, QStringLiteral("ItemAdded"));
        QCOMPARE(*pick.time, timeline->data().times[middle]);
        QVERIFY2(
            timeline->hoverText().contains(QStringLiteral("ItemAdded")), qPrintable(timeline->hoverText()));
        while (events->canFetchMore({}))
            events->fetchMore({});
        QVERIFY(events->rowCount() > 0);
        QCOMPARE(double(events->rowCount()), upper.y() - lower.y());
        for (int row = 0; row < events->rowCount(); ++row) {
            const RecordedEvent e = events->eventAt(row);
            QCOMPARE(e.type, QStringLiteral("ItemAdded"));
            QVERIFY(e.timestampMs >= *pick.time && e.timestampMs < *pick.time + bucket);
        }

        // All streams, clicked in the tree, shows every event again.
        QTreeView* tree = window.browser()->treeView();
        const QModelIndex allRow = tree->model()->index(0, 0);
        tree->scrollTo(allRow);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(allRow).center());
        QTRY_VERIFY(!window.eventsTitle().contains(QStringLiteral("picked in the Charts")));
        QCOMPARE(events->rowCount(), 601);

        // Stream lengths: a click on a bar lists the streams of that length.
        ReadModelChart* lengths = charts->lengthsChart();
        QAbstractBarSeries* lengthBars = barSeries(lengths);
        QVERIFY(lengthBars);
        const int three = int(lengths->data().categories.indexOf(QStringLiteral("3")));
        QVERIFY2(three >= 0, qPrintable(lengths->data().categories.join(QLatin1Char(','))));
        const double streamsOfThree = lengthBars->barSets().front()->at(three);
        // Lengths 1..6 in turn take 21 events: 28 rounds, then streams of 1, 2, 3, 4 and 2 events.
        QCOMPARE(streamsOfThree, 29.0);
        hoverAndClick(lengths, viewPoint(lengths, lengthBars, QPointF(three, streamsOfThree / 2)));
        QVERIFY2(lengths->hoverText().contains(QStringLiteral("<b>3</b>")), qPrintable(lengths->hoverText()));
        QCOMPARE(window.browser()->filterEdit()->text(), QStringLiteral("events:3"));
        QTableView* list = window.browser()->listView();
        QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), int(streamsOfThree), Timeout);
        for (int row = 0; row < list->model()->rowCount(); ++row) {
            const auto stream
                = list->model()->index(row, 0).data(StreamListModel::StreamIdRole).value<StreamId>();
            QCOMPARE(store->streamInfo(stream)->events, 3);
        }
    }

    // Before the projections have counted anything, the charts say they are counting.
    void emptyStateSaysComputing()
    {
        auto store = makeStore(false);
        ProjectionSet set;
        ChartsPanel panel(&set);
        auto* note = panel.typesChart()->findChild<QLabel*>();
        QVERIFY(note);
        set.setStore(store);
        bool sawCounting = false;
        for (QLabel* label : panel.findChildren<QLabel*>())
            sawCounting |= label->text().contains(QStringLiteral("Counting"));
        QVERIFY(sawCounting);
        for (QLabel* label : panel.findChildren<QLabel*>())
            QVERIFY2(!label->text().contains(QStringLiteral("Open a store")), qPrintable(label->text()));
    }
};

QTEST_MAIN(TestChartsUi)
#include "tst_chartsui.moc"
