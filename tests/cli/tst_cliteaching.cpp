// chronoscope-cli story, topics and spec (run, export) on the sample store: the JSON each prints,
// the exit codes, and a clear error (naming what and where) for every bad input.
#include "support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using testsupport::runCli;
using json = nlohmann::json;

class TestCliTeaching : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void storyByPositionEventAndCorrelation();
    void storyErrors();
    void topicsPartitionsAndGroup();
    void topicsErrors();
    void specRunPassesAndFails();
    void specRunRefusesMalformedSpecs();
    void specExportRunsAndPasses();

private:
    QString write(const QString& name, const QByteArray& bytes);

    QTemporaryDir m_dir;
    QString m_store;
};

void TestCliTeaching::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_store = m_dir.filePath(QStringLiteral("shop.chronoscope"));
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), m_store));
    QFile::setPermissions(m_store, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

QString TestCliTeaching::write(const QString& name, const QByteArray& bytes)
{
    const QString path = m_dir.filePath(name);
    if (!testsupport::writeFile(path, bytes))
        return {};
    return path;
}

void TestCliTeaching::storyByPositionEventAndCorrelation()
{
    const QByteArray before = testsupport::fileHash(m_store);
    // The first OrderPlaced of the sample.
    const auto placed = runCli({QStringLiteral("events"), m_store, QStringLiteral("--type"),
        QStringLiteral("OrderPlaced"), QStringLiteral("--limit"), QStringLiteral("1")});
    QVERIFY2(placed.code == 0, qPrintable(placed.describe()));
    const json order = placed.lines().front();
    const auto byPosition = runCli({QStringLiteral("story"), m_store, QStringLiteral("--position"),
        QString::number(order["position"].get<qint64>())});
    QVERIFY2(byPosition.code == 0, qPrintable(byPosition.describe()));
    const json story = byPosition.json();
    QVERIFY((story["correlationId"]) == (order["metadata"]["correlationId"]));
    QVERIFY(story["events"].size() >= 3);
    // Events in position order, each a JSON Lines object; the order among them.
    qint64 last = 0;
    bool found = false;
    QSet<QString> categories;
    for (const json& e : story["events"]) {
        QVERIFY(e["position"].get<qint64>() > last);
        last = e["position"].get<qint64>();
        QVERIFY((e["metadata"]["correlationId"]) == (story["correlationId"]));
        found = found || e["position"] == order["position"];
        categories.insert(
            QString::fromStdString(e["stream"].get<std::string>()).section(QLatin1Char('-'), 0, 0));
    }
    QVERIFY(found);
    QVERIFY(categories.contains(QStringLiteral("cart")) && categories.contains(QStringLiteral("order")));
    // The tree: every event exactly once, children after their parent and in position order.
    QSet<qint64> seen;
    std::vector<std::pair<const json*, qint64>> stack;
    qint64 lastRoot = 0;
    for (const json& root : story["roots"]) {
        QVERIFY(root["position"].get<qint64>() > lastRoot);
        lastRoot = root["position"].get<qint64>();
        stack.push_back({&root, 0});
    }
    while (!stack.empty()) {
        const auto [node, parent] = stack.back();
        stack.pop_back();
        const qint64 position = (*node)["position"].get<qint64>();
        QVERIFY(position > parent);
        QVERIFY(!seen.contains(position));
        seen.insert(position);
        qint64 previous = 0;
        for (const json& child : (*node)["children"]) {
            QVERIFY(child["position"].get<qint64>() > previous);
            previous = child["position"].get<qint64>();
            stack.push_back({&child, position});
        }
    }
    QVERIFY((qsizetype(seen.size())) == (qsizetype(story["events"].size())));
    // The same story by event id and by correlation id.
    const auto byEvent = runCli({QStringLiteral("story"), m_store, QStringLiteral("--event"),
        QString::fromStdString(order["id"].get<std::string>())});
    QVERIFY2(byEvent.code == 0, qPrintable(byEvent.describe()));
    QVERIFY((byEvent.json()) == (story));
    const auto byCorrelation = runCli({QStringLiteral("story"), m_store, QStringLiteral("--correlation"),
        QString::fromStdString(story["correlationId"].get<std::string>())});
    QVERIFY((byCorrelation.json()) == (story));
    QCOMPARE(testsupport::fileHash(m_store), before);
}

void TestCliTeaching::storyErrors()
{
    auto r = runCli({QStringLiteral("story"), m_store});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("exactly one of --event, --position and --correlation"));
    r = runCli({QStringLiteral("story"), m_store, QStringLiteral("--position"), QStringLiteral("1"),
        QStringLiteral("--correlation"), QStringLiteral("x")});
    QCOMPARE(r.code, 2);
    r = runCli({QStringLiteral("story"), m_store, QStringLiteral("--position"), QStringLiteral("999999")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("no event at position 999999 (the last is 3000)"), r.err.constData());
    r = runCli({QStringLiteral("story"), m_store, QStringLiteral("--event"), QStringLiteral("not-a-uuid")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("must be an event id"));
    r = runCli({QStringLiteral("story"), m_store, QStringLiteral("--event"),
        QStringLiteral("00000000-0000-0000-0000-000000000001")});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("no event with id"));
    r = runCli({QStringLiteral("story"), m_store, QStringLiteral("--correlation"), QStringLiteral("nobody")});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("no event has the correlation id nobody"));
}

void TestCliTeaching::topicsPartitionsAndGroup()
{
    const auto r = runCli({QStringLiteral("topics"), m_store, QStringLiteral("--partitions"),
        QStringLiteral("4"), QStringLiteral("--group"), QStringLiteral("billing"),
        QStringLiteral("--members"), QStringLiteral("3"), QStringLiteral("--committed"),
        QStringLiteral("1500"), QStringLiteral("--stream"), QStringLiteral("cart-1")});
    QVERIFY2(r.code == 0, qPrintable(r.describe()));
    const json out = r.json();
    QVERIFY((out["partitions"].size()) == (size_t(4)));
    qint64 events = 0, streams = 0;
    for (size_t p = 0; p < 4; ++p) {
        const json& partition = out["partitions"][p];
        QVERIFY((partition["partition"]) == (p));
        events += partition["events"].get<qint64>();
        streams += partition["streams"].get<qint64>();
        QVERIFY(partition["firstPosition"].get<qint64>() <= partition["lastPosition"].get<qint64>());
    }
    QCOMPARE(events, 3000);
    QCOMPARE(streams, 637);
    QVERIFY((out["stream"]) == ("cart-1"));
    QVERIFY(out["partition"].get<int>() >= 0 && out["partition"].get<int>() < 4);
    const json& group = out["group"];
    QVERIFY((group["group"]) == ("billing"));
    QVERIFY((group["committedPosition"]) == (1500));
    QVERIFY((group["members"].size()) == (size_t(3)));
    QVERIFY((group["members"][0]["member"]) == ("billing-1"));
    QVERIFY((group["members"][0]["partitions"]) == (json::parse("[0,1]")));
    QVERIFY((group["members"][2]["partitions"]) == (json::parse("[3]")));
    qint64 committed = 0, lag = 0;
    for (const json& o : group["offsets"]) {
        committed += o["committed"].get<qint64>();
        lag += o["lag"].get<qint64>();
    }
    QCOMPARE(committed, 1500);
    QCOMPARE(lag, 1500);
    QVERIFY((group["members"][0]["lag"].get<qint64>() + group["members"][1]["lag"].get<qint64>()
                + group["members"][2]["lag"].get<qint64>())
        == (lag));
    // Named members, all read by default: no lag.
    const auto named = runCli({QStringLiteral("topics"), m_store, QStringLiteral("--partitions"),
        QStringLiteral("2"), QStringLiteral("--group"), QStringLiteral("g"), QStringLiteral("--member"),
        QStringLiteral("zed"), QStringLiteral("--member"), QStringLiteral("amy")});
    QVERIFY2(named.code == 0, qPrintable(named.describe()));
    const json namedOut = named.json();
    QVERIFY((namedOut["group"]["members"][0]["member"]) == ("amy"));
    for (const json& o : namedOut["group"]["offsets"])
        QVERIFY((o["lag"]) == (0));
}

void TestCliTeaching::topicsErrors()
{
    auto r = runCli({QStringLiteral("topics"), m_store});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("--partitions is required"));
    r = runCli({QStringLiteral("topics"), m_store, QStringLiteral("--partitions"), QStringLiteral("0")});
    QCOMPARE(r.code, 2);
    r = runCli({QStringLiteral("topics"), m_store, QStringLiteral("--partitions"), QStringLiteral("5000")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("at most 1024"));
    r = runCli({QStringLiteral("topics"), m_store, QStringLiteral("--partitions"), QStringLiteral("2"),
        QStringLiteral("--members"), QStringLiteral("2")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("--members needs --group"));
}

void TestCliTeaching::specRunPassesAndFails()
{
    const QString good = write(QStringLiteral("good.json"), R"({"cases":[
      {"name":"open","stream":"cart-900","when":{"type":"OpenCart","data":{"customerId":"C1"}},
       "then":[{"type":"CartOpened","data":{"cartId":"cart-900","customerId":"C1"}}]},
      {"name":"no empty confirmation","stream":"cart-900",
       "given":[{"type":"CartOpened","data":{"cartId":"cart-900","customerId":"C1"}}],
       "when":{"type":"ConfirmCart","data":{}},"thenError":"empty"}]})");
    auto r = runCli({QStringLiteral("spec"), QStringLiteral("run"), good});
    QVERIFY2(r.code == 0, qPrintable(r.describe()));
    const auto lines = r.lines();
    QCOMPARE(lines.size(), size_t(2));
    QVERIFY((lines[0]) == (json::parse(R"({"name":"open","passed":true})")));
    QVERIFY((lines[1]["passed"]) == (true));
    QVERIFY(r.err.contains("2 of 2 case(s) passed"));
    const QString bad = write(QStringLiteral("bad.json"), R"({"cases":[
      {"name":"wrong customer","stream":"cart-900","when":{"type":"OpenCart","data":{"customerId":"C1"}},
       "then":[{"type":"CartOpened","data":{"cartId":"cart-900","customerId":"C2"}}]}]})");
    r = runCli({QStringLiteral("spec"), QStringLiteral("run"), bad});
    QCOMPARE(r.code, 1);
    const json failed = r.lines().front();
    QVERIFY((failed["passed"]) == (false));
    QVERIFY((failed["event"]) == (0));
    QVERIFY((failed["pointer"]) == ("/data/customerId"));
    QVERIFY((failed["expected"]) == ("C2"));
    QVERIFY((failed["actual"]) == ("C1"));
}

void TestCliTeaching::specRunRefusesMalformedSpecs()
{
    const QString path = write(QStringLiteral("malformed.json"),
        R"({"cases":[{"name":"x","stream":"cart-1","when":{"data":{}},"then":[]}]})");
    auto r = runCli({QStringLiteral("spec"), QStringLiteral("run"), path});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("malformed.json: cases[0] (\"x\"): member \"when.type\""), r.err.constData());
    r = runCli(
        {QStringLiteral("spec"), QStringLiteral("run"), m_dir.filePath(QStringLiteral("missing.json"))});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("cannot read"));
    r = runCli(
        {QStringLiteral("spec"), QStringLiteral("run"), write(QStringLiteral("text.json"), "not json")});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("not JSON"));
    r = runCli({QStringLiteral("spec")});
    QCOMPARE(r.code, 2);
    r = runCli({QStringLiteral("spec"), QStringLiteral("fly")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("unknown action 'fly'"));
}

void TestCliTeaching::specExportRunsAndPasses()
{
    // cart-1's whole history exported, then run: every case passes.
    auto r = runCli({QStringLiteral("spec"), QStringLiteral("export"), m_store, QStringLiteral("--stream"),
        QStringLiteral("order-1")});
    QVERIFY2(r.code == 0, qPrintable(r.describe()));
    const json exported = r.json();
    QVERIFY(exported["cases"].size() >= 2);
    QVERIFY((exported["cases"][0]["when"]["type"]) == ("PlaceOrder"));
    // PlaceOrder reads the cart: its events are given, named by stream.
    bool cartGiven = false;
    for (const json& e : exported["cases"][0]["given"])
        cartGiven = cartGiven || e.value("stream", std::string()).rfind("cart-", 0) == 0;
    QVERIFY(cartGiven);
    const QString spec = write(QStringLiteral("order-1.json"), r.out);
    r = runCli({QStringLiteral("spec"), QStringLiteral("run"), spec});
    QVERIFY2(r.code == 0, qPrintable(r.describe()));
    for (const json& line : r.lines())
        QVERIFY((line["passed"]) == (true));
    // A range of versions, and the other formats.
    r = runCli({QStringLiteral("spec"), QStringLiteral("export"), m_store, QStringLiteral("--stream"),
        QStringLiteral("cart-1"), QStringLiteral("--from"), QStringLiteral("2"), QStringLiteral("--to"),
        QStringLiteral("2")});
    QVERIFY2(r.code == 0, qPrintable(r.describe()));
    QVERIFY((r.json()["cases"].size()) == (size_t(1)));
    QVERIFY((r.json()["cases"][0]["given"].size()) == (size_t(1)));
    r = runCli({QStringLiteral("spec"), QStringLiteral("export"), m_store, QStringLiteral("--stream"),
        QStringLiteral("cart-1"), QStringLiteral("--format"), QStringLiteral("jest")});
    QVERIFY(r.code == 0);
    QVERIFY(r.out.contains("DeciderSpecification.for(decider)"));
    r = runCli({QStringLiteral("spec"), QStringLiteral("export"), m_store, QStringLiteral("--stream"),
        QStringLiteral("cart-1"), QStringLiteral("--format"), QStringLiteral("qtest")});
    QVERIFY(r.code == 0);
    QVERIFY(r.out.contains("QTEST_MAIN(TestShopSpec)"));
    // Errors.
    r = runCli({QStringLiteral("spec"), QStringLiteral("export"), m_store, QStringLiteral("--stream"),
        QStringLiteral("cart-1"), QStringLiteral("--format"), QStringLiteral("xml")});
    QCOMPARE(r.code, 2);
    r = runCli({QStringLiteral("spec"), QStringLiteral("export"), m_store, QStringLiteral("--stream"),
        QStringLiteral("nope-1")});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("no stream 'nope-1'"));
    r = runCli({QStringLiteral("spec"), QStringLiteral("export"), m_store, QStringLiteral("--stream"),
        QStringLiteral("cart-1"), QStringLiteral("--to"), QStringLiteral("99")});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("are not in cart-1"));
}

QTEST_MAIN(TestCliTeaching)
#include "tst_cliteaching.moc"
