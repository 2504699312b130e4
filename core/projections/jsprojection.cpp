#include "projections/jsprojection.h"

#include "js/jscall.h"
#include "js/jsscripts.h"
#include "js/jswatchdog.h"

#include <QFile>
#include <QFileInfo>

namespace chronoscope {

// The JavaScript around the user's script (jsprojectionscripts.cpp).

namespace {

constexpr std::size_t kMaxBatch = 2000;     // events per call into the script, at most
constexpr qsizetype kMaxBatchBytes = 16000; // characters of texts per call, about

void appendJsonString(QByteArray& out, const QString& s)
{
    const auto utf8 = s.toUtf8();
    out += '"';
    for (const char c : utf8) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += "\\u00";
            out += "0123456789abcdef"[(c >> 4) & 0xf];
            out += "0123456789abcdef"[c & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}

/// One call's events: a header {"t": [types], "s": [streams], "e": [9 numbers per event]}, the
/// payloads as one JSON array text, and each event's id and metadata text; the numbers give
/// type and stream indexes, version, position, timestamp and UTF-16 offsets into both texts.
class Batch {
public:
    void clear()
    {
        m_types.clear();
        m_streams.clear();
        m_numbers = "[";
        m_data = QStringLiteral("[");
        m_rest.clear();
        m_count = 0;
    }
    void add(const RecordedEvent& e)
    {
        if (m_count++ > 0) {
            m_numbers += ',';
            m_data += QLatin1Char(',');
        }
        m_numbers += QByteArray::number(index(m_types, e.type)) + ','
            + QByteArray::number(index(m_streams, e.stream.toString())) + ','
            + QByteArray::number(e.version.value) + ',' + QByteArray::number(e.position.value) + ','
            + QByteArray::number(e.timestampMs) + ',' + QByteArray::number(m_data.size()) + ',';
        m_data += e.data.trimmed().isEmpty() ? QStringLiteral("null") : QString::fromUtf8(e.data);
        m_numbers += QByteArray::number(m_data.size()) + ',' + QByteArray::number(m_rest.size()) + ',';
        m_rest += e.id.toString(QUuid::WithoutBraces);
        m_rest += e.metadata.trimmed().isEmpty() ? QStringLiteral("{}") : QString::fromUtf8(e.metadata);
        m_numbers += QByteArray::number(m_rest.size());
    }
    qsizetype count() const { return m_count; }
    qsizetype bytes() const { return m_data.size() + m_rest.size() + m_numbers.size(); }
    QString header() const
    {
        QByteArray out
            = "{\"t\":" + list(m_types) + ",\"s\":" + list(m_streams) + ",\"e\":" + m_numbers + "]}";
        return QString::fromUtf8(out);
    }
    QString data() const { return m_data + QLatin1Char(']'); }
    const QString& rest() const { return m_rest; }

private:
    static qsizetype index(std::vector<QString>& names, const QString& name)
    {
        for (auto i = names.size(); i > 0; --i) // recent names are the likely ones
            if (names[i - 1] == name)
                return qsizetype(i - 1);
        names.push_back(name);
        return qsizetype(names.size() - 1);
    }
    static QByteArray list(const std::vector<QString>& names)
    {
        QByteArray out = "[";
        for (const auto& n : names) {
            if (out.size() > 1)
                out += ',';
            appendJsonString(out, n);
        }
        return out + ']';
    }
    std::vector<QString> m_types;
    std::vector<QString> m_streams;
    QByteArray m_numbers;
    QString m_data;
    QString m_rest;
    qsizetype m_count = 0;
};

} // namespace

/// One state of the projection, in its own engine.
class JsProjection::Folder final : public ProjectionFolder {
public:
    explicit Folder(const JsProjection& p)
        : m_fileName(p.m_fileName)
        , m_watchdog(p.m_watchdog)
        , m_js(p.m_fileName, p.m_limits, *m_watchdog)
    {
        m_js.evaluate(ourScript("projection-prelude.js"), QStringLiteral("<chronoscope>"));
        const auto loaded = m_js.evaluateScript(p.m_script);
        if (!loaded.ok())
            throw InvalidInput(loaded.failure != JsOutcome::Failure::Threw
                    ? QStringLiteral("%1: the projection script %2 before defining its projection")
                          .arg(m_fileName, loaded.reason(m_js.limits()))
                    : QStringLiteral("%1: %2 (%3)")
                          .arg(loaded.where(m_fileName), loaded.message,
                              loaded.syntaxError ? QStringLiteral("syntax error")
                                                 : QStringLiteral("while running the script")));
        const auto harness
            = m_js.evaluate(ourScript("projection-harness.js"), QStringLiteral("<chronoscope>"));
        const auto api = harness.ok()
            ? m_js.call(harness.value, {m_js.engine().globalObject(), m_js.originals()})
            : harness;
        if (!api.ok())
            throw InvalidInput(QStringLiteral("%1: reading the projection's handlers failed: %2")
                                   .arg(api.where(m_fileName), api.reason(m_js.limits())));
        if (!api.value.isObject())
            throw InvalidInput(QStringLiteral("%1: the script defines no projection; write e.g. "
                                              "fromAll().when({ $init: function () { return {}; }, "
                                              "TYPE: function (state, e) { ... } })")
                                   .arg(m_fileName));
        m_api = api.value;
        m_describe = m_api.property(QStringLiteral("describe"));
        m_reset = m_api.property(QStringLiteral("reset"));
        m_apply = m_api.property(QStringLiteral("apply"));
        m_get = m_api.property(QStringLiteral("get"));
        m_load = m_api.property(QStringLiteral("load"));
        reset();
    }

    nlohmann::json describe()
    {
        return parseScriptJson(
            call(m_describe, {}, "describe").toString(), QStringLiteral("%1: describe").arg(m_fileName));
    }

    void reset() override { call(m_reset, {}, "$init"); }

    void apply(std::span<const RecordedEvent> events) override
    {
        Batch text;
        for (std::size_t begin = 0; begin < events.size();) {
            // Batches stay small enough for the engine's ordinary heap: one big string per call
            // would be a separately mapped "huge" allocation, unmapped again by every collection.
            std::size_t end = begin;
            text.clear();
            while (end < events.size() && end - begin < kMaxBatch && text.bytes() < kMaxBatchBytes)
                text.add(events[end++]);
            const auto batch = events.subspan(begin, end - begin);
            begin = end;
            const auto result
                = m_js.call(m_apply, {QJSValue(text.header()), QJSValue(text.data()), QJSValue(text.rest())});
            if (result.ok())
                continue;
            const int index = m_api.property(QStringLiteral("at")).toInt();
            const auto& e = batch[std::size_t(std::clamp<qint64>(index, 0, qint64(batch.size()) - 1))];
            if (result.failure != JsOutcome::Failure::Threw)
                throw ProjectionError(
                    e, QStringLiteral("%1: the handler %2").arg(m_fileName, result.reason(m_js.limits())));
            throw ProjectionError(e, QStringLiteral("%1: %2").arg(result.where(m_fileName), result.message));
        }
    }

    std::string stateText() override
    {
        QString surrogate;
        auto text = scriptTextToUtf8(call(m_get, {}, "the state").toString(), &surrogate);
        if (!text)
            throw StoreError(
                QStringLiteral("%1: the state holds %2").arg(m_fileName, loneSurrogateProblem(surrogate)));
        return std::move(*text);
    }

    nlohmann::json state() override
    {
        return parseScriptJson(stateText(), QStringLiteral("%1: the state").arg(m_fileName));
    }

    void loadText(const std::string& text) override
    {
        call(m_load, {QJSValue(QString::fromStdString(text))}, "loading a state");
    }

private:
    QJSValue call(const QJSValue& f, const QJSValueList& args, const char* what)
    {
        const auto result = m_js.call(f, args);
        if (result.failure == JsOutcome::Failure::Threw)
            throw StoreError(QStringLiteral("%1: %2 (in %3)")
                                 .arg(result.where(m_fileName), result.message, QString::fromUtf8(what)));
        if (!result.ok())
            throw StoreError(QStringLiteral("%1: %2 %3")
                                 .arg(m_fileName, QString::fromUtf8(what), result.reason(m_js.limits())));
        return result.value;
    }

    QString m_fileName;
    std::shared_ptr<JsWatchdog> m_watchdog;
    JsCaller m_js;
    QJSValue m_api, m_describe, m_reset, m_apply, m_get, m_load;
};

JsProjection::JsProjection(QString script, QString fileName, JsLimits limits)
    : m_script(std::move(script))
    , m_fileName(std::move(fileName))
    , m_limits(limits)
    , m_watchdog(std::make_shared<JsWatchdog>())
{
}

JsProjection::~JsProjection() = default;

std::shared_ptr<JsProjection> JsProjection::fromSource(
    const QString& script, const QString& fileName, std::chrono::milliseconds timeLimit)
{
    JsLimits limits;
    limits.time = timeLimit;
    return fromSource(script, fileName, limits);
}

std::shared_ptr<JsProjection> JsProjection::fromSource(
    const QString& script, const QString& fileName, JsLimits limits)
{
    std::shared_ptr<JsProjection> p(new JsProjection(script, fileName, limits));
    Folder folder(*p);
    const auto info = folder.describe();
    const auto& source = info["source"];
    const auto kind = source.value("kind", std::string("all"));
    if (kind == "category") {
        p->m_source
            = ProjectionSource::fromCategory(QString::fromStdString(source.value("category", std::string())));
    } else if (kind == "streams") {
        QStringList streams;
        for (const auto& s : source["streams"])
            streams.append(QString::fromStdString(s.get<std::string>()));
        p->m_source = ProjectionSource::fromStreams(streams);
    }
    p->m_perStream = info.value("foreach", false);
    p->m_options = info.contains("options") && info["options"].is_object() ? info["options"]
                                                                           : nlohmann::json::object();
    return p;
}

std::shared_ptr<JsProjection> JsProjection::fromFile(const QString& path, std::chrono::milliseconds timeLimit)
{
    JsLimits limits;
    limits.time = timeLimit;
    return fromFile(path, limits);
}

std::shared_ptr<JsProjection> JsProjection::fromFile(const QString& path, JsLimits limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InvalidInput(
            QStringLiteral("cannot read projection script '%1': %2").arg(path, file.errorString()));
    return fromSource(QString::fromUtf8(file.readAll()), path, limits);
}

QString JsProjection::name() const
{
    return QFileInfo(m_fileName).fileName();
}

QString JsProjection::description() const
{
    return QStringLiteral("JavaScript projection over %1%2")
        .arg(m_source.describe(), m_perStream ? QStringLiteral(", one state per stream") : QString());
}

std::unique_ptr<ProjectionFolder> JsProjection::createFolder() const
{
    return std::make_unique<Folder>(*this);
}

} // namespace chronoscope
