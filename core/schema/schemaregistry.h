#pragma once

// core/schema: JSON Schemas for events: the registry (valijson), bounded pattern and format checks
// (schemamatch), and the store that validates on append (validatingeventstore).

#include "base/errors.h"
#include "store/recordedevent.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace chronoscope {

/// The JSON Schema drafts the validator (valijson) implements. Draft 6 schemas are read with
/// the draft 7 rules (draft 7 only adds keywords to draft 6).
enum class SchemaDraft { Draft3, Draft4, Draft6, Draft7 };
QString draftName(SchemaDraft draft);

/// One reason a payload does not match its schema.
struct SchemaViolation {
    QString pointer; ///< JSON Pointer into the payload ("" is the whole payload)
    QString message; ///< why, e.g. "Value type not permitted by 'type' constraint."
};

/// What validating one payload found.
struct SchemaCheck {
    enum class Status {
        Valid,
        Invalid,  ///< see violations
        NoSchema, ///< the registry has no schema for that (type, schema version)
    };
    Status status = Status::NoSchema;
    std::vector<SchemaViolation> violations;
    QString schemaOrigin; ///< where the schema came from (file name), when there is one

    bool ok() const { return status != Status::Invalid; }
    /// "/quantity: Value type not permitted...; /sku: Missing required property 'sku'."
    QString summary() const;
};

/// An event to append does not match its schema; nothing was written.
class SchemaViolationError : public InvalidInput {
public:
    SchemaViolationError(const QString& message, std::vector<SchemaViolation> violations)
        : InvalidInput(message)
        , m_violations(std::move(violations))
    {
    }
    const std::vector<SchemaViolation>& violations() const { return m_violations; }

private:
    std::vector<SchemaViolation> m_violations;
};

/// JSON Schemas per (event type, schema version), validated with valijson.
///
/// A folder of schemas holds one file per (type, version) named `<Type>.v<N>.schema.json`
/// (e.g. `ItemAdded.v2.schema.json`; the type may contain dots). Other `.json` files in the
/// folder are not schemas of their own but may be the target of a relative `$ref`
/// ("common.json#/definitions/money"); `$ref` never reaches outside the folder or the network.
/// The draft is taken from `$schema` (draft-03, -04, -06, -07); without one, draft 7.
/// Read-only after loading: validate() may be called from several threads.
class SchemaRegistry {
public:
    /// Fetches the document a `$ref` names (the URI without its fragment); nullopt when it
    /// cannot. Never called for references inside the same schema.
    using Resolver = std::function<std::optional<nlohmann::json>(const std::string& uri)>;

    struct AddOptions {
        std::optional<SchemaDraft> draft; ///< overrides `$schema`
        Resolver resolver;                ///< for `$ref` to other documents
    };

    SchemaRegistry();
    ~SchemaRegistry();
    SchemaRegistry(const SchemaRegistry&) = delete;
    SchemaRegistry& operator=(const SchemaRegistry&) = delete;

    /// Loads every `<Type>.v<N>.schema.json` of a folder. Throws InvalidInput naming the file
    /// (and the line of a JSON syntax error) when a schema cannot be used, and OpenError when
    /// the folder cannot be read.
    static std::shared_ptr<SchemaRegistry> loadFolder(const QString& folder);

    /// Adds a schema; `origin` names it in messages (a file name). Throws InvalidInput naming
    /// `origin` when the schema is not a valid JSON Schema of its draft, or when (type,
    /// version) already has one.
    void add(const QString& type, int version, const nlohmann::json& schema, const QString& origin,
        const AddOptions& options = {});

    bool isEmpty() const { return m_entries.empty(); }
    std::size_t size() const { return m_entries.size(); }
    /// (type, version) of every schema, ordered.
    std::vector<std::pair<QString, int>> keys() const;
    bool has(const QString& type, int version) const;
    /// The schema document as loaded.
    std::optional<nlohmann::json> schema(const QString& type, int version) const;
    QString origin(const QString& type, int version) const;
    std::optional<SchemaDraft> draft(const QString& type, int version) const;

    /// Validates a payload against the schema of (type, version).
    SchemaCheck validate(const QString& type, int version, const nlohmann::json& data) const;
    /// Validates a stored event's payload at its schema version; a payload that is not JSON
    /// is Invalid.
    SchemaCheck validate(const RecordedEvent& event) const;

    /// The append hook: throws SchemaViolationError naming the stream, the event (index in the
    /// batch), its type and schema version, the schema file and every violation, when an event
    /// does not match its schema. With `requireSchema`, an event without a schema is refused too.
    void checkAppend(
        const StreamId& stream, const std::vector<EventData>& events, bool requireSchema = false) const;

private:
    struct Entry;
    std::map<std::pair<QString, int>, std::unique_ptr<Entry>> m_entries;
};

} // namespace chronoscope
