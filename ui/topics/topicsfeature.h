#pragma once

// ui/topics: the log seen as a Kafka-style topic: partitions by a hash of the stream id and a
// simulated consumer group (members, range assignment, committed offsets, lag, rebalances).

#include "base/jobtracker.h"
#include "lessons/lessonparticipant.h"
#include "store/eventstore.h"
#include "window/windowfeature.h"

#include <QMetaObject>
#include <QObject>

#include <memory>

class QMainWindow;

namespace chronoscope {

class TopicsPanel;

/// The "Topics and Consumer Groups" dock ("topicsDock"), following the store the window shows
/// and what is appended to it. A lesson participant under the key "topics".
///
/// Nothing here scans the store on the GUI thread: the partitions' counts come from the stream
/// list (partitionStats, off the GUI thread); events appended later are read from the last
/// position counted, in bounded batches, off the GUI thread too.
class TopicsFeature : public QObject, public WindowFeature, public LessonParticipant {
    Q_OBJECT
public:
    explicit TopicsFeature(QObject* parent = nullptr);

    void addDocks(QMainWindow& window) override;
    void addMenus(QMenuBar&) override { }
    void showStore(const StoreSession& session, bool sameStore) override;

    QString lessonKey() const override { return QStringLiteral("topics"); }
    QString lessonDock() const override { return QStringLiteral("topicsDock"); }
    /// {"partitions", "members", "paused", "rebalances", "movedPartitions" (the last rebalance),
    /// "totalLag", "maxLag", "events"}.
    nlohmann::json lessonFacts() const override;
    /// {"partitions": 1..64, "members": 0..32, "from": "beginning" | "end", "reset": bool}, every
    /// member optional. "reset" makes a fresh group (no rebalance counted); else the member count
    /// is reached by adding or removing members (rebalances). Nothing changes on an error.
    QString applyLessonSetup(const nlohmann::json& setup) override;

    TopicsPanel* panel() const { return m_panel; }
    /// True while the partitions are counted or appended events read.
    bool isBusy() const;

private:
    void countPartitions();
    void readNew();

    TopicsPanel* m_panel;
    std::shared_ptr<EventStore> m_store;
    bool m_counting = false; // partitionStats running
    bool m_behind = false;   // appended while reading: read again
    JobTracker m_countJobs {this};
    JobTracker m_readJobs {this};
    const StoreSession* m_session = nullptr;
    QMetaObject::Connection m_appended;
};

} // namespace chronoscope
