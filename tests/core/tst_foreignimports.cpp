// Redux DevTools exports and KurrentDB projection fixtures: detection from content, the
// events they become, opening them as read-only stores, importing, and clear errors.
#include "formats/foreignimports.h"
#include "store/memoryeventstore.h"
#include "store/storefactory.h"
#include "support/testsupport.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using nlohmann::json;
using testsupport::writeFile;

namespace {

const json kLifted = json::parse(R"({
  "monitorState": {},
  "actionsById": {
    "0": {"type": "PERFORM_ACTION", "action": {"type": "@@INIT"}, "timestamp": 1700000000000},
    "1": {"type": "PERFORM_ACTION", "action": {"type": "counter/increment", "payload": 1}, "timestamp": 1700000001000},
    "2": {"type": "PERFORM_ACTION", "action": {"type": "todos/add", "payload": {"text": "milk"}}, "timestamp": 1700000002000}
  },
  "nextActionId": 3,
  "stagedActionIds": [0, 1, 2],
  "skippedActionIds": [2],
  "committedState": {"counter": 0, "todos": []},
  "currentStateIndex": 2,
  "computedStates": [{"state": {"counter": 0}}, {"state": {"counter": 1}}, {"state": {"counter": 1}, "error": "boom"}]
})");

const char* const kFixture = R"([
  {"eventType": "AccountOpened", "streamId": "account-1", "data": {"owner": "ann"}, "metadata": {"user": "x"},
   "eventId": "5f1c2a44-8c3e-4f57-9a59-0c4b1c7f2a10"},
  {"eventType": "Deposited", "streamId": "account-1", "data": {"amount": 10}, "created": "2024-01-02T03:04:05Z"},
  {"eventType": "AccountOpened", "streamId": "account-2", "data": {"owner": "bob"}, "metadata": null, "schemaVersion": 2}
])";

QByteArray reduxExport()
{
    auto lifted = kLifted;
    lifted.erase("committedState");
    return QByteArray::fromStdString(
        json {{"payload", lifted.dump()}, {"preloadedState", R"({"counter":5})"}}.dump());
}

foreignimports::Kind detectBytes(const QByteArray& bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    return foreignimports::detect(buffer);
}

foreignimports::Options options()
{
    foreignimports::Options o;
    o.nowMs = 1767600000000;
    return o;
}

json dataOf(const RecordedEvent& e)
{
    return json::parse(e.data.constBegin(), e.data.constEnd());
}
json metadataOf(const RecordedEvent& e)
{
    return json::parse(e.metadata.constBegin(), e.metadata.constEnd());
}

QString errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const StoreError& e) {
        return e.message();
    }
    return {};
}

} // namespace

class TestForeignImports : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void detection_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("kind");
        const auto none = int(foreignimports::Kind::None);
        const auto redux = int(foreignimports::Kind::ReduxDevTools);
        const auto kurrent = int(foreignimports::Kind::KurrentJson);
        QTest::newRow("lifted, pretty") << QByteArray::fromStdString(kLifted.dump(2)) << redux;
        QTest::newRow("lifted, one line") << QByteArray::fromStdString(kLifted.dump()) << redux;
        QTest::newRow("export form") << reduxExport() << redux;
        QTest::newRow("export form with BOM") << QByteArray("\xEF\xBB\xBF  \n") + reduxExport() << redux;
        QTest::newRow("fixture") << QByteArray(kFixture) << kurrent;
        QTest::newRow("JSON Lines") << QByteArray(
            R"({"stream":"s-1","type":"T","data":{"actionsById":1,"stagedActionIds":2}})"
            "\n") << none;
        QTest::newRow("other array") << QByteArray("[1, 2]") << none;
        QTest::newRow("empty") << QByteArray() << none;
        QTest::newRow("text") << QByteArray("hello") << none;
    }

    void detection()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, kind);
        QCOMPARE(int(detectBytes(content)), kind);
    }

    void reduxLiftedState()
    {
        const auto bytes = QByteArray::fromStdString(kLifted.dump(2));
        const auto events = foreignimports::parseRedux(bytes, QStringLiteral("state.json"), options());
        QCOMPARE(events.size(), std::size_t(4));
        // The committed state first, then the actions in stagedActionIds order.
        QCOMPARE(events[0].type, QStringLiteral("@@PRELOADED_STATE"));
        QVERIFY(dataOf(events[0]) == (json {{"counter", 0}, {"todos", json::array()}}));
        QCOMPARE(metadataOf(events[0])["from"].get<std::string>(), std::string("committedState"));
        QCOMPARE(events[1].type, QStringLiteral("@@INIT"));
        QCOMPARE(events[2].type, QStringLiteral("counter/increment"));
        QVERIFY(dataOf(events[2]) == (json {{"payload", 1}}));
        QCOMPARE(events[3].type, QStringLiteral("todos/add"));
        QVERIFY(dataOf(events[3]) == (json {{"payload", {{"text", "milk"}}}}));
        const auto meta = metadataOf(events[3]);
        QCOMPARE(meta["reduxActionId"].get<int>(), 2);
        QCOMPARE(meta["skipped"].get<bool>(), true);
        QCOMPARE(meta["reducerError"].get<std::string>(), std::string("boom"));
        QVERIFY(!metadataOf(events[2]).contains("skipped"));
        for (std::size_t i = 0; i < events.size(); ++i) {
            QCOMPARE(events[i].stream, StreamId(QStringLiteral("redux")));
            QCOMPARE(events[i].version, Version(qint64(i) + 1));
            QCOMPARE(events[i].position, Position(qint64(i) + 1));
        }
        QCOMPARE(events[2].timestampMs, 1700000001000);
        QCOMPARE(events[0].timestampMs, 1700000000000);
        // The same file gives the same ids; another file other ids.
        const auto again = foreignimports::parseRedux(bytes, QStringLiteral("state.json"), options());
        QCOMPARE(again[2].id, events[2].id);
        QVERIFY(!events[2].id.isNull());
        const auto other = foreignimports::parseRedux(reduxExport(), QStringLiteral("state.json"), options());
        QVERIFY(other[2].id != events[2].id);
    }

    void reduxExportForm()
    {
        auto o = options();
        o.reduxStream = StreamId(QStringLiteral("ui-session"));
        const auto events = foreignimports::parseRedux(reduxExport(), QStringLiteral("state.json"), o);
        QCOMPARE(events.size(), std::size_t(4));
        QCOMPARE(events[0].type, QStringLiteral("@@PRELOADED_STATE"));
        QVERIFY(dataOf(events[0]) == (json {{"counter", 5}}));
        QCOMPARE(metadataOf(events[0])["from"].get<std::string>(), std::string("preloadedState"));
        QCOMPARE(events[3].stream, StreamId(QStringLiteral("ui-session")));
        // Without an initial state the first action comes first.
        auto lifted = kLifted;
        lifted.erase("committedState");
        const auto bare
            = foreignimports::parseRedux(QByteArray::fromStdString(json {{"payload", lifted.dump()}}.dump()),
                QStringLiteral("state.json"), options());
        QCOMPARE(bare.size(), std::size_t(3));
        QCOMPARE(bare[0].type, QStringLiteral("@@INIT"));
    }

    void badReduxFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        auto missingAction = kLifted;
        missingAction["stagedActionIds"] = {0, 1, 7};
        auto noType = kLifted;
        noType["actionsById"]["1"]["action"].erase("type");
        auto notObject = kLifted;
        notObject["actionsById"]["2"] = "x";
        auto noStaged = kLifted;
        noStaged.erase("stagedActionIds");
        QTest::newRow("malformed JSON") << QByteArray("{\n \"actionsById\": {,\n}")
                                        << "state.json is not valid JSON: parse error at line 2";
        QTest::newRow("payload not JSON") << QByteArray(R"({"payload": "{\"actionsById\": oops"})")
                                          << "state.json: \"payload\" is not valid JSON";
        QTest::newRow("preloadedState not JSON") << QByteArray::fromStdString(
            json {{"payload", kLifted.dump()}, {"preloadedState", "{bad"}}.dump())
                                                 << "state.json: \"preloadedState\" is not valid JSON";
        QTest::newRow("staged id without action") << QByteArray::fromStdString(
            missingAction.dump()) << "state.json: action id 7 (stagedActionIds[2]) is not in \"actionsById\"";
        QTest::newRow("action without type") << QByteArray::fromStdString(noType.dump())
                                             << "state.json: action id 1: the action has no \"type\"";
        QTest::newRow("lifted action not an object") << QByteArray::fromStdString(
            notObject.dump()) << "state.json: action id 2: expected {type: \"PERFORM_ACTION\"";
        QTest::newRow("no stagedActionIds") << QByteArray::fromStdString(noStaged.dump())
                                            << "state.json: the lifted state has no \"stagedActionIds\"";
        QTest::newRow("not an object") << QByteArray("[]") << "a Redux DevTools export is an object";
    }

    void badReduxFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const auto message
            = errorOf([&] { foreignimports::parseRedux(content, QStringLiteral("state.json"), options()); });
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void kurrentFixture()
    {
        const auto events
            = foreignimports::parseKurrent(QByteArray(kFixture), QStringLiteral("fixture.json"), options());
        QCOMPARE(events.size(), std::size_t(3));
        QCOMPARE(events[0].type, QStringLiteral("AccountOpened"));
        QCOMPARE(events[0].stream, StreamId(QStringLiteral("account-1")));
        QCOMPARE(events[0].id, QUuid(QStringLiteral("5f1c2a44-8c3e-4f57-9a59-0c4b1c7f2a10")));
        QVERIFY(metadataOf(events[0]) == (json {{"user", "x"}}));
        QCOMPARE(events[0].timestampMs, 1767600000000); // none given: now
        QCOMPARE(events[1].version, Version(2));
        QCOMPARE(events[1].timestampMs, parseTimestamp(QStringLiteral("2024-01-02T03:04:05Z")).value());
        QVERIFY(dataOf(events[1]) == (json {{"amount", 10}}));
        QCOMPARE(events[2].stream, StreamId(QStringLiteral("account-2")));
        QCOMPARE(events[2].version, Version(1));
        QCOMPARE(events[2].position, Position(3));
        QCOMPARE(events[2].schemaVersion, 2);
        QVERIFY(events[2].metadata.isEmpty());
    }

    void badKurrentFixtures_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing streamId")
            << QByteArray(R"([{"eventType":"A","streamId":"s-1","data":{}},{"eventType":"B","data":{}}])")
            << "fixture.json: [1]: \"streamId\" is missing";
        QTest::newRow("missing eventType") << QByteArray(R"([{"streamId":"s-1","data":{}}])")
                                           << "fixture.json: [0]: \"eventType\" is missing";
        QTest::newRow("missing data") << QByteArray(R"([{"eventType":"A","streamId":"s-1"}])")
                                      << "fixture.json: [0]: \"data\" is missing";
        QTest::newRow("empty type") << QByteArray(R"([{"eventType":" ","streamId":"s-1","data":1}])")
                                    << "[0]: \"eventType\" must be a non-empty string";
        QTest::newRow("metadata") << QByteArray(
            R"([{"eventType":"A","streamId":"s-1","data":1,"metadata":[1]}])")
                                  << "[0]: \"metadata\" must be an object, not array";
        QTest::newRow("eventId") << QByteArray(
            R"([{"eventType":"A","streamId":"s-1","data":1,"eventId":"nope"}])")
                                 << "[0]: \"eventId\" is not a UUID";
        QTest::newRow("created") << QByteArray(
            R"([{"eventType":"A","streamId":"s-1","data":1,"created":"yesterday"}])")
                                 << "[0]: \"created\" is not a time";
        QTest::newRow("created past int64")
            << QByteArray(R"([{"eventType":"A","streamId":"s-1","data":1,"created":1.7e20}])")
            << "[0]: \"created\" is not a time";
        QTest::newRow("created past Date")
            << QByteArray(R"([{"eventType":"A","streamId":"s-1","data":1,"timestamp":18446744073709551615}])")
            << "[0]: \"timestamp\" is not a time";
        QTest::newRow("not an event") << QByteArray(R"([{"eventType":"A","streamId":"s-1","data":1}, 5])")
                                      << "[1] is number, not an event object";
        QTest::newRow("malformed") << QByteArray("[{\"eventType\": }]")
                                   << "fixture.json is not valid JSON: parse error at line 1";
        QTest::newRow("not an array") << QByteArray("{}") << "a KurrentDB fixture is a JSON array";
    }

    void badKurrentFixtures()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const auto message = errorOf(
            [&] { foreignimports::parseKurrent(content, QStringLiteral("fixture.json"), options()); });
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void openAsReadOnlyStores()
    {
        QTemporaryDir dir;
        const auto redux = dir.filePath(QStringLiteral("state.json"));
        const auto fixture = dir.filePath(QStringLiteral("fixture.json"));
        QVERIFY(writeFile(redux, QByteArray::fromStdString(kLifted.dump(2))));
        QVERIFY(writeFile(fixture, kFixture));
        QCOMPARE(detectFormat(redux), StoreFormat::ReduxDevTools);
        QCOMPARE(detectFormat(fixture), StoreFormat::KurrentJson);
        QCOMPARE(formatName(StoreFormat::ReduxDevTools), QStringLiteral("redux-devtools"));
        for (const auto& path : {redux, fixture}) {
            const auto store = openStore(path);
            const auto summary = store->summary();
            QVERIFY(summary.readOnly);
            QCOMPARE(summary.location, path);
            QVERIFY(summary.events > 0);
            QVERIFY(errorOf([&] {
                store->append(StreamId(QStringLiteral("x")),
                    {EventData {QStringLiteral("T"), "1", {}, {}, 1, {}}}, ExpectedVersion::any());
            }).contains(QStringLiteral("read-only")));
        }
        QCOMPARE(openStore(redux)->summary().format, QStringLiteral("redux-devtools"));
        QCOMPARE(openStore(fixture)->streams().size(), std::size_t(2));
        // A broken fixture gives an open error naming the file and the index.
        const auto broken = dir.filePath(QStringLiteral("broken.json"));
        QVERIFY(writeFile(broken, R"([{"eventType":"A","streamId":"s-1"}])"));
        const auto message = errorOf([&] { openStore(broken); });
        QVERIFY2(
            message.contains(broken + QStringLiteral(": [0]: \"data\" is missing")), qPrintable(message));
    }

    void importContinuesAnExistingStore()
    {
        QTemporaryDir dir;
        const auto fixture = dir.filePath(QStringLiteral("fixture.json"));
        QVERIFY(writeFile(fixture, kFixture));
        MemoryEventStore store;
        store.append(StreamId(QStringLiteral("account-1")),
            {EventData {QStringLiteral("Old"), "{}", {}, {}, 1, {}}}, ExpectedVersion::any());
        store.append(StreamId(QStringLiteral("other")),
            {EventData {QStringLiteral("Old"), "{}", {}, {}, 1, {}}}, ExpectedVersion::any());
        QCOMPARE(foreignimports::importFile(fixture, foreignimports::Kind::KurrentJson, store, options()), 3);
        QCOMPARE(store.summary().events, 5);
        const auto account
            = store.readStream(StreamId(QStringLiteral("account-1")), std::nullopt, 10, Direction::Forward);
        QCOMPARE(account.size(), std::size_t(3));
        QCOMPARE(account[1].version, Version(2));
        QCOMPARE(account[1].position, Position(3));
        QCOMPARE(account[2].type, QStringLiteral("Deposited"));
        // A file with an error imports nothing.
        const auto broken = dir.filePath(QStringLiteral("broken.json"));
        QVERIFY(writeFile(broken, R"([{"eventType":"A","streamId":"s-1","data":1},{"eventType":"B"}])"));
        QVERIFY(errorOf([&] {
            foreignimports::importFile(broken, foreignimports::Kind::KurrentJson, store, options());
        }).contains(QStringLiteral("[1]: \"streamId\" is missing")));
        QCOMPARE(store.summary().events, 5);
    }
};

QTEST_GUILESS_MAIN(TestForeignImports)
#include "tst_foreignimports.moc"
