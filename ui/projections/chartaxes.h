#pragma once

// Axes whose labels are never elided: time ticks as many as fit, category labels turned when
// they do not fit lying down.

#include <QStringList>

class QDateTimeAxis;
class QFont;
class QValueAxis;

namespace chronoscope {

/// A value axis from 0 to a bit above max, with whole-number labels.
QValueAxis* makeValueAxis(double max);
/// A UTC time axis over [fromMs, toMs] (a single time gets an hour or a bucket of room).
QDateTimeAxis* makeTimeAxis(qint64 fromMs, qint64 toMs, qint64 bucketMs);
/// QDateTimeAxis shows local time: a UTC instant shifted so its UTC wall-clock time is shown.
qreal axisTime(qint64 utcMs);
/// The UTC instant of an axis value (the inverse of axisTime()).
qint64 utcOfAxisTime(qreal axisValue);

/// How many ticks of labels in `format` fit side by side, with a gap, in `plotWidth` (2..8).
int timeTicksThatFit(double plotWidth, const QFont& font, const QString& format);
/// How category labels under bars fit `plotWidth`: lying down (angle 0) when every label fits
/// its slot, slanted (-45) or standing (-90) when not, and, when even standing labels would
/// touch, only every `step`-th label shown.
struct CategoryLabels {
    int angle = 0;
    int step = 1;
    bool operator==(const CategoryLabels&) const = default;
};
CategoryLabels fitCategoryLabels(const QStringList& labels, const QFont& font, double plotWidth);
/// Labels with all but every `step`-th (from the first) made blank; still distinct, as a
/// category axis needs (blanks are runs of zero-width spaces of different lengths).
QStringList thinnedLabels(const QStringList& labels, int step);

} // namespace chronoscope
