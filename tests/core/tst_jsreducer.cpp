// JavaScript reducers: the shape users paste, sandboxing, time and memory limits and clear
// errors.
#include "replay/jsreducer.h"
#include "store/memoryeventstore.h"
#include "support/testsupport.h"
#include "timetravel/timetravel.h"

#include <QTest>

#include <future>
#include <thread>

using namespace chronoscope;
using nlohmann::json;

namespace {

RecordedEvent recorded(qint64 version, const char* type, const json& data)
{
    return chronoscope::testing::recordedEvent(QStringLiteral("cart-7"), version, version + 100,
        QString::fromUtf8(type), QByteArray::fromStdString(data.dump()), 1767600000000 + version,
        R"({"correlationId":"c-1"})");
}

const char* const kCartReducer = R"JS(
// A reducer in the shape Emmett and Redux use.
function initialState() { return { items: {}, total: 0, status: 'open' }; }
function evolve(state, event) {
    switch (event.type) {
    case 'ItemAdded':
        state.items[event.data.sku] = (state.items[event.data.sku] || 0) + event.data.quantity;
        state.total += event.data.quantity * event.data.price;
        return state;
    case 'CartConfirmed':
        return Object.assign({}, state, { status: 'confirmed', confirmedAt: event.timestamp,
                                          by: event.metadata.correlationId, at: event.version });
    default:
        return state;
    }
}
)JS";

QString errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const StoreError& e) {
        return e.message();
    }
    return {};
}

/// Runs f in a thread of its own and returns the error it threw; "did not return" when it has
/// not returned after a minute (the thread is then left behind).
QString errorWithin(std::function<void()> f)
{
    auto done = std::make_shared<std::promise<QString>>();
    auto result = done->get_future();
    std::thread([f = std::move(f), done] { done->set_value(errorOf(f)); }).detach();
    if (result.wait_for(std::chrono::minutes(1)) != std::future_status::ready)
        return QStringLiteral("did not return");
    return result.get();
}

} // namespace

class TestJsReducer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void foldsEventsLikeTheScriptSays()
    {
        auto reducer = JsReducer::fromSource(QString::fromUtf8(kCartReducer), QStringLiteral("cart.js"));
        const StreamId s(QStringLiteral("cart-7"));
        auto state = reducer->initialState(s);
        QVERIFY(state == (json {{"items", json::object()}, {"total", 0}, {"status", "open"}}));
        state = reducer->evolve(
            state, recorded(1, "ItemAdded", {{"sku", "A"}, {"quantity", 2}, {"price", 150}}));
        state = reducer->fold(state,
            {recorded(2, "ItemAdded", {{"sku", "A"}, {"quantity", 1}, {"price", 150}}),
                recorded(3, "CartConfirmed", json::object())});
        QCOMPARE(state["items"]["A"].get<int>(), 3);
        QCOMPARE(state["total"].get<int>(), 450);
        QCOMPARE(state["status"].get<std::string>(), std::string("confirmed"));
        QCOMPARE(state["by"].get<std::string>(), std::string("c-1"));
        QCOMPARE(state["at"].get<int>(), 3);
        QCOMPARE(state["confirmedAt"].get<std::string>(), std::string("2026-01-05T08:00:00.003Z"));
    }

    void acceptsTheCommonShapes_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<int>("expected");
        QTest::newRow("initialState as a value")
            << QStringLiteral("var initialState = {n: 10};\n"
                              "function evolve(s, e) { s.n += 1; return s; }")
            << 11;
        QTest::newRow("arrow functions, const")
            << QStringLiteral("const initialState = () => ({n: 0});\n"
                              "const evolve = (s, e) => ({n: s.n + e.data.k});")
            << 5;
        QTest::newRow("module.exports") << QStringLiteral("module.exports = { initialState: () => ({n: 1}),\n"
                                                          "  evolve(s, e) { return {n: s.n * 2}; } };")
                                        << 2;
        QTest::newRow("no initialState: empty object")
            << QStringLiteral("function evolve(s, e) { s.n = (s.n || 0) + 7; return s; }") << 7;
    }
    void acceptsTheCommonShapes()
    {
        QFETCH(QString, script);
        QFETCH(int, expected);
        auto reducer = JsReducer::fromSource(script, QStringLiteral("shape.js"));
        const auto state = reducer->evolve(
            reducer->initialState(StreamId(QStringLiteral("x-1"))), recorded(1, "Any", {{"k", 5}}));
        QCOMPARE(state["n"].get<int>(), expected);
    }

    void badScriptsAreClearErrors_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("syntax error names the line")
            << QStringLiteral("function evolve(s, e) {\n  return s;\n}\nvar x = 1 +* 2;\nvar y = 3;\n")
            << QStringLiteral("bad.js:4");
        QTest::newRow("missing evolve") << QStringLiteral("function initialState() { return {}; }")
                                        << QStringLiteral("defines no evolve(state, event)");
        QTest::newRow("top-level throw")
            << QStringLiteral("\nthrow new Error('boom at load');") << QStringLiteral("boom at load");
    }
    void badScriptsAreClearErrors()
    {
        QFETCH(QString, script);
        QFETCH(QString, fragment);
        const auto message = errorOf([&] { JsReducer::fromSource(script, QStringLiteral("bad.js")); });
        QVERIFY2(message.contains(fragment), qPrintable(message));
    }

    void failingEvolveNamesStreamVersionTypeAndLine_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QStringList>("fragments");
        QTest::newRow("throws") << QStringLiteral("function evolve(s, e) {\n  if (e.version === 2)\n"
                                                  "    throw new Error('no such sku');\n  return s;\n}")
                                << QStringList {QStringLiteral("reducer.js:3"), QStringLiteral("no such sku"),
                                       QStringLiteral("cart-7"), QStringLiteral("version 2"),
                                       QStringLiteral("ItemAdded")};
        QTest::newRow("returns undefined")
            << QStringLiteral("function evolve(s, e) { if (e.version < 2) return s; }")
            << QStringList {QStringLiteral("undefined"), QStringLiteral("version 2")};
        QTest::newRow("returns a function")
            << QStringLiteral("function evolve(s, e) { return function() {}; }")
            << QStringList {QStringLiteral("function"), QStringLiteral("version 1")};
        QTest::newRow("returns a cycle")
            << QStringLiteral("function evolve(s, e) { s.self = s; return s; }")
            << QStringList {QStringLiteral("evolve failed"), QStringLiteral("cart-7")};
        QTest::newRow("type error") << QStringLiteral(
            "function evolve(s, e) {\n  return e.data.missing.deeper;\n}")
                                    << QStringList {
                                           QStringLiteral("reducer.js:2"), QStringLiteral("TypeError")};
    }
    void failingEvolveNamesStreamVersionTypeAndLine()
    {
        QFETCH(QString, script);
        QFETCH(QStringList, fragments);
        auto reducer = JsReducer::fromSource(script, QStringLiteral("reducer.js"));
        const auto message = errorOf([&] {
            reducer->fold(
                json::object(), {recorded(1, "ItemAdded", {{"a", 1}}), recorded(2, "ItemAdded", {{"a", 2}})});
        });
        for (const auto& f : fragments)
            QVERIFY2(message.contains(f), qPrintable(message + QStringLiteral(" lacks ") + f));
        // The engine is still usable after the error.
        auto ok = JsReducer::fromSource(
            QStringLiteral("function evolve(s, e) { return {v: e.version}; }"), QStringLiteral("ok.js"));
        QCOMPARE(ok->evolve(json::object(), recorded(4, "T", json::object()))["v"].get<int>(), 4);
    }

    void aThrownValueThatIsNotAnErrorIsAnError_data()
    {
        QTest::addColumn<QString>("thrown");
        QTest::addColumn<QString>("described");
        QTest::newRow("number") << QStringLiteral("42")
                                << QStringLiteral("threw 42 (a number, not an Error)");
        QTest::newRow("null") << QStringLiteral("null") << QStringLiteral("threw null (not an Error)");
        QTest::newRow("undefined") << QStringLiteral("undefined")
                                   << QStringLiteral("threw undefined (not an Error)");
        QTest::newRow("string") << QStringLiteral("'boom'")
                                << QStringLiteral("threw \"boom\" (a string, not an Error)");
        QTest::newRow("object") << QStringLiteral("{code: 7}")
                                << QStringLiteral("threw {\"code\":7} (an object, not an Error)");
        QTest::newRow("JSON text") << QStringLiteral("'{\"n\": 1}'")
                                   << QStringLiteral("threw \"{\\\"n\\\": 1}\" (a string, not an Error)");
    }
    void aThrownValueThatIsNotAnErrorIsAnError()
    {
        QFETCH(QString, thrown);
        QFETCH(QString, described);
        auto reducer = JsReducer::fromSource(
            QStringLiteral("function evolve(s, e) {\n  if (e.version === 2)\n    throw %1;\n  return s;\n}")
                .arg(thrown),
            QStringLiteral("r.js"));
        const auto message = errorOf([&] {
            reducer->fold(
                json::object(), {recorded(1, "ItemAdded", {{"a", 1}}), recorded(2, "ItemAdded", {{"a", 2}})});
        });
        for (const auto& f :
            {QStringLiteral("r.js: evolve failed at stream 'cart-7' version 2 (type 'ItemAdded', "
                            "position 102): "),
                described})
            QVERIFY2(message.contains(f), qPrintable(message + QStringLiteral(" lacks ") + f));
        // initialState and the top-level code are held to the same rule.
        auto init = JsReducer::fromSource(QStringLiteral("function initialState(id) { throw %1; }\n"
                                                         "function evolve(s, e) { return s; }")
                                              .arg(thrown),
            QStringLiteral("init.js"));
        const auto initMessage = errorOf([&] { init->initialState(StreamId(QStringLiteral("cart-9"))); });
        QVERIFY2(initMessage.contains(
                     QStringLiteral("init.js: initialState for stream 'cart-9' failed: ") + described),
            qPrintable(initMessage));
        const auto loadMessage = errorOf([&] {
            JsReducer::fromSource(
                QStringLiteral("function evolve(s, e) { return s; }\nthrow %1;").arg(thrown),
                QStringLiteral("top.js"));
        });
        QVERIFY2(
            loadMessage.contains(QStringLiteral("top.js:2: the reducer script does not run: ") + described),
            qPrintable(loadMessage));
    }

    void theHarnessDoesNotUseTheScriptsJson()
    {
        // A script may replace JSON.stringify / JSON.parse for its own use; the folding around it
        // keeps the originals.
        auto reducer
            = JsReducer::fromSource(QStringLiteral("JSON.stringify = function () { return 'not json {'; };\n"
                                                   "JSON.parse = function () { return 'garbage'; };\n"
                                                   "function initialState() { return {n: 1}; }\n"
                                                   "function evolve(s, e) { s.n += e.data.k; return s; }"),
                QStringLiteral("r.js"));
        const auto state = reducer->fold(reducer->initialState(StreamId(QStringLiteral("x-1"))),
            {recorded(1, "T", {{"k", 2}}), recorded(2, "T", {{"k", 3}})});
        QCOMPARE(state.dump(), std::string(R"({"n":6})"));
    }

    void topLevelCodeIsInterrupted()
    {
        // Under the default limit of 2000 ms (the script runs when it is loaded).
        const auto message = errorWithin([] {
            JsReducer::fromSource(QStringLiteral("function evolve(s, e) { return s; }\nwhile (true) {}"),
                QStringLiteral("top.js"));
        });
        QVERIFY2(message.contains(
                     QStringLiteral("top.js: the reducer script's top-level code ran longer than 2000 ms "
                                    "and was interrupted")),
            qPrintable(message));
        // A getter that loops when the harness looks for evolve is stopped too.
        const auto getter = errorWithin([] {
            JsReducer::fromSource(QStringLiteral("module.exports = { get evolve() { for (;;) {} } };"),
                QStringLiteral("getter.js"));
        });
        QVERIFY2(getter.contains(QStringLiteral("ran longer than 2000 ms")), qPrintable(getter));
    }

    void hugeAllocationsAreStopped_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("repeat") << QStringLiteral("s.big = 'x'.repeat(1 << 30);")
                                << QStringLiteral(
                                       "RangeError: repeat(1073741824) of a string of 1 characters would "
                                       "need about 2048 MiB, more than the memory limit for scripts "
                                       "(512 MiB)");
        QTest::newRow("padEnd") << QStringLiteral("s.big = ''.padEnd(1 << 29, 'ab');")
                                << QStringLiteral("(512 MiB)");
        QTest::newRow("fill") << QStringLiteral("s.big = new Array(1 << 26).fill(0);")
                              << QStringLiteral("(512 MiB)");
        QTest::newRow("join") << QStringLiteral("s.big = new Array(1 << 28).join('xy');")
                              << QStringLiteral("(512 MiB)");
        QTest::newRow("doubling") << QStringLiteral(
            "var t = 'x'; for (;;) { t += t; s.n = t.charCodeAt(t.length - 1); }")
                                  << QStringLiteral(
                                         "evolve at stream 'cart-7' version 1 (type 'Huge', position 101) "
                                         "used more than 512 MiB of memory and was stopped");
        QTest::newRow("array growth")
            << QStringLiteral("var a = []; for (;;) a.push({i: a.length, t: 'x' + a.length});")
            << QStringLiteral("used more than 512 MiB of memory and was stopped");
    }
    void hugeAllocationsAreStopped()
    {
        QFETCH(QString, body);
        QFETCH(QString, expected);
        // A generous time limit: the (default) memory limit is what stops these.
        auto reducer = JsReducer::fromSource(
            QStringLiteral(
                "function evolve(s, e) {\n  if (e.type === 'Huge') {\n    %1\n  }\n  s.n = e.version;\n"
                "  return s;\n}")
                .arg(body),
            QStringLiteral("huge.js"));
        reducer->setTimeLimit(std::chrono::seconds(10));
        const auto message = errorWithin(
            [reducer] { reducer->evolve(json::object(), recorded(1, "Huge", json::object())); });
        QVERIFY2(message.contains(expected), qPrintable(message));
        // The program and the engine keep working: the next event folds.
        QCOMPARE(reducer->evolve(json::object(), recorded(2, "Fine", json::object()))["n"].get<int>(), 2);
    }

    void theLimitsAreConfigurable()
    {
        JsLimits limits;
        limits.time = std::chrono::seconds(30);
        limits.memoryMiB = 64;
        auto reducer
            = JsReducer::fromSource(QStringLiteral("function evolve(s, e) {\n  var t = 'x';\n"
                                                   "  if (e.type === 'Grow')\n    for (;;) { t += t; s.n = "
                                                   "t.charCodeAt(0); }\n  return {t: e.type};\n}"),
                QStringLiteral("grow.js"), limits);
        QCOMPARE(reducer->memoryLimitMiB(), 64);
        QCOMPARE(reducer->timeLimit(), std::chrono::milliseconds(30000));
        const auto message = errorWithin(
            [reducer] { reducer->evolve(json::object(), recorded(1, "Grow", json::object())); });
        QVERIFY2(message.contains(QStringLiteral("used more than 64 MiB of memory and was stopped")),
            qPrintable(message));
        // A limit changed later holds for the engines already made, and for the built-ins.
        reducer->setMemoryLimitMiB(1);
        const auto capped = errorWithin([reducer] {
            auto r = JsReducer::fromSource(
                QStringLiteral("function evolve(s, e) { s.t = 'ab'.repeat(1 << 20); return s; }"),
                QStringLiteral("cap.js"));
            r->setMemoryLimitMiB(1);
            r->evolve(json::object(), recorded(1, "T", json::object()));
        });
        QVERIFY2(capped.contains(QStringLiteral("more than the memory limit for scripts (1 MiB)")),
            qPrintable(capped));
        QCOMPARE(reducer->evolve(json::object(), recorded(2, "Fine", json::object()))["t"].get<std::string>(),
            std::string("Fine"));
    }

    void aLoneSurrogateInTheStateIsAnError()
    {
        auto reducer = JsReducer::fromSource(
            QStringLiteral("function evolve(s, e) {\n"
                           "  if (e.version === 3)\n    s.half = String.fromCharCode(0xd800);\n"
                           "  s.text = 'ok \\ud83d\\ude00';\n"
                           "  return s;\n}"),
            QStringLiteral("r.js"));
        // A whole surrogate pair is a character like any other.
        QCOMPARE(reducer->evolve(json::object(), recorded(1, "T", json::object()))["text"].get<std::string>(),
            std::string("ok \U0001F600"));
        // Half of one is not Unicode: an error naming the event, not a silent "?" (also when the
        // event is in the middle of a batch).
        const auto message = errorOf([&] {
            reducer->fold(json::object(),
                {recorded(1, "T", json::object()), recorded(2, "T", json::object()),
                    recorded(3, "Odd", json::object()), recorded(4, "T", json::object())});
        });
        QVERIFY2(message.contains(
                     QStringLiteral("r.js: evolve at stream 'cart-7' version 3 (type 'Odd', position 103) "
                                    "returned a state holding a lone surrogate (\\ud800)")),
            qPrintable(message));
        auto init = JsReducer::fromSource(QStringLiteral("var initialState = {t: '\\udc00'};\n"
                                                         "function evolve(s, e) { return s; }"),
            QStringLiteral("init.js"));
        const auto initMessage = errorOf([&] { init->initialState(StreamId(QStringLiteral("c-1"))); });
        QVERIFY2(initMessage.contains(QStringLiteral("lone surrogate (\\udc00)")), qPrintable(initMessage));
    }

    void aReducerThatNeverReturnsIsInterrupted()
    {
        auto reducer = JsReducer::fromSource(
            QStringLiteral("function evolve(s, e) { for (;;) {} }"), QStringLiteral("loop.js"));
        reducer->setTimeLimit(std::chrono::milliseconds(200));
        const auto message
            = errorOf([&] { reducer->evolve(json::object(), recorded(3, "ItemAdded", json::object())); });
        QVERIFY2(message.contains(QLatin1String("interrupted")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("version 3")), qPrintable(message));
        // The same reducer works again afterwards for an event that does not loop.
        auto fine = JsReducer::fromSource(
            QStringLiteral(
                "function evolve(s, e) { if (e.type === 'Loop') for (;;) {} return {t: e.type}; }"),
            QStringLiteral("sometimes.js"));
        fine->setTimeLimit(std::chrono::milliseconds(200));
        QVERIFY(
            !errorOf([&] { fine->evolve(json::object(), recorded(1, "Loop", json::object())); }).isEmpty());
        QCOMPARE(fine->evolve(json::object(), recorded(2, "Fine", json::object()))["t"].get<std::string>(),
            std::string("Fine"));
    }

    void theScriptHasNoWayOut()
    {
        auto reducer = JsReducer::fromSource(
            QStringLiteral(
                "function evolve(s, e) { return { xhr: typeof XMLHttpRequest, require: typeof require,"
                " qt: typeof Qt, process: typeof process, console: typeof console,"
                " importScripts: typeof importScripts, fetch: typeof fetch }; }"),
            QStringLiteral("sandbox.js"));
        const auto state = reducer->evolve(json::object(), recorded(1, "T", json::object()));
        for (const auto& [key, value] : state.items())
            QVERIFY2(value == "undefined", qPrintable(QString::fromStdString(key + " is " + value.dump())));
    }

    void worksFromSeveralThreads()
    {
        auto reducer = JsReducer::fromSource(QString::fromUtf8(kCartReducer), QStringLiteral("cart.js"));
        std::vector<json> results(4);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                auto state = reducer->initialState(StreamId(QStringLiteral("cart-1")));
                for (int i = 1; i <= 200; ++i)
                    state = reducer->evolve(
                        state, recorded(i, "ItemAdded", {{"sku", "S"}, {"quantity", 1}, {"price", t}}));
                results[std::size_t(t)] = state;
            });
        for (auto& t : threads)
            t.join();
        for (int t = 0; t < 4; ++t)
            QCOMPARE(results[std::size_t(t)]["total"].get<int>(), 200 * t);
    }

    void drivesTimeTravel()
    {
        MemoryEventStore store;
        const StreamId s(QStringLiteral("cart-7"));
        std::vector<EventData> batch;
        for (int i = 0; i < 1000; ++i)
            batch.push_back({QStringLiteral("ItemAdded"),
                QByteArray::fromStdString(
                    json {{"sku", "S" + std::to_string(i % 7)}, {"quantity", 1}, {"price", i}}.dump()),
                {}, {}, 1, {}});
        store.append(s, batch, ExpectedVersion::any());
        auto reducer = JsReducer::fromSource(QString::fromUtf8(kCartReducer), QStringLiteral("cart.js"));
        TimeTravel tt(store, reducer, s, {64, 1u << 20});
        // Total after v events is sum(0..v-1).
        for (qint64 v : {0, 1, 63, 64, 65, 500, 999, 1000, 10})
            QCOMPARE(tt.stateAt(Version(v))["total"].get<qint64>(), v * (v - 1) / 2);
    }
};

QTEST_GUILESS_MAIN(TestJsReducer)
#include "tst_jsreducer.moc"
