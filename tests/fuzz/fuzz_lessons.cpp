// libFuzzer harness: lesson and course files (lessons::parseDocument, parseLesson, parseCourse)
// and checking their steps. The input is a lesson file, optionally followed by the separator and
// a facts object (the window's facts otherwise stand in), or a course file followed by the
// separator and the lesson file every name of the course reads. Every step that loads is checked
// against the facts and its conditions described.
// Documented errors (StoreError: InvalidInput) are fine; a lesson that parses must hold what the
// limits promise.

#include "fuzz/fuzzsupport.h"
#include "lessons/lesson.h"
#include "lessons/lessoncheck.h"

using namespace chronoscope;
using json = nlohmann::json;

namespace {

const json& windowFacts()
{
    static const json facts = json::parse(R"({
        "workspace": "bus", "selectedStream": "cart-102", "selectedVersion": 3,
        "store": {"events": 3000, "streams": 637, "path": "lesson-store.chronoscope"},
        "publish": {"rejectedCommands": ["AddItem"], "conflicts": 1, "published": 2},
        "race": {"conflicts": 1, "retries": 0, "lostUpdates": 0, "stream": "cart-207"},
        "topics": {"partitions": 4, "members": ["consumer-1", "consumer-2"], "movedPartitions": [2, 3]},
        "list": [1, "two", {"a": {"b": [null, true]}}], "deep": {"a": {"b": {"c": {"d": 1.5e300}}}}
    })");
    return facts;
}

void checkLesson(const lessons::Lesson& lesson, const json& facts)
{
    if (lesson.steps.empty() || int(lesson.steps.size()) > lessons::MaxSteps)
        std::abort(); // parseLesson promises 1..MaxSteps steps
    for (const lessons::Step& step : lesson.steps) {
        if (int(step.check.size()) > lessons::MaxConditions)
            std::abort();
        const lessons::CheckResult result = lessons::check(step, facts);
        if (result.passed != (result.failing < 0) || result.held > int(step.check.size()))
            std::abort();
        for (const lessons::Condition& condition : step.check) {
            lessons::holds(condition, facts);
            lessons::describe(condition, facts);
            lessons::factAt(facts, condition.fact);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    fuzz::startApplication(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // Plain locals, not a structured binding: the course's reader (a lambda) uses them.
    const auto parts = fuzz::split(fuzz::bytes(data, size));
    const QByteArray& document = parts.first;
    const QByteArray& second = parts.second;
    const QByteArray& factsText = second;
    json facts = windowFacts();
    if (!factsText.isEmpty() && !document.contains("\"lessons\"")) {
        try {
            facts = lessons::parseDocument(factsText, QStringLiteral("facts.json"));
        } catch (const StoreError&) {
        }
    }
    json parsed;
    try {
        parsed = lessons::parseDocument(document, QStringLiteral("lesson.json"));
    } catch (const StoreError&) {
        return 0;
    }
    try {
        if (lessons::isCourse(parsed)) {
            int reads = 0;
            const lessons::Course course
                = lessons::parseCourse(document, QStringLiteral("course.json"), [&](const QString& name) {
                      if (name.isEmpty() || name.contains(QLatin1String(".."))
                          || name.startsWith(QLatin1Char('/')))
                          std::abort(); // parseCourseIndex refuses those
                      if (++reads > 3)
                          throw InvalidInput(
                              QStringLiteral("%1: not read (the harness reads three)").arg(name));
                      return second;
                  });
            for (const lessons::Lesson& lesson : course.lessons)
                checkLesson(lesson, facts);
        } else {
            checkLesson(lessons::parseLesson(parsed, QStringLiteral("lesson.json")), facts);
        }
    } catch (const StoreError&) {
    }
    for (const QString& path : {QStringLiteral("race.conflicts"), QString::fromUtf8(factsText.left(200))})
        if (lessons::isFactPath(path))
            lessons::factAt(facts, path);
    return 0;
}
