// Dead-letter queues: the contract on both kinds (memory, SQLite), and the SQLite queue
// living next to the events of a native store without touching them.
#include "base/errors.h"
#include "bus/eventbus.h"
#include "bus/sqlitedeadletters.h"
#include "store/sqlite/sqleventstore.h"
#include "support/testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace chronoscope;

namespace {

RecordedEvent makeEvent(qint64 position, const QString& stream, qint64 version)
{
    return chronoscope::testing::recordedEvent(stream, version, position, QStringLiteral("ItemAdded"),
        R"({"sku":"é-1","qty":2})", 1767225600123, R"({"correlationId":"c-9"})", 2);
}

void compareEvents(const RecordedEvent& a, const RecordedEvent& b)
{
    QCOMPARE(a.position, b.position);
    QCOMPARE(a.stream, b.stream);
    QCOMPARE(a.version, b.version);
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.type, b.type);
    QCOMPARE(a.schemaVersion, b.schemaVersion);
    QCOMPARE(a.timestampMs, b.timestampMs);
    QCOMPARE(a.data, b.data);
    QCOMPARE(a.metadata, b.metadata);
}

/// Every event of a store, as comparable text.
QByteArrayList dump(const EventStore& store)
{
    QByteArrayList out;
    for (const auto& e : store.readAll(std::nullopt, 1000000))
        out.append(QByteArray::number(e.position.value) + ' ' + e.stream.toString().toUtf8() + ' '
            + QByteArray::number(e.version.value) + ' ' + e.id.toByteArray() + ' ' + e.type.toUtf8() + ' '
            + QByteArray::number(e.timestampMs) + ' ' + e.data + ' ' + e.metadata);
    return out;
}

} // namespace

class TestDeadLetters : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<DeadLetterQueue> makeQueue(const QString& kind)
    {
        if (kind == QLatin1String("memory"))
            return std::make_unique<MemoryDeadLetterQueue>();
        const QString path = m_dir->filePath(QStringLiteral("contract.chronoscope"));
        QFile::remove(path);
        {
            SqlEventStore store(path, {.create = true});
        }
        return std::make_unique<SqliteDeadLetterQueue>(path);
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }
    void contract_data();
    void contract();
    void sqliteSurvivesReopenAndLeavesEventsUntouched();
    void sqliteRefusesWhatIsNotAStore();
    void busRetriesPersistedDeadLetterAfterRestart();
};

void TestDeadLetters::contract_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("memory") << QStringLiteral("memory");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
}

void TestDeadLetters::contract()
{
    QFETCH(QString, kind);
    auto queue = makeQueue(kind);
    QCOMPARE(queue->count(), 0);
    QVERIFY(queue->list().empty());
    const RecordedEvent e1 = makeEvent(7, QStringLiteral("cart-1"), 3);
    const RecordedEvent e2 = makeEvent(8, QStringLiteral("cart-2"), 1);

    const DeadLetter a
        = queue->park(e1, QStringLiteral("mailer"), QStringLiteral("smtp down"), 3, 1000, 1200);
    QVERIFY(a.id > 0);
    QCOMPARE(a.attempts, 3);
    compareEvents(a.event, e1);
    const DeadLetter b
        = queue->park(e2, QStringLiteral("mailer"), QStringLiteral("bad address"), 1, 1300, 1300);
    const DeadLetter c
        = queue->park(e1, QStringLiteral("ledger"), QStringLiteral("no account"), 2, 1400, 1500);
    QVERIFY(a.id != b.id && b.id != c.id);
    QCOMPARE(queue->count(), 3);

    // Same handler and event again: one entry, attempts added, error and last failure updated.
    const DeadLetter again
        = queue->park(e1, QStringLiteral("mailer"), QStringLiteral("smtp still down"), 3, 2000, 2100);
    QCOMPARE(again.id, a.id);
    QCOMPARE(again.attempts, 6);
    QCOMPARE(again.error, QStringLiteral("smtp still down"));
    QCOMPARE(again.firstFailureMs, 1000);
    QCOMPARE(again.lastFailureMs, 2100);
    QCOMPARE(queue->count(), 3);

    const auto all = queue->list();
    QCOMPARE(all.size(), std::size_t(3));
    QCOMPARE(all[0].id, a.id);
    QCOMPARE(all[1].id, b.id);
    QCOMPARE(all[2].handler, QStringLiteral("ledger"));
    compareEvents(all[2].event, e1);

    const auto got = queue->get(b.id);
    QVERIFY(got);
    QCOMPARE(got->error, QStringLiteral("bad address"));
    QCOMPARE(got->firstFailureMs, 1300);
    compareEvents(got->event, e2);
    QVERIFY(!queue->get(999));

    const auto failed = queue->recordFailure(b.id, QStringLiteral("still bad"), 5000);
    QVERIFY(failed);
    QCOMPARE(failed->attempts, 2);
    QCOMPARE(failed->error, QStringLiteral("still bad"));
    QCOMPARE(failed->lastFailureMs, 5000);
    QCOMPARE(failed->firstFailureMs, 1300);
    QVERIFY(!queue->recordFailure(999, QStringLiteral("x"), 1));

    QVERIFY(queue->remove(b.id));
    QVERIFY(!queue->remove(b.id));
    QVERIFY(!queue->get(b.id));
    QCOMPARE(queue->count(), 2);
}

void TestDeadLetters::sqliteSurvivesReopenAndLeavesEventsUntouched()
{
    const QString path = m_dir->filePath(QStringLiteral("store.chronoscope"));
    QByteArrayList before;
    RecordedEvent stored;
    {
        SqlEventStore store(path, {.create = true});
        store.append(StreamId(QStringLiteral("cart-1")),
            {EventData {QStringLiteral("CartOpened"), R"({"a":1})", R"({"correlationId":"k"})", {}, 1, 1000},
                EventData {QStringLiteral("ItemAdded"), R"({"b":2})", {}, {}, 1, 2000}},
            ExpectedVersion::noStream());
        before = dump(store);
        stored = store.readAll(std::nullopt, 1).front();
    }
    qint64 id = 0;
    {
        SqliteDeadLetterQueue queue(path);
        id = queue.park(stored, QStringLiteral("mailer"), QStringLiteral("smtp down"), 3, 10, 20).id;
        queue.recordFailure(id, QStringLiteral("smtp down again"), 30);
        const RecordedEvent other = makeEvent(2, QStringLiteral("cart-1"), 2);
        queue.remove(queue.park(other, QStringLiteral("mailer"), QStringLiteral("x"), 1, 1, 1).id);
    }
    SqlEventStore reopened(path);
    QCOMPARE(dump(reopened), before);
    QCOMPARE(reopened.summary().events, 2);
    SqliteDeadLetterQueue queue(path);
    const auto entries = queue.list();
    QCOMPARE(entries.size(), std::size_t(1));
    QCOMPARE(entries[0].id, id);
    QCOMPARE(entries[0].attempts, 4);
    QCOMPARE(entries[0].error, QStringLiteral("smtp down again"));
    QCOMPARE(entries[0].firstFailureMs, 10);
    QCOMPARE(entries[0].lastFailureMs, 30);
    compareEvents(entries[0].event, stored);
    // The store still takes appends, with the dead letters in the same file.
    reopened.append(StreamId(QStringLiteral("cart-1")),
        {EventData {QStringLiteral("CartClosed"), "{}", {}, {}, 1, {}}}, ExpectedVersion::exact(Version(2)));
    QCOMPARE(reopened.summary().events, 3);
}

void TestDeadLetters::sqliteRefusesWhatIsNotAStore()
{
    QVERIFY_THROWS_EXCEPTION(
        OpenError, SqliteDeadLetterQueue(m_dir->filePath(QStringLiteral("missing.chronoscope"))));
    const QString text = m_dir->filePath(QStringLiteral("notes.txt"));
    {
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a database, just some words that are long enough to be a header....................");
    }
    try {
        SqliteDeadLetterQueue queue(text);
        QFAIL("a text file was accepted");
    } catch (const OpenError& e) {
        QVERIFY2(e.message().contains(text), qPrintable(e.message()));
    }
    QFile f(text);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().startsWith("not a database")); // unchanged
}

void TestDeadLetters::busRetriesPersistedDeadLetterAfterRestart()
{
    const QString path = m_dir->filePath(QStringLiteral("bus.chronoscope"));
    RecordedEvent event;
    {
        SqlEventStore store(path, {.create = true});
        store.append(StreamId(QStringLiteral("order-1")),
            {EventData {QStringLiteral("OrderPlaced"), "{}", {}, {}, 1, {}}}, ExpectedVersion::any());
        event = store.readAll(std::nullopt, 1).front();
        EventBus bus;
        bus.setDeadLetterQueue(std::make_shared<SqliteDeadLetterQueue>(path));
        bus.subscribe(
            QStringLiteral("invoicer"), BusSelector::type(QStringLiteral("OrderPlaced")),
            [](const RecordedEvent&) { throw InvalidInput(QStringLiteral("tax table missing")); },
            DeliveryMode::Synchronous, RetryPolicy {2, 0, 1.0});
        bus.publish(event);
        QCOMPARE(bus.deadLetters().count(), 1);
    }
    // A new program run: the dead letter is still there and can be delivered once fixed.
    EventBus bus;
    bus.setDeadLetterQueue(std::make_shared<SqliteDeadLetterQueue>(path));
    int applied = 0;
    bus.subscribe(QStringLiteral("invoicer"), BusSelector::type(QStringLiteral("OrderPlaced")),
        [&](const RecordedEvent& e) {
            QCOMPARE(e.id, event.id);
            ++applied;
        });
    const auto entries = bus.deadLetters().list();
    QCOMPARE(entries.size(), std::size_t(1));
    QCOMPARE(entries[0].error, QStringLiteral("tax table missing"));
    QCOMPARE(entries[0].attempts, 2);
    QVERIFY(bus.retryDeadLetter(entries[0].id));
    QCOMPARE(applied, 1);
    QCOMPARE(bus.deadLetters().count(), 0);
    SqlEventStore store(path);
    QCOMPARE(store.summary().events, 1);
}

QTEST_GUILESS_MAIN(TestDeadLetters)
#include "tst_deadletters.moc"
