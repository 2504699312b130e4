#pragma once

#include "projections/chartaxes.h"
#include "projections/chartdata.h"
#include "projections/chartpick.h"

#include <QWidget>

#include <optional>

class QChartView;
class QLabel;
class QStackedLayout;

namespace chronoscope {

/// A Qt Charts view of a read model. The chart kind is chosen from the read model's shape
/// (chooseChart()) unless one is forced; a read model no chart suits shows a short note
/// instead. Redrawn only when the numbers change, without animation, so it can follow a
/// projection live.
///
/// Made to be read at any size: axis labels are never elided (time ticks as many as fit,
/// category labels slanted, standing or thinned), a time chart draws the bulk of its times
/// (a far outlier is left out, with a note and a link to show every time) and drops to zero
/// over empty buckets, hovering shows the exact values, and a click on a bar, slice or time
/// tells picked().
class ReadModelChart : public QWidget {
    Q_OBJECT
public:
    explicit ReadModelChart(QWidget* parent = nullptr);
    ~ReadModelChart() override;

    /// Draws a read model with the kind chosen from its shape (or the forced one).
    void setReadModel(const nlohmann::json& value, const QString& title = {});
    /// Draws prepared data (e.g. histogramData()).
    void setData(ChartData data, const QString& title = {});
    void clear(const QString& note = {});

    /// Uses this kind whatever the shape (nullopt: choose from the shape).
    void setForcedKind(std::optional<ChartKind> kind) { m_forced = kind; }
    void setLimits(const ChartLimits& limits) { m_limits = limits; }
    /// Time charts: the length of their buckets (0: unknown), for gaps, hover text and picks.
    void setTimeBucket(qint64 bucketMs) { m_bucketMs = bucketMs; }
    /// Said under the values of the hover text, e.g. "Click to show these events" (empty: none).
    void setClickHint(const QString& hint) { m_clickHint = hint; }
    /// Bars stay standing in the data's order, never laid down and folded by value (a histogram).
    void setKeepOrder(bool keep) { m_keepOrder = keep; }
    /// Time charts: every time drawn (true) or the bulk only (false, the default).
    void setShowAllTimes(bool all);
    bool showsAllTimes() const { return m_showAllTimes; }

    ChartKind kind() const { return m_data.kind; }
    const ChartData& data() const { return m_data; }
    QString title() const { return m_title; }
    /// Number of series drawn (bar sets, lines, areas, pie slices' series).
    int seriesCount() const;
    QChartView* view() const { return m_view; }
    /// Time charts: the times drawn now.
    const TimeWindow& timeWindow() const { return m_window; }
    /// The note under a time chart that leaves out far times (empty when none is left out).
    QString outlierNote() const;
    /// The category labels as drawn (thinned ones blank) and their angle; bars only.
    QStringList drawnCategories() const { return m_drawnCategories; }
    int categoryLabelAngle() const { return m_labels.angle; }
    int timeTickCount() const;
    /// The last hover text shown (rich text), e.g. for tests; empty after the mouse left.
    QString hoverText() const { return m_hoverText; }

Q_SIGNALS:
    /// A bar, slice or point of a time chart was clicked.
    void picked(const chronoscope::ChartPick& pick);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void styleChart();
    void colourSeries();
    void draw();
    void drawBars();
    void drawHorizontalBars();
    void drawTimes();
    void drawPie();
    void fitLabels();
    void fitLegend();
    bool lyingDown() const;
    int horizontalBarsThatFit() const;
    void hover(const std::optional<ChartPick>& pick);
    std::optional<ChartPick> timePickAt(qreal axisX, qsizetype series) const;

    std::optional<ChartKind> m_forced;
    ChartLimits m_limits;
    ChartData m_data;
    QString m_title;
    qint64 m_bucketMs = 0;
    QString m_clickHint;
    bool m_styledDark = false; // the chart's colours are the dark theme's
    bool m_showAllTimes = false;
    bool m_keepOrder = false;
    TimeWindow m_window;
    ChartData m_drawn; // bars: what is drawn, in the axis' order (horizontal bars fold more)
    QStringList m_drawnCategories;
    CategoryLabels m_labels;
    int m_horizontalFit = 0; // bars drawn lying down when last drawn
    bool m_redrawQueued = false;
    QString m_hoverText;
    QStackedLayout* m_stack;
    QWidget* m_chartPage;
    QChartView* m_view;
    QLabel* m_outliers;
    QLabel* m_note;
};

} // namespace chronoscope
