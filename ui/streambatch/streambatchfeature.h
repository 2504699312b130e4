#pragma once

#include "lessons/lessonparticipant.h"
#include "window/windowfeature.h"

#include <QMetaObject>
#include <QObject>

namespace chronoscope {

class StreamBatchPanel;

/// The Stream vs Batch dock ("streamBatchDock"): the store's events replayed at a chosen rate (and
/// the ones appended meanwhile, e.g. with Bus ▸ Publish) into a stream and a batch read model side
/// by side. A lesson reads and sets it up under the key "streamBatch".
class StreamBatchFeature : public QObject, public WindowFeature, public LessonParticipant {
    Q_OBJECT
public:
    explicit StreamBatchFeature(QObject* parent = nullptr);

    void addDocks(QMainWindow& window) override;
    void addMenus(QMenuBar&) override { }
    /// A new store (or the same one read with other upcasters) starts the comparison over.
    void showStore(const StoreSession& session, bool sameStore) override;

    QString lessonKey() const override { return QStringLiteral("streamBatch"); }
    QString lessonDock() const override { return QStringLiteral("streamBatchDock"); }
    /// {"running", "processed", "batchRuns", "staleness", "maxStaleness", "policy": "events" |
    /// "seconds", "every", "rate", "caughtUp"}.
    nlohmann::json lessonFacts() const override;
    /// Members (all optional): "reset": bool (first), "rate": 1..5000, "policy": "events" |
    /// "seconds", "every": N events or T seconds of that policy, "play": bool (last: true plays,
    /// false pauses). Nothing is changed when a member is wrong.
    QString applyLessonSetup(const nlohmann::json& setup) override;

    StreamBatchPanel* panel() const { return m_panel; }

private:
    StreamBatchPanel* m_panel;
    const StoreSession* m_session = nullptr;
    QMetaObject::Connection m_appended;
};

} // namespace chronoscope
