#include "lessons/lesson.h"

#include "json/jsondepth.h"
#include "json/jsonerror.h"
#include "lessons/lessoncheck.h"

#include <algorithm>

namespace chronoscope::lessons {

namespace {

using json = nlohmann::json;

QString text(const json& value)
{
    return QString::fromStdString(value.get<std::string>());
}

[[noreturn]] void fail(const QString& where, const QString& why)
{
    throw InvalidInput(QStringLiteral("%1: %2").arg(where, why));
}

// A string member: "" when missing; refused when present and not a string.
QString stringMember(const json& object, const char* member, const QString& where, bool required = false)
{
    const auto it = object.find(member);
    if (it == object.end() || it->is_null()) {
        if (required)
            fail(where, QStringLiteral("member \"%1\" is missing (a string)").arg(QLatin1String(member)));
        return {};
    }
    // A Markdown text may be given as an array of lines, easier to write in JSON.
    if (it->is_array()) {
        QStringList lines;
        for (const json& line : *it) {
            if (!line.is_string())
                fail(where,
                    QStringLiteral("member \"%1\" must be a string or an array of strings")
                        .arg(QLatin1String(member)));
            lines.append(text(line));
        }
        return lines.join(QLatin1Char('\n'));
    }
    if (!it->is_string())
        fail(where, QStringLiteral("member \"%1\" must be a string").arg(QLatin1String(member)));
    const QString value = text(*it);
    if (required && value.trimmed().isEmpty())
        fail(where, QStringLiteral("member \"%1\" must not be empty").arg(QLatin1String(member)));
    return value;
}

Condition parseCondition(const json& object, const QString& where)
{
    if (!object.is_object())
        fail(where, QStringLiteral("a condition is an object {\"fact\": \"...\", \"equals\": ...}"));
    Condition c;
    c.fact = stringMember(object, "fact", where, true);
    if (!isFactPath(c.fact))
        fail(where,
            QStringLiteral("\"fact\": \"%1\" is not a fact's name (letters and digits, parts joined by '.')")
                .arg(c.fact));
    c.says = stringMember(object, "says", where);
    static const std::vector<std::pair<const char*, Condition::Op>> ops = {{"equals", Condition::Op::Equals},
        {"notEquals", Condition::Op::NotEquals}, {"atLeast", Condition::Op::AtLeast},
        {"atMost", Condition::Op::AtMost}, {"contains", Condition::Op::Contains},
        {"exists", Condition::Op::Exists}, {"lessThanFact", Condition::Op::LessThanFact}};
    int found = 0;
    for (const auto& [name, op] : ops) {
        const auto it = object.find(name);
        if (it == object.end())
            continue;
        ++found;
        c.op = op;
        c.value = *it;
        if ((op == Condition::Op::AtLeast || op == Condition::Op::AtMost) && !it->is_number())
            fail(where, QStringLiteral("\"%1\" must be a number").arg(QLatin1String(name)));
        if (op == Condition::Op::Exists && !it->is_boolean())
            fail(where, QStringLiteral("\"exists\" must be true or false"));
        if (op == Condition::Op::LessThanFact) {
            if (!it->is_string() || !isFactPath(text(*it)))
                fail(where, QStringLiteral("\"lessThanFact\" must name a fact"));
            c.otherFact = text(*it);
        }
    }
    if (found != 1)
        fail(where,
            QStringLiteral("a condition needs exactly one of equals, notEquals, atLeast, atMost, "
                           "contains, exists, lessThanFact (it has %1)")
                .arg(found));
    for (const auto& item : object.items()) {
        const std::string& key = item.key();
        const bool known = key == "fact" || key == "says"
            || std::any_of(ops.begin(), ops.end(), [&key](const auto& op) { return key == op.first; });
        if (!known)
            fail(where, QStringLiteral("unknown member \"%1\"").arg(QString::fromStdString(key)));
    }
    return c;
}

Step parseStep(const json& object, const QString& where)
{
    if (!object.is_object())
        fail(where, QStringLiteral("a step is an object {\"title\", \"explain\", \"do\", \"check\"}"));
    for (const auto& [key, value] : object.items()) {
        Q_UNUSED(value)
        static const QStringList members = {QStringLiteral("title"), QStringLiteral("explain"),
            QStringLiteral("do"), QStringLiteral("check"), QStringLiteral("hint"), QStringLiteral("success")};
        if (!members.contains(QString::fromStdString(key)))
            fail(where,
                QStringLiteral("unknown member \"%1\" (a step has %2)")
                    .arg(QString::fromStdString(key), members.join(QStringLiteral(", "))));
    }
    Step step;
    step.title = stringMember(object, "title", where, true);
    step.explain = stringMember(object, "explain", where);
    step.hint = stringMember(object, "hint", where);
    step.success = stringMember(object, "success", where);
    if (const auto it = object.find("do"); it != object.end()) {
        if (!it->is_object())
            fail(where, QStringLiteral("member \"do\" must be an object"));
        for (const auto& [key, value] : it->items()) {
            Q_UNUSED(value)
            if (!knownActions().contains(QString::fromStdString(key)))
                fail(where + QStringLiteral(".do"),
                    QStringLiteral("unknown action \"%1\" (known: %2)")
                        .arg(QString::fromStdString(key), knownActions().join(QStringLiteral(", "))));
        }
        step.actions = *it;
    }
    if (const auto it = object.find("check"); it != object.end()) {
        const json conditions = it->is_object() ? json::array({*it}) : *it;
        if (!conditions.is_array())
            fail(where, QStringLiteral("member \"check\" must be a condition or an array of conditions"));
        if (int(conditions.size()) > MaxConditions)
            fail(where, QStringLiteral("more than %1 conditions").arg(MaxConditions));
        int i = 0;
        for (const json& condition : conditions)
            step.check.push_back(
                parseCondition(condition, QStringLiteral("%1.check[%2]").arg(where).arg(i++)));
    }
    if (step.explain.isEmpty() && step.check.empty())
        fail(where, QStringLiteral("a step needs an \"explain\" text, a \"check\", or both"));
    return step;
}

} // namespace

const QStringList& knownActions()
{
    static const QStringList actions = {QStringLiteral("workspace"), QStringLiteral("highlight"),
        QStringLiteral("selectStream"), QStringLiteral("selectAllStreams"), QStringLiteral("selectVersion"),
        QStringLiteral("timeTravel"), QStringLiteral("publish"), QStringLiteral("projectionsAt"),
        QStringLiteral("showStory"), QStringLiteral("consumers"), QStringLiteral("race"),
        QStringLiteral("streamBatch"), QStringLiteral("topics"), QStringLiteral("upcasters")};
    return actions;
}

json parseDocument(const QByteArray& bytes, const QString& source)
{
    if (bytes.size() > MaxFileBytes)
        throw InvalidInput(
            QStringLiteral("%1: larger than %2 MB").arg(source).arg(MaxFileBytes / (1024 * 1024)));
    const std::string_view view(bytes.constData(), std::size_t(bytes.size()));
    jsondepth::check(view, source);
    try {
        return json::parse(view);
    } catch (const json::exception& e) { // parse_error, or out_of_range for a number like 1e999
        throw InvalidInput(QStringLiteral("%1: not valid JSON: %2").arg(source, jsonerror::text(e)));
    }
}

bool isCourse(const json& document)
{
    return document.is_object() && document.contains("lessons");
}

Lesson parseLesson(const QByteArray& bytes, const QString& source)
{
    return parseLesson(parseDocument(bytes, source), source);
}

Lesson parseLesson(const json& document, const QString& source)
{
    if (!document.is_object())
        fail(source, QStringLiteral("a lesson is a JSON object {\"id\", \"title\", \"steps\": [...]}"));
    if (isCourse(document))
        fail(source, QStringLiteral("this is a course (it lists \"lessons\"), not a lesson"));
    Lesson lesson;
    lesson.source = source;
    lesson.id = stringMember(document, "id", source, true);
    lesson.title = stringMember(document, "title", source, true);
    lesson.summary = stringMember(document, "summary", source);
    const auto steps = document.find("steps");
    if (steps == document.end() || !steps->is_array() || steps->empty())
        fail(source, QStringLiteral("member \"steps\" must be a non-empty array of steps"));
    if (int(steps->size()) > MaxSteps)
        fail(source, QStringLiteral("more than %1 steps").arg(MaxSteps));
    int n = 0;
    for (const json& step : *steps) {
        ++n;
        lesson.steps.push_back(parseStep(step, QStringLiteral("%1: step %2").arg(source).arg(n)));
    }
    return lesson;
}

CourseIndex parseCourseIndex(const json& document, const QString& source)
{
    if (!isCourse(document))
        fail(source,
            QStringLiteral("a course is a JSON object {\"title\", \"lessons\": [\"lesson.json\", ...]}"));
    CourseIndex index;
    index.title = stringMember(document, "title", source, true);
    const json& lessons = document.at("lessons");
    if (!lessons.is_array() || lessons.empty())
        fail(source, QStringLiteral("member \"lessons\" must be a non-empty array of file names"));
    if (int(lessons.size()) > MaxLessons)
        fail(source, QStringLiteral("more than %1 lessons").arg(MaxLessons));
    for (const json& file : lessons) {
        if (!file.is_string() || file.get<std::string>().empty())
            fail(source, QStringLiteral("member \"lessons\" must hold file names (strings)"));
        const QString name = text(file);
        if (name.contains(QLatin1String("..")) || name.startsWith(QLatin1Char('/')))
            fail(source,
                QStringLiteral("lesson \"%1\": a course names files beside it (no \"..\", no absolute path)")
                    .arg(name));
        index.files.append(name);
    }
    return index;
}

} // namespace chronoscope::lessons
