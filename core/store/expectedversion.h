#pragma once

#include "base/ids.h"

#include <optional>

namespace chronoscope {

/// What a writer believes about a stream before appending, as in EventStoreDB.
class ExpectedVersion {
public:
    enum class Kind { Any, NoStream, StreamExists, Exact };

    static ExpectedVersion any() { return ExpectedVersion(Kind::Any, 0); }
    static ExpectedVersion noStream() { return ExpectedVersion(Kind::NoStream, 0); }
    static ExpectedVersion streamExists() { return ExpectedVersion(Kind::StreamExists, 0); }
    /// Exact(0) is the same as noStream().
    static ExpectedVersion exact(Version v) { return ExpectedVersion(Kind::Exact, v.value); }

    /// Parses "any", "no-stream", "exists" or a non-negative integer; nullopt otherwise.
    static std::optional<ExpectedVersion> parse(const QString& text);

    Kind kind() const { return m_kind; }
    Version version() const { return Version(m_value); }
    /// True when a stream whose current version is `current` (0 = no stream) satisfies it.
    bool isSatisfiedBy(Version current) const;
    /// "any", "no-stream", "exists" or the number.
    QString toString() const;

private:
    ExpectedVersion(Kind kind, std::int64_t value)
        : m_kind(kind)
        , m_value(value)
    {
    }
    Kind m_kind;
    std::int64_t m_value;
};

} // namespace chronoscope
