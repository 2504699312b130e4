#include "upcast/jsupcaster.h"

#include "js/jscall.h"
#include "js/jsscripts.h"
#include "js/jswatchdog.h"

#include <QFile>
#include <QMutex>

#include <chrono>
#include <map>
#include <thread>

namespace chronoscope {

namespace {

constexpr std::size_t kBatch = 256; // events per call into the script; each call has its own time limit

QByteArray jsonString(const QString& s)
{
    return QByteArray::fromStdString(nlohmann::json(s.toStdString()).dump());
}

/// The compiled script, one engine per thread that uses it.
class Script {
public:
    Script(QString source, QString fileName, JsLimits limits)
        : m_source(std::move(source))
        , m_fileName(std::move(fileName))
        , m_limits(limits)
    {
    }

    struct Engine {
        Engine(const QString& fileName, const JsLimits& limits, JsWatchdog& watchdog)
            : js(fileName, limits, watchdog)
        {
        }
        JsCaller js;
        QJSValue api; // {at, declarations, hasGlobal, run}
    };

    const QString& fileName() const { return m_fileName; }
    const JsLimits& limits() const { return m_limits; }

    Engine& engineForThisThread() const
    {
        QMutexLocker locker(&m_mutex);
        auto& slot = m_engines[std::this_thread::get_id()];
        if (slot)
            return *slot;
        auto engine = std::make_unique<Engine>(m_fileName, m_limits, m_watchdog);
        auto& js = engine->js;
        const auto fail = [&](const QString& message) {
            m_engines.erase(std::this_thread::get_id());
            throw InvalidInput(message);
        };
        // Top-level const/let are not properties of the global object: capture them with a
        // line after the user's last line, so the user's line numbers stay as they are.
        const auto capture = QStringLiteral(
            "\n;var __chronoscopeUpcasters = typeof upcasters === 'undefined' ? undefined : upcasters;"
            " var __chronoscopeUpcast = typeof upcast === 'function' ? upcast : undefined;\n");
        const auto [loaded, api] = js.loadWithHarness(m_source, capture, ourScript("upcaster-harness.js"));
        if (loaded.failure == JsOutcome::Failure::Threw)
            fail(QStringLiteral("%1: the upcaster script does not run: %2")
                     .arg(loaded.where(m_fileName), loaded.message));
        if (!loaded.ok())
            fail(QStringLiteral("%1: the upcaster script %2 while loading")
                     .arg(m_fileName, loaded.reason(m_limits)));
        if (!api.ok())
            fail(QStringLiteral("%1: reading the upcasters array failed: %2")
                     .arg(api.where(m_fileName), api.reason(m_limits)));
        if (!api.value.isObject())
            fail(QStringLiteral("%1: the upcaster script declares no `upcasters` array (as a global or "
                                "on module.exports)")
                     .arg(m_fileName));
        engine->api = api.value;
        slot = std::move(engine);
        return *slot;
    }

    /// Calls the harness under the limits; on failure, `error` is why (after the script line,
    /// when known).
    JsOutcome call(const QString& function, const QJSValueList& args, QString* error) const
    {
        auto& engine = engineForThisThread();
        auto result = engine.js.call(engine.api.property(function), args);
        if (result.failure == JsOutcome::Failure::Threw)
            *error = QStringLiteral("%1: %2").arg(result.where(m_fileName), result.message);
        else if (!result.ok())
            *error = result.reason(m_limits);
        return result;
    }

    int failedIndex() const { return engineForThisThread().api.property(QStringLiteral("at")).toInt(); }

private:
    QString m_source;
    QString m_fileName;
    JsLimits m_limits;
    mutable JsWatchdog m_watchdog; // before the engines: they are gone before it is
    mutable QMutex m_mutex;
    mutable std::map<std::thread::id, std::unique_ptr<Engine>> m_engines;
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
            const auto result = m_script->call(
                QStringLiteral("run"), {QJSValue(m_index), QJSValue(QString::fromUtf8(batch))}, &error);
            const auto failedAt = [&]() -> const RecordedEvent& {
                return *events[begin
                    + std::size_t(std::clamp(m_script->failedIndex(), 0, int(end - begin) - 1))];
            };
            if (result.failure == JsOutcome::Failure::Threw) {
                const auto& e = failedAt();
                throw UpcastError(
                    QStringLiteral("%1 (%2) failed at %3: %4").arg(name(), label(), describeEvent(e), error),
                    e.position);
            }
            if (!result.ok()) {
                const auto& e = failedAt();
                throw UpcastError(
                    QStringLiteral("%1 (%2) at %3 %4").arg(name(), label(), describeEvent(e), error),
                    e.position);
            }
            std::vector<nlohmann::json> parsed;
            const auto texts = result.value.toString().split(QLatin1Char('\n'));
            for (qsizetype i = 0; i < texts.size() && begin + std::size_t(i) < end; ++i) {
                const auto& e = *events[begin + std::size_t(i)];
                const auto what = QStringLiteral("%1 (%2) at %3").arg(name(), label(), describeEvent(e));
                QString surrogate;
                const auto text = scriptTextToUtf8(texts[i], &surrogate);
                if (!text)
                    throw UpcastError(QStringLiteral("%1 returned data holding %2")
                                          .arg(what, loneSurrogateProblem(surrogate)),
                        e.position);
                try {
                    parsed.push_back(parseScriptJson(*text, what));
                } catch (const StoreError& error) {
                    throw UpcastError(error.message(), e.position);
                }
            }
            if (!result.value.isString() || parsed.size() != end - begin)
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
    JsLimits limits;
    limits.time = std::chrono::milliseconds(timeLimitMs);
    return fromSource(source, fileName, limits);
}

std::vector<std::shared_ptr<const UpcastStep>> fromSource(
    const QString& source, const QString& fileName, JsLimits limits)
{
    auto script = std::make_shared<const Script>(source, fileName, limits);
    QString error;
    const auto declared = script->call(QStringLiteral("declarations"), {}, &error);
    if (!declared.ok())
        throw InvalidInput(QStringLiteral("%1: the upcasters array cannot be read: %2").arg(fileName, error));
    const auto global = script->call(QStringLiteral("hasGlobal"), {}, &error);
    const bool hasGlobal = global.ok() && global.value.toBool();
    const auto list = nlohmann::json::parse(declared.value.toString().toStdString(), nullptr, false);
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

std::vector<std::shared_ptr<const UpcastStep>> loadFile(const QString& path, JsLimits limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InvalidInput(
            QStringLiteral("cannot read upcaster script '%1': %2").arg(path, file.errorString()));
    return fromSource(QString::fromUtf8(file.readAll()), path, limits);
}

} // namespace jsupcaster

} // namespace chronoscope
