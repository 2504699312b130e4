#include "store/recordedevent.h"

#include "base/errors.h"
#include "json/jsondepth.h"
#include "json/jsonscan.h"

#include <string_view>

namespace chronoscope {

namespace {
nlohmann::json parseJson(const QByteArray& bytes, const char* what, const RecordedEvent& e)
{
    if (const auto at = jsondepth::tooDeepAt(std::string_view(bytes.constData(), std::size_t(bytes.size()))))
        throw InvalidInput(jsondepth::message(QStringLiteral("stream '%1' version %2 (position %3): %4")
                                                  .arg(e.stream.toString())
                                                  .arg(e.version.value)
                                                  .arg(e.position.value)
                                                  .arg(QLatin1String(what)),
            *at));
    try {
        return nlohmann::json::parse(bytes.constBegin(), bytes.constEnd());
    } catch (const nlohmann::json::exception& error) {
        throw InvalidInput(QStringLiteral("stream '%1' version %2 (position %3): %4 is not valid JSON: %5")
                               .arg(e.stream.toString())
                               .arg(e.version.value)
                               .arg(e.position.value)
                               .arg(QLatin1String(what), QString::fromUtf8(error.what())));
    }
}
} // namespace

nlohmann::json RecordedEvent::dataJson() const
{
    return parseJson(data, "data", *this);
}

nlohmann::json RecordedEvent::metadataJson() const
{
    if (metadata.trimmed().isEmpty())
        return nlohmann::json::object();
    return parseJson(metadata, "metadata", *this);
}

namespace {
std::string_view view(const QByteArray& bytes)
{
    return std::string_view(bytes.constData(), std::size_t(bytes.size()));
}

// As QByteArray::trimmed().isEmpty(), without making the trimmed copy.
bool isBlankBytes(const QByteArray& bytes)
{
    for (const char c : bytes) {
        if (!(c == ' ' || (c >= '\t' && c <= '\r')))
            return false;
    }
    return true;
}

// JSON validity as nlohmann::json::accept decides it. The DOM-less scanner answers the
// common case; nlohmann (no depth limit) only has the last word on what the scanner rejects.
bool acceptJson(const QByteArray& bytes)
{
    return jsonscan::isValidJson(view(bytes)) || nlohmann::json::accept(bytes.constBegin(), bytes.constEnd());
}

// Valid JSON whose value is an object: the first byte after JSON whitespace is '{'.
bool isJsonObject(const QByteArray& bytes)
{
    jsonscan::Scanner s(bytes.constData(), bytes.constData() + bytes.size());
    s.skipWhitespace();
    return s.peek() == '{';
}
} // namespace

bool isBlank(const QString& text)
{
    for (const QChar c : text) {
        if (!c.isSpace())
            return false;
    }
    return true;
}

void validateEventData(const StreamId& stream, const EventData& event, int indexInBatch)
{
    const auto where = [&] {
        return QStringLiteral("stream '%1', event %2 of the batch")
            .arg(stream.toString())
            .arg(indexInBatch + 1);
    };
    if (stream.isEmpty())
        throw InvalidInput(QStringLiteral("the stream id is empty"));
    if (isBlank(event.type))
        throw InvalidInput(QStringLiteral("%1: the event type is empty").arg(where()));
    // Deeper than the bound, a payload would be refused again by every reader (the JSON Lines
    // import, the inspector...): refuse it here, before it is stored.
    jsondepth::check(view(event.data), QStringLiteral("%1 (type '%2'): data").arg(where(), event.type));
    if (!acceptJson(event.data))
        throw InvalidInput(QStringLiteral("%1 (type '%2'): data is not valid JSON").arg(where(), event.type));
    if (!isBlankBytes(event.metadata)) {
        jsondepth::check(
            view(event.metadata), QStringLiteral("%1 (type '%2'): metadata").arg(where(), event.type));
        if (!acceptJson(event.metadata))
            throw InvalidInput(
                QStringLiteral("%1 (type '%2'): metadata is not valid JSON").arg(where(), event.type));
        if (!isJsonObject(event.metadata))
            throw InvalidInput(
                QStringLiteral("%1 (type '%2'): metadata must be a JSON object").arg(where(), event.type));
    }
}

QString formatTimestamp(qint64 timestampMs)
{
    return QDateTime::fromMSecsSinceEpoch(timestampMs, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<qint64> parseTimestamp(const QString& text)
{
    const auto trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    auto dt = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(trimmed, Qt::ISODate);
    if (!dt.isValid())
        return std::nullopt;
    // A time without zone is taken as UTC, never as the machine's local time.
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC);
    return dt.toMSecsSinceEpoch();
}

QString positionNotAfterMessage(const RecordedEvent& e, qint64 last, qint64 storeLast)
{
    const auto event = QStringLiteral("position %1 (stream '%2' version %3)")
                           .arg(e.position.value)
                           .arg(e.stream.toString())
                           .arg(e.version.value);
    if (last == storeLast)
        return QStringLiteral(
            "%1 is not after the store's last position %2: imported events keep their positions, "
            "which must come after every event already stored (was something appended to the "
            "store meanwhile?); nothing was imported")
            .arg(event)
            .arg(last);
    return QStringLiteral("%1 is not after the position %2 before it: the events are not in position order; "
                          "nothing was imported")
        .arg(event)
        .arg(last);
}

void checkImportedEvent(const RecordedEvent& e, qint64 last, qint64 current, qint64 storeLast)
{
    if (e.stream.isEmpty())
        throw InvalidInput(QStringLiteral("position %1: the stream id is empty").arg(e.position.value));
    if (isBlank(e.type))
        throw InvalidInput(QStringLiteral("position %1: the event type is empty").arg(e.position.value));
    if (e.position.value <= last)
        throw InvalidInput(positionNotAfterMessage(e, last, storeLast));
    if (e.version.value != current + 1)
        throw InvalidInput(QStringLiteral("stream '%1': version %2 does not follow version %3")
                               .arg(e.stream.toString())
                               .arg(e.version.value)
                               .arg(current));
}

} // namespace chronoscope
