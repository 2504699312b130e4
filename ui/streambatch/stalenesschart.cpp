#include "streambatch/stalenesschart.h"

#include "base/style.h"

#include <QEvent>
#include <QGraphicsLayout>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <cmath>

namespace chronoscope {

StalenessChart::StalenessChart(QWidget* parent)
    : QWidget(parent)
    , m_view(new QChartView)
    , m_series(new QLineSeries)
    , m_x(new QValueAxis)
    , m_y(new QValueAxis)
{
    m_view->setObjectName(QStringLiteral("stalenessChart"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumSize(160, 100);
    QChart* chart = m_view->chart();
    chart->setAnimationOptions(QChart::NoAnimation);
    m_series->setName(tr("Batch staleness"));
    chart->addSeries(m_series);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    m_series->attachAxis(m_x);
    m_series->attachAxis(m_y);
    m_x->setLabelFormat(QStringLiteral("%.0f s"));
    m_x->setTickType(QValueAxis::TicksDynamic);
    m_x->setTickAnchor(0);
    m_y->setLabelFormat(QStringLiteral("%d"));
    styleChart();
    connect(chart, &QChart::plotAreaChanged, this, &StalenessChart::fitTicks);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    setToolTip(tr("Staleness of the batch read model: how many events it has not included yet, over the "
                  "simulated time of the run. It climbs between batch runs and drops to 0 at each."));
    clear();
}

StalenessChart::~StalenessChart() = default;

// As ReadModelChart does: the palette's colours (light or dark theme), small margins, a small
// legend; Qt Charts' theme resets fonts and colours, so everything after it is set again.
void StalenessChart::styleChart()
{
    QChart* chart = m_view->chart();
    chart->setTheme(style::isDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(palette().color(QPalette::Base));
    chart->setBackgroundPen(Qt::NoPen);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(2, 2, 14, 2)); // room for the last time label
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_view->setBackgroundBrush(palette().color(QPalette::Base));
    chart->legend()->hide();
    chart->setTitle(m_series->name());
    chart->setTitleBrush(palette().color(QPalette::Text));
    QFont title = font();
    title.setBold(true);
    title.setPointSizeF(title.pointSizeF() * 0.9);
    chart->setTitleFont(title);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_x->setLabelsFont(small);
    m_y->setLabelsFont(small);
    QPen pen = m_series->pen();
    pen.setColor(style::seriesColour(0));
    pen.setWidthF(2);
    m_series->setPen(pen);
}

// As many time labels as fit the plot's width ("30 s" needs about 45 pixels), at a round interval.
void StalenessChart::fitTicks()
{
    const double span = m_x->max() - m_x->min();
    const double width = m_view->chart()->plotArea().width();
    const double fit = std::max(1.0, std::floor(width / 45.0));
    for (const double interval : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0}) {
        if (span / interval <= fit || interval == 30.0) {
            m_x->setTickInterval(interval);
            return;
        }
    }
}

void StalenessChart::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        styleChart();
}

void StalenessChart::clear()
{
    m_series->clear();
    m_x->setRange(0, MinimumSeconds);
    fitTicks();
    m_y->setRange(0, 10);
    m_y->setTickCount(3);
}

void StalenessChart::setHistory(
    const std::vector<streambatch::StalenessPoint>& history, double now, qint64 current)
{
    // The last VisibleSeconds; at first a shorter stretch from 0 that grows with the run.
    const double to = std::max(now, MinimumSeconds);
    const double from = std::max(0.0, to - VisibleSeconds);
    QList<QPointF> points;
    qint64 high = current;
    for (size_t i = 0; i < history.size(); ++i) {
        const auto& p = history[i];
        // From the last point before the window on, so the line enters it from the left edge.
        if (p.seconds < from && i + 1 < history.size() && history[i + 1].seconds < from)
            continue;
        points.append(QPointF(std::max(p.seconds, from), static_cast<double>(p.events)));
        high = std::max(high, p.events);
    }
    if (points.isEmpty() || points.back().x() < now)
        points.append(QPointF(now, static_cast<double>(current)));
    m_series->replace(points);
    m_x->setRange(from, to);
    fitTicks();
    // A round top a little above the highest point, so the peaks do not touch the frame.
    const double top = std::max(10.0, std::ceil(static_cast<double>(high) * 1.15 / 5.0) * 5.0);
    m_y->setRange(0, top);
    m_y->setTickCount(3);
}

int StalenessChart::pointCount() const
{
    return static_cast<int>(m_series->count());
}

} // namespace chronoscope
