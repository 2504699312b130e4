// Given / When / Then: specifications parsed (a bad one names the case and member), run against
// the sample domain (passing, failing at the first differing field, refused as expected or not),
// exported from a store's events — every exported case of the sample shop passes when run — and
// written as a Qt Test and a Jest test.
#include "sample/commands.h"
#include "sample/reducers.h"
#include "sample/sampledomain.h"
#include "spec/givenwhenthen.h"
#include "store/memoryeventstore.h"
#include "support/testsupport.h"

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::testing;
using json = nlohmann::json;

namespace {

const char* const CartSpec = R"({"cases":[
  {"name":"add an item to an open cart","stream":"cart-1",
   "given":[{"type":"CartOpened","data":{"cartId":"cart-1","customerId":"C1"}}],
   "when":{"type":"AddItem","data":{"sku":"MUG02","name":"Mug","quantity":2,"unitPrice":1490}},
   "then":[{"type":"ItemAdded","data":{"cartId":"cart-1","sku":"MUG02","name":"Mug","quantity":2,"unitPrice":1490}}]},
  {"name":"no item in a confirmed cart","stream":"cart-1",
   "given":[{"type":"CartOpened","data":{"cartId":"cart-1","customerId":"C1"}},
            {"type":"ItemAdded","data":{"cartId":"cart-1","sku":"MUG02","name":"Mug","quantity":1,"unitPrice":1490}},
            {"type":"CartConfirmed","data":{"cartId":"cart-1","customerId":"C1","items":[{"sku":"MUG02","quantity":1,"unitPrice":1490}],"total":1490}}],
   "when":{"type":"AddItem","data":{"sku":"KTL01","name":"Kettle","quantity":1,"unitPrice":5990}},
   "thenError":"confirmed"}
]})";

spec::Spec parse(const char* text)
{
    return spec::parseSpec(QByteArray(text));
}

QString parseError(const char* text)
{
    try {
        parse(text);
    } catch (const InvalidInput& e) {
        return e.message();
    }
    return QStringLiteral("(no error)");
}

} // namespace

class TestSpec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsAndPasses();
    void failsAtTheFirstDifference();
    void refusalsAsExpectedOrNot();
    void historiesTheDomainWouldNotWriteAreRefusedInWords();
    void malformedSpecsNameTheCaseAndMember();
    void roundTripsThroughJson();
    void exportedCasesOfTheSampleShopPass();
    void exportRefusesWhatItCannot();
    void writesQtTestAndJest();
};

void TestSpec::runsAndPasses()
{
    const spec::Spec s = parse(CartSpec);
    QCOMPARE(s.cases.size(), size_t(2));
    for (const spec::SpecCase& c : s.cases) {
        const spec::CaseResult r = spec::runCase(c);
        QVERIFY2(r.passed, qPrintable(c.name + QStringLiteral(": ") + r.message));
        const std::string expected = json {{"name", c.name.toStdString()}, {"passed", true}}.dump();
        QCOMPARE(spec::toJson(r).dump(), expected);
    }
}

void TestSpec::failsAtTheFirstDifference()
{
    spec::Spec s = parse(CartSpec);
    spec::SpecCase c = s.cases[0];
    (*c.then)[0].data["quantity"] = 3;
    spec::CaseResult r = spec::runCase(c);
    QVERIFY(!r.passed);
    QCOMPARE(r.event, std::optional<int>(0));
    QCOMPARE(r.pointer, QStringLiteral("/data/quantity"));
    QVERIFY((*r.expected) == (json(3)));
    QVERIFY((*r.actual) == (json(2)));
    const auto out = spec::toJson(r);
    QVERIFY((out["pointer"]) == ("/data/quantity"));
    QVERIFY((out["produced"].size()) == (size_t(1)));
    // Another type: the pointer is /type.
    c = s.cases[0];
    (*c.then)[0].type = QStringLiteral("ItemRemoved");
    QCOMPARE(spec::runCase(c).pointer, QStringLiteral("/type"));
    // One event more expected than produced.
    c = s.cases[0];
    c.then->push_back(c.then->front());
    r = spec::runCase(c);
    QVERIFY(!r.passed);
    QCOMPARE(r.event, std::optional<int>(1));
    QVERIFY2(r.message.contains(QStringLiteral("expected 2 event(s), the command produced 1")),
        qPrintable(r.message));
    // A field the command did not produce: actual is null at that pointer.
    c = s.cases[0];
    (*c.then)[0].data["giftWrap"] = true;
    r = spec::runCase(c);
    QCOMPARE(r.pointer, QStringLiteral("/data/giftWrap"));
    QVERIFY(r.actual->is_null());
}

void TestSpec::refusalsAsExpectedOrNot()
{
    spec::Spec s = parse(CartSpec);
    spec::SpecCase refused = s.cases[1];
    refused.thenError = QStringLiteral("out of stock");
    spec::CaseResult r = spec::runCase(refused);
    QVERIFY(!r.passed);
    QVERIFY2(
        r.message.contains(QStringLiteral("which does not contain \"out of stock\"")), qPrintable(r.message));
    QVERIFY(r.error && r.error->contains(QStringLiteral("confirmed")));
    // Expected a refusal, got events.
    spec::SpecCase accepted = s.cases[0];
    accepted.then.reset();
    accepted.thenError = QStringLiteral("nope");
    r = spec::runCase(accepted);
    QVERIFY(!r.passed);
    QVERIFY2(r.message.contains(QStringLiteral("produced 1 event(s)")), qPrintable(r.message));
    // Expected events, refused.
    spec::SpecCase wrong = s.cases[1];
    wrong.thenError.reset();
    wrong.then = std::vector<spec::SpecEvent>();
    r = spec::runCase(wrong);
    QVERIFY(!r.passed);
    QVERIFY(r.message.startsWith(QStringLiteral("refused: ")));
    // A command missing a field is refused with the parser's words.
    spec::SpecCase missing = s.cases[0];
    missing.whenData.erase("sku");
    r = spec::runCase(missing);
    QVERIFY(!r.passed);
    QVERIFY2(r.error && r.error->contains(QStringLiteral("sku")), qPrintable(r.error.value_or(QString())));
}

void TestSpec::historiesTheDomainWouldNotWriteAreRefusedInWords()
{
    // Found by fuzz_spec: a confirmed cart that was never opened has no customer, so PlaceOrder
    // decided an OrderPlaced its own reducer refuses; the field error escaped the handler.
    const QByteArray neverOpened = R"({"cases":[{"name":"cart never opened","stream":"order-1",
        "given":[{"stream":"cart-6","type":"ItemAdded","data":{"cartId":"cart-6","name":"Mug","quantity":1,"sku":"MUG01","unitPrice":1290}},
                 {"stream":"cart-6","type":"CartConfirmed","data":{"cartId":"cart-6"}}],
        "when":{"type":"PlaceOrder","data":{"cartId":"cart-6"}},
        "thenError":"its OrderPlaced cannot be applied"}]})";
    spec::CaseResult r = spec::runCase(spec::parseSpec(neverOpened).cases.at(0));
    QVERIFY2(r.passed, qPrintable(r.message + QStringLiteral(" / ") + r.error.value_or(QString())));
    QVERIFY2(r.error->contains(QStringLiteral("field 'customerId' must be a string")), qPrintable(*r.error));
    QVERIFY2(r.error->contains(QStringLiteral("nothing was appended")), qPrintable(*r.error));
    // A state no reducer of the domain builds (an item without a price), handed to the decision
    // directly: refused in words naming the command, not nlohmann's out_of_range.
    sample::Command place;
    place.type = QStringLiteral("PlaceOrder");
    place.stream = StreamId(QStringLiteral("order-1"));
    place.data = {{"cartId", "cart-6"}};
    const sample::RelatedStates related = {{QStringLiteral("cart-6"),
        {{"status", "confirmed"}, {"customerId", "C1"}, {"items", {{"MUG01", {{"quantity", 1}}}}}}}};
    const nlohmann::json order = sample::initialState(sample::Aggregate::Order, place.stream);
    try {
        sample::decideEvents(order, place, related);
        QFAIL("decided on a cart item without a price");
    } catch (const InvalidInput& e) {
        QVERIFY2(e.message().startsWith(
                     QStringLiteral("command 'PlaceOrder' on 'order-1': the state it decides on is not one "
                                    "the sample domain builds (")),
            qPrintable(e.message()));
        QVERIFY2(e.message().contains(QStringLiteral("unitPrice")), qPrintable(e.message()));
    }
}

void TestSpec::malformedSpecsNameTheCaseAndMember()
{
    QVERIFY(parseError("[]").contains(QStringLiteral("a specification is a JSON object")));
    QVERIFY(parseError("{\"cases\":[]}").contains(QStringLiteral("no cases")));
    QVERIFY(parseError("{\"cases\":").contains(QStringLiteral("not JSON")));
    QCOMPARE(parseError(R"({"cases":[{"stream":"cart-1","when":{"type":"OpenCart"},"then":[]}]})"),
        QStringLiteral("cases[0]: member \"name\": must be a non-empty string"));
    QCOMPARE(
        parseError(R"({"cases":[{"name":"x","stream":"cart-1","when":{"type":"Fly"},"then":[]}]})").left(58),
        QStringLiteral("cases[0] (\"x\"): member \"when.type\": unknown command type 'Fly' (known: ")
            .left(58));
    QCOMPARE(parseError(R"({"cases":[{"name":"x","stream":"cart-1","when":{"type":"OpenCart"}}]})"),
        QStringLiteral(
            "cases[0] (\"x\"): member \"then\": give either \"then\" (the events) or \"thenError\" (the "
            "refusal's text), not both or neither"));
    QCOMPARE(parseError(R"({"cases":[{"name":"ok","stream":"c-1","when":{"type":"OpenCart"},"then":[]},
        {"name":"y","stream":"cart-1","given":[{"type":"CartOpened","data":[1]}],"when":{"type":"OpenCart"},"then":[]}]})"),
        QStringLiteral("cases[1] (\"y\"): member \"given[0].data\": must be an object"));
    QCOMPARE(
        parseError(
            R"({"cases":[{"name":"y","stream":"cart-1","when":{"type":"OpenCart"},"then":[{"type":"A","stream":"b"}]}]})"),
        QStringLiteral("cases[0] (\"y\"): member \"then[0].stream\": then's events are the case's stream's"));
    QCOMPARE(parseError(R"({"cases":[{"name":"y","stream":"","when":{"type":"OpenCart"},"then":[]}]})"),
        QStringLiteral(
            "cases[0] (\"y\"): member \"stream\": must be a non-empty string (the aggregate's stream id)"));
    QCOMPARE(
        parseError(R"({"cases":[{"name":"y","stream":"cart-1","when":{"type":"OpenCart"},"thenError":""}]})"),
        QStringLiteral("cases[0] (\"y\"): member \"thenError\": must be a non-empty string"));
    // Deep nesting in data is the parser's business, not a crash.
    const QByteArray deep
        = QByteArray(
              "{\"cases\":[{\"name\":\"d\",\"stream\":\"cart-1\",\"when\":{\"type\":\"OpenCart\",\"data\":")
        + QByteArray(20000, '[') + QByteArray(20000, ']') + "}, \"then\":[]}]}";
    QVERIFY_THROWS_EXCEPTION(InvalidInput, spec::parseSpec(deep));
    QVERIFY2(parseError(deep.constData()).contains(QStringLiteral("nested deeper than 512 levels")),
        qPrintable(parseError(deep.constData())));
    // A number past a double's range is an error in words, not nlohmann's out_of_range escaping.
    const QString overflow = parseError(
        R"({"cases":[{"name":"n","stream":"cart-1","when":{"type":"OpenCart","data":{"n":1e999}},"then":[]}]})");
    QVERIFY2(overflow.startsWith(QStringLiteral("the specification is not JSON: ")), qPrintable(overflow));
    QVERIFY2(!overflow.contains(QStringLiteral("[json.exception")), qPrintable(overflow));
}

void TestSpec::roundTripsThroughJson()
{
    const spec::Spec s = parse(CartSpec);
    const QByteArray again = QByteArray::fromStdString(spec::toJson(s).dump());
    const spec::Spec read = spec::parseSpec(again);
    QCOMPARE(read.cases.size(), s.cases.size());
    QCOMPARE(spec::toJson(read).dump(), spec::toJson(s).dump());
    QCOMPARE(*read.cases[1].thenError, QStringLiteral("confirmed"));
}

void TestSpec::exportedCasesOfTheSampleShopPass()
{
    MemoryEventStore shop;
    sample::generate(shop, {.events = 1500, .seed = 6});
    int cases = 0;
    QSet<QString> commands;
    QHash<QString, int> perCategory; // some streams of every category
    for (const StreamInfo& info : static_cast<const EventStore&>(shop).streams()) {
        if (++perCategory[info.stream.category()] > 40)
            continue;
        const spec::Spec exported = spec::exportSpec(shop, info.stream, Version(1), info.version);
        for (const spec::SpecCase& c : exported.cases) {
            const spec::CaseResult r = spec::runCase(c);
            QVERIFY2(r.passed,
                qPrintable(c.name + QStringLiteral(": ") + r.message + QStringLiteral(" ")
                    + QString::fromStdString(spec::toJson(r).dump())));
            commands.insert(c.whenType);
            ++cases;
        }
    }
    QVERIFY(cases > 100);
    // Reactions' commands (PlaceOrder reads the cart, ReserveStock the order...) among them.
    for (const char* type :
        {"OpenCart", "AddItem", "ConfirmCart", "PlaceOrder", "RequestPayment", "ReserveStock"})
        QVERIFY2(commands.contains(QLatin1String(type)), type);
}

void TestSpec::exportRefusesWhatItCannot()
{
    MemoryEventStore store;
    store.append(sid("note-1"), events(3), ExpectedVersion::any());
    QVERIFY_THROWS_EXCEPTION(InvalidInput, spec::exportSpec(store, sid("none-1"), Version(1), Version(1)));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, spec::exportSpec(store, sid("note-1"), Version(2), Version(9)));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, spec::exportSpec(store, sid("note-1"), Version(3), Version(2)));
    try {
        spec::exportSpec(store, sid("note-1"), Version(1), Version(3));
        QFAIL("no command known: refused");
    } catch (const InvalidInput& e) {
        QVERIFY2(e.message().contains(QStringLiteral("names a command of the sample domain")),
            qPrintable(e.message()));
    }
}

void TestSpec::writesQtTestAndJest()
{
    const spec::Spec s = parse(CartSpec);
    const QString qtest = spec::toQtTest(s);
    QVERIFY(qtest.contains(QStringLiteral("class TestShopSpec : public QObject")));
    QVERIFY(qtest.contains(QStringLiteral("#include \"tst_shopspec.moc\"")));
    QVERIFY(qtest.contains(QStringLiteral("\"add an item to an open cart\"")));
    QVERIFY(qtest.contains(QStringLiteral("\"confirmed\"")));
    // Quotes and backslashes in data stay C++ string literals.
    spec::Spec odd = s;
    odd.cases[0].name = QStringLiteral("a \"quoted\" \\ name?"
                                       "?=");
    QVERIFY(spec::toQtTest(odd).contains(QStringLiteral("\"a \\\"quoted\\\" \\\\ name\\?\\?=\"")));
    const QString jest = spec::toJest(s);
    QVERIFY(jest.contains(QStringLiteral("DeciderSpecification.for(decider)")));
    QVERIFY(jest.contains(QStringLiteral("it(\"add an item to an open cart\"")));
    QVERIFY(jest.contains(QStringLiteral(".when({\"type\":\"AddItem\"")));
    QVERIFY(jest.contains(QStringLiteral(".thenThrows((error) => error.message.includes(\"confirmed\"))")));
}

QTEST_MAIN(TestSpec)
#include "tst_spec.moc"
