#pragma once

#include "bus/bustrace.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTreeView;

namespace chronoscope {

class BusFlowModel;
class BusLogModel;

/// The bus monitor panel: a live log of every publish and delivery attempt (newest at the
/// bottom; it follows new rows unless the user has scrolled up), a flow tree of which handler
/// received which event with what result, a filter box over both, and the bus's counters
/// (published, delivered, failed, dead-lettered, duplicates, mean and p99 latency), refreshed
/// four times a second.
class BusMonitor : public QWidget {
    Q_OBJECT
public:
    explicit BusMonitor(QWidget* parent = nullptr);
    ~BusMonitor() override;

    /// Shows what `recorder` sees from now on (nullptr: nothing; the log is cleared either way).
    void setRecorder(BusTraceRecorder* recorder);
    BusTraceRecorder* recorder() const { return m_recorder; }

    BusLogModel* logModel() const { return m_log; }
    BusFlowModel* flowModel() const { return m_flow; }
    QSortFilterProxyModel* logProxy() const { return m_logProxy; }
    QSortFilterProxyModel* flowProxy() const { return m_flowProxy; }
    QTableView* logView() const { return m_logView; }
    QTreeView* flowView() const { return m_flowView; }
    QLineEdit* filterEdit() const { return m_filter; }
    /// The counters line as shown.
    QString countersText() const;
    /// Whether the log scrolls to new rows (the user has not scrolled up).
    bool isFollowing() const;

    /// Reads the bus's counters now (the timer does it every 250 ms).
    void refreshCounters();
    void clear();

Q_SIGNALS:
    /// "Show Story" on a row of the log: the story of the event at this position.
    void storyRequested(qint64 position);

private:
    void onEntries(const std::vector<BusTraceEntry>& entries);
    void setFilter(const QString& text);

    QPointer<BusTraceRecorder> m_recorder;
    QMetaObject::Connection m_connection;
    BusLogModel* m_log;
    BusFlowModel* m_flow;
    QSortFilterProxyModel* m_logProxy;
    QSortFilterProxyModel* m_flowProxy;
    QTableView* m_logView;
    QTreeView* m_flowView;
    QLineEdit* m_filter;
    QLabel* m_counters;
    QLabel* m_logTitle;
    QTimer m_countersTimer;
    int m_removedAbove = 0; // proxy rows removed at the top during one batch
};

} // namespace chronoscope
