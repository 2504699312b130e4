// Upcasters: JSON rules and JavaScript steps, chains across versions, the upcasting store
// decorator, and clear errors that never change a stored event.
#include "store/memoryeventstore.h"
#include "support/testsupport.h"
#include "upcast/jsupcaster.h"
#include "upcast/upcaster.h"
#include "upcast/upcasterrules.h"
#include "upcast/upcastingeventstore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <future>

using namespace chronoscope;
using nlohmann::json;

namespace {

EventData eventData(const char* type, const json& data, int schemaVersion = 1)
{
    return chronoscope::testing::jsonEvent(type, data, schemaVersion, 1767600000000);
}

RecordedEvent recorded(const char* type, const json& data, int schemaVersion = 1, qint64 position = 7)
{
    return chronoscope::testing::recordedEvent(QStringLiteral("cart-1"), position, position,
        QString::fromUtf8(type), QByteArray::fromStdString(data.dump()), 1767600000000, {}, schemaVersion);
}

std::shared_ptr<UpcasterChain> rules(const char* text, const char* name = "rules.json")
{
    auto chain = std::make_shared<UpcasterChain>();
    for (auto& step : upcasterrules::parse(QByteArray(text), QString::fromUtf8(name)))
        chain->add(std::move(step));
    return chain;
}

std::shared_ptr<UpcasterChain> script(const char* text, int limitMs = 2000, const char* name = "upcast.js")
{
    auto chain = std::make_shared<UpcasterChain>();
    for (auto& step : jsupcaster::fromSource(QString::fromUtf8(text), QString::fromUtf8(name), limitMs))
        chain->add(std::move(step));
    return chain;
}

json dataOf(const RecordedEvent& e)
{
    return json::parse(e.data.constBegin(), e.data.constEnd());
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

const char* const kCartRules = R"([
  {"type": "ItemAdded", "from": 1, "to": 2, "ops": [
    {"op": "rename", "from": "/qty", "to": "/quantity"},
    {"op": "move", "from": "/price", "to": "/pricing/amount"},
    {"op": "add", "path": "/pricing/currency", "default": "EUR"},
    {"op": "remove", "path": "/legacy"}
  ]},
  {"type": "ItemAdded", "from": 2, "to": 3, "ops": [
    {"op": "retype", "path": "/quantity", "to": "integer", "round": "floor"},
    {"op": "retype", "path": "/pricing/amount", "to": "number"}
  ]}
])";

} // namespace

class TestUpcasters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rulesChainAcrossVersions()
    {
        const auto chain = rules(kCartRules);
        const auto raw
            = recorded("ItemAdded", {{"sku", "A"}, {"qty", "2.7"}, {"price", "12.50"}, {"legacy", true}});
        const auto up = chain->upcast(raw);
        QCOMPARE(up.schemaVersion, 3);
        QVERIFY(dataOf(up)
            == (json {{"sku", "A"}, {"quantity", 2}, {"pricing", {{"amount", 12.5}, {"currency", "EUR"}}}}));
        QCOMPARE(chain->targetVersion(QStringLiteral("ItemAdded"), 1), 3);
        QCOMPARE(chain->targetVersion(QStringLiteral("ItemAdded"), 2), 3);
        QCOMPARE(chain->targetVersion(QStringLiteral("ItemAdded"), 3), 3);
        // Starting at version 2 runs only the second step.
        const auto fromTwo = chain->upcast(recorded("ItemAdded", {{"quantity", "4"}}, 2));
        QCOMPARE(fromTwo.schemaVersion, 3);
        QVERIFY(dataOf(fromTwo) == (json {{"quantity", 4}}));
    }

    void eventsWithoutAStepPassUntouched()
    {
        const auto chain = rules(kCartRules);
        auto other = recorded("CartOpened", json::object());
        other.data = "{ \"spacing\" :  1 ,\"big\":123456789012345678901234567890}"; // kept byte for byte
        QCOMPARE(chain->upcast(other).data, other.data);
        auto current = recorded("ItemAdded", json::object(), 3);
        current.data = "not JSON at all"; // no step for v3: never parsed
        QCOMPARE(chain->upcast(current).data, current.data);
        QVERIFY(!chain->applies(current));
    }

    void addKeepsAnExistingValueAndMissingSourcesAreNoOps()
    {
        const auto chain = rules(R"([{"type": "T", "from": 1, "to": 2, "ops": [
            {"op": "add", "path": "/a", "default": 1},
            {"op": "add", "path": "/deep/er", "default": [1]},
            {"op": "rename", "from": "/missing", "to": "/other"},
            {"op": "remove", "path": "/missing"},
            {"op": "retype", "path": "/nothing", "to": "string"},
            {"op": "retype", "path": "/n", "to": "string"}
        ]}])");
        QVERIFY(dataOf(chain->upcast(recorded("T", {{"a", 5}, {"n", nullptr}})))
            == (json {{"a", 5}, {"deep", {{"er", {1}}}}, {"n", nullptr}}));
        // A null payload becomes an object when a member is added.
        QVERIFY(dataOf(chain->upcast(recorded("T", nullptr))) == (json {{"a", 1}, {"deep", {{"er", {1}}}}}));
    }

    void retypeConversions_data()
    {
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("extra");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected"); // JSON, or "!" followed by a part of the error
        QTest::newRow("int to string") << "string"
                                       << ""
                                       << "12"
                                       << "\"12\"";
        QTest::newRow("float to string") << "string"
                                         << ""
                                         << "12.5"
                                         << "\"12.5\"";
        QTest::newRow("bool to string") << "string"
                                        << ""
                                        << "true"
                                        << "\"true\"";
        QTest::newRow("object to string") << "string"
                                          << ""
                                          << "{}"
                                          << "!cannot become a string";
        QTest::newRow("string to number") << "number"
                                          << ""
                                          << "\" 3.25 \""
                                          << "3.25";
        QTest::newRow("string to number, whole") << "number"
                                                 << ""
                                                 << "\"3\""
                                                 << "3";
        QTest::newRow("bad number") << "number"
                                    << ""
                                    << "\"12a\""
                                    << "!\"12a\" is not a number";
        QTest::newRow("fraction to integer") << "integer"
                                             << ""
                                             << "2.5"
                                             << "!is not a whole number";
        QTest::newRow("fraction rounded") << "integer"
                                          << ",\"round\":\"nearest\""
                                          << "2.5"
                                          << "3";
        QTest::newRow("fraction ceil") << "integer"
                                       << ",\"round\":\"ceil\""
                                       << "\"2.1\""
                                       << "3";
        QTest::newRow("fraction truncate") << "integer"
                                           << ",\"round\":\"truncate\""
                                           << "-2.7"
                                           << "-2";
        QTest::newRow("whole float to integer") << "integer"
                                                << ""
                                                << "4.0"
                                                << "4";
        QTest::newRow("string to boolean") << "boolean"
                                           << ""
                                           << "\"TRUE\""
                                           << "true";
        QTest::newRow("zero to boolean") << "boolean"
                                         << ""
                                         << "0"
                                         << "false";
        QTest::newRow("two to boolean") << "boolean"
                                        << ""
                                        << "2"
                                        << "!is not true, false, 1 or 0";
        QTest::newRow("fallback") << "number"
                                  << ",\"default\":-1"
                                  << "\"n/a\""
                                  << "-1";
    }

    void retypeConversions()
    {
        QFETCH(QString, to);
        QFETCH(QString, extra);
        QFETCH(QString, input);
        QFETCH(QString, expected);
        const auto text = QStringLiteral(
            R"([{"type":"T","from":1,"to":2,"ops":[{"op":"retype","path":"/v","to":"%1"%2}]}])")
                              .arg(to, extra)
                              .toUtf8();
        const auto chain = rules(text.constData());
        const auto raw = recorded("T", {{"v", json::parse(input.toStdString())}});
        if (expected.startsWith(QLatin1Char('!'))) {
            const auto message = errorOf([&] { chain->upcast(raw); });
            QVERIFY2(message.contains(expected.mid(1)), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("rules.json rule [0] (T v1→v2) op [0] (retype /v)")),
                qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral(
                         "stream 'cart-1' version 7 (type 'T', schema version 1, position 7)")),
                qPrintable(message));
        } else {
            QVERIFY(dataOf(chain->upcast(raw))["v"] == json::parse(expected.toStdString()));
        }
    }

    void moveOntoAnExistingMemberFails()
    {
        const auto chain
            = rules(R"([{"type":"T","from":1,"to":2,"ops":[{"op":"rename","from":"/a","to":"/b"}]}])");
        const auto message = errorOf([&] { chain->upcast(recorded("T", {{"a", 1}, {"b", 2}})); });
        QVERIFY2(message.contains(QStringLiteral("/b already exists")), qPrintable(message));
    }

    void badRuleFiles_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not JSON") << QByteArray("[{\"type\": ]")
                                  << "rules.json: not valid JSON: parse error at line 1";
        QTest::newRow("not an array")
            << QByteArray("{\"type\":\"T\"}") << "an upcaster rule file is an array of rules";
        QTest::newRow("no type") << QByteArray(R"([{"from":1,"to":2,"ops":[]}])")
                                 << "rules.json rule [0]: \"type\" is missing";
        QTest::newRow("to not above from")
            << QByteArray(R"([{"type":"T","from":1,"to":2,"ops":[]},{"type":"U","from":3,"to":3,"ops":[]}])")
            << "rules.json rule [1]: \"to\" (3) must be above \"from\" (3)";
        QTest::newRow("typo in a member")
            << QByteArray(R"([{"type":"T","form":1,"to":2,"ops":[]}])") << "unknown member \"form\"";
        QTest::newRow("unknown op") << QByteArray(R"([{"type":"T","from":1,"to":2,"ops":[{"op":"copy"}]}])")
                                    << "rules.json rule [0] op [0]: unknown op 'copy'";
        QTest::newRow("not a pointer")
            << QByteArray(R"([{"type":"T","from":1,"to":2,"ops":[{"op":"remove","path":"name"}]}])")
            << "'name' is not a JSON Pointer";
        QTest::newRow("bad escape") << QByteArray(
            R"([{"type":"T","from":1,"to":2,"ops":[{"op":"remove","path":"/a~2"}]}])")
                                    << "'~' must be followed by 0 or 1";
        QTest::newRow("rename across parents")
            << QByteArray(R"([{"type":"T","from":1,"to":2,"ops":[{"op":"rename","from":"/a/b","to":"/c"}]}])")
            << "use move";
        QTest::newRow("move into itself")
            << QByteArray(R"([{"type":"T","from":1,"to":2,"ops":[{"op":"move","from":"/a","to":"/a/b"}]}])")
            << "cannot move into itself";
        QTest::newRow("retype target")
            << QByteArray(R"([{"type":"T","from":1,"to":2,"ops":[{"op":"retype","path":"/a","to":"date"}]}])")
            << "'date' is not string, number, integer or boolean";
        QTest::newRow("round without integer") << QByteArray(
            R"([{"type":"T","from":1,"to":2,"ops":[{"op":"retype","path":"/a","to":"number","round":"floor"}]}])")
                                               << "\"round\" applies only to";
        QTest::newRow("duplicate step")
            << QByteArray(R"([{"type":"T","from":1,"to":2,"ops":[]},{"type":"T","from":1,"to":3,"ops":[]}])")
            << "rules.json rule [0] and rules.json rule [1] both upcast T from schema version 1";
    }

    void badRuleFiles()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const auto message = errorOf([&] { rules(text.constData()); });
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void javascriptSteps()
    {
        const auto chain = script(R"JS(
            const upcasters = [
              { type: 'ItemAdded', from: 1, to: 2,
                upcast(event) { return { sku: event.data.sku, quantity: event.data.qty, seenAt: event.version,
                                         schema: event.schemaVersion, by: event.metadata.user }; } },
              { type: 'ItemAdded', from: 2, to: 3 },
            ];
            function upcast(event) { return Object.assign({ currency: 'EUR' }, event.data); }
        )JS");
        auto raw = recorded("ItemAdded", {{"sku", "A"}, {"qty", 2}});
        raw.metadata = R"({"user":"ann"})";
        const auto up = chain->upcast(raw);
        QCOMPARE(up.schemaVersion, 3);
        QVERIFY(dataOf(up)
            == (json {{"currency", "EUR"}, {"sku", "A"}, {"quantity", 2}, {"seenAt", 7}, {"schema", 1},
                {"by", "ann"}}));
        const auto steps = chain->steps();
        QCOMPARE(steps.size(), std::size_t(2));
        QCOMPARE(steps[0]->name(), QStringLiteral("upcast.js upcasters[0]"));
    }

    void javascriptOnModuleExportsAndAnyJsonResult()
    {
        const auto chain = script(R"JS(
            module.exports = { upcasters: [{ type: 'T', from: 1, to: 2, upcast: e => e.data.length }] };
        )JS");
        QVERIFY(dataOf(chain->upcast(recorded("T", {1, 2, 3}))) == json(3));
    }

    void javascriptBatchesKeepOrder()
    {
        // More events than one call into the script takes (256), mixed with events it skips.
        const auto chain
            = script("var upcasters = [{type: 'T', from: 1, to: 2, upcast: e => ({ n: e.data.n * 2 })}];");
        std::vector<RecordedEvent> events;
        for (int i = 0; i < 700; ++i)
            events.push_back(recorded(i % 3 ? "T" : "U", {{"n", i}}, 1, i + 1));
        chain->upcast(events);
        for (int i = 0; i < 700; ++i) {
            QCOMPARE(dataOf(events[std::size_t(i)])["n"].get<int>(), i % 3 ? i * 2 : i);
            QCOMPARE(events[std::size_t(i)].schemaVersion, i % 3 ? 2 : 1);
        }
    }

    void javascriptErrors_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        QTest::newRow("throws") << QStringLiteral(
            "var upcasters = [{type: 'T', from: 1, to: 2, upcast: function (e) {\n"
            "  if (e.data.n === 2) throw new Error('no n=2 please');\n  return e.data; }}];")
                                << QStringLiteral("upcast.js:2: Error: no n=2 please");
        QTest::newRow("undefined") << QStringLiteral(
            "var upcasters = [{type: 'T', from: 1, to: 2, upcast: e => { if (e.data.n === 2) return "
            "undefined; return 1; }}];")
                                   << QStringLiteral("upcast returned undefined");
        QTest::newRow("function") << QStringLiteral(
            "var upcasters = [{type: 'T', from: 1, to: 2, upcast: e => e.data.n === 2 ? (() => 1) : 1}];")
                                  << QStringLiteral("upcast returned a function");
        QTest::newRow("cycle") << QStringLiteral(
            "var upcasters = [{type: 'T', from: 1, to: 2, upcast: e => {\n"
            "  if (e.data.n !== 2) return 1; var o = {}; o.self = o; return o; }}];")
                               << QStringLiteral(
                                      "upcast.js upcasters[0] (T v1→v2) failed at stream 'cart-1' version 2");
    }

    void javascriptErrors()
    {
        QFETCH(QString, source);
        QFETCH(QString, expected);
        const auto text = source.toUtf8();
        const auto chain = script(text.constData());
        std::vector<RecordedEvent> events {recorded("T", {{"n", 1}}, 1, 1), recorded("T", {{"n", 2}}, 1, 2),
            recorded("T", {{"n", 3}}, 1, 3)};
        const auto before = events;
        const auto message = errorOf([&] { chain->upcast(events); });
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.contains(
                     QStringLiteral("stream 'cart-1' version 2 (type 'T', schema version 1, position 2)")),
            qPrintable(message));
        for (std::size_t i = 0; i < events.size(); ++i) // a failed batch leaves every event as it was
            QCOMPARE(events[i].data, before[i].data);
        // inspect() names the one event that failed and still upcasts the others.
        const auto outcomes = chain->inspect(before);
        QVERIFY(outcomes[0].error.isEmpty() && outcomes[0].changed());
        QVERIFY(!outcomes[1].error.isEmpty());
        QCOMPARE(outcomes[1].upcast.data, before[1].data);
        QCOMPARE(outcomes[1].upcast.schemaVersion, 1);
        QVERIFY(outcomes[2].error.isEmpty() && outcomes[2].changed());
    }

    void javascriptRunningTooLongIsInterrupted()
    {
        const auto chain
            = script("var upcasters = [{type: 'T', from: 1, to: 2, upcast: e => { for (;;) {} }}];", 200);
        const auto start = std::chrono::steady_clock::now();
        const auto message = errorOf([&] { chain->upcast(recorded("T", json::object())); });
        QVERIFY2(message.contains(QStringLiteral("ran longer than 200 ms")), qPrintable(message));
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
        // The engine is usable again afterwards.
        QVERIFY(!errorOf([&] {
            chain->upcast(recorded("U", json::object()));
        }).contains(QStringLiteral("ran longer")));
    }

    void aThrownValueThatIsNotAnErrorIsAnError()
    {
        const auto chain
            = script("var upcasters = [{type: 'T', from: 1, to: 2, upcast: e => { throw 42; }}];");
        const auto message = errorOf([&] { chain->upcast(recorded("T", json::object())); });
        QVERIFY2(message.contains(QStringLiteral("upcast.js upcasters[0]")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("stream 'cart-1' version 7")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("threw 42 (a number, not an Error)")), qPrintable(message));
        const auto top = errorOf([] { script("var upcasters = [];\nthrow 'nope';"); });
        QVERIFY2(top.contains(QStringLiteral(
                     "upcast.js:2: the upcaster script does not run: threw \"nope\" (a string, "
                     "not an Error)")),
            qPrintable(top));
    }

    void topLevelCodeIsInterrupted()
    {
        QString message;
        auto done = std::async(std::launch::async, [&] {
            message = errorOf([] {
                script("var upcasters = [{type: 'T', from: 1, to: 2, upcast: e => e.data}];\n"
                       "for (;;) {}",
                    200);
            });
        });
        QVERIFY(done.wait_for(std::chrono::minutes(1)) == std::future_status::ready);
        QVERIFY2(message.contains(QStringLiteral("upcast.js: the upcaster script ran longer than 200 ms")),
            qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("interrupted")), qPrintable(message));
    }

    void aLoneSurrogateInTheDataIsAnError()
    {
        const auto chain = script("var upcasters = [{type: 'T', from: 1, to: 2, upcast: e => ({s: e.version "
                                  "=== 8 ? '\\ud800' : 'ok'})}];");
        std::vector<RecordedEvent> events {
            recorded("T", json::object(), 1, 7), recorded("T", json::object(), 1, 8)};
        const auto message = errorOf([&] { chain->upcast(events); });
        QVERIFY2(message.contains(QStringLiteral("version 8")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("lone surrogate (\\ud800)")), qPrintable(message));
    }

    void badScripts_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        QTest::newRow("syntax") << QStringLiteral(
            "var upcasters = [\n{type: 'T', from: 1, to: 2,\n upcast(e) { return ( }}];")
                                << QStringLiteral("upcast.js:3: the upcaster script does not run");
        QTest::newRow("no upcasters") << QStringLiteral("function upcast(e) { return e.data; }")
                                      << QStringLiteral("declares no `upcasters` array");
        QTest::newRow("empty") << QStringLiteral("var upcasters = [];")
                               << QStringLiteral("the upcasters array is empty");
        QTest::newRow("no function") << QStringLiteral("var upcasters = [{type: 'T', from: 1, to: 2}];")
                                     << QStringLiteral("upcast.js upcasters[0]: no upcast function");
        QTest::newRow("no type") << QStringLiteral("var upcasters = [{from: 1, to: 2, upcast: e => 1}];")
                                 << QStringLiteral(
                                        "upcast.js upcasters[0]: \"type\" must be a non-empty string");
        QTest::newRow("versions") << QStringLiteral(
            "var upcasters = [{type: 'T', from: 2, to: 1, upcast: e => 1}];")
                                  << QStringLiteral("\"to\" (1) must be above \"from\" (2)");
        QTest::newRow("sandbox") << QStringLiteral(
            "var upcasters = [{type: 'T', from: 1, to: 2, upcast: e => 1}]; require('fs');")
                                 << QStringLiteral("ReferenceError");
    }

    void badScripts()
    {
        QFETCH(QString, source);
        QFETCH(QString, expected);
        const auto text = source.toUtf8();
        const auto message = errorOf([&] { script(text.constData()); });
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void filesByExtension()
    {
        QTemporaryDir dir;
        const auto write = [&](const char* name, const QByteArray& bytes) {
            QFile f(dir.filePath(QString::fromUtf8(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        };
        write("a.json", R"([{"type":"T","from":1,"to":2,"ops":[{"op":"add","path":"/x","default":1}]}])");
        write("b.js",
            "var upcasters = [{type: 'T', from: 2, to: 3, upcast: e => Object.assign({y: e.data.x + 1}, "
            "e.data)}];");
        write("c.txt", "");
        const auto chain = UpcasterChain::fromFiles(
            {dir.filePath(QStringLiteral("a.json")), dir.filePath(QStringLiteral("b.js"))});
        QVERIFY(dataOf(chain->upcast(recorded("T", json::object()))) == (json {{"x", 1}, {"y", 2}}));
        QVERIFY(errorOf([&] {
            UpcasterChain::fromFiles({dir.filePath(QStringLiteral("c.txt"))});
        }).contains(QStringLiteral("a JSON rule file (.json) or a JavaScript file (.js)")));
        QVERIFY(errorOf([&] {
            UpcasterChain::fromFiles({dir.filePath(QStringLiteral("none.json"))});
        }).contains(QStringLiteral("cannot read upcaster rules")));
    }

    void storeReadsAreUpcastAndRawStaysReachable()
    {
        MemoryEventStore inner;
        inner.append(StreamId(QStringLiteral("cart-1")),
            {eventData("ItemAdded", {{"sku", "A"}, {"qty", "2"}, {"price", "3"}}),
                eventData("CartOpened", json::object()),
                eventData("ItemAdded", {{"sku", "B"}, {"quantity", 1}, {"pricing", {{"amount", 1.5}}}}, 3)},
            ExpectedVersion::any());
        UpcastingEventStore store(inner, rules(kCartRules));
        const auto all = store.readAll(std::nullopt, 10);
        QCOMPARE(all.size(), std::size_t(3));
        QCOMPARE(all[0].schemaVersion, 3);
        QVERIFY(dataOf(all[0])
            == (json {{"sku", "A"}, {"quantity", 2}, {"pricing", {{"amount", 3}, {"currency", "EUR"}}}}));
        QCOMPARE(all[1].data, inner.readAt(Position(2))->data);
        QCOMPARE(all[2].data, inner.readAt(Position(3))->data);
        QCOMPARE(store.readStream(StreamId(QStringLiteral("cart-1")), std::nullopt, 10, Direction::Backward)
                     .back()
                     .schemaVersion,
            3);
        QCOMPARE(store.readAt(Position(1))->schemaVersion, 3);
        // Raw and both forms side by side.
        QCOMPARE(store.rawAt(Position(1))->schemaVersion, 1);
        QCOMPARE(store.rawAt(Position(1))->data, inner.readAt(Position(1))->data);
        const auto both = store.inspect(Position(1));
        QVERIFY(both && both->changed());
        QCOMPARE(both->applied,
            (QStringList {QStringLiteral("rules.json rule [0]"), QStringLiteral("rules.json rule [1]")}));
        QCOMPARE(both->raw.schemaVersion, 1);
        QCOMPARE(both->upcast.schemaVersion, 3);
        QVERIFY(!store.inspect(Position(9)));
        // Totals and lists pass through.
        QCOMPARE(store.summary().events, 3);
        QCOMPARE(store.typeCounts().size(), std::size_t(2));
    }

    void storeWritesPassThroughAndSignal()
    {
        MemoryEventStore inner;
        UpcastingEventStore store(inner, rules(kCartRules));
        QSignalSpy spy(&store, &EventStore::appended);
        store.append(StreamId(QStringLiteral("cart-2")), {eventData("ItemAdded", {{"qty", 1}})},
            ExpectedVersion::noStream());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(inner.summary().events, 1);
        QCOMPARE(inner.readAt(Position(1))->schemaVersion, 1); // stored as written
        QCOMPARE(store.readAt(Position(1))->schemaVersion, 3);
    }

    void storeFailurePolicies()
    {
        MemoryEventStore inner;
        inner.append(StreamId(QStringLiteral("cart-1")),
            {eventData("T", {{"v", "1"}}), eventData("T", {{"v", "x"}}), eventData("T", {{"v", "3"}})},
            ExpectedVersion::any());
        const auto chain
            = rules(R"([{"type":"T","from":1,"to":2,"ops":[{"op":"retype","path":"/v","to":"integer"}]}])");
        const auto rawBytes = inner.readAt(Position(2))->data;

        UpcastingEventStore strict(inner, chain);
        const auto message = errorOf([&] { strict.readAll(std::nullopt, 10); });
        QVERIFY2(message.contains(
                     QStringLiteral("stream 'cart-1' version 2 (type 'T', schema version 1, position 2)")),
            qPrintable(message));
        try {
            strict.readStream(StreamId(QStringLiteral("cart-1")), std::nullopt, 10);
            QFAIL("no error");
        } catch (const UpcastError& e) {
            QCOMPARE(e.position(), Position(2));
        }

        UpcastingEventStore lenient(inner, chain, UpcastingEventStore::OnError::KeepRaw);
        const auto events = lenient.readAll(std::nullopt, 10);
        QCOMPARE(events[0].schemaVersion, 2);
        QCOMPARE(events[1].schemaVersion, 1);
        QCOMPARE(events[1].data, rawBytes);
        QCOMPARE(events[2].schemaVersion, 2);
        const auto errors = lenient.lastErrors();
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors[0].position(), Position(2));
        lenient.readAt(Position(1));
        QVERIFY(lenient.lastErrors().empty());
        QCOMPARE(inner.readAt(Position(2))->data, rawBytes); // the stored event never changes
    }

    void storedPayloadThatIsNotJson()
    {
        const auto chain = rules(R"([{"type":"T","from":1,"to":2,"ops":[]}])");
        auto raw = recorded("T", json::object());
        raw.data = "{broken";
        const auto message = errorOf([&] { chain->upcast(raw); });
        QVERIFY2(
            message.contains(QStringLiteral("the stored payload is not valid JSON")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("rules.json rule [0]")), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestUpcasters)
#include "tst_upcasters.moc"
