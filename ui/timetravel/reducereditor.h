#pragma once

#include "replay/reducer.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;

namespace chronoscope {

/// Chooses the reducer of a stream category: the built-in one, or a JavaScript reducer opened
/// from a .js file or typed here. Apply compiles the script; a syntax error, and (once the
/// window has replayed the stream) a runtime error, shows inline with its line highlighted,
/// and the previous reducer stays in force. The choice is remembered per store file and
/// category (QSettings: the script's path and text).
class ReducerEditor : public QWidget {
    Q_OBJECT
public:
    explicit ReducerEditor(QWidget* parent = nullptr);

    /// The store whose choices are remembered (empty: nothing is remembered).
    void setStorePath(const QString& path);
    /// Shows the choice for a category; builtinName is the name of its built-in reducer.
    void setCategory(const QString& category, const QString& builtinName);
    const QString& category() const { return m_category; }
    /// The JavaScript reducer remembered for a category of the current store, compiled;
    /// null when the built-in one was chosen (or the script no longer compiles: error shown).
    std::shared_ptr<const Reducer> rememberedReducer(const QString& category);

    void setUseJavaScript(bool on);
    bool usesJavaScript() const;
    void setSource(const QString& source, const QString& fileName = {});
    QString source() const;
    /// Loads a script file into the editor; false (and an inline error) when it cannot be read.
    bool openFile(const QString& path);

    /// Compiles and asks for the reducer to be used (applyRequested / builtinRequested).
    void apply();
    /// The window replayed the stream with the applied reducer: remembers the choice.
    void accepted(const QString& reducerName);
    /// Shows an error inline and highlights its line (found as "FILE:LINE:" in the message).
    void showError(const QString& message);

    QString errorText() const;
    /// 1-based line highlighted as the error's, 0 when none.
    int errorLine() const { return m_errorLine; }
    QPlainTextEdit* editor() const { return m_editor; }
    QPushButton* applyButton() const { return m_apply; }

Q_SIGNALS:
    void applyRequested(const QString& category, std::shared_ptr<const chronoscope::Reducer> reducer);
    void builtinRequested(const QString& category);

private:
    QString settingsGroup(const QString& category) const;
    QString scriptName() const;
    void remember(bool javaScript);
    void clearError();
    void updateEnabled();

    QString m_storePath;
    QString m_category;
    QString m_fileName; // path of the script opened, empty when typed here
    int m_errorLine = 0;
    bool m_hasError = false;

    QLabel* m_title;
    QRadioButton* m_builtin;
    QRadioButton* m_javaScript;
    QPushButton* m_open;
    QPushButton* m_apply;
    QPlainTextEdit* m_editor;
    QLabel* m_cursor;
    QLabel* m_status;
};

} // namespace chronoscope
