#pragma once

#include <QWidget>

class QLabel;
class QTimer;

namespace chronoscope {

class ProjectionSet;
class ReadModelChart;

/// Charts over the whole store, drawn from projections (computed off the GUI thread by their
/// runners): events over time stacked by type, the distribution of event types, and a
/// histogram of stream lengths. They follow the global position slider (as of a position) or,
/// in live mode, the events appended.
class ChartsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ChartsPanel(ProjectionSet* set, QWidget* parent = nullptr);

    ReadModelChart* timelineChart() const { return m_timeline; }
    ReadModelChart* typesChart() const { return m_types; }
    ReadModelChart* lengthsChart() const { return m_lengths; }
    QString statusText() const;

Q_SIGNALS:
    /// The charts were redrawn from the projections' current views.
    void chartsUpdated();

private:
    void refresh();

    ProjectionSet* m_set;
    ReadModelChart* m_timeline;
    ReadModelChart* m_types;
    ReadModelChart* m_lengths;
    QLabel* m_status;
    QTimer* m_refreshTimer;
};

} // namespace chronoscope
