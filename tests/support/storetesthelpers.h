#pragma once

// Small builders shared by the store tests (the contract suite and the PostgreSQL tests).

#include "store/recordedevent.h"

#include <QUuid>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace chronoscope::testing {

inline EventData makeEvent(const QString& type, const QByteArray& data = "{}",
    std::optional<qint64> timestampMs = {}, const QByteArray& metadata = {})
{
    EventData e;
    e.type = type;
    e.data = data;
    e.metadata = metadata;
    e.timestampMs = timestampMs;
    return e;
}

/// An event whose payload is `data` written out as JSON text.
inline EventData jsonEvent(const char* type, const nlohmann::json& data, int schemaVersion = 1,
    std::optional<qint64> timestampMs = {})
{
    auto e = makeEvent(QString::fromUtf8(type), QByteArray::fromStdString(data.dump()), timestampMs);
    e.schemaVersion = schemaVersion;
    return e;
}

/// A stored event with a fresh id: what a store's reads return.
inline RecordedEvent recordedEvent(const QString& stream, qint64 version, qint64 position,
    const QString& type, const QByteArray& data = "{}", qint64 timestampMs = 1767225600000,
    const QByteArray& metadata = {}, int schemaVersion = 1)
{
    RecordedEvent e;
    e.position = Position(position);
    e.stream = StreamId(stream);
    e.version = Version(version);
    e.id = QUuid::createUuid();
    e.type = type;
    e.schemaVersion = schemaVersion;
    e.timestampMs = timestampMs;
    e.data = data;
    e.metadata = metadata;
    return e;
}

/// `count` events of one type with data {"n": 0}, {"n": 1}...
inline std::vector<EventData> events(int count, const QString& type = QStringLiteral("Happened"))
{
    std::vector<EventData> out;
    for (int i = 0; i < count; ++i)
        out.push_back(makeEvent(type, QByteArray("{\"n\":") + QByteArray::number(i) + "}"));
    return out;
}

inline StreamId sid(const char* name)
{
    return StreamId(QString::fromUtf8(name));
}

inline std::vector<qint64> positions(const std::vector<RecordedEvent>& list)
{
    std::vector<qint64> out;
    for (const auto& e : list)
        out.push_back(e.position.value);
    return out;
}

} // namespace chronoscope::testing
