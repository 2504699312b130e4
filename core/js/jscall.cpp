#include "js/jscall.h"

#include "base/errors.h"
#include "js/jsscripts.h"
#include "js/jswatchdog.h"
#include "json/jsondepth.h"

#include <QFileInfo>
#include <QJSManagedValue>

#include <nlohmann/json.hpp>

namespace chronoscope {

// The JavaScript evaluated before every user's script (jsprelude.cpp).

namespace {

const QString kOurs = QStringLiteral("<chronoscope>");

qint64 limitBytes(const JsLimits& limits)
{
    return qint64(std::max(0, limits.memoryMiB)) * 1024 * 1024;
}

/// Whether an error's file is the user's script (and not a harness of ours).
bool isUsers(const QString& file, const QString& fileName)
{
    return file.isEmpty() || file == fileName || file.endsWith(QFileInfo(fileName).fileName());
}

/// The line of the innermost frame of a stack trace "function:line:column:file", when that
/// frame is in the user's script.
int lineOf(const QStringList& trace, const QString& fileName)
{
    if (trace.isEmpty())
        return 0;
    const auto parts = trace.first().split(QLatin1Char(':'));
    if (parts.size() < 4)
        return 0;
    const int line = parts[1].toInt();
    return line > 0 && isUsers(parts.mid(3).join(QLatin1Char(':')), fileName) ? line : 0;
}

} // namespace

QString JsOutcome::where(const QString& fileName) const
{
    return line > 0 ? QStringLiteral("%1:%2").arg(fileName).arg(line) : fileName;
}

QString JsOutcome::reason(const JsLimits& limits) const
{
    switch (failure) {
    case Failure::TimedOut:
        return QStringLiteral("ran longer than %1 ms and was interrupted").arg(limits.time.count());
    case Failure::OutOfMemory:
        return QStringLiteral("used more than %1 MiB of memory and was stopped").arg(limits.memoryMiB);
    case Failure::Threw:
    case Failure::None:
        break;
    }
    return message;
}

JsCaller::JsCaller(QString fileName, JsLimits limits, JsWatchdog& watchdog)
    : m_fileName(std::move(fileName))
    , m_limits(limits)
    , m_watchdog(watchdog)
{
    const auto prelude = evaluate(ourScript("prelude.js"), kOurs);
    if (prelude.ok())
        m_prelude
            = call(prelude.value, {m_engine.globalObject(), QJSValue(double(limitBytes(m_limits)))}).value;
    if (!m_prelude.isObject())
        throw StoreError(QStringLiteral("%1: the JavaScript engine could not be prepared").arg(m_fileName));
}

void JsCaller::setLimits(const JsLimits& limits)
{
    m_limits = limits;
    m_prelude.property(QStringLiteral("limit"))
        .setProperty(QStringLiteral("bytes"), double(limitBytes(limits)));
}

JsOutcome JsCaller::evaluate(const QString& program, const QString& fileName, int line)
{
    QStringList trace;
    m_watchdog.arm(&m_engine, m_limits);
    auto value = m_engine.evaluate(program, fileName, line, &trace);
    const auto stop = m_watchdog.disarm(&m_engine);
    if (stop != JsWatchdog::Stop::None || m_engine.isInterrupted())
        return failed(stop == JsWatchdog::Stop::Memory ? JsOutcome::Failure::OutOfMemory
                                                       : JsOutcome::Failure::TimedOut);
    // evaluate() catches what the script throws and returns it; only the trace says it threw.
    if (!trace.isEmpty() || value.isError())
        return threw(value, lineOf(trace, m_fileName));
    JsOutcome out;
    out.value = std::move(value);
    return out;
}

JsOutcome JsCaller::evaluateScript(const QString& source, const QString& appended)
{
    auto out = evaluate(source + appended, m_fileName, 1);
    if (out.syntaxError && !appended.isEmpty()) {
        // The appended text may move where the parser gives up: ask about the script alone, in
        // a throw-away engine (a script that does not parse runs nothing).
        JsCaller alone(m_fileName, m_limits, m_watchdog);
        const auto again = alone.evaluate(source, m_fileName, 1);
        if (again.syntaxError) {
            out.line = again.line;
            out.message = again.message;
        }
    }
    return out;
}

JsOutcome JsCaller::call(const QJSValue& function, const QJSValueList& args)
{
    // QJSValue::call() returns a thrown value as if it were the result; a managed value leaves
    // it pending, so that anything thrown (42, null, "boom") is seen as thrown.
    const QJSManagedValue managed(function, &m_engine);
    m_watchdog.arm(&m_engine, m_limits);
    auto value = managed.call(args);
    const auto stop = m_watchdog.disarm(&m_engine);
    if (stop != JsWatchdog::Stop::None || m_engine.isInterrupted())
        return failed(stop == JsWatchdog::Stop::Memory ? JsOutcome::Failure::OutOfMemory
                                                       : JsOutcome::Failure::TimedOut);
    if (m_engine.hasError())
        return threw(m_engine.catchError(), 0);
    JsOutcome out;
    out.value = std::move(value);
    return out;
}

JsOutcome JsCaller::failed(JsOutcome::Failure failure)
{
    m_engine.setInterrupted(false);
    if (m_engine.hasError())
        m_engine.catchError();
    m_engine.collectGarbage(); // what the stopped call made can go now
    JsOutcome out;
    out.failure = failure;
    return out;
}

JsOutcome JsCaller::threw(const QJSValue& thrown, int traceLine)
{
    JsOutcome out;
    out.failure = JsOutcome::Failure::Threw;
    out.syntaxError = thrown.isError() && thrown.errorType() == QJSValue::SyntaxError;
    out.line = traceLine;
    // Described in JavaScript, under the limits: a thrown object's getters or toJSON are the
    // user's code.
    const QJSManagedValue describe(m_prelude.property(QStringLiteral("describe")), &m_engine);
    m_watchdog.arm(&m_engine, m_limits);
    const auto text = describe.call({thrown, QJSValue(thrown.isError())});
    const auto stop = m_watchdog.disarm(&m_engine);
    const bool described
        = stop == JsWatchdog::Stop::None && !m_engine.isInterrupted() && !m_engine.hasError();
    if (!described) {
        m_engine.setInterrupted(false);
        if (m_engine.hasError())
            m_engine.catchError();
        out.message = thrown.isError() ? QStringLiteral("an Error whose message cannot be read")
                                       : QStringLiteral("threw a value that is not an Error");
        return out;
    }
    out.message = text.property(QStringLiteral("text")).toString();
    const int line = text.property(QStringLiteral("line")).toInt();
    if (line > 0)
        out.line = isUsers(text.property(QStringLiteral("file")).toString(), m_fileName) ? line : 0;
    return out;
}

std::optional<std::string> scriptTextToUtf8(const QString& text, QString* surrogate)
{
    const auto* p = text.constData();
    const auto n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = p[i];
        if (!c.isSurrogate())
            continue;
        if (c.isHighSurrogate() && i + 1 < n && p[i + 1].isLowSurrogate()) {
            ++i;
            continue;
        }
        if (surrogate)
            *surrogate = QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        return std::nullopt;
    }
    return text.toStdString();
}

QString loneSurrogateProblem(const QString& surrogate)
{
    return QStringLiteral(
        "a lone surrogate (%1): half of a UTF-16 pair is not valid Unicode, so it cannot be "
        "JSON text")
        .arg(surrogate);
}

nlohmann::json parseScriptJson(const std::string& text, const QString& what)
{
    // The one bound for JSON in Chronoscope: a deeper state would overflow the stack later, in
    // a diff, a dump or the state tree.
    if (const auto at = jsondepth::tooDeepAt(text))
        throw StoreError(jsondepth::message(QStringLiteral("%1 returned a value that").arg(what), *at));
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        auto shown = QString::fromStdString(text.substr(0, 80));
        if (text.size() > 80)
            shown += QStringLiteral("...");
        throw StoreError(QStringLiteral("%1 returned something that is not JSON: %2 (%3)")
                             .arg(what, QString::fromUtf8(e.what()), shown));
    }
}

nlohmann::json parseScriptJson(const QString& text, const QString& what)
{
    QString surrogate;
    const auto utf8 = scriptTextToUtf8(text, &surrogate);
    if (!utf8)
        throw StoreError(
            QStringLiteral("%1 returned a value holding %2").arg(what, loneSurrogateProblem(surrogate)));
    return parseScriptJson(*utf8, what);
}

JsCaller::Loaded JsCaller::loadWithHarness(
    const QString& source, const QString& capture, const QString& harness)
{
    Loaded loaded;
    evaluate(QStringLiteral("var module = { exports: {} }; var exports = module.exports;"), kOurs);
    loaded.script = evaluateScript(source, capture);
    if (!loaded.script.ok())
        return loaded;
    const auto made = evaluate(harness, kOurs);
    loaded.api = made.ok() ? call(made.value, {m_engine.globalObject(), m_prelude}) : made;
    return loaded;
}

} // namespace chronoscope
