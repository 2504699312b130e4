// jsonlines::parse: reads JSON Lines into RecordedEvents, keeping data and metadata as the
// exact bytes of the line (big numbers, escapes and non-ASCII text survive unchanged).
#include "formats/isotimestamp.h"
#include "formats/jsonlines.h"
#include "json/jsonerror.h"
#include "json/jsonscan.h"

#include <QRandomGenerator64>

#include <cstring>
#include <limits>
#include <string>
#include <unordered_map>

namespace chronoscope::jsonlines {

namespace {

struct ViewHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view> {}(s); }
};

// The value of one known key: its bytes in the line (strings include the quotes).
struct Field {
    std::string_view value;
    bool escaped = false; // string with a backslash escape
    bool present() const { return value.data() != nullptr; }
    bool isString() const { return present() && value.front() == '"'; }
    bool isNull() const { return value == "null"; }
    std::string_view inner() const { return value.substr(1, value.size() - 2); }
    /// The string's text without copying when it has no escape; `storage` holds a decoded copy.
    std::string_view view(std::string& storage) const
    {
        if (!escaped)
            return inner();
        storage = jsonscan::decodeString(inner());
        return storage;
    }
};

// The canonical 36-character form, e.g. "0f8fad5b-d9cb-469f-a165-70867728950e"; others: null.
QUuid parseCanonicalUuid(std::string_view t)
{
    if (t.size() != 36 || t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-')
        return {};
    quint8 bytes[16];
    std::size_t at = 0;
    for (int i = 0; i < 16; ++i) {
        if (at == 8 || at == 13 || at == 18 || at == 23)
            ++at;
        int v = 0;
        for (int k = 0; k < 2; ++k) {
            const char c = t[at++];
            const int h = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f'         ? c - 'a' + 10
                : c >= 'A' && c <= 'F'         ? c - 'A' + 10
                                               : -1;
            if (h < 0)
                return {};
            v = v * 16 + h;
        }
        bytes[i] = quint8(v);
    }
    return QUuid::fromRfc4122(QByteArrayView(bytes, 16));
}

enum Key {
    KPosition,
    KStream,
    KVersion,
    KId,
    KType,
    KSchemaVersion,
    KTimestamp,
    KData,
    KMetadata,
    KCount,
    KUnknown
};

Key keyOf(std::string_view k)
{
    switch (k.size()) {
    case 2:
        return k == "id" ? KId : KUnknown;
    case 4:
        return k == "type" ? KType : k == "data" ? KData : KUnknown;
    case 6:
        return k == "stream" ? KStream : KUnknown;
    case 7:
        return k == "version" ? KVersion : KUnknown;
    case 8:
        return k == "position" ? KPosition : k == "metadata" ? KMetadata : KUnknown;
    case 9:
        return k == "timestamp" ? KTimestamp : KUnknown;
    case 13:
        return k == "schemaVersion" ? KSchemaVersion : KUnknown;
    default:
        return KUnknown;
    }
}

const char* jsonKind(char first)
{
    switch (first) {
    case '{':
        return "an object";
    case '[':
        return "an array";
    case '"':
        return "a string";
    case 't':
    case 'f':
        return "a boolean";
    case 'n':
        return "null";
    default:
        return "a number";
    }
}

class LineParser {
public:
    LineParser(const QString& fileName, qint64 nowMs, const EventStore* existing)
        : m_fileName(fileName)
        , m_nowMs(nowMs)
        , m_existing(existing)
        , m_random(QRandomGenerator::system()->generate64())
    {
        if (existing) {
            const auto summary = existing->summary();
            m_lastPosition = summary.lastPosition.value;
            m_existingHasEvents = summary.events > 0;
        }
    }

    void parseLine(const char* begin, const char* end, qint64 lineNo);
    std::vector<RecordedEvent> take() { return std::move(m_events); }
    void reserve(std::size_t events) { m_events.reserve(events); }
    std::size_t count() const { return m_events.size(); }

private:
    struct StreamState {
        StreamId id;
        qint64 version = 0;
    };

    [[noreturn]] void fail(qint64 lineNo, const QString& message) const
    {
        throw InvalidInput(QStringLiteral("%1:%2: %3").arg(m_fileName).arg(lineNo).arg(message));
    }
    [[noreturn]] void failJson(
        qint64 lineNo, const char* begin, const char* end, const jsonscan::Scanner& s) const;
    qint64 integerField(qint64 lineNo, const Field& f, const char* name, qint64 min, qint64 max) const;
    StreamState& streamFor(std::string_view key);
    const QString* typeFor(std::string_view key);
    QUuid newUuid();

    QString m_fileName;
    qint64 m_nowMs;
    const EventStore* m_existing;
    bool m_existingHasEvents = false;
    qint64 m_lastPosition = 0;
    QRandomGenerator64 m_random;
    std::unordered_map<std::string, StreamState, ViewHash, std::equal_to<>> m_streams;
    std::unordered_map<std::string, QString, ViewHash, std::equal_to<>> m_types;
    std::vector<RecordedEvent> m_events;
};

void LineParser::failJson(qint64 lineNo, const char* begin, const char* end, const jsonscan::Scanner& s) const
{
    // nlohmann gives the wording users know; our scanner decides, so fall back to its message.
    QString message;
    try {
        const auto parsed = nlohmann::json::parse(begin, end);
        Q_UNUSED(parsed)
    } catch (const nlohmann::json::exception& e) {
        message = jsonerror::text(e);
    }
    if (message.isEmpty())
        message = QStringLiteral("%1 at column %2").arg(QLatin1String(s.error())).arg(s.errorOffset() + 1);
    fail(lineNo, QStringLiteral("not valid JSON: %1").arg(message));
}

qint64 LineParser::integerField(qint64 lineNo, const Field& f, const char* name, qint64 min, qint64 max) const
{
    const auto v = jsonscan::parseInteger(f.value);
    if (!v || *v < min || *v > max)
        fail(lineNo,
            QStringLiteral("'%1' must be an integer from %2 to %3, not %4")
                .arg(QLatin1String(name))
                .arg(min)
                .arg(max)
                .arg(
                    QString::fromUtf8(f.value.data(), qsizetype(std::min<std::size_t>(f.value.size(), 40)))));
    return *v;
}

LineParser::StreamState& LineParser::streamFor(std::string_view key)
{
    const auto it = m_streams.find(key);
    if (it != m_streams.end())
        return it->second;
    StreamState state;
    state.id = StreamId(QString::fromUtf8(key.data(), qsizetype(key.size())));
    if (m_existing && m_existingHasEvents) {
        if (const auto info = m_existing->streamInfo(state.id))
            state.version = info->version.value;
    }
    return m_streams.emplace(std::string(key), std::move(state)).first->second;
}

// The type's shared QString, or null when it is blank.
const QString* LineParser::typeFor(std::string_view key)
{
    const auto it = m_types.find(key);
    if (it != m_types.end())
        return &it->second;
    auto type = QString::fromUtf8(key.data(), qsizetype(key.size()));
    if (type.trimmed().isEmpty())
        return nullptr;
    return &m_types.emplace(std::string(key), std::move(type)).first->second;
}

QUuid LineParser::newUuid()
{
    // Version 4 (random) UUID from a generator seeded once by the system source.
    const quint64 hi = m_random.generate64();
    const quint64 lo = m_random.generate64();
    QUuid id;
    id.data1 = uint(hi >> 32);
    id.data2 = ushort(hi >> 16);
    id.data3 = ushort((hi & 0x0FFF) | 0x4000);
    for (int i = 0; i < 8; ++i)
        id.data4[i] = uchar(lo >> (56 - 8 * i));
    id.data4[0] = uchar((id.data4[0] & 0x3F) | 0x80);
    return id;
}

void LineParser::parseLine(const char* begin, const char* end, qint64 lineNo)
{
    Field fields[KCount];
    jsonscan::Scanner s(begin, end);
    s.skipWhitespace();
    if (s.peek() != '{') {
        if (!s.scanValue())
            failJson(lineNo, begin, end, s);
        fail(lineNo,
            QStringLiteral("expected a JSON object (an event), got %1").arg(QLatin1String(jsonKind(*begin))));
    }
    s.consume('{');
    if (!s.consume('}')) {
        for (;;) {
            s.skipWhitespace();
            std::string_view rawKey;
            bool keyEscaped = false;
            if (!s.scanString(rawKey, keyEscaped))
                failJson(lineNo, begin, end, s);
            if (!s.consume(':'))
                failJson(lineNo, begin, end, s);
            s.skipWhitespace();
            const char* valueBegin = s.position();
            if (!s.scanValue())
                failJson(lineNo, begin, end, s);
            const Key key = keyEscaped ? keyOf(jsonscan::decodeString(rawKey)) : keyOf(rawKey);
            if (key != KUnknown) {
                Field& f = fields[key];
                f.value = std::string_view(valueBegin, std::size_t(s.position() - valueBegin));
                f.escaped = f.isString() && std::memchr(f.value.data(), '\\', f.value.size()) != nullptr;
            }
            if (s.consume('}'))
                break;
            if (!s.consume(','))
                failJson(lineNo, begin, end, s);
        }
    }
    s.skipWhitespace();
    if (!s.atEnd())
        failJson(lineNo, begin, end, s);

    RecordedEvent e;
    const Field& stream = fields[KStream];
    if (!stream.isString() || stream.inner().empty())
        fail(lineNo, QStringLiteral("'stream' is required and must be a non-empty string"));
    const Field& type = fields[KType];
    std::string decoded;
    const QString* typeName = type.isString() ? typeFor(type.view(decoded)) : nullptr;
    if (!typeName)
        fail(lineNo, QStringLiteral("'type' is required and must be a non-empty string"));
    const Field& data = fields[KData];
    if (!data.present())
        fail(lineNo, QStringLiteral("'data' is required (any JSON value)"));

    auto& streamState = streamFor(stream.view(decoded));
    e.stream = streamState.id;
    e.type = *typeName;
    e.data = QByteArray(data.value.data(), qsizetype(data.value.size()));

    const Field& metadata = fields[KMetadata];
    if (metadata.present() && !metadata.isNull()) {
        if (metadata.value.front() != '{')
            fail(lineNo,
                QStringLiteral("'metadata' must be a JSON object, not %1")
                    .arg(QLatin1String(jsonKind(metadata.value.front()))));
        e.metadata = QByteArray(metadata.value.data(), qsizetype(metadata.value.size()));
    }

    constexpr qint64 Max = std::numeric_limits<qint64>::max();
    const Field& version = fields[KVersion];
    if (version.present() && !version.isNull()) {
        const qint64 v = integerField(lineNo, version, "version", 1, Max);
        if (v != streamState.version + 1)
            fail(lineNo,
                QStringLiteral("stream '%1' version %2 does not follow version %3")
                    .arg(e.stream.toString())
                    .arg(v)
                    .arg(streamState.version));
        streamState.version = v;
    } else {
        ++streamState.version;
    }
    e.version = Version(streamState.version);

    const Field& position = fields[KPosition];
    if (position.present() && !position.isNull()) {
        const qint64 p = integerField(lineNo, position, "position", 1, Max);
        if (p != m_lastPosition + 1)
            fail(lineNo,
                m_lastPosition == 0
                    ? QStringLiteral("position %1 does not follow the start (the first position is 1)").arg(p)
                    : QStringLiteral("position %1 does not follow position %2").arg(p).arg(m_lastPosition));
        m_lastPosition = p;
    } else {
        ++m_lastPosition;
    }
    e.position = Position(m_lastPosition);

    const Field& id = fields[KId];
    if (id.present() && !id.isNull()) {
        const auto text = id.isString() ? id.view(decoded) : std::string_view();
        e.id = parseCanonicalUuid(text);
        if (e.id.isNull())
            e.id = QUuid::fromString(QLatin1StringView(text.data(), qsizetype(text.size())));
        if (e.id.isNull())
            fail(lineNo,
                QStringLiteral("'id' must be a UUID string, not %1")
                    .arg(QString::fromUtf8(
                        id.value.data(), qsizetype(std::min<std::size_t>(id.value.size(), 60)))));
    } else {
        e.id = newUuid();
    }

    const Field& schema = fields[KSchemaVersion];
    if (schema.present() && !schema.isNull())
        e.schemaVersion
            = int(integerField(lineNo, schema, "schemaVersion", 0, std::numeric_limits<int>::max()));

    const Field& timestamp = fields[KTimestamp];
    if (!timestamp.present() || timestamp.isNull()) {
        e.timestampMs = m_nowMs;
    } else if (timestamp.isString()) {
        const auto text = timestamp.view(decoded);
        auto ms = isotimestamp::parseCanonicalTimestamp(text);
        if (!ms)
            ms = parseTimestamp(QString::fromUtf8(text.data(), qsizetype(text.size())));
        if (!ms)
            fail(lineNo,
                QStringLiteral("'timestamp' is not an ISO-8601 date and time: %1")
                    .arg(QString::fromUtf8(text.data(), qsizetype(std::min<std::size_t>(text.size(), 60)))));
        e.timestampMs = *ms;
    } else {
        e.timestampMs = integerField(lineNo, timestamp, "timestamp (milliseconds since 1970)",
            std::numeric_limits<qint64>::min() / 2, Max / 2);
    }
    m_events.push_back(std::move(e));
}

} // namespace

std::vector<RecordedEvent> parse(QIODevice& device, const QString& fileName, qint64 nowMs,
    const EventStore* existing, const Progress& progress)
{
    constexpr qint64 ChunkSize = 4 << 20;
    LineParser parser(fileName, nowMs, existing);
    const qint64 total = device.isSequential() ? -1 : device.size();
    qint64 lineNo = 0;
    qint64 done = 0;
    QByteArray buffer;
    bool atStart = true;
    auto handleLine = [&](const char* b, const char* e) {
        ++lineNo;
        if (atStart) {
            atStart = false;
            if (e - b >= 3 && std::memcmp(b, "\xEF\xBB\xBF", 3) == 0)
                b += 3; // UTF-8 byte order mark
        }
        if (e > b && e[-1] == '\r')
            --e;
        const char* p = b;
        while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
            ++p;
        if (p != e)
            parser.parseLine(b, e, lineNo);
    };
    for (;;) {
        const QByteArray chunk = device.read(ChunkSize);
        if (chunk.isEmpty()) {
            if (!device.atEnd() && device.isSequential() == false)
                throw StoreError(QStringLiteral("%1: read error: %2").arg(fileName, device.errorString()));
            if (!buffer.isEmpty())
                handleLine(buffer.constData(), buffer.constData() + buffer.size());
            break;
        }
        done += chunk.size();
        buffer += chunk;
        const bool firstChunk = lineNo == 0;
        const char* const begin = buffer.constData();
        const char* const end = begin + buffer.size();
        const char* line = begin;
        while (const auto* nl = static_cast<const char*>(std::memchr(line, '\n', std::size_t(end - line)))) {
            handleLine(line, nl);
            line = nl + 1;
        }
        buffer.remove(0, line - begin);
        if (firstChunk && total > done && parser.count() > 0) // room for the whole file, estimated
            parser.reserve(std::size_t(double(total) / double(done) * double(parser.count()) * 1.02) + 16);
        if (progress && !progress(done, total))
            throw StoreError(QStringLiteral("%1: reading cancelled: nothing was imported").arg(fileName));
    }
    return parser.take();
}

} // namespace chronoscope::jsonlines
