#pragma once

#include "store/recordedevent.h"

#include <QWidget>

#include <optional>

class QFormLayout;
class QLabel;
class QPushButton;
class QTabWidget;
class QTreeView;

namespace chronoscope {

class JsonTreeModel;
class UpcastView;
class UpcastingEventStore;

/// Shows one event: its fields (type, stream, version, position, timestamp, schema, id) and
/// its payload and metadata as expandable JSON trees, and (tab "Raw ⇄ Upcast") the event as
/// stored beside the event as the loaded upcasters made it.
class EventInspector : public QWidget {
    Q_OBJECT
public:
    explicit EventInspector(QWidget* parent = nullptr);

    /// Shows an event, or nothing.
    void setEvent(const std::optional<RecordedEvent>& event);
    const std::optional<RecordedEvent>& event() const { return m_event; }
    /// The store the events come from when it upcasts (nullptr: no upcasters loaded). The
    /// store must stay alive while set; call again with nullptr before it goes.
    void setUpcasting(const UpcastingEventStore* store);

    UpcastView* upcastView() const { return m_upcastView; }
    QTabWidget* tabs() const { return m_tabs; }
    /// Index of the "Raw ⇄ Upcast" tab.
    static constexpr int UpcastTab = 2;

    JsonTreeModel* dataModel() const { return m_dataModel; }
    JsonTreeModel* metadataModel() const { return m_metadataModel; }
    /// The text of a field label, e.g. fieldText("type") (for tests).
    QString fieldText(const QString& field) const;
    /// "Show Story": the story of the event shown.
    QPushButton* storyButton() const { return m_story; }

Q_SIGNALS:
    void storyRequested(const chronoscope::RecordedEvent& event);

private:
    // A value label named `name` under `label`, the label with the glossary's tooltip of `glossaryId`.
    QLabel* addField(
        QFormLayout* form, const QString& name, const QString& label, const QString& glossaryId = {});
    void showUpcast();
    void showJson(JsonTreeModel* model, QTreeView* view, const QByteArray& raw, bool isMetadata);

    std::optional<RecordedEvent> m_event;
    JsonTreeModel* m_dataModel;
    JsonTreeModel* m_metadataModel;
    QTreeView* m_dataView;
    QTreeView* m_metadataView;
    QTabWidget* m_tabs;
    UpcastView* m_upcastView;
    const UpcastingEventStore* m_upcasting = nullptr;
    QLabel* m_placeholder;
    QWidget* m_fieldsBox;
    QLabel* m_parseError;
    QPushButton* m_story;
};

/// Sets up a tree view for a JsonTreeModel: sensible column widths, alternating rows.
void setUpJsonTreeView(QTreeView* view);

} // namespace chronoscope
