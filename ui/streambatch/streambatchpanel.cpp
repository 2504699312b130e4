#include "streambatch/streambatchpanel.h"

#include "base/errors.h"
#include "base/style.h"
#include "streambatch/stalenesschart.h"
#include "streambatch/streambatchmodel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace chronoscope {

using streambatch::BatchPolicy;

namespace {

QString microseconds(double us)
{
    return QLocale().toString(us, 'f', us < 10 ? 1 : 0) + QStringLiteral(" µs");
}

QString seconds(double s)
{
    if (s < 1)
        return QLocale().toString(s * 1000, 'f', 0) + QStringLiteral(" ms");
    return QLocale().toString(s, 'f', s < 10 ? 2 : 1) + QStringLiteral(" s");
}

QLabel* valueLabel()
{
    auto* label = new QLabel;
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

StreamBatchPanel::StreamBatchPanel(QWidget* parent)
    : QWidget(parent)
    , m_comparison(BatchPolicy {})
    , m_model(new StreamBatchModel(this))
    , m_chart(new StalenessChart)
{
    m_timer.setInterval(TickMs);
    connect(&m_timer, &QTimer::timeout, this, &StreamBatchPanel::step);

    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("streamBatchTable"));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(StreamBatchModel::MeasureColumn, QHeaderView::Stretch);
    // A small table (the figures and the types of a store): its value columns fit their numbers.
    m_table->horizontalHeader()->setSectionResizeMode(
        StreamBatchModel::StreamColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(
        StreamBatchModel::BatchColumn, QHeaderView::ResizeToContents);
    m_table->setMinimumWidth(200);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setToolTip(
        tr("The same read model kept twice: by the stream processor, per event, and by the batch "
           "processor, recomputed at each batch run. Highlighted: what the batch has not caught up with."));

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_table);
    splitter->addWidget(makeCounters());
    splitter->addWidget(m_chart);
    // What a wider dock gains goes to the chart.
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 0);
    splitter->setStretchFactor(2, 1);
    splitter->setSizes({250, 200, 300});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(makeControls());
    layout->addWidget(splitter, 1);
    reset();
}

StreamBatchPanel::~StreamBatchPanel() = default;

QWidget* StreamBatchPanel::makeControls()
{
    auto* box = new QWidget;
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    m_play = new QToolButton;
    m_play->setText(tr("Play"));
    m_play->setObjectName(QStringLiteral("streamBatchPlay"));
    m_play->setToolTip(tr("Replay the store's events at the rate chosen, then follow what is appended"));
    m_pause = new QToolButton;
    m_pause->setText(tr("Pause"));
    m_pause->setObjectName(QStringLiteral("streamBatchPause"));
    m_reset = new QToolButton;
    m_reset->setText(tr("Reset"));
    m_reset->setObjectName(QStringLiteral("streamBatchReset"));
    m_reset->setToolTip(tr("Stop and forget both read models: the next Play starts at the first event"));
    for (QToolButton* button : {m_play, m_pause, m_reset})
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    connect(m_play, &QToolButton::clicked, this, &StreamBatchPanel::play);
    connect(m_pause, &QToolButton::clicked, this, &StreamBatchPanel::pause);
    connect(m_reset, &QToolButton::clicked, this, &StreamBatchPanel::reset);

    m_rate = new QSpinBox;
    m_rate->setObjectName(QStringLiteral("streamBatchRate"));
    m_rate->setRange(MinRate, MaxRate);
    m_rate->setValue(DefaultRate);
    m_rate->setSuffix(tr(" /s"));
    m_rate->setToolTip(tr("How many of the store's events are published per second of the replay"));
    connect(m_rate, &QSpinBox::valueChanged, this, &StreamBatchPanel::updated);

    m_everyEvents = new QSpinBox;
    m_everyEvents->setObjectName(QStringLiteral("streamBatchEveryEvents"));
    m_everyEvents->setRange(1, 100000);
    m_everyEvents->setValue(static_cast<int>(BatchPolicy().everyEvents));
    m_everySeconds = new QDoubleSpinBox;
    m_everySeconds->setObjectName(QStringLiteral("streamBatchEverySeconds"));
    m_everySeconds->setRange(streambatch::MinEverySeconds, 3600);
    m_everySeconds->setDecimals(1);
    m_everySeconds->setSingleStep(0.5);
    m_everySeconds->setValue(BatchPolicy().everySeconds);
    m_policy = new QComboBox;
    m_policy->setObjectName(QStringLiteral("streamBatchPolicy"));
    m_policy->addItem(tr("events"), QStringLiteral("events"));
    m_policy->addItem(tr("seconds"), QStringLiteral("seconds"));
    m_policy->setToolTip(
        tr("When the batch runs: once N events have arrived, or every T seconds of the replay"));
    connect(m_everyEvents, &QSpinBox::valueChanged, this, &StreamBatchPanel::policyEdited);
    connect(m_everySeconds, &QDoubleSpinBox::valueChanged, this, &StreamBatchPanel::policyEdited);
    connect(m_policy, &QComboBox::currentIndexChanged, this, &StreamBatchPanel::policyEdited);

    row->addWidget(m_play);
    row->addWidget(m_pause);
    row->addWidget(m_reset);
    row->addSpacing(8);
    auto* rateLabel = new QLabel(tr("Rate"));
    rateLabel->setToolTip(m_rate->toolTip());
    row->addWidget(rateLabel);
    row->addWidget(m_rate);
    row->addSpacing(8);
    row->addWidget(new QLabel(tr("Batch every")));
    row->addWidget(m_everyEvents);
    row->addWidget(m_everySeconds);
    row->addWidget(m_policy);
    row->addStretch(1);
    m_everySeconds->hide();
    return box;
}

QWidget* StreamBatchPanel::makeCounters()
{
    auto* box = new QWidget;
    box->setObjectName(QStringLiteral("streamBatchCounters"));
    auto* grid = new QGridLayout(box);
    grid->setContentsMargins(4, 0, 4, 0);
    grid->setVerticalSpacing(2);
    m_status = valueLabel();
    m_status->setObjectName(QStringLiteral("streamBatchStatus"));
    m_processed = valueLabel();
    m_latency = valueLabel();
    m_streamLag = valueLabel();
    m_batchRuns = valueLabel();
    m_batchLag = valueLabel();
    m_staleness = valueLabel();
    m_maxStaleness = valueLabel();
    const std::pair<QString, QLabel*> rows[] = {
        {tr("Source"), m_status},
        {tr("Processed"), m_processed},
        {tr("Latency"), m_latency},
        {tr("Stream lag"), m_streamLag},
        {tr("Batch runs"), m_batchRuns},
        {tr("Batch lag"), m_batchLag},
        {tr("Stale now"), m_staleness},
        {tr("Most stale"), m_maxStaleness},
    };
    int r = 0;
    for (const auto& [name, value] : rows) {
        auto* caption = new QLabel(name);
        caption->setForegroundRole(QPalette::PlaceholderText);
        grid->addWidget(caption, r, 0, Qt::AlignLeft | Qt::AlignTop);
        grid->addWidget(value, r, 1, Qt::AlignLeft | Qt::AlignTop);
        ++r;
    }
    m_latency->setToolTip(tr("Time the stream processor took to fold one event in (average, most)"));
    m_streamLag->setToolTip(tr("From an event's arrival to its processing by the stream processor"));
    m_batchLag->setToolTip(tr("From an event's arrival to the batch run that included it"));
    m_staleness->setToolTip(tr("Events the batch model has not included yet, and since when"));
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(r, 1);
    return box;
}

void StreamBatchPanel::setStore(std::shared_ptr<const EventStore> store)
{
    m_store = std::move(store);
    reset();
}

void StreamBatchPanel::storeAppended()
{
    if (isRunning() && m_caughtUp)
        m_caughtUp = false; // read on at the next step
}

bool StreamBatchPanel::play()
{
    if (!m_store) {
        fail(tr("Open a store to replay it"));
        return false;
    }
    if (isRunning())
        return true;
    m_error.clear();
    m_clock.start();
    m_timer.start();
    updateButtons();
    refresh();
    Q_EMIT updated();
    return true;
}

void StreamBatchPanel::pause()
{
    if (!isRunning())
        return;
    m_clockBase = simulatedNow();
    m_timer.stop();
    updateButtons();
    refresh();
    Q_EMIT updated();
}

void StreamBatchPanel::reset()
{
    m_timer.stop();
    m_comparison.reset();
    m_clockBase = 0;
    m_lastStepAt = 0;
    m_budget = 0;
    m_cursor = 1;
    m_caughtUp = false;
    m_error.clear();
    m_chart->clear();
    updateButtons();
    refresh();
    Q_EMIT updated();
}

void StreamBatchPanel::setRate(int eventsPerSecond)
{
    m_rate->setValue(eventsPerSecond);
}

int StreamBatchPanel::rate() const
{
    return m_rate->value();
}

void StreamBatchPanel::setPolicy(const BatchPolicy& policy)
{
    streambatch::validate(policy);
    const QSignalBlocker blockEvents(m_everyEvents);
    const QSignalBlocker blockSeconds(m_everySeconds);
    const QSignalBlocker blockPolicy(m_policy);
    m_everyEvents->setValue(static_cast<int>(std::min<qint64>(policy.everyEvents, m_everyEvents->maximum())));
    m_everySeconds->setValue(policy.everySeconds);
    m_policy->setCurrentIndex(policy.trigger == BatchPolicy::Trigger::Events ? 0 : 1);
    policyEdited();
}

void StreamBatchPanel::policyEdited()
{
    BatchPolicy policy;
    policy.trigger
        = m_policy->currentIndex() == 0 ? BatchPolicy::Trigger::Events : BatchPolicy::Trigger::Seconds;
    policy.everyEvents = m_everyEvents->value();
    policy.everySeconds = m_everySeconds->value();
    m_everyEvents->setVisible(policy.trigger == BatchPolicy::Trigger::Events);
    m_everySeconds->setVisible(policy.trigger == BatchPolicy::Trigger::Seconds);
    m_comparison.setPolicy(policy); // the spin boxes keep it within the limits
    refresh();
    Q_EMIT updated();
}

double StreamBatchPanel::simulatedNow() const
{
    return m_clockBase + (isRunning() ? static_cast<double>(m_clock.nsecsElapsed()) / 1e9 : 0.0);
}

// One step of the replay: the events the rate allows since the previous step (at most
// MaxEventsPerTick, read from the cursor on), spread over the step's time as their arrivals.
void StreamBatchPanel::step()
{
    if (!m_store)
        return pause();
    const double now = simulatedNow();
    const double dt = std::max(0.0, now - m_lastStepAt);
    m_lastStepAt = now;
    m_budget = std::min(m_budget + rate() * dt, static_cast<double>(MaxEventsPerTick));
    const auto wanted = static_cast<qint64>(std::floor(m_budget));
    if (wanted > 0) {
        std::vector<RecordedEvent> events;
        try {
            events = m_store->readAll(Position(m_cursor), wanted);
        } catch (const StoreError& error) {
            pause();
            fail(tr("Reading from position %1 failed: %2").arg(m_cursor).arg(error.message()));
            return;
        }
        const auto n = static_cast<double>(events.size());
        for (size_t i = 0; i < events.size(); ++i) {
            m_comparison.feed(events[i], now, now - dt + dt * static_cast<double>(i + 1) / n);
            m_cursor = events[i].position.value + 1;
        }
        m_budget -= n;
        m_caughtUp = static_cast<qint64>(events.size()) < wanted;
        if (m_caughtUp)
            m_budget = 0; // waiting for new events does not save up a burst
    }
    m_comparison.tick(now);
    refresh();
    Q_EMIT updated();
}

void StreamBatchPanel::fail(const QString& message)
{
    m_error = message;
    refresh();
}

QString StreamBatchPanel::statusText() const
{
    return m_status->text();
}

void StreamBatchPanel::updateButtons()
{
    m_play->setEnabled(!isRunning() && m_store);
    m_pause->setEnabled(isRunning());
}

void StreamBatchPanel::refresh()
{
    const streambatch::Counters c = m_comparison.counters();
    const QLocale locale;
    if (!m_error.isEmpty()) {
        m_status->setText(m_error);
        style::setTone(m_status, style::Tone::Error);
    } else {
        style::setTone(m_status, style::Tone::Plain);
        if (!m_store)
            m_status->setText(tr("No store open"));
        else if (m_caughtUp)
            m_status->setText(tr("Live: all read"));
        else if (c.processed == 0 && !isRunning())
            m_status->setText(tr("The store: press Play"));
        else
            m_status->setText(tr("Replay at #%1%2")
                                  .arg(locale.toString(m_cursor), isRunning() ? QString() : tr(", paused")));
    }
    m_processed->setText(
        tr("%1 · %2/s").arg(locale.toString(c.processed), locale.toString(c.throughput, 'f', 1)));
    m_latency->setText(
        tr("%1 avg · %2 max").arg(microseconds(c.streamLatencyAvgUs), microseconds(c.streamLatencyMaxUs)));
    m_streamLag->setText(
        tr("%1 avg · %2 max").arg(seconds(c.streamLagAvgSeconds), seconds(c.streamLagMaxSeconds)));
    m_batchRuns->setText(c.batchRuns == 0
            ? tr("none yet")
            : tr("%1 · last %2").arg(locale.toString(c.batchRuns), microseconds(c.lastBatchUs)));
    m_batchLag->setText(
        tr("%1 avg · %2 max").arg(seconds(c.batchLagAvgSeconds), seconds(c.batchLagMaxSeconds)));
    m_staleness->setText(c.stalenessEvents == 0
            ? tr("up to date")
            : tr("%1 events · %2").arg(locale.toString(c.stalenessEvents), seconds(c.stalenessSeconds)));
    m_maxStaleness->setText(tr("%1 events").arg(locale.toString(c.maxStalenessEvents)));
    m_model->setModels(m_comparison.streamModel(), m_comparison.batchModel());
    if (!m_comparison.history().empty())
        m_chart->setHistory(m_comparison.history(), m_comparison.now(), c.stalenessEvents);
}

} // namespace chronoscope
