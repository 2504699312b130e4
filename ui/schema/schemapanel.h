#pragma once

#include "base/jobtracker.h"
#include "schema/schemavalidation.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

namespace chronoscope {

class SchemaListModel;

/// The Schemas dock: a folder of JSON Schemas (the layout SchemaRegistry::loadFolder reads),
/// listed with a filter; the selected schema's JSON; and validation of the selected event,
/// of every event of the selected stream, or of every event of a type against the registry,
/// with each violation's event position, JSON Pointer and message. Stream and type
/// validation run off the GUI thread; a newer request makes an older result stale.
class SchemaPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr std::size_t MaxViolations = SchemaValidationResult::MaxViolations;
    enum ViolationColumn {
        PositionColumn,
        StreamColumn,
        VersionColumn,
        TypeColumn,
        PointerColumn,
        MessageColumn
    };

    explicit SchemaPanel(QWidget* parent = nullptr);
    ~SchemaPanel() override;

    /// Loads a schema folder. On failure (a schema that is not valid JSON or not a valid JSON
    /// Schema, an unreadable folder) the error is shown, the registry already loaded stays, and
    /// false is returned.
    bool loadFolder(const QString& folder);
    void clearSchemas();
    std::shared_ptr<const SchemaRegistry> registry() const;
    QString folder() const { return m_folder; }
    /// The last load error ("" after a successful load).
    QString errorText() const { return m_errorText; }

    /// The store validated (the window's store, as it reads it: upcast when upcasters are loaded).
    void setStore(std::shared_ptr<EventStore> store);
    void setCurrentEvent(const std::optional<RecordedEvent>& event);
    void setCurrentStream(const std::optional<StreamId>& stream);

    /// Validates the current event (synchronously). False when there is none.
    bool validateCurrentEvent();
    /// Validates every event of the current stream / of a type, off the GUI thread
    /// (validationFinished() follows). False when there is nothing to validate.
    bool validateCurrentStream();
    bool validateType(const QString& type);
    /// Selects the schema row of (type, version) in the list; false when absent.
    bool selectSchema(const QString& type, int version);

    SchemaListModel* schemaModel() const { return m_model; }
    QSortFilterProxyModel* schemaProxy() const { return m_proxy; }
    QTableView* schemaView() const { return m_schemaView; }
    QLineEdit* filterEdit() const { return m_filter; }
    QPlainTextEdit* schemaText() const { return m_schemaText; }
    QStandardItemModel* violationModel() const { return m_violations; }
    QTableView* violationView() const { return m_violationView; }
    const SchemaValidationResult& lastResult() const { return m_result; }
    /// The summary line of the last validation.
    QString resultText() const;

Q_SIGNALS:
    /// A folder was loaded (or the schemas cleared: null).
    void registryChanged(std::shared_ptr<const chronoscope::SchemaRegistry> registry);
    void validationFinished();
    /// The user double-clicked a violation: show its event.
    void eventActivated(const chronoscope::StreamId& stream, chronoscope::Version version);

private:
    void chooseFolder();
    void onSchemaSelected();
    void updateButtons();
    void reloadTypes();
    void startValidation(const QString& what, const std::optional<StreamId>& stream, const QString& type);
    void showResult(const QString& what, const SchemaValidationResult& result);
    void showError(const QString& message);

    std::shared_ptr<const SchemaRegistry> m_registry;
    std::shared_ptr<EventStore> m_store;
    std::optional<RecordedEvent> m_event;
    std::optional<StreamId> m_stream;
    QString m_folder;
    QString m_errorText;
    SchemaValidationResult m_result;
    JobTracker m_validations {this}; // a newer validation (or reset()) stops the running one

    SchemaListModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_folderLabel;
    QLabel* m_error;
    QLineEdit* m_filter;
    QTableView* m_schemaView;
    QPlainTextEdit* m_schemaText;
    QPushButton* m_eventButton;
    QPushButton* m_streamButton;
    QPushButton* m_typeButton;
    QComboBox* m_types;
    QLabel* m_resultLabel;
    QStandardItemModel* m_violations;
    QTableView* m_violationView;
};

} // namespace chronoscope
