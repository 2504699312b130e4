// Tests of the ui models: stream list, filter proxy, category tree, lazy event table, JSON tree.
#include "store/forwardingeventstore.h"
#include "store/memoryeventstore.h"
#include "streams/categorytreemodel.h"
#include "streams/eventtablemodel.h"
#include "streams/streambrowser.h"
#include "streams/streamlistmodel.h"
#include "widgets/jsontreemodel.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace chronoscope;

namespace {

constexpr qint64 BaseTime = 1767607200000; // 2026-01-05T10:00:00Z

// Appends `count` events to a stream, one second apart, with a payload naming their number.
void appendEvents(
    EventStore& store, const QString& stream, int count, const QString& type = QStringLiteral("Happened"))
{
    std::vector<EventData> events;
    const qint64 start = BaseTime + store.summary().events * 1000;
    for (int i = 0; i < count; ++i) {
        EventData e;
        e.type = type;
        e.data = QStringLiteral(R"({"n": %1, "text": "event %1 of %2"})").arg(i + 1).arg(stream).toUtf8();
        e.timestampMs = start + i * 1000;
        events.push_back(std::move(e));
    }
    store.append(StreamId(stream), events, ExpectedVersion::any());
}

// cart-1 (3), cart-2 (5), order-7 (2), settings (4): 4 streams, 14 events.
std::unique_ptr<MemoryEventStore> smallStore()
{
    auto store = std::make_unique<MemoryEventStore>();
    appendEvents(*store, QStringLiteral("cart-1"), 3, QStringLiteral("ItemAdded"));
    appendEvents(*store, QStringLiteral("order-7"), 2, QStringLiteral("OrderPlaced"));
    appendEvents(*store, QStringLiteral("cart-2"), 5, QStringLiteral("ItemAdded"));
    appendEvents(*store, QStringLiteral("settings"), 4, QStringLiteral("Changed"));
    return store;
}

} // namespace

class TestModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void streamListShowsEveryStream();
    void streamListFilters_data();
    void streamListFilters();
    void streamListPagesAndSorts();
    void streamListRefreshKeepsRows();
    void streamSearchRunsOffTheGuiThread();
    void streamSearchKeepsItsStoreAlive();
    void browserSaysWhileItSearches();
    void categoryTreeCounts();
    void categoryTreeLoadsStreamsByPage();
    void categoryTreeRefreshInsertsInPlace();
    void browserSelectsAStreamFarIntoItsCategory();
    void eventTablePagesThroughStream_data();
    void eventTablePagesThroughStream();
    void eventTableReadsNothingUntilAsked();
    void eventTableAllStreamAndFilter();
    void eventTableColumns();
    void eventTableFollowsAppends();
    void eventTableWindowsTheWholeRange();
    void eventTableWindowFollowsAppends();
    void eventTableResetsOnStoreChange();
    void jsonTreeShape_data();
    void jsonTreeShape();
    void jsonTreeNestedCounts();
};

void TestModels::streamListShowsEveryStream()
{
    StreamListModel model;
    QAbstractItemModelTester tester(&model);
    auto store = smallStore();
    model.setStore(store.get());

    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.columnCount(), int(StreamListModel::ColumnCount));
    const int row = model.rowOf(StreamId(QStringLiteral("cart-2")));
    QVERIFY(row >= 0);
    const auto at
        = [&](int column, int role = Qt::DisplayRole) { return model.index(row, column).data(role); };
    QCOMPARE(at(StreamListModel::StreamColumn).toString(), QStringLiteral("cart-2"));
    QCOMPARE(at(StreamListModel::CategoryColumn).toString(), QStringLiteral("cart"));
    QCOMPARE(at(StreamListModel::VersionColumn).toLongLong(), 5);
    QCOMPARE(at(StreamListModel::EventsColumn).toLongLong(), 5);
    QCOMPARE(at(0, StreamListModel::StreamIdRole).value<StreamId>(), StreamId(QStringLiteral("cart-2")));
    // cart-2's last event is the 10th of the store.
    QCOMPARE(at(0, StreamListModel::LastTimestampRole).toLongLong(), BaseTime + 9 * 1000);
    QCOMPARE(at(StreamListModel::LastTimestampColumn).toString(), QStringLiteral("2026-01-05T10:00:09.000Z"));
    QCOMPARE(model.rowOf(StreamId(QStringLiteral("nope"))), -1);

    model.setStore(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::streamListFilters_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("category"); // "*" = any category
    QTest::addColumn<QStringList>("expected");

    const auto any = QStringLiteral("*");
    QTest::newRow("empty shows all") << QString() << any
                                     << QStringList {QStringLiteral("cart-1"), QStringLiteral("cart-2"),
                                            QStringLiteral("order-7"), QStringLiteral("settings")};
    QTest::newRow("case-insensitive")
        << QStringLiteral("CART") << any << QStringList {QStringLiteral("cart-1"), QStringLiteral("cart-2")};
    QTest::newRow("substring in the middle")
        << QStringLiteral("rder") << any << QStringList {QStringLiteral("order-7")};
    QTest::newRow("no match") << QStringLiteral("zzz") << any << QStringList {};
    QTest::newRow("category only") << QString() << QStringLiteral("cart")
                                   << QStringList {QStringLiteral("cart-1"), QStringLiteral("cart-2")};
    QTest::newRow("category and text")
        << QStringLiteral("2") << QStringLiteral("cart") << QStringList {QStringLiteral("cart-2")};
    QTest::newRow("no category") << QString() << QString() << QStringList {QStringLiteral("settings")};
    QTest::newRow("glob ?") << QStringLiteral("cart-?") << any
                            << QStringList {QStringLiteral("cart-1"), QStringLiteral("cart-2")};
    QTest::newRow("glob * at the start")
        << QStringLiteral("*-7") << any << QStringList {QStringLiteral("order-7")};
    QTest::newRow("glob class") << QStringLiteral("[co]*[27]") << any
                                << QStringList {QStringLiteral("cart-2"), QStringLiteral("order-7")};
    QTest::newRow("glob is case-sensitive") << QStringLiteral("Cart*") << any << QStringList {};
    QTest::newRow("glob matches the whole id")
        << QStringLiteral("cart") << any << QStringList {QStringLiteral("cart-1"), QStringLiteral("cart-2")};
}

void TestModels::streamListFilters()
{
    QFETCH(QString, text);
    QFETCH(QString, category);
    QFETCH(QStringList, expected);

    StreamListModel model;
    QAbstractItemModelTester tester(&model);
    auto store = smallStore();
    model.setStore(store.get());
    model.setText(text);
    if (category != QStringLiteral("*"))
        model.setCategory(category);
    // A filter no index answers is read off the GUI thread; the others at once.
    QCOMPARE(model.isSearching(), !streamquery::answeredByIndex(model.query()));
    QTRY_VERIFY(!model.isSearching());

    QStringList shown;
    for (int row = 0; row < model.rowCount(); ++row)
        shown << model.index(row, StreamListModel::StreamColumn).data().toString();
    QCOMPARE(shown, expected);

    model.setText({});
    model.setCategory(std::nullopt);
    QCOMPARE(model.rowCount(), 4);
}

void TestModels::streamListPagesAndSorts()
{
    MemoryEventStore store;
    // 600 streams; s-<n> has (n % 7) + 1 events.
    for (int n = 0; n < 600; ++n)
        appendEvents(
            store, QStringLiteral("s-%1").arg(n, 4, 10, QLatin1Char('0')), n % 7 + 1, QStringLiteral("T"));
    StreamListModel model;
    QAbstractItemModelTester tester(&model);
    model.setStore(&store);
    QCOMPARE(model.rowCount(), int(StreamListModel::PageSize));
    QVERIFY(model.canFetchMore({}));
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("s-0000"));
    QCOMPARE(model.rowOf(StreamId(QStringLiteral("s-0400"))), -1);
    QCOMPARE(model.loadUntil(StreamId(QStringLiteral("s-0400")), 8), 400);
    QCOMPARE(model.rowCount(), 512);
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 600);
    QVERIFY(!model.canFetchMore({}));

    // By events, most first; ties by id in the same direction; pages continue the order.
    model.sort(StreamListModel::EventsColumn, Qt::DescendingOrder);
    QCOMPARE(model.rowCount(), int(StreamListModel::PageSize));
    while (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(model.rowCount(), 600);
    for (int row = 1; row < model.rowCount(); ++row) {
        const auto a = model.index(row - 1, 0), b = model.index(row, 0);
        const auto ea = a.data(StreamListModel::EventCountRole).toLongLong();
        const auto eb = b.data(StreamListModel::EventCountRole).toLongLong();
        QVERIFY(ea > eb || (ea == eb && a.data().toString() > b.data().toString()));
    }
    QCOMPARE(model.index(0, 0).data(StreamListModel::EventCountRole).toLongLong(), 7);

    // By the last event: the stream appended last comes first when descending.
    model.sort(StreamListModel::LastTimestampColumn, Qt::DescendingOrder);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("s-0599"));
    model.sort(StreamListModel::VersionColumn, Qt::AscendingOrder);
    QCOMPARE(model.index(0, StreamListModel::VersionColumn).data().toLongLong(), 1);
    QCOMPARE(model.query().sort, StreamQuery::Sort::Version);
}

void TestModels::streamListRefreshKeepsRows()
{
    auto store = smallStore();
    StreamListModel model;
    QAbstractItemModelTester tester(&model);
    model.setStore(store.get());
    const QPersistentModelIndex order = model.index(model.rowOf(StreamId(QStringLiteral("order-7"))), 0);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    appendEvents(*store, QStringLiteral("cart-15"), 2, QStringLiteral("ItemAdded"));
    appendEvents(*store, QStringLiteral("order-7"), 1, QStringLiteral("OrderShipped"));
    model.refresh();
    QCOMPARE(resets.count(), 0);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("cart-15"));
    QVERIFY(order.isValid());
    QCOMPARE(order.data().toString(), QStringLiteral("order-7"));
    QCOMPARE(QModelIndex(order).siblingAtColumn(StreamListModel::VersionColumn).data().toLongLong(), 3);
}

namespace {

/// A store whose streamPage() waits, for a query no index answers, until the test lets it go:
/// what a search over millions of ids looks like to the window.
class SlowSearchStore final : public ForwardingEventStore {
public:
    using ForwardingEventStore::ForwardingEventStore;
    std::vector<StreamInfo> streamPage(
        const StreamQuery& query, const std::optional<StreamInfo>& after, qint64 limit) const override
    {
        if (!streamquery::answeredByIndex(query)) {
            ++m_searches;
            m_gate.acquire();
            m_gate.release();
        }
        return ForwardingEventStore::streamPage(query, after, limit);
    }
    void close() { m_gate.acquire(); }
    void open() { m_gate.release(); }
    int searches() const { return m_searches.load(); }

private:
    mutable QSemaphore m_gate {1};
    mutable std::atomic<int> m_searches {0};
};

} // namespace

void TestModels::streamSearchRunsOffTheGuiThread()
{
    auto store = std::make_shared<SlowSearchStore>(std::unique_ptr<EventStore>(smallStore()));
    for (int n = 0; n < 300; ++n)
        appendEvents(store->inner(), QStringLiteral("big-%1").arg(n, 3, 10, QLatin1Char('0')), 1);
    StreamListModel model;
    QAbstractItemModelTester tester(&model);
    QSignalSpy searching(&model, &StreamListModel::searchingChanged);
    model.setStore(std::shared_ptr<const EventStore>(store));
    QCOMPARE(model.rowCount(), int(StreamListModel::PageSize));

    store->close();
    model.setText(QStringLiteral("IG-")); // a substring: every id is checked
    // setText() returned while the store is still busy: the GUI thread was not waiting for it.
    QVERIFY(model.isSearching());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(searching.count(), 1);
    store->open();
    QTRY_VERIFY(!model.isSearching());
    QCOMPARE(searching.count(), 2);
    QCOMPARE(model.rowCount(), int(StreamListModel::PageSize));
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("big-000"));

    // The next page comes the same way, in order after the first.
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QVERIFY(model.isSearching());
    QTRY_VERIFY(!model.isSearching());
    QCOMPARE(model.rowCount(), 300);
    QCOMPARE(model.index(299, 0).data().toString(), QStringLiteral("big-299"));
    QVERIFY(!model.canFetchMore({}));

    // Appends elsewhere: the refresh reads off the GUI thread too and keeps the rows by id.
    const QPersistentModelIndex kept = model.index(10, 0);
    appendEvents(store->inner(), QStringLiteral("big-0005a"), 1);
    model.refresh();
    QVERIFY(model.isSearching());
    QTRY_VERIFY(!model.isSearching());
    QCOMPARE(model.rowCount(), 300); // as many as were loaded, read again
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("big-0005a"));
    QCOMPARE(kept.data().toString(), QStringLiteral("big-010"));
    QVERIFY(model.canFetchMore({}));

    // A newer filter wins over a search still under way; an indexed one answers at once.
    store->close();
    model.setText(QStringLiteral("zzz"));
    QVERIFY(model.isSearching());
    model.setText(QStringLiteral("big-1*"));
    QVERIFY(!model.isSearching());
    QCOMPARE(model.rowCount(), 100);
    store->open();
    QTest::qWait(50);
    QCOMPARE(model.rowCount(), 100); // the dropped search's empty answer never came in
    QCOMPARE(model.text(), QStringLiteral("big-1*"));
}

void TestModels::streamSearchKeepsItsStoreAlive()
{
    auto store = std::make_shared<SlowSearchStore>(std::unique_ptr<EventStore>(smallStore()));
    QPointer<SlowSearchStore> watch(store.get());
    {
        StreamListModel model;
        model.setStore(std::shared_ptr<const EventStore>(store));
        store->close();
        model.setText(QStringLiteral("art"));
        QTRY_COMPARE(store->searches(), 1); // the job is inside the store now
        auto* raw = store.get();
        store.reset(); // the window lets the store go before it tells the model
        QVERIFY(watch);
        model.setStore(std::shared_ptr<const EventStore>());
        QVERIFY(!model.isSearching());
        raw->open(); // the search ends; its answer is dropped, and the store goes with the job
        QTRY_VERIFY(!watch);
        QCOMPARE(model.rowCount(), 0);
    }
}

void TestModels::browserSaysWhileItSearches()
{
    auto store = std::make_shared<SlowSearchStore>(std::unique_ptr<EventStore>(smallStore()));
    StreamBrowser browser;
    browser.resize(400, 600);
    browser.show();
    browser.setStore(std::shared_ptr<const EventStore>(store));
    QVERIFY(browser.searchStatus()->isHidden());
    store->close();
    QTest::keyClicks(browser.filterEdit(), QStringLiteral("rder"));
    QTest::keyClick(browser.filterEdit(), Qt::Key_Return);
    QVERIFY(browser.searchStatus()->isVisible());
    QVERIFY2(browser.searchStatus()->text().contains(QStringLiteral("Searching")),
        qPrintable(browser.searchStatus()->text()));
    QVERIFY(browser.searchStatus()->text().contains(QStringLiteral("rder")));
    store->open();
    QTRY_VERIFY(browser.searchStatus()->isHidden());
    QCOMPARE(browser.streamModel()->rowCount(), 1);
    QCOMPARE(browser.streamModel()->index(0, 0).data().toString(), QStringLiteral("order-7"));

    browser.filterEdit()->setText(QStringLiteral("nothing-like-it"));
    QTest::keyClick(browser.filterEdit(), Qt::Key_Return);
    QTRY_VERIFY(!browser.streamModel()->isSearching());
    QVERIFY(browser.searchStatus()->isVisible());
    QVERIFY2(browser.searchStatus()->text().contains(QStringLiteral("No stream id matches")),
        qPrintable(browser.searchStatus()->text()));

    // Picking a stream in the tree while a search runs selects its list row when it is done.
    browser.filterEdit()->setText(QStringLiteral("art"));
    QTest::keyClick(browser.filterEdit(), Qt::Key_Return);
    QTRY_VERIFY(!browser.streamModel()->isSearching());
    store->close();
    QVERIFY(browser.selectStream(StreamId(QStringLiteral("cart-2"))));
    QVERIFY(browser.streamModel()->isSearching()); // the list now shows cart's streams matching "art"
    store->open();
    QTRY_VERIFY(!browser.streamModel()->isSearching());
    QTRY_COMPARE(browser.listView()->currentIndex().data().toString(), QStringLiteral("cart-2"));
}

void TestModels::categoryTreeCounts()
{
    CategoryTreeModel model;
    QAbstractItemModelTester tester(&model);
    auto store = smallStore();
    model.setStore(store.get());

    QCOMPARE(model.rowCount(), 1);
    const auto all = model.allStreamsIndex();
    QVERIFY(all.isValid());
    QCOMPARE(all.data().toString(), QStringLiteral("All streams"));
    QCOMPARE(all.data(CategoryTreeModel::KindRole).toInt(), int(CategoryTreeModel::Kind::All));
    QCOMPARE(all.siblingAtColumn(CategoryTreeModel::StreamsColumn).data().toLongLong(), 4);
    QCOMPARE(all.siblingAtColumn(CategoryTreeModel::EventsColumn).data().toLongLong(), 14);

    // Categories in name order, "(no category)" last.
    QCOMPARE(model.rowCount(all), 3);
    QCOMPARE(model.index(0, 0, all).data().toString(), QStringLiteral("cart"));
    QCOMPARE(model.index(1, 0, all).data().toString(), QStringLiteral("order"));
    QCOMPARE(model.index(2, 0, all).data().toString(), QStringLiteral("(no category)"));
    QCOMPARE(model.index(2, 0, all).data(CategoryTreeModel::CategoryRole).toString(), QString());

    const auto cart = model.categoryIndex(QStringLiteral("cart"));
    QCOMPARE(cart.data(CategoryTreeModel::KindRole).toInt(), int(CategoryTreeModel::Kind::Category));
    QCOMPARE(cart.siblingAtColumn(CategoryTreeModel::StreamsColumn).data().toLongLong(), 2);
    QCOMPARE(cart.siblingAtColumn(CategoryTreeModel::EventsColumn).data().toLongLong(), 8);
    // A category's streams are read when a view asks for them.
    QVERIFY(model.hasChildren(cart));
    QCOMPARE(model.rowCount(cart), 0);
    QVERIFY(model.canFetchMore(cart));
    model.fetchMore(cart);
    QVERIFY(!model.canFetchMore(cart));
    QCOMPARE(model.rowCount(cart), 2);
    QCOMPARE(model.index(1, 0, cart).data(CategoryTreeModel::StreamIdRole).value<StreamId>(),
        StreamId(QStringLiteral("cart-2")));
    QCOMPARE(model.index(1, CategoryTreeModel::EventsColumn, cart).data().toLongLong(), 5);

    QVERIFY(!model.streamIndex(StreamId(QStringLiteral("settings"))).isValid());
    const auto settings = model.loadStream(StreamId(QStringLiteral("settings")));
    QVERIFY(settings.isValid());
    QCOMPARE(settings.parent(), model.categoryIndex(QString()));
    QCOMPARE(settings.siblingAtColumn(CategoryTreeModel::EventsColumn).data().toLongLong(), 4);
    QVERIFY(!model.loadStream(StreamId(QStringLiteral("cart-9"))).isValid());

    model.setStore(nullptr);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.allStreamsIndex().isValid());
}

void TestModels::categoryTreeLoadsStreamsByPage()
{
    MemoryEventStore store;
    for (int n = 0; n < 700; ++n)
        appendEvents(store, QStringLiteral("big-%1").arg(n, 4, 10, QLatin1Char('0')), 1, QStringLiteral("T"));
    appendEvents(store, QStringLiteral("small-1"), 2, QStringLiteral("T"));
    CategoryTreeModel model;
    QAbstractItemModelTester tester(&model);
    model.setStore(&store);
    const auto big = model.categoryIndex(QStringLiteral("big"));
    QCOMPARE(big.siblingAtColumn(CategoryTreeModel::StreamsColumn).data().toLongLong(), 700);
    model.fetchMore(big);
    QCOMPARE(model.rowCount(big), int(CategoryTreeModel::PageSize));
    QVERIFY(model.canFetchMore(big));
    // Too far for one page: loadStream reads on, but no further than asked.
    QVERIFY(!model.loadStream(StreamId(QStringLiteral("big-0650")), 1).isValid());
    QCOMPARE(model.rowCount(big), 512);
    const auto far = model.loadStream(StreamId(QStringLiteral("big-0650")));
    QVERIFY(far.isValid());
    QCOMPARE(far.row(), 650);
    QCOMPARE(model.rowCount(big), 700);
    QVERIFY(!model.canFetchMore(big));
    // An id that sorts inside the loaded range but does not exist is absent without reading.
    QVERIFY(!model.loadStream(StreamId(QStringLiteral("big-0650x"))).isValid());
}

void TestModels::categoryTreeRefreshInsertsInPlace()
{
    auto store = smallStore();
    CategoryTreeModel model;
    QAbstractItemModelTester tester(&model);
    model.setStore(store.get());
    const QPersistentModelIndex cart = model.categoryIndex(QStringLiteral("cart"));
    model.fetchMore(cart);
    const QPersistentModelIndex cart2 = model.streamIndex(StreamId(QStringLiteral("cart-2")));
    QVERIFY(cart2.isValid());
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

    appendEvents(*store, QStringLiteral("cart-15"), 2, QStringLiteral("ItemAdded"));
    appendEvents(*store, QStringLiteral("cart-2"), 1, QStringLiteral("ItemAdded"));
    appendEvents(*store, QStringLiteral("invoice-1"), 1, QStringLiteral("Issued"));
    model.refresh();

    QCOMPARE(resets.count(), 0);
    const auto all = model.allStreamsIndex();
    QCOMPARE(all.siblingAtColumn(CategoryTreeModel::StreamsColumn).data().toLongLong(), 6);
    QCOMPARE(all.siblingAtColumn(CategoryTreeModel::EventsColumn).data().toLongLong(), 18);
    QCOMPARE(model.rowCount(all), 4);
    QCOMPARE(model.index(1, 0, all).data().toString(), QStringLiteral("invoice"));
    QCOMPARE(QModelIndex(cart).siblingAtColumn(CategoryTreeModel::StreamsColumn).data().toLongLong(), 3);
    QCOMPARE(model.rowCount(cart), 3);
    QCOMPARE(model.index(1, 0, cart).data().toString(), QStringLiteral("cart-15"));
    QVERIFY(cart2.isValid());
    QCOMPARE(cart2.row(), 2);
    QCOMPARE(QModelIndex(cart2).siblingAtColumn(CategoryTreeModel::EventsColumn).data().toLongLong(), 6);
}

void TestModels::browserSelectsAStreamFarIntoItsCategory()
{
    // 40,000 streams in one category: the tree reads at most 64 pages more (16,384 streams) to find one.
    MemoryEventStore store;
    std::vector<AppendRequest> requests;
    for (int n = 0; n < 40000; ++n) {
        EventData e;
        e.type = QStringLiteral("T");
        e.data = "{}";
        requests.push_back({StreamId(QStringLiteral("big-%1").arg(n, 5, 10, QLatin1Char('0'))),
            ExpectedVersion::any(), {e}});
    }
    store.appendMany(requests);
    appendEvents(store, QStringLiteral("small-1"), 2);
    StreamBrowser browser;
    browser.setStore(&store);
    QSignalSpy selected(&browser, &StreamBrowser::streamSelected);
    QSignalSpy all(&browser, &StreamBrowser::allStreamsSelected);

    // Near: a tree row and a list row.
    QVERIFY(browser.selectStream(StreamId(QStringLiteral("big-00300"))));
    QCOMPARE(selected.count(), 1);
    QCOMPARE(browser.treeView()->currentIndex().data(CategoryTreeModel::StreamIdRole).value<StreamId>(),
        StreamId(QStringLiteral("big-00300")));
    QCOMPARE(browser.listView()->currentIndex().data(StreamListModel::StreamIdRole).value<StreamId>(),
        StreamId(QStringLiteral("big-00300")));
    // Far: selected and announced without a tree row; the tree shows its category.
    QVERIFY(browser.selectStream(StreamId(QStringLiteral("big-39999"))));
    QCOMPARE(selected.count(), 2);
    QCOMPARE(selected.last().at(0).value<StreamId>(), StreamId(QStringLiteral("big-39999")));
    QCOMPARE(browser.treeView()->currentIndex().data(CategoryTreeModel::KindRole).toInt(),
        int(CategoryTreeModel::Kind::Category));
    QCOMPARE(browser.streamModel()->category(), std::optional<QString>(QStringLiteral("big")));
    // Absent: refused, nothing announced.
    QVERIFY(!browser.selectStream(StreamId(QStringLiteral("big-99999"))));
    QCOMPARE(selected.count(), 2);
    // "All streams" from there, and again while it is already current.
    browser.selectAllStreams();
    browser.selectAllStreams();
    QCOMPARE(all.count(), 2); // both, the second although "All streams" was already current
    QVERIFY(!browser.streamModel()->category());
}

void TestModels::eventTablePagesThroughStream_data()
{
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("pageSize");
    QTest::newRow("partial last page") << 450 << 200;
    QTest::newRow("exact pages") << 400 << 200;
    QTest::newRow("one short page") << 7 << 200;
    QTest::newRow("tiny pages") << 10 << 3;
}

void TestModels::eventTablePagesThroughStream()
{
    QFETCH(int, events);
    QFETCH(int, pageSize);

    MemoryEventStore store;
    appendEvents(store, QStringLiteral("big-1"), events);
    appendEvents(store, QStringLiteral("other-1"), 5);

    EventTableModel model;
    model.setPageSize(pageSize);
    model.setWindowedReads(false);
    QAbstractItemModelTester tester(&model); // the tester itself pulls pages, as a view would
    model.setStore(&store);
    model.showStream(StreamId(QStringLiteral("big-1")));

    int rows = model.rowCount();
    QCOMPARE(rows % pageSize == 0 || rows == events, true);
    while (model.canFetchMore({})) {
        model.fetchMore({});
        QCOMPARE(model.rowCount(), qMin(rows + pageSize, events));
        rows = model.rowCount();
    }
    QCOMPARE(model.rowCount(), events);
    QVERIFY(!model.canFetchMore({}));
    for (int row = 0; row < events; ++row)
        QCOMPARE(model.eventAt(row).version.value, row + 1);
    QCOMPARE(
        model.index(events - 1, EventTableModel::StreamColumn).data().toString(), QStringLiteral("big-1"));
}

void TestModels::eventTableReadsNothingUntilAsked()
{
    MemoryEventStore store;
    appendEvents(store, QStringLiteral("big-1"), 1000);

    EventTableModel model;         // no tester here: nothing may pull pages but this test
    model.setWindowedReads(false); // paged, as for a filter or keys with gaps
    model.setStore(&store);
    model.showStream(StreamId(QStringLiteral("big-1")));
    QVERIFY(!model.isWindowed());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(model.rowCount(), EventTableModel::DefaultPageSize);
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 2 * EventTableModel::DefaultPageSize);
    QCOMPARE(model.ensureVersionLoaded(Version(650)), 649);
    QCOMPARE(model.rowCount(), 4 * EventTableModel::DefaultPageSize);

    model.showStream(StreamId(QStringLiteral("missing")));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
}

void TestModels::eventTableAllStreamAndFilter()
{
    auto store = smallStore();
    EventTableModel model;
    model.setPageSize(4);
    QAbstractItemModelTester tester(&model);
    model.setStore(store.get());

    model.showAll();
    QVERIFY(model.showsAll());
    while (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(model.rowCount(), 14);
    for (int row = 0; row < 14; ++row)
        QCOMPARE(model.index(row, EventTableModel::PositionColumn).data().toLongLong(), row + 1);
    QCOMPARE(model.rowOfPosition(Position(9)), 8);

    EventFilter filter;
    filter.category = QStringLiteral("cart");
    model.showAll(filter);
    while (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(model.rowCount(), 8);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.eventAt(row).stream.category(), QStringLiteral("cart"));

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
}

void TestModels::eventTableColumns()
{
    MemoryEventStore store;
    EventData e;
    e.type = QStringLiteral("ItemAdded");
    e.schemaVersion = 2;
    e.timestampMs = BaseTime + 123;
    e.data = QByteArray(R"({ "sku" : "A-1",   "qty": 2, "note": ")") + QByteArray(400, 'x')
        + QByteArray(R"(" })");
    store.append(StreamId(QStringLiteral("cart-1")), {e}, ExpectedVersion::noStream());

    EventTableModel model;
    QAbstractItemModelTester tester(&model);
    model.setStore(&store);
    model.showStream(StreamId(QStringLiteral("cart-1")));
    while (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(model.rowCount(), 1);
    const auto cell = [&](int column) { return model.index(0, column).data(); };
    QCOMPARE(cell(EventTableModel::PositionColumn).toLongLong(), 1);
    QCOMPARE(cell(EventTableModel::StreamColumn).toString(), QStringLiteral("cart-1"));
    QCOMPARE(cell(EventTableModel::VersionColumn).toLongLong(), 1);
    QCOMPARE(cell(EventTableModel::TypeColumn).toString(), QStringLiteral("ItemAdded"));
    QCOMPARE(cell(EventTableModel::TimestampColumn).toString(), QStringLiteral("2026-01-05T10:00:00.123Z"));
    QCOMPARE(cell(EventTableModel::SchemaColumn).toInt(), 2);
    const QString preview = cell(EventTableModel::DataColumn).toString();
    const QString expectedStart = QStringLiteral(R"({"note":"xxx)"); // compact, keys sorted
    QVERIFY2(preview.startsWith(expectedStart), qPrintable(preview));
    QVERIFY(preview.size() <= 160);
    QVERIFY(preview.endsWith(QChar(0x2026)));
    QCOMPARE(model.index(0, 0).data(EventTableModel::EventRole).value<RecordedEvent>().data, e.data);
}

void TestModels::eventTableFollowsAppends()
{
    MemoryEventStore store;
    appendEvents(store, QStringLiteral("cart-1"), 3);
    EventTableModel model;
    model.setWindowedReads(false);
    QAbstractItemModelTester tester(&model);
    model.setStore(&store);
    model.showStream(StreamId(QStringLiteral("cart-1")));
    while (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(model.rowCount(), 3);

    appendEvents(store, QStringLiteral("cart-1"), 2);
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 5);
    QVERIFY(!model.canFetchMore({}));
}

void TestModels::eventTableWindowsTheWholeRange()
{
    MemoryEventStore store;
    appendEvents(store, QStringLiteral("big-1"), 1000);
    appendEvents(store, QStringLiteral("other-1"), 5);

    EventTableModel model;
    QAbstractItemModelTester tester(&model);
    model.setStore(&store);
    model.showStream(StreamId(QStringLiteral("big-1")));
    // Every row is there from the start; nothing is read before a row is shown.
    QVERIFY(model.isWindowed());
    QCOMPARE(model.rowCount(), 1000);
    QVERIFY(!model.canFetchMore({}));
    QVERIFY(model.loadedRowCount() <= 256); // what the tester looked at, at most a page
    // The last row, at once: one page read (rows 768..999).
    QCOMPARE(model.index(999, EventTableModel::VersionColumn).data().toLongLong(), 1000);
    QCOMPARE(model.eventAt(999).version.value, 1000);
    QCOMPARE(model.eventAt(500).version.value, 501);
    QVERIFY(model.loadedRowCount() <= 3 * 256);
    QCOMPARE(model.ensureVersionLoaded(Version(650)), 649);
    QCOMPARE(model.rowOfPosition(model.eventAt(10).position), 10);

    // Newest first: row 0 is the last version.
    model.setNewestFirst(true);
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.eventAt(0).version.value, 1000);
    QCOMPARE(model.eventAt(999).version.value, 1);
    QCOMPARE(model.ensureVersionLoaded(Version(650)), 350);

    // The all-stream: positions 1..1005, no gaps.
    model.setNewestFirst(false);
    model.showAll();
    QVERIFY(model.isWindowed());
    QCOMPARE(model.rowCount(), 1005);
    QCOMPARE(model.eventAt(1004).position.value, 1005);
    QCOMPARE(model.eventAt(1004).stream, StreamId(QStringLiteral("other-1")));
    QCOMPARE(model.rowOfPosition(Position(700)), 699);
    QCOMPARE(model.rowAtOrAfterTime(model.eventAt(300).timestampMs), 300);

    // Many pages read: only the last 64 are kept.
    for (int row = 0; row < 1005; row += 10)
        model.eventAt(row);
    QVERIFY(model.loadedRowCount() <= 64 * 256);

    // A filter is paged.
    EventFilter filter;
    filter.streamPrefix = QStringLiteral("other");
    model.showAll(filter);
    QVERIFY(!model.isWindowed());
    while (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(model.rowCount(), 5);
}

void TestModels::eventTableWindowFollowsAppends()
{
    MemoryEventStore store;
    appendEvents(store, QStringLiteral("cart-1"), 3);
    EventTableModel model;
    QAbstractItemModelTester tester(&model);
    model.setStore(&store);
    model.showStream(StreamId(QStringLiteral("cart-1")));
    QCOMPARE(model.rowCount(), 3);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    appendEvents(store, QStringLiteral("cart-1"), 2);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 3); // after the rows shown
    QCOMPARE(model.eventAt(4).version.value, 5);
    QCOMPARE(resets.size(), 0);

    // Newest first: new rows come on top.
    model.setNewestFirst(true);
    inserted.clear();
    appendEvents(store, QStringLiteral("cart-1"), 1);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(model.eventAt(0).version.value, 6);

    // Another program appended: told by changedElsewhere.
    MemoryEventStore other;
    appendEvents(other, QStringLiteral("x-1"), 2);
    model.setNewestFirst(false);
    model.setStore(&other);
    model.showAll();
    QCOMPARE(model.rowCount(), 2);
    {
        QSignalBlocker quiet(&other); // written "elsewhere": appended() not seen
        appendEvents(other, QStringLiteral("x-1"), 3);
    }
    QCOMPARE(model.rowCount(), 2);
    Q_EMIT other.changedElsewhere(Position(5));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.eventAt(4).position.value, 5);
}

void TestModels::eventTableResetsOnStoreChange()
{
    auto first = smallStore();
    MemoryEventStore second;
    appendEvents(second, QStringLiteral("x-1"), 2);

    EventTableModel model;
    QAbstractItemModelTester tester(&model);
    model.setStore(first.get());
    model.showAll();
    model.fetchMore({});
    QVERIFY(model.rowCount() > 0);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setStore(&second);
    QCOMPARE(resets.count(), 1);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
    model.showAll();
    while (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(model.rowCount(), 2);
}

void TestModels::jsonTreeShape_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("children");

    const QByteArray doc = R"({"id":"c-1","total":12.5,"paid":false,"note":null,
        "items":[{"sku":"A","qty":2},{"sku":"B","qty":1,"tags":["x","y"]}],
        "address":{"city":"Oslo","lines":[]},"a/b":{"t~":1}})";
    QTest::newRow("string") << doc << QStringLiteral("/id") << QStringLiteral("id")
                            << QStringLiteral("\"c-1\"") << QStringLiteral("string") << 0;
    QTest::newRow("number") << doc << QStringLiteral("/total") << QStringLiteral("total")
                            << QStringLiteral("12.5") << QStringLiteral("number") << 0;
    QTest::newRow("boolean") << doc << QStringLiteral("/paid") << QStringLiteral("paid")
                             << QStringLiteral("false") << QStringLiteral("boolean") << 0;
    QTest::newRow("null") << doc << QStringLiteral("/note") << QStringLiteral("note")
                          << QStringLiteral("null") << QStringLiteral("null") << 0;
    QTest::newRow("array") << doc << QStringLiteral("/items") << QStringLiteral("items")
                           << QStringLiteral("[2]") << QStringLiteral("array") << 2;
    QTest::newRow("array element") << doc << QStringLiteral("/items/1") << QStringLiteral("1")
                                   << QStringLiteral("{3}") << QStringLiteral("object") << 3;
    QTest::newRow("deep") << doc << QStringLiteral("/items/1/tags/1") << QStringLiteral("1")
                          << QStringLiteral("\"y\"") << QStringLiteral("string") << 0;
    QTest::newRow("empty array") << doc << QStringLiteral("/address/lines") << QStringLiteral("lines")
                                 << QStringLiteral("[0]") << QStringLiteral("array") << 0;
    QTest::newRow("escaped key") << doc << QStringLiteral("/a~1b/t~0") << QStringLiteral("t~")
                                 << QStringLiteral("1") << QStringLiteral("number") << 0;
    QTest::newRow("scalar root") << QByteArray("42") << QString() << QString() << QStringLiteral("42")
                                 << QStringLiteral("number") << 0;
}

void TestModels::jsonTreeShape()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, pointer);
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, type);
    QFETCH(int, children);

    JsonTreeModel model;
    QAbstractItemModelTester tester(&model);
    model.setJson(nlohmann::json::parse(json.constBegin(), json.constEnd()));

    const QModelIndex index = pointer.isEmpty() ? model.index(0, 0) : model.indexForPointer(pointer);
    QVERIFY(index.isValid());
    QCOMPARE(index.data(JsonTreeModel::PointerRole).toString(), pointer);
    QCOMPARE(index.siblingAtColumn(JsonTreeModel::KeyColumn).data().toString(), key);
    QCOMPARE(index.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString(), value);
    QCOMPARE(index.siblingAtColumn(JsonTreeModel::TypeColumn).data().toString(), type);
    QCOMPARE(model.rowCount(index), children);
    QCOMPARE(index.data(JsonTreeModel::ChildCountRole).toInt(), children);
}

void TestModels::jsonTreeNestedCounts()
{
    JsonTreeModel model;
    QAbstractItemModelTester tester(&model);
    QCOMPARE(model.rowCount(), 0);
    model.setJson(nlohmann::json::parse(R"({"b":{"c":[1,2,{"d":null}]},"a":1})"));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("a")); // object members in key order
    const auto b = model.index(1, 0);
    QCOMPARE(model.rowCount(b), 1);
    const auto c = model.index(0, 0, b);
    QCOMPARE(model.rowCount(c), 3);
    QCOMPARE(c.parent(), b);
    const auto d = model.index(0, 0, model.index(2, 0, c));
    QCOMPARE(d.data(JsonTreeModel::PointerRole).toString(), QStringLiteral("/b/c/2/d"));
    QCOMPARE(d.parent().parent(), c);
    const QString dObject = QStringLiteral(R"({"d":null})");
    QCOMPARE(model.index(2, 0, c).data(JsonTreeModel::JsonRole).toString(), dObject);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(TestModels)
#include "tst_models.moc"
