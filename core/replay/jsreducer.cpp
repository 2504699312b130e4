#include "replay/jsreducer.h"

#include "base/errors.h"
#include "js/jscall.h"
#include "js/jsscripts.h"
#include "js/jswatchdog.h"

#include <QFile>
#include <QFileInfo>

namespace chronoscope {

namespace {

constexpr std::size_t kBatch = 256; // events per call into the script; each call has its own limits

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

QString describeAt(const RecordedEvent& e)
{
    return QStringLiteral("stream '%1' version %2 (type '%3', position %4)")
        .arg(e.stream.toString())
        .arg(e.version.value)
        .arg(e.type)
        .arg(e.position.value);
}

} // namespace

struct JsReducer::Engine {
    Engine(const QString& fileName, const JsLimits& limits, JsWatchdog& watchdog)
        : js(fileName, limits, watchdog)
    {
    }
    JsCaller js;
    QJSValue api; // {at, init, fold}
    QJSValue init;
    QJSValue fold;
};

JsReducer::JsReducer(QString source, QString fileName, JsLimits limits)
    : m_source(std::move(source))
    , m_fileName(std::move(fileName))
    , m_limits(limits)
    , m_watchdog(std::make_unique<JsWatchdog>())
{
}

JsReducer::~JsReducer() = default;

std::shared_ptr<JsReducer> JsReducer::fromSource(
    const QString& source, const QString& fileName, JsLimits limits)
{
    std::shared_ptr<JsReducer> reducer(new JsReducer(source, fileName, limits));
    reducer->engineForThisThread(); // compile now, so errors show up when the script is loaded
    return reducer;
}

std::shared_ptr<JsReducer> JsReducer::fromFile(const QString& path, JsLimits limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InvalidInput(
            QStringLiteral("cannot read reducer script '%1': %2").arg(path, file.errorString()));
    return fromSource(QString::fromUtf8(file.readAll()), path, limits);
}

QString JsReducer::name() const
{
    return QFileInfo(m_fileName).fileName() + QStringLiteral(" (JavaScript)");
}

void JsReducer::setTimeLimit(std::chrono::milliseconds limit)
{
    auto limits = m_limits;
    limits.time = limit;
    setLimits(limits);
}

void JsReducer::setMemoryLimitMiB(int mib)
{
    auto limits = m_limits;
    limits.memoryMiB = mib;
    setLimits(limits);
}

void JsReducer::setLimits(const JsLimits& limits)
{
    QMutexLocker locker(&m_mutex);
    m_limits = limits;
    for (auto& [thread, engine] : m_engines)
        engine->js.setLimits(limits);
}

JsReducer::Engine& JsReducer::engineForThisThread() const
{
    QMutexLocker locker(&m_mutex);
    auto& slot = m_engines[std::this_thread::get_id()];
    if (slot)
        return *slot;
    auto engine = std::make_unique<Engine>(m_fileName, m_limits, *m_watchdog);
    auto& js = engine->js;
    const auto fail = [&](const QString& message) {
        m_engines.erase(std::this_thread::get_id());
        throw InvalidInput(message);
    };
    // Top-level const/let do not become properties of the global object and are not seen by
    // a later evaluate(), so the names are captured by a line appended to the user's script
    // (after its last line, so line numbers in errors stay the user's).
    const auto capture = QStringLiteral(
        "\n;var __chronoscopeEvolve = typeof evolve === 'function' ? evolve : undefined;"
        " var __chronoscopeInitialState = typeof initialState === 'undefined' ? undefined : initialState;\n");
    const auto [loaded, api] = js.loadWithHarness(m_source, capture, ourScript("reducer-harness.js"));
    if (!loaded.ok())
        fail(loaded.failure == JsOutcome::Failure::Threw
                ? QStringLiteral("%1: the reducer script does not run: %2")
                      .arg(loaded.where(m_fileName), loaded.message)
                : QStringLiteral("%1: the reducer script's top-level code %2")
                      .arg(m_fileName, loaded.reason(m_limits)));
    if (!api.ok())
        fail(QStringLiteral("%1: looking for the reducer's evolve function failed: %2")
                 .arg(api.where(m_fileName), api.reason(m_limits)));
    if (!api.value.isObject())
        fail(QStringLiteral("%1: the reducer script defines no evolve(state, event) function "
                            "(as a global or on module.exports)")
                 .arg(m_fileName));
    engine->api = api.value;
    engine->init = api.value.property(QStringLiteral("init"));
    engine->fold = api.value.property(QStringLiteral("fold"));
    slot = std::move(engine);
    return *slot;
}

nlohmann::json JsReducer::initialState(const StreamId& stream) const
{
    auto& engine = engineForThisThread();
    const auto result = engine.js.call(engine.init, {QJSValue(stream.toString())});
    const auto what = QStringLiteral("initialState for stream '%1'").arg(stream.toString());
    if (result.failure == JsOutcome::Failure::Threw)
        throw StoreError(
            QStringLiteral("%1: %2 failed: %3").arg(result.where(m_fileName), what, result.message));
    if (!result.ok())
        throw StoreError(
            QStringLiteral("%1: %2 %3").arg(m_fileName, what, result.reason(engine.js.limits())));
    return parseScriptJson(result.value.toString(), QStringLiteral("%1: %2").arg(m_fileName, what));
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
    const std::span<const RecordedEvent> all(events);
    for (std::size_t begin = 0; begin < events.size(); begin += kBatch)
        state = foldBatch(
            engine, std::move(state), all.subspan(begin, std::min(kBatch, events.size() - begin)));
    return state;
}

nlohmann::json JsReducer::foldBatch(
    Engine& engine, nlohmann::json state, std::span<const RecordedEvent> batch) const
{
    QByteArray text = "[";
    for (const auto& e : batch) {
        if (text.size() > 1)
            text += ',';
        appendEventJson(text, e);
    }
    text += ']';
    const auto result = engine.js.call(
        engine.fold, {QJSValue(QString::fromStdString(state.dump())), QJSValue(QString::fromUtf8(text))});
    if (!result.ok()) {
        const int index = engine.api.property(QStringLiteral("at")).toInt();
        const auto& e = batch[std::size_t(std::clamp(index, 0, int(batch.size()) - 1))];
        if (result.failure == JsOutcome::Failure::Threw)
            throw StoreError(QStringLiteral("%1: evolve failed at %2: %3")
                                 .arg(result.where(m_fileName), describeAt(e), result.message));
        throw StoreError(QStringLiteral("%1: evolve at %2 %3")
                             .arg(m_fileName, describeAt(e), result.reason(engine.js.limits())));
    }
    QString surrogate;
    const auto utf8 = scriptTextToUtf8(result.value.toString(), &surrogate);
    if (!utf8) {
        if (batch.size() > 1) { // again event by event, to name the one that made it
            for (std::size_t i = 0; i < batch.size(); ++i)
                state = foldBatch(engine, std::move(state), batch.subspan(i, 1));
            return state;
        }
        throw StoreError(QStringLiteral("%1: evolve at %2 returned a state holding %3")
                             .arg(m_fileName, describeAt(batch.front()), loneSurrogateProblem(surrogate)));
    }
    return parseScriptJson(
        *utf8, QStringLiteral("%1: evolve at %2").arg(m_fileName, describeAt(batch.back())));
}

} // namespace chronoscope
