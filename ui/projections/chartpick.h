#pragma once

// What a person points at in a chart: the bar, slice or time bucket under the mouse, as plain
// values (no Qt Charts types), for the hover text and for click-through.

#include <QString>
#include <QStringList>

#include <optional>

namespace chronoscope {

struct ChartData;

struct ChartPick {
    QString category;           ///< bars and slices: the label; time charts: empty
    QString series;             ///< the series (bar set, area, line) name
    std::optional<qint64> time; ///< time charts: the bucket start (UTC ms)
    qint64 bucketMs = 0;        ///< time charts: the bucket length (0: unknown)
    double value = 0;           ///< the value under the mouse (stacked: this series' own)
    QStringList members;        ///< an "other" bar or series: the names it sums; else empty

    bool operator==(const ChartPick&) const = default;
};

/// The pick of category `index` of series `series` of `data` (bars, slices).
ChartPick categoryPick(const ChartData& data, qsizetype series, qsizetype index);
/// The pick of time `index` of series `series` of `data` (lines, areas).
ChartPick timePick(const ChartData& data, qsizetype series, qsizetype index, qint64 bucketMs);
/// Index of the time nearest to `utcMs` among data.times[first..last]; -1 when none.
qsizetype nearestTime(const ChartData& data, qint64 utcMs, qsizetype first, qsizetype last);

/// The hover text of a pick: exact values, rich text. Time charts list every series of the
/// bucket and their total; an "other" lists (up to 12 of) what it sums.
QString hoverText(const ChartData& data, const ChartPick& pick, const QString& clickHint = {});

/// A time as the charts show it: "2026-01-12" for day buckets or longer, else "2026-01-12 10:15" (UTC).
QString chartTimeText(qint64 utcMs, qint64 bucketMs);

} // namespace chronoscope
