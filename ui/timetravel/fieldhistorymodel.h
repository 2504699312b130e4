#pragma once

#include "timetravel/timetravel.h"

#include <QAbstractTableModel>

namespace chronoscope {

/// Every change of one field: version, position, event type, timestamp, old and new value.
class FieldHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        VersionColumn,
        PositionColumn,
        TypeColumn,
        TimestampColumn,
        OldColumn,
        NewColumn,
        ColumnCount
    };
    enum Role { VersionRole = Qt::UserRole + 1 }; ///< qint64, the version of the row

    explicit FieldHistoryModel(QObject* parent = nullptr);

    void setChanges(QString pointer, std::vector<FieldChange> changes);
    void clear() { setChanges({}, {}); }
    const QString& pointer() const { return m_pointer; }
    const std::vector<FieldChange>& changes() const { return m_changes; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString m_pointer;
    std::vector<FieldChange> m_changes;
};

} // namespace chronoscope
