#pragma once

// What a projection's read model looks like, and which chart suits it.

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace chronoscope {

/// The shape of a JSON read model, as far as a table is concerned.
enum class ReadModelShape {
    Empty,    ///< null, {} or []
    Scalar,   ///< a string, number or boolean
    KeyValue, ///< an object whose members are not all objects: key | value
    Records,  ///< an object of objects: one row per member, one column per field
    Rows,     ///< an array of objects: one row per element, one column per field
    List,     ///< an array of anything else: index | value
};

ReadModelShape readModelShape(const nlohmann::json& value);

/// The chart drawn for a read model.
enum class ChartKind {
    None,        ///< table only
    Bars,        ///< object of numbers, or array of numbers (index categories)
    TimeLine,    ///< object of numbers whose keys are times: a line over time
    GroupedBars, ///< object of objects with numeric fields: a group of bars per member
    StackedTime, ///< object of objects with numeric fields whose keys are times: stacked areas
    Pie,         ///< never chosen from the shape; asked for explicitly (share of a whole)
};

/// "none", "bars", "time line", "grouped bars", "stacked over time", "pie".
QString chartKindName(ChartKind kind);

/// Groups of bars become unreadable beyond this many members: such read models get a table only.
inline constexpr int MaxGroupedBarRows = 40;

/// The chart that suits a read model (see ChartKind).
ChartKind chooseChart(const nlohmann::json& value);

/// A member name read as a time: "2026-01-05", "2026-01-05T10:00Z", full ISO-8601 with seconds,
/// milliseconds and an offset. UTC milliseconds, or nullopt.
std::optional<qint64> parseTimeKey(const QString& key);

} // namespace chronoscope
