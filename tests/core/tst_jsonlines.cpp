#include "formats/isotimestamp.h"
#include "formats/jsonlines.h"
#include "json/jsonscan.h"
#include "store/memoryeventstore.h"
#include "store/storefactory.h"
#include "support/testsupport.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace chronoscope;
using testsupport::readFile;
using testsupport::writeFile;

namespace {

std::vector<RecordedEvent> parseBytes(
    const QByteArray& bytes, qint64 nowMs = 1000, const EventStore* existing = nullptr)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    return jsonlines::parse(buffer, QStringLiteral("events.jsonl"), nowMs, existing);
}

EventData makeEvent(const char* type, const char* data, const char* metadata = "", qint64 ts = 1767607200123)
{
    return chronoscope::testing::makeEvent(
        QString::fromUtf8(type), QByteArray(data), ts, QByteArray(metadata));
}

// A store with awkward content: big numbers, non-ASCII, escapes, pretty-printed JSON,
// empty metadata, odd stream ids.
void fill(MemoryEventStore& store)
{
    store.append(StreamId(QStringLiteral("cart-1")),
        {makeEvent("ItemAdded", R"({"sku":"A-1","qty":2,"big":123456789012345678901234567890})",
             R"({"correlationId":"c-1"})"),
            makeEvent("ItemAdded",
                "{\"name\":\"Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9"
                "e \xe2\x9c\x93 \xf0\x9f\x98\x80\","
                "\"esc\":\"tab\\tquote\\\" \\u00e9 \\ud83d\\ude00\"}")},
        ExpectedVersion::noStream());
    store.append(StreamId(QStringLiteral("order-\"x\";drop table events;--")),
        {makeEvent("OrderPlaced", "{\n  \"total\": 1.5e300,\n  \"lines\": [1, 2.50, -0]\n}", "", -86400001)},
        ExpectedVersion::any());
    store.append(StreamId(QStringLiteral("nodash")),
        {makeEvent("Ping", "null"), makeEvent("Ping", "[]", "{}")}, ExpectedVersion::any());
    store.append(StreamId(QStringLiteral("cart-1")),
        {makeEvent("CheckedOut", "{}", R"({"causationId":"x"})", 0)}, ExpectedVersion::exact(Version(2)));
}

} // namespace

class TestJsonLines : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void toLineFormat();
    void roundTripIsByteIdentical();
    void roundTripThroughSqlite();
    void bigNumbersAndNonAsciiSurvive();
    void assignsMissingValues();
    void continuesExistingStreams();
    void blankLinesAndCrlf();
    void errorsNameTheLineAndImportNothing_data();
    void errorsNameTheLineAndImportNothing();
    void exportToUnwritablePathFails();
    void scannerAgreesWithNlohmann_data();
    void scannerAgreesWithNlohmann();
    void canonicalTimestamps();
};

void TestJsonLines::toLineFormat()
{
    RecordedEvent e;
    e.position = Position(7);
    e.stream = StreamId(QStringLiteral("cart-1"));
    e.version = Version(3);
    e.id = QUuid::fromString(QLatin1String("{0f8fad5b-d9cb-469f-a165-70867728950e}"));
    e.type = QStringLiteral("ItemAdded");
    e.schemaVersion = 2;
    e.timestampMs = 1767607200123; // 2026-01-05T10:00:00.123Z
    e.data = R"({"qty": 2})";
    QCOMPARE(jsonlines::toLine(e),
        QByteArray(
            R"({"position":7,"stream":"cart-1","version":3,"id":"0f8fad5b-d9cb-469f-a165-70867728950e",)"
            R"("type":"ItemAdded","schemaVersion":2,"timestamp":"2026-01-05T10:00:00.123Z",)"
            R"("data":{"qty": 2},"metadata":{}})"));

    // Raw newlines in stored JSON become spaces so the event stays on one line.
    e.data = "{\n\"a\":\r\n1}\n";
    e.metadata = "  {\"k\":\"v\"}  ";
    const auto line = jsonlines::toLine(e);
    QVERIFY(!line.contains('\n') && !line.contains('\r'));
    QVERIFY(line.contains(R"("data":{ "a":  1},"metadata":{"k":"v"}})"));
    QCOMPARE(nlohmann::json::parse(line.constBegin(), line.constEnd())["data"]["a"], 1);

    // A stored payload that is not JSON is written as a string, so the line stays valid.
    e.data = "not json";
    const auto line2 = jsonlines::toLine(e);
    QCOMPARE(nlohmann::json::parse(line2.constBegin(), line2.constEnd())["data"], "not json");
}

void TestJsonLines::roundTripIsByteIdentical()
{
    QTemporaryDir dir;
    MemoryEventStore first;
    fill(first);
    const auto a = dir.filePath(QStringLiteral("a.jsonl"));
    QCOMPARE(jsonlines::exportFile(first, a), qint64(6));

    MemoryEventStore second;
    QCOMPARE(jsonlines::importFile(a, second), qint64(6));
    const auto b = dir.filePath(QStringLiteral("b.jsonl"));
    QCOMPARE(jsonlines::exportFile(second, b), qint64(6));
    QCOMPARE(readFile(b), readFile(a));
    QCOMPARE(readFile(a).count('\n'), 6);

    const auto before = first.readAll(std::nullopt, 100, {}, Direction::Forward);
    const auto after = second.readAll(std::nullopt, 100, {}, Direction::Forward);
    QCOMPARE(after.size(), before.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
        QCOMPARE(after[i].position, before[i].position);
        QCOMPARE(after[i].stream, before[i].stream);
        QCOMPARE(after[i].version, before[i].version);
        QCOMPARE(after[i].id, before[i].id);
        QCOMPARE(after[i].type, before[i].type);
        QCOMPARE(after[i].schemaVersion, before[i].schemaVersion);
        QCOMPARE(after[i].timestampMs, before[i].timestampMs);
        QCOMPARE(after[i].dataJson(), before[i].dataJson());
        QCOMPARE(after[i].metadataJson(), before[i].metadataJson());
        if (!before[i].data.contains('\n'))
            QCOMPARE(after[i].data, before[i].data);
    }
    QCOMPARE(
        second.streamInfo(StreamId(QStringLiteral("order-\"x\";drop table events;--")))->events, qint64(1));
}

void TestJsonLines::roundTripThroughSqlite()
{
    QTemporaryDir dir;
    MemoryEventStore memory;
    fill(memory);
    const auto a = dir.filePath(QStringLiteral("a.jsonl"));
    jsonlines::exportFile(memory, a);
    const auto b = dir.filePath(QStringLiteral("b.jsonl"));
    {
        const auto sqlite = createSqliteStore(dir.filePath(QStringLiteral("s.chronoscope")));
        QCOMPARE(jsonlines::importFile(a, *sqlite), qint64(6));
        QCOMPARE(jsonlines::exportFile(*sqlite, b), qint64(6));

        // A bad file leaves the SQLite store as it was.
        const auto bad = dir.filePath(QStringLiteral("bad.jsonl"));
        QVERIFY(writeFile(bad, "{\"stream\":\"z-1\",\"type\":\"T\",\"data\":1}\n{\"stream\":\"z-1\"}\n"));
        QVERIFY_THROWS_EXCEPTION(InvalidInput, jsonlines::importFile(bad, *sqlite));
        QCOMPARE(sqlite->summary().events, qint64(6));
        QVERIFY(!sqlite->streamInfo(StreamId(QStringLiteral("z-1"))));
    }
    QCOMPARE(readFile(b), readFile(a));
    QVERIFY(readFile(b).contains("123456789012345678901234567890"));
}

void TestJsonLines::bigNumbersAndNonAsciiSurvive()
{
    const QByteArray data = "{\"big\":123456789012345678901234567890,\"f\":1.000000000000000000001,"
                            "\"s\":\"\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80\",\"e\":\"\\u00e9\\n\"}";
    const QByteArray meta = R"({"n":99999999999999999999999})";
    const QByteArray line = R"({"stream":"s-1","type":"T","data":)" + data + R"(,"metadata":)" + meta + "}\n";
    const auto events = parseBytes(line);
    QCOMPARE(events.size(), std::size_t(1));
    QCOMPARE(events[0].data, data);
    QCOMPARE(events[0].metadata, meta);
    const auto out = jsonlines::toLine(events[0]);
    QVERIFY(out.contains(QByteArray("\"data\":" + data + ",")));
    QVERIFY(out.contains(QByteArray("\"metadata\":" + meta + "}")));

    // Escaped and non-ASCII stream ids and types are decoded.
    const auto e2
        = parseBytes("{\"stream\":\"caf\\u00e9-\\\"1\\\"\",\"type\":\"\xc3\xa9t\xc3\xa9\",\"data\":1}");
    QCOMPARE(e2[0].stream.toString(), QString::fromUtf8("caf\xc3\xa9-\"1\""));
    QCOMPARE(e2[0].type, QString::fromUtf8("\xc3\xa9t\xc3\xa9"));
    QVERIFY(jsonlines::toLine(e2[0]).contains(R"("stream":"café-\"1\"")"));
}

void TestJsonLines::assignsMissingValues()
{
    const QByteArray file = R"({"stream":"a-1","type":"T","data":{}}
{"stream":"b-1","type":"T","data":[1]}
{"stream":"a-1","type":"U","data":"x","unknown":{"ignored":true}}
)";
    const auto events = parseBytes(file, 42);
    QCOMPARE(events.size(), std::size_t(3));
    QCOMPARE(events[0].position.value, 1);
    QCOMPARE(events[1].position.value, 2);
    QCOMPARE(events[2].position.value, 3);
    QCOMPARE(events[0].version.value, 1);
    QCOMPARE(events[1].version.value, 1);
    QCOMPARE(events[2].version.value, 2);
    for (const auto& e : events) {
        QCOMPARE(e.timestampMs, qint64(42));
        QCOMPARE(e.schemaVersion, 1);
        QVERIFY(!e.id.isNull());
        QCOMPARE(e.id.version(), QUuid::Random);
        QVERIFY(e.metadata.isEmpty());
    }
    QVERIFY(events[0].id != events[1].id && events[1].id != events[2].id);
    QCOMPARE(events[2].data, QByteArray("\"x\""));
}

void TestJsonLines::continuesExistingStreams()
{
    MemoryEventStore store;
    store.append(
        StreamId(QStringLiteral("a-1")), {makeEvent("T", "1"), makeEvent("T", "2")}, ExpectedVersion::any());
    store.append(StreamId(QStringLiteral("b-1")), {makeEvent("T", "3")}, ExpectedVersion::any());
    QTemporaryDir dir;
    const auto path = dir.filePath(QStringLiteral("more.jsonl"));
    QVERIFY(writeFile(path, R"({"stream":"a-1","type":"T","data":4}
{"stream":"c-1","type":"T","data":5,"position":5,"version":1}
)"));
    QCOMPARE(jsonlines::importFile(path, store), qint64(2));
    QCOMPARE(store.streamInfo(StreamId(QStringLiteral("a-1")))->version.value, 3);
    QCOMPARE(store.readAt(Position(4))->stream.toString(), QStringLiteral("a-1"));
    QCOMPARE(store.readAt(Position(5))->stream.toString(), QStringLiteral("c-1"));
}

void TestJsonLines::blankLinesAndCrlf()
{
    const QByteArray file = "\xEF\xBB\xBF{\"stream\":\"a-1\",\"type\":\"T\",\"data\":1}\r\n"
                            "\r\n"
                            "   \n"
                            "{\"stream\":\"a-1\",\"type\":\"T\",\"data\":{\"k\":2}}\r\n"
                            "{\"stream\":\"a-1\",\"type\":\"T\",\"data\":3}"; // no final newline
    const auto events = parseBytes(file);
    QCOMPARE(events.size(), std::size_t(3));
    QCOMPARE(events[1].data, QByteArray(R"({"k":2})"));
    QCOMPARE(events[2].version.value, 3);

    // Line numbers count blank lines.
    try {
        parseBytes("\n\r\n{\"stream\":\"a\"}\r\n");
        QFAIL("no error");
    } catch (const InvalidInput& e) {
        QVERIFY2(e.message().startsWith(QLatin1String("events.jsonl:3: ")), qPrintable(e.message()));
    }
}

void TestJsonLines::errorsNameTheLineAndImportNothing_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("message");
    // Each line is put at line 3 of a file whose first two lines are fine.
    QTest::newRow("malformed") << QByteArray(R"({"stream":"x-1","type":"T","data":{)")
                               << QStringLiteral("events.jsonl:3: not valid JSON: ");
    QTest::newRow("trailing garbage") << QByteArray(R"({"stream":"x-1","type":"T","data":1} x)")
                                      << QStringLiteral("events.jsonl:3: not valid JSON: ");
    QTest::newRow("invalid utf-8") << QByteArray("{\"stream\":\"x-1\",\"type\":\"T\",\"data\":\"\xff\"}")
                                   << QStringLiteral("events.jsonl:3: not valid JSON: ");
    QTest::newRow("number overflow, then malformed")
        << QByteArray(R"({"stream":"x-1","type":"T","data":9e6679,})")
        << QStringLiteral("events.jsonl:3: not valid JSON: ");
    QTest::newRow("lone surrogate") << QByteArray(R"({"stream":"x-1","type":"T","data":"\udc00"})")
                                    << QStringLiteral("events.jsonl:3: not valid JSON: ");
    QTest::newRow("array") << QByteArray(
        "[1,2]") << QStringLiteral("events.jsonl:3: expected a JSON object (an event), got an array");
    QTest::newRow("no stream") << QByteArray(R"({"type":"T","data":1})")
                               << QStringLiteral("events.jsonl:3: 'stream' is required");
    QTest::newRow("empty stream") << QByteArray(R"({"stream":"","type":"T","data":1})")
                                  << QStringLiteral("events.jsonl:3: 'stream' is required");
    QTest::newRow("number stream") << QByteArray(R"({"stream":5,"type":"T","data":1})")
                                   << QStringLiteral("events.jsonl:3: 'stream' is required");
    QTest::newRow("no type") << QByteArray(R"({"stream":"x-1","data":1})")
                             << QStringLiteral("events.jsonl:3: 'type' is required");
    QTest::newRow("blank type") << QByteArray(R"({"stream":"x-1","type":"  ","data":1})")
                                << QStringLiteral("events.jsonl:3: 'type' is required");
    QTest::newRow("no data") << QByteArray(R"({"stream":"x-1","type":"T"})")
                             << QStringLiteral("events.jsonl:3: 'data' is required");
    QTest::newRow("metadata array") << QByteArray(R"({"stream":"x-1","type":"T","data":1,"metadata":[]})")
                                    << QStringLiteral(
                                           "events.jsonl:3: 'metadata' must be a JSON object, not an array");
    QTest::newRow("version gap") << QByteArray(R"({"stream":"a-1","type":"T","data":1,"version":5})")
                                 << QStringLiteral(
                                        "events.jsonl:3: stream 'a-1' version 5 does not follow version 3");
    QTest::newRow("version duplicate")
        << QByteArray(R"({"stream":"a-1","type":"T","data":1,"version":3})")
        << QStringLiteral("events.jsonl:3: stream 'a-1' version 3 does not follow version 3");
    QTest::newRow("version zero") << QByteArray(R"({"stream":"a-1","type":"T","data":1,"version":0})")
                                  << QStringLiteral("events.jsonl:3: 'version' must be an integer from 1");
    QTest::newRow("version text") << QByteArray(R"({"stream":"a-1","type":"T","data":1,"version":"4"})")
                                  << QStringLiteral("events.jsonl:3: 'version' must be an integer");
    QTest::newRow("version fraction") << QByteArray(R"({"stream":"a-1","type":"T","data":1,"version":4.5})")
                                      << QStringLiteral("events.jsonl:3: 'version' must be an integer");
    QTest::newRow("position gap") << QByteArray(R"({"stream":"a-1","type":"T","data":1,"position":9})")
                                  << QStringLiteral("events.jsonl:3: position 9 does not follow position 5");
    QTest::newRow("position disorder")
        << QByteArray(R"({"stream":"a-1","type":"T","data":1,"position":2})")
        << QStringLiteral("events.jsonl:3: position 2 does not follow position 5");
    QTest::newRow("bad id") << QByteArray(R"({"stream":"a-1","type":"T","data":1,"id":"nope"})")
                            << QStringLiteral("events.jsonl:3: 'id' must be a UUID string");
    QTest::newRow("bad timestamp") << QByteArray(
        R"({"stream":"a-1","type":"T","data":1,"timestamp":"yesterday"})")
                                   << QStringLiteral(
                                          "events.jsonl:3: 'timestamp' is not an ISO-8601 date and time");
    QTest::newRow("bad schemaVersion")
        << QByteArray(R"({"stream":"a-1","type":"T","data":1,"schemaVersion":-1})")
        << QStringLiteral("events.jsonl:3: 'schemaVersion' must be an integer");
}

void TestJsonLines::errorsNameTheLineAndImportNothing()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, message);
    MemoryEventStore store;
    store.append(
        StreamId(QStringLiteral("a-1")), {makeEvent("T", "1"), makeEvent("T", "2")}, ExpectedVersion::any());
    store.append(StreamId(QStringLiteral("b-1")), {makeEvent("T", "3")}, ExpectedVersion::any());

    QTemporaryDir dir;
    const auto path = dir.filePath(QStringLiteral("events.jsonl"));
    QVERIFY(writeFile(path, R"({"stream":"a-1","type":"T","data":1,"version":3,"position":4}
{"stream":"b-1","type":"T","data":2}
)" + line + "\n{\"stream\":\"a-1\",\"type\":\"T\",\"data\":1}\n"));
    const auto before = store.summary();
    try {
        jsonlines::importFile(path, store);
        QFAIL("the import did not fail");
    } catch (const InvalidInput& e) {
        const QString expected = dir.path() + QLatin1Char('/') + message;
        QVERIFY2(e.message().startsWith(expected), qPrintable(e.message()));
    }
    const auto after = store.summary();
    QCOMPARE(after.events, before.events);
    QCOMPARE(after.lastPosition, before.lastPosition);
    QCOMPARE(store.streamInfo(StreamId(QStringLiteral("a-1")))->version.value, 2);
}

void TestJsonLines::exportToUnwritablePathFails()
{
    MemoryEventStore store;
    fill(store);
    QTemporaryDir dir;
    const auto path = dir.filePath(QStringLiteral("missing-folder/out.jsonl"));
    QVERIFY_THROWS_EXCEPTION(StoreError, jsonlines::exportFile(store, path));
    QVERIFY(!QFile::exists(path));
}

void TestJsonLines::scannerAgreesWithNlohmann_data()
{
    QTest::addColumn<QByteArray>("json");
    const char* samples[] = {
        "0",
        "-0",
        "01",
        "1.",
        ".5",
        "1e5",
        "1E+5",
        "1e",
        "-",
        "--1",
        "1.5e-3",
        "123456789012345678901234567890",
        "\"a\"",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\u00e9\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud83d\"",
        "\"\\ude00\"",
        "\"tab\there\"",
        "\"\xc3\xa9\"",
        "\"\xc3\"",
        "\"\xe0\x80\x80\"",
        "\"\xed\xa0\x80\"",
        "\"\xf4\x90\x80\x80\"",
        "\"\xf0\x9f\x98\x80\"",
        "\"\xc0\xaf\"",
        "true",
        "tru",
        "nul",
        "null x",
        "[]",
        "[1,]",
        "[,1]",
        "[1 2]",
        "{}",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{a:1}",
        "{\"a\":[{\"b\":null}]}",
        " \t\n[ 1 , { } ]\r\n",
        "",
        "   ",
        "[[[[[[[[[[]]]]]]]]]]",
        "{\"a\":1}}",
        "\"unterminated",
        "1e400",
        "-1.5E+309",
        "1e-400",
        "0e99999",
        "1.7976931348623157e308",
        "1.8e308",
        "0.001e310",
    };
    for (const char* s : samples) {
        QByteArray tag; // printable name for the row
        for (const char* p = s; *p; ++p) {
            const auto c = static_cast<unsigned char>(*p);
            tag += c >= 0x20 && c < 0x7F ? QByteArray(1, char(c)) : "\\x" + QByteArray::number(c, 16);
        }
        QTest::newRow(tag.isEmpty() ? "(empty)" : tag.constData()) << QByteArray(s);
    }
}

void TestJsonLines::scannerAgreesWithNlohmann()
{
    QFETCH(QByteArray, json);
    const bool expected = nlohmann::json::accept(json.constBegin(), json.constEnd());
    QCOMPARE(jsonscan::isValidJson(std::string_view(json.constData(), std::size_t(json.size()))), expected);
}

void TestJsonLines::canonicalTimestamps()
{
    const qint64 samples[] = {0, 1, -1, -86400001, 951782400000 /* 2000-02-29 */, 1767607200123,
        253402300799999 /* 9999-12-31 */, -62135596800000 /* 0001-01-01 */};
    for (const qint64 ms : samples) {
        char buf[24];
        QVERIFY(isotimestamp::formatCanonicalTimestamp(ms, buf));
        const QString text = QString::fromLatin1(buf, 24);
        QCOMPARE(text, formatTimestamp(ms));
        QCOMPARE(isotimestamp::parseCanonicalTimestamp(std::string_view(buf, 24)),
            std::optional<std::int64_t>(ms));
    }
    QCOMPARE(isotimestamp::parseCanonicalTimestamp("2026-01-05T10:00:00Z"),
        std::optional<std::int64_t>(1767607200000));
    QVERIFY(!isotimestamp::parseCanonicalTimestamp("2025-02-29T10:00:00Z"));
    QVERIFY(!isotimestamp::parseCanonicalTimestamp("2026-13-05T10:00:00Z"));
    QVERIFY(!isotimestamp::parseCanonicalTimestamp("2026-01-05 10:00:00Z"));
    // Other ISO-8601 forms go through the general parser.
    const auto events
        = parseBytes(R"({"stream":"a","type":"T","data":1,"timestamp":"2026-01-05T11:00:00.5+01:00"}
{"stream":"a","type":"T","data":1,"timestamp":1767607200123}
)");
    QCOMPARE(events[0].timestampMs, qint64(1767607200500));
    QCOMPARE(events[1].timestampMs, qint64(1767607200123));
}

QTEST_GUILESS_MAIN(TestJsonLines)
#include "tst_jsonlines.moc"
