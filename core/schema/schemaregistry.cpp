#include "schema/schemaregistry.h"

#include "json/jsondepth.h"
#include "json/jsonerror.h"
#include "json/jsonpointer.h"
#include "schema/schemamatch.h" // before valijson is used: bounded pattern and format checks

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <set>

namespace chronoscope {

QString draftName(SchemaDraft draft)
{
    switch (draft) {
    case SchemaDraft::Draft3:
        return QStringLiteral("draft 3");
    case SchemaDraft::Draft4:
        return QStringLiteral("draft 4");
    case SchemaDraft::Draft6:
        return QStringLiteral("draft 6");
    case SchemaDraft::Draft7:
        return QStringLiteral("draft 7");
    }
    return {};
}

QString SchemaCheck::summary() const
{
    QStringList parts;
    for (const auto& v : violations)
        parts.append(QStringLiteral("%1: %2").arg(
            v.pointer.isEmpty() ? QStringLiteral("(payload)") : v.pointer, v.message));
    return parts.join(QStringLiteral("; "));
}

struct SchemaRegistry::Entry {
    nlohmann::json document;
    QString origin;
    SchemaDraft draft = SchemaDraft::Draft7;
    valijson::Schema schema;
};

namespace {

/// The draft named by `$schema`; nullopt when there is none. Throws InvalidInput for a draft
/// the validator does not implement.
std::optional<SchemaDraft> declaredDraft(const nlohmann::json& schema, const QString& origin)
{
    if (!schema.is_object() || !schema.contains("$schema"))
        return std::nullopt;
    const auto& value = schema["$schema"];
    if (!value.is_string())
        throw InvalidInput(QStringLiteral("%1: \"$schema\" must be a string").arg(origin));
    const auto uri = QString::fromStdString(value.get<std::string>());
    if (uri.contains(QLatin1String("draft-03")))
        return SchemaDraft::Draft3;
    if (uri.contains(QLatin1String("draft-04")))
        return SchemaDraft::Draft4;
    if (uri.contains(QLatin1String("draft-06")))
        return SchemaDraft::Draft6;
    if (uri.contains(QLatin1String("draft-07")))
        return SchemaDraft::Draft7;
    throw InvalidInput(
        QStringLiteral("%1: \"$schema\" is '%2'; the validator implements drafts 3, 4, 6 and 7 "
                       "(e.g. http://json-schema.org/draft-07/schema#)")
            .arg(origin, uri));
}

valijson::SchemaParser::Version parserVersion(SchemaDraft draft)
{
    switch (draft) {
    case SchemaDraft::Draft3:
        return valijson::SchemaParser::kDraft3;
    case SchemaDraft::Draft4:
        return valijson::SchemaParser::kDraft4;
    case SchemaDraft::Draft6:
    case SchemaDraft::Draft7:
        break;
    }
    return valijson::SchemaParser::kDraft7;
}

/// valijson names where an error is as {"<root>", "[name]", "[0]", ...}; a JSON Pointer
/// writes the same tokens, so the brackets only need to come off.
QString pointerOf(const std::vector<std::string>& context)
{
    JsonPointer pointer;
    for (const auto& part : context) {
        if (part == "<root>")
            continue;
        if (part.size() >= 2 && part.front() == '[' && part.back() == ']')
            pointer = pointer.child(part.substr(1, part.size() - 2));
        else
            pointer = pointer.child(part);
    }
    return QString::fromStdString(pointer.toString());
}

/// valijson reports, besides the failure itself, one line per enclosing keyword that failed
/// because of it ("Failed to validate against schema associated with property name 'x'.").
/// Those add nothing a person needs when the inner failure is reported too.
bool isEnvelope(const std::string& description)
{
    static const char* const prefixes[] = {
        "Failed to validate against schema associated with property name",
        "Failed to validate item #",
        "Failed to validate against child schema",
        "Failed to validate additional properties",
        "Failed to validate against additional properties schema",
    };
    return std::any_of(std::begin(prefixes), std::end(prefixes),
        [&](const char* p) { return description.rfind(p, 0) == 0; });
}

std::optional<nlohmann::json> readJsonFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot be read: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const auto bytes = file.readAll();
    if (const auto at
        = jsondepth::tooDeepAt(std::string_view(bytes.constData(), std::size_t(bytes.size())))) {
        *error = jsondepth::message(path, *at);
        return std::nullopt;
    }
    try {
        return nlohmann::json::parse(bytes.constBegin(), bytes.constEnd());
    } catch (const nlohmann::json::exception& e) {
        *error = QStringLiteral("%1: not valid JSON: %2").arg(path, jsonerror::text(e));
        return std::nullopt;
    }
}

/// Resolves `$ref` documents inside one folder: relative names or file: URIs of files in it.
SchemaRegistry::Resolver folderResolver(const QString& folder)
{
    const auto root = QDir(folder).canonicalPath();
    return [root](const std::string& uriText) -> std::optional<nlohmann::json> {
        auto uri = QString::fromStdString(uriText);
        if (uri.startsWith(QLatin1String("file://")))
            uri = uri.mid(7);
        else if (uri.contains(QLatin1String("://")) || uri.startsWith(QLatin1String("urn:")))
            return std::nullopt; // never the network
        const QFileInfo info(QDir::isAbsolutePath(uri) ? uri : root + QLatin1Char('/') + uri);
        const auto path = info.canonicalFilePath();
        if (path.isEmpty() || !path.startsWith(root + QLatin1Char('/')))
            return std::nullopt;
        QString error;
        return readJsonFile(path, &error);
    };
}

/// Looks at every `$ref` before valijson does: valijson recurses without end on a reference
/// that leads back to itself, and on some relative paths it cannot resolve. Throws
/// InvalidInput naming the schema, the reference and where it is.
class RefChecker {
public:
    RefChecker(const nlohmann::json& root, const QString& origin, const SchemaRegistry::Resolver& resolver)
        : m_root(root)
        , m_origin(origin)
        , m_resolver(resolver)
        , m_hasBaseChange(containsKey(root, "$id") || containsKey(root, "id"))
    {
    }

    void check(const nlohmann::json& node, const JsonPointer& at)
    {
        if (node.is_array()) {
            for (std::size_t i = 0; i < node.size(); ++i)
                check(node[i], at.child(std::to_string(i)));
            return;
        }
        if (!node.is_object())
            return;
        const auto ref = node.find("$ref");
        if (ref != node.end() && ref->is_string())
            checkRef(ref->get<std::string>(), at);
        for (const auto& [key, value] : node.items()) {
            if (key == "enum" || key == "const" || key == "default" || key == "examples")
                continue; // data, not schemas
            check(value, at.child(key));
        }
    }

private:
    static bool containsKey(const nlohmann::json& node, const char* key)
    {
        if (node.is_object()) {
            const auto it = node.find(key);
            if (it != node.end() && it->is_string())
                return true;
            for (const auto& [k, v] : node.items()) {
                if (k != "enum" && k != "const" && containsKey(v, key))
                    return true;
            }
        } else if (node.is_array()) {
            for (const auto& v : node)
                if (containsKey(v, key))
                    return true;
        }
        return false;
    }

    [[noreturn]] void fail(const std::string& ref, const JsonPointer& at, const QString& why) const
    {
        throw InvalidInput(
            QStringLiteral("%1: \"$ref\": \"%2\" at %3 %4")
                .arg(m_origin, QString::fromStdString(ref),
                    at.isRoot() ? QStringLiteral("the top") : QString::fromStdString(at.toString()), why));
    }

    void checkRef(const std::string& ref, const JsonPointer& at)
    {
        const auto hash = ref.find('#');
        const auto document = ref.substr(0, hash);
        const auto fragment = hash == std::string::npos ? std::string() : ref.substr(hash + 1);
        if (!document.empty()) {
            // Only when no $id changes the base: then the reference is what the resolver sees.
            if (!m_hasBaseChange && (!m_resolver || !m_resolver(document)))
                fail(ref, at,
                    QStringLiteral(
                        "cannot be resolved (a $ref reaches other files of the schema folder, never "
                        "outside it or the network)"));
            return;
        }
        if (!fragment.empty() && fragment.front() != '/')
            return; // a location-independent identifier ("#foo")
        // Follow references inside this document; coming back to one already seen is a loop.
        std::set<std::string> seen {ref};
        std::string current = fragment;
        for (;;) {
            const auto decoded = QUrl::fromPercentEncoding(QByteArray::fromStdString(current)).toStdString();
            const auto pointer = JsonPointer::parse(decoded);
            if (!pointer)
                fail(ref, at, QStringLiteral("is not a JSON Pointer after the '#'"));
            const auto* target = pointer->find(m_root);
            if (!target) {
                if (m_hasBaseChange)
                    return; // may live under another $id: leave it to the validator
                fail(ref, at, QStringLiteral("points to nothing in the schema"));
            }
            if (!target->is_object() || !target->contains("$ref") || !(*target)["$ref"].is_string())
                return;
            const auto next = (*target)["$ref"].get<std::string>();
            if (next.empty() || next.front() != '#')
                return;
            if (!seen.insert(next).second)
                fail(ref, at, QStringLiteral("leads back to itself"));
            current = next.substr(1);
        }
    }

    const nlohmann::json& m_root;
    QString m_origin;
    SchemaRegistry::Resolver m_resolver;
    bool m_hasBaseChange;
};

} // namespace

SchemaRegistry::SchemaRegistry() = default;
SchemaRegistry::~SchemaRegistry() = default;

std::shared_ptr<SchemaRegistry> SchemaRegistry::loadFolder(const QString& folder)
{
    const QFileInfo info(folder);
    if (!info.exists())
        throw OpenError(QStringLiteral("schema folder '%1': no such folder").arg(folder));
    if (!info.isDir())
        throw OpenError(QStringLiteral("schema folder '%1' is a file, not a folder").arg(folder));
    QDir dir(folder);
    if (!dir.isReadable())
        throw OpenError(QStringLiteral("schema folder '%1' cannot be read").arg(folder));
    static const QRegularExpression pattern(QStringLiteral("^(.+)\\.v(\\d{1,6})\\.schema\\.json$"));
    auto registry = std::make_shared<SchemaRegistry>();
    AddOptions options;
    options.resolver = folderResolver(folder);
    const auto names
        = dir.entryList({QStringLiteral("*.schema.json")}, QDir::Files | QDir::Readable, QDir::Name);
    for (const auto& name : names) {
        const auto path = dir.filePath(name);
        const auto match = pattern.match(name);
        if (!match.hasMatch())
            throw InvalidInput(QStringLiteral("%1: a schema file is named <Type>.v<N>.schema.json (e.g. "
                                              "ItemAdded.v2.schema.json)")
                                   .arg(path));
        QString error;
        const auto document = readJsonFile(path, &error);
        if (!document)
            throw InvalidInput(error);
        registry->add(match.captured(1), match.captured(2).toInt(), *document, path, options);
    }
    return registry;
}

void SchemaRegistry::add(const QString& type, int version, const nlohmann::json& schema,
    const QString& origin, const AddOptions& options)
{
    const auto key = std::make_pair(type, version);
    if (const auto it = m_entries.find(key); it != m_entries.end())
        throw InvalidInput(QStringLiteral("%1: %2 schema version %3 already has a schema (%4)")
                               .arg(origin, type)
                               .arg(version)
                               .arg(it->second->origin));
    auto entry = std::make_unique<Entry>();
    entry->document = schema;
    entry->origin = origin;
    entry->draft
        = options.draft ? *options.draft : declaredDraft(schema, origin).value_or(SchemaDraft::Draft7);
    const bool booleanSchema = schema.is_boolean() && entry->draft >= SchemaDraft::Draft6;
    if (!schema.is_object() && !booleanSchema)
        throw InvalidInput(QStringLiteral("%1: a JSON Schema is an object, not %2")
                               .arg(origin, QString::fromUtf8(schema.type_name())));
    RefChecker(entry->document, origin, options.resolver).check(entry->document, JsonPointer());
    try {
        valijson::SchemaParser parser(parserVersion(entry->draft));
        const valijson::adapters::NlohmannJsonAdapter adapter(entry->document);
        if (options.resolver) {
            const auto resolver = options.resolver;
            parser.populateSchema(adapter, entry->schema,
                std::function<const nlohmann::json*(const std::string&)>(
                    [resolver](const std::string& uri) -> const nlohmann::json* {
                        auto document = resolver(uri);
                        return document ? new nlohmann::json(std::move(*document)) : nullptr;
                    }),
                std::function<void(const nlohmann::json*)>(
                    [](const nlohmann::json* document) { delete document; }));
        } else {
            parser.populateSchema(adapter, entry->schema);
        }
    } catch (const std::exception& e) {
        throw InvalidInput(QStringLiteral("%1: not a valid JSON Schema (%2): %3")
                               .arg(origin, draftName(entry->draft), QString::fromUtf8(e.what())));
    }
    m_entries.emplace(key, std::move(entry));
}

std::vector<std::pair<QString, int>> SchemaRegistry::keys() const
{
    std::vector<std::pair<QString, int>> out;
    out.reserve(m_entries.size());
    for (const auto& [key, entry] : m_entries)
        out.push_back(key);
    return out;
}

bool SchemaRegistry::has(const QString& type, int version) const
{
    return m_entries.count({type, version}) > 0;
}

std::optional<nlohmann::json> SchemaRegistry::schema(const QString& type, int version) const
{
    const auto it = m_entries.find({type, version});
    return it == m_entries.end() ? std::nullopt : std::optional<nlohmann::json>(it->second->document);
}

QString SchemaRegistry::origin(const QString& type, int version) const
{
    const auto it = m_entries.find({type, version});
    return it == m_entries.end() ? QString() : it->second->origin;
}

std::optional<SchemaDraft> SchemaRegistry::draft(const QString& type, int version) const
{
    const auto it = m_entries.find({type, version});
    return it == m_entries.end() ? std::nullopt : std::optional<SchemaDraft>(it->second->draft);
}

SchemaCheck SchemaRegistry::validate(const QString& type, int version, const nlohmann::json& data) const
{
    SchemaCheck check;
    const auto it = m_entries.find({type, version});
    if (it == m_entries.end())
        return check;
    check.schemaOrigin = it->second->origin;
    valijson::Validator validator; // holds a regex cache: one per call keeps validate() thread-safe
    valijson::ValidationResults results;
    const valijson::adapters::NlohmannJsonAdapter target(data);
    bool valid = false;
    try {
        valid = validator.validate(it->second->schema, target, &results);
    } catch (const std::exception& e) {
        check.status = SchemaCheck::Status::Invalid;
        check.violations.push_back({QString(),
            QStringLiteral("the schema could not be applied: %1").arg(QString::fromUtf8(e.what()))});
        return check;
    }
    check.status = valid ? SchemaCheck::Status::Valid : SchemaCheck::Status::Invalid;
    if (valid)
        return check;
    std::vector<SchemaViolation> envelopes;
    for (const auto& error : results) {
        SchemaViolation v {pointerOf(error.context), QString::fromStdString(error.description)};
        if (isEnvelope(error.description))
            envelopes.push_back(std::move(v));
        else
            check.violations.push_back(std::move(v));
    }
    if (check.violations.empty())
        check.violations = std::move(envelopes);
    return check;
}

SchemaCheck SchemaRegistry::validate(const RecordedEvent& event) const
{
    if (!has(event.type, event.schemaVersion))
        return {};
    const auto& raw = event.data;
    if (const auto at = jsondepth::tooDeepAt(std::string_view(raw.constData(), std::size_t(raw.size())))) {
        SchemaCheck check;
        check.status = SchemaCheck::Status::Invalid;
        check.schemaOrigin = origin(event.type, event.schemaVersion);
        check.violations.push_back(
            {QString(), jsondepth::message(QStringLiteral("the stored payload"), *at)});
        return check;
    }
    const auto data = raw.trimmed().isEmpty()
        ? nlohmann::json()
        : nlohmann::json::parse(raw.constBegin(), raw.constEnd(), nullptr, false);
    if (data.is_discarded()) {
        SchemaCheck check;
        check.status = SchemaCheck::Status::Invalid;
        check.schemaOrigin = origin(event.type, event.schemaVersion);
        check.violations.push_back({QString(), QStringLiteral("the stored payload is not valid JSON")});
        return check;
    }
    return validate(event.type, event.schemaVersion, data);
}

void SchemaRegistry::checkAppend(
    const StreamId& stream, const std::vector<EventData>& events, bool requireSchema) const
{
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& e = events[i];
        const auto where = QStringLiteral("stream '%1' event [%2] (type '%3', schema version %4)")
                               .arg(stream.toString())
                               .arg(i)
                               .arg(e.type)
                               .arg(e.schemaVersion);
        if (!has(e.type, e.schemaVersion)) {
            if (requireSchema)
                throw SchemaViolationError(
                    QStringLiteral("%1: no schema for this type and version, and schemas are "
                                   "required: nothing was written")
                        .arg(where),
                    {});
            continue;
        }
        jsondepth::check(std::string_view(e.data.constData(), std::size_t(e.data.size())),
            QStringLiteral("%1: the payload").arg(where));
        const auto data = nlohmann::json::parse(e.data.constBegin(), e.data.constEnd(), nullptr, false);
        if (data.is_discarded())
            throw InvalidInput(
                QStringLiteral("%1: the payload is not valid JSON: nothing was written").arg(where));
        const auto check = validate(e.type, e.schemaVersion, data);
        if (check.status == SchemaCheck::Status::Invalid)
            throw SchemaViolationError(QStringLiteral("%1 does not match %2: %3: nothing was written")
                                           .arg(where, check.schemaOrigin, check.summary()),
                check.violations);
    }
}

} // namespace chronoscope
