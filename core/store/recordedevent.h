#pragma once

#include "base/ids.h"

#include <QByteArray>
#include <QDateTime>
#include <QUuid>

#include <nlohmann/json.hpp>

namespace chronoscope {

/// One event as it is stored. Payload and metadata are kept as the raw JSON bytes the
/// writer stored and are parsed only when asked for.
struct RecordedEvent {
    Position position;      ///< store-wide order, 1-based
    StreamId stream;        ///< stream the event belongs to
    Version version;        ///< 1-based version inside the stream
    QUuid id;               ///< event id
    QString type;           ///< event type, e.g. "ItemAdded"
    int schemaVersion = 1;  ///< schema version of the payload
    qint64 timestampMs = 0; ///< UTC, milliseconds since the Unix epoch
    QByteArray data;        ///< payload, raw JSON
    QByteArray metadata;    ///< metadata, raw JSON object (may be empty)

    QDateTime timestamp() const { return QDateTime::fromMSecsSinceEpoch(timestampMs, Qt::UTC); }
    /// Parses the payload; throws InvalidInput when it is not valid JSON.
    nlohmann::json dataJson() const;
    /// Parses the metadata; an empty metadata gives an empty object.
    nlohmann::json metadataJson() const;
};

/// An event to be appended. Empty id: a new UUID is assigned. No timestamp: now.
struct EventData {
    QString type;
    QByteArray data;
    QByteArray metadata;
    QUuid id;
    int schemaVersion = 1;
    std::optional<qint64> timestampMs;
};

/// True when `text` is empty or only whitespace: QString::trimmed().isEmpty() without the copy.
bool isBlank(const QString& text);

/// Checks type, data and metadata of an event to append; throws InvalidInput naming the
/// event (by index in the batch) and the stream when something is wrong.
void validateEventData(const StreamId& stream, const EventData& event, int indexInBatch);

/// Checks one already-recorded event of an import: a stream, a type, a position after `last`
/// and the version right after the stream's `current` one. `storeLast` is the store's last
/// position before the import (so the error can tell a store that moved on from a file out of
/// order). Throws InvalidInput naming it.
void checkImportedEvent(const RecordedEvent& event, qint64 last, qint64 current, qint64 storeLast);
/// The error text of checkImportedEvent for a position at or before `last`.
QString positionNotAfterMessage(const RecordedEvent& event, qint64 last, qint64 storeLast);

/// ISO-8601 UTC with milliseconds, e.g. "2026-01-05T10:00:00.123Z".
QString formatTimestamp(qint64 timestampMs);
/// Parses ISO-8601 (with or without milliseconds, 'Z' or offset); nullopt when unparseable.
std::optional<qint64> parseTimestamp(const QString& text);

} // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::RecordedEvent)
