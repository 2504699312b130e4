#include "projections/chartpick.h"

#include "projections/chartdata.h"
#include "projections/typetimeline.h"

#include <QDateTime>
#include <QLocale>

namespace chronoscope {

namespace {

constexpr qint64 DayMs = 86400000;
constexpr qsizetype MaxMembersShown = 12;

QString number(double v)
{
    return v == std::floor(v) && std::abs(v) < 1e15 ? QLocale().toString(qint64(v))
                                                    : QLocale().toString(v, 'g', 6);
}

QString membersText(const QStringList& members)
{
    if (members.isEmpty())
        return {};
    QStringList shown = members.mid(0, MaxMembersShown);
    for (QString& m : shown)
        m = m.toHtmlEscaped();
    QString text = shown.join(QStringLiteral(", "));
    if (members.size() > MaxMembersShown)
        text += QObject::tr(" and %1 more").arg(members.size() - MaxMembersShown);
    return text;
}

} // namespace

ChartPick categoryPick(const ChartData& data, qsizetype series, qsizetype index)
{
    ChartPick pick;
    if (series < 0 || series >= data.series.size() || index < 0 || index >= data.categories.size())
        return pick;
    pick.category = data.categories[index];
    pick.series = data.series[series].name;
    const auto& values = data.series[series].values;
    pick.value = index < values.size() ? values[index] : 0;
    if (data.otherCount > 0 && index == data.categories.size() - 1)
        pick.members = data.otherNames;
    return pick;
}

ChartPick timePick(const ChartData& data, qsizetype series, qsizetype index, qint64 bucketMs)
{
    ChartPick pick;
    if (series < 0 || series >= data.series.size() || index < 0 || index >= data.times.size())
        return pick;
    pick.series = data.series[series].name;
    pick.time = data.times[index];
    pick.bucketMs = bucketMs;
    const auto& values = data.series[series].values;
    pick.value = index < values.size() ? values[index] : 0;
    if (!data.otherNames.isEmpty() && series == data.series.size() - 1)
        pick.members = data.otherNames;
    return pick;
}

qsizetype nearestTime(const ChartData& data, qint64 utcMs, qsizetype first, qsizetype last)
{
    first = std::max<qsizetype>(0, first);
    last = std::min(last, data.times.size() - 1);
    qsizetype best = -1;
    qint64 bestDistance = 0;
    for (qsizetype i = first; i <= last; ++i) {
        const qint64 d = std::abs(data.times[i] - utcMs);
        if (best < 0 || d < bestDistance) {
            best = i;
            bestDistance = d;
        }
    }
    return best;
}

QString chartTimeText(qint64 utcMs, qint64 bucketMs)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(utcMs, Qt::UTC);
    return t.toString(bucketMs >= DayMs || (bucketMs == 0 && t.time() == QTime(0, 0))
            ? QStringLiteral("yyyy-MM-dd")
            : QStringLiteral("yyyy-MM-dd hh:mm"));
}

QString hoverText(const ChartData& data, const ChartPick& pick, const QString& clickHint)
{
    QString text;
    if (pick.time) {
        text = QStringLiteral("<b>%1</b>").arg(chartTimeText(*pick.time, pick.bucketMs));
        if (pick.bucketMs > 0)
            text += QObject::tr(" (%1)").arg(timelineBucketName(pick.bucketMs));
        const qsizetype index = data.times.indexOf(*pick.time);
        if (data.series.size() > 1 && index >= 0) {
            double total = 0;
            for (const auto& s : data.series) {
                const double v = index < s.values.size() ? s.values[index] : 0;
                total += v;
                if (v == 0 && s.name != pick.series)
                    continue;
                const QString line = QStringLiteral("%1: %2").arg(s.name.toHtmlEscaped(), number(v));
                text += QStringLiteral("<br>")
                    + (s.name == pick.series ? QStringLiteral("<b>%1</b>").arg(line) : line);
            }
            text += QObject::tr("<br>all: %1").arg(number(total));
        } else {
            text += QStringLiteral("<br>%1: <b>%2</b>").arg(pick.series.toHtmlEscaped(), number(pick.value));
        }
    } else {
        text = QStringLiteral("<b>%1</b>: %2").arg(pick.category.toHtmlEscaped(), number(pick.value));
        if (data.series.size() > 1)
            text = QStringLiteral("%1<br>%2").arg(pick.series.toHtmlEscaped(), text);
    }
    if (!pick.members.isEmpty())
        text += QObject::tr("<br>other: %1").arg(membersText(pick.members));
    if (!clickHint.isEmpty())
        text += QStringLiteral("<br><i>%1</i>").arg(clickHint.toHtmlEscaped());
    return text;
}

} // namespace chronoscope
