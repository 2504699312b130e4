#pragma once

#include "store/recordedevent.h"

#include <QString>

namespace chronoscope {

/// Which events a bus subscription receives: all, one exact type, a type glob (`Order*`,
/// `*Paid`, `?` for one character) or one stream category (the part of the stream id
/// before the first '-'). Matching never allocates.
class BusSelector {
public:
    enum class Kind { All, Type, TypeGlob, Category };

    BusSelector() = default;
    static BusSelector all() { return {}; }
    /// Events of exactly this type. Throws InvalidInput when `type` is empty.
    static BusSelector type(const QString& type);
    /// Events whose type matches the glob (`*` any run of characters, `?` one character).
    /// Throws InvalidInput when `pattern` is empty.
    static BusSelector typeGlob(const QString& pattern);
    /// Events of streams in this category ("cart" matches "cart-42"). Throws InvalidInput when
    /// `category` is empty or contains '-'.
    static BusSelector category(const QString& category);
    /// Parses what a user types: "*" or empty: all; "category:NAME": a category; text with
    /// '*' or '?': a type glob; anything else: an exact type.
    static BusSelector parse(const QString& text);

    Kind kind() const { return m_kind; }
    const QString& pattern() const { return m_pattern; }
    /// The text parse() turns back into this selector.
    QString toString() const;

    bool matches(const RecordedEvent& event) const noexcept;

    bool operator==(const BusSelector&) const = default;

private:
    BusSelector(Kind kind, QString pattern)
        : m_kind(kind)
        , m_pattern(std::move(pattern))
    {
    }

    Kind m_kind = Kind::All;
    QString m_pattern;
};

/// True when `text` matches the glob `pattern` (`*` any run, `?` one character).
bool globMatches(QStringView pattern, QStringView text) noexcept;

} // namespace chronoscope
