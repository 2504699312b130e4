#pragma once

#include <QHash>
#include <QMetaType>
#include <QString>

#include <compare>
#include <cstdint>

namespace chronoscope {

/// A 64-bit integer that cannot be mixed up with another kind of integer.
template<typename Tag> struct StrongInt {
    std::int64_t value = 0;

    constexpr StrongInt() = default;
    constexpr explicit StrongInt(std::int64_t v)
        : value(v)
    {
    }
    constexpr auto operator<=>(const StrongInt&) const = default;
};

/// Version of a stream: version N is the state after N events; 0 is the initial state.
/// Foreign stores may skip numbers: version N means "every event whose version is <= N".
using Version = StrongInt<struct VersionTag>;

/// Store-wide order of an event, 1-based.
using Position = StrongInt<struct PositionTag>;

/// Identity of a stream, e.g. "cart-42". The category is the part before the first '-'.
class StreamId {
public:
    StreamId() = default;
    explicit StreamId(QString value)
        : m_value(std::move(value))
    {
    }

    const QString& toString() const { return m_value; }
    bool isEmpty() const { return m_value.isEmpty(); }
    /// Part before the first '-', or an empty string when the name has no '-'.
    QString category() const
    {
        const auto dash = m_value.indexOf(QLatin1Char('-'));
        return dash > 0 ? m_value.left(dash) : QString();
    }

    bool operator==(const StreamId&) const = default;
    auto operator<=>(const StreamId& other) const { return m_value.compare(other.m_value) <=> 0; }

private:
    QString m_value;
};

inline size_t qHash(const StreamId& id, size_t seed = 0) noexcept
{
    return qHash(id.toString(), seed);
}

} // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::StreamId)
Q_DECLARE_METATYPE(chronoscope::Version)
Q_DECLARE_METATYPE(chronoscope::Position)
