#include "projections/chartdata.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace chronoscope {

using nlohmann::json;

namespace {

double number(const json& v)
{
    return v.is_number() ? v.get<double>() : 0.0;
}

// Bars or slices from (label, value) pairs: limited to maxCategories, the rest summed as "other".
ChartData barsFrom(std::vector<std::pair<QString, double>> items, ChartKind kind, const ChartLimits& limits,
    const QString& seriesName)
{
    const auto max = std::size_t(std::max(2, limits.maxCategories));
    if (limits.sortByValue || items.size() > max) {
        std::stable_sort(
            items.begin(), items.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    }
    std::size_t folded = 0;
    QStringList names;
    if (items.size() > max) {
        const auto kept = max - 1;
        double rest = 0;
        for (std::size_t i = kept; i < items.size(); ++i)
            rest += items[i].second;
        folded = items.size() - kept;
        for (std::size_t i = kept; i < items.size(); ++i)
            names << items[i].first;
        items.resize(kept);
        items.emplace_back(QStringLiteral("other (%1)").arg(folded), rest);
    }
    ChartData data;
    data.kind = kind;
    data.otherCount = int(folded);
    data.otherNames = names;
    ChartSeries series {seriesName, {}};
    for (const auto& [label, value] : items) {
        data.categories << label;
        series.values << value;
    }
    data.series << series;
    return data;
}

// Equal-width bins over values[first..]: labels "n" or "a–b" (by index).
ChartData binned(const json& values, std::size_t first, int maxBins)
{
    ChartData data;
    data.kind = ChartKind::Bars;
    if (!values.is_array() || values.size() <= first)
        return data;
    const std::size_t n = values.size() - first;
    const std::size_t width = (n + std::size_t(std::max(1, maxBins)) - 1) / std::size_t(std::max(1, maxBins));
    ChartSeries series {QStringLiteral("count"), {}};
    for (std::size_t start = first; start < values.size(); start += width) {
        const std::size_t end = std::min(values.size(), start + width) - 1;
        double sum = 0;
        for (std::size_t i = start; i <= end; ++i)
            sum += number(values[i]);
        data.categories << (start == end ? QString::number(start)
                                         : QStringLiteral("%1\u2013%2").arg(start).arg(end));
        series.values << sum;
    }
    data.series << series;
    return data;
}

// Names of the numeric fields of an object of objects, largest total first.
std::vector<std::pair<std::string, double>> numericFields(const json& records)
{
    std::map<std::string, double> totals;
    for (const auto& record : records) {
        for (const auto& [field, v] : record.items()) {
            if (v.is_number())
                totals[field] += v.get<double>();
        }
    }
    std::vector<std::pair<std::string, double>> fields(totals.begin(), totals.end());
    std::stable_sort(
        fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return fields;
}

// Member names of a time-keyed object with their times, ascending.
std::vector<std::pair<qint64, std::string>> timedKeys(const json& object)
{
    std::vector<std::pair<qint64, std::string>> keys;
    for (const auto& [key, v] : object.items()) {
        if (const auto t = parseTimeKey(QString::fromStdString(key)))
            keys.emplace_back(*t, key);
    }
    std::stable_sort(keys.begin(), keys.end());
    return keys;
}

} // namespace

double ChartData::total() const
{
    double sum = 0;
    for (const auto& s : series)
        sum = std::accumulate(s.values.begin(), s.values.end(), sum);
    return sum;
}

ChartData chartData(const json& value, ChartKind kind, const ChartLimits& limits)
{
    ChartData data;
    switch (kind) {
    case ChartKind::None:
        return data;
    case ChartKind::Bars:
    case ChartKind::Pie:
        if (value.is_array())
            return binned(value, 0, limits.maxCategories);
        if (value.is_object()) {
            std::vector<std::pair<QString, double>> items;
            for (const auto& [key, v] : value.items()) {
                if (v.is_number())
                    items.emplace_back(QString::fromStdString(key), v.get<double>());
            }
            return barsFrom(std::move(items), kind, limits, QStringLiteral("count"));
        }
        return data;
    case ChartKind::TimeLine: {
        if (!value.is_object())
            return data;
        data.kind = kind;
        ChartSeries series {QStringLiteral("value"), {}};
        for (const auto& [time, key] : timedKeys(value)) {
            data.times << time;
            series.values << number(value[key]);
        }
        data.series << series;
        return data;
    }
    case ChartKind::GroupedBars: {
        if (readModelShape(value) != ReadModelShape::Records)
            return data;
        data.kind = kind;
        auto fields = numericFields(value);
        if (fields.size() > std::size_t(std::max(1, limits.maxSeries)))
            fields.resize(std::size_t(std::max(1, limits.maxSeries)));
        for (const auto& [key, record] : value.items())
            data.categories << QString::fromStdString(key);
        for (const auto& [field, total] : fields) {
            ChartSeries series {QString::fromStdString(field), {}};
            for (const auto& record : value)
                series.values << number(record.value(field, json()));
            data.series << series;
        }
        return data;
    }
    case ChartKind::StackedTime: {
        if (readModelShape(value) != ReadModelShape::Records)
            return data;
        data.kind = kind;
        const auto keys = timedKeys(value);
        for (const auto& [time, key] : keys)
            data.times << time;
        auto fields = numericFields(value);
        const auto max = std::size_t(std::max(2, limits.maxSeries));
        const bool fold = fields.size() > max;
        if (fold)
            fields.resize(max - 1);
        for (const auto& [field, total] : fields) {
            ChartSeries series {QString::fromStdString(field), {}};
            for (const auto& [time, key] : keys)
                series.values << number(value[key].value(field, json()));
            data.series << series;
        }
        if (fold) {
            QStringList names;
            for (const auto& [field, total] : numericFields(value)) {
                const bool kept = std::any_of(
                    fields.begin(), fields.end(), [&](const auto& f) { return f.first == field; });
                if (!kept)
                    names << QString::fromStdString(field);
            }
            data.otherNames = names;
            ChartSeries other {QStringLiteral("other"), {}};
            for (const auto& [time, key] : keys) {
                double rest = 0;
                for (const auto& [field, v] : value[key].items()) {
                    const bool kept = std::any_of(
                        fields.begin(), fields.end(), [&](const auto& f) { return f.first == field; });
                    if (!kept)
                        rest += number(v);
                }
                other.values << rest;
            }
            data.series << other;
        }
        return data;
    }
    }
    return data;
}

TimeWindow bulkTimeWindow(const ChartData& data, double tail, double shrink)
{
    TimeWindow window;
    const qsizetype n = data.times.size();
    if (n == 0)
        return window;
    QList<double> sums(n, 0.0);
    double total = 0;
    for (const auto& s : data.series) {
        for (qsizetype i = 0; i < n && i < s.values.size(); ++i) {
            sums[i] += std::abs(s.values[i]);
            total += std::abs(s.values[i]);
        }
    }
    window.firstIndex = 0;
    window.lastIndex = n - 1;
    // Leave out the ends while what they hold stays within the tail (of the total, both ends
    // together, the smaller end first).
    const double allowed = total * std::max(0.0, tail);
    qsizetype lo = 0, hi = n - 1;
    double before = 0, after = 0;
    while (lo < hi) {
        const bool left = sums[lo] <= sums[hi];
        const double next = left ? sums[lo] : sums[hi];
        if (before + after + next > allowed)
            break;
        if (left)
            before += sums[lo++];
        else
            after += sums[hi--];
    }
    while (lo < hi && sums[lo] == 0) // empty ends are not drawn either way
        ++lo;
    while (hi > lo && sums[hi] == 0)
        --hi;
    const qint64 span = data.times.back() - data.times.front();
    const qint64 bulk = data.times[hi] - data.times[lo];
    if ((before > 0 || after > 0) && double(bulk) * std::max(1.0, shrink) <= double(span)) {
        window.firstIndex = lo;
        window.lastIndex = hi;
        window.before = before;
        window.after = after;
    }
    window.from = data.times[window.firstIndex];
    window.to = data.times[window.lastIndex];
    return window;
}

void fillTimeGaps(ChartData& data, qint64 bucketMs)
{
    if (bucketMs <= 0 || data.times.size() < 2)
        return;
    QList<qint64> times;
    QList<QList<double>> values(data.series.size());
    auto push = [&](qint64 time, qsizetype from) { // from < 0: a zero
        times << time;
        for (qsizetype s = 0; s < data.series.size(); ++s) {
            const auto& v = data.series[s].values;
            values[s] << (from >= 0 && from < v.size() ? v[from] : 0.0);
        }
    };
    auto holdsValues = [&](qsizetype i) {
        return std::any_of(data.series.begin(), data.series.end(),
            [i](const ChartSeries& s) { return i < s.values.size() && s.values[i] != 0; });
    };
    for (qsizetype i = 0; i < data.times.size(); ++i) {
        if (i > 0) {
            // A zero next to a time with values only: filling twice adds nothing.
            const qint64 gap = data.times[i] - data.times[i - 1];
            if (gap > bucketMs && holdsValues(i - 1))
                push(data.times[i - 1] + bucketMs, -1);
            if (gap > 2 * bucketMs && holdsValues(i))
                push(data.times[i] - bucketMs, -1);
        }
        push(data.times[i], i);
    }
    data.times = times;
    for (qsizetype s = 0; s < data.series.size(); ++s)
        data.series[s].values = values[s];
}

ChartData histogramData(const json& counts, int maxBins)
{
    if (!counts.is_array() || counts.size() <= std::size_t(std::max(1, maxBins)) + 1)
        return binned(counts, 1, maxBins); // one bar per size
    // Sizes are usually heavy-tailed: bins double in width, 1, 2, 3–4, 5–8, 9–16, ...
    ChartData data;
    data.kind = ChartKind::Bars;
    ChartSeries series {QStringLiteral("count"), {}};
    for (std::size_t start = 1, end = 1; start < counts.size(); start = end + 1, end = 2 * end) {
        const std::size_t last = std::min(end, counts.size() - 1);
        double sum = 0;
        for (std::size_t i = start; i <= last; ++i)
            sum += number(counts[i]);
        data.categories << (start == last ? QString::number(start)
                                          : QStringLiteral("%1\u2013%2").arg(start).arg(last));
        series.values << sum;
    }
    data.series << series;
    return data;
}

} // namespace chronoscope
