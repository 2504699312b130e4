#pragma once

// The numbers a chart draws, taken out of a read model: plain values, no Qt Charts types.

#include "projections/readmodelshape.h"

#include <QList>
#include <QStringList>

namespace chronoscope {

/// One line, bar set or area: a value per category or per time.
struct ChartSeries {
    QString name;
    QList<double> values;
};

struct ChartData {
    ChartKind kind = ChartKind::None;
    QStringList categories;    ///< Bars, GroupedBars, Pie: one per bar (group) or slice
    QList<qint64> times;       ///< TimeLine, StackedTime: UTC ms, ascending
    QList<ChartSeries> series; ///< values parallel to categories or times
    int otherCount = 0;        ///< Bars, Pie: how many categories the last bar ("other (n)") sums; 0: none
    QStringList otherNames;    ///< what "other" sums: the last bar's categories, or the stacked series folded

    bool isEmpty() const { return series.isEmpty() || (categories.isEmpty() && times.isEmpty()); }
    /// Sum of every value of every series.
    double total() const;
};

struct ChartLimits {
    int maxCategories = 25;   ///< more bars or slices: the largest kept, the rest summed as "other"
    int maxSeries = 8;        ///< more series: the largest kept (stacked: the rest summed as "other")
    bool sortByValue = false; ///< bars and slices ordered by value, largest first (else by key)
};

/// The data of a chart of `kind` over a read model; empty when the read model does not fit it.
ChartData chartData(const nlohmann::json& value, ChartKind kind, const ChartLimits& limits = {});

/// The span of a time chart that is drawn: the bulk of its values, far outliers left out.
struct TimeWindow {
    qint64 from = 0;          ///< first time drawn (UTC ms)
    qint64 to = 0;            ///< last time drawn
    qsizetype firstIndex = 0; ///< index into ChartData::times of `from`
    qsizetype lastIndex = -1; ///< index of `to`
    double before = 0;        ///< sum of the values earlier than `from`
    double after = 0;         ///< sum of the values later than `to`
    bool trimmed() const { return before > 0 || after > 0; }
};

/// The window of a time chart's bulk: the times at either end are left out when together they
/// hold at most `tail` of the total and leaving them out makes the span at least `shrink` times
/// shorter (one event a year after the rest does not flatten the rest into a line); otherwise
/// every time. Empty data: an empty window (lastIndex -1).
TimeWindow bulkTimeWindow(const ChartData& data, double tail = 0.005, double shrink = 4);

/// Adds a zero at the start of each empty bucket that follows a bucket with values, and at the
/// start of the bucket before the next one with values, so lines and areas drop to zero where
/// nothing happened instead of joining their neighbours across a gap. Times are bucket starts
/// `bucketMs` apart (0: nothing done).
void fillTimeGaps(ChartData& data, qint64 bucketMs);

/// Bars from counts[n] = how many things have size n (n >= 1; counts[0] is left out): a bar per
/// size up to maxBins sizes, else bins doubling in width (1, 2, 3–4, 5–8, ...) labelled "n" or "a–b".
ChartData histogramData(const nlohmann::json& counts, int maxBins = 30);

} // namespace chronoscope
