// Projections in the window, offscreen: the list with status / checkpoint / lag, the read model
// flattened into a table, the chart chosen from its shape, the JavaScript editor's errors, the
// stepper, the global position slider (compared with independent rebuilds), live updates and
// the Charts panel. A small shop store with known events is the fixture.
#include "projections/catchupindicator.h"
#include "projections/chartdata.h"
#include "projections/chartspanel.h"
#include "projections/positionslider.h"
#include "projections/projectionlistmodel.h"
#include "projections/projectionscriptpanel.h"
#include "projections/projectionset.h"
#include "projections/projectionspanel.h"
#include "projections/projectionstatusdelegate.h"
#include "projections/projectionstepmodel.h"
#include "projections/projectionstepper.h"
#include "projections/readmodelchart.h"
#include "projections/readmodeltablemodel.h"
#include "projections/typetimeline.h"
#include "sample/sampledomain.h"
#include "store/memoryeventstore.h"
#include "timetravel/reducereditor.h"
#include "widgets/jsontreemodel.h"
#include "widgets/scripteditor.h"
#include "window/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QDockWidget>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSlider>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace chronoscope;
using nlohmann::json;

#define QCOMPARE_JSON(actual, expected)                                                                      \
    QCOMPARE(QString::fromStdString(json(actual).dump()), QString::fromStdString(json(expected).dump()))

namespace {

const qint64 T0 = 1767607200000; // 2026-01-05T10:00:00Z
constexpr int Timeout = 20000;

void add(EventStore& store, const QString& stream, const char* type, const json& data, qint64 minute)
{
    EventData e;
    e.type = QString::fromLatin1(type);
    e.data = QByteArray::fromStdString(data.dump());
    e.timestampMs = T0 + minute * 60000;
    store.append(StreamId(stream), {e}, ExpectedVersion::any());
}

// Four carts over about two days: opened, items added (and one removed), confirmed or
// abandoned; an order placed and paid per confirmed cart; a note. 28 events, one every 97 minutes.
std::shared_ptr<MemoryEventStore> makeShop()
{
    auto store = std::make_shared<MemoryEventStore>();
    qint64 minute = 0;
    const auto next = [&minute] { return (minute += 97); };
    for (int c = 1; c <= 4; ++c) {
        const QString cart = QStringLiteral("cart-%1").arg(c);
        add(*store, cart, "CartOpened", {{"customerId", "c" + std::to_string(c)}}, next());
    }
    for (int round = 0; round < 3; ++round) {
        for (int c = 1; c <= 4; ++c) {
            const QString cart = QStringLiteral("cart-%1").arg(c);
            add(*store, cart, "ItemAdded",
                {{"sku", round % 2 ? "B" : "A"}, {"quantity", c}, {"unitPrice", 100 * (round + 1)}}, next());
        }
    }
    add(*store, QStringLiteral("cart-2"), "ItemRemoved", {{"sku", "A"}, {"quantity", 1}}, next());
    for (int c = 1; c <= 4; ++c) {
        const QString cart = QStringLiteral("cart-%1").arg(c);
        if (c == 4) {
            add(*store, cart, "CartAbandoned", {{"reason", "timeout"}}, next());
            continue;
        }
        add(*store, cart, "CartConfirmed", {{"customerId", "c" + std::to_string(c)}}, next());
        const QString order = QStringLiteral("order-%1").arg(c);
        add(*store, order, "OrderPlaced", {{"cartId", cart.toStdString()}}, next());
        add(*store, order, "OrderPaid", {{"amount", 1000 * c}}, next());
    }
    add(*store, QStringLiteral("audit"), "Note", {{"text", "checked"}}, next());
    return store;
}

// A script that throws on the event at a position (line 4 of the script).
QString throwingScript(int position)
{
    return QStringLiteral("fromAll().when({\n"
                          "  $init: function () { return { n: 0 }; },\n"
                          "  $any: function (s, e) {\n"
                          "    if (e.position === %1) throw new Error('cannot count ' + e.eventType);\n"
                          "    s.n += 1;\n"
                          "  }\n"
                          "});\n")
        .arg(position);
}

const QString CountPerStream
    = QStringLiteral("fromAll().when({\n"
                     "  $init: function () { return {}; },\n"
                     "  $any: function (s, e) { s[e.streamId] = (s[e.streamId] || 0) + 1; }\n"
                     "});\n");

// The read model after a fresh rebuild up to p, computed without the set or the runners.
json rebuiltUpTo(const EventStore& store, const std::shared_ptr<const Projection>& projection, qint64 p)
{
    ProjectionEngine engine(store, projection);
    engine.rebuild({}, Position(p));
    return engine.state();
}

ProjectionEngine::Options smallCheckpoints()
{
    ProjectionEngine::Options options;
    options.snapshotEvery = 4; // snapshots every few positions: stateAsOf replays from them
    options.batchSize = 7;
    return options;
}

} // namespace

class TestProjectionsUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // --- models ---

    void listModel()
    {
        ProjectionListModel model;
        QAbstractItemModelTester tester(&model);
        ProjectionRow row;
        row.name = QStringLiteral("a");
        row.checkpoint = Position(3);
        row.lastPosition = Position(10);
        model.addRow(row);
        row.name = QStringLiteral("b.js");
        row.script = true;
        row.status = ProjectionStatus::Faulted;
        row.fault = ProjectionFault {QStringLiteral("b.js:4: Error: no"), Position(5),
            StreamId(QStringLiteral("s-1")), Version(2), QStringLiteral("T")};
        model.addRow(row);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.indexOf(QStringLiteral("b.js")), 1);
        QCOMPARE(model.index(0, ProjectionListModel::LagColumn).data().toLongLong(), 7);
        QCOMPARE(
            model.index(1, ProjectionListModel::StatusColumn).data().toString(), QStringLiteral("faulted"));
        const QString fault = model.index(1, 0).data(ProjectionListModel::FaultRole).toString();
        QVERIFY2(fault.contains(
                     QStringLiteral("b.js:4: Error: no at position 5 (stream 's-1' version 2, type 'T')")),
            qPrintable(fault));
        QCOMPARE(ProjectionStatusDelegate::statusText(model.index(1, ProjectionListModel::StatusColumn)),
            QStringLiteral("faulted"));
        row.busy = true;
        row.done = 25;
        row.total = 100;
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.updateRow(1, row);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.index(1, 0).data(ProjectionListModel::ProgressRole).toDouble(), 0.25);
        QCOMPARE(ProjectionStatusDelegate::statusText(model.index(1, ProjectionListModel::StatusColumn)),
            QStringLiteral("rebuilding 25%"));
        model.removeRowAt(0);
        QCOMPARE(model.indexOf(QStringLiteral("b.js")), 0);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void tableFlattensShapes_data()
    {
        QTest::addColumn<QByteArray>("readModel");
        QTest::addColumn<int>("shape");
        QTest::addColumn<int>("rows");
        QTest::addColumn<QStringList>("headers");
        QTest::addColumn<QStringList>("firstRow");
        QTest::newRow("object of objects")
            << QByteArray(R"({"cart-1":{"status":"open","total":250},"cart-2":{"total":90,"items":{"A":1}}})")
            << int(ReadModelShape::Records) << 2
            << QStringList {QStringLiteral("key"), QStringLiteral("status"), QStringLiteral("total"),
                   QStringLiteral("items")}
            << QStringList {
                   QStringLiteral("cart-1"), QStringLiteral("open"), QStringLiteral("250"), QString()};
        QTest::newRow("object of numbers")
            << QByteArray(R"({"CartOpened":4,"ItemAdded":12})") << int(ReadModelShape::KeyValue) << 2
            << QStringList {QStringLiteral("key"), QStringLiteral("value")}
            << QStringList {QStringLiteral("CartOpened"), QStringLiteral("4")};
        // (members come in the order nlohmann::json keeps them: by name)
        QTest::newRow("array of objects")
            << QByteArray(R"([{"sku":"A","n":2},{"sku":"B"}])") << int(ReadModelShape::Rows) << 2
            << QStringList {QStringLiteral("#"), QStringLiteral("n"), QStringLiteral("sku")}
            << QStringList {QStringLiteral("0"), QStringLiteral("2"), QStringLiteral("A")};
        QTest::newRow("array of numbers") << QByteArray("[0,3,1]") << int(ReadModelShape::List) << 3
                                          << QStringList {QStringLiteral("#"), QStringLiteral("value")}
                                          << QStringList {QStringLiteral("0"), QStringLiteral("0")};
        QTest::newRow("mixed object")
            << QByteArray(R"({"streams":{"a":1},"histogram":[0,1]})") << int(ReadModelShape::KeyValue) << 2
            << QStringList {QStringLiteral("key"), QStringLiteral("value")}
            << QStringList {QStringLiteral("histogram"), QStringLiteral("[2]")};
        QTest::newRow("scalar") << QByteArray("42") << int(ReadModelShape::Scalar) << 1
                                << QStringList {QStringLiteral("value")}
                                << QStringList {QStringLiteral("42")};
        QTest::newRow("empty") << QByteArray("{}") << int(ReadModelShape::Empty) << 0
                               << QStringList {QStringLiteral("value")} << QStringList {};
    }
    void tableFlattensShapes()
    {
        QFETCH(QByteArray, readModel);
        QFETCH(int, shape);
        QFETCH(int, rows);
        QFETCH(QStringList, headers);
        QFETCH(QStringList, firstRow);
        ReadModelTableModel model;
        QAbstractItemModelTester tester(&model);
        model.setJson(json::parse(readModel.toStdString()));
        QCOMPARE(int(model.shape()), shape);
        QCOMPARE(model.rowCount(), rows);
        QStringList actualHeaders;
        for (int c = 0; c < model.columnCount(); ++c)
            actualHeaders << model.headerData(c, Qt::Horizontal).toString();
        QCOMPARE(actualHeaders, headers);
        QStringList actualRow;
        for (int c = 0; rows > 0 && c < model.columnCount(); ++c)
            actualRow << model.index(0, c).data().toString();
        QCOMPARE(actualRow, firstRow);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void tableUpdatesInPlaceAndDrillsIn()
    {
        ReadModelTableModel model;
        QAbstractItemModelTester tester(&model);
        model.setJson(json::parse(R"({"streams":{"a":1,"b/c":2},"histogram":[0,1,1]})"));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        // Same layout, new numbers: data changes only (selection and scrolling stay).
        model.setJson(json::parse(R"({"streams":{"a":5,"b/c":2},"histogram":[0,1,0,1]})"));
        QCOMPARE(resets.count(), 0);
        QCOMPARE(changes.count(), 1);
        // A cell holding an object opens: its pointer, then the table of its members.
        const QModelIndex streams = model.index(1, 1);
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("streams"));
        QCOMPARE(streams.data(ReadModelTableModel::PointerRole).toString(), QStringLiteral("/streams"));
        QVERIFY(model.setRoot(QStringLiteral("/streams")));
        QCOMPARE(model.shape(), ReadModelShape::KeyValue);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("b/c"));
        QCOMPARE(model.index(1, 1).data(ReadModelTableModel::PointerRole).toString(),
            QStringLiteral("/streams/b~1c"));
        QCOMPARE(model.index(0, 1).data(ReadModelTableModel::SortRole).toDouble(), 5.0);
        QCOMPARE(model.parentRoot(), QString());
        // A scalar or a missing member cannot be opened.
        QVERIFY(!model.setRoot(QStringLiteral("/streams/a")));
        QVERIFY(!model.setRoot(QStringLiteral("/nothing")));
        QCOMPARE(model.root(), QStringLiteral("/streams"));
        // A new read model keeps the root while it exists, and falls back to the whole when not.
        model.setJson(json::parse(R"({"streams":{"a":6,"b/c":2,"d":1}})"));
        QCOMPARE(model.root(), QStringLiteral("/streams"));
        QCOMPARE(model.rowCount(), 3);
        model.setJson(json::parse(R"({"other":1})"));
        QCOMPARE(model.root(), QString());
        QCOMPARE(model.rowCount(), 1);
    }

    void stepModel()
    {
        ProjectionStepModel model;
        QAbstractItemModelTester tester(&model);
        std::vector<ProjectionStep> steps(2);
        steps[0].position = Position(3);
        steps[0].stream = StreamId(QStringLiteral("cart-1"));
        steps[0].version = Version(1);
        steps[0].type = QStringLiteral("CartOpened");
        steps[0].before = json::object();
        steps[0].after = json {{"n", 1}, {"last", "CartOpened"}};
        steps[0].elapsedNs = 12500;
        steps[1].position = Position(7);
        steps[1].type = QStringLiteral("ItemAdded");
        steps[1].before = steps[0].after;
        steps[1].after = steps[0].after;
        steps[1].error = QStringLiteral("x.js:4: boom");
        model.setSteps(steps);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, ProjectionStepModel::ChangesColumn).data().toInt(), 2);
        QCOMPARE(model.index(0, ProjectionStepModel::ElapsedColumn).data().toString(),
            QStringLiteral("12.5 \u00b5s"));
        QCOMPARE(model.index(1, ProjectionStepModel::ErrorColumn).data().toString(),
            QStringLiteral("x.js:4: boom"));
        QCOMPARE(model.rowOfPosition(Position(7)), 1);
        QCOMPARE(model.rowOfPosition(Position(5)), -1);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    // --- charts from shapes ---

    void chartChosenFromShape_data()
    {
        QTest::addColumn<QByteArray>("readModel");
        QTest::addColumn<int>("kind");
        QTest::newRow("object of numbers") << QByteArray(R"({"A":1,"B":2})") << int(ChartKind::Bars);
        QTest::newRow("day keys") << QByteArray(R"({"2026-01-05":8,"2026-01-06":3})")
                                  << int(ChartKind::TimeLine);
        QTest::newRow("hour keys") << QByteArray(R"({"2026-01-05T10:00Z":2,"2026-01-05T11:00Z":5})")
                                   << int(ChartKind::TimeLine);
        QTest::newRow("array of numbers") << QByteArray("[0,2,2,1]") << int(ChartKind::Bars);
        QTest::newRow("records") << QByteArray(
            R"({"cart-1":{"status":"open","total":3},"cart-2":{"total":4}})")
                                 << int(ChartKind::GroupedBars);
        QTest::newRow("time-keyed records")
            << QByteArray(R"({"2026-01-05":{"A":1},"2026-01-06":{"A":2,"B":1}})")
            << int(ChartKind::StackedTime);
        QTest::newRow("records without numbers") << QByteArray(R"({"a":{"s":"x"}})") << int(ChartKind::None);
        QTest::newRow("strings") << QByteArray(R"({"a":"x","b":"y"})") << int(ChartKind::None);
        QTest::newRow("mixed") << QByteArray(R"({"a":1,"b":"y"})") << int(ChartKind::None);
        QTest::newRow("array of objects") << QByteArray(R"([{"a":1}])") << int(ChartKind::None);
        QTest::newRow("scalar") << QByteArray("7") << int(ChartKind::None);
        QTest::newRow("empty") << QByteArray("{}") << int(ChartKind::None);
        json many = json::object();
        for (int i = 0; i <= MaxGroupedBarRows; ++i)
            many["r" + std::to_string(i)] = json {{"n", i}};
        QTest::newRow("too many records") << QByteArray::fromStdString(many.dump()) << int(ChartKind::None);
    }
    void chartChosenFromShape()
    {
        QFETCH(QByteArray, readModel);
        QFETCH(int, kind);
        const json value = json::parse(readModel.toStdString());
        QCOMPARE(chartKindName(chooseChart(value)), chartKindName(ChartKind(kind)));
        ReadModelChart chart;
        chart.setReadModel(value, QStringLiteral("t"));
        QCOMPARE(chartKindName(chart.kind()), chartKindName(ChartKind(kind)));
        QCOMPARE(chart.seriesCount() > 0, kind != int(ChartKind::None));
    }

    void chartDataFromReadModels()
    {
        // Bars beyond the limit: the largest kept, the rest summed as "other".
        const auto bars
            = chartData(json::parse(R"({"a":1,"b":9,"c":3,"d":2})"), ChartKind::Bars, {3, 8, false});
        QCOMPARE(bars.categories,
            (QStringList {QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("other (2)")}));
        QCOMPARE(bars.series.front().values, (QList<double> {9, 3, 3}));
        QCOMPARE(bars.otherCount, 2);
        QCOMPARE(chartData(json::parse(R"({"a":1,"b":9})"), ChartKind::Bars).otherCount, 0);
        // Time line: points in time order.
        const auto line = chartData(json::parse(R"({"2026-01-06":3,"2026-01-05":8})"), ChartKind::TimeLine);
        QCOMPARE(line.times, (QList<qint64> {T0 - 10 * 3600000, T0 + 14 * 3600000}));
        QCOMPARE(line.series.front().values, (QList<double> {8, 3}));
        // Stacked: a series per field, largest first, missing values 0; the total is kept when folding.
        const json stacked = json::parse(R"({"2026-01-05":{"A":1,"B":5},"2026-01-06":{"A":2,"C":1}})");
        const auto areas = chartData(stacked, ChartKind::StackedTime);
        QCOMPARE(areas.series.size(), 3);
        QCOMPARE(areas.series[0].name, QStringLiteral("B"));
        QCOMPARE(areas.series[0].values, (QList<double> {5, 0}));
        QCOMPARE(chartData(stacked, ChartKind::StackedTime, {25, 2, false}).series.size(), 2);
        QCOMPARE(chartData(stacked, ChartKind::StackedTime, {25, 2, false}).total(), 9.0);
        // Histogram: size 0 left out; a bar per size, or bins doubling in width when there are many sizes.
        const auto few = histogramData(json::parse("[0,4,2,1]"), 3);
        QCOMPARE(
            few.categories, (QStringList {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}));
        QCOMPARE(few.series.front().values, (QList<double> {4, 2, 1}));
        const auto many = histogramData(json::parse("[0,4,2,1,0,1,0,0,0,3]"), 3);
        QCOMPARE(many.categories,
            (QStringList {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3\u20134"),
                QStringLiteral("5\u20138"), QStringLiteral("9")}));
        QCOMPARE(many.series.front().values, (QList<double> {4, 2, 1, 1, 3}));
        QVERIFY(parseTimeKey(QStringLiteral("2026-01-05T10:00Z")) == T0);
        QVERIFY(parseTimeKey(QStringLiteral("2026-01-05T11:00:00+01:00")) == T0);
        QVERIFY(!parseTimeKey(QStringLiteral("cart-1")));
    }

    void typeTimeline()
    {
        QCOMPARE(timelineBucketMs(30 * 60000), qint64(60000));
        QCOMPARE(timelineBucketMs(2 * 86400000LL), qint64(3600000));
        QCOMPARE(timelineBucketMs(200 * 86400000LL), qint64(7 * 86400000LL));
        QCOMPARE(QString::fromStdString(timelineBucketKey(T0 + 61 * 60000, 15 * 60000)),
            QStringLiteral("2026-01-05T11:00Z"));
        QCOMPARE(QString::fromStdString(timelineBucketKey(T0, 86400000)), QStringLiteral("2026-01-05"));
        QCOMPARE(QString::fromStdString(timelineBucketKey(-1, 3600000)), QStringLiteral("1969-12-31T23:00Z"));
        auto store = makeShop();
        const qint64 bucket = timelineBucketFor(*store);
        QCOMPARE(bucket, qint64(3600000)); // 28 events 97 minutes apart: about 44 hours
        const json timeline = rebuiltUpTo(*store, typeTimelineProjection(bucket), 28);
        const json byType = rebuiltUpTo(*store, builtinProjection(QStringLiteral("events-by-type")), 28);
        json summed = json::object();
        for (const auto& bucketCounts : timeline)
            for (const auto& [type, n] : bucketCounts.items())
                summed[type] = summed.value(type, 0) + n.get<int>();
        QCOMPARE_JSON(summed, byType);
        QVERIFY_THROWS_EXCEPTION(InvalidInput, typeTimelineProjection(10));
    }

    // --- the projection set and the panel ---

    void statusShowsFaultWithReason()
    {
        auto store = makeShop();
        ProjectionSet set;
        set.setStore(store);
        ProjectionsPanel panel(&set);
        const QString name = set.addScript(throwingScript(9), QStringLiteral("thrower.js"));
        QCOMPARE(name, QStringLiteral("thrower.js"));
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        const int row = set.model()->indexOf(name);
        QVERIFY(row >= 0);
        const QModelIndex status = set.model()->index(row, ProjectionListModel::StatusColumn);
        QCOMPARE(status.data().toString(), QStringLiteral("faulted"));
        QCOMPARE(ProjectionStatusDelegate::statusText(status), QStringLiteral("faulted"));
        const QString reason = status.data(ProjectionListModel::FaultRole).toString();
        QVERIFY2(reason.contains(QStringLiteral("thrower.js:4")), qPrintable(reason));
        QVERIFY2(reason.contains(QStringLiteral("cannot count ItemAdded")), qPrintable(reason));
        QVERIFY2(
            reason.contains(QStringLiteral("at position 9 (stream 'cart-1' version 3, type 'ItemAdded')")),
            qPrintable(reason));
        QCOMPARE(set.model()->row(row).checkpoint, Position(8));
        QCOMPARE(set.model()->index(row, ProjectionListModel::LagColumn).data().toLongLong(), 20);
        // The built-ins are unaffected.
        const int byType = set.model()->indexOf(QStringLiteral("events-by-type"));
        QCOMPARE(set.model()->index(byType, ProjectionListModel::StatusColumn).data().toString(),
            QStringLiteral("running"));
        QCOMPARE(set.model()->index(byType, ProjectionListModel::CheckpointColumn).data().toLongLong(), 28);
        // Selected, the editor marks the line and says why.
        QVERIFY(panel.selectProjection(name));
        QCOMPARE(panel.scriptPanel()->target(), name);
        QCOMPARE(panel.scriptPanel()->errorLine(), 4);
        QVERIFY2(panel.scriptPanel()->statusText().contains(QStringLiteral("cannot count ItemAdded")),
            qPrintable(panel.scriptPanel()->statusText()));
        QVERIFY2(panel.viewStatusText().contains(QStringLiteral("position 9")),
            qPrintable(panel.viewStatusText()));
        // The read model stays as it was just before the faulting event.
        QCOMPARE_JSON(panel.tableModel()->readModel(), (json {{"n", 8}}));
    }

    void syntaxErrorShownWithLine()
    {
        auto store = makeShop();
        ProjectionSet set;
        set.setStore(store);
        ProjectionsPanel panel(&set);
        ProjectionScriptPanel* script = panel.scriptPanel();
        const int before = set.model()->size();
        script->setSource(
            QStringLiteral("fromAll()\n  .when({\n    $any: function (s, e) { s.n = ; }\n  });\n"),
            QStringLiteral("broken.js"));
        QTest::mouseClick(script->runButton(), Qt::LeftButton);
        QCOMPARE(script->errorLine(), 3);
        QCOMPARE(script->editor()->errorLine(), 3);
        QCOMPARE(script->editor()->textCursor().blockNumber(), 2);
        QVERIFY2(
            script->statusText().startsWith(QStringLiteral("Line 3:")), qPrintable(script->statusText()));
        QVERIFY2(
            script->statusText().contains(QStringLiteral("broken.js:3")), qPrintable(script->statusText()));
        QCOMPARE(set.model()->size(), before); // nothing was added

        // A script that works is added and selected; a broken replacement keeps it running.
        script->setSource(CountPerStream, QStringLiteral("per-stream.js"));
        QCOMPARE(script->run(), QStringLiteral("per-stream.js"));
        QCOMPARE(panel.selectedProjection(), QStringLiteral("per-stream.js"));
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        script->editor()->setPlainText(
            QStringLiteral("fromAll().when({\n  $any: function (s, e) {\n    s.x = (;\n  }\n});\n"));
        QVERIFY(script->run().isEmpty());
        QCOMPARE(script->errorLine(), 3);
        QCOMPARE(set.scriptSource(QStringLiteral("per-stream.js")), CountPerStream);
        const int row = set.model()->indexOf(QStringLiteral("per-stream.js"));
        QCOMPARE(set.model()->index(row, ProjectionListModel::StatusColumn).data().toString(),
            QStringLiteral("running"));
        QCOMPARE_JSON(set.view(QStringLiteral("per-stream.js")).state()["cart-1"], 5);
    }

    void catchUpIndicatorShowsProgressAndCancels()
    {
        // A projection that takes its time (a loop per event) over 3,000 events: the status
        // bar's indicator shows its progress, and its Cancel button stops it where it got to.
        auto store = std::make_shared<MemoryEventStore>();
        for (int i = 0; i < 3000; ++i)
            add(*store, QStringLiteral("tick-%1").arg(i % 50), "Tick", {{"n", i}}, i);
        ProjectionSet set;
        set.setStore(store);
        CatchUpIndicator indicator(&set);
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        QVERIFY(indicator.isHidden()); // nothing under way: nothing shown
        const QString slow
            = set.addScript(QStringLiteral("fromAll().when({\n"
                                           "  $init: function () { return {n: 0}; },\n"
                                           "  $any: function (s, e) {\n"
                                           "    for (var i = 0; i < 20000; ++i) s.n += i % 2;\n"
                                           "  }\n"
                                           "});\n"),
                QStringLiteral("slow.js"));
        QTRY_VERIFY_WITH_TIMEOUT(!indicator.isHidden(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(indicator.progressBar()->toolTip().contains(slow), Timeout);
        QVERIFY2(indicator.progressBar()->text().contains(QStringLiteral("catching up")),
            qPrintable(indicator.progressBar()->text()));
        QTest::mouseClick(indicator.cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(indicator.isHidden(), Timeout);
        const auto* model = set.model();
        const ProjectionRow& row = model->row(model->indexOf(slow));
        QCOMPARE(row.status, ProjectionStatus::Stopped);
        QVERIFY2(row.checkpoint.value < 3000, qPrintable(QString::number(row.checkpoint.value)));
        // Rebuild starts it again and it runs to the end.
        set.rebuild(slow);
        QTRY_VERIFY_WITH_TIMEOUT(!indicator.isHidden(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(indicator.isHidden(), 60000);
        QCOMPARE(model->row(model->indexOf(slow)).checkpoint.value, 3000);
    }

    void catchUpIndicatorSitsInTheStatusBar()
    {
        MainWindow window;
        auto* indicator
            = window.statusBar()->findChild<CatchUpIndicator*>(QStringLiteral("catchUpIndicator"));
        QVERIFY(indicator);
        QVERIFY(indicator->isHidden());
    }

    void globalSliderMatchesIndependentRebuild()
    {
        auto store = makeShop();
        ProjectionSet set;
        set.setEngineOptions(smallCheckpoints());
        set.setStore(store);
        set.addScript(CountPerStream, QStringLiteral("per-stream.js"));
        ProjectionsPanel panel(&set);
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        PositionSlider* slider = panel.positionSlider();
        QCOMPARE(slider->lastPosition(), Position(28));
        QVERIFY(slider->isLive());
        for (const qint64 p : {0, 1, 13, 22, 28}) {
            QSignalSpy stamped(slider, &PositionSlider::timestampShown);
            slider->slider()->setValue(int(p)); // as a user drags it
            QVERIFY2(set.asOfPosition() == Position(p),
                qPrintable(QStringLiteral("position %1: %2")
                               .arg(p)
                               .arg(set.asOfPosition() ? set.asOfPosition()->value : -1)));
            QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
            for (const QString& name : set.names()) {
                const ProjectionView v = set.view(name);
                QVERIFY2(v.at == Position(p), qPrintable(name));
                QVERIFY2(v.error.isEmpty(), qPrintable(v.error));
                const json expected = rebuiltUpTo(*store, set.projection(name), p);
                QVERIFY2(v.state() == expected,
                    qPrintable(QStringLiteral("%1 at %2: %3 != %4")
                                   .arg(name)
                                   .arg(p)
                                   .arg(QString::fromStdString(v.state().dump()),
                                       QString::fromStdString(expected.dump()))));
            }
            // The table shows the selected projection as of the position; the label its time.
            QTRY_COMPARE_WITH_TIMEOUT(QString::fromStdString(panel.tableModel()->readModel().dump()),
                QString::fromStdString(set.view(panel.selectedProjection()).state().dump()), Timeout);
            QVERIFY2(panel.viewStatusText().contains(QStringLiteral("As of position %1").arg(p)),
                qPrintable(panel.viewStatusText()));
            if (p > 0) {
                QTRY_VERIFY_WITH_TIMEOUT(!stamped.isEmpty(), Timeout);
                const QString stamp = formatTimestamp(store->readAt(Position(p))->timestampMs);
                QVERIFY2(slider->labelText().contains(stamp), qPrintable(slider->labelText()));
            }
        }
        // Back to live: the views are the live read models again.
        slider->setLive(true);
        QVERIFY(!set.asOfPosition());
        QCOMPARE_JSON(set.view(QStringLiteral("events-by-type")).state(),
            rebuiltUpTo(*store, builtinProjection(QStringLiteral("events-by-type")), 28));
    }

    void aPerStreamReadModelTurnsPages()
    {
        // cart-summaries keeps a state per cart: the window holds a page of them, and the pager's
        // buttons fold the next, previous and first page from their streams, live and as of a position.
        auto store = std::make_shared<MemoryEventStore>();
        sample::generate(*store, {2500, 4});
        ProjectionEngine whole(*store, builtinProjection(QStringLiteral("cart-summaries")));
        QVERIFY(whole.rebuild());
        const json all = whole.state();
        const auto keysFrom = [&all](std::size_t from, std::size_t n) {
            QStringList keys;
            std::size_t i = 0;
            for (auto it = all.begin(); it != all.end(); ++it, ++i) {
                if (i >= from && i < from + n)
                    keys << QString::fromStdString(it.key());
            }
            return keys;
        };
        const auto shownKeys = [](const ProjectionsPanel& panel) {
            QStringList keys;
            for (int r = 0; r < panel.tableModel()->rowCount(); ++r)
                keys << panel.tableModel()->index(r, 0).data().toString();
            return keys;
        };
        ProjectionSet set;
        ProjectionEngine::Options options;
        options.pageSize = 20;
        set.setEngineOptions(options);
        set.setStore(store);
        ProjectionsPanel panel(&set);
        panel.resize(1200, 700);
        panel.show();
        QVERIFY(panel.selectProjection(QStringLiteral("cart-summaries")));
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(panel.pager()->isVisible(), Timeout);
        const QString total = QLocale().toString(qint64(all.size()));
        QCOMPARE(panel.pageText().left(panel.pageText().indexOf(QLatin1Char('('))).trimmed(),
            QStringLiteral("Rows 1\u201320 of %1, one per stream").arg(total));
        QCOMPARE(shownKeys(panel), keysFrom(0, 20));
        QVERIFY(!panel.previousPageButton()->isEnabled());
        QVERIFY(!panel.firstPageButton()->isEnabled());
        QVERIFY(panel.nextPageButton()->isEnabled());

        QTest::mouseClick(panel.nextPageButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(shownKeys(panel), keysFrom(20, 20), Timeout);
        QVERIFY2(panel.pageText().startsWith(QStringLiteral("Rows 21\u201340 of %1").arg(total)),
            qPrintable(panel.pageText()));
        QVERIFY(panel.previousPageButton()->isEnabled());
        QTest::mouseClick(panel.nextPageButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(shownKeys(panel), keysFrom(40, 20), Timeout);
        QTest::mouseClick(panel.previousPageButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(shownKeys(panel), keysFrom(20, 20), Timeout);

        // As of a position: the same page of carts, each as it was then; turning pages there too.
        const Position half(store->summary().lastPosition.value / 2);
        panel.positionSlider()->setPosition(half);
        QTRY_VERIFY_WITH_TIMEOUT(
            set.isSettled() && set.view(QStringLiteral("cart-summaries")).at == half, Timeout);
        const json then = whole.stateAsOf(half);
        QTRY_VERIFY_WITH_TIMEOUT(
            panel.viewStatusText().startsWith(QStringLiteral("As of position")), Timeout);
        QVERIFY2(panel.pageText().startsWith(QStringLiteral("Rows 21\u201340, one per stream")),
            qPrintable(panel.pageText())); // no total: that would take every stream read
        for (const QString& key : shownKeys(panel)) {
            QVERIFY2(then.contains(key.toStdString()), qPrintable(key));
            QCOMPARE_JSON(set.view(QStringLiteral("cart-summaries")).state()[key.toStdString()],
                then[key.toStdString()]);
        }
        QTest::mouseClick(panel.firstPageButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(panel.pageText().startsWith(QStringLiteral("Rows 1\u201320,")), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        QStringList firstThen; // the first 20 carts opened by then
        for (auto it = then.begin(); it != then.end() && firstThen.size() < 20; ++it)
            firstThen << QString::fromStdString(it.key());
        QCOMPARE(shownKeys(panel), firstThen);
        QCOMPARE_JSON(
            set.view(QStringLiteral("cart-summaries")).state().begin().value(), then.begin().value());

        // Another projection shown whole: no pager.
        QVERIFY(panel.selectProjection(QStringLiteral("events-by-type")));
        QVERIFY(!panel.pager()->isVisible());
    }

    void staleStatesAreDropped()
    {
        auto store = makeShop();
        ProjectionSet set;
        set.setEngineOptions(smallCheckpoints());
        set.setStore(store);
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        // Many positions in a row, faster than the runners answer: only the last one counts.
        for (qint64 p = 1; p <= 30; ++p)
            set.setAsOfPosition(Position(p));
        set.setAsOfPosition(Position(17));
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        for (const QString& name : set.names()) {
            QCOMPARE(set.view(name).at, std::optional<Position>(Position(17)));
            QCOMPARE_JSON(set.view(name).state(), rebuiltUpTo(*store, set.projection(name), 17));
        }
        // Positions past the end are clamped to it.
        set.setAsOfPosition(Position(500));
        QCOMPARE(set.asOfPosition(), std::optional<Position>(Position(28)));
    }

    void liveUpdateAfterAppend()
    {
        auto store = makeShop();
        ProjectionSet set;
        set.setStore(store);
        ProjectionsPanel panel(&set);
        ChartsPanel charts(&set);
        QVERIFY(panel.selectProjection(QStringLiteral("events-by-type")));
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(panel.tableModel()->rowCount(), 8, Timeout);
        add(*store, QStringLiteral("order-1"), "OrderRefunded", {{"amount", 1000}}, 3000);
        // The projections catch up on their own; list, table, chart and slider follow.
        QTRY_COMPARE_WITH_TIMEOUT(panel.tableModel()->rowCount(), 9, Timeout);
        QCOMPARE_JSON(panel.tableModel()->readModel()["OrderRefunded"], 1);
        const int row = set.model()->indexOf(QStringLiteral("events-by-type"));
        QTRY_COMPARE_WITH_TIMEOUT(
            set.model()->index(row, ProjectionListModel::CheckpointColumn).data().toLongLong(), 29, Timeout);
        QCOMPARE(set.model()->index(row, ProjectionListModel::LagColumn).data().toLongLong(), 0);
        QCOMPARE(panel.positionSlider()->lastPosition(), Position(29));
        QTRY_VERIFY_WITH_TIMEOUT(
            charts.typesChart()->data().categories.contains(QStringLiteral("OrderRefunded")), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(charts.timelineChart()->data().total(), 29.0, Timeout);
        // A stopped projection no longer follows; a rebuild picks everything up again.
        set.stop(QStringLiteral("events-by-type"));
        QTRY_COMPARE_WITH_TIMEOUT(
            set.model()->index(row, ProjectionListModel::StatusColumn).data().toString(),
            QStringLiteral("stopped"), Timeout);
        add(*store, QStringLiteral("order-1"), "OrderRefunded", {{"amount", 1}}, 3001);
        QTRY_COMPARE_WITH_TIMEOUT(set.model()
                                      ->index(set.model()->indexOf(QStringLiteral("events-by-category")),
                                          ProjectionListModel::CheckpointColumn)
                                      .data()
                                      .toLongLong(),
            30, Timeout);
        QCOMPARE(set.model()->index(row, ProjectionListModel::CheckpointColumn).data().toLongLong(), 29);
        QCOMPARE(set.model()->index(row, ProjectionListModel::LagColumn).data().toLongLong(), 1);
        set.rebuild(QStringLiteral("events-by-type"));
        QTRY_COMPARE_WITH_TIMEOUT(
            set.model()->index(row, ProjectionListModel::CheckpointColumn).data().toLongLong(), 30, Timeout);
        QCOMPARE_JSON(set.view(QStringLiteral("events-by-type")).state()["OrderRefunded"], 2);
    }

    void panelChartFollowsShape_data()
    {
        QTest::addColumn<QString>("projection");
        QTest::addColumn<int>("kind");
        QTest::newRow("counts") << QStringLiteral("events-by-type") << int(ChartKind::Bars);
        QTest::newRow("per hour") << QStringLiteral("events-per-hour") << int(ChartKind::TimeLine);
        QTest::newRow("carts") << QStringLiteral("cart-summaries") << int(ChartKind::GroupedBars);
        QTest::newRow("timeline") << QString::fromLatin1(TypeTimelineName) << int(ChartKind::StackedTime);
        QTest::newRow("stream lengths") << QStringLiteral("stream-lengths") << int(ChartKind::None);
    }
    void panelChartFollowsShape()
    {
        QFETCH(QString, projection);
        QFETCH(int, kind);
        auto store = makeShop();
        ProjectionSet set;
        set.setStore(store);
        ProjectionsPanel panel(&set);
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        QVERIFY(panel.selectProjection(projection));
        panel.showTab(ProjectionsPanel::ChartTab);
        QTRY_COMPARE_WITH_TIMEOUT(
            chartKindName(panel.chart()->kind()), chartKindName(ChartKind(kind)), Timeout);
        QCOMPARE(panel.chart()->title(), kind == int(ChartKind::None) ? QString() : projection);
        // The JSON tab shows the same read model as a tree.
        panel.showTab(ProjectionsPanel::JsonTab);
        QTRY_COMPARE_WITH_TIMEOUT(QString::fromStdString(panel.treeModel()->json().dump()),
            QString::fromStdString(set.view(projection).state().dump()), Timeout);
    }

    void chartsPanelFromProjections()
    {
        auto store = makeShop();
        ProjectionSet set;
        set.setEngineOptions(smallCheckpoints());
        set.setStore(store);
        ChartsPanel charts(&set);
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(charts.timelineChart()->data().total(), 28.0, Timeout);
        QCOMPARE(charts.timelineChart()->kind(), ChartKind::StackedTime);
        QCOMPARE(charts.typesChart()->kind(), ChartKind::Bars);
        QCOMPARE(charts.typesChart()->data().total(), 28.0);
        QCOMPARE(
            charts.typesChart()->data().categories.front(), QStringLiteral("ItemAdded")); // the largest first
        // Every stream counted once: four carts, three orders and the audit stream.
        QCOMPARE(charts.lengthsChart()->data().total(), 8.0);
        // As of a position, the charts show the projections then.
        set.setAsOfPosition(Position(10));
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(charts.timelineChart()->data().total(), 10.0, Timeout);
        QCOMPARE(charts.typesChart()->data().total(), 10.0);
        QCOMPARE(charts.lengthsChart()->data().total(), 4.0);
        QVERIFY2(charts.statusText().contains(QStringLiteral("As of position 10")),
            qPrintable(charts.statusText()));
    }

    void stepperShowsEachEvent()
    {
        auto store = makeShop();
        ProjectionSet set;
        set.setStore(store);
        const QString name = set.addScript(throwingScript(9), QStringLiteral("thrower.js"));
        ProjectionsPanel panel(&set);
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        QVERIFY(panel.selectProjection(name));
        ProjectionStepper* stepper = panel.stepper();
        QSignalSpy shown(stepper, &ProjectionStepper::stepsShown);
        stepper->setFrom(Position(5));
        stepper->load();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, Timeout);
        // Positions 5..9: the last one fails, its state after equals the one before.
        ProjectionStepModel* steps = stepper->model();
        QCOMPARE(steps->size(), 5);
        QCOMPARE(steps->step(0).position, Position(5));
        QCOMPARE_JSON(steps->step(0).before, (json {{"n", 4}}));
        QCOMPARE_JSON(steps->step(0).after, (json {{"n", 5}}));
        QCOMPARE(steps->step(4).position, Position(9));
        QVERIFY2(
            steps->step(4).error.contains(QStringLiteral("thrower.js:4")), qPrintable(steps->step(4).error));
        QCOMPARE_JSON(steps->step(4).after, steps->step(4).before);
        // The failing step is selected, with its states shown.
        QCOMPARE(stepper->view()->currentIndex().row(), 4);
        QCOMPARE_JSON(stepper->beforeModel()->json(), (json {{"n", 8}}));
        // An answer for another projection or an older request is not shown.
        QVERIFY(panel.selectProjection(QStringLiteral("events-by-type")));
        QCOMPARE(steps->size(), 0);
        set.requestSteps(name, Position(1), Position(30), 3);
        QTest::qWait(300);
        QCOMPARE(steps->size(), 0);
    }

    void rebuildReportsProgress()
    {
        auto store = std::make_shared<MemoryEventStore>();
        std::vector<EventData> batch;
        for (int i = 0; i < 3000; ++i) {
            EventData e;
            e.type = QStringLiteral("Tick");
            e.data = QByteArrayLiteral("{}");
            e.timestampMs = T0 + i * 1000;
            batch.push_back(e);
        }
        store->append(StreamId(QStringLiteral("clock-1")), batch, ExpectedVersion::any());
        ProjectionSet set;
        ProjectionEngine::Options options;
        options.batchSize = 100;
        set.setEngineOptions(options);
        QList<double> progress;
        connect(&set, &ProjectionSet::statusChanged, this, [&](const QString& name) {
            if (name != QStringLiteral("events-by-type"))
                return;
            const QModelIndex index = set.model()->index(set.model()->indexOf(name), 0);
            if (index.data(ProjectionListModel::BusyRole).toBool())
                progress << index.data(ProjectionListModel::ProgressRole).toDouble();
        });
        set.setStore(store);
        // Right after the store is set the list shows every projection rebuilding.
        QVERIFY(set.model()->row(0).busy);
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        QVERIFY(progress.size() >= 10);
        QVERIFY(std::is_sorted(progress.begin(), progress.end()));
        QVERIFY(progress.front() >= 0 && progress.back() <= 1.0);
        QCOMPARE(set.model()->row(0).checkpoint, Position(3000));
        QVERIFY(!set.model()->row(0).busy);
    }

    void storeOpensAndClosesProjections()
    {
        auto store = makeShop();
        ProjectionSet set;
        set.addScript(CountPerStream, QStringLiteral("per-stream.js")); // kept for the store opened later
        QCOMPARE(set.model()->size(), 0);
        set.setStore(store);
        QCOMPARE(set.names().size(), builtinProjectionNames().size() + 2);
        QVERIFY(set.names().contains(QStringLiteral("per-stream.js")));
        QTRY_VERIFY_WITH_TIMEOUT(set.isSettled(), Timeout);
        set.setStore(nullptr);
        QCOMPARE(set.model()->size(), 0);
        QVERIFY(set.isScript(QStringLiteral("per-stream.js")));
        QVERIFY(set.removeScript(QStringLiteral("per-stream.js")));
        QVERIFY(!set.removeScript(QStringLiteral("events-by-type")));
    }

    void mainWindowDocks()
    {
        MainWindow window;
        window.setErrorDialogsEnabled(false);
        for (const char* name : {"projectionsDock", "chartsDock"}) {
            auto* dock = window.findChild<QDockWidget*>(QString::fromLatin1(name));
            QVERIFY2(dock, name);
            bool inViewMenu = false;
            for (QAction* menu : window.menuBar()->actions()) {
                if (!menu->menu() || menu->text() != QStringLiteral("&View"))
                    continue;
                for (QAction* entry : menu->menu()->actions()) // View > Panels
                    inViewMenu
                        |= entry->menu() && entry->menu()->actions().contains(dock->toggleViewAction());
            }
            QVERIFY2(inViewMenu, name);
        }
        QVERIFY(window.projectionSet());
        QCOMPARE(window.projectionSet()->model()->size(), 0);
        auto store = makeShop();
        window.setStore(store, QStringLiteral("shop"));
        QVERIFY(window.projectionSet()->model()->size() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(window.projectionSet()->isSettled(), Timeout);
        QCOMPARE_JSON(
            window.projectionSet()->view(QStringLiteral("events-by-type")).state()["CartOpened"], 4);
        window.raiseDock(QStringLiteral("chartsDock"));
        QTRY_COMPARE_WITH_TIMEOUT(window.chartsPanel()->typesChart()->data().total(), 28.0, Timeout);
        window.closeStore();
        QCOMPARE(window.projectionSet()->model()->size(), 0);
        QVERIFY(!window.projectionSet()->store());
    }

    // Ctrl+Return runs the projection script in its panel and applies the reducer in its editor:
    // the window has both, and each key press goes to the panel that has the focus.
    void ctrlReturnRunsWhereTheFocusIs()
    {
        MainWindow window;
        window.setErrorDialogsEnabled(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setStore(makeShop(), QStringLiteral("shop"));
        QVERIFY(window.selectStream(StreamId(QStringLiteral("cart-1"))));
        window.raiseDock(QStringLiteral("projectionsDock"));
        ProjectionScriptPanel* script = window.projectionsPanel()->scriptPanel();
        auto* tabs = window.projectionsPanel()->findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentWidget(script); // the Script tab, as a person clicks it
        QVERIFY(script->editor()->isVisible());
        script->setSource(QStringLiteral("fromAll().when({ $init: function () { return { n: 0 }; },\n"
                                         "  $any: function (s) { s.n += 1; } }).outputState();\n"),
            QStringLiteral("ctrl-return.js"));
        QSignalSpy ran(script, &ProjectionScriptPanel::projectionRun);
        window.activateWindow();
        QTRY_VERIFY(window.isActiveWindow());
        script->editor()->setFocus();
        QTRY_VERIFY(script->editor()->hasFocus());
        QTest::keyClick(script->editor(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(ran.size(), 1);
        QVERIFY2(ran.front().front().toString().contains(QStringLiteral("ctrl-return")),
            qPrintable(ran.front().front().toString()));

        window.raiseDock(QStringLiteral("reducerDock"));
        ReducerEditor* reducer = window.reducerEditor();
        QSignalSpy builtin(reducer, &ReducerEditor::builtinRequested);
        QSignalSpy applied(reducer, &ReducerEditor::applyRequested);
        auto* choice = reducer->findChild<QRadioButton*>();
        QVERIFY(choice);
        choice->setFocus();
        QTRY_VERIFY(choice->hasFocus());
        QTest::keyClick(choice, Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(builtin.size() + applied.size(), 1);
        QCOMPARE(ran.size(), 1); // the script did not run again
    }
};

QTEST_MAIN(TestProjectionsUi)
#include "tst_projectionsui.moc"
