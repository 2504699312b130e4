#pragma once

#include "bus/outcomemessage.h"
#include "bus/publisher.h"

#include <QDialog>

#include <map>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStringListModel;
class QTabWidget;

namespace chronoscope {

class SchemaRegistry;
struct BusTraceEntry;

class JsonEdit;

/// Bus ▸ Publish…: sends a sample-domain command or a raw event through the Publisher.
///
/// The stream is an editable combo completed from the store's streams; the current version of
/// the typed stream is shown and prefills the "exact version" box. Mode "Command" picks a
/// command type of the sample domain and prefills its data with a template; mode "Event" takes
/// any type with JSON data and metadata. Editors are checked as they are edited (the error
/// with its line and column; Publish stays disabled while anything is invalid). Publishing
/// shows the outcome in the dialog, which stays open: the stored events with their versions
/// and positions, the rule a command broke, or the conflict (expected against actual version).
class PublishDialog : public QDialog {
    Q_OBJECT
public:
    enum class Mode { Command, Event };
    enum class Expectation { Any, NoStream, Exists, Exact };

    explicit PublishDialog(Publisher& publisher, QWidget* parent = nullptr);
    ~PublishDialog() override;

    Publisher& publisher() const { return m_publisher; }

    // What a person sets; tests and the window drive the dialog through these.
    void setStream(const QString& stream);
    QString stream() const;
    void setMode(Mode mode);
    Mode mode() const;
    /// Selects a command type (resets the data to its template); false when unknown.
    bool setCommandType(const QString& type);
    QString commandType() const;
    void setExpectation(Expectation expectation, qint64 exactVersion = -1);
    /// The expected version as chosen.
    ExpectedVersion expectedVersion() const;
    /// The stream's version when it was last looked at (0: no such stream).
    qint64 currentVersion() const { return m_currentVersion; }

    JsonEdit* commandData() const { return m_commandData; }
    QLineEdit* eventType() const { return m_eventType; }
    JsonEdit* eventData() const { return m_eventData; }
    JsonEdit* eventMetadata() const { return m_eventMetadata; }
    QPushButton* publishButton() const { return m_publishButton; }
    QComboBox* streamBox() const { return m_stream; }
    QSpinBox* versionBox() const { return m_version; }

    /// Why Publish is disabled ("" when it is enabled).
    QString blockedReason() const { return m_blocked; }
    /// The outcome line shown after the last Publish (plain text).
    QString resultText() const { return m_resultPlain; }
    /// The last outcome (nullopt before the first Publish).
    const std::optional<PublishOutcome>& lastOutcome() const { return m_last; }

    /// Publishes what the dialog holds, as the Publish button does. Returns the outcome.
    PublishOutcome publish();
    /// What the bus saw (the recorder's batches): events stored by the consumers' reactions under
    /// the last command's correlation id are added to its outcome as they come.
    void noteStoryEvents(const std::vector<chronoscope::BusTraceEntry>& entries);
    /// The event types of the last outcome's story stored by reactions so far, in store order.
    std::vector<QString> storyTypes() const;
    /// Forgets the outcome shown (the dialog opened again starts clean; lastOutcome() stays).
    void clearOutcome();
    /// Reloads the stream list and the typed stream's version from the store.
    void reloadStreams();
    /// JSON Schemas a raw event's data is checked against as it is typed (schema version 1, the
    /// version a raw event is published at): Publish waits while it does not match, and the
    /// hint names each failing JSON Pointer. Null: no check.
    void setSchemas(std::shared_ptr<const SchemaRegistry> schemas);

Q_SIGNALS:
    /// After every Publish, whatever its outcome.
    void outcomeShown(const chronoscope::PublishOutcome& outcome);

private:
    void buildCommandPage(QWidget* page);
    void buildEventPage(QWidget* page);
    void onStreamEdited();
    void refreshStreamInfo();
    void onCommandTypeChanged();
    void updateState();
    void showOutcome(const PublishOutcome& outcome);
    void showMessage(const QString& title, const QStringList& lines, const QString& colour);
    void renderOutcome();

    Publisher& m_publisher;
    QComboBox* m_stream;
    QStringListModel* m_streams;
    QLabel* m_streamInfo;
    QTabWidget* m_modes;
    QComboBox* m_command;
    QLabel* m_commandHelp;
    JsonEdit* m_commandData;
    QLineEdit* m_eventType;
    JsonEdit* m_eventData;
    JsonEdit* m_eventMetadata;
    QComboBox* m_expected;
    QSpinBox* m_version;
    QLabel* m_result;
    QLabel* m_hint;
    QDialogButtonBox* m_buttons;
    QPushButton* m_publishButton;
    qint64 m_currentVersion = 0;
    QString m_blocked;
    QString m_resultPlain;
    std::optional<PublishOutcome> m_last;
    OutcomeMessage m_message;
    std::map<qint64, QString> m_story; // position -> type: the reactions' events of the last command
    std::shared_ptr<const SchemaRegistry> m_schemas;
};

} // namespace chronoscope
