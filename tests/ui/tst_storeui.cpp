// The window and foreign stores, offscreen: the PostgreSQL connect dialog and its recent entry
// (never a password), a refused connection, upcasters in the inspector (raw beside upcast, a
// throwing upcaster), the schema panel (model, validation, an invalid schema), the format and
// read-only badges, and the stream list after a publish.
#include "bus/buscontroller.h"
#include "bus/publishdialog.h"
#include "schema/schemalistmodel.h"
#include "schema/schemapanel.h"
#include "store/postgres/pglocation.h"
#include "store/storefactory.h"
#include "streams/categorytreemodel.h"
#include "streams/eventinspector.h"
#include "streams/eventtablemodel.h"
#include "streams/streambrowser.h"
#include "timetravel/changehighlightproxy.h"
#include "upcast/upcastingeventstore.h"
#include "upcast/upcastview.h"
#include "widgets/jsonedit.h"
#include "widgets/jsontreemodel.h"
#include "window/mainwindow.h"
#include "window/pgconnectdialog.h"
#include "window/recentfiles.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMap>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace chronoscope;

class TestStoreUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void connectDialogBuildsUrl_data();
    void connectDialogBuildsUrl();
    void recentEntryHasNoPassword();
    void recentPostgresEntryAsksForPassword();
    void refusedConnectionKeepsStoreOpen();
    void refusedConnectionFromDialogShowsError();
    void silentServerCanBeCancelled();
    void badgesShowFormatAndMode();
    void ruleUpcasterShowsRawAndUpcast();
    void throwingUpcasterKeepsWindowWorking();
    void badUpcasterFileIsReported();
    void schemaListModel();
    void validationListsPointer();
    void invalidSchemaIsReported();
    void streamListRefreshedAfterPublish();
    void publishDialogChecksSchemas();
    void postgresServerWhenAvailable();
    void foreignStoreListsItsStreamsFromASummary();

private:
    QString writeFile(const QString& name, const QByteArray& content);
    // A native store with two carts: cart-1 (ItemAdded v1 x2), cart-2 (ItemAdded v1, CartOpened v2).
    QString makeStore(const QString& name = QStringLiteral("shop.chronoscope"));
    bool selectEvent(const StreamId& stream, int row);

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestStoreUi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_storeui"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    qputenv(
        "XDG_CACHE_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("cache")))); // summaries go here
}

void TestStoreUi::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestStoreUi::cleanup()
{
    m_window.reset();
}

QString TestStoreUi::writeFile(const QString& name, const QByteArray& content)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(content);
    return path;
}

QString TestStoreUi::makeStore(const QString& name)
{
    const QString path = m_dir.filePath(name);
    QFile::remove(path);
    auto store = createSqliteStore(path);
    const auto event = [](const char* type, const char* data, int schema = 1) {
        EventData e;
        e.type = QString::fromLatin1(type);
        e.data = QByteArray(data);
        e.schemaVersion = schema;
        return e;
    };
    store->append(StreamId(QStringLiteral("cart-1")),
        {event("ItemAdded", R"({"sku":"KTL01","qty":2,"price":12.5})"),
            event("ItemAdded", R"({"sku":"MUG02","qty":"three","price":4})")},
        ExpectedVersion::noStream());
    store->append(StreamId(QStringLiteral("cart-2")),
        {event("ItemAdded", R"({"sku":"KTL01","qty":1,"price":12.5})"),
            event("CartOpened", R"({"cartId":"cart-2"})", 2)},
        ExpectedVersion::noStream());
    return path;
}

bool TestStoreUi::selectEvent(const StreamId& stream, int row)
{
    if (!m_window->selectStream(stream))
        return false;
    auto* model = m_window->eventModel();
    while (model->rowCount() <= row && model->canFetchMore({}))
        model->fetchMore({});
    if (model->rowCount() <= row)
        return false;
    m_window->eventView()->selectRow(row);
    return m_window->inspector()->event().has_value();
}

void TestStoreUi::connectDialogBuildsUrl_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("withoutPassword");
    QTest::newRow("plain") << "ana"
                           << ""
                           << ""
                           << "postgresql://ana@db.example:5433/shop"
                           << "postgresql://ana@db.example:5433/shop";
    QTest::newRow("password") << "ana"
                              << "s3cret"
                              << ""
                              << "postgresql://ana:s3cret@db.example:5433/shop"
                              << "postgresql://ana@db.example:5433/shop";
    QTest::newRow("schema") << "ana"
                            << "pw"
                            << "events"
                            << "postgresql://ana:pw@db.example:5433/shop?schema=events"
                            << "postgresql://ana@db.example:5433/shop?schema=events";
    QTest::newRow("public schema is the default") << "ana"
                                                  << ""
                                                  << "public"
                                                  << "postgresql://ana@db.example:5433/shop"
                                                  << "postgresql://ana@db.example:5433/shop";
    QTest::newRow("characters to encode") << "a@b"
                                          << "p@ss:w/rd?"
                                          << ""
                                          << "postgresql://a%40b:p%40ss:w%2Frd%3F@db.example:5433/shop"
                                          << "postgresql://a%40b@db.example:5433/shop";
}

void TestStoreUi::connectDialogBuildsUrl()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, schema);
    QFETCH(QString, url);
    QFETCH(QString, withoutPassword);

    PgConnectDialog dialog;
    dialog.hostEdit()->setText(QStringLiteral("db.example"));
    dialog.portBox()->setValue(5433);
    dialog.databaseEdit()->setText(QStringLiteral("shop"));
    dialog.userEdit()->setText(user);
    dialog.schemaEdit()->setText(schema);
    dialog.passwordEdit()->setText(password);
    QCOMPARE(dialog.passwordEdit()->echoMode(), QLineEdit::Password);
    QCOMPARE(dialog.url(), url);
    QCOMPARE(dialog.urlWithoutPassword(), withoutPassword);
    QCOMPARE(pgUrlWithoutPassword(url), withoutPassword);

    // The URL parses back to what was typed.
    const auto location = parsePgUrl(dialog.url());
    QCOMPARE(location.user, user);
    QCOMPARE(location.password, password);
    QCOMPARE(location.host, QStringLiteral("db.example"));
    QCOMPARE(location.port, 5433);
    QCOMPARE(location.database, QStringLiteral("shop"));
    QCOMPARE(location.schema, schema.isEmpty() ? QStringLiteral("public") : schema);
    const auto fields = pgConnectFields(url);
    QVERIFY(fields);
    QCOMPARE(fields->password, password);
}

void TestStoreUi::recentEntryHasNoPassword()
{
    RecentFiles recent;
    recent.clear();
    recent.add(QStringLiteral("postgresql://ana:s3cret@db.example:5433/shop?schema=events"));
    QCOMPARE(recent.files().front(), QStringLiteral("postgresql://ana@db.example:5433/shop?schema=events"));
    QSettings settings;
    settings.sync();
    QFile ini(settings.fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains("s3cret"));
    recent.clear();
}

void TestStoreUi::recentPostgresEntryAsksForPassword()
{
    Q_EMIT m_window->recentFiles()->fileTriggered(
        QStringLiteral("postgresql://ana@db.example:5433/shop?schema=events"));
    PgConnectDialog* dialog = m_window->connectDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->hostEdit()->text(), QStringLiteral("db.example"));
    QCOMPARE(dialog->portBox()->value(), 5433);
    QCOMPARE(dialog->databaseEdit()->text(), QStringLiteral("shop"));
    QCOMPARE(dialog->userEdit()->text(), QStringLiteral("ana"));
    QCOMPARE(dialog->schemaEdit()->text(), QStringLiteral("events"));
    QVERIFY(dialog->passwordEdit()->text().isEmpty());
    dialog->reject();
}

void TestStoreUi::refusedConnectionKeepsStoreOpen()
{
    const QString path = makeStore();
    QVERIFY2(m_window->openFile(path), qPrintable(m_window->lastError()));
    QSignalSpy errors(m_window.get(), &MainWindow::errorOccurred);
    // Port 1: nothing listens, the connection is refused at once.
    QVERIFY(!m_window->openFile(QStringLiteral("postgresql://ana:s3cret@127.0.0.1:1/shop")));
    QCOMPARE(errors.count(), 1);
    const QString error = m_window->lastError();
    QVERIFY2(error.contains(QStringLiteral("127.0.0.1")), qPrintable(error));
    QVERIFY2(!error.contains(QStringLiteral("s3cret")), qPrintable(error));
    QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("127.0.0.1")));
    // The store that was open stays open and usable.
    QCOMPARE(m_window->storePath(), path);
    QVERIFY(m_window->store());
    QVERIFY(m_window->selectStream(StreamId(QStringLiteral("cart-2"))));
    QTRY_COMPARE(m_window->eventModel()->rowCount(), 2);
    for (const QString& entry : m_window->recentFiles()->files())
        QVERIFY(!entry.contains(QStringLiteral("s3cret")));
}

void TestStoreUi::refusedConnectionFromDialogShowsError()
{
    const QString path = makeStore();
    QVERIFY(m_window->openFile(path));
    PgConnectDialog* dialog = m_window->showConnectDialog();
    QVERIFY(dialog->isVisible());
    dialog->hostEdit()->setText(QStringLiteral("127.0.0.1"));
    dialog->portBox()->setValue(1);
    dialog->databaseEdit()->setText(QStringLiteral("shop"));
    dialog->userEdit()->setText(QStringLiteral("ana"));
    dialog->passwordEdit()->setText(QStringLiteral("s3cret"));
    dialog->accept();
    // The dialog comes back with the error; the fields stay, the password does not.
    QTRY_VERIFY(dialog->isVisible());
    QVERIFY(!m_window->lastError().isEmpty());
    const auto message = dialog->findChildren<QLabel*>();
    bool shown = false;
    for (const QLabel* label : message)
        shown = shown || (label->isVisible() && label->text().contains(QStringLiteral("127.0.0.1:1")));
    QVERIFY2(shown, qPrintable(m_window->lastError()));
    QCOMPARE(dialog->hostEdit()->text(), QStringLiteral("127.0.0.1"));
    QVERIFY(dialog->passwordEdit()->text().isEmpty());
    QCOMPARE(m_window->storePath(), path);
    dialog->reject();
}

void TestStoreUi::silentServerCanBeCancelled()
{
    const QString path = makeStore();
    QVERIFY2(m_window->openFile(path), qPrintable(m_window->lastError()));
    // A server that takes the connection and never answers: libpq would wait for its
    // connect timeout (10 s) while the window must stay usable and cancellable.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(listener >= 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    QCOMPARE(::listen(listener, 4), 0);
    socklen_t length = sizeof address;
    QCOMPARE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
    const int port = ntohs(address.sin_port);

    bool progressShown = false;
    int ticks = 0; // the GUI thread's event loop keeps running meanwhile
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
    ticker.start(50);
    QTimer::singleShot(1000, this, [&] {
        QProgressDialog* progress = m_window->connectProgress();
        progressShown = progress && progress->isVisible();
        if (auto* cancel = progress ? progress->findChild<QPushButton*>() : nullptr)
            cancel->click(); // as the user would
    });
    QElapsedTimer clock;
    clock.start();
    QVERIFY(!m_window->openFile(QStringLiteral("postgresql://ana:s3cret@127.0.0.1:%1/shop").arg(port)));
    const qint64 waited = clock.elapsed();
    ::close(listener); // the abandoned attempt gets a reset and ends
    QVERIFY2(waited < 5000, qPrintable(QString::number(waited)));
    QVERIFY(progressShown);
    QVERIFY2(ticks >= 10, qPrintable(QString::number(ticks)));
    QVERIFY2(m_window->lastError().contains(QStringLiteral("cancelled")), qPrintable(m_window->lastError()));
    QVERIFY(!m_window->lastError().contains(QStringLiteral("s3cret")));
    QCOMPARE(m_window->storePath(), path); // the store that was open stays open
    QVERIFY(m_window->store());
}

void TestStoreUi::badgesShowFormatAndMode()
{
    const auto* format = m_window->findChild<QLabel*>(QStringLiteral("formatBadge"));
    const auto* mode = m_window->findChild<QLabel*>(QStringLiteral("modeBadge"));
    QVERIFY(format && mode);
    QCOMPARE(format->text(), QStringLiteral("No store"));

    QVERIFY(m_window->openFile(makeStore()));
    QCOMPARE(format->text(), QStringLiteral("chronoscope-sqlite"));
    QVERIFY(format->toolTip().contains(QStringLiteral("Chronoscope SQLite")));
    QCOMPARE(mode->text(), QStringLiteral("Read-write"));
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("shop.chronoscope")));

    const QString jsonl = writeFile(QStringLiteral("shop.jsonl"),
        R"({"stream":"cart-1","type":"ItemAdded","data":{"sku":"A"}})"
        "\n");
    QVERIFY2(m_window->openFile(jsonl), qPrintable(m_window->lastError()));
    QCOMPARE(format->text(), QStringLiteral("jsonl"));
    QCOMPARE(mode->text(), QStringLiteral("Read-only"));
    QVERIFY(!mode->styleSheet().isEmpty());
}

void TestStoreUi::ruleUpcasterShowsRawAndUpcast()
{
    QVERIFY(m_window->openFile(makeStore()));
    QVERIFY(selectEvent(StreamId(QStringLiteral("cart-1")), 0));
    UpcastView* view = m_window->inspector()->upcastView();
    QVERIFY(view->placeholderText().contains(QStringLiteral("No upcasters")));

    const QString rules
        = writeFile(QStringLiteral("rules.json"), R"([{"type": "ItemAdded", "from": 1, "to": 2, "ops": [
        {"op": "rename", "from": "/qty", "to": "/quantity"},
        {"op": "move", "from": "/price", "to": "/pricing/amount"},
        {"op": "add", "path": "/pricing/currency", "default": "EUR"}]}])");
    QVERIFY2(m_window->loadUpcasters({rules}), qPrintable(m_window->lastError()));
    QVERIFY(m_window->upcastingStore());
    QCOMPARE(m_window->upcasterFiles().size(), 1);
    // The selection is kept: same stream, same event.
    QVERIFY(m_window->inspector()->event());
    QCOMPARE(m_window->inspector()->event()->stream, StreamId(QStringLiteral("cart-1")));
    QCOMPARE(m_window->inspector()->tabs()->currentIndex(), int(EventInspector::UpcastTab));

    // The table and inspector read upcast events; the raw/upcast view shows both payloads.
    QCOMPARE(m_window->inspector()->event()->schemaVersion, 2);
    QVERIFY(view->outcome());
    QVERIFY(view->outcome()->changed());
    QVERIFY(view->rawModel()->indexForPointer(QStringLiteral("/qty")).isValid());
    QVERIFY(!view->rawModel()->indexForPointer(QStringLiteral("/quantity")).isValid());
    QVERIFY(view->upcastModel()->indexForPointer(QStringLiteral("/quantity")).isValid());
    QVERIFY(view->upcastModel()->indexForPointer(QStringLiteral("/pricing/currency")).isValid());
    QVERIFY(!view->upcastModel()->indexForPointer(QStringLiteral("/qty")).isValid());
    QVERIFY2(view->summaryText().contains(QStringLiteral("v1 \u2192 v2")), qPrintable(view->summaryText()));
    QVERIFY2(view->summaryText().contains(QStringLiteral("rules.json")), qPrintable(view->summaryText()));
    QCOMPARE(view->upcastHighlight()->changeAt(QStringLiteral("/quantity")), QStringLiteral("add"));
    QCOMPARE(view->rawHighlight()->changeAt(QStringLiteral("/qty")), QStringLiteral("remove"));
    QVERIFY(view->errorText().isEmpty());
    QVERIFY(
        m_window->inspector()->tabs()->tabText(EventInspector::UpcastTab).contains(QStringLiteral("\u2022")));
    const auto* badge = m_window->findChild<QLabel*>(QStringLiteral("upcastBadge"));
    QVERIFY(badge && badge->text().contains(QStringLiteral("rules.json")));

    // An event no step applies to says so.
    QVERIFY(selectEvent(StreamId(QStringLiteral("cart-2")), 1));
    QVERIFY(view->outcome());
    QVERIFY(!view->outcome()->changed());
    QVERIFY(view->summaryText().contains(QStringLiteral("No upcaster applies")));

    // The store itself is never changed; Clear returns to the stored form.
    QCOMPARE(m_window->rawStore()->readAt(Position(1))->schemaVersion, 1);
    m_window->clearUpcasters();
    QVERIFY(!m_window->upcastingStore());
    QVERIFY(m_window->inspector()->event());
    QCOMPARE(m_window->inspector()->event()->schemaVersion, 2); // cart-2 v2 is CartOpened, stored at 2
    QVERIFY(selectEvent(StreamId(QStringLiteral("cart-1")), 0));
    QCOMPARE(m_window->inspector()->event()->schemaVersion, 1);
    QVERIFY(view->placeholderText().contains(QStringLiteral("No upcasters")));
}

void TestStoreUi::throwingUpcasterKeepsWindowWorking()
{
    QVERIFY(m_window->openFile(makeStore()));
    const QString script
        = writeFile(QStringLiteral("upcast.js"), R"(var upcasters = [{ type: 'ItemAdded', from: 1, to: 2 }];
function upcast(event) {
  if (typeof event.data.qty !== 'number')
    throw new Error('qty is not a number: ' + event.data.qty);
  return { sku: event.data.sku, quantity: event.data.qty };
}
)");
    QVERIFY2(m_window->loadUpcasters({script}), qPrintable(m_window->lastError()));
    QVERIFY(m_window->selectStream(StreamId(QStringLiteral("cart-1"))));
    QTRY_COMPARE(m_window->eventModel()->rowCount(), 2); // the failing event is shown as stored
    QTRY_VERIFY(
        m_window->statusBar()->currentMessage().contains(QStringLiteral("upcaster failed"))); // once shown

    m_window->eventView()->selectRow(1);
    UpcastView* view = m_window->inspector()->upcastView();
    QVERIFY(view->outcome());
    QVERIFY2(
        view->errorText().contains(QStringLiteral("qty is not a number")), qPrintable(view->errorText()));
    QVERIFY2(view->errorText().contains(QStringLiteral("upcast.js")), qPrintable(view->errorText()));
    QCOMPARE(m_window->inspector()->event()->schemaVersion, 1);
    QVERIFY(
        m_window->inspector()->tabs()->tabText(EventInspector::UpcastTab).contains(QStringLiteral("\u26a0")));

    // The event before it upcasts; the rest of the window goes on.
    m_window->eventView()->selectRow(0);
    QCOMPARE(m_window->inspector()->event()->schemaVersion, 2);
    QVERIFY(view->errorText().isEmpty());
    QVERIFY(m_window->selectStream(StreamId(QStringLiteral("cart-2"))));
    QTRY_COMPARE(m_window->eventModel()->rowCount(), 2);
    m_window->selectAllStreams();
    QTRY_COMPARE(m_window->eventModel()->rowCount(), 4);
}

void TestStoreUi::badUpcasterFileIsReported()
{
    QVERIFY(m_window->openFile(makeStore()));
    const QString bad
        = writeFile(QStringLiteral("bad.json"), R"([{"type": "ItemAdded", "from": 2, "to": 1, "ops": []}])");
    QSignalSpy errors(m_window.get(), &MainWindow::errorOccurred);
    QVERIFY(!m_window->loadUpcasters({bad}));
    QCOMPARE(errors.count(), 1);
    QVERIFY2(m_window->lastError().contains(QStringLiteral("bad.json")), qPrintable(m_window->lastError()));
    QVERIFY(!m_window->upcastingStore());
    QVERIFY(m_window->selectStream(StreamId(QStringLiteral("cart-1"))));
}

void TestStoreUi::schemaListModel()
{
    QDir(m_dir.path()).mkpath(QStringLiteral("schemas"));
    writeFile(QStringLiteral("schemas/ItemAdded.v1.schema.json"),
        R"({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["sku"],
                  "properties": {"sku": {"type": "string"}, "qty": {"type": "integer", "minimum": 1}}})");
    writeFile(QStringLiteral("schemas/ItemAdded.v2.schema.json"),
        R"({"type": "object", "required": ["sku", "quantity"]})");
    writeFile(
        QStringLiteral("schemas/CartOpened.v2.schema.json"), R"({"type": "object", "required": ["cartId"]})");

    SchemaListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto registry = SchemaRegistry::loadFolder(m_dir.filePath(QStringLiteral("schemas")));
    model.setRegistry(registry);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, SchemaListModel::TypeColumn).data().toString(), QStringLiteral("CartOpened"));
    const int row = model.rowOf(QStringLiteral("ItemAdded"), 1);
    QVERIFY(row >= 0);
    QCOMPARE(model.index(row, SchemaListModel::VersionColumn).data().toInt(), 1);
    QCOMPARE(model.index(row, SchemaListModel::DraftColumn).data().toString(), QStringLiteral("draft 4"));
    QCOMPARE(model.index(row, SchemaListModel::OriginColumn).data().toString(),
        QStringLiteral("ItemAdded.v1.schema.json"));
    model.setRegistry(nullptr);
    QCOMPARE(model.rowCount(), 0);

    // The panel's filter.
    SchemaPanel* panel = m_window->schemaPanel();
    QAbstractItemModelTester proxyTester(
        panel->schemaProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(panel->loadFolder(m_dir.filePath(QStringLiteral("schemas"))));
    QCOMPARE(panel->schemaProxy()->rowCount(), 3);
    panel->filterEdit()->setText(QStringLiteral("itemadded"));
    QCOMPARE(panel->schemaProxy()->rowCount(), 2);
    QVERIFY(panel->selectSchema(QStringLiteral("ItemAdded"), 2));
    QVERIFY(panel->schemaText()->toPlainText().contains(QStringLiteral("quantity")));
}

void TestStoreUi::validationListsPointer()
{
    QDir(m_dir.path()).mkpath(QStringLiteral("schemas2"));
    writeFile(QStringLiteral("schemas2/ItemAdded.v1.schema.json"),
        R"({"type": "object", "required": ["sku"],
                  "properties": {"sku": {"type": "string"}, "qty": {"type": "integer", "minimum": 1}}})");
    QVERIFY(m_window->openFile(makeStore()));
    SchemaPanel* panel = m_window->schemaPanel();
    QVERIFY2(panel->loadFolder(m_dir.filePath(QStringLiteral("schemas2"))), qPrintable(panel->errorText()));

    // The selected event: cart-1 version 2 has "qty": "three".
    QVERIFY(selectEvent(StreamId(QStringLiteral("cart-1")), 1));
    QVERIFY(panel->validateCurrentEvent());
    QCOMPARE(panel->lastResult().invalid, qint64(1));
    QVERIFY(panel->violationModel()->rowCount() >= 1);
    QCOMPARE(panel->violationModel()->index(0, SchemaPanel::PointerColumn).data().toString(),
        QStringLiteral("/qty"));
    QCOMPARE(panel->violationModel()->index(0, SchemaPanel::PositionColumn).data().toString(),
        QStringLiteral("2"));
    QVERIFY(!panel->violationModel()->index(0, SchemaPanel::MessageColumn).data().toString().isEmpty());

    // A valid event.
    QVERIFY(selectEvent(StreamId(QStringLiteral("cart-1")), 0));
    QVERIFY(panel->validateCurrentEvent());
    QCOMPARE(panel->violationModel()->rowCount(), 0);
    QVERIFY(panel->resultText().contains(QStringLiteral("matches")));

    // Every event of the stream, off the GUI thread.
    QSignalSpy done(panel, &SchemaPanel::validationFinished);
    QVERIFY(panel->validateCurrentStream());
    QTRY_COMPARE(done.count(), 1);
    QCOMPARE(panel->lastResult().checked, qint64(2));
    QCOMPARE(panel->lastResult().invalid, qint64(1));
    QCOMPARE(panel->violationModel()->index(0, SchemaPanel::StreamColumn).data().toString(),
        QStringLiteral("cart-1"));

    // Every event of a type: cart-2's ItemAdded is valid; CartOpened v2 has no schema.
    QVERIFY(panel->validateType(QStringLiteral("ItemAdded")));
    QTRY_COMPARE(done.count(), 2);
    QCOMPARE(panel->lastResult().checked, qint64(3));
    QCOMPARE(panel->lastResult().valid, qint64(2));
    QCOMPARE(panel->lastResult().invalid, qint64(1));

    // Double-clicking a violation shows its event.
    QSignalSpy activated(panel, &SchemaPanel::eventActivated);
    Q_EMIT panel->violationView()->doubleClicked(panel->violationModel()->index(0, 0));
    QCOMPARE(activated.count(), 1);
    QVERIFY(m_window->inspector()->event());
    QCOMPARE(m_window->inspector()->event()->position.value, qint64(2));
}

void TestStoreUi::invalidSchemaIsReported()
{
    QDir(m_dir.path()).mkpath(QStringLiteral("good"));
    writeFile(QStringLiteral("good/ItemAdded.v1.schema.json"), R"({"type": "object"})");
    QDir(m_dir.path()).mkpath(QStringLiteral("broken"));
    writeFile(QStringLiteral("broken/ItemAdded.v1.schema.json"), R"({"type": "object"})");
    writeFile(QStringLiteral("broken/CartOpened.v1.schema.json"), R"({"type": 12})");
    QDir(m_dir.path()).mkpath(QStringLiteral("syntax"));
    writeFile(QStringLiteral("syntax/CartOpened.v1.schema.json"), "{\n  \"type\": \"object\",\n}\n");

    SchemaPanel* panel = m_window->schemaPanel();
    QVERIFY(panel->loadFolder(m_dir.filePath(QStringLiteral("good"))));
    QCOMPARE(panel->schemaModel()->rowCount(), 1);

    QVERIFY(!panel->loadFolder(m_dir.filePath(QStringLiteral("broken"))));
    QVERIFY2(panel->errorText().contains(QStringLiteral("CartOpened.v1.schema.json")),
        qPrintable(panel->errorText()));
    // What was loaded before stays.
    QCOMPARE(panel->schemaModel()->rowCount(), 1);
    QVERIFY(panel->folder().endsWith(QStringLiteral("good")));

    QVERIFY(!panel->loadFolder(m_dir.filePath(QStringLiteral("syntax"))));
    QVERIFY2(panel->errorText().contains(QStringLiteral("CartOpened.v1.schema.json")),
        qPrintable(panel->errorText()));
    QVERIFY2(panel->errorText().contains(QStringLiteral("line")), qPrintable(panel->errorText()));

    QVERIFY(!panel->loadFolder(m_dir.filePath(QStringLiteral("no-such-folder"))));
    QVERIFY(!panel->errorText().isEmpty());
}

void TestStoreUi::streamListRefreshedAfterPublish()
{
    QVERIFY(m_window->openFile(makeStore()));
    auto* categories = m_window->browser()->categoryModel();
    QVERIFY(!categories->streamIndex(StreamId(QStringLiteral("notes-1"))).isValid());
    QVERIFY(m_window->busController()->openPublishDialog());
    PublishDialog* dialog = m_window->busController()->publishDialog();
    dialog->setMode(PublishDialog::Mode::Event);
    dialog->setStream(QStringLiteral("notes-1"));
    dialog->eventType()->setText(QStringLiteral("NoteAdded"));
    dialog->eventData()->setText(QStringLiteral("{\"text\": \"hi\"}"));
    dialog->setExpectation(PublishDialog::Expectation::NoStream);
    QVERIFY(dialog->publish().ok());
    // The new category appears; its streams are read when asked for.
    QTRY_VERIFY(categories->categoryIndex(QStringLiteral("notes")).isValid());
    QVERIFY(categories->loadStream(StreamId(QStringLiteral("notes-1"))).isValid());
    const QModelIndex all = categories->allStreamsIndex();
    QTRY_COMPARE(all.siblingAtColumn(CategoryTreeModel::EventsColumn).data().toString(), QStringLiteral("5"));
    // "All streams" is still what is selected, and its title counts the new event.
    QCOMPARE(m_window->browser()->treeView()->currentIndex().data(CategoryTreeModel::KindRole).toInt(),
        int(CategoryTreeModel::Kind::All));
    QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("countLabel"))
                ->text()
                .startsWith(QStringLiteral("5 events")));
    dialog->close();
}

void TestStoreUi::publishDialogChecksSchemas()
{
    QDir(m_dir.path()).mkpath(QStringLiteral("noteschemas"));
    writeFile(QStringLiteral("noteschemas/NoteAdded.v1.schema.json"),
        R"({"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 20}}})");
    QVERIFY(m_window->openFile(makeStore()));
    QVERIFY(m_window->schemaPanel()->loadFolder(m_dir.filePath(QStringLiteral("noteschemas"))));
    QVERIFY(m_window->busController()->openPublishDialog());
    PublishDialog* dialog = m_window->busController()->publishDialog();
    dialog->setMode(PublishDialog::Mode::Event);
    dialog->setStream(QStringLiteral("notes-1"));
    dialog->eventType()->setText(QStringLiteral("NoteAdded"));
    dialog->eventData()->setText(QStringLiteral("{\"text\": 5}"));
    QVERIFY2(dialog->blockedReason().contains(QStringLiteral("/text")), qPrintable(dialog->blockedReason()));
    QVERIFY(dialog->blockedReason().contains(QStringLiteral("NoteAdded.v1.schema.json")));
    QVERIFY(!dialog->publishButton()->isEnabled());
    QCOMPARE(dialog->publish().kind, PublishOutcome::Kind::Invalid);
    QVERIFY(!m_window->store()->streamInfo(StreamId(QStringLiteral("notes-1"))));
    dialog->eventData()->setText(QStringLiteral("{\"text\": \"hello\"}"));
    QVERIFY2(dialog->blockedReason().isEmpty(), qPrintable(dialog->blockedReason()));
    QVERIFY(dialog->publish().ok());
    // A type without a schema is not checked.
    dialog->eventType()->setText(QStringLiteral("Other"));
    dialog->eventData()->setText(QStringLiteral("{\"text\": 5}"));
    QVERIFY(dialog->blockedReason().isEmpty());
    dialog->close();
}

namespace {

// A throw-away server of .ci/pg-server: started on first use, stopped with the test. Under
// CI=true a server that cannot be started fails the test; elsewhere the test skips.
struct PgServer {
    QTemporaryDir dir;
    QString serverDir;
    QMap<QString, QString> urls; // CHRONOSCOPE_PG_* lines printed by `start`
    QString error;
    bool started = false;

    bool run(const QStringList& arguments, QByteArray* out)
    {
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("CHRONOSCOPE_SHARED_DIR"), QStringLiteral(CHRONOSCOPE_SHARED_DIR));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("bash"), QStringList {QStringLiteral(CHRONOSCOPE_PG_SERVER)} + arguments);
        if (!p.waitForFinished(180000)) {
            p.kill();
            p.waitForFinished();
            error = QStringLiteral(".ci/pg-server %1 timed out").arg(arguments.join(QLatin1Char(' ')));
            return false;
        }
        if (out)
            *out = p.readAllStandardOutput();
        error = QString::fromUtf8(p.readAllStandardError()).trimmed();
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

    bool start()
    {
        if (!dir.isValid()) {
            error = QStringLiteral("no temporary folder");
            return false;
        }
        // As root the server runs as 'postgres', which must be able to reach its folder.
        QFile::setPermissions(dir.path(), QFile::permissions(dir.path()) | QFileDevice::ExeOther);
        serverDir = dir.filePath(QStringLiteral("pg"));
        QByteArray out;
        if (!run({QStringLiteral("start"), serverDir, QString::number(QCoreApplication::applicationPid())},
                &out))
            return false;
        started = true;
        for (const auto& line : out.split('\n')) {
            const auto eq = line.indexOf('=');
            if (eq > 0)
                urls.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)).trimmed());
        }
        return true;
    }

    void stop()
    {
        if (started)
            run({QStringLiteral("stop"), serverDir}, nullptr);
        started = false;
    }

    ~PgServer() { stop(); }
};

} // namespace

// A foreign store on a real server opens read-only with its badge, and a URL without the
// password the server wants asks for it in the dialog, then opens. Uses CHRONOSCOPE_PG_EMMETT_URL
// and CHRONOSCOPE_PG_PASSWORD_URL when set; otherwise starts a throw-away server with
// .ci/pg-server (as tst_postgres does).
void TestStoreUi::postgresServerWhenAvailable()
{
    const bool ci = qEnvironmentVariable("CI") == QLatin1String("true");
    QString emmett = qEnvironmentVariable("CHRONOSCOPE_PG_EMMETT_URL");
    QString withPassword = qEnvironmentVariable("CHRONOSCOPE_PG_PASSWORD_URL");
    std::unique_ptr<PgServer> server;
    if (emmett.isEmpty() || withPassword.isEmpty()) {
        server = std::make_unique<PgServer>();
        if (!server->start()) {
            const QString why = QStringLiteral("no PostgreSQL server could be started: ") + server->error;
            if (ci)
                QFAIL(qPrintable(QStringLiteral("CI=true: ") + why));
            QSKIP(qPrintable(why));
        }
        emmett = server->urls.value(QStringLiteral("CHRONOSCOPE_PG_EMMETT_URL"));
        withPassword = server->urls.value(QStringLiteral("CHRONOSCOPE_PG_PASSWORD_URL"));
        QVERIFY2(
            !emmett.isEmpty(), "the server has no Emmett fixture (../shared/fixtures/emmett-postgresql)");
        QVERIFY(!withPassword.isEmpty());
    }
    {
        // A native store in the password role's schema "shop" (idempotent when it exists).
        OpenOptions options;
        options.create = true;
        auto shop = openStore(withPassword + QStringLiteral("?schema=shop"), options);
        if (!shop->streamInfo(StreamId(QStringLiteral("cart-1")))) {
            EventData opened;
            opened.type = QStringLiteral("CartOpened");
            opened.data = R"({"cartId":"cart-1"})";
            opened.metadata = "{}";
            shop->append(StreamId(QStringLiteral("cart-1")), {opened}, ExpectedVersion::any());
        }
    }
    QVERIFY2(m_window->openFile(emmett), qPrintable(m_window->lastError()));
    QCOMPARE(m_window->findChild<QLabel*>(QStringLiteral("formatBadge"))->text(),
        QStringLiteral("emmett-postgresql"));
    QCOMPARE(m_window->findChild<QLabel*>(QStringLiteral("modeBadge"))->text(), QStringLiteral("Read-only"));
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("postgresql://")));

    const auto location = parsePgUrl(withPassword);
    const QString url = pgUrlWithoutPassword(withPassword) + QStringLiteral("?schema=shop");
    QVERIFY(!m_window->openFile(url));
    PgConnectDialog* dialog = m_window->connectDialog();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->schemaEdit()->text(), QStringLiteral("shop"));
    QVERIFY(dialog->passwordEdit()->text().isEmpty());
    dialog->passwordEdit()->setText(location.password);
    dialog->accept();
    QVERIFY2(m_window->storePath() == url,
        qPrintable(m_window->storePath() + QStringLiteral(" / ") + m_window->lastError()));
    QCOMPARE(m_window->findChild<QLabel*>(QStringLiteral("formatBadge"))->text(),
        QStringLiteral("chronoscope-postgresql"));
    QVERIFY(!m_window->windowTitle().contains(location.password));
    QCOMPARE(m_window->recentFiles()->files().front(), url);
    QVERIFY(dialog->passwordEdit()->text().isEmpty());

    if (server) {
        // The server goes away under the open window: reads fail with a message, nothing crashes,
        // and another store can be opened.
        server->stop();
        QTest::qWait(400);
        m_window->openFile(url); // refused now: the error is reported, the window stays
        QTest::qWait(400);
        QVERIFY(!m_window->lastError().isEmpty());
        QVERIFY2(
            m_window->openFile(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE)), qPrintable(m_window->lastError()));
    }
}

void TestStoreUi::foreignStoreListsItsStreamsFromASummary()
{
    // A copy of Emmett's SQLite fixture with 150,000 more events in 5,000 "bulk" streams: the
    // window lists the streams from a summary built off the GUI thread, with progress and Cancel.
    const QString fixture
        = QStringLiteral(CHRONOSCOPE_SHARED_DIR "/fixtures/emmett-sqlite/emmett-store.sqlite");
    if (!QFile::exists(fixture)) {
        if (qEnvironmentVariable("CI") == QLatin1String("true"))
            QFAIL("the Emmett fixture is missing under CI");
        QSKIP("the Emmett fixture is not there");
    }
    const QString copy = m_dir.filePath(QStringLiteral("emmett-bulk.sqlite"));
    QFile::remove(copy);
    QVERIFY(QFile::copy(fixture, copy));
    QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bulk"));
        db.setDatabaseName(copy);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY2(
            q.exec(QStringLiteral(
                "INSERT INTO emt_messages(stream_id, stream_position, message_data, message_metadata, "
                "message_schema_version, message_type, message_id, global_position, created) "
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000) "
                "SELECT 'bulk-' || (i % 5000), i / 5000 + 1, '{}', '{}', '1', 'Bulk', 'b' || i, 577 + i, "
                "'2026-03-01 10:00:00' FROM n")),
            qPrintable(q.lastError().text()));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bulk"));
    const QByteArray bytes = [&] {
        QFile f(copy);
        return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
                                           : QByteArray();
    }();

    auto* indicator = m_window->findChild<QWidget*>(QStringLiteral("summaryIndicator"));
    auto* cancel = m_window->findChild<QToolButton*>(QStringLiteral("summaryCancel"));
    QVERIFY(indicator && cancel);
    auto* categories = m_window->browser()->categoryModel();
    // Cancelled: said in the status bar, no stream listed, the window answers.
    QVERIFY2(m_window->openFile(copy), qPrintable(m_window->lastError()));
    QTRY_VERIFY_WITH_TIMEOUT(indicator->isVisible(), 10000);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!indicator->isVisible(), 10000);
    QVERIFY2(m_window->statusBar()->currentMessage().contains(QStringLiteral("not listed")),
        qPrintable(m_window->statusBar()->currentMessage()));
    QVERIFY(!categories->categoryIndex(QStringLiteral("bulk")).isValid());

    // Opened again and left to finish: every stream with its counts, the summary kept for next time.
    QVERIFY2(m_window->openFile(copy), qPrintable(m_window->lastError()));
    QTRY_VERIFY_WITH_TIMEOUT(categories->categoryIndex(QStringLiteral("bulk")).isValid(), 30000);
    const QModelIndex bulk = categories->categoryIndex(QStringLiteral("bulk"));
    QCOMPARE(
        bulk.siblingAtColumn(CategoryTreeModel::StreamsColumn).data().toString(), QStringLiteral("5000"));
    QCOMPARE(
        bulk.siblingAtColumn(CategoryTreeModel::EventsColumn).data().toString(), QStringLiteral("150000"));
    QTRY_VERIFY(m_window->findChild<QLabel*>(QStringLiteral("countLabel"))
                    ->text()
                    .startsWith(QLocale().toString(150577) + QStringLiteral(" events")));
    QVERIFY2(m_window->statusBar()->currentMessage().contains(QStringLiteral("cached in")),
        qPrintable(m_window->statusBar()->currentMessage()));
    QVERIFY(m_window->browser()->selectStream(StreamId(QStringLiteral("bulk-42"))));
    QTRY_COMPARE(m_window->eventModel()->rowCount(), 30);
    // Opened a third time: listed from the cache, without reading every event again.
    QVERIFY2(m_window->openFile(copy), qPrintable(m_window->lastError()));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->statusBar()->currentMessage().contains(QStringLiteral("listed from the summary")), 10000);
    QTRY_VERIFY(categories->categoryIndex(QStringLiteral("bulk")).isValid());
    QVERIFY(!QFile::exists(copy + QStringLiteral("-wal")));
    QFile f(copy);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256), bytes); // never written
}

QTEST_MAIN(TestStoreUi)
#include "tst_storeui.moc"
