#pragma once

#include "bus/subscription.h"

#include <QAbstractTableModel>

#include <vector>

namespace chronoscope {

/// One row per subscribed bus handler with its counters: delivered, failed attempts,
/// dead-lettered, duplicates skipped, mean latency. setCounters() updates rows in place when
/// the handlers are the same (no reset, so a selection survives a refresh).
class HandlerCountersModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        HandlerColumn,
        ModeColumn,
        DeliveredColumn,
        FailedColumn,
        DeadLetteredColumn,
        DuplicatesColumn,
        LatencyColumn,
        ColumnCount
    };

    explicit HandlerCountersModel(QObject* parent = nullptr);

    void setCounters(std::vector<HandlerCounters> counters);
    const std::vector<HandlerCounters>& counters() const { return m_rows; }
    /// The consumers switched off (handler names): their Delivery cell says "down" so a table
    /// row never reads as merely "queued" while every delivery to it fails.
    void setDown(const QStringList& handlers);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<HandlerCounters> m_rows;
    QStringList m_down;
};

} // namespace chronoscope
