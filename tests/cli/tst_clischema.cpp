// chronoscope-cli and schema evolution: schema validate, append --schemas, upcast,
// events --upcasters, and importing Redux DevTools / KurrentDB files. Runs the real binary.
#include "support/clirun.h"
#include "support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using Json = nlohmann::json;
using testsupport::writeFile;

namespace {

using testsupport::Result;
using testsupport::runCli;

const char* const kSchema = "{\"type\": \"object\", \"required\": [\"sku\", \"quantity\"],\n"
                            " \"properties\": {\"sku\": {\"type\": \"string\"}, \"quantity\": {\"type\": "
                            "\"integer\", \"minimum\": 1}}}";
const char* const kRules = "[{\"type\": \"ItemAdded\", \"from\": 1, \"to\": 2, \"ops\": [{\"op\": "
                           "\"rename\", \"from\": \"/qty\", \"to\": \"/quantity\"},"
                           " {\"op\": \"retype\", \"path\": \"/quantity\", \"to\": \"integer\"}]}]";

} // namespace

class TestCliSchema : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_store;
    QString m_schemas;
    QString m_rules;

    QString path(const char* name) const { return m_dir.filePath(QString::fromUtf8(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_store = path("shop.chronoscope");
        m_schemas = path("schemas");
        m_rules = path("rules.json");
        QVERIFY(QDir().mkpath(m_schemas));
        QVERIFY(writeFile(m_schemas + QStringLiteral("/ItemAdded.v2.schema.json"), kSchema));
        QVERIFY(writeFile(m_rules, kRules));
        const auto first = runCli(
            {QStringLiteral("append"), m_store, QStringLiteral("--create"), QStringLiteral("--stream"),
                QStringLiteral("cart-1"), QStringLiteral("--type"), QStringLiteral("ItemAdded"),
                QStringLiteral("--data"), QStringLiteral(R"({"sku":"A","qty":"2"})")});
        QVERIFY2(first.code == 0, first.err.constData());
    }

    void appendValidatesWithSchemas()
    {
        const QStringList base {QStringLiteral("append"), m_store, QStringLiteral("--stream"),
            QStringLiteral("cart-1"), QStringLiteral("--type"), QStringLiteral("ItemAdded"),
            QStringLiteral("--schema-version"), QStringLiteral("2"), QStringLiteral("--schemas"), m_schemas,
            QStringLiteral("--data")};
        const auto good = runCli(base + QStringList {QStringLiteral(R"({"sku":"B","quantity":3})")});
        QVERIFY2(good.code == 0, good.err.constData());
        const auto bad = runCli(base + QStringList {QStringLiteral(R"({"sku":"C","quantity":0})")});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains("event [0] (type 'ItemAdded', schema version 2) does not match"),
            bad.err.constData());
        QVERIFY2(bad.err.contains("/quantity"), bad.err.constData());
        QVERIFY(bad.err.contains("nothing was written"));
        const auto unknown = runCli({QStringLiteral("append"), m_store, QStringLiteral("--stream"),
            QStringLiteral("cart-1"), QStringLiteral("--type"), QStringLiteral("Noted"),
            QStringLiteral("--data"), QStringLiteral("{}"), QStringLiteral("--schemas"), m_schemas,
            QStringLiteral("--require-schema")});
        QCOMPARE(unknown.code, 1);
        QVERIFY(unknown.err.contains("no schema for this type and version"));
        const auto missing = runCli({QStringLiteral("append"), m_store, QStringLiteral("--stream"),
            QStringLiteral("cart-1"), QStringLiteral("--type"), QStringLiteral("Noted"),
            QStringLiteral("--data"), QStringLiteral("{}"), QStringLiteral("--schemas"), path("nowhere")});
        QCOMPARE(missing.code, 1);
        QVERIFY(missing.err.contains("no such folder"));
        // Only the good event was written.
        const auto events = runCli({QStringLiteral("events"), m_store});
        QCOMPARE(events.lines().size(), std::size_t(2));
    }

    void schemaValidate()
    {
        // Raw: position 1 is ItemAdded v1 (no schema); with the upcasters it becomes v2 and valid.
        const auto raw = runCli({QStringLiteral("schema"), QStringLiteral("validate"),
            QStringLiteral("--schemas"), m_schemas, m_store});
        QVERIFY2(raw.code == 0, raw.err.constData());
        QVERIFY2(raw.err.contains("1 valid, 0 invalid, 1 without a schema"), raw.err.constData());
        const auto strict = runCli({QStringLiteral("schema"), QStringLiteral("validate"),
            QStringLiteral("--schemas"), m_schemas, m_store, QStringLiteral("--require-schema")});
        QCOMPARE(strict.code, 1);
        QCOMPARE(strict.lines().size(), std::size_t(1));
        QCOMPARE(strict.lines()[0]["position"].get<int>(), 1);
        const auto upcast = runCli(
            {QStringLiteral("schema"), QStringLiteral("validate"), QStringLiteral("--schemas"), m_schemas,
                m_store, QStringLiteral("--upcasters"), m_rules, QStringLiteral("--require-schema")});
        QVERIFY2(upcast.code == 0, upcast.err.constData());
        QVERIFY2(upcast.err.contains("2 valid, 0 invalid, 0 without a schema"), upcast.err.constData());

        const auto one = runCli(
            {QStringLiteral("schema"), QStringLiteral("validate"), QStringLiteral("--schemas"), m_schemas,
                QStringLiteral("--type"), QStringLiteral("ItemAdded"), QStringLiteral("--schema-version"),
                QStringLiteral("2"), QStringLiteral("--event"), QStringLiteral(R"({"sku":1,"quantity":2})")});
        QCOMPARE(one.code, 1);
        const auto lines = one.lines();
        QCOMPARE(lines.size(), std::size_t(1));
        QCOMPARE(lines[0]["pointer"].get<std::string>(), std::string("/sku"));
        QVERIFY(lines[0]["message"].get<std::string>().find("type") != std::string::npos);
        const auto noSchema = runCli({QStringLiteral("schema"), QStringLiteral("validate"),
            QStringLiteral("--schemas"), m_schemas, QStringLiteral("--type"), QStringLiteral("Other"),
            QStringLiteral("--event"), QStringLiteral("{}")});
        QCOMPARE(noSchema.code, 1);
        QVERIFY(noSchema.err.contains("no schema for Other schema version 1"));
        QCOMPARE(runCli({QStringLiteral("schema"), QStringLiteral("check")}).code, 2);
        QCOMPARE(runCli({QStringLiteral("schema"), QStringLiteral("validate"), m_store}).code,
            2); // --schemas missing
    }

    void upcastPreviewAndEvents()
    {
        const auto preview
            = runCli({QStringLiteral("upcast"), m_store, QStringLiteral("--upcasters"), m_rules});
        QVERIFY2(preview.code == 0, preview.err.constData());
        const auto lines = preview.lines();
        QCOMPARE(lines.size(), std::size_t(2));
        QCOMPARE(lines[0]["fromSchema"].get<int>(), 1);
        QCOMPARE(lines[0]["toSchema"].get<int>(), 2);
        QVERIFY(lines[0]["raw"] == Json::parse(R"({"sku":"A","qty":"2"})"));
        QVERIFY(lines[0]["upcast"] == Json::parse(R"({"sku":"A","quantity":2})"));
        QCOMPARE(lines[1]["fromSchema"].get<int>(), 2);
        const auto changed = runCli({QStringLiteral("upcast"), m_store, QStringLiteral("--upcasters"),
            m_rules, QStringLiteral("--changed-only")});
        QCOMPARE(changed.lines().size(), std::size_t(1));
        const auto events = runCli({QStringLiteral("events"), m_store, QStringLiteral("--upcasters"), m_rules,
            QStringLiteral("--limit"), QStringLiteral("1")});
        QVERIFY2(events.code == 0, events.err.constData());
        QCOMPARE(events.lines()[0]["schemaVersion"].get<int>(), 2);
        QCOMPARE(events.lines()[0]["data"]["quantity"].get<int>(), 2);

        // A failing rule: the preview names it per event and exits 1; events fails naming it.
        const auto failing = path("failing.json");
        QVERIFY(writeFile(failing,
            R"([{"type":"ItemAdded","from":1,"to":2,"ops":[{"op":"retype","path":"/sku","to":"number"}]}])"));
        const auto bad = runCli({QStringLiteral("upcast"), m_store, QStringLiteral("--upcasters"), failing});
        QCOMPARE(bad.code, 1);
        QVERIFY(bad.lines()[0].contains("error"));
        QVERIFY(
            bad.lines()[0]["error"].get<std::string>().find("failing.json rule [0]") != std::string::npos);
        const auto badEvents
            = runCli({QStringLiteral("events"), m_store, QStringLiteral("--upcasters"), failing});
        QCOMPARE(badEvents.code, 1);
        QVERIFY2(badEvents.err.contains(
                     "stream 'cart-1' version 1 (type 'ItemAdded', schema version 1, position 1)"),
            badEvents.err.constData());
    }

    void timeTravelSeesUpcastEvents()
    {
        // The built-in cart reducer needs ItemAdded's "quantity": on the raw v1 event ("qty") it
        // reports the event and stops; through the upcasters it folds the v2 form.
        const QStringList state {QStringLiteral("state"), m_store, QStringLiteral("--stream"),
            QStringLiteral("cart-1"), QStringLiteral("--version"), QStringLiteral("1")};
        const auto raw = runCli(state);
        QCOMPARE(raw.code, 1);
        QVERIFY2(raw.err.contains("version 1 (type 'ItemAdded', position 1): field 'quantity' is missing"),
            raw.err.constData());
        const auto rules = path("cart-rules.json");
        QVERIFY(writeFile(rules,
            R"([{"type":"ItemAdded","from":1,"to":2,"ops":[{"op":"rename","from":"/qty","to":"/quantity"},)"
            R"({"op":"retype","path":"/quantity","to":"integer"},{"op":"add","path":"/unitPrice","default":250}]}])"));
        const auto upcast = runCli(state + QStringList {QStringLiteral("--upcasters"), rules});
        QVERIFY2(upcast.code == 0, upcast.err.constData());
        QVERIFY2(upcast.out.contains("\"quantity\":2"), upcast.out.constData());
        const auto diff = runCli({QStringLiteral("diff"), m_store, QStringLiteral("--stream"),
            QStringLiteral("cart-1"), QStringLiteral("--from"), QStringLiteral("0"), QStringLiteral("--to"),
            QStringLiteral("1"), QStringLiteral("--upcasters"), path("missing.json")});
        QCOMPARE(diff.code, 1);
        QVERIFY2(diff.err.contains("missing.json"), diff.err.constData());
    }

    void importForeignFiles()
    {
        const auto redux = path("state.json");
        const Json lifted = Json::parse(R"({"actionsById": {
            "0": {"type": "PERFORM_ACTION", "action": {"type": "@@INIT"}, "timestamp": 1700000000000},
            "1": {"type": "PERFORM_ACTION", "action": {"type": "inc", "by": 2}, "timestamp": 1700000001000}},
            "stagedActionIds": [0, 1], "computedStates": []})");
        const Json exported {{"payload", lifted.dump()}, {"preloadedState", Json {{"n", 1}}.dump()}};
        QVERIFY(writeFile(redux, QByteArray::fromStdString(exported.dump())));
        const auto fixture = path("fixture.json");
        QVERIFY(writeFile(fixture,
            R"([{"eventType":"Opened","streamId":"account-1","data":{}},{"eventType":"Deposited","streamId":"account-1","data":{"amount":5}}])"));
        const auto dest = path("imported.chronoscope");
        const auto a = runCli(
            {QStringLiteral("import"), redux, dest, QStringLiteral("--stream"), QStringLiteral("ui")});
        QVERIFY2(a.code == 0, a.err.constData());
        QCOMPARE(a.lines()[0]["format"].get<std::string>(), std::string("redux-devtools"));
        QCOMPARE(a.lines()[0]["imported"].get<int>(), 3);
        const auto b = runCli({QStringLiteral("import"), fixture, dest});
        QVERIFY2(b.code == 0, b.err.constData());
        QCOMPARE(b.lines()[0]["format"].get<std::string>(), std::string("kurrent-json"));
        const auto ui
            = runCli({QStringLiteral("events"), dest, QStringLiteral("--stream"), QStringLiteral("ui")});
        QCOMPARE(ui.lines().size(), std::size_t(3));
        QCOMPARE(ui.lines()[2]["type"].get<std::string>(), std::string("inc"));
        QVERIFY(ui.lines()[2]["data"] == Json::parse(R"({"by":2})"));
        // Opened directly, read-only.
        const auto info = runCli({QStringLiteral("info"), fixture});
        QCOMPARE(info.lines()[0]["format"].get<std::string>(), std::string("kurrent-json"));
        const auto write = runCli({QStringLiteral("append"), fixture, QStringLiteral("--stream"),
            QStringLiteral("x"), QStringLiteral("--type"), QStringLiteral("T"), QStringLiteral("--data"),
            QStringLiteral("1")});
        QCOMPARE(write.code, 1);
        QVERIFY(write.err.contains("opens read-only"));
        // Bad input: exit 1, the index named, nothing imported.
        const auto broken = path("broken.json");
        QVERIFY(
            writeFile(broken, R"([{"eventType":"A","streamId":"s-1","data":1},{"eventType":"B","data":1}])"));
        const auto c = runCli({QStringLiteral("import"), broken, dest});
        QCOMPARE(c.code, 1);
        QVERIFY2(c.err.contains("[1]: \"streamId\" is missing"), c.err.constData());
        QCOMPARE(runCli({QStringLiteral("events"), dest}).lines().size(), std::size_t(5));
        QCOMPARE(
            runCli({QStringLiteral("import"), fixture, dest, QStringLiteral("--stream"), QStringLiteral("s")})
                .code,
            2);
    }
};

QTEST_GUILESS_MAIN(TestCliSchema)
#include "tst_clischema.moc"
