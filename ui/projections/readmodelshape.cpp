#include "projections/readmodelshape.h"

#include "store/recordedevent.h"

#include <QRegularExpression>

namespace chronoscope {

using nlohmann::json;

ReadModelShape readModelShape(const json& value)
{
    if (value.is_null() || (value.is_structured() && value.empty()))
        return ReadModelShape::Empty;
    if (value.is_object()) {
        for (const auto& member : value) {
            if (!member.is_object())
                return ReadModelShape::KeyValue;
        }
        return ReadModelShape::Records;
    }
    if (value.is_array()) {
        for (const auto& element : value) {
            if (!element.is_object())
                return ReadModelShape::List;
        }
        return ReadModelShape::Rows;
    }
    return ReadModelShape::Scalar;
}

QString chartKindName(ChartKind kind)
{
    switch (kind) {
    case ChartKind::None:
        return QStringLiteral("none");
    case ChartKind::Bars:
        return QStringLiteral("bars");
    case ChartKind::TimeLine:
        return QStringLiteral("time line");
    case ChartKind::GroupedBars:
        return QStringLiteral("grouped bars");
    case ChartKind::StackedTime:
        return QStringLiteral("stacked over time");
    case ChartKind::Pie:
        return QStringLiteral("pie");
    }
    return {};
}

namespace {

bool allNumbers(const json& container)
{
    for (const auto& v : container) {
        if (!v.is_number())
            return false;
    }
    return true;
}

bool allTimeKeys(const json& object)
{
    for (const auto& [key, v] : object.items()) {
        if (!parseTimeKey(QString::fromStdString(key)))
            return false;
    }
    return true;
}

// True when at least one member has a numeric field.
bool hasNumericField(const json& records)
{
    for (const auto& record : records) {
        for (const auto& field : record) {
            if (field.is_number())
                return true;
        }
    }
    return false;
}

} // namespace

ChartKind chooseChart(const json& value)
{
    switch (readModelShape(value)) {
    case ReadModelShape::KeyValue:
        if (!allNumbers(value))
            return ChartKind::None;
        return allTimeKeys(value) ? ChartKind::TimeLine : ChartKind::Bars;
    case ReadModelShape::List:
        return allNumbers(value) ? ChartKind::Bars : ChartKind::None;
    case ReadModelShape::Records:
        if (!hasNumericField(value))
            return ChartKind::None;
        if (allTimeKeys(value))
            return ChartKind::StackedTime;
        return value.size() <= std::size_t(MaxGroupedBarRows) ? ChartKind::GroupedBars : ChartKind::None;
    case ReadModelShape::Empty:
    case ReadModelShape::Scalar:
    case ReadModelShape::Rows:
        break;
    }
    return ChartKind::None;
}

std::optional<qint64> parseTimeKey(const QString& key)
{
    static const QRegularExpression shape(QStringLiteral(
        "^(\\d{4}-\\d{2}-\\d{2})(?:T(\\d{2}:\\d{2})(:\\d{2}(?:\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?$"));
    const auto match = shape.match(key);
    if (!match.hasMatch())
        return std::nullopt;
    if (match.captured(2).isEmpty())
        return parseTimestamp(match.captured(1) + QStringLiteral("T00:00:00Z"));
    const QString seconds = match.captured(3).isEmpty() ? QStringLiteral(":00") : match.captured(3);
    const QString zone = match.captured(4).isEmpty() ? QStringLiteral("Z") : match.captured(4);
    return parseTimestamp(match.captured(1) + QLatin1Char('T') + match.captured(2) + seconds + zone);
}

} // namespace chronoscope
