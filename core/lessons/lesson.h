#pragma once

// Lessons: a course is a list of lessons, a lesson a list of steps (explain -> do -> check). They
// are data files a teacher can write (JSON, the explanations in Markdown; see the manual's
// "Writing a lesson"). ui/lessons shows them in the Lessons dock, applies a step's "do" to the
// window and evaluates its "check" against the facts the window reports (lessoncheck.h).

#include "base/errors.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <vector>

namespace chronoscope::lessons {

/// The most steps a lesson may have, and lessons a course.
inline constexpr int MaxSteps = 200;
inline constexpr int MaxLessons = 200;
/// The most conditions a step's check may have.
inline constexpr int MaxConditions = 50;
/// The largest lesson or course file read (bytes).
inline constexpr qint64 MaxFileBytes = 4 * 1024 * 1024;

/// One condition of a step's check: the fact at `fact` (a dotted path into the facts object,
/// "race.conflicts") compared by `op` with `value` (or, for LessThanFact, with the fact at
/// `otherFact`).
struct Condition {
    enum class Op { Equals, NotEquals, AtLeast, AtMost, Contains, Exists, LessThanFact };
    QString fact;
    Op op = Op::Exists;
    nlohmann::json value;
    QString otherFact;
    QString says; ///< what the learner should do, in words ("publish AddItem to cart-102"); may be empty
};

/// One step: what it explains (Markdown), what it does to the window when shown ("do": workspace,
/// highlight, selectStream, publish, race, topics ...; kept as JSON, ui/lessons applies it), and
/// the conditions that must all hold before Next (none: Next is always allowed).
struct Step {
    QString title;
    QString explain;
    nlohmann::json actions = nlohmann::json::object();
    std::vector<Condition> check;
    QString hint;    ///< shown while the check does not hold, when the learner asks
    QString success; ///< shown once it holds
};

struct Lesson {
    QString id; ///< unique in a course; the key its progress is kept under
    QString title;
    QString summary;
    std::vector<Step> steps;
    QString source; ///< the file it was read from, for messages
};

struct Course {
    QString title;
    std::vector<Lesson> lessons;
    QString source;
};

/// The members a step's "do" may have (anything else is refused, naming it).
const QStringList& knownActions();

/// Parses a lesson file. Throws InvalidInput naming `source`, the step (1-based) and member.
Lesson parseLesson(const QByteArray& bytes, const QString& source);
Lesson parseLesson(const nlohmann::json& document, const QString& source);

/// Parses a course file {"title", "lessons":["file.json", ...]}; `readFile` reads a lesson file
/// named relative to the course (it throws on a missing file). Lesson ids must be unique.
template<typename ReadFile>
Course parseCourse(const QByteArray& bytes, const QString& source, ReadFile readFile);

/// Whether a parsed JSON document is a course (has "lessons") rather than one lesson.
bool isCourse(const nlohmann::json& document);

/// Parses JSON text with the project's nesting bound; throws InvalidInput naming `source` and
/// the byte of a syntax error.
nlohmann::json parseDocument(const QByteArray& bytes, const QString& source);

/// The course's title and its lesson file names, checked (used by parseCourse).
struct CourseIndex {
    QString title;
    QStringList files;
};
CourseIndex parseCourseIndex(const nlohmann::json& document, const QString& source);

template<typename ReadFile>
Course parseCourse(const QByteArray& bytes, const QString& source, ReadFile readFile)
{
    const CourseIndex index = parseCourseIndex(parseDocument(bytes, source), source);
    Course course;
    course.title = index.title;
    course.source = source;
    QStringList ids;
    for (const QString& file : index.files) {
        Lesson lesson = parseLesson(readFile(file), file);
        if (ids.contains(lesson.id))
            throw InvalidInput(QStringLiteral("%1: two lessons have the id \"%2\" (the second in %3)")
                                   .arg(source, lesson.id, file));
        ids.append(lesson.id);
        course.lessons.push_back(std::move(lesson));
    }
    return course;
}

} // namespace chronoscope::lessons
