#pragma once

#include "js/jslimits.h"

#include <QJSEngine>
#include <QJSValue>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace chronoscope {

class JsWatchdog;

/// What came back from one call into a user's script.
struct JsOutcome {
    enum class Failure { None, Threw, TimedOut, OutOfMemory };

    QJSValue value; ///< what the call returned, when it did not fail
    Failure failure = Failure::None;
    QString message; ///< what it threw, e.g. "TypeError: ..." or "threw 42 (a number, not an Error)"
    int line = 0;    ///< the line in the user's script, 0 when unknown
    bool syntaxError = false;

    bool ok() const { return failure == Failure::None; }
    /// "FILE:LINE", or "FILE" when the line is unknown.
    QString where(const QString& fileName) const;
    /// Why the call failed, in words: the message, or e.g. "ran longer than 2000 ms and was
    /// interrupted", "used more than 512 MiB of memory and was stopped".
    QString reason(const JsLimits& limits) const;
};

/// A QJSEngine for one user's script, and the one way into it. The engine has only the
/// ECMAScript built-ins (no console, file, network or process access) and the shared prelude,
/// which caps built-ins that could make gigabytes in one call. Every evaluate() and call() runs
/// under the watchdog's time and memory limits, and whatever the script throws (an Error or any
/// other value) comes back as a failed JsOutcome; after a stopped call garbage is collected, and
/// the engine keeps working.
class JsCaller {
public:
    JsCaller(QString fileName, JsLimits limits, JsWatchdog& watchdog);
    JsCaller(const JsCaller&) = delete;
    JsCaller& operator=(const JsCaller&) = delete;

    QJSEngine& engine() { return m_engine; }
    const QString& fileName() const { return m_fileName; }
    const JsLimits& limits() const { return m_limits; }
    void setLimits(const JsLimits& limits);
    /// {stringify, parse}: JSON's functions as they were before the user's script ran.
    const QJSValue& originals() const { return m_prelude; }

    /// Runs code of ours (a harness) or the user's, under the limits.
    JsOutcome evaluate(const QString& program, const QString& fileName, int line = 1);
    /// Runs the user's script followed by `appended` (which must not move its line numbers). A
    /// syntax error is reported at the line where the script alone stops parsing.
    JsOutcome evaluateScript(const QString& source, const QString& appended = {});
    JsOutcome call(const QJSValue& function, const QJSValueList& args = {});

    /// Loading a user's script the way every kind of script is loaded: what the script's run
    /// gave, and what the harness gave (its API object when both ran).
    struct Loaded {
        JsOutcome script;
        JsOutcome api;
    };
    /// Evaluates the CommonJS shim (`module.exports`), the user's script followed by `capture`
    /// (see evaluateScript), then our `harness` (resources/js, a function of (global, originals)),
    /// and calls it. `api` is only meaningful when `script` is ok.
    Loaded loadWithHarness(const QString& source, const QString& capture, const QString& harness);

private:
    JsOutcome failed(JsOutcome::Failure failure);
    JsOutcome threw(const QJSValue& thrown, int traceLine);

    QString m_fileName;
    JsLimits m_limits;
    JsWatchdog& m_watchdog;
    QJSEngine m_engine;
    QJSValue m_prelude;
};

/// The UTF-8 form of text a script made, or nullopt when it holds a lone surrogate (half of a
/// UTF-16 pair, which is not Unicode and cannot be UTF-8); `surrogate` is then e.g. "\ud800".
std::optional<std::string> scriptTextToUtf8(const QString& text, QString* surrogate);

/// "a lone surrogate (\\ud800): half of a UTF-16 pair is not valid Unicode, ..." for an error.
QString loneSurrogateProblem(const QString& surrogate);

/// Parses JSON a script produced; throws StoreError "<what> returned something that is not
/// JSON: ..." (never a nlohmann exception).
nlohmann::json parseScriptJson(const std::string& text, const QString& what);

/// Both: "<what> returned a state holding a lone surrogate ..." when the text has one.
nlohmann::json parseScriptJson(const QString& text, const QString& what);

} // namespace chronoscope
