#pragma once

#include "projections/projectionengine.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace chronoscope {

/// What the projection list shows of one projection.
struct ProjectionRow {
    QString name;
    QString description;
    QString source;      ///< ProjectionSource::describe()
    bool script = false; ///< a JavaScript projection the user added
    ProjectionStatus status = ProjectionStatus::Stopped;
    std::optional<ProjectionFault> fault;
    Position checkpoint;
    Position lastPosition; ///< of the store when the status was taken
    bool busy = false;     ///< a rebuild or catch-up is under way
    qint64 done = 0;       ///< progress of that work, in positions
    qint64 total = 0;

    /// Events the projection has not processed yet: last store position − checkpoint.
    qint64 lag() const { return std::max<qint64>(0, lastPosition.value - checkpoint.value); }
    /// The fault as one line: "REASON at position P (...)", or just the reason when it is not
    /// tied to an event (a script that cannot load). Empty when not faulted.
    QString faultText() const;
};

/// The projections of a store, one row each: name, status, checkpoint, lag. Raw values; the
/// status is shown by ProjectionStatusDelegate.
class ProjectionListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, StatusColumn, CheckpointColumn, LagColumn, ColumnCount };
    enum Role {
        StatusRole = Qt::UserRole + 1, ///< int(ProjectionStatus)
        FaultRole,                     ///< faultText()
        BusyRole,                      ///< bool
        ProgressRole,                  ///< double in [0, 1] while busy, else -1
        ScriptRole,                    ///< bool: a user's JavaScript projection
        NameRole,                      ///< the name, in every column
    };

    explicit ProjectionListModel(QObject* parent = nullptr);

    /// Appends a row; returns its index.
    int addRow(ProjectionRow row);
    void updateRow(int index, ProjectionRow row);
    void removeRowAt(int index);
    void clear();
    /// Row of a projection by name, -1 when absent.
    int indexOf(const QString& name) const;
    const ProjectionRow& row(int index) const { return m_rows[std::size_t(index)]; }
    int size() const { return int(m_rows.size()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ProjectionRow> m_rows;
};

} // namespace chronoscope
