#include "upcast/upcasterrules.h"

#include "json/jsondepth.h"
#include "json/jsonpointer.h"

#include <QFile>

#include <cmath>
#include <set>

namespace chronoscope::upcasterrules {

namespace {

enum class OpKind { Rename, Move, Add, Remove, Retype };
enum class Target { String, Number, Integer, Boolean };
enum class Rounding { None, Floor, Ceil, Nearest, Truncate };

struct Op {
    OpKind kind = OpKind::Add;
    JsonPointer from; // rename, move
    JsonPointer path; // add, remove, retype; the destination of rename and move
    std::string fromText;
    std::string pathText;
    nlohmann::json value; // add: the default; retype: the fallback
    bool hasFallback = false;
    Target target = Target::String;
    Rounding rounding = Rounding::None;

    QString describe() const
    {
        const auto p = QString::fromStdString(pathText);
        const auto f = QString::fromStdString(fromText);
        switch (kind) {
        case OpKind::Rename:
            return QStringLiteral("rename %1 to %2").arg(f, p);
        case OpKind::Move:
            return QStringLiteral("move %1 to %2").arg(f, p);
        case OpKind::Add:
            return QStringLiteral("add %1").arg(p);
        case OpKind::Remove:
            return QStringLiteral("remove %1").arg(p);
        case OpKind::Retype:
            return QStringLiteral("retype %1").arg(p);
        }
        return {};
    }
};

/// Thrown by an op; the step adds which rule, op and event.
struct OpFailure {
    QString reason;
};

QString typeName(const nlohmann::json& v)
{
    return QString::fromUtf8(v.type_name());
}

QString shortText(const nlohmann::json& v)
{
    auto text = QString::fromStdString(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (text.size() > 60)
        text = text.left(57) + QStringLiteral("...");
    return text;
}

// ---- applying ops ----

/// The container that holds `pointer`'s last token, creating missing objects on the way.
nlohmann::json& parentForWrite(nlohmann::json& doc, const JsonPointer& pointer)
{
    nlohmann::json* node = &doc;
    JsonPointer walked;
    for (std::size_t i = 0; i + 1 < pointer.tokens.size(); ++i) {
        const auto& token = pointer.tokens[i];
        if (node->is_null())
            *node = nlohmann::json::object();
        if (node->is_object()) {
            node = &(*node)[token];
        } else if (node->is_array() && isArrayIndex(token) && std::stoull(token) < node->size()) {
            node = &(*node)[std::stoull(token)];
        } else {
            throw OpFailure {QStringLiteral("%1 is %2, not an object")
                                 .arg(walked.isRoot() ? QStringLiteral("the payload")
                                                      : QString::fromStdString(walked.toString()),
                                     typeName(*node))};
        }
        walked = walked.child(token);
    }
    if (node->is_null())
        *node = nlohmann::json::object();
    if (!node->is_object() && !node->is_array())
        throw OpFailure {QStringLiteral("%1 is %2, not an object")
                             .arg(walked.isRoot() ? QStringLiteral("the payload")
                                                  : QString::fromStdString(walked.toString()),
                                 typeName(*node))};
    return *node;
}

void put(nlohmann::json& doc, const JsonPointer& pointer, nlohmann::json value)
{
    auto& parent = parentForWrite(doc, pointer);
    const auto& last = pointer.tokens.back();
    if (parent.is_object()) {
        parent[last] = std::move(value);
        return;
    }
    if (last == "-") {
        parent.push_back(std::move(value));
        return;
    }
    if (!isArrayIndex(last) || std::stoull(last) > parent.size())
        throw OpFailure {
            QStringLiteral("'%1' is not an index of the array at %2 (size %3)")
                .arg(QString::fromStdString(last), QString::fromStdString(pointer.parent().toString()))
                .arg(parent.size())};
    parent.insert(parent.begin() + std::ptrdiff_t(std::stoull(last)), std::move(value));
}

void erase(nlohmann::json& doc, const JsonPointer& pointer)
{
    auto* parent = pointer.parent().find(doc);
    if (!parent)
        return;
    const auto& last = pointer.tokens.back();
    if (parent->is_object())
        parent->erase(last);
    else if (parent->is_array() && isArrayIndex(last) && std::stoull(last) < parent->size())
        parent->erase(std::stoull(last));
}

std::optional<double> parseNumber(const std::string& text)
{
    const auto trimmed = QString::fromStdString(text).trimmed();
    bool ok = false;
    const double d = trimmed.toDouble(&ok);
    if (!ok || !std::isfinite(d))
        return std::nullopt;
    return d;
}

nlohmann::json convert(const nlohmann::json& v, const Op& op)
{
    const auto cannot
        = [&](const QString& what) { return OpFailure {QStringLiteral("%1 %2").arg(shortText(v), what)}; };
    switch (op.target) {
    case Target::String:
        if (v.is_string())
            return v;
        if (v.is_number() || v.is_boolean())
            return v.dump();
        throw cannot(QStringLiteral("(%1) cannot become a string").arg(typeName(v)));
    case Target::Number:
        if (v.is_number())
            return v;
        if (v.is_string()) {
            const auto d = parseNumber(v.get<std::string>());
            if (!d)
                throw cannot(QStringLiteral("is not a number"));
            if (std::trunc(*d) == *d && std::fabs(*d) < 9.0e15)
                return std::int64_t(*d);
            return *d;
        }
        throw cannot(QStringLiteral("(%1) cannot become a number").arg(typeName(v)));
    case Target::Integer: {
        if (v.is_number_integer())
            return v;
        double d = 0;
        if (v.is_number_float()) {
            d = v.get<double>();
        } else if (v.is_string()) {
            const auto parsed = parseNumber(v.get<std::string>());
            if (!parsed)
                throw cannot(QStringLiteral("is not a number"));
            d = *parsed;
        } else {
            throw cannot(QStringLiteral("(%1) cannot become an integer").arg(typeName(v)));
        }
        switch (op.rounding) {
        case Rounding::None:
            break;
        case Rounding::Floor:
            d = std::floor(d);
            break;
        case Rounding::Ceil:
            d = std::ceil(d);
            break;
        case Rounding::Nearest:
            d = std::round(d);
            break;
        case Rounding::Truncate:
            d = std::trunc(d);
            break;
        }
        if (std::trunc(d) != d)
            throw cannot(QStringLiteral("is not a whole number (give \"round\" to round it)"));
        if (std::fabs(d) >= 9.2e18)
            throw cannot(QStringLiteral("is too large for an integer"));
        return std::int64_t(d);
    }
    case Target::Boolean:
        if (v.is_boolean())
            return v;
        if (v.is_number() && (v == 0 || v == 1))
            return v == 1;
        if (v.is_string()) {
            const auto s = QString::fromStdString(v.get<std::string>()).trimmed().toLower();
            if (s == QLatin1String("true") || s == QLatin1String("1"))
                return true;
            if (s == QLatin1String("false") || s == QLatin1String("0"))
                return false;
        }
        throw cannot(QStringLiteral("is not true, false, 1 or 0"));
    }
    return v;
}

void apply(const Op& op, nlohmann::json& doc)
{
    switch (op.kind) {
    case OpKind::Rename:
    case OpKind::Move: {
        const auto* source = op.from.find(doc);
        if (!source)
            return;
        if (op.path.find(doc))
            throw OpFailure {QStringLiteral("%1 already exists; it is kept rather than overwritten")
                                 .arg(QString::fromStdString(op.pathText))};
        auto value = *source;
        erase(doc, op.from);
        put(doc, op.path, std::move(value));
        return;
    }
    case OpKind::Add:
        if (!op.path.find(doc))
            put(doc, op.path, op.value);
        return;
    case OpKind::Remove:
        erase(doc, op.path);
        return;
    case OpKind::Retype: {
        auto* target = op.path.find(doc);
        if (!target || target->is_null())
            return;
        try {
            *target = convert(*target, op);
        } catch (const OpFailure&) {
            if (!op.hasFallback)
                throw;
            *target = op.value;
        }
        return;
    }
    }
}

class RuleStep final : public UpcastStep {
public:
    RuleStep(QString type, int from, int to, QString name, std::vector<Op> ops)
        : UpcastStep(std::move(type), from, to)
        , m_name(std::move(name))
        , m_ops(std::move(ops))
    {
    }

    QString name() const override { return m_name; }

    std::vector<nlohmann::json> apply(
        const std::vector<const RecordedEvent*>& events, std::vector<nlohmann::json> data) const override
    {
        for (std::size_t i = 0; i < data.size(); ++i) {
            for (std::size_t k = 0; k < m_ops.size(); ++k) {
                try {
                    upcasterrules::apply(m_ops[k], data[i]);
                } catch (const OpFailure& failure) {
                    throw UpcastError(
                        QStringLiteral("%1 (%2) op [%3] (%4) failed at %5: %6")
                            .arg(m_name, label())
                            .arg(k)
                            .arg(m_ops[k].describe(), describeEvent(*events[i]), failure.reason),
                        events[i]->position);
                }
            }
        }
        return data;
    }

private:
    QString m_name;
    std::vector<Op> m_ops;
};

// ---- reading the file ----

class Reader {
public:
    explicit Reader(QString where)
        : m_where(std::move(where))
    {
    }
    [[noreturn]] void fail(const QString& message) const
    {
        throw InvalidInput(QStringLiteral("%1: %2").arg(m_where, message));
    }
    void allowOnly(const nlohmann::json& object, std::initializer_list<const char*> keys) const
    {
        for (const auto& item : object.items()) {
            const auto& key = item.key(); // not a structured binding: clang 14 cannot capture one
            if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; })) {
                QStringList names;
                for (const char* k : keys)
                    names.append(QLatin1String(k));
                fail(QStringLiteral("unknown member \"%1\" (expected %2)")
                         .arg(QString::fromStdString(key), names.join(QStringLiteral(", "))));
            }
        }
    }
    const nlohmann::json& member(const nlohmann::json& object, const char* key) const
    {
        const auto it = object.find(key);
        if (it == object.end())
            fail(QStringLiteral("\"%1\" is missing").arg(QLatin1String(key)));
        return *it;
    }
    std::string text(const nlohmann::json& object, const char* key) const
    {
        const auto& v = member(object, key);
        if (!v.is_string())
            fail(QStringLiteral("\"%1\" must be a string, not %2").arg(QLatin1String(key), typeName(v)));
        return v.get<std::string>();
    }
    int version(const nlohmann::json& object, const char* key) const
    {
        const auto& v = member(object, key);
        if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > 1000000)
            fail(QStringLiteral("\"%1\" must be a schema version (a whole number 0 or more), not %2")
                     .arg(QLatin1String(key), shortText(v)));
        return int(v.get<std::int64_t>());
    }
    JsonPointer pointer(const nlohmann::json& object, const char* key, std::string* textOut) const
    {
        const auto text = this->text(object, key);
        std::string error;
        const auto p = JsonPointer::parse(text, &error);
        if (!p)
            fail(QStringLiteral("\"%1\": '%2' is not a JSON Pointer: %3")
                     .arg(QLatin1String(key), QString::fromStdString(text), QString::fromStdString(error)));
        if (p->isRoot())
            fail(QStringLiteral("\"%1\" names the whole payload; it must name a member (e.g. \"/name\")")
                     .arg(QLatin1String(key)));
        *textOut = text;
        return *p;
    }

private:
    QString m_where;
};

Op parseOp(const nlohmann::json& json, const Reader& r)
{
    if (!json.is_object())
        r.fail(QStringLiteral("an op must be an object, not %1").arg(typeName(json)));
    Op op;
    const auto kind = QString::fromStdString(r.text(json, "op"));
    if (kind == QLatin1String("rename") || kind == QLatin1String("move")) {
        op.kind = kind == QLatin1String("rename") ? OpKind::Rename : OpKind::Move;
        r.allowOnly(json, {"op", "from", "to"});
        op.from = r.pointer(json, "from", &op.fromText);
        op.path = r.pointer(json, "to", &op.pathText);
        if (op.kind == OpKind::Rename && op.from.parent() != op.path.parent())
            r.fail(QStringLiteral(
                "rename changes only the last name (%1 and %2 have different parents); use move")
                       .arg(QString::fromStdString(op.fromText), QString::fromStdString(op.pathText)));
        if (op.from.isPrefixOf(op.path))
            r.fail(QStringLiteral("%1 cannot move into itself (%2)")
                       .arg(QString::fromStdString(op.fromText), QString::fromStdString(op.pathText)));
    } else if (kind == QLatin1String("add")) {
        op.kind = OpKind::Add;
        r.allowOnly(json, {"op", "path", "default"});
        op.path = r.pointer(json, "path", &op.pathText);
        op.value = r.member(json, "default");
    } else if (kind == QLatin1String("remove")) {
        op.kind = OpKind::Remove;
        r.allowOnly(json, {"op", "path"});
        op.path = r.pointer(json, "path", &op.pathText);
    } else if (kind == QLatin1String("retype")) {
        op.kind = OpKind::Retype;
        r.allowOnly(json, {"op", "path", "to", "round", "default"});
        op.path = r.pointer(json, "path", &op.pathText);
        const auto to = QString::fromStdString(r.text(json, "to"));
        if (to == QLatin1String("string"))
            op.target = Target::String;
        else if (to == QLatin1String("number"))
            op.target = Target::Number;
        else if (to == QLatin1String("integer"))
            op.target = Target::Integer;
        else if (to == QLatin1String("boolean"))
            op.target = Target::Boolean;
        else
            r.fail(QStringLiteral("retype \"to\": '%1' is not string, number, integer or boolean").arg(to));
        if (json.contains("round")) {
            const auto round = QString::fromStdString(r.text(json, "round"));
            if (op.target != Target::Integer)
                r.fail(QStringLiteral("\"round\" applies only to \"to\": \"integer\""));
            if (round == QLatin1String("floor"))
                op.rounding = Rounding::Floor;
            else if (round == QLatin1String("ceil"))
                op.rounding = Rounding::Ceil;
            else if (round == QLatin1String("nearest"))
                op.rounding = Rounding::Nearest;
            else if (round == QLatin1String("truncate"))
                op.rounding = Rounding::Truncate;
            else
                r.fail(QStringLiteral("\"round\": '%1' is not floor, ceil, nearest or truncate").arg(round));
        }
        if (json.contains("default")) {
            op.value = json.at("default");
            op.hasFallback = true;
        }
    } else {
        r.fail(QStringLiteral("unknown op '%1' (expected rename, move, add, remove or retype)").arg(kind));
    }
    return op;
}

} // namespace

std::vector<std::shared_ptr<const UpcastStep>> parse(const QByteArray& bytes, const QString& fileName)
{
    nlohmann::json doc;
    jsondepth::check(std::string_view(bytes.constData(), std::size_t(bytes.size())), fileName);
    try {
        doc = nlohmann::json::parse(bytes.constBegin(), bytes.constEnd());
    } catch (const nlohmann::json::exception& e) {
        auto message = QString::fromUtf8(e.what());
        const auto bracket = message.indexOf(QLatin1String("] "));
        if (bracket > 0)
            message = message.mid(bracket + 2);
        throw InvalidInput(QStringLiteral("%1: not valid JSON: %2").arg(fileName, message));
    }
    if (doc.is_object() && doc.contains("upcasters"))
        doc = doc["upcasters"];
    if (!doc.is_array())
        throw InvalidInput(
            QStringLiteral("%1: an upcaster rule file is an array of rules (or {\"upcasters\": [...]}), "
                           "not %2")
                .arg(fileName, typeName(doc)));
    std::vector<std::shared_ptr<const UpcastStep>> steps;
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const auto name = QStringLiteral("%1 rule [%2]").arg(fileName).arg(i);
        const Reader rule(name);
        const auto& json = doc[i];
        if (!json.is_object())
            rule.fail(QStringLiteral("a rule must be an object, not %1").arg(typeName(json)));
        rule.allowOnly(json, {"type", "from", "to", "ops", "description"});
        const auto type = QString::fromStdString(rule.text(json, "type")).trimmed();
        if (type.isEmpty())
            rule.fail(QStringLiteral("\"type\" is empty"));
        const int from = rule.version(json, "from");
        const int to = rule.version(json, "to");
        if (to <= from)
            rule.fail(QStringLiteral("\"to\" (%1) must be above \"from\" (%2)").arg(to).arg(from));
        const auto& ops = rule.member(json, "ops");
        if (!ops.is_array())
            rule.fail(QStringLiteral("\"ops\" must be an array, not %1").arg(typeName(ops)));
        std::vector<Op> parsed;
        for (std::size_t k = 0; k < ops.size(); ++k)
            parsed.push_back(parseOp(ops[k], Reader(QStringLiteral("%1 op [%2]").arg(name).arg(k))));
        steps.push_back(std::make_shared<RuleStep>(type, from, to, name, std::move(parsed)));
    }
    return steps;
}

std::vector<std::shared_ptr<const UpcastStep>> loadFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InvalidInput(
            QStringLiteral("cannot read upcaster rules '%1': %2").arg(path, file.errorString()));
    return parse(file.readAll(), path);
}

} // namespace chronoscope::upcasterrules
