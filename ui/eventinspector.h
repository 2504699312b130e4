#pragma once

#include "recordedevent.h"

#include <QWidget>

#include <optional>

class QFormLayout;
class QLabel;
class QTabWidget;
class QTreeView;

namespace chronoscope {

class JsonTreeModel;

/// Shows one event: its fields (type, stream, version, position, timestamp, schema, id) and
/// its payload and metadata as expandable JSON trees.
class EventInspector : public QWidget {
    Q_OBJECT
public:
    explicit EventInspector(QWidget* parent = nullptr);

    /// Shows an event, or nothing.
    void setEvent(const std::optional<RecordedEvent>& event);
    const std::optional<RecordedEvent>& event() const { return m_event; }

    JsonTreeModel* dataModel() const { return m_dataModel; }
    JsonTreeModel* metadataModel() const { return m_metadataModel; }
    /// The text of a field label, e.g. fieldText("type") (for tests).
    QString fieldText(const QString& field) const;

private:
    QLabel* addField(QFormLayout* form, const QString& name, const QString& label);
    void showJson(JsonTreeModel* model, QTreeView* view, const QByteArray& raw, bool isMetadata);

    std::optional<RecordedEvent> m_event;
    JsonTreeModel* m_dataModel;
    JsonTreeModel* m_metadataModel;
    QTreeView* m_dataView;
    QTreeView* m_metadataView;
    QTabWidget* m_tabs;
    QLabel* m_placeholder;
    QWidget* m_fieldsBox;
    QLabel* m_parseError;
};

/// Sets up a tree view for a JsonTreeModel: sensible column widths, alternating rows.
void setUpJsonTreeView(QTreeView* view);

} // namespace chronoscope
