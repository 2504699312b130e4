#include "story/storypanel.h"

#include "base/style.h"
#include "story/story.h"
#include "story/storydeliveries.h"
#include "story/storylanes.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chronoscope {

namespace {

enum Column { TypeColumn, StreamColumn, VersionColumn, PositionColumn, AfterColumn, CauseColumn };
constexpr int IndexRole = Qt::UserRole + 1;

// "+0 ms", "+1.5 s", "+3 min 20 s", "+2 h 5 min", "+3 d 4 h".
QString offsetText(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("\u2212") + offsetText(-ms).mid(1);
    if (ms < 1000)
        return QStringLiteral("+%1 ms").arg(ms);
    if (ms < 60000)
        return QStringLiteral("+%1 s").arg(QLocale().toString(ms / 1000.0, 'f', 1));
    const qint64 s = ms / 1000;
    if (s < 3600)
        return QStringLiteral("+%1 min %2 s").arg(s / 60).arg(s % 60);
    if (s < 86400)
        return QStringLiteral("+%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return QStringLiteral("+%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

} // namespace

StoryPanel::StoryPanel(QWidget* parent)
    : QWidget(parent)
    , m_summary(new QLabel)
    , m_cancel(new QPushButton(tr("Cancel")))
    , m_tree(new QTreeWidget)
    , m_lanes(new StoryLanes)
    , m_deliveries(new StoryDeliveries)
    , m_views(new QTabWidget)
    , m_progressTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("storyPanel"));
    m_summary->setObjectName(QStringLiteral("storySummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(
        tr("Right-click an event (Show Story) to see every event of its story, across streams: "
           "who caused whom, and when."));
    m_cancel->setObjectName(QStringLiteral("storyCancel"));
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, &StoryPanel::cancel);
    m_tree->setObjectName(QStringLiteral("storyTree"));
    m_tree->setColumnCount(6);
    m_tree->setHeaderLabels(
        {tr("Event"), tr("Stream"), tr("Version"), tr("Position"), tr("After"), tr("Caused by")});
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setAlternatingRowColors(true);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item && item->data(0, IndexRole).isValid())
            m_lanes->setSelected(item->data(0, IndexRole).toInt());
    });
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        if (m_story && item && item->data(0, IndexRole).isValid())
            Q_EMIT eventActivated(m_story->events[size_t(item->data(0, IndexRole).toInt())]);
    });
    connect(m_lanes, &StoryLanes::eventClicked, this, &StoryPanel::selectIndex);
    auto* scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("storyLanesScroll"));
    scroll->setWidget(m_lanes);
    scroll->setWidgetResizable(false);
    scroll->setBackgroundRole(QPalette::Base);
    m_views->setObjectName(QStringLiteral("storyViews"));
    m_views->setDocumentMode(true);
    m_views->addTab(scroll, tr("Lanes"));
    m_views->addTab(m_deliveries, tr("Bus"));
    m_views->setTabToolTip(
        1, tr("What the bus did with the story's events: deliveries, retries, dead letters"));
    connect(m_deliveries, &StoryDeliveries::refreshed, this, [this] {
        const int n = m_deliveries->counts().entries;
        m_views->setTabText(1, n ? tr("Bus (%1)").arg(n) : tr("Bus"));
    });
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_tree);
    splitter->addWidget(m_views);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
    m_progressTimer->setInterval(150);
    connect(m_progressTimer, &QTimer::timeout, this, &StoryPanel::updateProgress);
}

StoryPanel::~StoryPanel() = default;

void StoryPanel::setBusLog(const BusLogModel* log)
{
    m_deliveries->setLog(log);
}

void StoryPanel::setStore(std::shared_ptr<const EventStore> store)
{
    cancel();
    m_store = std::move(store);
    m_story.reset();
    m_items.clear();
    m_tree->clear();
    m_lanes->setStory(nullptr);
    m_deliveries->setCorrelation({});
    style::setTone(m_summary, style::Tone::Plain);
    m_summary->setText(
        tr("Right-click an event (Show Story) to see every event of its story, across streams: "
           "who caused whom, and when."));
}

QString StoryPanel::summaryText() const
{
    return m_summary->text();
}

void StoryPanel::showStoryOf(const RecordedEvent& event)
{
    const QString correlation = storyIds(event).correlationId;
    if (correlation.trimmed().isEmpty()) {
        fail(tr("%1 v%2 (position %3) has no correlation id in its metadata: it has no story to follow.")
                 .arg(event.stream.toString())
                 .arg(event.version.value)
                 .arg(event.position.value));
        return;
    }
    showCorrelation(correlation);
    m_seed = event.position.value;
}

void StoryPanel::showCorrelation(const QString& correlationId)
{
    m_seed = 0;
    start([correlationId](const EventStore& store,
              const StoryProgress& progress) { return findStory(store, correlationId, progress); },
        correlationId);
}

void StoryPanel::start(
    std::function<Story(const EventStore&, const StoryProgress&)> find, const QString& what)
{
    if (!m_store) {
        fail(tr("Open a store first."));
        return;
    }
    m_what = what;
    m_total = m_store->summary().events;
    m_read = std::make_shared<std::atomic<qint64>>(0);
    m_searching = true;
    m_cancel->show();
    style::setTone(m_summary, style::Tone::Plain);
    updateProgress();
    m_progressTimer->start();
    auto store = m_store;
    auto read = m_read;
    m_jobs.startJob(
        [store, read, find = std::move(find)](const JobCancelled& cancelled) {
            return std::make_shared<Story>(find(*store, [&](qint64 done, qint64) {
                read->store(done);
                return !cancelled();
            }));
        },
        [this](const JobResult<std::shared_ptr<Story>>& result) {
            m_searching = false;
            m_progressTimer->stop();
            m_cancel->hide();
            if (result.ok())
                show(*result.value);
            else
                fail(result.error);
        });
}

void StoryPanel::cancel()
{
    if (!m_searching)
        return;
    m_jobs.reset();
    m_searching = false;
    m_progressTimer->stop();
    m_cancel->hide();
    m_summary->setText(tr("Cancelled: the story of %1 was not read to the end.").arg(m_what));
}

void StoryPanel::updateProgress()
{
    m_summary->setText(tr("Reading the log for the story of %1\u2026 %2 of %3 events")
                           .arg(m_what, QLocale().toString(m_read->load()), QLocale().toString(m_total)));
}

void StoryPanel::fail(const QString& message)
{
    style::setTone(m_summary, style::Tone::Error);
    m_summary->setText(message);
    Q_EMIT storyFailed(message);
}

void StoryPanel::show(std::shared_ptr<Story> story)
{
    if (story->events.empty()) {
        fail(tr("No event has the correlation id %1.").arg(story->correlationId));
        return;
    }
    m_story = std::move(story);
    const Story& s = *m_story;
    m_deliveries->setCorrelation(s.correlationId);
    m_tree->clear();
    m_items.assign(s.events.size(), nullptr);
    const auto makeItem = [&](int index) {
        const RecordedEvent& e = s.events[size_t(index)];
        auto* item = new QTreeWidgetItem({e.type, e.stream.toString(), QString::number(e.version.value),
            QString::number(e.position.value), offsetText(s.offsetMs(index)), QString()});
        item->setData(0, IndexRole, index);
        item->setToolTip(StreamColumn, e.stream.toString());
        for (int c : {VersionColumn, PositionColumn, AfterColumn})
            item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
        if (s.parent[size_t(index)] < 0) {
            const QString cause = s.outsideCause(index);
            const QString command = storyIds(e).commandType;
            item->setText(CauseColumn,
                cause.isEmpty()         ? tr("(nothing: it starts the story)")
                    : command.isEmpty() ? tr("outside: %1").arg(cause)
                                        : tr("command %1").arg(command));
            item->setToolTip(CauseColumn, cause);
        } else {
            const RecordedEvent& p = s.events[size_t(s.parent[size_t(index)])];
            item->setText(CauseColumn,
                QStringLiteral("%1 (%2 v%3)").arg(p.type, p.stream.toString()).arg(p.version.value));
        }
        m_items[size_t(index)] = item;
        return item;
    };
    // The tree without recursion: each node's children added under it, breadth first.
    std::vector<int> queue;
    for (int root : s.roots) {
        m_tree->addTopLevelItem(makeItem(root));
        queue.push_back(root);
    }
    for (size_t head = 0; head < queue.size(); ++head) {
        const int at = queue[head];
        for (int child : s.children[size_t(at)]) {
            m_items[size_t(at)]->addChild(makeItem(child));
            queue.push_back(child);
        }
    }
    for (size_t c = 0; c < s.cycles.size(); ++c) {
        auto* group = new QTreeWidgetItem({tr("Causation cycle %1: not followed").arg(c + 1)});
        style::setTone(m_summary, style::Tone::Plain);
        group->setForeground(0, style::colour(style::Colour::WarningText));
        for (int member : s.cycles[c])
            group->addChild(makeItem(member));
        m_tree->addTopLevelItem(group);
    }
    m_tree->expandAll();
    for (int c = 0; c < m_tree->columnCount() - 1; ++c)
        m_tree->resizeColumnToContents(c);
    m_lanes->setStory(m_story.get());
    QStringList streams;
    for (const RecordedEvent& e : s.events) {
        if (!streams.contains(e.stream.toString()))
            streams << e.stream.toString();
    }
    QString text = tr("Story %1: %n event(s)", nullptr, int(s.events.size())).arg(s.correlationId)
        + tr(" in %n stream(s)", nullptr, int(streams.size()))
        + tr(" over %1").arg(offsetText(s.offsetMs(int(s.events.size()) - 1)).mid(1));
    if (!s.cycles.empty())
        text += tr(" \u00b7 %n causation cycle(s), not followed", nullptr, int(s.cycles.size()));
    if (s.truncated)
        text += tr(" \u00b7 only the first %1 events").arg(QLocale().toString(MaxStoryEvents));
    style::setTone(m_summary, style::Tone::Plain);
    m_summary->setText(text);
    // The event asked about is the current one, in the tree and in the lanes.
    for (int i = 0; i < int(s.events.size()); ++i) {
        if (s.events[size_t(i)].position.value == m_seed) {
            selectIndex(i);
            if (QWidget* scroll = m_lanes->parentWidget() ? m_lanes->parentWidget()->parentWidget() : nullptr)
                if (auto* area = qobject_cast<QScrollArea*>(scroll))
                    area->ensureVisible(
                        m_lanes->nodeRect(i).center().x(), m_lanes->nodeRect(i).center().y(), 80, 40);
        }
    }
    Q_EMIT storyShown();
}

void StoryPanel::selectIndex(int index)
{
    if (index < 0 || index >= int(m_items.size()) || !m_items[size_t(index)])
        return;
    m_tree->setCurrentItem(m_items[size_t(index)]);
    m_tree->scrollToItem(m_items[size_t(index)]);
}

} // namespace chronoscope
