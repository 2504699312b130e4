#include "jsupcaster.h"

#include "jswatchdog.h"

#include <QFile>
#include <QFileInfo>
#include <QJSEngine>
#include <QMutex>
#include <chrono>
#include <map>
#include <thread>

namespace chronoscope {

namespace {

// Runs after the user's script: finds the declarations and applies one entry's function to a
// batch of events, checking that every result is JSON.
const char* const kHarness = R"JS(
(function (g) {
    var api = (g.module && g.module.exports && g.module.exports.upcasters !== undefined)
        ? g.module.exports
        : { upcasters: g.__chronoscopeUpcasters, upcast: g.__chronoscopeUpcast };
    var list = api.upcasters;
    if (!Array.isArray(list))
        return null;
    return {
        declarations: function () {
            return JSON.stringify(list.map(function (u) {
                var object = u !== null && typeof u === 'object';
                return {
                    object: object,
                    type: object ? u.type : undefined,
                    from: object ? u.from : undefined,
                    to: object ? u.to : undefined,
                    own: object && typeof u.upcast === 'function'
                };
            }));
        },
        hasGlobal: function () { return typeof api.upcast === 'function'; },
        run: function (index, eventsJson) {
            var u = list[index];
            var fn = (u && typeof u.upcast === 'function') ? u.upcast : api.upcast;
            var events = JSON.parse(eventsJson);
            var out = [];
            for (var i = 0; i < events.length; ++i) {
                g.__chronoscopeIndex = i;
                var result = fn.call(u, events[i]);
                if (result === undefined)
                    throw new TypeError('upcast returned undefined: it must return the new data');
                if (typeof result === 'function')
                    throw new TypeError('upcast returned a function, not JSON data');
                var text = JSON.stringify(result);
                if (text === undefined)
                    throw new TypeError('upcast returned a value that is not JSON (' + typeof result + ')');
                out.push(text);
            }
            return '[' + out.join(',') + ']';
        }
    };
})(this)
)JS";

constexpr std::size_t kBatch = 256; // events per call into the script; each call has its own time limit

QByteArray jsonString(const QString& s)
{
    return QByteArray::fromStdString(nlohmann::json(s.toStdString()).dump());
}

QString errorLine(const QJSValue& error, const QString& fileName)
{
    const auto file = error.property(QStringLiteral("fileName")).toString();
    const int line = error.property(QStringLiteral("lineNumber")).toInt();
    if (line > 0 && (file.isEmpty() || file == fileName || file.endsWith(QFileInfo(fileName).fileName())))
        return QStringLiteral("%1:%2").arg(fileName).arg(line);
    return fileName;
}

/// The compiled script, one engine per thread that uses it.
class Script {
public:
    Script(QString source, QString fileName, int limitMs)
        : m_source(std::move(source))
        , m_fileName(std::move(fileName))
        , m_limit(limitMs)
    {
    }

    struct Engine {
        QJSEngine engine;
        QJSValue api;
    };

    const QString& fileName() const { return m_fileName; }
    int limitMs() const { return m_limit; }

    Engine& engineForThisThread() const
    {
        QMutexLocker locker(&m_mutex);
        auto& slot = m_engines[std::this_thread::get_id()];
        if (slot)
            return *slot;
        auto engine = std::make_unique<Engine>();
        auto& js = engine->engine; // no extensions installed: only the ECMAScript built-ins
        js.evaluate(QStringLiteral("var module = { exports: {} }; var exports = module.exports;"));
        // Top-level const/let are not properties of the global object: capture them with a
        // line after the user's last line, so the user's line numbers stay as they are.
        const auto capture = QStringLiteral(
            "\n;var __chronoscopeUpcasters = typeof upcasters === 'undefined' ? undefined : upcasters;"
            " var __chronoscopeUpcast = typeof upcast === 'function' ? upcast : undefined;\n");
        m_watchdog.arm(&js, std::chrono::milliseconds(m_limit));
        const auto result = js.evaluate(m_source + capture, m_fileName, 1);
        m_watchdog.disarm(&js);
        const bool interrupted = js.isInterrupted();
        js.setInterrupted(false);
        if (interrupted || result.isError()) {
            m_engines.erase(std::this_thread::get_id());
            if (interrupted)
                throw InvalidInput(
                    QStringLiteral("%1: the upcaster script ran longer than %2 ms while loading and was "
                                   "interrupted")
                        .arg(m_fileName)
                        .arg(m_limit));
            auto where = errorLine(result, m_fileName);
            if (result.errorType() == QJSValue::SyntaxError) {
                QJSEngine alone; // where the script alone stops parsing (it runs nothing)
                const auto again = alone.evaluate(m_source, m_fileName, 1);
                if (again.isError())
                    where = errorLine(again, m_fileName);
            }
            throw InvalidInput(
                QStringLiteral("%1: the upcaster script does not run: %2").arg(where, result.toString()));
        }
        engine->api = js.evaluate(QString::fromUtf8(kHarness), QStringLiteral("<chronoscope>"));
        if (engine->api.isError() || engine->api.isNull()) {
            m_engines.erase(std::this_thread::get_id());
            throw InvalidInput(
                QStringLiteral("%1: the upcaster script declares no `upcasters` array (as a global or "
                               "on module.exports)")
                    .arg(m_fileName));
        }
        slot = std::move(engine);
        return *slot;
    }

    /// Calls the harness with the watchdog armed; returns the result, or the error text
    /// (prefixed with the script line) in `error`.
    QJSValue call(const QString& function, const QJSValueList& args, QString* error, bool* interrupted) const
    {
        auto& engine = engineForThisThread();
        m_watchdog.arm(&engine.engine, std::chrono::milliseconds(m_limit));
        const auto result = engine.api.property(function).call(args);
        m_watchdog.disarm(&engine.engine);
        *interrupted = engine.engine.isInterrupted();
        engine.engine.setInterrupted(false);
        if (!*interrupted && result.isError())
            *error = QStringLiteral("%1: %2").arg(errorLine(result, m_fileName), result.toString());
        return result;
    }

    int failedIndex() const
    {
        return engineForThisThread()
            .engine.globalObject()
            .property(QStringLiteral("__chronoscopeIndex"))
            .toInt();
    }

private:
    QString m_source;
    QString m_fileName;
    int m_limit;
    mutable QMutex m_mutex;
    mutable std::map<std::thread::id, std::unique_ptr<Engine>> m_engines;
    mutable JsWatchdog m_watchdog;
};

void appendEventJson(QByteArray& out, const RecordedEvent& e, int schemaVersion, const nlohmann::json& data)
{
    out += "{\"type\":" + jsonString(e.type);
    out += ",\"schemaVersion\":" + QByteArray::number(schemaVersion);
    out += ",\"data\":"
        + QByteArray::fromStdString(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    const auto metadata = e.metadata.trimmed();
    const bool metadataOk
        = !metadata.isEmpty() && nlohmann::json::accept(metadata.constBegin(), metadata.constEnd());
    out += ",\"metadata\":" + (metadataOk ? metadata : QByteArray("{}"));
    out += ",\"streamId\":" + jsonString(e.stream.toString());
    out += ",\"version\":" + QByteArray::number(e.version.value);
    out += ",\"position\":" + QByteArray::number(e.position.value);
    out += ",\"timestamp\":" + jsonString(formatTimestamp(e.timestampMs));
    out += ",\"id\":" + jsonString(e.id.toString(QUuid::WithoutBraces));
    out += '}';
}

class JsStep final : public UpcastStep {
public:
    JsStep(std::shared_ptr<const Script> script, int index, QString type, int from, int to)
        : UpcastStep(std::move(type), from, to)
        , m_script(std::move(script))
        , m_index(index)
    {
    }

    QString name() const override
    {
        return QStringLiteral("%1 upcasters[%2]").arg(m_script->fileName()).arg(m_index);
    }

    std::vector<nlohmann::json> apply(
        const std::vector<const RecordedEvent*>& events, std::vector<nlohmann::json> data) const override
    {
        std::vector<nlohmann::json> out;
        out.reserve(data.size());
        for (std::size_t begin = 0; begin < events.size(); begin += kBatch) {
            const auto end = std::min(events.size(), begin + kBatch);
            QByteArray batch = "[";
            for (auto i = begin; i < end; ++i) {
                if (i > begin)
                    batch += ',';
                appendEventJson(batch, *events[i], from(), data[i]);
            }
            batch += ']';
            QString error;
            bool interrupted = false;
            const auto result = m_script->call(QStringLiteral("run"),
                {QJSValue(m_index), QJSValue(QString::fromUtf8(batch))}, &error, &interrupted);
            if (interrupted || !error.isEmpty()) {
                const auto failed
                    = begin + std::size_t(std::clamp(m_script->failedIndex(), 0, int(end - begin) - 1));
                const auto& e = *events[failed];
                if (interrupted)
                    throw UpcastError(
                        QStringLiteral("%1 (%2) ran longer than %3 ms at %4 and was interrupted")
                            .arg(name(), label())
                            .arg(m_script->limitMs())
                            .arg(describeEvent(e)),
                        e.position);
                throw UpcastError(
                    QStringLiteral("%1 (%2) failed at %3: %4").arg(name(), label(), describeEvent(e), error),
                    e.position);
            }
            const auto parsed = nlohmann::json::parse(result.toString().toStdString(), nullptr, false);
            if (parsed.is_discarded() || !parsed.is_array() || parsed.size() != end - begin)
                throw UpcastError(QStringLiteral("%1 (%2) returned something that is not JSON at %3")
                                      .arg(name(), label(), describeEvent(*events[begin])),
                    events[begin]->position);
            for (const auto& value : parsed)
                out.push_back(value);
        }
        return out;
    }

private:
    std::shared_ptr<const Script> m_script;
    int m_index;
};

} // namespace

namespace jsupcaster {

std::vector<std::shared_ptr<const UpcastStep>> fromSource(
    const QString& source, const QString& fileName, int timeLimitMs)
{
    auto script = std::make_shared<const Script>(source, fileName, timeLimitMs);
    QString error;
    bool interrupted = false;
    const auto declared = script->call(QStringLiteral("declarations"), {}, &error, &interrupted);
    if (interrupted || !error.isEmpty())
        throw InvalidInput(QStringLiteral("%1: the upcasters array cannot be read: %2")
                               .arg(fileName, interrupted ? QStringLiteral("interrupted") : error));
    const bool hasGlobal = script->call(QStringLiteral("hasGlobal"), {}, &error, &interrupted).toBool();
    const auto list = nlohmann::json::parse(declared.toString().toStdString(), nullptr, false);
    if (list.is_discarded() || !list.is_array())
        throw InvalidInput(QStringLiteral("%1: the upcasters array cannot be read").arg(fileName));
    if (list.empty())
        throw InvalidInput(QStringLiteral("%1: the upcasters array is empty").arg(fileName));
    std::vector<std::shared_ptr<const UpcastStep>> steps;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& d = list[i];
        const auto where = QStringLiteral("%1 upcasters[%2]").arg(fileName).arg(i);
        if (!d.value("object", false))
            throw InvalidInput(
                QStringLiteral("%1: each entry is an object {type, from, to, upcast}").arg(where));
        if (!d.contains("type") || !d["type"].is_string()
            || QString::fromStdString(d["type"].get<std::string>()).trimmed().isEmpty())
            throw InvalidInput(QStringLiteral("%1: \"type\" must be a non-empty string").arg(where));
        for (const char* key : {"from", "to"}) {
            if (!d.contains(key) || !d[key].is_number_integer() || d[key].get<std::int64_t>() < 0
                || d[key].get<std::int64_t>() > 1000000)
                throw InvalidInput(
                    QStringLiteral("%1: \"%2\" must be a schema version (a whole number 0 or more)")
                        .arg(where, QLatin1String(key)));
        }
        const int from = int(d["from"].get<std::int64_t>());
        const int to = int(d["to"].get<std::int64_t>());
        if (to <= from)
            throw InvalidInput(
                QStringLiteral("%1: \"to\" (%2) must be above \"from\" (%3)").arg(where).arg(to).arg(from));
        if (!d.value("own", false) && !hasGlobal)
            throw InvalidInput(
                QStringLiteral("%1: no upcast function: give the entry upcast(event) or define a "
                               "global upcast(event)")
                    .arg(where));
        steps.push_back(std::make_shared<JsStep>(
            script, int(i), QString::fromStdString(d["type"].get<std::string>()).trimmed(), from, to));
    }
    return steps;
}

std::vector<std::shared_ptr<const UpcastStep>> loadFile(const QString& path, int timeLimitMs)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InvalidInput(
            QStringLiteral("cannot read upcaster script '%1': %2").arg(path, file.errorString()));
    return fromSource(QString::fromUtf8(file.readAll()), path, timeLimitMs);
}

} // namespace jsupcaster

} // namespace chronoscope
