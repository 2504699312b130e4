#include "schema/schemafeature.h"

#include "schema/schemapanel.h"
#include "window/storesession.h"

#include <QDockWidget>
#include <QFileDialog>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

namespace chronoscope {

SchemaFeature::SchemaFeature(QObject* parent)
    : QObject(parent)
    , m_panel(new SchemaPanel)
{
}

void SchemaFeature::addDocks(QMainWindow& window)
{
    m_window = &window;
    auto* dock = makeDock(tr("Schemas"), QStringLiteral("schemaDock"), m_panel, &window);
    window.addDockWidget(Qt::BottomDockWidgetArea, dock); // placed by the workspaces
}

void SchemaFeature::addMenus(QMenuBar& menus)
{
    QMenu* schema = nullptr;
    for (QAction* action : menus.actions())
        if (action->menu() && action->menu()->objectName() == QLatin1String("schemaMenu"))
            schema = action->menu();
    if (!schema)
        schema = menus.addMenu(tr("&Schema"));
    schema->addSeparator();
    schema->addAction(tr("Load &Schema Folder\u2026"), this, [this] {
        raiseDock(m_window, QStringLiteral("schemaDock"));
        const QString folder = QFileDialog::getExistingDirectory(
            m_window, tr("Open a Folder of JSON Schemas"), m_panel->folder());
        if (!folder.isEmpty())
            m_panel->loadFolder(folder);
    });
    schema->addAction(tr("&Validate Selected Event"), this, [this] {
        raiseDock(m_window, QStringLiteral("schemaDock"));
        if (!m_panel->validateCurrentEvent() && m_window)
            m_window->statusBar()->showMessage(
                tr("Load a schema folder and select an event to validate it."), 8000);
    });
    if (m_window)
        if (auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("schemaDock")))
            schema->addAction(dock->toggleViewAction());
}

void SchemaFeature::showStore(const StoreSession& session, bool)
{
    m_panel->setStore(session.view());
}

void SchemaFeature::showStream(const std::optional<StreamId>& stream)
{
    m_panel->setCurrentEvent(std::nullopt);
    m_panel->setCurrentStream(stream);
}

void SchemaFeature::showEvent(const std::optional<RecordedEvent>& event)
{
    m_panel->setCurrentEvent(event);
}

} // namespace chronoscope
