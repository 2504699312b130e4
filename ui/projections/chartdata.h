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

/// Bars from counts[n] = how many things have size n (n >= 1; counts[0] is left out): a bar per
/// size up to maxBins sizes, else bins doubling in width (1, 2, 3–4, 5–8, ...) labelled "n" or "a–b".
ChartData histogramData(const nlohmann::json& counts, int maxBins = 30);

} // namespace chronoscope
