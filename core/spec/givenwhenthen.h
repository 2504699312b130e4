#pragma once

// Given / When / Then specifications of the sample domain: given a stream's earlier events, when
// a command, then the events it produces (or the error it is refused with). Parsed from and
// written to JSON, run against the sample domain's command handler on a store in memory, exported
// from a store's events, and written out as a Qt Test and as a Jest test in the style of Emmett's
// DeciderSpecification.

#include "store/eventstore.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace chronoscope::spec {

/// The most cases a specification may hold, and events a case's given or then.
inline constexpr int MaxCases = 10000;
inline constexpr int MaxCaseEvents = 10000;

struct SpecEvent {
    QString type;
    nlohmann::json data = nlohmann::json::object();
    QString stream; ///< given only: another stream the command reads (empty: the case's)
};

struct SpecCase {
    QString name;
    StreamId stream;
    std::vector<SpecEvent> given;
    QString whenType;
    nlohmann::json whenData = nlohmann::json::object();
    std::optional<std::vector<SpecEvent>> then;
    std::optional<QString> thenError; ///< text the refusal contains
};

struct Spec {
    std::vector<SpecCase> cases;
};

/// Reads {"cases":[{"name","stream","given":[{"type","data"[,"stream"]}],"when":{"type","data"},
/// "then":[{"type","data"}] | "thenError":"text"}]}. Throws InvalidInput naming the case (index
/// and name) and the member that is wrong: missing, of the wrong type, an unknown command type,
/// both or neither of then and thenError.
Spec parseSpec(const nlohmann::json& json);
/// The same from text (a parse error names the line and column).
Spec parseSpec(const QByteArray& text);
nlohmann::ordered_json toJson(const Spec& spec);

/// What running one case found.
struct CaseResult {
    QString name;
    bool passed = false;
    std::vector<SpecEvent> produced; ///< what the command produced (empty when refused)
    std::optional<QString> error;    ///< the refusal, when refused
    QString message;                 ///< why it failed (empty when it passed)
    std::optional<int> event;        ///< failed: the index of the first differing event
    QString pointer;                 ///< failed: JSON Pointer of the first differing field in it
    std::optional<nlohmann::json> expected, actual; ///< failed: the values at that pointer
};

/// Runs one case: its given events appended to a store in memory, the command handled by the
/// sample domain's CommandHandler (its rules, no reactions), then compared.
CaseResult runCase(const SpecCase& specCase);
/// {"name","passed"[,"message","event","pointer","expected","actual","produced","error"]}.
nlohmann::ordered_json toJson(const CaseResult& result);

/// Cases made from a stream's events `from`..`to` (versions, inclusive): one case per command
/// (events with the same commandId in the metadata), given the stream's earlier events and those
/// of the streams the command reads, when the command (its type from the metadata, its fields from
/// the first event's data, as the sample domain names them), then the events. Events without a
/// known command type are skipped; InvalidInput when none is left or the versions are wrong.
Spec exportSpec(const EventStore& store, const StreamId& stream, Version from, Version to);

/// A Qt Test (one .cpp) that runs the cases against the sample domain with Chronoscope's core.
QString toQtTest(const Spec& spec, const QString& className = QStringLiteral("TestShopSpec"));
/// A Jest test in the style of Emmett's DeciderSpecification.for(decider).given().when().then().
QString toJest(const Spec& spec);

} // namespace chronoscope::spec
