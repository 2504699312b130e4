#pragma once

// ui/widgets: widgets and models every feature uses: JsonEdit (JSON checked as typed),
// JsonTreeModel and NodeTreeModel (trees), ScriptEditor (JavaScript with line numbers).

#include <QWidget>

#include <nlohmann/json.hpp>

class QLabel;
class QPlainTextEdit;

namespace chronoscope {

/// A JSON text editor that checks what is typed as it is typed: while the text is not valid
/// JSON (or not the kind of value required) the problem is shown under the editor with its
/// line and column, the line is marked, and isValid() is false.
class JsonEdit : public QWidget {
    Q_OBJECT
public:
    explicit JsonEdit(QWidget* parent = nullptr);

    /// Require a JSON object (a command's data, an event's metadata). Default: any value.
    void setRequireObject(bool require);
    /// Accept an empty text (meaning "nothing", e.g. no metadata). Default: not accepted.
    void setAllowEmpty(bool allow);
    /// Name used in messages, e.g. "data" or "metadata".
    void setSubject(const QString& subject);

    QString text() const;
    void setText(const QString& text);
    bool isValid() const { return m_error.isEmpty(); }
    /// Why the text is not valid ("" when it is), e.g. "data: line 2, column 7: ...".
    QString errorText() const { return m_error; }
    /// The parsed value (null when invalid or empty).
    const nlohmann::json& value() const { return m_value; }
    QPlainTextEdit* editor() const { return m_edit; }

    /// Line and column (1-based, columns in characters) of the byte at `offset` of `utf8`.
    static std::pair<int, int> lineAndColumn(const QByteArray& utf8, qsizetype offset);

Q_SIGNALS:
    void validityChanged(bool valid);
    void edited();

private:
    void validate();
    void mark(int line);

    QPlainTextEdit* m_edit;
    QLabel* m_status;
    QString m_subject;
    QString m_error;
    nlohmann::json m_value;
    bool m_requireObject = false;
    bool m_allowEmpty = false;
};

} // namespace chronoscope
