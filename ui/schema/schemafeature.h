#pragma once

// ui/schema: JSON Schemas in the window: the Schemas dock (a folder of schemas, the selected
// event, stream or type validated against them) and its entries in the Schema menu.

#include "store/recordedevent.h"
#include "window/windowfeature.h"

#include <QObject>

#include <optional>

class QMainWindow;

namespace chronoscope {

class SchemaPanel;

/// The Schemas dock (bottom, tabbed with the projections) and the Schema menu's schema entries
/// (Load Schema Folder…, Validate Selected Event, the dock's toggle), added to the menu named
/// "schemaMenu" that the window made.
class SchemaFeature : public QObject, public WindowFeature {
    Q_OBJECT
public:
    explicit SchemaFeature(QObject* parent = nullptr);

    void addDocks(QMainWindow& window) override;
    void addMenus(QMenuBar& menus) override;
    void showStore(const StoreSession& session, bool sameStore) override;

    /// What the table shows: a stream (validate it) or none; the selected event (validate it).
    void showStream(const std::optional<StreamId>& stream);
    void showEvent(const std::optional<RecordedEvent>& event);

    SchemaPanel* panel() const { return m_panel; }

private:
    QMainWindow* m_window = nullptr;
    SchemaPanel* m_panel;
};

} // namespace chronoscope
