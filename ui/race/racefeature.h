#pragma once

#include "lessons/lessonparticipant.h"
#include "window/windowfeature.h"

#include <QObject>

namespace chronoscope {

class BusController;
class RacePanel;

/// The Race Simulator dock ("raceDock", in no workspace of its own: the Teach workspace shows it):
/// two writers racing on one aggregate of the writable store, appending through the window's
/// bus (BusController's Publisher). A lesson sets it up and checks it under the key "race".
class RaceFeature : public QObject, public WindowFeature, public LessonParticipant {
    Q_OBJECT
public:
    /// `bus` gives the publisher of the store shown (it must hear of a new store first).
    explicit RaceFeature(BusController* bus, QObject* parent = nullptr);

    void addDocks(QMainWindow& window) override;
    void addMenus(QMenuBar&) override { }
    void showStore(const StoreSession& session, bool sameStore) override;

    // LessonParticipant
    QString lessonKey() const override { return QStringLiteral("race"); }
    QString lessonDock() const override { return QStringLiteral("raceDock"); }
    /// {"stream","steps","loads","appends","conflicts","retries","retrySucceeded","lostUpdates",
    /// "rejections","lastOutcome","writable"}.
    nlohmann::json lessonFacts() const override;
    /// {"stream": "cart-102" | "new", "a": {command}, "b": {command}, "reset": true}, each optional.
    QString applyLessonSetup(const nlohmann::json& setup) override;

    RacePanel* panel() const { return m_panel; }

private:
    BusController* m_bus;
    RacePanel* m_panel;
};

} // namespace chronoscope
