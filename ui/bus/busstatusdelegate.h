#pragma once

#include <QStyledItemDelegate>

namespace chronoscope {

/// Paints the bus monitor's rows: the status column in the colour of its outcome (green
/// delivered, amber retrying, red failed and dead-lettered, grey duplicate) and, in a log, a
/// publish row on a faint tint, so each event's start stands out. Reads the model's kind role
/// (BusLogModel::KindRole / BusFlowModel::KindRole, which have the same value).
class BusStatusDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    /// `tintPublished`: paint publish rows on a faint tint (a log; not a tree, whose event rows
    /// carry their handlers' status).
    BusStatusDelegate(int statusColumn, int kindRole, QObject* parent = nullptr, bool tintPublished = true);

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

private:
    int m_statusColumn;
    int m_kindRole;
    bool m_tint;
};

} // namespace chronoscope
