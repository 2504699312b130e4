#include "jsreducer.h"

#include "errors.h"
#include "jswatchdog.h"

#include <QFile>
#include <QFileInfo>
#include <QJSEngine>

namespace chronoscope {

namespace {

// Runs after the user's script; finds its functions and folds whole batches in JavaScript so
// the state crosses the C++/JS boundary once per batch.
const char* const kHarness = R"JS(
(function (g) {
    var api = (g.module && g.module.exports && typeof g.module.exports.evolve === 'function')
        ? g.module.exports
        : { evolve: g.__chronoscopeEvolve, initialState: g.__chronoscopeInitialState };
    if (typeof api.evolve !== 'function')
        return null;
    return {
        init: function (streamId) {
            var s = (typeof api.initialState === 'function') ? api.initialState(streamId)
                : api.initialState;
            if (s === undefined)
                s = {};
            var out = JSON.stringify(s);
            if (out === undefined)
                throw new TypeError('initialState is not a JSON value (' + typeof s + ')');
            return out;
        },
        fold: function (stateJson, eventsJson) {
            var state = JSON.parse(stateJson);
            var events = JSON.parse(eventsJson);
            for (var i = 0; i < events.length; ++i) {
                g.__chronoscopeIndex = i;
                state = api.evolve(state, events[i]);
                if (state === undefined)
                    throw new TypeError('evolve returned undefined');
                if (typeof state === 'function')
                    throw new TypeError('evolve returned a function, not a JSON value');
            }
            g.__chronoscopeIndex = events.length - 1;
            var out;
            try {
                out = JSON.stringify(state);
            } catch (error) {
                g.__chronoscopeIndex = firstNotJson(stateJson, events);
                throw error;
            }
            if (out === undefined) {
                g.__chronoscopeIndex = firstNotJson(stateJson, events);
                throw new TypeError('evolve returned a value that is not JSON (' + typeof state + ')');
            }
            return out;
        }
    };
    // The state is serialised once per batch; when that fails (a cycle, a BigInt...), folds the
    // batch again checking after every event, so the error names the event that caused it.
    function firstNotJson(stateJson, events) {
        try {
            var s = JSON.parse(stateJson);
            for (var i = 0; i < events.length; ++i) {
                s = api.evolve(s, events[i]);
                if (JSON.stringify(s) === undefined)
                    return i;
            }
        } catch (e) {
            return i;
        }
        return events.length - 1;
    }
})(this)
)JS";

constexpr int kBatch = 256; // events per call into the script; each call has its own time limit

QByteArray jsonString(const QString& s)
{
    return QByteArray::fromStdString(nlohmann::json(s.toStdString()).dump());
}

void appendEventJson(QByteArray& out, const RecordedEvent& e)
{
    out += "{\"type\":" + jsonString(e.type);
    out += ",\"data\":" + (e.data.trimmed().isEmpty() ? QByteArray("null") : e.data);
    out += ",\"metadata\":" + (e.metadata.trimmed().isEmpty() ? QByteArray("{}") : e.metadata);
    out += ",\"streamId\":" + jsonString(e.stream.toString());
    out += ",\"version\":" + QByteArray::number(e.version.value);
    out += ",\"position\":" + QByteArray::number(e.position.value);
    out += ",\"timestamp\":" + jsonString(formatTimestamp(e.timestampMs));
    out += ",\"id\":" + jsonString(e.id.toString(QUuid::WithoutBraces));
    out += '}';
}

} // namespace

struct JsReducer::Engine {
    QJSEngine engine;
    QJSValue init;
    QJSValue fold;
};

namespace {

struct ScriptError {
    QString message;
    int line = 0; // line in the user's script, 0 when unknown
};

ScriptError describe(const QJSValue& error, const QString& fileName)
{
    ScriptError e;
    e.message = error.toString();
    const auto file = error.property(QStringLiteral("fileName")).toString();
    const int line = error.property(QStringLiteral("lineNumber")).toInt();
    if (line > 0 && (file.isEmpty() || file == fileName || file.endsWith(QFileInfo(fileName).fileName())))
        e.line = line;
    return e;
}

QString where(const QString& fileName, int line)
{
    return line > 0 ? QStringLiteral("%1:%2").arg(fileName).arg(line) : fileName;
}

} // namespace

JsReducer::JsReducer(QString source, QString fileName)
    : m_source(std::move(source))
    , m_fileName(std::move(fileName))
    , m_watchdog(std::make_unique<JsWatchdog>())
{
}

JsReducer::~JsReducer() = default;

std::shared_ptr<JsReducer> JsReducer::fromSource(const QString& source, const QString& fileName)
{
    std::shared_ptr<JsReducer> reducer(new JsReducer(source, fileName));
    reducer->engineForThisThread(); // compile now, so errors show up when the script is loaded
    return reducer;
}

std::shared_ptr<JsReducer> JsReducer::fromFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InvalidInput(
            QStringLiteral("cannot read reducer script '%1': %2").arg(path, file.errorString()));
    return fromSource(QString::fromUtf8(file.readAll()), path);
}

QString JsReducer::name() const
{
    return QFileInfo(m_fileName).fileName() + QStringLiteral(" (JavaScript)");
}

JsReducer::Engine& JsReducer::engineForThisThread() const
{
    QMutexLocker locker(&m_mutex);
    auto& slot = m_engines[std::this_thread::get_id()];
    if (slot)
        return *slot;
    auto engine = std::make_unique<Engine>();
    // No extensions are installed: the script sees only the ECMAScript built-ins, without
    // console, file, network or process access.
    auto& js = engine->engine;
    js.evaluate(QStringLiteral("var module = { exports: {} }; var exports = module.exports;"));
    QStringList stack;
    // Top-level const/let do not become properties of the global object and are not seen by
    // a later evaluate(), so the names are captured by a line appended to the user's script
    // (after its last line, so line numbers in errors stay the user's).
    const auto capture = QStringLiteral(
        "\n;var __chronoscopeEvolve = typeof evolve === 'function' ? evolve : undefined;"
        " var __chronoscopeInitialState = typeof initialState === 'undefined' ? undefined : initialState;\n");
    const auto result = js.evaluate(m_source + capture, m_fileName, 1, &stack);
    if (result.isError()) {
        auto e = describe(result, m_fileName);
        if (result.errorType() == QJSValue::SyntaxError) {
            // The appended line may move where the parser gives up: ask about the script alone,
            // in a throw-away engine (a script that does not parse runs nothing).
            QJSEngine alone;
            const auto again = alone.evaluate(m_source, m_fileName, 1);
            if (again.isError())
                e = describe(again, m_fileName);
        }
        m_engines.erase(std::this_thread::get_id());
        throw InvalidInput(QStringLiteral("%1: the reducer script does not run: %2")
                               .arg(where(m_fileName, e.line), e.message));
    }
    const auto api = js.evaluate(QString::fromUtf8(kHarness), QStringLiteral("<chronoscope>"));
    if (api.isError() || api.isNull()) {
        m_engines.erase(std::this_thread::get_id());
        throw InvalidInput(QStringLiteral("%1: the reducer script defines no evolve(state, event) function "
                                          "(as a global or on module.exports)")
                               .arg(m_fileName));
    }
    engine->init = api.property(QStringLiteral("init"));
    engine->fold = api.property(QStringLiteral("fold"));
    slot = std::move(engine);
    return *slot;
}

nlohmann::json JsReducer::initialState(const StreamId& stream) const
{
    auto& engine = engineForThisThread();
    m_watchdog->arm(&engine.engine, m_limit);
    const auto result = engine.init.call({QJSValue(stream.toString())});
    m_watchdog->disarm(&engine.engine);
    const bool interrupted = engine.engine.isInterrupted();
    engine.engine.setInterrupted(false);
    if (interrupted)
        throw StoreError(
            QStringLiteral("%1: initialState for stream '%2' ran longer than %3 ms and was interrupted")
                .arg(m_fileName, stream.toString())
                .arg(m_limit.count()));
    if (result.isError()) {
        auto e = describe(result, m_fileName);
        if (result.errorType() == QJSValue::SyntaxError) {
            // The appended line may move where the parser gives up: ask about the script alone,
            // in a throw-away engine (a script that does not parse runs nothing).
            QJSEngine alone;
            const auto again = alone.evaluate(m_source, m_fileName, 1);
            if (again.isError())
                e = describe(again, m_fileName);
        }
        throw StoreError(QStringLiteral("%1: initialState failed for stream '%2': %3")
                             .arg(where(m_fileName, e.line), stream.toString(), e.message));
    }
    return nlohmann::json::parse(result.toString().toStdString());
}

nlohmann::json JsReducer::evolve(nlohmann::json state, const RecordedEvent& event) const
{
    return fold(std::move(state), {event});
}

nlohmann::json JsReducer::fold(nlohmann::json state, const std::vector<RecordedEvent>& events) const
{
    if (events.empty())
        return state;
    auto& engine = engineForThisThread();
    for (std::size_t begin = 0; begin < events.size(); begin += kBatch) {
        const auto end = std::min(events.size(), begin + kBatch);
        QByteArray batch = "[";
        for (auto i = begin; i < end; ++i) {
            if (i > begin)
                batch += ',';
            appendEventJson(batch, events[i]);
        }
        batch += ']';
        m_watchdog->arm(&engine.engine, m_limit);
        const auto result = engine.fold.call(
            {QJSValue(QString::fromStdString(state.dump())), QJSValue(QString::fromUtf8(batch))});
        m_watchdog->disarm(&engine.engine);
        const bool interrupted = engine.engine.isInterrupted();
        engine.engine.setInterrupted(false);
        if (interrupted || result.isError()) {
            const int index
                = engine.engine.globalObject().property(QStringLiteral("__chronoscopeIndex")).toInt();
            const auto& e = events[begin + std::size_t(std::clamp(index, 0, int(end - begin) - 1))];
            const auto at = QStringLiteral("stream '%1' version %2 (type '%3', position %4)")
                                .arg(e.stream.toString())
                                .arg(e.version.value)
                                .arg(e.type)
                                .arg(e.position.value);
            if (interrupted)
                throw StoreError(QStringLiteral("%1: evolve ran longer than %2 ms at %3 and was interrupted")
                                     .arg(m_fileName)
                                     .arg(m_limit.count())
                                     .arg(at));
            const auto err = describe(result, m_fileName);
            throw StoreError(QStringLiteral("%1: evolve failed at %2: %3")
                                 .arg(where(m_fileName, err.line), at, err.message));
        }
        state = nlohmann::json::parse(result.toString().toStdString());
    }
    return state;
}

} // namespace chronoscope
