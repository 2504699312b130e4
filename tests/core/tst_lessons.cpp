// Lessons as data: parsing lesson and course files (errors name the file, the step and the
// member), checking a step's conditions against facts, progress kept as JSON, and every lesson
// of the bundled course parses and names only facts and actions the window knows.
#include "base/errors.h"
#include "lessons/lesson.h"
#include "lessons/lessoncheck.h"
#include "lessons/lessonprogress.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::lessons;
using json = nlohmann::json;

class TestLessons : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesALesson();
    void refusesBadLessons_data();
    void refusesBadLessons();
    void conditions_data();
    void conditions();
    void checkNamesTheFirstMissingCondition();
    void progressRoundTrips();
    void progressIgnoresGarbage();
    void courseReadsItsLessons();
    void courseRefusesDuplicatesAndPaths();
    void bundledCourseParses();
};

namespace {

QByteArray lessonText(const json& steps)
{
    return QByteArray::fromStdString(json {{"id", "l1"}, {"title", "Lesson one"}, {"steps", steps}}.dump());
}

} // namespace

void TestLessons::parsesALesson()
{
    const QByteArray text = R"({"id":"events","title":"Events","summary":"What an event is",
        "steps":[{"title":"Look","explain":["# Events","An *event* is a fact."]},
                 {"title":"Do","explain":"Pick cart-102","do":{"workspace":"explore","selectStream":"cart-102"},
                  "check":[{"fact":"selectedStream","equals":"cart-102","says":"select cart-102"},
                           {"fact":"publish.rejected","atLeast":1}],
                  "hint":"In the Streams list","success":"Well done"}]})";
    const Lesson lesson = parseLesson(text, QStringLiteral("events.json"));
    QCOMPARE(lesson.id, QStringLiteral("events"));
    QCOMPARE(lesson.title, QStringLiteral("Events"));
    QCOMPARE(lesson.summary, QStringLiteral("What an event is"));
    QCOMPARE(int(lesson.steps.size()), 2);
    QCOMPARE(lesson.steps[0].explain, QStringLiteral("# Events\nAn *event* is a fact."));
    QVERIFY(lesson.steps[0].check.empty());
    const Step& step = lesson.steps[1];
    QVERIFY(step.actions == json({{"workspace", "explore"}, {"selectStream", "cart-102"}}));
    QCOMPARE(int(step.check.size()), 2);
    QCOMPARE(step.check[0].fact, QStringLiteral("selectedStream"));
    QCOMPARE(step.check[0].op, Condition::Op::Equals);
    QCOMPARE(step.check[0].says, QStringLiteral("select cart-102"));
    QCOMPARE(step.check[1].op, Condition::Op::AtLeast);
    QCOMPARE(step.hint, QStringLiteral("In the Streams list"));
    QCOMPARE(step.success, QStringLiteral("Well done"));
    // A single condition may be given without the array.
    const Lesson one = parseLesson(
        lessonText(json::array({{{"title", "t"}, {"check", {{"fact", "workspace"}, {"equals", "bus"}}}}})),
        QStringLiteral("one.json"));
    QCOMPARE(int(one.steps[0].check.size()), 1);
}

void TestLessons::refusesBadLessons_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message"); // the error contains this
    QTest::newRow("not json") << QByteArray("{\"id\":") << QStringLiteral("bad.json: not valid JSON");
    QTest::newRow("array") << QByteArray("[]") << QStringLiteral("bad.json: a lesson is a JSON object");
    QTest::newRow("no id") << QByteArray(R"({"title":"t","steps":[{"title":"s","explain":"x"}]})")
                           << QStringLiteral("member \"id\" is missing");
    QTest::newRow("no steps") << QByteArray(R"({"id":"a","title":"t","steps":[]})")
                              << QStringLiteral("\"steps\" must be a non-empty array");
    QTest::newRow("step not object") << lessonText(json::array({1}))
                                     << QStringLiteral("bad.json: step 1: a step is an object");
    QTest::newRow("step unknown member")
        << lessonText(json::array({{{"title", "s"}, {"explain", "x"}, {"chek", json::array()}}}))
        << QStringLiteral("step 1: unknown member \"chek\"");
    QTest::newRow("empty step") << lessonText(json::array({{{"title", "s"}}}))
                                << QStringLiteral(
                                       "step 1: a step needs an \"explain\" text, a \"check\", or both");
    QTest::newRow("unknown action") << lessonText(json::array({{{"title", "s"}, {"explain", "x"}},
        {{"title", "s2"}, {"explain", "x"}, {"do", {{"explode", true}}}}}))
                                    << QStringLiteral("step 2.do: unknown action \"explode\"");
    QTest::newRow("condition without op")
        << lessonText(json::array({{{"title", "s"}, {"check", json::array({{{"fact", "workspace"}}})}}}))
        << QStringLiteral("step 1.check[0]: a condition needs exactly one of");
    QTest::newRow("two ops") << lessonText(
        json::array({{{"title", "s"}, {"check", {{"fact", "a"}, {"equals", 1}, {"atLeast", 1}}}}}))
                             << QStringLiteral("(it has 2)");
    QTest::newRow("bad fact name") << lessonText(
        json::array({{{"title", "s"}, {"check", {{"fact", "a b"}, {"equals", 1}}}}}))
                                   << QStringLiteral("\"fact\": \"a b\" is not a fact's name");
    QTest::newRow("atLeast text") << lessonText(
        json::array({{{"title", "s"}, {"check", {{"fact", "a"}, {"atLeast", "one"}}}}}))
                                  << QStringLiteral("\"atLeast\" must be a number");
    QTest::newRow("too deep") << QByteArray(2000, '[') << QStringLiteral("nested deeper than 512 levels");
    QTest::newRow("number past a double") << QByteArray(R"({"id":"a","title":"t","steps":[1e999]})")
                                          << QStringLiteral("bad.json: not valid JSON");
    QTest::newRow("course given as lesson")
        << QByteArray(R"({"title":"c","lessons":["a.json"]})") << QStringLiteral("this is a course");
    QTest::newRow("invalid utf-8 title") << QByteArray("{\"id\":\"a\",\"title\":\"\xff\",\"steps\":[]}")
                                         << QStringLiteral("bad.json: not valid JSON");
}

void TestLessons::refusesBadLessons()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    try {
        parseLesson(text, QStringLiteral("bad.json"));
        QFAIL("no error");
    } catch (const InvalidInput& e) {
        QVERIFY2(e.message().contains(message), qPrintable(e.message()));
    }
}

void TestLessons::conditions_data()
{
    QTest::addColumn<QByteArray>("condition");
    QTest::addColumn<bool>("holds");
    QTest::newRow("equals string") << QByteArray(R"({"fact":"workspace","equals":"bus"})") << true;
    QTest::newRow("equals other") << QByteArray(R"({"fact":"workspace","equals":"explore"})") << false;
    QTest::newRow("equals number int/double")
        << QByteArray(R"({"fact":"race.conflicts","equals":1.0})") << true;
    QTest::newRow("not equals") << QByteArray(R"({"fact":"workspace","notEquals":"explore"})") << true;
    QTest::newRow("not equals missing") << QByteArray(R"({"fact":"nothing","notEquals":"x"})") << false;
    QTest::newRow("at least") << QByteArray(R"({"fact":"race.conflicts","atLeast":1})") << true;
    QTest::newRow("at least more") << QByteArray(R"({"fact":"race.conflicts","atLeast":2})") << false;
    QTest::newRow("at most") << QByteArray(R"({"fact":"race.conflicts","atMost":0})") << false;
    QTest::newRow("at least bool") << QByteArray(R"({"fact":"streamBatch.running","atLeast":1})") << true;
    QTest::newRow("at least string") << QByteArray(R"({"fact":"workspace","atLeast":1})") << false;
    QTest::newRow("contains text") << QByteArray(R"({"fact":"publish.lastError","contains":"CONFIRMED"})")
                                   << true;
    QTest::newRow("contains array string")
        << QByteArray(R"({"fact":"appended.types","contains":"itemadded"})") << true;
    QTest::newRow("contains array object")
        << QByteArray(R"({"fact":"appended.events","contains":{"type":"ItemAdded","stream":"cart-102"}})")
        << true;
    QTest::newRow("contains array object other stream")
        << QByteArray(R"({"fact":"appended.events","contains":{"type":"ItemAdded","stream":"cart-7"}})")
        << false;
    QTest::newRow("contains object key") << QByteArray(R"({"fact":"race","contains":"conflicts"})") << true;
    QTest::newRow("exists") << QByteArray(R"({"fact":"selectedEvent.type","exists":true})") << true;
    QTest::newRow("exists null") << QByteArray(R"({"fact":"selectedStream","exists":true})") << false;
    QTest::newRow("not exists") << QByteArray(R"({"fact":"nothing.here","exists":false})") << true;
    QTest::newRow("array index") << QByteArray(R"({"fact":"appended.events.0.version","equals":4})") << true;
    QTest::newRow("index out of range")
        << QByteArray(R"({"fact":"appended.events.5.version","exists":true})") << false;
    QTest::newRow("less than fact") << QByteArray(
        R"({"fact":"timeTravel.version","lessThanFact":"timeTravel.lastVersion"})")
                                    << true;
    QTest::newRow("not less than itself")
        << QByteArray(R"({"fact":"timeTravel.version","lessThanFact":"timeTravel.version"})") << false;
    QTest::newRow("less than missing")
        << QByteArray(R"({"fact":"timeTravel.version","lessThanFact":"timeTravel.nothing"})") << false;
}

void TestLessons::conditions()
{
    QFETCH(QByteArray, condition);
    QFETCH(bool, holds);
    const json facts = json::parse(R"({"workspace":"bus","selectedStream":null,
        "selectedEvent":{"type":"ItemAdded","version":3},
        "race":{"conflicts":1},"streamBatch":{"running":true},
        "publish":{"lastError":"AddItem rejected: the cart is confirmed"},
        "appended":{"types":["ItemAdded"],"events":[{"type":"ItemAdded","stream":"cart-102","version":4}]},
        "timeTravel":{"version":2,"lastVersion":5}})");
    const QByteArray step
        = "{\"id\":\"x\",\"title\":\"x\",\"steps\":[{\"title\":\"s\",\"check\":" + condition + "}]}";
    const Lesson lesson = parseLesson(step, QStringLiteral("c.json"));
    QCOMPARE(lessons::holds(lesson.steps[0].check[0], facts), holds);
    QCOMPARE(check(lesson.steps[0], facts).passed, holds);
}

void TestLessons::checkNamesTheFirstMissingCondition()
{
    const Lesson lesson = parseLesson(QByteArray(R"({"id":"x","title":"x","steps":[{"title":"s","check":[
        {"fact":"workspace","equals":"bus"},
        {"fact":"race.conflicts","atLeast":1},
        {"fact":"publish.rejected","atLeast":1,"says":"Publish AddItem to a confirmed cart"}]}]})"),
        QStringLiteral("c.json"));
    const json facts = {{"workspace", "bus"}, {"race", {{"conflicts", 0}}}, {"publish", {{"rejected", 0}}}};
    CheckResult result = check(lesson.steps[0], facts);
    QVERIFY(!result.passed);
    QCOMPARE(result.failing, 1);
    QCOMPARE(result.held, 1);
    QCOMPARE(result.missing, QStringLiteral("race.conflicts is at least 1 (now 0)"));
    json more = facts;
    more["race"]["conflicts"] = 2;
    result = check(lesson.steps[0], more);
    QCOMPARE(result.failing, 2);
    QCOMPARE(result.missing, QStringLiteral("Publish AddItem to a confirmed cart"));
    more["publish"]["rejected"] = 1;
    QVERIFY(check(lesson.steps[0], more).passed);
    QCOMPARE(check(lesson.steps[0], more).held, 3);
    // A missing fact says so.
    QCOMPARE(describe(lesson.steps[0].check[1], json::object()),
        QStringLiteral("race.conflicts is at least 1 (now nothing yet)"));
}

void TestLessons::progressRoundTrips()
{
    Progress progress;
    QCOMPARE(progress.state(QStringLiteral("a")).step, 0);
    progress.setStep(QStringLiteral("a"), 3);
    progress.markPassed(QStringLiteral("a"), 0);
    progress.markPassed(QStringLiteral("a"), 2);
    progress.markCompleted(QStringLiteral("b"));
    const Progress back = Progress::fromJson(progress.toJson());
    QCOMPARE(back.state(QStringLiteral("a")).step, 3);
    QCOMPARE(back.state(QStringLiteral("a")).passed, (std::set<int> {0, 2}));
    QVERIFY(!back.isCompleted(QStringLiteral("a")));
    QVERIFY(back.isCompleted(QStringLiteral("b")));
    Progress reset = back;
    reset.reset(QStringLiteral("a"));
    QCOMPARE(reset.state(QStringLiteral("a")).step, 0);
    QVERIFY(reset.state(QStringLiteral("a")).passed.empty());
}

void TestLessons::progressIgnoresGarbage()
{
    QCOMPARE(Progress::fromJson("not json").toJson(), QByteArray("{}"));
    QCOMPARE(Progress::fromJson("[1,2]").toJson(), QByteArray("{}"));
    const Progress odd = Progress::fromJson(R"({"a":{"step":-5,"passed":[1,"x",-1,99999999]},"b":7,"":{}})");
    QCOMPARE(odd.state(QStringLiteral("a")).step, 0);
    QCOMPARE(odd.state(QStringLiteral("a")).passed, (std::set<int> {1}));
    QCOMPARE(Progress::fromJson(R"({"a":{"step":999999999}})").state(QStringLiteral("a")).step, 10000);
}

void TestLessons::courseReadsItsLessons()
{
    const auto one = lessonText(json::array({{{"title", "s"}, {"explain", "x"}}}));
    QByteArray two = one;
    two.replace("\"l1\"", "\"l2\"");
    QStringList asked;
    const Course course = parseCourse(QByteArray(R"({"title":"Shop","lessons":["one.json","two.json"]})"),
        QStringLiteral("course.json"), [&](const QString& file) {
            asked.append(file);
            return file == QStringLiteral("one.json") ? one : two;
        });
    QCOMPARE(course.title, QStringLiteral("Shop"));
    QCOMPARE(asked, (QStringList {QStringLiteral("one.json"), QStringLiteral("two.json")}));
    QCOMPARE(int(course.lessons.size()), 2);
    QCOMPARE(course.lessons[1].id, QStringLiteral("l2"));
    QCOMPARE(course.lessons[1].source, QStringLiteral("two.json"));
}

void TestLessons::courseRefusesDuplicatesAndPaths()
{
    const auto one = lessonText(json::array({{{"title", "s"}, {"explain", "x"}}}));
    const auto read = [&](const QString&) { return one; };
    try {
        parseCourse(QByteArray(R"({"title":"Shop","lessons":["a.json","b.json"]})"),
            QStringLiteral("course.json"), read);
        QFAIL("no error");
    } catch (const InvalidInput& e) {
        QVERIFY2(
            e.message().contains(QStringLiteral("two lessons have the id \"l1\" (the second in b.json)")),
            qPrintable(e.message()));
    }
    for (const char* bad :
        {R"({"title":"S","lessons":["../x.json"]})", R"({"title":"S","lessons":["/etc/x.json"]})",
            R"({"title":"S","lessons":[]})", R"({"title":"S","lessons":[3]})", R"({"lessons":["a.json"]})"}) {
        try {
            parseCourse(QByteArray(bad), QStringLiteral("course.json"), read);
            QFAIL(bad);
        } catch (const InvalidInput& e) {
            QVERIFY2(e.message().startsWith(QStringLiteral("course.json: ")), qPrintable(e.message()));
        }
    }
}

void TestLessons::bundledCourseParses()
{
    const QDir dir(QStringLiteral(CHRONOSCOPE_LESSONS_DIR));
    QFile file(dir.filePath(QStringLiteral("course.json")));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    Course course;
    try {
        course = parseCourse(file.readAll(), file.fileName(), [&](const QString& name) {
            QFile lesson(dir.filePath(name));
            if (!lesson.open(QIODevice::ReadOnly))
                throw InvalidInput(QStringLiteral("cannot read %1").arg(name));
            return lesson.readAll();
        });
    } catch (const StoreError& e) {
        QFAIL(qPrintable(e.message()));
    }
    // The issue's nine subjects, at least.
    QVERIFY2(course.lessons.size() >= 9, qPrintable(QString::number(course.lessons.size())));
    // Every fact a bundled lesson checks starts with a name the window reports (see windowfacts.cpp).
    const QStringList roots = {QStringLiteral("workspace"), QStringLiteral("store"),
        QStringLiteral("selectedStream"), QStringLiteral("selectedEvent"), QStringLiteral("timeTravel"),
        QStringLiteral("projections"), QStringLiteral("publish"), QStringLiteral("appended"),
        QStringLiteral("deadLetters"), QStringLiteral("consumers"), QStringLiteral("upcasters"),
        QStringLiteral("story"), QStringLiteral("inspector"), QStringLiteral("race"),
        QStringLiteral("topics"), QStringLiteral("streamBatch")};
    int checks = 0;
    for (const Lesson& lesson : course.lessons) {
        QVERIFY2(lesson.steps.size() >= 3, qPrintable(lesson.id));
        for (const Step& step : lesson.steps) {
            for (const Condition& c : step.check) {
                ++checks;
                QVERIFY2(roots.contains(c.fact.section(QLatin1Char('.'), 0, 0)),
                    qPrintable(lesson.id + QLatin1Char(' ') + c.fact));
                QVERIFY2(!c.says.isEmpty(),
                    qPrintable(lesson.id + QStringLiteral(": a bundled check says what to do: ") + c.fact));
            }
        }
    }
    QVERIFY(checks >= 18); // each lesson checks what the learner does, not only explains
}

QTEST_APPLESS_MAIN(TestLessons)
#include "tst_lessons.moc"
