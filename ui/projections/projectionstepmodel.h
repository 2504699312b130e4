#pragma once

#include "projections/projectionengine.h"

#include <QAbstractTableModel>

#include <vector>

namespace chronoscope {

/// The stepper's table: one row per event a projection processed in a range, with the time
/// it took, how many fields of the read model it changed, and its error if it failed.
class ProjectionStepModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        PositionColumn,
        StreamColumn,
        VersionColumn,
        TypeColumn,
        ElapsedColumn,
        ChangesColumn,
        ErrorColumn,
        ColumnCount
    };
    enum Role {
        ElapsedNsRole = Qt::UserRole + 1, ///< qint64
        ChangeCountRole,                  ///< number of JSON Patch operations from before to after
    };

    explicit ProjectionStepModel(QObject* parent = nullptr);

    void setSteps(std::vector<ProjectionStep> steps);
    void clear() { setSteps({}); }
    const ProjectionStep& step(int row) const { return m_steps[std::size_t(row)]; }
    int size() const { return int(m_steps.size()); }
    /// Row of the step at a position, -1 when none.
    int rowOfPosition(Position position) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ProjectionStep> m_steps;
    mutable std::vector<int> m_changes; // JSON Patch operations per step, -1 until counted
};

} // namespace chronoscope
