#pragma once

#include "timetravel/timetravelsession.h"

#include <QAbstractTableModel>

namespace chronoscope {

/// A JSON Patch as a table: operation, path, old value, new value (values as compact JSON).
class PatchTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { OpColumn, PathColumn, OldColumn, NewColumn, ColumnCount };

    explicit PatchTableModel(QObject* parent = nullptr);

    void setRows(std::vector<PatchRow> rows);
    void clear() { setRows({}); }
    const std::vector<PatchRow>& rows() const { return m_rows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<PatchRow> m_rows;
};

/// Cell text of an optional JSON value: compact JSON, or an em dash when there is none.
QString optionalJsonText(const std::optional<nlohmann::json>& value);

} // namespace chronoscope
