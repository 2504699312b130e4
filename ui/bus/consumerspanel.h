#pragma once

#include "sample/reactions.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <map>
#include <memory>
#include <utility>
#include <vector>

class QAction;
class QCheckBox;
class QLabel;
class QTableView;

namespace chronoscope {

class HandlerCountersModel;

/// The sample shop's consumers: a switch per consumer to make its service "down" (every
/// delivery fails, is retried, then dead-lettered), one to make the payment gateway decline
/// payments (a business outcome: the order saga compensates), and each bus handler's counters.
/// The switch actions are also meant for a menu (switchActions()).
class ConsumersPanel : public QWidget {
    Q_OBJECT
public:
    explicit ConsumersPanel(QWidget* parent = nullptr);
    ~ConsumersPanel() override;

    /// Shows this bus's handlers and flips these switches (nullptr, nullptr: disabled).
    void setRuntime(EventBus* bus, std::shared_ptr<sample::ReactionSwitches> switches);

    /// "E-mail service down", "Inventory service down", ...: checkable.
    QAction* outageAction(sample::Consumer consumer) const { return m_outage.at(consumer); }
    /// "Payment gateway rejects payments": checkable.
    QAction* declineAction() const { return m_decline; }
    QList<QAction*> switchActions() const;

    HandlerCountersModel* countersModel() const { return m_model; }
    QTableView* countersView() const { return m_view; }
    /// Reads the counters now (a timer does it twice a second).
    void refresh();

private:
    /// The model marks the switched-off consumers.
    void updateDown();
    std::vector<std::pair<QAction*, QCheckBox*>> m_boxes; // each switch and its check box
    QPointer<EventBus> m_bus;
    std::shared_ptr<sample::ReactionSwitches> m_switches;
    std::map<sample::Consumer, QAction*> m_outage;
    QAction* m_decline;
    HandlerCountersModel* m_model;
    QTableView* m_view;
    QLabel* m_note;
    QTimer m_timer;
};

} // namespace chronoscope
