#include "formats/jsonlines.h"

#include "formats/isotimestamp.h"
#include "json/jsonscan.h"

#include <QDateTime>
#include <QFile>
#include <QSaveFile>

#include <charconv>
#include <cstring>

namespace chronoscope::jsonlines {

namespace {

// ---- writing ----

void appendInteger(QByteArray& out, qint64 value)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr - buf);
}

void appendJsonString(QByteArray& out, const QByteArray& utf8)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c != '"' && c != '\\') {
            out += ch;
            continue;
        }
        out += '\\';
        switch (c) {
        case '"':
            out += '"';
            break;
        case '\\':
            out += '\\';
            break;
        case '\n':
            out += 'n';
            break;
        case '\r':
            out += 'r';
            break;
        case '\t':
            out += 't';
            break;
        case '\b':
            out += 'b';
            break;
        case '\f':
            out += 'f';
            break;
        default:
            out += "u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    out += '"';
}

// Same for a QString; ASCII text (the usual stream ids and types) skips the UTF-8 conversion.
void appendJsonString(QByteArray& out, const QString& text)
{
    const qsizetype start = out.size();
    out += '"';
    for (const QChar ch : text) {
        const char16_t u = ch.unicode();
        if (u >= 0x80 || u < 0x20 || u == '"' || u == '\\') {
            out.truncate(start);
            appendJsonString(out, text.toUtf8());
            return;
        }
        out += char(u);
    }
    out += '"';
}

void appendUuid(QByteArray& out, const QUuid& id)
{
    static constexpr char hex[] = "0123456789abcdef";
    char buf[36];
    int n = 0;
    auto put = [&](quint64 v, int digits) {
        for (int i = digits - 1; i >= 0; --i)
            buf[n++] = hex[(v >> (i * 4)) & 0xF];
    };
    put(id.data1, 8);
    buf[n++] = '-';
    put(id.data2, 4);
    buf[n++] = '-';
    put(id.data3, 4);
    buf[n++] = '-';
    put((quint64(id.data4[0]) << 8) | id.data4[1], 4);
    buf[n++] = '-';
    for (int i = 2; i < 8; ++i)
        put(id.data4[i], 2);
    out.append(buf, n);
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Splices stored JSON in as it is. Empty: `fallback`. Raw newlines (only possible as
// whitespace in valid JSON) become spaces. Bytes that are not JSON are written as a string.
void appendRawJson(QByteArray& out, const QByteArray& raw, const char* fallback)
{
    qsizetype b = 0;
    qsizetype e = raw.size();
    while (b < e && isBlank(raw[b]))
        ++b;
    while (e > b && isBlank(raw[e - 1]))
        --e;
    if (b == e) {
        out += fallback;
        return;
    }
    const std::string_view view(raw.constData() + b, std::size_t(e - b));
    // The scanner stops at 512 levels; nlohmann's accept() has no such bound and builds no
    // value (so it cannot overflow the stack): a deeper payload from a foreign store is still
    // JSON and is written as it is, never turned into a string.
    if (!jsonscan::isValidJson(view) && !nlohmann::json::accept(view.begin(), view.end())) {
        appendJsonString(out, QString::fromUtf8(view.data(), qsizetype(view.size())).toUtf8());
        return;
    }
    const qsizetype start = out.size();
    out.append(view.data(), qsizetype(view.size()));
    if (std::memchr(view.data(), '\n', view.size()) || std::memchr(view.data(), '\r', view.size())) {
        for (qsizetype i = start; i < out.size(); ++i)
            if (out[i] == '\n' || out[i] == '\r')
                out[i] = ' ';
    }
}

} // namespace

QByteArray toLine(const RecordedEvent& event)
{
    QByteArray out;
    out.reserve(200 + event.stream.toString().size() * 3 + event.type.size() * 3 + event.data.size()
        + event.metadata.size());
    out += "{\"position\":";
    appendInteger(out, event.position.value);
    out += ",\"stream\":";
    appendJsonString(out, event.stream.toString());
    out += ",\"version\":";
    appendInteger(out, event.version.value);
    out += ",\"id\":\"";
    appendUuid(out, event.id);
    out += "\",\"type\":";
    appendJsonString(out, event.type);
    out += ",\"schemaVersion\":";
    appendInteger(out, event.schemaVersion);
    out += ",\"timestamp\":\"";
    char stamp[24];
    if (isotimestamp::formatCanonicalTimestamp(event.timestampMs, stamp))
        out.append(stamp, 24);
    else
        out += formatTimestamp(event.timestampMs).toUtf8();
    out += "\",\"data\":";
    appendRawJson(out, event.data, "null");
    out += ",\"metadata\":";
    appendRawJson(out, event.metadata, "{}");
    out += '}';
    return out;
}

qint64 importFile(const QString& path, EventStore& store, const Progress& progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw OpenError(QStringLiteral("cannot read '%1': %2").arg(path, file.errorString()));
    const auto events = parse(file, path, QDateTime::currentMSecsSinceEpoch(), &store, progress);
    try {
        store.importRecorded(events);
    } catch (const InvalidInput& e) {
        throw InvalidInput(QStringLiteral("'%1': %2").arg(path, e.message()));
    }
    return qint64(events.size());
}

qint64 exportFile(const EventStore& store, const QString& path, const Progress& progress)
{
    constexpr qint64 PageSize = 10000;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw StoreError(QStringLiteral("cannot write '%1': %2").arg(path, file.errorString()));
    const qint64 total = store.summary().events;
    qint64 written = 0;
    std::optional<Position> from;
    QByteArray buffer;
    for (;;) {
        const auto page = store.readAll(from, PageSize);
        if (page.empty())
            break;
        buffer.clear();
        for (const auto& e : page) {
            buffer += toLine(e);
            buffer += '\n';
        }
        if (file.write(buffer) != buffer.size())
            throw StoreError(QStringLiteral("cannot write '%1': %2").arg(path, file.errorString()));
        written += qint64(page.size());
        from = Position(page.back().position.value + 1);
        if (progress && !progress(written, total)) {
            file.cancelWriting();
            throw StoreError(QStringLiteral("export to '%1' cancelled: nothing was written").arg(path));
        }
        if (qint64(page.size()) < PageSize)
            break;
    }
    if (!file.commit())
        throw StoreError(QStringLiteral("cannot write '%1': %2").arg(path, file.errorString()));
    return written;
}

} // namespace chronoscope::jsonlines
