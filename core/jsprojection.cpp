#include "jsprojection.h"

#include "jswatchdog.h"

#include <QFile>
#include <QFileInfo>
#include <QJSEngine>

namespace chronoscope {

// The JavaScript around the user's script (jsprojectionscripts.cpp).
extern const char* const kJsProjectionPrelude;
extern const char* const kJsProjectionHarness;

namespace {

constexpr std::size_t kMaxBatch = 2000; // events per call into the script, at most
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

/// "FILE:LINE: MESSAGE" for a script error, the line only when it is in the user's file.
QString describeError(const QJSValue& error, const QString& fileName)
{
    const auto file = error.property(QStringLiteral("fileName")).toString();
    const int line = error.property(QStringLiteral("lineNumber")).toInt();
    const bool ours
        = line > 0 && (file.isEmpty() || file == fileName || file.endsWith(QFileInfo(fileName).fileName()));
    return ours ? QStringLiteral("%1:%2: %3").arg(fileName).arg(line).arg(error.toString())
                : QStringLiteral("%1: %2").arg(fileName, error.toString());
}

} // namespace

/// One state of the projection, in its own engine.
class JsProjection::Folder final : public ProjectionFolder {
public:
    explicit Folder(const JsProjection& p)
        : m_fileName(p.m_fileName)
        , m_limit(p.m_limit)
        , m_watchdog(p.m_watchdog)
    {
        m_engine.evaluate(QString::fromUtf8(kJsProjectionPrelude), QStringLiteral("<chronoscope>"));
        m_watchdog->arm(&m_engine, m_limit);
        const auto result = m_engine.evaluate(p.m_script, m_fileName, 1);
        m_watchdog->disarm(&m_engine);
        if (m_engine.isInterrupted()) {
            m_engine.setInterrupted(false);
            throw InvalidInput(
                QStringLiteral("%1: the projection script ran longer than %2 ms before defining "
                               "its projection and was interrupted")
                    .arg(m_fileName)
                    .arg(m_limit.count()));
        }
        if (result.isError())
            throw InvalidInput(result.errorType() == QJSValue::SyntaxError
                    ? QStringLiteral("%1 (syntax error)").arg(describeError(result, m_fileName))
                    : QStringLiteral("%1 (while running the script)").arg(describeError(result, m_fileName)));
        const auto api
            = m_engine.evaluate(QString::fromUtf8(kJsProjectionHarness), QStringLiteral("<chronoscope>"));
        if (api.isError() || api.isNull())
            throw InvalidInput(QStringLiteral("%1: the script defines no projection; write e.g. "
                                              "fromAll().when({ $init: function () { return {}; }, "
                                              "TYPE: function (state, e) { ... } })")
                                   .arg(m_fileName));
        m_describe = api.property(QStringLiteral("describe"));
        m_reset = api.property(QStringLiteral("reset"));
        m_apply = api.property(QStringLiteral("apply"));
        m_get = api.property(QStringLiteral("get"));
        m_load = api.property(QStringLiteral("load"));
        reset();
    }

    nlohmann::json describe()
    {
        return nlohmann::json::parse(call(m_describe, {}, "describe").toString().toStdString());
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
            m_watchdog->arm(&m_engine, m_limit);
            const auto result
                = m_apply.call({QJSValue(text.header()), QJSValue(text.data()), QJSValue(text.rest())});
            m_watchdog->disarm(&m_engine);
            const bool interrupted = m_engine.isInterrupted();
            m_engine.setInterrupted(false);
            if (!interrupted && !result.isError())
                continue;
            const int index = m_engine.globalObject().property(QStringLiteral("__csIndex")).toInt();
            const auto& e = batch[std::size_t(std::clamp<qint64>(index, 0, qint64(batch.size()) - 1))];
            if (interrupted)
                throw ProjectionError(e,
                    QStringLiteral("%1: the handler ran longer than %2 ms and was interrupted")
                        .arg(m_fileName)
                        .arg(m_limit.count()));
            throw ProjectionError(e, describeError(result, m_fileName));
        }
    }

    std::string stateText() override { return call(m_get, {}, "the state").toString().toStdString(); }

    void loadText(const std::string& text) override
    {
        call(m_load, {QJSValue(QString::fromStdString(text))}, "loading a state");
    }

private:
    QJSValue call(QJSValue& f, const QJSValueList& args, const char* what)
    {
        m_watchdog->arm(&m_engine, m_limit);
        const auto result = f.call(args);
        m_watchdog->disarm(&m_engine);
        const bool interrupted = m_engine.isInterrupted();
        m_engine.setInterrupted(false);
        if (interrupted)
            throw StoreError(QStringLiteral("%1: %2 ran longer than %3 ms and was interrupted")
                                 .arg(m_fileName, QString::fromUtf8(what))
                                 .arg(m_limit.count()));
        if (result.isError())
            throw StoreError(
                QStringLiteral("%1 (in %2)").arg(describeError(result, m_fileName), QString::fromUtf8(what)));
        return result;
    }

    QString m_fileName;
    std::chrono::milliseconds m_limit;
    std::shared_ptr<JsWatchdog> m_watchdog;
    QJSEngine m_engine;
    QJSValue m_describe, m_reset, m_apply, m_get, m_load;
};

JsProjection::JsProjection(QString script, QString fileName, std::chrono::milliseconds limit)
    : m_script(std::move(script))
    , m_fileName(std::move(fileName))
    , m_limit(limit)
    , m_watchdog(std::make_shared<JsWatchdog>())
{
}

JsProjection::~JsProjection() = default;

std::shared_ptr<JsProjection> JsProjection::fromSource(
    const QString& script, const QString& fileName, std::chrono::milliseconds timeLimit)
{
    std::shared_ptr<JsProjection> p(new JsProjection(script, fileName, timeLimit));
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
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InvalidInput(
            QStringLiteral("cannot read projection script '%1': %2").arg(path, file.errorString()));
    return fromSource(QString::fromUtf8(file.readAll()), path, timeLimit);
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
