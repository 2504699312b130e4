#pragma once

#include "projections/chartdata.h"

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

    ChartKind kind() const { return m_data.kind; }
    const ChartData& data() const { return m_data; }
    QString title() const { return m_title; }
    /// Number of series drawn (bar sets, lines, areas, pie slices' series).
    int seriesCount() const;
    QChartView* view() const { return m_view; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void draw();
    void drawHorizontalBars();
    int horizontalBarsThatFit() const;

    std::optional<ChartKind> m_forced;
    ChartLimits m_limits;
    ChartData m_data;
    QString m_title;
    int m_horizontalFit = 0; // bars drawn lying down when last drawn
    QStackedLayout* m_stack;
    QChartView* m_view;
    QLabel* m_note;
};

} // namespace chronoscope
