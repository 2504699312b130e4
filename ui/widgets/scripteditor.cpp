#include "widgets/scripteditor.h"

#include "base/style.h"

#include <QFontDatabase>
#include <QPaintEvent>
#include <QPainter>
#include <QTextBlock>

namespace chronoscope {

/// The margin left of the text; it asks the editor to paint it.
class ScriptEditor::Margin : public QWidget {
public:
    explicit Margin(ScriptEditor* editor)
        : QWidget(editor)
        , m_editor(editor)
    {
    }
    QSize sizeHint() const override { return {m_editor->lineNumberWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent* event) override { m_editor->paintMargin(event); }

private:
    ScriptEditor* m_editor;
};

ScriptEditor::ScriptEditor(QWidget* parent)
    : QPlainTextEdit(parent)
    , m_margin(new Margin(this))
{
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setFont(mono);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabStopDistance(QFontMetricsF(mono).horizontalAdvance(QLatin1Char(' ')) * 4);
    connect(this, &QPlainTextEdit::blockCountChanged, this, &ScriptEditor::updateMarginWidth);
    connect(this, &QPlainTextEdit::updateRequest, this, &ScriptEditor::updateMargin);
    updateMarginWidth();
}

int ScriptEditor::lineNumberWidth() const
{
    int digits = 1;
    for (int n = std::max(1, blockCount()); n >= 10; n /= 10)
        ++digits;
    return 10 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * std::max(2, digits);
}

void ScriptEditor::updateMarginWidth()
{
    setViewportMargins(lineNumberWidth(), 0, 0, 0);
}

void ScriptEditor::updateMargin(const QRect& rect, int dy)
{
    if (dy != 0)
        m_margin->scroll(0, dy);
    else
        m_margin->update(0, rect.y(), m_margin->width(), rect.height());
}

void ScriptEditor::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect area = contentsRect();
    m_margin->setGeometry(QRect(area.left(), area.top(), lineNumberWidth(), area.height()));
}

void ScriptEditor::paintMargin(QPaintEvent* event)
{
    QPainter painter(m_margin);
    painter.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    int bottom = top + qRound(blockBoundingRect(block).height());
    const int current = textCursor().blockNumber();
    while (block.isValid() && top <= event->rect().bottom()) {
        if (block.isVisible() && bottom >= event->rect().top()) {
            const int line = block.blockNumber() + 1;
            QFont font = this->font();
            font.setBold(line == m_errorLine || block.blockNumber() == current);
            painter.setFont(font);
            painter.setPen(line == m_errorLine ? style::colour(style::Colour::FailureText)
                                               : palette().color(QPalette::PlaceholderText));
            painter.drawText(
                0, top, m_margin->width() - 5, fontMetrics().height(), Qt::AlignRight, QString::number(line));
        }
        block = block.next();
        top = bottom;
        bottom = top + qRound(blockBoundingRect(block).height());
    }
}

void ScriptEditor::setErrorLine(int line)
{
    m_errorLine = line;
    QList<QTextEdit::ExtraSelection> selections;
    const QTextBlock block = document()->findBlockByNumber(line - 1);
    if (line > 0 && block.isValid()) {
        QTextEdit::ExtraSelection selection;
        selection.format.setBackground(style::colour(style::Colour::ErrorLine));
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selection.cursor = QTextCursor(block);
        selections.append(selection);
        setTextCursor(QTextCursor(block));
        centerCursor();
    }
    setExtraSelections(selections);
    m_margin->update();
}

} // namespace chronoscope
