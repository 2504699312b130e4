#pragma once

// ui/story: the Story dock: every event sharing one correlation id, across streams, as a
// causation tree and as lanes, found off the GUI thread with progress and Cancel.

#include "base/jobtracker.h"
#include "store/eventstore.h"
#include "story/story.h"

#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QPushButton;
class QTabWidget;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace chronoscope {

class BusLogModel;
class StoryDeliveries;
class StoryLanes;

class StoryPanel : public QWidget {
    Q_OBJECT
public:
    explicit StoryPanel(QWidget* parent = nullptr);
    ~StoryPanel() override;

    /// The store stories are read from (nullptr: none; what is shown is cleared).
    void setStore(std::shared_ptr<const EventStore> store);
    /// Finds the story of `event` (its correlation id's) off the GUI thread and shows it; an event
    /// without a correlation id is said so at once.
    void showStoryOf(const RecordedEvent& event);
    /// The same for a correlation id.
    void showCorrelation(const QString& correlationId);
    /// Stops a search under way (the story shown before stays).
    void cancel();

    /// The story shown (nullptr: none yet).
    const Story* story() const { return m_story.get(); }
    bool isSearching() const { return m_searching; }
    /// The line above the story: what is shown, or what went wrong.
    QString summaryText() const;
    QTreeWidget* tree() const { return m_tree; }
    StoryLanes* lanes() const { return m_lanes; }
    /// The bus's deliveries of the story's events (the "Bus" tab beside the lanes).
    StoryDeliveries* deliveries() const { return m_deliveries; }
    QTabWidget* views() const { return m_views; }
    /// Where the deliveries come from: the bus monitor's log.
    void setBusLog(const BusLogModel* log);
    QPushButton* cancelButton() const { return m_cancel; }

Q_SIGNALS:
    /// A story was found and shown (or the search failed: storyFailed).
    void storyShown();
    void storyFailed(const QString& message);
    /// An event of the story was double-clicked: show it in the event table.
    void eventActivated(const chronoscope::RecordedEvent& event);

private:
    void start(std::function<Story(const EventStore&, const StoryProgress&)> find, const QString& what);
    void show(std::shared_ptr<Story> story);
    void fail(const QString& message);
    void selectIndex(int index);
    void updateProgress();

    std::shared_ptr<const EventStore> m_store;
    std::shared_ptr<Story> m_story;
    std::vector<QTreeWidgetItem*> m_items; // per event of the story
    QLabel* m_summary;
    QPushButton* m_cancel;
    QTreeWidget* m_tree;
    StoryLanes* m_lanes;
    StoryDeliveries* m_deliveries;
    QTabWidget* m_views;
    QTimer* m_progressTimer;
    std::shared_ptr<std::atomic<qint64>> m_read = std::make_shared<std::atomic<qint64>>(0);
    qint64 m_total = 0;
    QString m_what;
    qint64 m_seed = 0; // the position of the event asked about (selected when shown)
    bool m_searching = false;
    JobTracker m_jobs {this};
};

} // namespace chronoscope
