#pragma once

#include "store/recordedevent.h"
#include "window/windowfeature.h"

#include <QObject>

class QMainWindow;
class QMenu;

namespace chronoscope {

class StoryPanel;

/// The Story dock ("storyDock": Explore and Bus workspaces) and the "Show Story" entries that
/// open it on an event. Reads the store as the window shows it (upcast when upcasters are loaded).
class StoryFeature : public QObject, public WindowFeature {
    Q_OBJECT
public:
    explicit StoryFeature(QObject* parent = nullptr);

    void addDocks(QMainWindow& window) override;
    void addMenus(QMenuBar&) override { }
    void showStore(const StoreSession& session, bool sameStore) override;

    /// Adds "Show Story of vN" for `event` to a context menu.
    void addEventMenuEntry(QMenu& menu, const RecordedEvent& event);
    /// Shows the story of `event` in the Story dock (brought to the front).
    void showStoryOf(const RecordedEvent& event);

    StoryPanel* panel() const { return m_panel; }

private:
    QMainWindow* m_window = nullptr;
    StoryPanel* m_panel;
};

} // namespace chronoscope
