#include "story/storyfeature.h"

#include "story/storypanel.h"
#include "window/storesession.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>

namespace chronoscope {

StoryFeature::StoryFeature(QObject* parent)
    : QObject(parent)
    , m_panel(new StoryPanel)
{
}

void StoryFeature::addDocks(QMainWindow& window)
{
    m_window = &window;
    auto* dock = makeDock(tr("Story"), QStringLiteral("storyDock"), m_panel, &window);
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide(); // placed by the workspaces
}

void StoryFeature::showStore(const StoreSession& session, bool)
{
    m_panel->setStore(session.view());
}

void StoryFeature::addEventMenuEntry(QMenu& menu, const RecordedEvent& event)
{
    QAction* show
        = menu.addAction(tr("Show Story of %1 v%2").arg(event.stream.toString()).arg(event.version.value),
            this, [this, event] { showStoryOf(event); });
    show->setObjectName(QStringLiteral("showStoryAction"));
    show->setToolTip(tr("Every event that shares its correlation id, across streams, as a causation tree"));
}

void StoryFeature::showStoryOf(const RecordedEvent& event)
{
    raiseDock(m_window, QStringLiteral("storyDock"));
    m_panel->showStoryOf(event);
}

} // namespace chronoscope
