#pragma once

#include <QAbstractTableModel>
#include <QSet>

namespace chronoscope {

namespace topics {
class ConsumerGroup;
}

/// The partitions of a consumer group's topic, one row each: partition, streams, member,
/// committed offset, end offset (the events in it so far) and lag. Display values of number
/// columns are qint64; rows of partitions that moved in the last rebalance are highlighted.
/// Reads a group it does not own: call reload() when its partition count changed, refresh()
/// when only values did.
class PartitionModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        PartitionColumn,
        StreamsColumn,
        MemberColumn,
        CommittedColumn,
        EndColumn,
        LagColumn,
        ColumnCount
    };
    /// True on a row highlighted as moved.
    static constexpr int MovedRole = Qt::UserRole + 1;

    explicit PartitionModel(QObject* parent = nullptr);

    /// The group shown (null: none); reloads.
    void setGroup(const topics::ConsumerGroup* group);
    void reload();
    void refresh();
    /// Highlights these partitions (the ones a rebalance moved); empty: none.
    void setMoved(const QSet<int>& partitions);
    const QSet<int>& moved() const { return m_moved; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const topics::ConsumerGroup* m_group = nullptr;
    int m_rows = 0;
    QSet<int> m_moved;
};

} // namespace chronoscope
