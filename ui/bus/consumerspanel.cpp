#include "bus/consumerspanel.h"

#include "bus/handlercountersmodel.h"

#include <QAction>
#include <QCheckBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QTableView>
#include <QVBoxLayout>

namespace chronoscope {

using sample::Consumer;

namespace {
QString switchText(Consumer consumer)
{
    switch (consumer) {
    case Consumer::ConfirmationEmail:
        return ConsumersPanel::tr("E-mail service down");
    case Consumer::InventoryReservation:
        return ConsumersPanel::tr("Inventory service down");
    case Consumer::PaymentGateway:
        return ConsumersPanel::tr("Payment gateway down");
    case Consumer::OrderSaga:
        return ConsumersPanel::tr("Order saga down");
    }
    return {};
}
} // namespace

ConsumersPanel::ConsumersPanel(QWidget* parent)
    : QWidget(parent)
    , m_decline(new QAction(tr("Payment gateway rejects payments"), this))
    , m_model(new HandlerCountersModel(this))
    , m_view(new QTableView)
    , m_note(new QLabel)
{
    // The switches as check boxes, two to a row: ticked reads as "down" at a glance, and none
    // hides behind a tool bar's overflow.
    auto* switches = new QGridLayout;
    switches->setContentsMargins(0, 0, 0, 0);
    switches->setHorizontalSpacing(12);
    switches->setVerticalSpacing(2);
    const auto addSwitch = [this, switches](QAction* action) {
        auto* box = new QCheckBox(action->text());
        box->setObjectName(action->objectName() + QStringLiteral("-box"));
        box->setToolTip(action->toolTip());
        connect(box, &QCheckBox::toggled, action, &QAction::setChecked);
        connect(action, &QAction::toggled, box, [box](bool on) {
            const QSignalBlocker quiet(box);
            box->setChecked(on);
        });
        connect(action, &QAction::changed, box, [box, action] { box->setEnabled(action->isEnabled()); });
        connect(action, &QAction::toggled, this, &ConsumersPanel::updateDown);
        const int n = switches->count();
        switches->addWidget(box, n / 2, n % 2);
        m_boxes.emplace_back(action, box);
    };
    for (const Consumer consumer : sample::allConsumers()) {
        auto* action = new QAction(switchText(consumer), this);
        action->setCheckable(true);
        action->setObjectName(QStringLiteral("outage-") + sample::consumerKey(consumer));
        action->setToolTip(tr("Every delivery to %1 fails with \u201c%2\u201d: it is retried, then "
                              "dead-lettered. Switch it off again and retry the dead letters.")
                               .arg(sample::consumerName(consumer), sample::outageMessage(consumer)));
        connect(action, &QAction::toggled, this, [this, consumer](bool on) {
            if (m_switches)
                m_switches->setFailing(consumer, on);
        });
        m_outage.emplace(consumer, action);
        addSwitch(action);
    }
    m_decline->setCheckable(true);
    m_decline->setObjectName(QStringLiteral("decline-payments"));
    m_decline->setToolTip(tr("The payment gateway declines every payment (a business outcome, not a failed "
                             "delivery): the order saga releases the stock and cancels the order."));
    connect(m_decline, &QAction::toggled, this, [this](bool on) {
        if (m_switches)
            m_switches->setDecliningPayments(on);
    });
    addSwitch(m_decline);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(HandlerCountersModel::HandlerColumn, 170);
    m_note->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(4);
    layout->addLayout(switches);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_note);

    m_timer.setInterval(500);
    connect(&m_timer, &QTimer::timeout, this, &ConsumersPanel::refresh);
    setRuntime(nullptr, nullptr);
}

ConsumersPanel::~ConsumersPanel() = default;

QList<QAction*> ConsumersPanel::switchActions() const
{
    QList<QAction*> out;
    for (const Consumer consumer : sample::allConsumers())
        out << m_outage.at(consumer);
    out << m_decline;
    return out;
}

void ConsumersPanel::setRuntime(EventBus* bus, std::shared_ptr<sample::ReactionSwitches> switches)
{
    m_bus = bus;
    m_switches = std::move(switches);
    const bool enabled = bool(m_switches);
    for (auto& [consumer, action] : m_outage) {
        const QSignalBlocker block(action);
        action->setChecked(enabled && m_switches->isFailing(consumer));
        action->setEnabled(enabled);
    }
    {
        const QSignalBlocker block(m_decline);
        m_decline->setChecked(enabled && m_switches->isDecliningPayments());
        m_decline->setEnabled(enabled);
    }
    for (const auto& [action, box] : m_boxes) { // the blocked signals above did not reach them
        const QSignalBlocker quiet(box);
        box->setChecked(action->isChecked());
        box->setEnabled(action->isEnabled());
    }
    updateDown();
    m_note->setText(enabled ? tr("The sample shop's consumers react to events by issuing commands. Switch a "
                                 "service off, publish (Bus \u25b8 Publish\u2026) and watch the retries and "
                                 "dead letters.")
                            : tr("No consumers: open a store that can be written to."));
    if (m_bus)
        m_timer.start();
    else
        m_timer.stop();
    refresh();
}

void ConsumersPanel::updateDown()
{
    QStringList down;
    for (const auto& [consumer, action] : m_outage)
        if (action->isChecked())
            down << sample::consumerName(consumer);
    m_model->setDown(down);
}

void ConsumersPanel::refresh()
{
    m_model->setCounters(m_bus ? m_bus->handlerCounters() : std::vector<HandlerCounters> {});
}

} // namespace chronoscope
