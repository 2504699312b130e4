#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QToolButton;

namespace chronoscope {

class ProjectionSet;
class ScriptEditor;

/// The JavaScript projection editor: New / Open / Samples fill it, Run compiles it and adds it
/// to the projections (or replaces the JavaScript projection it holds), Rebuild starts that
/// projection over. A syntax error, and a runtime error once the projection faults, is shown
/// at its line and in the status label; the previous script keeps running after a syntax error.
class ProjectionScriptPanel : public QWidget {
    Q_OBJECT
public:
    explicit ProjectionScriptPanel(ProjectionSet* set, QWidget* parent = nullptr);

    /// The projection selected in the list: a JavaScript one is loaded into the editor
    /// unless the editor holds unsaved changes to another script.
    void setSelected(const QString& name);
    /// Puts a script into the editor; `fileName` names it when Run adds it.
    void setSource(const QString& source, const QString& fileName = {});
    QString source() const;
    /// Compiles and runs the editor's script; returns the projection's name, empty on error.
    QString run();
    /// The JavaScript projection the editor holds (empty: a new one).
    QString target() const { return m_target; }

    QString statusText() const;
    /// 1-based line marked as an error's, 0 when none.
    int errorLine() const;
    ScriptEditor* editor() const { return m_editor; }
    QPushButton* runButton() const { return m_run; }

Q_SIGNALS:
    /// Run added or replaced this projection.
    void projectionRun(const QString& name);

private:
    void showError(const QString& message);
    void showInfo(const QString& message);
    void onStatusChanged(const QString& name);
    void openFile();
    void updateButtons();

    ProjectionSet* m_set;
    QString m_target;
    QString m_fileName;
    QString m_shownFault; // the runtime fault on screen, so it is not shown twice
    ScriptEditor* m_editor;
    QPushButton* m_new;
    QPushButton* m_open;
    QToolButton* m_samples;
    QPushButton* m_run;
    QPushButton* m_rebuild;
    QLabel* m_status;
};

} // namespace chronoscope
