#pragma once

#include <QAbstractTableModel>

#include <nlohmann/json.hpp>

#include <vector>

namespace chronoscope {

/// The two read models of Stream vs Batch side by side: a row per figure (events, orders placed,
/// revenue...) then one per event type, and the stream's and the batch's value in two columns.
/// A batch value that differs from the stream's (not included yet) is highlighted.
class StreamBatchModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { MeasureColumn, StreamColumn, BatchColumn, ColumnCount };
    /// The raw value (qint64) of a value column; the row's key ("events", "type:OrderPaid") in
    /// the measure column.
    static constexpr int ValueRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    /// Shows these read models (ShopFigures::toJson() of each); rows are kept when the same.
    void setModels(const nlohmann::json& stream, const nlohmann::json& batch);
    /// Rows whose two values differ.
    int differingRows() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString key;
        QString label;
        bool money = false;
        qint64 stream = 0;
        qint64 batch = 0;
    };
    std::vector<Row> rowsOf(const nlohmann::json& stream, const nlohmann::json& batch) const;

    std::vector<Row> m_rows;
};

} // namespace chronoscope
