#include "projections/readmodelchart.h"

#include <QDateTime>
#include <QLabel>
#include <QStackedLayout>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QLineSeries>
#include <QtCharts/QPieSeries>
#include <QtCharts/QValueAxis>

namespace chronoscope {

namespace {

bool sameData(const ChartData& a, const ChartData& b)
{
    if (a.kind != b.kind || a.otherCount != b.otherCount || a.categories != b.categories || a.times != b.times
        || a.series.size() != b.series.size())
        return false;
    for (qsizetype i = 0; i < a.series.size(); ++i) {
        if (a.series[i].name != b.series[i].name || a.series[i].values != b.series[i].values)
            return false;
    }
    return true;
}

// QDateTimeAxis shows local time: shift UTC instants so their UTC wall-clock time is shown.
qreal axisTime(qint64 utcMs)
{
    return qreal(utcMs - qint64(QDateTime::fromMSecsSinceEpoch(utcMs).offsetFromUtc()) * 1000);
}

// Many bars with long names read better lying down, names on the left.
bool wantsHorizontalBars(const ChartData& data)
{
    if (data.series.size() != 1 || data.categories.size() <= 6)
        return false;
    return std::any_of(
        data.categories.begin(), data.categories.end(), [](const QString& c) { return c.size() > 5; });
}

QValueAxis* valueAxis(double max)
{
    auto* axis = new QValueAxis;
    axis->setRange(0, max > 0 ? max * 1.05 : 1);
    axis->applyNiceNumbers();
    axis->setLabelFormat(QStringLiteral("%.0f"));
    return axis;
}

double maxOf(const ChartData& data, bool stacked)
{
    double max = 0;
    if (stacked) {
        const qsizetype n = data.times.size();
        for (qsizetype i = 0; i < n; ++i) {
            double sum = 0;
            for (const auto& s : data.series)
                sum += i < s.values.size() ? s.values[i] : 0;
            max = std::max(max, sum);
        }
        return max;
    }
    for (const auto& s : data.series) {
        for (double v : s.values)
            max = std::max(max, v);
    }
    return max;
}

QDateTimeAxis* timeAxis(const ChartData& data)
{
    auto* axis = new QDateTimeAxis;
    const qint64 span = data.times.isEmpty() ? 0 : data.times.back() - data.times.front();
    axis->setFormat(span < 2 * 86400000LL ? QStringLiteral("MM-dd hh:mm") : QStringLiteral("yyyy-MM-dd"));
    axis->setTitleText(QObject::tr("UTC"));
    axis->setTickCount(std::clamp(int(data.times.size()), 2, 7));
    if (!data.times.isEmpty()) {
        qint64 last = data.times.back();
        if (last == data.times.front())
            last += 3600000; // a single point still needs a range
        axis->setRange(QDateTime::fromMSecsSinceEpoch(qint64(axisTime(data.times.front()))),
            QDateTime::fromMSecsSinceEpoch(qint64(axisTime(last))));
    }
    return axis;
}

} // namespace

ReadModelChart::ReadModelChart(QWidget* parent)
    : QWidget(parent)
    , m_stack(new QStackedLayout(this))
    , m_view(new QChartView)
    , m_note(new QLabel)
{
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->chart()->setAnimationOptions(QChart::NoAnimation);
    m_view->chart()->legend()->setAlignment(Qt::AlignRight);
    m_view->setMinimumSize(160, 100);
    m_note->setAlignment(Qt::AlignCenter);
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_note);
    clear();
}

ReadModelChart::~ReadModelChart() = default;

void ReadModelChart::setReadModel(const nlohmann::json& value, const QString& title)
{
    const ChartKind kind = m_forced.value_or(chooseChart(value));
    if (kind == ChartKind::None) {
        clear(tr("No chart for this read model: a chart is drawn for an object of numbers (bars, or a "
                 "line when the keys are times), an array of numbers, or an object of objects with "
                 "numeric fields (grouped bars, or stacked areas over time) of at most %1 members. "
                 "See the table.")
                  .arg(MaxGroupedBarRows));
        return;
    }
    setData(chartData(value, kind, m_limits), title);
}

void ReadModelChart::setData(ChartData data, const QString& title)
{
    if (data.kind == ChartKind::None || data.isEmpty()) {
        clear(tr("Nothing to chart yet."));
        return;
    }
    if (sameData(data, m_data) && title == m_title && m_stack->currentWidget() == m_view)
        return; // nothing changed: no redraw
    m_data = std::move(data);
    m_title = title;
    draw();
    m_stack->setCurrentWidget(m_view);
}

void ReadModelChart::clear(const QString& note)
{
    m_data = {};
    m_title.clear();
    m_view->chart()->removeAllSeries();
    for (QAbstractAxis* axis : m_view->chart()->axes()) {
        m_view->chart()->removeAxis(axis);
        delete axis;
    }
    m_note->setText(note.isEmpty() ? tr("No read model.") : note);
    m_stack->setCurrentWidget(m_note);
}

int ReadModelChart::seriesCount() const
{
    return int(m_view->chart()->series().size());
}

int ReadModelChart::horizontalBarsThatFit() const
{
    // The plot takes the view's height less the title, the value axis and the margins.
    const int plot = m_view->height() - 3 * fontMetrics().height() - 40;
    return std::max(3, plot / (fontMetrics().height() + 1));
}

void ReadModelChart::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (m_data.kind == ChartKind::Bars && wantsHorizontalBars(m_data)
        && horizontalBarsThatFit() != m_horizontalFit)
        draw(); // as many bars as fit now
}

void ReadModelChart::drawHorizontalBars()
{
    // As many bars as have room for their names (Qt Charts hides a name taller than its bar);
    // the smallest of the rest are summed as "other".
    m_horizontalFit = horizontalBarsThatFit();
    std::vector<std::pair<QString, double>> bars;
    const auto& values = m_data.series.front().values;
    for (qsizetype i = 0; i < m_data.categories.size(); ++i)
        bars.emplace_back(m_data.categories[i], i < values.size() ? values[i] : 0.0);
    double rest = 0; // what the data's own "other" bar sums
    int restCount = m_data.otherCount;
    if (restCount > 0 && !bars.empty()) {
        rest = bars.back().second;
        bars.pop_back();
    }
    const std::size_t room = std::size_t(m_horizontalFit) - (restCount > 0 ? 1 : 0);
    if (bars.size() > room) {
        std::stable_sort(
            bars.begin(), bars.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        const std::size_t kept = std::size_t(m_horizontalFit - 1);
        for (std::size_t i = kept; i < bars.size(); ++i)
            rest += bars[i].second;
        restCount += int(bars.size() - kept);
        bars.resize(kept);
    }
    if (restCount > 0)
        bars.emplace_back(tr("other (%1)").arg(restCount), rest);
    // Largest first from the top: a horizontal series draws its first category at the bottom.
    QChart* chart = m_view->chart();
    auto* series = new QHorizontalBarSeries;
    auto* set = new QBarSet(m_data.series.front().name);
    QStringList categories;
    for (auto it = bars.rbegin(); it != bars.rend(); ++it) {
        categories << it->first;
        *set << it->second;
    }
    series->append(set);
    series->setBarWidth(0.7);
    chart->addSeries(series);
    auto* y = new QBarCategoryAxis;
    y->append(categories);
    QFont small = y->labelsFont();
    small.setPointSizeF(small.pointSizeF() * 0.85); // names stay readable when bars are thin
    y->setLabelsFont(small);
    y->setTruncateLabels(false); // a category axis lying down truncates every name otherwise
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    auto* x = valueAxis(maxOf(m_data, false));
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
}

void ReadModelChart::draw()
{
    QChart* chart = m_view->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    chart->setTitle(m_title);
    chart->legend()->setVisible(m_data.series.size() > 1 || m_data.kind == ChartKind::Pie);

    switch (m_data.kind) {
    case ChartKind::Bars:
        if (wantsHorizontalBars(m_data)) {
            drawHorizontalBars();
            break;
        }
        [[fallthrough]];
    case ChartKind::GroupedBars: {
        auto* series = new QBarSeries;
        for (const auto& s : m_data.series) {
            auto* set = new QBarSet(s.name);
            for (double v : s.values)
                *set << v;
            series->append(set);
        }
        chart->addSeries(series);
        auto* x = new QBarCategoryAxis;
        x->append(m_data.categories);
        x->setLabelsAngle(m_data.categories.size() > 8 ? -60 : 0);
        x->setTruncateLabels(m_data.categories.size() > 12); // few labels have room; Qt cuts them early
        chart->addAxis(x, Qt::AlignBottom);
        series->attachAxis(x);
        auto* y = valueAxis(maxOf(m_data, false));
        chart->addAxis(y, Qt::AlignLeft);
        series->attachAxis(y);
        break;
    }
    case ChartKind::TimeLine: {
        auto* series = new QLineSeries;
        series->setName(m_data.series.front().name);
        const auto& values = m_data.series.front().values;
        for (qsizetype i = 0; i < m_data.times.size() && i < values.size(); ++i)
            series->append(axisTime(m_data.times[i]), values[i]);
        series->setPointsVisible(m_data.times.size() < 60);
        chart->addSeries(series);
        auto* x = timeAxis(m_data);
        chart->addAxis(x, Qt::AlignBottom);
        series->attachAxis(x);
        auto* y = valueAxis(maxOf(m_data, false));
        chart->addAxis(y, Qt::AlignLeft);
        series->attachAxis(y);
        break;
    }
    case ChartKind::StackedTime: {
        auto* x = timeAxis(m_data);
        auto* y = valueAxis(maxOf(m_data, true));
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        QList<double> base(m_data.times.size(), 0.0);
        QLineSeries* lower = nullptr;
        for (const auto& s : m_data.series) {
            auto* upper = new QLineSeries;
            for (qsizetype i = 0; i < m_data.times.size(); ++i) {
                base[i] += i < s.values.size() ? s.values[i] : 0;
                upper->append(axisTime(m_data.times[i]), base[i]);
            }
            QLineSeries* lowerCopy = nullptr;
            if (lower) {
                lowerCopy = new QLineSeries;
                lowerCopy->append(lower->points());
            }
            auto* area = new QAreaSeries(upper, lowerCopy);
            upper->setParent(area); // an area series does not own its lines
            if (lowerCopy)
                lowerCopy->setParent(area);
            area->setName(s.name);
            QPen pen = area->pen();
            pen.setWidthF(0.5);
            area->setPen(pen);
            chart->addSeries(area);
            area->attachAxis(x);
            area->attachAxis(y);
            lower = upper;
        }
        break;
    }
    case ChartKind::Pie: {
        auto* series = new QPieSeries;
        const auto& values = m_data.series.front().values;
        for (qsizetype i = 0; i < m_data.categories.size() && i < values.size(); ++i)
            series->append(
                QStringLiteral("%1 (%2)").arg(m_data.categories[i]).arg(values[i], 0, 'f', 0), values[i]);
        series->setPieSize(0.8);
        chart->addSeries(series);
        break;
    }
    case ChartKind::None:
        break;
    }
}

} // namespace chronoscope
