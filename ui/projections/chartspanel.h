#pragma once

#include "store/eventfilter.h"

#include <QWidget>

class QLabel;
class QTimer;

namespace chronoscope {

class ProjectionSet;
class ReadModelChart;
struct ChartPick;

/// Charts over the whole store, drawn from projections (computed off the GUI thread by their
/// runners): events over time stacked by type, the distribution of event types, and a
/// histogram of stream lengths. They follow the global position slider (as of a position) or,
/// in live mode, the events appended. Clicking a type's area in a time bucket, or a type's bar,
/// asks for those events (eventsPicked()); clicking a bar of stream lengths, for those streams.
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
    /// A click on the charts asks for these events; `what` says which, e.g. "OrderPlaced on 2026-01-12".
    void eventsPicked(const chronoscope::EventFilter& filter, const QString& what);
    /// A click on the stream lengths asks for the streams with `min`..`max` events.
    void streamLengthsPicked(qint64 min, qint64 max);

private:
    void refresh();
    void timelinePicked(const ChartPick& pick);
    void typePicked(const ChartPick& pick);
    void lengthPicked(const ChartPick& pick);

    ProjectionSet* m_set;
    ReadModelChart* m_timeline;
    ReadModelChart* m_types;
    ReadModelChart* m_lengths;
    QLabel* m_status;
    QTimer* m_refreshTimer;
};

} // namespace chronoscope
