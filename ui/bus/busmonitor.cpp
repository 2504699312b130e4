#include "bus/busmonitor.h"

#include "bus/busflowmodel.h"
#include "bus/buslogmodel.h"
#include "bus/busstatusdelegate.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

namespace chronoscope {

namespace {
QSortFilterProxyModel* makeFilter(QAbstractItemModel* source, int searchRole, QObject* parent)
{
    auto* proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(source);
    proxy->setFilterRole(searchRole);
    proxy->setFilterKeyColumn(0);
    proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy->setRecursiveFilteringEnabled(true); // a handler row that matches keeps its event
    return proxy;
}
} // namespace

BusMonitor::BusMonitor(QWidget* parent)
    : QWidget(parent)
    , m_log(new BusLogModel(this))
    , m_flow(new BusFlowModel(this))
    , m_logProxy(makeFilter(m_log, BusLogModel::SearchRole, this))
    , m_flowProxy(makeFilter(m_flow, BusFlowModel::SearchRole, this))
    , m_logView(new QTableView)
    , m_flowView(new QTreeView)
    , m_filter(new QLineEdit)
    , m_counters(new QLabel)
    , m_logTitle(new QLabel)
{
    static_assert(int(BusLogModel::KindRole) == int(BusFlowModel::KindRole));
    m_filter->setPlaceholderText(tr("Filter by handler, event type, stream, correlation id, error\u2026"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(180);
    m_filter->setMaximumWidth(340);
    connect(m_filter, &QLineEdit::textChanged, this, &BusMonitor::setFilter);
    auto* clearButton = new QPushButton(tr("Clear"));
    clearButton->setToolTip(tr("Clear the log and the flow (the bus's counters keep counting)"));
    connect(clearButton, &QPushButton::clicked, this, &BusMonitor::clear);
    m_counters->setTextFormat(Qt::RichText);
    m_counters->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_counters->setWordWrap(true); // never widens the dock
    m_counters->setMinimumWidth(200);

    // The log: fixed widths and row heights (never ResizeToContents over thousands of rows).
    m_logView->setModel(m_logProxy);
    m_logView->setItemDelegate(
        new BusStatusDelegate(BusLogModel::OutcomeColumn, BusLogModel::KindRole, m_logView));
    m_logView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_logView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_logView, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        const QModelIndex index = m_logView->indexAt(at);
        const qint64 position = index.isValid() ? index.data(BusLogModel::PositionRole).toLongLong() : 0;
        if (position <= 0)
            return;
        QMenu menu(this);
        QAction* story = menu.addAction(tr("Show Story of Position %1").arg(position), this,
            [this, position] { Q_EMIT storyRequested(position); });
        story->setObjectName(QStringLiteral("showStoryAction"));
        menu.exec(m_logView->viewport()->mapToGlobal(at));
    });
    m_logView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_logView->setWordWrap(false);
    m_logView->setShowGrid(false);
    m_logView->verticalHeader()->hide();
    m_logView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_logView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    auto* header = m_logView->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    const std::initializer_list<std::pair<int, int>> widths = {
        {BusLogModel::TimeColumn, 96},
        {BusLogModel::OutcomeColumn, 104},
        {BusLogModel::HandlerColumn, 132},
        {BusLogModel::TypeColumn, 124},
        {BusLogModel::StreamColumn, 128},
        {BusLogModel::AttemptColumn, 30},
        {BusLogModel::LatencyColumn, 60},
        {BusLogModel::CorrelationColumn, 68},
    };
    for (const auto& [column, width] : widths)
        header->resizeSection(column, width);

    m_flowView->setModel(m_flowProxy);
    m_flowView->setItemDelegate(
        new BusStatusDelegate(BusFlowModel::StatusColumn, BusFlowModel::KindRole, m_flowView, false));
    m_flowView->setUniformRowHeights(true);
    m_flowView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_flowView->setAlternatingRowColors(true);
    m_flowView->header()->setStretchLastSection(true);
    m_flowView->header()->resizeSection(BusFlowModel::ItemColumn, 240);
    m_flowView->header()->resizeSection(BusFlowModel::StatusColumn, 100);
    m_flowView->header()->resizeSection(BusFlowModel::AttemptsColumn, 58);
    m_flowView->header()->resizeSection(BusFlowModel::LatencyColumn, 64);
    // New events open to show their handlers.
    connect(m_flowProxy, &QAbstractItemModel::rowsInserted, this,
        [this](const QModelIndex& parent, int first, int last) {
            if (parent.isValid())
                m_flowView->expand(parent);
            else
                for (int row = first; row <= last; ++row)
                    m_flowView->expand(m_flowProxy->index(row, 0));
        });
    connect(m_logProxy, &QAbstractItemModel::rowsAboutToBeRemoved, this,
        [this](const QModelIndex&, int first, int last) {
            if (first == 0)
                m_removedAbove += last - first + 1;
        });

    auto* logPane = new QWidget;
    auto* logLayout = new QVBoxLayout(logPane);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->setSpacing(2);
    m_logTitle->setText(tr("Log (newest at the bottom)"));
    logLayout->addWidget(m_logTitle);
    logLayout->addWidget(m_logView);
    auto* flowPane = new QWidget;
    auto* flowLayout = new QVBoxLayout(flowPane);
    flowLayout->setContentsMargins(0, 0, 0, 0);
    flowLayout->setSpacing(2);
    flowLayout->addWidget(new QLabel(tr("Flow: who received what")));
    flowLayout->addWidget(m_flowView);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(logPane);
    splitter->addWidget(flowPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({880, 520});

    auto* top = new QHBoxLayout;
    top->addWidget(m_counters, 1);
    top->addWidget(m_filter);
    top->addWidget(clearButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);

    m_countersTimer.setInterval(250);
    connect(&m_countersTimer, &QTimer::timeout, this, &BusMonitor::refreshCounters);
    refreshCounters();
}

BusMonitor::~BusMonitor() = default;

void BusMonitor::setRecorder(BusTraceRecorder* recorder)
{
    disconnect(m_connection);
    m_recorder = recorder;
    clear();
    if (recorder) {
        m_connection = connect(recorder, &BusTraceRecorder::entriesArrived, this, &BusMonitor::onEntries);
        m_countersTimer.start();
    } else {
        m_countersTimer.stop();
    }
    refreshCounters();
}

bool BusMonitor::isFollowing() const
{
    const QScrollBar* bar = m_logView->verticalScrollBar();
    return bar->value() >= bar->maximum();
}

void BusMonitor::onEntries(const std::vector<BusTraceEntry>& entries)
{
    const bool follow = isFollowing();
    QScrollBar* bar = m_logView->verticalScrollBar();
    const int before = bar->value();
    m_removedAbove = 0;
    m_log->append(entries);
    m_flow->apply(entries);
    if (follow) {
        m_logView->scrollToBottom();
        m_flowView->scrollToBottom();
    } else if (m_removedAbove > 0) {
        // Rows left at the top: keep the rows the user is reading in place.
        bar->setValue(std::max(0, before - m_removedAbove));
    }
    const quint64 hidden = m_log->evicted();
    m_logTitle->setText(hidden == 0
            ? tr("Log (newest at the bottom)")
            : tr("Log: the last %1 rows (%2 older ones removed), newest at the bottom")
                  .arg(QLocale().toString(m_log->rowCount()), QLocale().toString(hidden)));
}

void BusMonitor::setFilter(const QString& text)
{
    m_logProxy->setFilterFixedString(text);
    m_flowProxy->setFilterFixedString(text);
    m_flowView->expandAll();
    if (isFollowing() || text.isEmpty())
        m_logView->scrollToBottom();
}

void BusMonitor::clear()
{
    m_log->clear();
    m_flow->clear();
    m_logTitle->setText(tr("Log (newest at the bottom)"));
}

QString BusMonitor::countersText() const
{
    return m_counters->text();
}

void BusMonitor::refreshCounters()
{
    if (!m_recorder) {
        m_counters->setText(tr("<i>No bus: open a store that can be written to.</i>"));
        return;
    }
    const BusCounters c = m_recorder->bus().totals();
    const LatencyStats latency = m_recorder->latency();
    const QLocale locale;
    const auto number = [&](quint64 n) { return QStringLiteral("<b>%1</b>").arg(locale.toString(n)); };
    QString text = tr("Published %1 \u00b7 delivered %2 \u00b7 failed %3 \u00b7 dead-lettered %4 \u00b7 "
                      "duplicates %5")
                       .arg(number(c.published), number(c.delivered), number(c.failed),
                           number(c.deadLettered), number(c.duplicates));
    if (latency.samples > 0)
        text += tr(" \u00b7 latency mean <b>%1</b>, p99 <b>%2</b>")
                    .arg(BusLogModel::latencyText(qint64(latency.meanNs)),
                        BusLogModel::latencyText(latency.p99Ns));
    if (text != m_counters->text())
        m_counters->setText(text);
    m_counters->setToolTip(tr("Counts since the store was opened. Latency, from publish to the handler's "
                              "return (queued handlers: the wait in the queue included), over the last "
                              "%1 deliveries.")
                               .arg(QLocale().toString(latency.samples)));
}

} // namespace chronoscope
