#pragma once

#include <QPlainTextEdit>

namespace chronoscope {

/// A plain-text editor for scripts: monospace, no wrapping, line numbers in a margin, and one
/// line that can be marked as the line of an error (tinted, with a red number).
class ScriptEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit ScriptEditor(QWidget* parent = nullptr);

    /// Marks a 1-based line as the error's and scrolls to it; 0 clears the mark.
    void setErrorLine(int line);
    int errorLine() const { return m_errorLine; }

    /// Width of the line-number margin in pixels.
    int lineNumberWidth() const;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    class Margin;
    void paintMargin(QPaintEvent* event);
    void updateMarginWidth();
    void updateMargin(const QRect& rect, int dy);

    Margin* m_margin;
    int m_errorLine = 0;
};

} // namespace chronoscope
