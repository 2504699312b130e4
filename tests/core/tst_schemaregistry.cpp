// The schema registry: loading a folder of JSON Schemas, validating payloads with clear
// pointers and reasons, the append hook, and clear errors for bad schemas.
#include "schema/schemaregistry.h"
#include "schema/validatingeventstore.h"
#include "store/memoryeventstore.h"
#include "support/testsupport.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace chronoscope;
using nlohmann::json;
using testsupport::writeFile;

namespace {

QString errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const StoreError& e) {
        return e.message();
    }
    return {};
}

EventData eventData(const char* type, const json& data, int schemaVersion = 1)
{
    return chronoscope::testing::jsonEvent(type, data, schemaVersion);
}

const char* const kItemAddedV2 = "{\n"
                                 "  \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n"
                                 "  \"type\": \"object\",\n"
                                 "  \"required\": [\"sku\", \"quantity\", \"lines\"],\n"
                                 "  \"properties\": {\n"
                                 "    \"sku\": {\"type\": \"string\", \"minLength\": 1},\n"
                                 "    \"quantity\": {\"type\": \"integer\", \"minimum\": 1},\n"
                                 "    \"price\": {\"$ref\": \"common.json#/definitions/money\"},\n"
                                 "    \"lines\": {\"type\": \"array\", \"items\": {\"type\": \"object\", "
                                 "\"properties\": {\"qty\": {\"type\": \"integer\"}}}}\n"
                                 "  },\n"
                                 "  \"additionalProperties\": false\n"
                                 "}";

const char* const kCommon
    = "{\"definitions\": {\"money\": {\"type\": \"object\", \"required\": [\"amount\"],\n"
      "  \"properties\": {\"amount\": {\"type\": \"number\"}, \"currency\": {\"type\": \"string\", "
      "\"pattern\": \"^[A-Z]{3}$\"}}}}}";

} // namespace

class TestSchemaRegistry : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::shared_ptr<SchemaRegistry> m_registry;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("ItemAdded.v2.schema.json")), kItemAddedV2));
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("ItemAdded.v1.schema.json")),
            "{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"type\": \"object\",\n"
            "                              \"properties\": {\"qty\": {\"type\": \"number\", \"maximum\": 10, "
            "\"exclusiveMaximum\": true}}}"));
        QVERIFY(writeFile(
            m_dir.filePath(QStringLiteral("cart.item.Removed.v1.schema.json")), "{\"type\": \"object\"}"));
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("common.json")), kCommon));
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("README.txt")), "not a schema"));
        m_registry = SchemaRegistry::loadFolder(m_dir.path());
    }

    void loadsTheFolder()
    {
        QCOMPARE(m_registry->size(), std::size_t(3));
        QVERIFY(m_registry->has(QStringLiteral("ItemAdded"), 1));
        QVERIFY(m_registry->has(QStringLiteral("ItemAdded"), 2));
        QVERIFY(m_registry->has(QStringLiteral("cart.item.Removed"), 1)); // dots in the type
        QVERIFY(!m_registry->has(QStringLiteral("ItemAdded"), 3));
        QCOMPARE(m_registry->draft(QStringLiteral("ItemAdded"), 1),
            std::optional<SchemaDraft>(SchemaDraft::Draft4));
        QCOMPARE(m_registry->draft(QStringLiteral("cart.item.Removed"), 1),
            std::optional<SchemaDraft>(SchemaDraft::Draft7));
        QVERIFY(m_registry->origin(QStringLiteral("ItemAdded"), 2)
                    .endsWith(QStringLiteral("ItemAdded.v2.schema.json")));
        QVERIFY((*m_registry->schema(QStringLiteral("ItemAdded"), 2))["additionalProperties"] == false);
    }

    void validatesWithPointersAndReasons_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QStringList>("pointers"); // empty: valid
        QTest::addColumn<QString>("reason");
        QTest::newRow("valid") << QByteArray("{\"sku\":\"A\",\"quantity\":2,\"lines\":[{\"qty\":1}],"
                                             "\"price\":{\"amount\":1.5,\"currency\":\"EUR\"}}")
                               << QStringList() << QString();
        QTest::newRow("wrong type deep in an array")
            << QByteArray("{\"sku\":\"A\",\"quantity\":2,\"lines\":[{\"qty\":1},{\"qty\":\"two\"}]}")
            << QStringList {QStringLiteral("/lines/1/qty")} << QStringLiteral("type");
        QTest::newRow("missing member") << QByteArray("{\"sku\":\"A\",\"lines\":[]}")
                                        << QStringList {QString()} << QStringLiteral("quantity");
        QTest::newRow("below minimum")
            << QByteArray("{\"sku\":\"A\",\"quantity\":0,\"lines\":[]}")
            << QStringList {QStringLiteral("/quantity")} << QStringLiteral("greater than or equal to 1");
        QTest::newRow("through $ref to another file") << QByteArray(
            "{\"sku\":\"A\",\"quantity\":1,\"lines\":[],\"price\":{\"amount\":1,\"currency\":\"euro\"}}")
                                                      << QStringList {QStringLiteral("/price/currency")}
                                                      << QStringLiteral("pattern");
        QTest::newRow("extra member")
            << QByteArray("{\"sku\":\"A\",\"quantity\":1,\"lines\":[],\"colour\":\"red\"}")
            << QStringList {QString()} << QStringLiteral("colour");
        QTest::newRow("escaped pointer")
            << QByteArray("{\"sku\":\"A\",\"quantity\":1,\"lines\":[],\"a/b~c\":1}")
            << QStringList {QString()} << QStringLiteral("a/b~c");
        QTest::newRow("two problems")
            << QByteArray("{\"sku\":\"\",\"quantity\":1.5,\"lines\":[]}")
            << QStringList {QStringLiteral("/sku"), QStringLiteral("/quantity")} << QString();
    }

    void validatesWithPointersAndReasons()
    {
        QFETCH(QByteArray, data);
        QFETCH(QStringList, pointers);
        QFETCH(QString, reason);
        const auto check
            = m_registry->validate(QStringLiteral("ItemAdded"), 2, json::parse(data.toStdString()));
        QCOMPARE(check.ok(), pointers.isEmpty());
        QCOMPARE(
            check.status, pointers.isEmpty() ? SchemaCheck::Status::Valid : SchemaCheck::Status::Invalid);
        QStringList found;
        for (const auto& v : check.violations) {
            found.append(v.pointer);
            QVERIFY(!v.message.isEmpty());
        }
        for (const auto& p : pointers)
            QVERIFY2(found.contains(p), qPrintable(check.summary()));
        if (!reason.isEmpty())
            QVERIFY2(check.summary().contains(reason, Qt::CaseInsensitive), qPrintable(check.summary()));
        QVERIFY(!check.summary().contains(QStringLiteral("Failed to validate against schema associated")));
    }

    void draftFourRulesApply()
    {
        // exclusiveMaximum is a boolean in draft 4.
        QVERIFY(m_registry->validate(QStringLiteral("ItemAdded"), 1, {{"qty", 9.5}}).ok());
        QVERIFY(!m_registry->validate(QStringLiteral("ItemAdded"), 1, {{"qty", 10}}).ok());
    }

    void eventsWithoutASchemaAndBrokenPayloads()
    {
        QCOMPARE(m_registry->validate(QStringLiteral("Unknown"), 1, json::object()).status,
            SchemaCheck::Status::NoSchema);
        RecordedEvent e;
        e.type = QStringLiteral("cart.item.Removed");
        e.schemaVersion = 1;
        e.data = "{oops";
        const auto check = m_registry->validate(e);
        QCOMPARE(check.status, SchemaCheck::Status::Invalid);
        QVERIFY(check.summary().contains(QStringLiteral("not valid JSON")));
        e.data = "[]";
        QVERIFY(!m_registry->validate(e).ok());
        e.data = "{}";
        QVERIFY(m_registry->validate(e).ok());
    }

    void badSchemaFolders_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("JSON syntax") << "Cart.v1.schema.json"
                                     << QByteArray("{\n  \"type\": \"object\",\n  oops\n}")
                                     << "Cart.v1.schema.json: not valid JSON: parse error at line 3";
        QTest::newRow("bad keyword value")
            << "Cart.v1.schema.json" << QByteArray("{\"type\": \"object\", \"minLength\": \"three\"}")
            << "Cart.v1.schema.json: not a valid JSON Schema (draft 7)";
        QTest::newRow("unknown type")
            << "Cart.v1.schema.json" << QByteArray("{\"properties\": {\"a\": {\"type\": \"strnig\"}}}")
            << "Cart.v1.schema.json: not a valid JSON Schema (draft 7)";
        QTest::newRow("not an object")
            << "Cart.v1.schema.json" << QByteArray("[1]") << "a JSON Schema is an object, not array";
        QTest::newRow("unsupported draft")
            << "Cart.v1.schema.json"
            << QByteArray("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"}")
            << "the validator implements drafts 3, 4, 6 and 7";
        QTest::newRow("file name") << "Cart.schema.json" << QByteArray("{}")
                                   << "Cart.schema.json: a schema file is named <Type>.v<N>.schema.json";
        QTest::newRow("ref outside the folder")
            << "Cart.v1.schema.json" << QByteArray("{\"$ref\": \"../outside.json\"}")
            << "\"$ref\": \"../outside.json\" at the top cannot be resolved";
        QTest::newRow("ref loop") << "Cart.v1.schema.json"
                                  << QByteArray("{\"definitions\": {\"a\": {\"$ref\": \"#/definitions/b\"}, "
                                                "\"b\": {\"$ref\": \"#/definitions/a\"}},"
                                                " \"properties\": {\"x\": {\"$ref\": \"#/definitions/a\"}}}")
                                  << "leads back to itself";
        QTest::newRow("ref to itself")
            << "Cart.v1.schema.json" << QByteArray("{\"$ref\": \"#\"}") << "leads back to itself";
        QTest::newRow("ref to nothing")
            << "Cart.v1.schema.json" << QByteArray("{\"$ref\": \"#/definitions/none\"}")
            << "points to nothing in the schema";
        QTest::newRow("ref to the network")
            << "Cart.v1.schema.json"
            << QByteArray("{\"properties\": {\"a\": {\"$ref\": \"http://example.com/s.json\"}}}")
            << "\"$ref\": \"http://example.com/s.json\" at /properties/a cannot be resolved";
    }

    void badSchemaFolders()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(QStringLiteral("Good.v1.schema.json")), "{}"));
        QVERIFY(writeFile(dir.filePath(file), content));
        QVERIFY(writeFile(QFileInfo(dir.path()).absolutePath() + QStringLiteral("/outside.json"), "{}"));
        const auto message = errorOf([&] { SchemaRegistry::loadFolder(dir.path()); });
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.contains(dir.filePath(file)), qPrintable(message)); // names the file
        QFile::remove(QFileInfo(dir.path()).absolutePath() + QStringLiteral("/outside.json"));
    }

    void duplicateVersionsAndMissingFolders()
    {
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(QStringLiteral("Cart.v1.schema.json")), "{}"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("Cart.v01.schema.json")), "{}"));
        QVERIFY(errorOf([&] {
            SchemaRegistry::loadFolder(dir.path());
        }).contains(QStringLiteral("Cart schema version 1 already has a schema")));
        QVERIFY(errorOf([&] {
            SchemaRegistry::loadFolder(dir.filePath(QStringLiteral("nope")));
        }).contains(QStringLiteral("no such folder")));
        QVERIFY(errorOf([&] {
            SchemaRegistry::loadFolder(dir.filePath(QStringLiteral("Cart.v1.schema.json")));
        }).contains(QStringLiteral("is a file, not a folder")));
        QTemporaryDir empty;
        QVERIFY(SchemaRegistry::loadFolder(empty.path())->isEmpty());
    }

    void appendHook()
    {
        const StreamId cart(QStringLiteral("cart-1"));
        m_registry->checkAppend(cart,
            {eventData("ItemAdded", {{"sku", "A"}, {"quantity", 1}, {"lines", json::array()}}, 2),
                eventData("Unknown", 5)});
        try {
            m_registry->checkAppend(cart,
                {eventData("Unknown", 5),
                    eventData("ItemAdded", {{"sku", "A"}, {"lines", json::array()}}, 2)});
            QFAIL("no error");
        } catch (const SchemaViolationError& e) {
            QVERIFY2(e.message().contains(
                         QStringLiteral("stream 'cart-1' event [1] (type 'ItemAdded', schema version 2) "
                                        "does not match")),
                qPrintable(e.message()));
            QVERIFY2(
                e.message().contains(QStringLiteral("ItemAdded.v2.schema.json")), qPrintable(e.message()));
            QVERIFY2(e.message().contains(QStringLiteral("nothing was written")), qPrintable(e.message()));
            QCOMPARE(e.violations().size(), std::size_t(1));
        }
        const auto required
            = errorOf([&] { m_registry->checkAppend(cart, {eventData("Unknown", 5)}, true); });
        QVERIFY2(
            required.contains(QStringLiteral("no schema for this type and version")), qPrintable(required));
    }

    void validatingStoreWritesNothingOnAFailure()
    {
        MemoryEventStore inner;
        ValidatingEventStore store(inner, m_registry);
        QSignalSpy spy(&store, &EventStore::appended);
        const StreamId cart(QStringLiteral("cart-1"));
        const auto good
            = eventData("ItemAdded", {{"sku", "A"}, {"quantity", 1}, {"lines", json::array()}}, 2);
        const auto bad
            = eventData("ItemAdded", {{"sku", "A"}, {"quantity", -1}, {"lines", json::array()}}, 2);
        store.append(cart, {good}, ExpectedVersion::noStream());
        QCOMPARE(spy.count(), 1);
        QVERIFY(errorOf([&] {
            store.append(cart, {good, bad}, ExpectedVersion::any());
        }).contains(QStringLiteral("/quantity")));
        QVERIFY(errorOf([&] {
            store.appendMany({{StreamId(QStringLiteral("cart-2")), ExpectedVersion::any(), {good}},
                {cart, ExpectedVersion::any(), {bad}}});
        }).contains(QStringLiteral("event [0]")));
        auto recorded = inner.readAt(Position(1)).value();
        recorded.position = Position(2);
        recorded.version = Version(2);
        recorded.id = QUuid::createUuid();
        recorded.data = "{\"sku\":\"\"}";
        QVERIFY(errorOf([&] { store.importRecorded({recorded}); }).contains(QStringLiteral("position 2")));
        QCOMPARE(inner.summary().events, 1);
        QCOMPARE(spy.count(), 1);
        ValidatingEventStore strict(inner, m_registry, true);
        QVERIFY(errorOf([&] {
            strict.append(cart, {eventData("Unknown", 1)}, ExpectedVersion::any());
        }).contains(QStringLiteral("schemas are required")));
    }

    void validatesFromSeveralThreads()
    {
        const auto good = json {{"sku", "A"}, {"quantity", 1}, {"lines", json::array()},
            {"price", {{"amount", 1}, {"currency", "EUR"}}}};
        const auto bad = json {{"sku", "A"}, {"quantity", 1}, {"lines", json::array()},
            {"price", {{"amount", 1}, {"currency", "eur"}}}};
        std::atomic<int> wrong {0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 200; ++i) {
                    if (!m_registry->validate(QStringLiteral("ItemAdded"), 2, good).ok())
                        ++wrong;
                    if (m_registry->validate(QStringLiteral("ItemAdded"), 2, bad).ok())
                        ++wrong;
                }
            });
        }
        for (auto& t : threads)
            t.join();
        QCOMPARE(wrong.load(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSchemaRegistry)
#include "tst_schemaregistry.moc"
