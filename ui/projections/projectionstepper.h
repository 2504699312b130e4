#pragma once

#include "projections/projectionrunner.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

namespace chronoscope {

class JsonTreeModel;
class ProjectionSet;
class ProjectionStepModel;

/// Steps a projection event by event: from a position, the next N events it reads, each with
/// the read model before and after it, the time it took and its error. Computed by the
/// projection's runner off the GUI thread; an answer to an older request is dropped.
class ProjectionStepper : public QWidget {
    Q_OBJECT
public:
    explicit ProjectionStepper(ProjectionSet* set, QWidget* parent = nullptr);

    void setProjection(const QString& name);
    /// The first position to step from.
    void setFrom(Position from);
    /// Asks for the steps.
    void load();

    ProjectionStepModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    JsonTreeModel* beforeModel() const { return m_before; }
    JsonTreeModel* afterModel() const { return m_after; }
    QString statusText() const;

Q_SIGNALS:
    void stepsShown();

private:
    void onSteps(const QString& name, const ProjectionQueryResult& result);
    void showStep(int row);

    ProjectionSet* m_set;
    QString m_name;
    QString m_requestedName;
    Position m_requestedFrom;
    ProjectionStepModel* m_model;
    JsonTreeModel* m_before;
    JsonTreeModel* m_after;
    QSpinBox* m_from;
    QSpinBox* m_count;
    QPushButton* m_load;
    QTableView* m_view;
    QLabel* m_status;
    QLabel* m_stepInfo;
};

} // namespace chronoscope
