// chronoscope-cli's publishing commands (command, publish, dead-letters), run as a user would:
// the real binary, its JSON output, its messages and exit codes.
#include "bus/deadletters.h"
#include "bus/sqlitedeadletters.h"
#include "support/testsupport.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using Json = nlohmann::json;
using testsupport::fileHash;

namespace {

using Run = testsupport::Result;

Run cli(const QStringList& arguments)
{
    return testsupport::runCli(arguments, 60000);
}

QStringList typesOf(const Json& events)
{
    QStringList out;
    for (const auto& e : events)
        out << QString::fromStdString(e.at("type").get<std::string>());
    return out;
}

/// Evaluates `run` once and checks the exit code.
#define EXPECT_EXIT(run, expected)                                                                           \
    do {                                                                                                     \
        const Run& r_ = (run);                                                                               \
        QVERIFY2(r_.code == (expected), qPrintable(r_.describe()));                                          \
    } while (false)

const char* const Story[] = {
    R"({"type":"ReceiveStock","stream":"inventory-MUG01","data":{"quantity":10}})",
    R"({"type":"ReceiveStock","stream":"inventory-TEA01","data":{"quantity":5}})",
    R"({"type":"OpenCart","stream":"cart-1","data":{"customerId":"C1001"}})",
    R"({"type":"AddItem","stream":"cart-1","data":{"sku":"MUG01","name":"Enamel mug","quantity":2,"unitPrice":1290}})",
    R"({"type":"AddItem","stream":"cart-1","data":{"sku":"TEA01","name":"Green tea","quantity":1,"unitPrice":790}})",
    R"({"type":"ConfirmCart","stream":"cart-1"})",
};
const QString Place
    = QStringLiteral(R"({"type":"PlaceOrder","stream":"order-1","data":{"cartId":"cart-1"}})");
const QString Pay = QStringLiteral(
    R"({"type":"RequestPayment","stream":"payment-1","data":{"orderId":"order-1","amount":3370,"method":"card"}})");

} // namespace

class TestCliBus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void commandStoresAndRunsReactions();
    void brokenRuleExitsOneAndStoresNothing();
    void staleVersionExitsThree();
    void badInputIsAUsageOrInputError();
    void deadLetterLifecycle();
    void discardRemovesWithoutDelivering();
    void sagaCompensatesDeclinedPayment();
    void publishCarriesCorrelation();
    void otherHandlersAreNotRetriedHere();
    void foreignStoresAreRefused();
    void listingWritesNothing();
    void helpNamesEveryForm();

private:
    QString store() const { return m_dir->filePath(QStringLiteral("shop.chronoscope")); }
    qint64 events() const
    {
        return cli({QStringLiteral("info"), store()}).json().value("events", qint64(-1));
    }
    /// Creates the store and runs the story up to a confirmed cart.
    bool prepare();
    Run command(const QString& json, const QStringList& extra = {}) const
    {
        return cli(QStringList {QStringLiteral("command"), store(), QStringLiteral("--json"), json} + extra);
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCliBus::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

bool TestCliBus::prepare()
{
    const auto created = cli({QStringLiteral("append"), store(), QStringLiteral("--create"),
        QStringLiteral("--stream"), QStringLiteral("note-0"), QStringLiteral("--type"),
        QStringLiteral("StoreCreated"), QStringLiteral("--data"), QStringLiteral("{}")});
    if (created.code != 0) {
        qWarning("%s", qPrintable(created.describe()));
        return false;
    }
    for (const char* c : Story) {
        const auto r = command(QString::fromUtf8(c));
        if (r.code != 0) {
            qWarning("%s -> %s", c, qPrintable(r.describe()));
            return false;
        }
    }
    return true;
}

void TestCliBus::commandStoresAndRunsReactions()
{
    QVERIFY(prepare());
    const auto r = command(Place);
    EXPECT_EXIT(r, 0);
    const auto j = r.json();
    QCOMPARE(j.at("outcome"), "stored");
    QCOMPARE(j.at("events").size(), std::size_t(1));
    const auto placed = j.at("events").at(0);
    QCOMPARE(placed.at("type"), "OrderPlaced");
    QCOMPARE(placed.at("stream"), "order-1");
    QCOMPARE(placed.at("version"), 1);
    QCOMPARE(placed.at("position"), 8);
    QCOMPARE(placed.at("causationId"), j.at("commandId"));
    QCOMPARE(j.at("correlationId"), j.at("commandId"));
    QCOMPARE(typesOf(j.at("reactions")),
        (QStringList {
            QStringLiteral("EmailSent"), QStringLiteral("StockReserved"), QStringLiteral("StockReserved")}));
    for (const auto& reaction : j.at("reactions"))
        QCOMPARE(reaction.at("causationId"), placed.at("id"));
    QVERIFY(j.at("deadLettered").empty());
    QCOMPARE(j.at("state").at("status"), "placed");
    QCOMPARE(j.at("state").at("total"), 3370);
    QCOMPARE(events(), 11);
    // What the reactions stored is in the store for anyone to read.
    const auto mail = cli(
        {QStringLiteral("events"), store(), QStringLiteral("--stream"), QStringLiteral("email-order-1")});
    EXPECT_EXIT(mail, 0);
    QCOMPARE(mail.lines().size(), std::size_t(1));
    QCOMPARE(mail.lines().front().at("data").at("template"), "order-confirmation");
}

void TestCliBus::brokenRuleExitsOneAndStoresNothing()
{
    QVERIFY(prepare());
    const auto before = fileHash(store());
    const auto r = command(QStringLiteral(
        R"({"type":"AddItem","stream":"cart-1","data":{"sku":"TEA01","quantity":1,"unitPrice":790}})"));
    EXPECT_EXIT(r, 1);
    QCOMPARE(r.json().at("outcome"), "rejected");
    QVERIFY2(r.err.contains("cart-1") && r.err.contains("confirmed"), r.err.constData());
    QCOMPARE(events(), 7);
    QCOMPARE(fileHash(store()), before);
}

void TestCliBus::staleVersionExitsThree()
{
    QVERIFY(prepare());
    const auto r = command(
        QStringLiteral(R"({"type":"AbandonCart","stream":"cart-1","expectedVersion":3,"data":{}})"));
    EXPECT_EXIT(r, 3);
    const auto j = r.json();
    QCOMPARE(j.at("outcome"), "conflict");
    QCOMPARE(j.at("expected"), "3");
    QCOMPARE(j.at("actual"), 4);
    QVERIFY2(r.err.contains("wrong expected version") && r.err.contains("cart-1"), r.err.constData());
    const auto raw
        = cli({QStringLiteral("publish"), store(), QStringLiteral("--stream"), QStringLiteral("cart-1"),
            QStringLiteral("--type"), QStringLiteral("NoteAdded"), QStringLiteral("--data"),
            QStringLiteral("{}"), QStringLiteral("--expected"), QStringLiteral("no-stream")});
    EXPECT_EXIT(raw, 3);
    QCOMPARE(raw.json().at("actual"), 4);
    QCOMPARE(events(), 7);
}

void TestCliBus::badInputIsAUsageOrInputError()
{
    QVERIFY(prepare());
    const auto notJson = command(QStringLiteral("{\"type\":"));
    EXPECT_EXIT(notJson, 1);
    QVERIFY2(notJson.err.contains("not valid JSON"), notJson.err.constData());
    const auto unknown = command(QStringLiteral(R"({"type":"Teleport","stream":"cart-1"})"));
    EXPECT_EXIT(unknown, 1);
    QVERIFY2(unknown.err.contains("Teleport") && unknown.err.contains("AddItem"), unknown.err.constData());
    EXPECT_EXIT(cli({QStringLiteral("command"), store()}), 2);
    const auto badFail = command(Place, {QStringLiteral("--fail"), QStringLiteral("email,printer")});
    EXPECT_EXIT(badFail, 2);
    QVERIFY2(badFail.err.contains("printer"), badFail.err.constData());
    const auto badData = cli({QStringLiteral("publish"), store(), QStringLiteral("--stream"),
        QStringLiteral("note-1"), QStringLiteral("--type"), QStringLiteral("NoteAdded"),
        QStringLiteral("--data"), QStringLiteral("{oops")});
    EXPECT_EXIT(badData, 1);
    QVERIFY2(
        badData.err.contains("note-1") && badData.err.contains("not valid JSON"), badData.err.constData());
    const auto badId
        = cli({QStringLiteral("publish"), store(), QStringLiteral("--stream"), QStringLiteral("note-1"),
            QStringLiteral("--type"), QStringLiteral("NoteAdded"), QStringLiteral("--data"),
            QStringLiteral("{}"), QStringLiteral("--correlation-id"), QStringLiteral("story-7")});
    EXPECT_EXIT(badId, 2);
    EXPECT_EXIT(
        cli({QStringLiteral("dead-letters"), store(), QStringLiteral("show"), QStringLiteral("x")}), 2);
    EXPECT_EXIT(cli({QStringLiteral("dead-letters"), store(), QStringLiteral("show")}), 2);
    EXPECT_EXIT(
        cli({QStringLiteral("dead-letters"), store(), QStringLiteral("fix"), QStringLiteral("1")}), 2);
    QCOMPARE(events(), 7);
}

void TestCliBus::deadLetterLifecycle()
{
    QVERIFY(prepare());
    const auto placed = command(Place, {QStringLiteral("--fail"), QStringLiteral("email")});
    EXPECT_EXIT(placed, 0); // the order is stored; only the e-mail failed
    const auto parked = placed.json().at("deadLettered");
    QCOMPARE(parked.size(), std::size_t(1));
    QCOMPARE(parked.at(0).at("handler"), "confirmation-email");
    QCOMPARE(parked.at(0).at("attempts"), 3);
    QCOMPARE(typesOf(placed.json().at("reactions")),
        (QStringList {QStringLiteral("StockReserved"), QStringLiteral("StockReserved")}));

    // Listed by a later run, as JSON and as a table.
    const auto list = cli({QStringLiteral("dead-letters"), store(), QStringLiteral("--json")});
    EXPECT_EXIT(list, 0);
    QCOMPARE(list.json().size(), std::size_t(1));
    const auto id = list.json().at(0).at("id").get<qint64>();
    const auto idText = QString::number(id);
    QCOMPARE(list.json().at(0).at("event").at("type"), "OrderPlaced");
    QVERIFY2(
        list.json().at(0).at("error").get<std::string>().find("e-mail service down") != std::string::npos,
        list.out.constData());
    const auto table = cli({QStringLiteral("dead-letters"), store()});
    EXPECT_EXIT(table, 0);
    QVERIFY2(table.out.contains("confirmation-email") && table.out.contains("OrderPlaced order-1@1"),
        table.out.constData());
    const auto shown = cli({QStringLiteral("dead-letters"), store(), QStringLiteral("show"), idText});
    EXPECT_EXIT(shown, 0);
    QCOMPARE(shown.json().at("event").at("data").at("customerId"), "C1001");

    // Still down: the retry fails and says so; the entry stays with one more attempt.
    const auto stillDown = cli({QStringLiteral("dead-letters"), store(), QStringLiteral("retry"), idText,
        QStringLiteral("--fail"), QStringLiteral("email")});
    EXPECT_EXIT(stillDown, 1);
    QCOMPARE(stillDown.json().at("delivered"), false);
    QCOMPARE(stillDown.json().at("attempts"), 4);
    QVERIFY2(stillDown.err.contains("still failing"), stillDown.err.constData());

    // Back up: delivered once.
    const auto retried = cli({QStringLiteral("dead-letters"), store(), QStringLiteral("retry"), idText});
    EXPECT_EXIT(retried, 0);
    QCOMPARE(retried.json().at("delivered"), true);
    QCOMPARE(typesOf(retried.json().at("reactions")), QStringList {QStringLiteral("EmailSent")});
    QCOMPARE(retried.json().at("reactions").at(0).at("causationId"), parked.at(0).at("event").at("id"));
    // Again: there is nothing left to retry, and no second e-mail.
    const auto again = cli({QStringLiteral("dead-letters"), store(), QStringLiteral("retry"), idText});
    EXPECT_EXIT(again, 1);
    QVERIFY2(again.err.contains("no such entry"), again.err.constData());
    const auto mails = cli(
        {QStringLiteral("events"), store(), QStringLiteral("--stream"), QStringLiteral("email-order-1")});
    QCOMPARE(mails.lines().size(), std::size_t(1));
    const auto empty = cli({QStringLiteral("dead-letters"), store(), QStringLiteral("--json")});
    QCOMPARE(empty.json(), Json::array());
}

void TestCliBus::discardRemovesWithoutDelivering()
{
    QVERIFY(prepare());
    EXPECT_EXIT(command(Place, {QStringLiteral("--fail"), QStringLiteral("inventory")}), 0);
    const auto list = cli({QStringLiteral("dead-letters"), store(), QStringLiteral("--json")});
    QCOMPARE(list.json().size(), std::size_t(1));
    QCOMPARE(list.json().at(0).at("handler"), "inventory-reservation");
    const auto idText = QString::number(list.json().at(0).at("id").get<qint64>());
    const auto before = events();
    const auto discarded = cli({QStringLiteral("dead-letters"), store(), QStringLiteral("discard"), idText});
    EXPECT_EXIT(discarded, 0);
    QCOMPARE(discarded.json().at("discarded").get<qint64>(), idText.toLongLong());
    QCOMPARE(events(), before); // nothing delivered, nothing stored
    QCOMPARE(cli({QStringLiteral("dead-letters"), store(), QStringLiteral("--json")}).json(), Json::array());
    const auto twice = cli({QStringLiteral("dead-letters"), store(), QStringLiteral("discard"), idText});
    EXPECT_EXIT(twice, 1);
    QVERIFY2(twice.err.contains("no such entry"), twice.err.constData());
}

void TestCliBus::sagaCompensatesDeclinedPayment()
{
    QVERIFY(prepare());
    EXPECT_EXIT(command(Place), 0);
    const auto r = command(Pay, {QStringLiteral("--decline-payments")});
    EXPECT_EXIT(r, 0);
    QCOMPARE(typesOf(r.json().at("reactions")),
        (QStringList {QStringLiteral("PaymentFailed"), QStringLiteral("StockReleased"),
            QStringLiteral("StockReleased"), QStringLiteral("OrderCancelled"), QStringLiteral("EmailSent")}));
    const auto order
        = cli({QStringLiteral("state"), store(), QStringLiteral("--stream"), QStringLiteral("order-1")});
    EXPECT_EXIT(order, 0);
    QVERIFY2(order.out.contains("\"cancelled\""), order.out.constData());
    const auto stock = cli(
        {QStringLiteral("state"), store(), QStringLiteral("--stream"), QStringLiteral("inventory-MUG01")});
    QVERIFY2(stock.out.contains("\"available\":10"), stock.out.constData());
}

void TestCliBus::publishCarriesCorrelation()
{
    QVERIFY(prepare());
    EXPECT_EXIT(command(Place), 0);
    const QString story = QStringLiteral("0b9c2d3e-1111-4222-8333-444455556666");
    // A failure reported by an outside payment provider, published as a raw event.
    EXPECT_EXIT(command(Pay, {QStringLiteral("--fail"), QStringLiteral("payment")}), 0);
    const auto r
        = cli({QStringLiteral("publish"), store(), QStringLiteral("--stream"), QStringLiteral("payment-1"),
            QStringLiteral("--type"), QStringLiteral("PaymentFailed"), QStringLiteral("--data"),
            QStringLiteral(R"({"paymentId":"payment-1","orderId":"order-1","reason":"card expired"})"),
            QStringLiteral("--expected"), QStringLiteral("1"), QStringLiteral("--correlation-id"), story});
    EXPECT_EXIT(r, 0);
    const auto j = r.json();
    QCOMPARE(j.at("correlationId"), story.toStdString());
    QCOMPARE(j.at("events").at(0).at("version"), 2);
    const auto failedId = j.at("events").at(0).at("id");
    QCOMPARE(typesOf(j.at("reactions")),
        (QStringList {QStringLiteral("StockReleased"), QStringLiteral("StockReleased"),
            QStringLiteral("OrderCancelled"), QStringLiteral("EmailSent")}));
    for (const auto& reaction : {j.at("reactions").at(0), j.at("reactions").at(1), j.at("reactions").at(2)})
        QCOMPARE(reaction.at("causationId"), failedId);
    const auto cancelled
        = cli({QStringLiteral("events"), store(), QStringLiteral("--stream"), QStringLiteral("order-1"),
            QStringLiteral("--backward"), QStringLiteral("--limit"), QStringLiteral("1")});
    QCOMPARE(cancelled.lines().at(0).at("metadata").at("correlationId"), story.toStdString());
}

void TestCliBus::otherHandlersAreNotRetriedHere()
{
    QVERIFY(prepare());
    {
        chronoscope::SqliteDeadLetterQueue queue(store());
        chronoscope::RecordedEvent e;
        e.position = chronoscope::Position(3);
        e.stream = chronoscope::StreamId(QStringLiteral("cart-1"));
        e.version = chronoscope::Version(1);
        e.id = QUuid::createUuid();
        e.type = QStringLiteral("CartOpened");
        e.data = "{}";
        queue.park(e, QStringLiteral("invoicer"), QStringLiteral("tax table missing"), 3, 1, 2);
    }
    const auto r
        = cli({QStringLiteral("dead-letters"), store(), QStringLiteral("retry"), QStringLiteral("1")});
    EXPECT_EXIT(r, 1);
    QVERIFY2(r.err.contains("invoicer") && r.err.contains("sample reactions"), r.err.constData());
    QCOMPARE(cli({QStringLiteral("dead-letters"), store(), QStringLiteral("--json")}).json().size(),
        std::size_t(1));
}

void TestCliBus::foreignStoresAreRefused()
{
    QVERIFY(prepare());
    const auto jsonl = m_dir->filePath(QStringLiteral("shop.jsonl"));
    EXPECT_EXIT(cli({QStringLiteral("export"), store(), jsonl}), 0);
    const auto emmett = m_dir->filePath(QStringLiteral("emmett.sqlite"));
    QVERIFY(QFile::copy(
        QStringLiteral(CHRONOSCOPE_SHARED_DIR "/fixtures/emmett-sqlite/emmett-store.sqlite"), emmett));
    for (const auto& path : {jsonl, emmett}) {
        const auto before = fileHash(path);
        const auto c = cli({QStringLiteral("command"), path, QStringLiteral("--json"), Place});
        EXPECT_EXIT(c, 1);
        QVERIFY2(c.err.contains("read-only") && c.err.contains("nothing was written"), c.err.constData());
        const auto p = cli({QStringLiteral("publish"), path, QStringLiteral("--stream"),
            QStringLiteral("note-1"), QStringLiteral("--type"), QStringLiteral("NoteAdded"),
            QStringLiteral("--data"), QStringLiteral("{}")});
        EXPECT_EXIT(p, 1);
        const auto d = cli({QStringLiteral("dead-letters"), path});
        EXPECT_EXIT(d, 1);
        QVERIFY2(d.err.contains("only Chronoscope stores keep dead letters"), d.err.constData());
        QCOMPARE(fileHash(path), before);
    }
}

void TestCliBus::listingWritesNothing()
{
    // A store nothing was ever published on: listing its dead letters leaves it as it is.
    EXPECT_EXIT(cli({QStringLiteral("append"), store(), QStringLiteral("--create"),
                    QStringLiteral("--stream"), QStringLiteral("note-0"), QStringLiteral("--type"),
                    QStringLiteral("StoreCreated"), QStringLiteral("--data"), QStringLiteral("{}")}),
        0);
    const auto before = fileHash(store());
    const auto list = cli({QStringLiteral("dead-letters"), store(), QStringLiteral("--json")});
    EXPECT_EXIT(list, 0);
    QCOMPARE(list.json(), Json::array());
    bool hasTable = true;
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(store());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT 1 FROM sqlite_master WHERE name = 'dead_letters'")));
        hasTable = q.next();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    QVERIFY(!hasTable);
    QCOMPARE(fileHash(store()), before);
}

void TestCliBus::helpNamesEveryForm()
{
    const auto help = cli({QStringLiteral("dead-letters"), QStringLiteral("--help")});
    EXPECT_EXIT(help, 0);
    for (const char* form : {"show ID", "discard ID", "retry ID", "--json", "--fail"})
        QVERIFY2(help.out.contains(form), form);
    const auto top = cli({QStringLiteral("--help")});
    for (const char* name : {"command", "publish", "dead-letters"})
        QVERIFY2(top.out.contains(name), name);
}

QTEST_GUILESS_MAIN(TestCliBus)
#include "tst_clibus.moc"
