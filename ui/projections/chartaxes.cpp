#include "projections/chartaxes.h"

#include <QDateTime>
#include <QFontMetricsF>
#include <QStringList>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QValueAxis>

#include <cmath>

namespace chronoscope {

namespace {
constexpr qint64 HourMs = 3600000;
constexpr qint64 DayMs = 24 * HourMs;
} // namespace

qreal axisTime(qint64 utcMs)
{
    return qreal(utcMs - qint64(QDateTime::fromMSecsSinceEpoch(utcMs).offsetFromUtc()) * 1000);
}

qint64 utcOfAxisTime(qreal axisValue)
{
    const auto local = qint64(std::llround(axisValue));
    return local + qint64(QDateTime::fromMSecsSinceEpoch(local).offsetFromUtc()) * 1000;
}

QValueAxis* makeValueAxis(double max)
{
    auto* axis = new QValueAxis;
    axis->setRange(0, max > 0 ? max * 1.05 : 1);
    axis->applyNiceNumbers();
    axis->setLabelFormat(QStringLiteral("%.0f"));
    axis->setTruncateLabels(false);
    return axis;
}

QDateTimeAxis* makeTimeAxis(qint64 fromMs, qint64 toMs, qint64 bucketMs)
{
    auto* axis = new QDateTimeAxis;
    const qint64 span = toMs - fromMs;
    axis->setFormat(span < 2 * DayMs || (bucketMs > 0 && bucketMs < DayMs) ? QStringLiteral("MM-dd hh:mm")
                                                                           : QStringLiteral("yyyy-MM-dd"));
    axis->setTruncateLabels(false);
    axis->setTickCount(2);
    if (toMs <= fromMs)
        toMs = fromMs + std::max(HourMs, bucketMs); // a single time still needs a range
    axis->setRange(QDateTime::fromMSecsSinceEpoch(qint64(axisTime(fromMs))),
        QDateTime::fromMSecsSinceEpoch(qint64(axisTime(toMs))));
    return axis;
}

int timeTicksThatFit(double plotWidth, const QFont& font, const QString& format)
{
    const QFontMetricsF metrics(font);
    const QString sample = QDateTime(QDate(2026, 12, 28), QTime(23, 58)).toString(format);
    const double label = metrics.horizontalAdvance(sample) + 2 * metrics.averageCharWidth();
    if (label <= 0 || plotWidth <= 0)
        return 2;
    // n ticks put n labels centred on n points spread over the plot: the two outer ones hang
    // half over the edges, so n labels need about (n - 1) label widths plus one.
    const int n = int(std::floor(plotWidth / label));
    return std::clamp(n, 2, 8);
}

CategoryLabels fitCategoryLabels(const QStringList& labels, const QFont& font, double plotWidth)
{
    CategoryLabels fit;
    if (labels.isEmpty() || plotWidth <= 0)
        return fit;
    const QFontMetricsF metrics(font);
    double widest = 0;
    for (const QString& label : labels)
        widest = std::max(widest, metrics.horizontalAdvance(label));
    const double slot = plotWidth / double(labels.size());
    const double gap = metrics.averageCharWidth();
    if (widest + gap <= slot)
        return fit;
    const double height = metrics.height();
    fit.angle = height * 1.5 + gap <= slot ? -45 : -90; // slanted labels overlap only by their height
    if (height + gap / 2 > slot)
        fit.step = int(std::ceil((height + gap / 2) / slot));
    return fit;
}

QStringList thinnedLabels(const QStringList& labels, int step)
{
    if (step <= 1)
        return labels;
    QStringList out;
    out.reserve(labels.size());
    for (qsizetype i = 0; i < labels.size(); ++i)
        out << (i % step == 0 ? labels[i] : QString(i, QChar(0x200B)));
    return out;
}

} // namespace chronoscope
