#pragma once

#include "streambatch/streambatch.h"

#include <QWidget>

#include <vector>

class QChartView;
class QLineSeries;
class QValueAxis;

namespace chronoscope {

/// The batch model's staleness (events not yet included) over the simulated time of a Stream vs
/// Batch run, as a line: a sawtooth that climbs between batch runs and drops to 0 at each. Shows
/// the last VisibleSeconds, in the colours of the palette in use.
class StalenessChart : public QWidget {
    Q_OBJECT
public:
    /// The stretch of time shown, ending at the latest time.
    static constexpr double VisibleSeconds = 30;
    /// The shortest stretch shown (from 0, while the run is younger).
    static constexpr double MinimumSeconds = 10;

    explicit StalenessChart(QWidget* parent = nullptr);
    ~StalenessChart() override;

    /// Draws `history` up to `now`, where the staleness is `current`.
    void setHistory(const std::vector<streambatch::StalenessPoint>& history, double now, qint64 current);
    void clear();
    /// The points of the line drawn.
    int pointCount() const;
    QChartView* view() const { return m_view; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void styleChart();
    void fitTicks();

    QChartView* m_view;
    QLineSeries* m_series;
    QValueAxis* m_x;
    QValueAxis* m_y;
};

} // namespace chronoscope
