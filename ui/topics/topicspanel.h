#pragma once

#include "topics/consumergroup.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;
class QTableWidget;
class QTimer;

namespace chronoscope {

class PartitionModel;

/// The Topics dock's contents: the store's log as a Kafka-style topic of N partitions and the
/// consumer group "shop-consumers" reading it, simulated. The panel owns the group and what the
/// person does to it (partitions, start point, members, pause); TopicsFeature feeds it the
/// store's counts and appended events. Every tick each running member reads up to ConsumeRate
/// events of its partitions; a paused one reads nothing, so its lag grows.
class TopicsPanel : public QWidget {
    Q_OBJECT
public:
    /// Events a running member reads per tick.
    static constexpr qint64 ConsumeRate = 500;
    /// The most partitions and members the panel offers.
    static constexpr int MaxPartitions = 64;
    static constexpr int MaxMembers = 32;

    explicit TopicsPanel(QWidget* parent = nullptr);
    ~TopicsPanel() override;

    const topics::ConsumerGroup& group() const { return m_group; }
    /// The group to feed (TopicsFeature); call groupChanged() after.
    topics::ConsumerGroup& group() { return m_group; }
    /// Shows the group again: laid out anew (`relaid`: partitions or members) or new values only.
    void groupChanged(bool relaid);
    /// Says what went wrong in the message line.
    void showError(const QString& message);
    /// The partition count asked for (the spin box).
    int partitionCount() const;
    PartitionModel* partitionModel() const { return m_model; }

    /// The partition count (the spin box), 1..MaxPartitions: asks for a count (recountRequested).
    void setPartitionCount(int partitions);
    /// Where the group starts (the "Start from" choice): every committed offset moves there.
    void setStartFrom(topics::StartFrom from);
    topics::StartFrom startFrom() const;
    /// A fresh group of `members` members (consumer-1 ...), none paused, no rebalance yet, on a
    /// topic of `partitions` partitions (recountRequested).
    void resetGroup(int members, int partitions);
    /// Adds consumer-N / removes the selected member (else the last one): a rebalance.
    void addMember();
    void removeMember();
    /// Pauses or resumes a member (its row's button does the same). False: no such member.
    bool setPaused(const QString& member, bool paused);
    /// Shows the partition of this stream under the ordering note.
    void showStream(const StreamId& stream);
    /// The line saying what the last rebalance moved (in full: the label may elide it).
    QString message() const;

protected:
    void resizeEvent(QResizeEvent* event) override;

Q_SIGNALS:
    /// The group changed (offsets, members, layout): lesson facts may differ.
    void changed();
    /// The topic must be counted again (partition count changed, a fresh group).
    void recountRequested();

private:
    void tick();
    void rebalanced(const std::vector<topics::MovedPartition>& moved, const QString& what);
    void rebuildMembers();
    void updateMembers();
    void updateLookup();
    void updateButtons();
    void setMessage(const QString& text, bool error = false);
    void elideMessage();

    topics::ConsumerGroup m_group;
    QSpinBox* m_partitions;
    QComboBox* m_from;
    QPushButton* m_resetOffsets;
    QPushButton* m_add;
    QPushButton* m_remove;
    QLabel* m_message;
    QString m_messageText;
    QTableView* m_table;
    PartitionModel* m_model;
    QTableWidget* m_members;
    QLabel* m_note;
    QLineEdit* m_stream;
    QLabel* m_streamPartition;
    QTimer* m_tick;
    QTimer* m_unhighlight;
};

} // namespace chronoscope
