// Runs the real chronoscope-cli binary and checks its JSON output, messages and exit codes.
#include "support/clirun.h"
#include "support/testsupport.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <unistd.h>

using Json = nlohmann::json;
using testsupport::fileHash;
using testsupport::readFile;
using testsupport::writeFile;

namespace {

using testsupport::Result;
using testsupport::runCli;

// Evaluates `result` once (it may be a runCli call) and checks it succeeded.
#define RUN_OK(result)                                                                                       \
    do {                                                                                                     \
        const Result& r_ = (result);                                                                         \
        QVERIFY2(r_.code == 0, r_.err.constData());                                                          \
    } while (false)

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void usage_data();
    void usage();
    void commandHelp_data();
    void commandHelp();
    void info();
    void streams();
    void events();
    void eventsUsageErrors_data();
    void eventsUsageErrors();
    void state();
    void stateErrors_data();
    void stateErrors();
    void stateNamesTheEventItsReducerRefuses();
    void appendCreatesAndChecksVersions();
    void badInputLeavesStoreUnchanged_data();
    void badInputLeavesStoreUnchanged();
    void readOnlyFileIsRefused();
    void quotesAndSemicolonsInStreamId();
    void formatIsDetectedByContent();
    void importExportRoundTrip();
    void failedImportLeavesNoFile();
    void sampleIsDeterministic();
    void bundledSampleStore();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
    QString m_store;
};

void TestCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(QStringLiteral(CHRONOSCOPE_CLI)), CHRONOSCOPE_CLI);
    m_store = path(QStringLiteral("sample.db"));
    const auto r = runCli({QStringLiteral("sample"), m_store, QStringLiteral("--events"),
        QStringLiteral("600"), QStringLiteral("--seed"), QStringLiteral("3")});
    RUN_OK(r);
    const auto j = r.json();
    QVERIFY(j["events"].get<qint64>() >= 600);
    QVERIFY(j["streams"].get<qint64>() > 10);
    QVERIFY2(r.err.isEmpty(), r.err.constData()); // no progress when stderr is not a terminal
}

void TestCli::usage_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("stderrText");
    QTest::newRow("nothing") << QStringList() << 2 << QStringLiteral("Usage: chronoscope-cli COMMAND");
    QTest::newRow("unknown command") << QStringList {QStringLiteral("frobnicate")} << 2
                                     << QStringLiteral("unknown command 'frobnicate'");
    QTest::newRow("unknown option") << QStringList {QStringLiteral("info"), QStringLiteral("--bogus"),
        QStringLiteral("x")} << 2 << QStringLiteral("Unknown option 'bogus'");
    QTest::newRow("missing store") << QStringList {QStringLiteral("info")} << 2
                                   << QStringLiteral("info: missing STORE");
    QTest::newRow("extra argument") << QStringList {QStringLiteral("info"), QStringLiteral("a"),
        QStringLiteral("b")} << 2 << QStringLiteral("unexpected argument 'b'");
    QTest::newRow("no such file") << QStringList {QStringLiteral("info"), QStringLiteral("/nonexistent/x.db")}
                                  << 1 << QStringLiteral("/nonexistent/x.db");
}

void TestCli::usage()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, code);
    QFETCH(QString, stderrText);
    const auto r = runCli(arguments);
    QCOMPARE(r.code, code);
    QVERIFY2(QString::fromUtf8(r.err).contains(stderrText), r.err.constData());
    QVERIFY(r.out.isEmpty());

    const auto v = runCli({QStringLiteral("--version")});
    QCOMPARE(v.code, 0);
    QVERIFY(v.out.startsWith("chronoscope-cli "));
}

void TestCli::commandHelp_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("option");
    QTest::newRow("info") << QStringLiteral("info") << QStringLiteral("STORE");
    QTest::newRow("streams") << QStringLiteral("streams") << QStringLiteral("--prefix");
    QTest::newRow("events") << QStringLiteral("events") << QStringLiteral("--from-version");
    QTest::newRow("state") << QStringLiteral("state") << QStringLiteral("--at");
    QTest::newRow("append") << QStringLiteral("append") << QStringLiteral("--expected");
    QTest::newRow("import") << QStringLiteral("import") << QStringLiteral("SRC");
    QTest::newRow("export") << QStringLiteral("export") << QStringLiteral("DEST");
    QTest::newRow("sample") << QStringLiteral("sample") << QStringLiteral("--seed");
}

void TestCli::commandHelp()
{
    QFETCH(QString, command);
    QFETCH(QString, option);
    const auto r = runCli({command, QStringLiteral("--help")});
    QCOMPARE(r.code, 0);
    const auto text = QString::fromUtf8(r.out);
    QVERIFY2(text.contains(QStringLiteral("Usage:")) && text.contains(command + QLatin1Char(' ')),
        r.out.constData());
    QVERIFY2(text.contains(option), r.out.constData());
}

void TestCli::info()
{
    const auto r = runCli({QStringLiteral("info"), m_store});
    RUN_OK(r);
    const auto j = r.json();
    QCOMPARE(j["format"], "chronoscope-sqlite");
    QVERIFY(j["events"].get<qint64>() >= 600);
    QCOMPARE(j["lastPosition"], j["events"]);
    qint64 sum = 0;
    for (const auto& [type, n] : j["types"].items())
        sum += n.get<qint64>();
    QCOMPARE(sum, j["events"].get<qint64>());
    QVERIFY(j["types"].contains("ItemAdded"));
}

void TestCli::streams()
{
    const auto all = runCli({QStringLiteral("streams"), m_store});
    RUN_OK(all);
    const auto list = all.json();
    QVERIFY(list.is_array());
    const auto info = runCli({QStringLiteral("info"), m_store}).json();
    QCOMPARE(qint64(list.size()), info["streams"].get<qint64>());
    qint64 events = 0;
    for (const auto& s : list) {
        const auto id = s["stream"].get<std::string>();
        const auto dash = id.find('-');
        if (dash == std::string::npos || dash == 0)
            QVERIFY(s["category"].is_null());
        else
            QCOMPARE(s["category"].get<std::string>(), id.substr(0, dash));
        QVERIFY(s["first"].get<qint64>() <= s["last"].get<qint64>());
        QVERIFY(s["version"].get<qint64>() >= 1);
        events += s["events"].get<qint64>();
    }
    QCOMPARE(events, info["events"].get<qint64>());

    const auto carts
        = runCli({QStringLiteral("streams"), m_store, QStringLiteral("--prefix"), QStringLiteral("cart-")});
    RUN_OK(carts);
    QVERIFY(!carts.json().empty());
    for (const auto& s : carts.json())
        QCOMPARE(s["category"], "cart");

    // Substring (letters in any case) and glob filters, orders, a limit.
    const auto contains
        = runCli({QStringLiteral("streams"), m_store, QStringLiteral("--contains"), QStringLiteral("ART-")});
    RUN_OK(contains);
    QCOMPARE(contains.json().size(), carts.json().size());
    const auto glob
        = runCli({QStringLiteral("streams"), m_store, QStringLiteral("--glob"), QStringLiteral("cart-?")});
    RUN_OK(glob);
    QVERIFY(!glob.json().empty());
    for (const auto& s : glob.json())
        QCOMPARE(s["stream"].get<std::string>().size(), std::size_t(6));
    const auto top
        = runCli({QStringLiteral("streams"), m_store, QStringLiteral("--sort"), QStringLiteral("events"),
            QStringLiteral("--descending"), QStringLiteral("--limit"), QStringLiteral("3")});
    RUN_OK(top);
    QCOMPARE(top.json().size(), std::size_t(3));
    qint64 most = 0;
    for (const auto& s : list)
        most = std::max(most, s["events"].get<qint64>());
    QCOMPARE(top.json()[0]["events"].get<qint64>(), most);
    QVERIFY(top.json()[1]["events"].get<qint64>() <= most);
    QVERIFY(top.json()[2]["events"].get<qint64>() <= top.json()[1]["events"].get<qint64>());

    // The kept per-category counts add up to the store's totals.
    const auto categories = runCli({QStringLiteral("streams"), m_store, QStringLiteral("--categories")});
    RUN_OK(categories);
    qint64 streamSum = 0, eventSum = 0;
    for (const auto& c : categories.json()) {
        streamSum += c["streams"].get<qint64>();
        eventSum += c["events"].get<qint64>();
    }
    QCOMPARE(streamSum, info["streams"].get<qint64>());
    QCOMPARE(eventSum, info["events"].get<qint64>());

    // Bad options are usage errors naming the option.
    const auto badSort
        = runCli({QStringLiteral("streams"), m_store, QStringLiteral("--sort"), QStringLiteral("size")});
    QCOMPARE(badSort.code, 2);
    QVERIFY2(badSort.err.contains("--sort 'size'"), badSort.err.constData());
    const auto twoFilters = runCli({QStringLiteral("streams"), m_store, QStringLiteral("--prefix"),
        QStringLiteral("c"), QStringLiteral("--glob"), QStringLiteral("c*")});
    QCOMPARE(twoFilters.code, 2);
}

void TestCli::events()
{
    const auto info = runCli({QStringLiteral("info"), m_store}).json();
    const auto all = runCli({QStringLiteral("events"), m_store});
    RUN_OK(all);
    const auto lines = all.lines();
    QCOMPARE(qint64(lines.size()), info["events"].get<qint64>());
    for (std::size_t i = 0; i < lines.size(); ++i)
        QCOMPARE(lines[i]["position"].get<qint64>(), qint64(i + 1));

    // One stream, forward from a version and backward.
    const auto stream = lines[5]["stream"].get<std::string>();
    const auto s = QString::fromStdString(stream);
    const auto forward = runCli({QStringLiteral("events"), m_store, QStringLiteral("--stream"), s}).lines();
    QVERIFY(!forward.empty());
    for (std::size_t i = 0; i < forward.size(); ++i) {
        QCOMPARE(forward[i]["stream"].get<std::string>(), stream);
        QCOMPARE(forward[i]["version"].get<qint64>(), qint64(i + 1));
    }
    const auto backward = runCli(
        {QStringLiteral("events"), m_store, QStringLiteral("--stream"), s, QStringLiteral("--backward")})
                              .lines();
    QCOMPARE(backward.size(), forward.size());
    QCOMPARE(backward.front(), forward.back());
    if (forward.size() >= 2) {
        const auto from2 = runCli({QStringLiteral("events"), m_store, QStringLiteral("--stream"), s,
                                      QStringLiteral("--from-version"), QStringLiteral("2")})
                               .lines();
        QCOMPARE(from2.size(), forward.size() - 1);
        QCOMPARE(from2.front(), forward[1]);
    }

    // Global position, limit, backward.
    const auto at10 = runCli({QStringLiteral("events"), m_store, QStringLiteral("--from-position"),
                                 QStringLiteral("10"), QStringLiteral("--limit"), QStringLiteral("3")})
                          .lines();
    QCOMPARE(at10.size(), std::size_t(3));
    QCOMPARE(at10[0], lines[9]);
    QCOMPARE(at10[2], lines[11]);
    const auto last2 = runCli({QStringLiteral("events"), m_store, QStringLiteral("--backward"),
                                  QStringLiteral("--limit"), QStringLiteral("2")})
                           .lines();
    QCOMPARE(last2.size(), std::size_t(2));
    QCOMPARE(last2[0], lines.back());

    // Type and time filters.
    const auto added
        = runCli({QStringLiteral("events"), m_store, QStringLiteral("--type"), QStringLiteral("ItemAdded"),
                     QStringLiteral("--type"), QStringLiteral("CartOpened")})
              .lines();
    QCOMPARE(qint64(added.size()),
        info["types"]["ItemAdded"].get<qint64>() + info["types"]["CartOpened"].get<qint64>());
    for (const auto& e : added)
        QVERIFY(e["type"] == "ItemAdded" || e["type"] == "CartOpened");
    const auto since = QString::fromStdString(lines[100]["timestamp"].get<std::string>());
    const auto until = QString::fromStdString(lines[200]["timestamp"].get<std::string>());
    const auto window = runCli({QStringLiteral("events"), m_store, QStringLiteral("--since"), since,
                                   QStringLiteral("--until"), until})
                            .lines();
    QVERIFY(!window.empty());
    for (const auto& e : window) {
        QVERIFY(e["timestamp"].get<std::string>() >= since.toStdString());
        QVERIFY(e["timestamp"].get<std::string>() < until.toStdString());
    }

    const auto missing
        = runCli({QStringLiteral("events"), m_store, QStringLiteral("--stream"), QStringLiteral("nope-1")});
    QCOMPARE(missing.code, 1);
    QVERIFY(missing.err.contains("'nope-1'"));
}

void TestCli::eventsUsageErrors_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("message");
    QTest::newRow("from-version without stream") << QStringList {QStringLiteral("--from-version"),
        QStringLiteral("2")} << QStringLiteral("--from-version needs --stream");
    QTest::newRow("both from options") << QStringList {QStringLiteral("--stream"), QStringLiteral("cart-1"),
        QStringLiteral("--from-version"), QStringLiteral("2"), QStringLiteral("--from-position"),
        QStringLiteral("3")} << QStringLiteral("--from-version and --from-position cannot be used together");
    QTest::newRow("limit not a number") << QStringList {QStringLiteral("--limit"), QStringLiteral("ten")}
                                        << QStringLiteral("--limit 'ten' is not a whole number");
    QTest::newRow("negative limit") << QStringList {QStringLiteral("--limit"), QStringLiteral("-1")}
                                    << QStringLiteral("--limit -1 is below the minimum of 0");
    QTest::newRow("bad since") << QStringList {QStringLiteral("--since"), QStringLiteral("last tuesday")}
                               << QStringLiteral("--since 'last tuesday' is not an ISO-8601 date");
}

void TestCli::eventsUsageErrors()
{
    QFETCH(QStringList, options);
    QFETCH(QString, message);
    const auto r = runCli(QStringList {QStringLiteral("events"), m_store} + options);
    QCOMPARE(r.code, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestCli::state()
{
    const auto carts
        = runCli({QStringLiteral("streams"), m_store, QStringLiteral("--prefix"), QStringLiteral("cart-")})
              .json();
    Json cart;
    for (const auto& s : carts)
        if (s["version"].get<qint64>() >= 3)
            cart = s;
    QVERIFY(!cart.is_null());
    const auto id = QString::fromStdString(cart["stream"].get<std::string>());
    const auto version = cart["version"].get<qint64>();

    const auto latest = runCli({QStringLiteral("state"), m_store, QStringLiteral("--stream"), id});
    RUN_OK(latest);
    QCOMPARE(latest.out.count('\n'), 1);
    const auto atLast = runCli({QStringLiteral("state"), m_store, QStringLiteral("--stream"), id,
        QStringLiteral("--version"), QString::number(version)});
    QCOMPARE(atLast.json(), latest.json());
    QCOMPARE(latest.json()["cartId"].get<std::string>(), id.toStdString());

    const auto initial = runCli({QStringLiteral("state"), m_store, QStringLiteral("--stream"), id,
        QStringLiteral("--version"), QStringLiteral("0")});
    RUN_OK(initial);
    QVERIFY(initial.json() != latest.json());
    const auto v1 = runCli({QStringLiteral("state"), m_store, QStringLiteral("--stream"), id,
        QStringLiteral("--version"), QStringLiteral("1")});
    QVERIFY(v1.json() != latest.json());

    // --at: the state as of the timestamp of version 1 is the state at version 1.
    const auto events = runCli({QStringLiteral("events"), m_store, QStringLiteral("--stream"), id}).lines();
    const auto t1 = QString::fromStdString(events[0]["timestamp"].get<std::string>());
    const auto at = runCli(
        {QStringLiteral("state"), m_store, QStringLiteral("--stream"), id, QStringLiteral("--at"), t1});
    RUN_OK(at);
    QCOMPARE(at.json(), v1.json());
}

void TestCli::stateErrors_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("no stream option") << QStringList() << 2 << QStringLiteral("--stream is required");
    QTest::newRow("unknown stream") << QStringList {QStringLiteral("--stream"), QStringLiteral("cart-999999")}
                                    << 1 << QStringLiteral("no stream 'cart-999999'");
    QTest::newRow("beyond the end") << QStringList {QStringLiteral("--stream"), QStringLiteral("cart-1"),
        QStringLiteral("--version"), QStringLiteral("100000")}
                                    << 1 << QStringLiteral("beyond the end of stream 'cart-1'");
    QTest::newRow("negative") << QStringList {QStringLiteral("--stream"), QStringLiteral("cart-1"),
        QStringLiteral("--version"), QStringLiteral("-1")}
                              << 1 << QStringLiteral("cannot be negative");
    QTest::newRow("bad at") << QStringList {QStringLiteral("--stream"), QStringLiteral("cart-1"),
        QStringLiteral("--at"), QStringLiteral("2026-13-45")}
                            << 2 << QStringLiteral("--at '2026-13-45' is not an ISO-8601");
    QTest::newRow("version and at") << QStringList {QStringLiteral("--stream"), QStringLiteral("cart-1"),
        QStringLiteral("--version"), QStringLiteral("1"), QStringLiteral("--at"),
        QStringLiteral("2026-01-05T10:00:00Z")}
                                    << 2 << QStringLiteral("cannot be used together");
}

void TestCli::stateErrors()
{
    QFETCH(QStringList, options);
    QFETCH(int, code);
    QFETCH(QString, message);
    const auto r = runCli(QStringList {QStringLiteral("state"), m_store} + options);
    QCOMPARE(r.code, code);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
}

void TestCli::stateNamesTheEventItsReducerRefuses()
{
    // README's kind of append: a type the cart's reducer does not know, on a copy of the store.
    const auto store = path(QStringLiteral("noted.db"));
    QFile::remove(store);
    QVERIFY(QFile::copy(m_store, store));
    QFile::setPermissions(store, QFile::ReadOwner | QFile::WriteOwner);
    const auto appended = runCli({QStringLiteral("append"), store, QStringLiteral("--stream"),
        QStringLiteral("cart-1"), QStringLiteral("--type"), QStringLiteral("NoteAdded"),
        QStringLiteral("--data"), QStringLiteral(R"({"text":"hi"})")});
    QCOMPARE(appended.code, 0);
    const qint64 version = nlohmann::json::parse(appended.out.toStdString())["version"].get<qint64>();
    for (const QString& command :
        {QStringLiteral("state"), QStringLiteral("diff"), QStringLiteral("history")}) {
        QStringList args {command, store, QStringLiteral("--stream"), QStringLiteral("cart-1")};
        if (command == QLatin1String("diff"))
            args << QStringLiteral("--from") << QStringLiteral("1") << QStringLiteral("--to")
                 << QString::number(version);
        if (command == QLatin1String("history"))
            args << QStringLiteral("--path") << QStringLiteral("/status");
        const auto refused = runCli(args);
        QCOMPARE(refused.code, 1);
        const QString err = QString::fromUtf8(refused.err);
        QVERIFY2(err.contains(QStringLiteral("stream 'cart-1' version %1 (type 'NoteAdded'").arg(version)),
            qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("the cart reducer does not know event type 'NoteAdded'")),
            qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("--skip %1 replays without that event").arg(version)),
            qPrintable(err));
        // As it says: skipped, the state is there again.
        const auto skipped = runCli(args << QStringLiteral("--skip") << QString::number(version));
        QVERIFY2(skipped.code == 0, skipped.err.constData());
    }
}

void TestCli::appendCreatesAndChecksVersions()
{
    const auto store = path(QStringLiteral("appended.db"));
    const QStringList base {QStringLiteral("append"), store, QStringLiteral("--stream"),
        QStringLiteral("account-7"), QStringLiteral("--type"), QStringLiteral("Deposited")};
    // The store must exist unless --create.
    const auto missing = runCli(base + QStringList {QStringLiteral("--data"), QStringLiteral("{}")});
    QCOMPARE(missing.code, 1);
    QVERIFY(missing.err.contains("no such file"));
    QVERIFY(!QFile::exists(store));

    const auto first = runCli(base
        + QStringList {QStringLiteral("--data"),
            QStringLiteral(R"({"amount":123456789012345678901234567890})"), QStringLiteral("--metadata"),
            QStringLiteral(R"({"user":"zoë"})"), QStringLiteral("--expected"), QStringLiteral("no-stream"),
            QStringLiteral("--create")});
    RUN_OK(first);
    QCOMPARE(first.json()["position"], 1);
    QCOMPARE(first.json()["version"], 1);
    const auto second = runCli(base
        + QStringList {QStringLiteral("--data"), QStringLiteral(R"({"amount":5})"),
            QStringLiteral("--expected"), QStringLiteral("1")});
    RUN_OK(second);
    QCOMPARE(second.json()["position"], 2);
    QCOMPARE(second.json()["version"], 2);
    const auto third = runCli(base
        + QStringList {QStringLiteral("--data"), QStringLiteral("[]"), QStringLiteral("--expected"),
            QStringLiteral("exists")});
    RUN_OK(third);

    // Read back: raw payload bytes are kept, metadata too.
    const auto events = runCli({QStringLiteral("events"), store});
    RUN_OK(events);
    QVERIFY(
        events.out.contains(R"("data":{"amount":123456789012345678901234567890},"metadata":{"user":"zoë"})"));
    QCOMPARE(events.lines().size(), std::size_t(3));
    const auto state
        = runCli({QStringLiteral("state"), store, QStringLiteral("--stream"), QStringLiteral("account-7")});
    RUN_OK(state);
    QCOMPARE(state.json()["version"], 3);
    QCOMPARE(state.json()["events"], 3);
    const auto info = runCli({QStringLiteral("info"), store}).json();
    QCOMPARE(info["events"], 3);
    QCOMPARE(info["types"]["Deposited"], 3);
}

void TestCli::badInputLeavesStoreUnchanged_data()
{
    QTest::addColumn<QString>("storeKind");
    QTest::addColumn<QStringList>("arguments"); // STORE is inserted after the command
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    const QStringList cmd {QStringLiteral("append")};
    const QStringList ok {QStringLiteral("--stream"), QStringLiteral("cart-1"), QStringLiteral("--type"),
        QStringLiteral("Noted")};
    const auto with = [&](const QStringList& more) { return ok + more; };
    const QString data = QStringLiteral("--data");

    QTest::newRow("not sqlite: info")
        << "text" << QStringList {QStringLiteral("info")} << 1 << QStringLiteral("is not an event store");
    QTest::newRow("not sqlite: append")
        << "text" << cmd + with({data, QStringLiteral("{}")}) << 1 << QStringLiteral("is not an event store");
    QTest::newRow("other schema: info")
        << "othersqlite" << QStringList {QStringLiteral("info")} << 1 << QStringLiteral("customers");
    QTest::newRow("other schema: append")
        << "othersqlite" << cmd + with({data, QStringLiteral("{}")}) << 1 << QStringLiteral("customers");
    QTest::newRow("empty stream") << "native"
                                  << cmd
            + QStringList {QStringLiteral("--stream"), QString(), QStringLiteral("--type"),
                QStringLiteral("T"), data, QStringLiteral("{}")}
                                  << 2 << QStringLiteral("--stream is empty");
    QTest::newRow("empty type") << "native"
                                << cmd
            + QStringList {QStringLiteral("--stream"), QStringLiteral("cart-1"), QStringLiteral("--type"),
                QStringLiteral(" "), data, QStringLiteral("{}")}
                                << 2 << QStringLiteral("--type is empty");
    QTest::newRow("missing data") << "native" << cmd + ok << 2 << QStringLiteral("--data is required");
    QTest::newRow("invalid data") << "native" << cmd + with({data, QStringLiteral("{\"a\":")}) << 1
                                  << QStringLiteral("--data is not valid JSON");
    QTest::newRow("invalid metadata")
        << "native"
        << cmd + with({data, QStringLiteral("{}"), QStringLiteral("--metadata"), QStringLiteral("{oops}")})
        << 1 << QStringLiteral("--metadata is not valid JSON");
    QTest::newRow("metadata not an object")
        << "native"
        << cmd + with({data, QStringLiteral("{}"), QStringLiteral("--metadata"), QStringLiteral("[1]")}) << 1
        << QStringLiteral("--metadata must be a JSON object");
    QTest::newRow("unknown expected")
        << "native"
        << cmd + with({data, QStringLiteral("{}"), QStringLiteral("--expected"), QStringLiteral("sometimes")})
        << 2 << QStringLiteral("--expected 'sometimes'");
    QTest::newRow("wrong expected version")
        << "native"
        << cmd + with({data, QStringLiteral("{}"), QStringLiteral("--expected"), QStringLiteral("1")}) << 3
        << QStringLiteral("stream 'cart-1': expected 1, actual 3");
    QTest::newRow("no-stream on existing")
        << "native"
        << cmd + with({data, QStringLiteral("{}"), QStringLiteral("--expected"), QStringLiteral("no-stream")})
        << 3 << QStringLiteral("stream 'cart-1': expected no-stream");
    QTest::newRow("jsonl store append")
        << "jsonl" << cmd + with({data, QStringLiteral("{}")}) << 1 << QStringLiteral("read-only");
    QTest::newRow("sample over existing") << "native" << QStringList {QStringLiteral("sample")} << 1
                                          << QStringLiteral("already exists; use --force");
}

void TestCli::badInputLeavesStoreUnchanged()
{
    QFETCH(QString, storeKind);
    QFETCH(QStringList, arguments);
    QFETCH(int, code);
    QFETCH(QString, message);

    QTemporaryDir dir;
    const auto store = dir.filePath(QStringLiteral("store"));
    if (storeKind == QLatin1String("text")) {
        QVERIFY(writeFile(store, "hello, I am not an event store\n"));
    } else if (storeKind == QLatin1String("othersqlite")) {
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other"));
            db.setDatabaseName(store);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO customers(name) VALUES('Ada')")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("other"));
    } else {
        // A native store whose stream cart-1 is at version 3, or the same as JSON Lines.
        const auto native = dir.filePath(QStringLiteral("native.db"));
        for (int i = 0; i < 3; ++i)
            RUN_OK(runCli({QStringLiteral("append"), native, QStringLiteral("--stream"),
                QStringLiteral("cart-1"), QStringLiteral("--type"), QStringLiteral("T"),
                QStringLiteral("--data"), QString::number(i), QStringLiteral("--create")}));
        if (storeKind == QLatin1String("jsonl"))
            RUN_OK(runCli({QStringLiteral("export"), native, store}));
        else
            QVERIFY(QFile::rename(native, store));
    }
    const auto before = fileHash(store);
    const auto r = runCli(QStringList {arguments.first(), store} + arguments.mid(1));
    QCOMPARE(r.code, code);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    QCOMPARE(fileHash(store), before);
    QVERIFY(!QFile::exists(store + QLatin1String("-journal")));
}

void TestCli::readOnlyFileIsRefused()
{
    QTemporaryDir dir;
    const auto store = dir.filePath(QStringLiteral("locked.db"));
    RUN_OK(runCli({QStringLiteral("append"), store, QStringLiteral("--stream"), QStringLiteral("a-1"),
        QStringLiteral("--type"), QStringLiteral("T"), QStringLiteral("--data"), QStringLiteral("1"),
        QStringLiteral("--create")}));
    QVERIFY(QFile::setPermissions(
        store, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    const auto before = fileHash(store);
    // Refused even for root, who could write the file anyway.
    const auto r = runCli({QStringLiteral("append"), store, QStringLiteral("--stream"), QStringLiteral("a-1"),
        QStringLiteral("--type"), QStringLiteral("T"), QStringLiteral("--data"), QStringLiteral("2")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("read-only"), r.err.constData());
    QCOMPARE(fileHash(store), before);
    // Reading still works.
    const auto info = runCli({QStringLiteral("info"), store});
    RUN_OK(info);
    QCOMPARE(info.json()["events"], 1);
    QCOMPARE(fileHash(store), before);
    QFile::setPermissions(store, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void TestCli::quotesAndSemicolonsInStreamId()
{
    QTemporaryDir dir;
    const auto store = dir.filePath(QStringLiteral("q.db"));
    const auto id = QStringLiteral(R"(ledger-"x';DROP TABLE events;--\"")");
    RUN_OK(runCli({QStringLiteral("append"), store, QStringLiteral("--stream"), id, QStringLiteral("--type"),
        QStringLiteral("Odd;\"Type'"), QStringLiteral("--data"), QStringLiteral(R"({"k":"v;'\""})"),
        QStringLiteral("--create")}));
    RUN_OK(runCli({QStringLiteral("append"), store, QStringLiteral("--stream"), id, QStringLiteral("--type"),
        QStringLiteral("T"), QStringLiteral("--data"), QStringLiteral("2"), QStringLiteral("--expected"),
        QStringLiteral("1")}));
    const auto streams = runCli({QStringLiteral("streams"), store}).json();
    QCOMPARE(streams.size(), std::size_t(1));
    QCOMPARE(streams[0]["stream"].get<std::string>(), id.toStdString());
    QCOMPARE(streams[0]["category"], "ledger");
    const auto events = runCli({QStringLiteral("events"), store, QStringLiteral("--stream"), id}).lines();
    QCOMPARE(events.size(), std::size_t(2));
    QCOMPARE(events[0]["type"], "Odd;\"Type'");
    QCOMPARE(events[0]["data"]["k"], "v;'\"");

    // Round trip through JSON Lines.
    const auto exported = dir.filePath(QStringLiteral("q.jsonl"));
    RUN_OK(runCli({QStringLiteral("export"), store, exported}));
    const auto copy = dir.filePath(QStringLiteral("copy.db"));
    RUN_OK(runCli({QStringLiteral("import"), exported, copy}));
    const auto again = runCli({QStringLiteral("events"), copy, QStringLiteral("--stream"), id}).lines();
    QCOMPARE(again, events);
    RUN_OK(runCli({QStringLiteral("state"), copy, QStringLiteral("--stream"), id}));
}

void TestCli::formatIsDetectedByContent()
{
    QTemporaryDir dir;
    // A native store named like a JSON Lines file...
    const auto native = dir.filePath(QStringLiteral("x.jsonl"));
    RUN_OK(runCli({QStringLiteral("export"), m_store, dir.filePath(QStringLiteral("tmp.jsonl"))}));
    RUN_OK(runCli({QStringLiteral("import"), dir.filePath(QStringLiteral("tmp.jsonl")), native}));
    const auto nativeInfo = runCli({QStringLiteral("info"), native});
    RUN_OK(nativeInfo);
    QCOMPARE(nativeInfo.json()["format"], "chronoscope-sqlite");

    // ... and a JSON Lines file named like a database.
    const auto jsonl = dir.filePath(QStringLiteral("y.db"));
    RUN_OK(runCli({QStringLiteral("export"), native, jsonl}));
    QVERIFY(readFile(jsonl).startsWith("{\"position\":1,"));
    const auto jsonlInfo = runCli({QStringLiteral("info"), jsonl});
    RUN_OK(jsonlInfo);
    QCOMPARE(jsonlInfo.json()["format"], "jsonl");
    QCOMPARE(jsonlInfo.json()["events"], nativeInfo.json()["events"]);
    QCOMPARE(jsonlInfo.json()["types"], nativeInfo.json()["types"]);
    QCOMPARE(runCli({QStringLiteral("events"), jsonl}).out, runCli({QStringLiteral("events"), native}).out);
    QCOMPARE(runCli({QStringLiteral("streams"), jsonl}).json(),
        runCli({QStringLiteral("streams"), native}).json());
}

void TestCli::importExportRoundTrip()
{
    QTemporaryDir dir;
    const auto a = dir.filePath(QStringLiteral("a.jsonl"));
    const auto b = dir.filePath(QStringLiteral("b.jsonl"));
    const auto copy = dir.filePath(QStringLiteral("copy.db"));
    const auto exported = runCli({QStringLiteral("export"), m_store, a});
    RUN_OK(exported);
    const auto info = runCli({QStringLiteral("info"), m_store}).json();
    QCOMPARE(exported.json()["exported"], info["events"]);
    const auto imported = runCli({QStringLiteral("import"), a, copy});
    RUN_OK(imported);
    QCOMPARE(imported.json()["imported"], info["events"]);
    QCOMPARE(imported.json()["created"], true);
    RUN_OK(runCli({QStringLiteral("export"), copy, b}));
    QCOMPARE(readFile(b), readFile(a));

    // Export never overwrites without --force, and a failed export leaves no file.
    const auto again = runCli({QStringLiteral("export"), m_store, a});
    QCOMPARE(again.code, 1);
    QVERIFY(again.err.contains("--force"));
    RUN_OK(runCli({QStringLiteral("export"), m_store, a, QStringLiteral("--force")}));
    const auto nowhere = dir.filePath(QStringLiteral("no-such-folder/out.jsonl"));
    QCOMPARE(runCli({QStringLiteral("export"), m_store, nowhere}).code, 1);
    QVERIFY(!QFile::exists(nowhere));

    // Importing the same file again into the store fails (positions already taken) and changes nothing.
    const auto before = fileHash(copy);
    const auto twice = runCli({QStringLiteral("import"), a, copy});
    QCOMPARE(twice.code, 1);
    QVERIFY2(twice.err.contains(QByteArray(QFile::encodeName(a) + ":1: ")), twice.err.constData());
    QCOMPARE(fileHash(copy), before);

    // Events without positions/versions are appended after the existing ones.
    const auto more = dir.filePath(QStringLiteral("more.jsonl"));
    QVERIFY(writeFile(more, "{\"stream\":\"cart-1\",\"type\":\"Noted\",\"data\":{\"n\":1}}\n"));
    const auto added = runCli({QStringLiteral("import"), more, copy});
    RUN_OK(added);
    QCOMPARE(added.json()["imported"], 1);
    QCOMPARE(added.json()["lastPosition"], info["lastPosition"].get<qint64>() + 1);
}

void TestCli::failedImportLeavesNoFile()
{
    QTemporaryDir dir;
    const auto bad = dir.filePath(QStringLiteral("bad.jsonl"));
    QVERIFY(writeFile(bad,
        "{\"stream\":\"a-1\",\"type\":\"T\",\"data\":1}\n{\"stream\":\"a-1\",\"type\":\"T\",\"data\":tru}"
        "\n"));
    const auto dest = dir.filePath(QStringLiteral("new.db"));
    const auto r = runCli({QStringLiteral("import"), bad, dest});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QByteArray(QFile::encodeName(bad) + ":2: not valid JSON")), r.err.constData());
    QVERIFY(r.out.isEmpty());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList {QStringLiteral("bad.jsonl")});

    const auto sqliteSource = runCli({QStringLiteral("import"), m_store, dest});
    QCOMPARE(sqliteSource.code, 1);
    QVERIFY(sqliteSource.err.contains("not a JSON Lines file"));
    QVERIFY(!QFile::exists(dest));
}

void TestCli::sampleIsDeterministic()
{
    QTemporaryDir dir;
    QByteArray exports[3];
    const char* seeds[] = {"11", "11", "12"};
    for (int i = 0; i < 3; ++i) {
        const auto store = dir.filePath(QStringLiteral("s%1.db").arg(i));
        const auto r = runCli({QStringLiteral("sample"), store, QStringLiteral("--events"),
            QStringLiteral("300"), QStringLiteral("--seed"), QString::fromLatin1(seeds[i])});
        RUN_OK(r);
        const auto file = dir.filePath(QStringLiteral("s%1.jsonl").arg(i));
        RUN_OK(runCli({QStringLiteral("export"), store, file}));
        exports[i] = readFile(file);
        // `events` prints the same lines as `export` writes.
        QCOMPARE(runCli({QStringLiteral("events"), store}).out, exports[i]);
    }
    QVERIFY(exports[0].count('\n') >= 300);
    QCOMPARE(exports[1], exports[0]);
    QVERIFY(exports[2] != exports[0]);

    // --force replaces an existing store.
    const auto forced = runCli({QStringLiteral("sample"), dir.filePath(QStringLiteral("s0.db")),
        QStringLiteral("--events"), QStringLiteral("50"), QStringLiteral("--force")});
    RUN_OK(forced);
    QCOMPARE(runCli({QStringLiteral("info"), dir.filePath(QStringLiteral("s0.db"))}).json()["events"],
        forced.json()["events"]);
    const auto badCount = runCli({QStringLiteral("sample"), dir.filePath(QStringLiteral("z.db")),
        QStringLiteral("--events"), QStringLiteral("lots")});
    QCOMPARE(badCount.code, 2);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("z.db"))));
}

void TestCli::bundledSampleStore()
{
    const auto r = runCli({QStringLiteral("info"), QStringLiteral(CHRONOSCOPE_SAMPLE_STORE)});
    RUN_OK(r);
    QCOMPARE(r.json()["format"], "chronoscope-sqlite");
    QVERIFY(r.json()["events"].get<qint64>() >= 3000);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
