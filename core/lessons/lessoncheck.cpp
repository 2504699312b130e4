#include "lessons/lessoncheck.h"

#include <QRegularExpression>

namespace chronoscope::lessons {

namespace {

using json = nlohmann::json;

bool isNumber(const json& value)
{
    return value.is_number() || value.is_boolean();
}

double number(const json& value)
{
    if (value.is_boolean())
        return value.get<bool>() ? 1 : 0;
    return value.get<double>();
}

bool equal(const json& a, const json& b)
{
    if (a.is_number() && b.is_number())
        return a.get<double>() == b.get<double>();
    return a == b;
}

// Every member of `pattern` present in `value` with an equal value (one level: nested values
// compare whole).
bool matchesObject(const json& value, const json& pattern)
{
    if (!value.is_object())
        return false;
    for (const auto& [key, expected] : pattern.items()) {
        const auto it = value.find(key);
        if (it == value.end())
            return false;
        if (expected.is_string() && it->is_string()) {
            if (QString::fromStdString(it->get<std::string>())
                    .compare(QString::fromStdString(expected.get<std::string>()), Qt::CaseInsensitive)
                != 0)
                return false;
        } else if (!equal(*it, expected)) {
            return false;
        }
    }
    return true;
}

bool contains(const json& fact, const json& value)
{
    if (fact.is_string() && value.is_string())
        return QString::fromStdString(fact.get<std::string>())
            .contains(QString::fromStdString(value.get<std::string>()), Qt::CaseInsensitive);
    if (fact.is_array()) {
        for (const json& element : fact) {
            if (value.is_object() ? matchesObject(element, value) : equal(element, value))
                return true;
            if (value.is_string() && element.is_string()
                && QString::fromStdString(element.get<std::string>())
                        .compare(QString::fromStdString(value.get<std::string>()), Qt::CaseInsensitive)
                    == 0)
                return true;
        }
        return false;
    }
    if (fact.is_object() && value.is_object())
        return matchesObject(fact, value);
    if (fact.is_object() && value.is_string())
        return fact.contains(value.get<std::string>());
    return false;
}

QString shown(const std::optional<json>& value)
{
    if (!value)
        return QStringLiteral("nothing yet");
    if (value->is_string())
        return QStringLiteral("\"%1\"").arg(QString::fromStdString(value->get<std::string>()));
    const std::string text = value->dump();
    return QString::fromStdString(text.size() > 60 ? text.substr(0, 57) + "..." : text);
}

} // namespace

bool isFactPath(const QString& path)
{
    static const QRegularExpression pattern(
        QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+){0,7}$"));
    return pattern.match(path).hasMatch();
}

std::optional<json> factAt(const json& facts, const QString& path)
{
    const json* at = &facts;
    for (const QString& part : path.split(QLatin1Char('.'))) {
        const std::string key = part.toStdString();
        if (at->is_object()) {
            const auto it = at->find(key);
            if (it == at->end())
                return std::nullopt;
            at = &*it;
        } else if (at->is_array()) {
            bool ok = false;
            const int index = part.toInt(&ok);
            if (!ok || index < 0 || index >= int(at->size()))
                return std::nullopt;
            at = &(*at)[std::size_t(index)];
        } else {
            return std::nullopt;
        }
    }
    return *at;
}

bool holds(const Condition& condition, const json& facts)
{
    const std::optional<json> fact = factAt(facts, condition.fact);
    using Op = Condition::Op;
    switch (condition.op) {
    case Op::Exists:
        return (fact && !fact->is_null()) == condition.value.get<bool>();
    case Op::Equals:
        return fact && equal(*fact, condition.value);
    case Op::NotEquals:
        return fact && !equal(*fact, condition.value);
    case Op::AtLeast:
        return fact && isNumber(*fact) && number(*fact) >= condition.value.get<double>();
    case Op::AtMost:
        return fact && isNumber(*fact) && number(*fact) <= condition.value.get<double>();
    case Op::Contains:
        return fact && contains(*fact, condition.value);
    case Op::LessThanFact: {
        const std::optional<json> other = factAt(facts, condition.otherFact);
        return fact && other && isNumber(*fact) && isNumber(*other) && number(*fact) < number(*other);
    }
    }
    return false;
}

QString describe(const Condition& condition, const json& facts)
{
    if (!condition.says.isEmpty())
        return condition.says;
    const std::optional<json> fact = factAt(facts, condition.fact);
    using Op = Condition::Op;
    QString want;
    switch (condition.op) {
    case Op::Exists:
        want = condition.value.get<bool>() ? QStringLiteral("is set") : QStringLiteral("is not set");
        break;
    case Op::Equals:
        want = QStringLiteral("is %1").arg(shown(condition.value));
        break;
    case Op::NotEquals:
        want = QStringLiteral("is not %1").arg(shown(condition.value));
        break;
    case Op::AtLeast:
        want = QStringLiteral("is at least %1").arg(shown(condition.value));
        break;
    case Op::AtMost:
        want = QStringLiteral("is at most %1").arg(shown(condition.value));
        break;
    case Op::Contains:
        want = QStringLiteral("contains %1").arg(shown(condition.value));
        break;
    case Op::LessThanFact:
        want = QStringLiteral("is less than %1 (%2)")
                   .arg(condition.otherFact, shown(factAt(facts, condition.otherFact)));
        break;
    }
    return QStringLiteral("%1 %2 (now %3)").arg(condition.fact, want, shown(fact));
}

CheckResult check(const Step& step, const json& facts)
{
    CheckResult result;
    for (int i = 0; i < int(step.check.size()); ++i) {
        if (holds(step.check[std::size_t(i)], facts)) {
            ++result.held;
        } else if (result.passed) {
            result.passed = false;
            result.failing = i;
            result.missing = describe(step.check[std::size_t(i)], facts);
        }
    }
    return result;
}

} // namespace chronoscope::lessons
