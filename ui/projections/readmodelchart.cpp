#include "projections/readmodelchart.h"

#include "base/style.h"

#include <QCursor>
#include <QDateTime>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QLabel>
#include <QLocale>
#include <QStackedLayout>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QPieSeries>
#include <QtCharts/QValueAxis>

namespace chronoscope {

namespace {

bool sameData(const ChartData& a, const ChartData& b)
{
    if (a.kind != b.kind || a.otherCount != b.otherCount || a.categories != b.categories || a.times != b.times
        || a.otherNames != b.otherNames || a.series.size() != b.series.size())
        return false;
    for (qsizetype i = 0; i < a.series.size(); ++i) {
        if (a.series[i].name != b.series[i].name || a.series[i].values != b.series[i].values)
            return false;
    }
    return true;
}

bool isTimeKind(ChartKind kind)
{
    return kind == ChartKind::TimeLine || kind == ChartKind::StackedTime;
}

// Many bars with long names read better lying down, names on the left.
bool wantsHorizontalBars(const ChartData& data)
{
    if (data.series.size() != 1 || data.categories.size() <= 6)
        return false;
    return std::any_of(
        data.categories.begin(), data.categories.end(), [](const QString& c) { return c.size() > 5; });
}

double maxOf(const ChartData& data, bool stacked, qsizetype first = 0, qsizetype last = -1)
{
    double max = 0;
    const qsizetype n = std::max(data.times.size(), data.categories.size());
    if (last < 0 || last >= n)
        last = n - 1;
    for (qsizetype i = std::max<qsizetype>(0, first); i <= last; ++i) {
        double sum = 0;
        for (const auto& s : data.series) {
            const double v = i < s.values.size() ? s.values[i] : 0;
            sum = stacked ? sum + v : std::max(sum, v);
        }
        max = std::max(max, sum);
    }
    return max;
}

} // namespace

ReadModelChart::ReadModelChart(QWidget* parent)
    : QWidget(parent)
    , m_stack(new QStackedLayout(this))
    , m_chartPage(new QWidget)
    , m_view(new QChartView)
    , m_outliers(new QLabel)
    , m_note(new QLabel)
{
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->chart()->setAnimationOptions(QChart::NoAnimation);
    m_view->chart()->legend()->setAlignment(Qt::AlignRight);
    m_view->setMinimumSize(160, 100);
    m_view->setMouseTracking(true);
    styleChart();
    connect(m_view->chart(), &QChart::plotAreaChanged, this, &ReadModelChart::fitLabels);
    m_outliers->setTextFormat(Qt::RichText);
    m_outliers->setWordWrap(true);
    m_outliers->setObjectName(QStringLiteral("chartOutliers"));
    m_outliers->hide();
    connect(m_outliers, &QLabel::linkActivated, this, [this] { setShowAllTimes(!m_showAllTimes); });
    auto* page = new QVBoxLayout(m_chartPage);
    page->setContentsMargins(0, 0, 0, 0);
    page->setSpacing(2);
    page->addWidget(m_view, 1);
    page->addWidget(m_outliers);
    m_note->setAlignment(Qt::AlignCenter);
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_chartPage);
    m_stack->addWidget(m_note);
    clear();
}

ReadModelChart::~ReadModelChart() = default;

// The chart in the colours of the palette in use (light or dark theme), with room for the plot:
// small margins, no rounded frame, a smaller title and legend. Qt Charts' theme resets fonts and
// colours, so everything after it is set again.
void ReadModelChart::styleChart()
{
    QChart* chart = m_view->chart();
    m_styledDark = style::isDark();
    chart->setTheme(m_styledDark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(palette().color(QPalette::Base));
    chart->setBackgroundPen(Qt::NoPen);
    chart->setTitleBrush(palette().color(QPalette::Text));
    chart->legend()->setLabelColor(palette().color(QPalette::Text));
    m_view->setBackgroundBrush(palette().color(QPalette::Base));
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(0);
    QFont titleFont = font();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    chart->legend()->setFont(legendFont);
}

// Each series (bar set, line, area, slice) gets the palette's series colour of its index.
void ReadModelChart::colourSeries()
{
    int index = 0;
    const QColor text = palette().color(QPalette::Text);
    for (QAbstractSeries* series : m_view->chart()->series()) {
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(series)) {
            for (QBarSet* set : bars->barSets()) {
                const QColor c = style::seriesColour(index++);
                set->setColor(c);
                set->setBorderColor(c);
                set->setLabelColor(text);
            }
        } else if (auto* area = qobject_cast<QAreaSeries*>(series)) {
            const QColor c = style::seriesColour(index++);
            area->setColor(c);
            area->setBorderColor(m_styledDark ? c.lighter(130) : c.darker(130));
        } else if (auto* line = qobject_cast<QLineSeries*>(series)) {
            QPen pen = line->pen();
            pen.setColor(style::seriesColour(index++));
            pen.setWidthF(2);
            line->setPen(pen);
        } else if (auto* pie = qobject_cast<QPieSeries*>(series)) {
            for (QPieSlice* slice : pie->slices()) {
                slice->setColor(style::seriesColour(index++));
                slice->setBorderColor(palette().color(QPalette::Base));
                slice->setLabelColor(text);
            }
        }
    }
}

void ReadModelChart::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_styledDark != style::isDark()) {
        styleChart();
        if (m_data.kind != ChartKind::None)
            draw();
    } else if (event->type() == QEvent::PaletteChange) {
        styleChart(); // the same darkness, other colours (System after Light)
        colourSeries();
    }
}

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
    if (isTimeKind(data.kind))
        fillTimeGaps(data, m_bucketMs);
    if (sameData(data, m_data) && title == m_title && m_stack->currentWidget() == m_chartPage)
        return; // nothing changed: no redraw
    m_data = std::move(data);
    m_title = title;
    draw();
    m_stack->setCurrentWidget(m_chartPage);
}

void ReadModelChart::setShowAllTimes(bool all)
{
    if (all == m_showAllTimes)
        return;
    m_showAllTimes = all;
    if (isTimeKind(m_data.kind))
        draw();
}

void ReadModelChart::clear(const QString& note)
{
    m_data = {};
    m_drawn = {};
    m_drawnCategories.clear();
    m_window = {};
    m_title.clear();
    hover(std::nullopt);
    m_view->chart()->removeAllSeries();
    for (QAbstractAxis* axis : m_view->chart()->axes()) {
        m_view->chart()->removeAxis(axis);
        delete axis;
    }
    m_outliers->hide();
    m_note->setText(note.isEmpty() ? tr("No read model.") : note);
    m_stack->setCurrentWidget(m_note);
}

bool ReadModelChart::lyingDown() const
{
    return !m_keepOrder && wantsHorizontalBars(m_data);
}

int ReadModelChart::seriesCount() const
{
    return int(m_view->chart()->series().size());
}

int ReadModelChart::timeTickCount() const
{
    for (QAbstractAxis* axis : m_view->chart()->axes(Qt::Horizontal)) {
        if (auto* time = qobject_cast<QDateTimeAxis*>(axis))
            return time->tickCount();
    }
    return 0;
}

QString ReadModelChart::outlierNote() const
{
    return m_outliers->isHidden() ? QString() : m_outliers->text();
}

int ReadModelChart::horizontalBarsThatFit() const
{
    // A bar per line of its (smaller) name: Qt Charts hides a name taller than its bar. The
    // plot's height once laid out; before, the view's less the title, value axis and margins.
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const double line = QFontMetricsF(small).height() * 1.25;
    const double laidOut = m_view->chart()->plotArea().height();
    const double plot
        = laidOut > 0 && m_horizontalFit > 0 ? laidOut : m_view->height() - 3 * fontMetrics().height() - 30;
    return std::max(3, int(plot / line));
}

void ReadModelChart::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitLegend(); // the bars and labels follow the plot area (fitLabels)
}

void ReadModelChart::fitLabels()
{
    // Called when the plot area changes (drawn, resized): labels made to fit its width, bars
    // lying down as many as have room for their names, the legend as many entries as fit.
    fitLegend();
    if (m_data.kind == ChartKind::Bars && lyingDown() && m_horizontalFit > 0
        && horizontalBarsThatFit() != m_horizontalFit && !m_redrawQueued) {
        m_redrawQueued = true; // not from inside the chart's layout
        QTimer::singleShot(0, this, [this] {
            m_redrawQueued = false;
            if (m_data.kind == ChartKind::Bars && lyingDown())
                draw();
        });
    }
    const double width = m_view->chart()->plotArea().width();
    for (QAbstractAxis* axis : m_view->chart()->axes(Qt::Horizontal)) {
        if (auto* time = qobject_cast<QDateTimeAxis*>(axis)) {
            const int ticks = timeTicksThatFit(width, time->labelsFont(), time->format());
            if (ticks != time->tickCount())
                time->setTickCount(ticks);
        } else if (auto* categories = qobject_cast<QBarCategoryAxis*>(axis)) {
            const CategoryLabels fit = fitCategoryLabels(m_drawn.categories, categories->labelsFont(), width);
            if (fit == m_labels)
                continue;
            m_labels = fit;
            m_drawnCategories = thinnedLabels(m_drawn.categories, fit.step);
            categories->setCategories(m_drawnCategories);
            categories->setLabelsAngle(fit.angle);
        }
    }
}

void ReadModelChart::fitLegend()
{
    // The series are largest first: the entries past what the legend's height holds are hidden
    // (hovering the chart still names every series).
    QLegend* legend = m_view->chart()->legend();
    if (!legend->isVisible() || legend->alignment() != Qt::AlignRight)
        return;
    const double line = QFontMetricsF(legend->font()).height() + 4;
    const int room = std::max(1, int((m_view->height() - 2 * line) / line));
    const auto markers = legend->markers();
    for (qsizetype i = 0; i < markers.size(); ++i)
        markers[i]->setVisible(i < room);
}

void ReadModelChart::hover(const std::optional<ChartPick>& pick)
{
    if (!pick) {
        if (!m_hoverText.isEmpty())
            QToolTip::hideText(); // only a tooltip of this chart's
        m_hoverText.clear();
        return;
    }
    m_hoverText = chronoscope::hoverText(isTimeKind(m_data.kind) ? m_data : m_drawn, *pick, m_clickHint);
    QToolTip::showText(QCursor::pos(), m_hoverText, m_view);
}

std::optional<ChartPick> ReadModelChart::timePickAt(qreal axisX, qsizetype series) const
{
    const qsizetype i = nearestTime(m_data, utcOfAxisTime(axisX), m_window.firstIndex, m_window.lastIndex);
    if (i < 0)
        return std::nullopt;
    return timePick(m_data, series, i, m_bucketMs);
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
    QStringList restNames = m_data.otherNames;
    if (restCount > 0 && !bars.empty()) {
        rest = bars.back().second;
        bars.pop_back();
    }
    const std::size_t room = std::size_t(m_horizontalFit) - (restCount > 0 ? 1 : 0);
    if (bars.size() > room) {
        std::stable_sort(
            bars.begin(), bars.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        const std::size_t kept = std::size_t(m_horizontalFit - 1);
        for (std::size_t i = kept; i < bars.size(); ++i) {
            rest += bars[i].second;
            restNames << bars[i].first;
        }
        restCount += int(bars.size() - kept);
        bars.resize(kept);
    }
    // Largest first from the top: a horizontal series draws its first category at the bottom.
    m_drawn = {};
    m_drawn.kind = ChartKind::Bars;
    m_drawn.series << ChartSeries {m_data.series.front().name, {}};
    if (restCount > 0) {
        m_drawn.categories << tr("other (%1)").arg(restCount);
        m_drawn.series.front().values << rest;
        m_drawn.otherCount = restCount;
        m_drawn.otherNames = restNames;
    }
    for (auto it = bars.rbegin(); it != bars.rend(); ++it) {
        m_drawn.categories << it->first;
        m_drawn.series.front().values << it->second;
    }
    QChart* chart = m_view->chart();
    auto* series = new QHorizontalBarSeries;
    auto* set = new QBarSet(m_drawn.series.front().name);
    for (double v : m_drawn.series.front().values)
        *set << v;
    series->append(set);
    series->setBarWidth(0.7);
    chart->addSeries(series);
    auto* y = new QBarCategoryAxis;
    y->append(m_drawn.categories);
    m_drawnCategories = m_drawn.categories;
    QFont small = y->labelsFont();
    small.setPointSizeF(small.pointSizeF() * 0.85); // names stay readable when bars are thin
    y->setLabelsFont(small);
    y->setTruncateLabels(false); // a category axis lying down truncates every name otherwise
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    auto* x = makeValueAxis(maxOf(m_drawn, false));
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    const bool hasOther = restCount > 0;
    auto pickOf = [this, hasOther](int index) {
        ChartPick pick = categoryPick(m_drawn, 0, index);
        pick.members = hasOther && index == 0 ? m_drawn.otherNames : QStringList();
        return pick;
    };
    connect(set, &QBarSet::hovered, this,
        [this, pickOf](bool on, int index) { hover(on ? std::optional(pickOf(index)) : std::nullopt); });
    connect(set, &QBarSet::clicked, this, [this, pickOf](int index) { Q_EMIT picked(pickOf(index)); });
}

void ReadModelChart::drawBars()
{
    m_drawn = m_data;
    m_labels = {};
    m_drawnCategories = m_drawn.categories;
    QChart* chart = m_view->chart();
    auto* series = new QBarSeries;
    for (qsizetype s = 0; s < m_data.series.size(); ++s) {
        auto* set = new QBarSet(m_data.series[s].name);
        for (double v : m_data.series[s].values)
            *set << v;
        series->append(set);
        connect(set, &QBarSet::hovered, this, [this, s](bool on, int index) {
            hover(on ? std::optional(categoryPick(m_drawn, s, index)) : std::nullopt);
        });
        connect(set, &QBarSet::clicked, this,
            [this, s](int index) { Q_EMIT picked(categoryPick(m_drawn, s, index)); });
    }
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(m_drawnCategories);
    x->setTruncateLabels(false); // labels are turned or thinned to fit instead (fitLabels)
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    auto* y = makeValueAxis(maxOf(m_data, false));
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
}

void ReadModelChart::drawTimes()
{
    QChart* chart = m_view->chart();
    m_window = m_showAllTimes ? TimeWindow {} : bulkTimeWindow(m_data);
    if (m_showAllTimes && !m_data.times.isEmpty()) {
        m_window.lastIndex = m_data.times.size() - 1;
        m_window.from = m_data.times.front();
        m_window.to = m_data.times.back();
    }
    const qsizetype first = m_window.firstIndex, last = m_window.lastIndex;
    const bool stacked = m_data.kind == ChartKind::StackedTime;
    auto* x = makeTimeAxis(m_window.from, m_window.to, m_bucketMs);
    auto* y = makeValueAxis(maxOf(m_data, stacked, first, last));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    if (!stacked) {
        auto* series = new QLineSeries;
        series->setName(m_data.series.front().name);
        const auto& values = m_data.series.front().values;
        for (qsizetype i = first; i <= last && i < values.size(); ++i)
            series->append(axisTime(m_data.times[i]), values[i]);
        series->setPointsVisible(last - first < 60);
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
        connect(series, &QLineSeries::hovered, this,
            [this](const QPointF& p, bool on) { hover(on ? timePickAt(p.x(), 0) : std::nullopt); });
        connect(series, &QLineSeries::clicked, this, [this](const QPointF& p) {
            if (const auto pick = timePickAt(p.x(), 0))
                Q_EMIT picked(*pick);
        });
    } else {
        QList<double> base(m_data.times.size(), 0.0);
        QLineSeries* lower = nullptr;
        for (qsizetype s = 0; s < m_data.series.size(); ++s) {
            const auto& values = m_data.series[s].values;
            auto* upper = new QLineSeries;
            for (qsizetype i = first; i <= last; ++i) {
                base[i] += i < values.size() ? values[i] : 0;
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
            area->setName(m_data.series[s].name);
            QPen pen = area->pen();
            pen.setWidthF(0.5);
            area->setPen(pen);
            chart->addSeries(area);
            area->attachAxis(x);
            area->attachAxis(y);
            connect(area, &QAreaSeries::hovered, this,
                [this, s](const QPointF& p, bool on) { hover(on ? timePickAt(p.x(), s) : std::nullopt); });
            connect(area, &QAreaSeries::clicked, this, [this, s](const QPointF& p) {
                if (const auto pick = timePickAt(p.x(), s))
                    Q_EMIT picked(*pick);
            });
            lower = upper;
        }
    }
    if (m_window.trimmed()) {
        QStringList parts;
        const auto day = [](qint64 utcMs) { return chartTimeText(utcMs, 86400000); }; // "2026-01-12"
        if (m_window.before > 0)
            parts << tr("%1 before %2 (from %3)")
                         .arg(QLocale().toString(m_window.before, 'f', 0), day(m_window.from),
                             day(m_data.times.front()));
        if (m_window.after > 0)
            parts << tr("%1 after %2 (up to %3)")
                         .arg(QLocale().toString(m_window.after, 'f', 0), day(m_window.to),
                             day(m_data.times.back()));
        m_outliers->setText(tr("Not drawn, far from the rest: %1 \u00b7 <a href=\"all\">Show every time</a>")
                                .arg(parts.join(tr("; "))));
        m_outliers->show();
    } else if (m_showAllTimes && bulkTimeWindow(m_data).trimmed()) {
        m_outliers->setText(tr("Every time drawn. <a href=\"bulk\">Leave out the far ones</a>"));
        m_outliers->show();
    } else {
        m_outliers->hide();
    }
}

void ReadModelChart::drawPie()
{
    auto* series = new QPieSeries;
    const auto& values = m_data.series.front().values;
    for (qsizetype i = 0; i < m_data.categories.size() && i < values.size(); ++i) {
        auto* slice = series->append(
            QStringLiteral("%1 (%2)").arg(m_data.categories[i]).arg(values[i], 0, 'f', 0), values[i]);
        connect(slice, &QPieSlice::hovered, this,
            [this, i](bool on) { hover(on ? std::optional(categoryPick(m_data, 0, i)) : std::nullopt); });
        connect(slice, &QPieSlice::clicked, this, [this, i] { Q_EMIT picked(categoryPick(m_data, 0, i)); });
    }
    series->setPieSize(0.8);
    m_view->chart()->addSeries(series);
    m_drawn = m_data;
}

void ReadModelChart::draw()
{
    QChart* chart = m_view->chart();
    hover(std::nullopt);
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    m_window = {};
    m_labels = {};
    m_outliers->setVisible(false);
    chart->setTitle(m_title);
    chart->legend()->setVisible(m_data.series.size() > 1 || m_data.kind == ChartKind::Pie);

    switch (m_data.kind) {
    case ChartKind::Bars:
        if (lyingDown()) {
            drawHorizontalBars();
            break;
        }
        [[fallthrough]];
    case ChartKind::GroupedBars:
        drawBars();
        break;
    case ChartKind::TimeLine:
    case ChartKind::StackedTime:
        drawTimes();
        break;
    case ChartKind::Pie:
        drawPie();
        break;
    case ChartKind::None:
        break;
    }
    colourSeries();
    fitLabels();
}

} // namespace chronoscope
