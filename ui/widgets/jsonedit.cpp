#include "widgets/jsonedit.h"

#include "base/style.h"
#include "json/jsondepth.h"
#include "json/jsonerror.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QVBoxLayout>

namespace chronoscope {

JsonEdit::JsonEdit(QWidget* parent)
    : QWidget(parent)
    , m_edit(new QPlainTextEdit)
    , m_status(new QLabel)
    , m_subject(tr("JSON"))
{
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setTabChangesFocus(true);
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_status);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        validate();
        Q_EMIT edited();
    });
    validate();
}

void JsonEdit::setRequireObject(bool require)
{
    m_requireObject = require;
    validate();
}

void JsonEdit::setAllowEmpty(bool allow)
{
    m_allowEmpty = allow;
    validate();
}

void JsonEdit::setSubject(const QString& subject)
{
    m_subject = subject;
    validate();
}

QString JsonEdit::text() const
{
    return m_edit->toPlainText();
}

void JsonEdit::setText(const QString& text)
{
    m_edit->setPlainText(text);
}

std::pair<int, int> JsonEdit::lineAndColumn(const QByteArray& utf8, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, utf8.size());
    int line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (utf8[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    // Columns count characters, not bytes.
    const int column = int(QString::fromUtf8(utf8.mid(lineStart, offset - lineStart)).size()) + 1;
    return {line, column};
}

void JsonEdit::validate()
{
    const QByteArray utf8 = m_edit->toPlainText().toUtf8();
    QString error;
    int errorLine = 0;
    m_value = nullptr;
    if (utf8.trimmed().isEmpty()) {
        if (!m_allowEmpty)
            error = tr("%1: empty; write a JSON %2")
                        .arg(m_subject, m_requireObject ? tr("object, e.g. {}") : tr("value"));
    } else if (const auto tooDeep
        = jsondepth::tooDeepAt(std::string_view(utf8.constData(), std::size_t(utf8.size())))) {
        error = jsondepth::message(m_subject, *tooDeep);
        errorLine = lineAndColumn(utf8, qsizetype(*tooDeep)).first;
    } else {
        try {
            m_value = nlohmann::json::parse(utf8.constBegin(), utf8.constEnd());
            if (m_requireObject && !m_value.is_object()) {
                error = tr("%1: must be a JSON object ({...}), not %2")
                            .arg(m_subject, QLatin1String(m_value.type_name()));
                m_value = nullptr;
            }
        } catch (const nlohmann::json::exception& e) {
            // A number past a double's range (out_of_range) has no byte: only the words.
            if (const auto at = jsonerror::byte(e)) {
                // The byte is 1-based and points just past the offending character.
                const auto [line, column] = lineAndColumn(utf8, qsizetype(*at) - 1);
                errorLine = line;
                QString what = QString::fromUtf8(e.what());
                // "[json.exception.parse_error.101] parse error at line 2, column 7: syntax error ..."
                const auto colon = what.indexOf(QStringLiteral(": "), what.indexOf(QStringLiteral("column")));
                if (colon >= 0)
                    what = what.mid(colon + 2);
                error = tr("%1: line %2, column %3: %4").arg(m_subject).arg(line).arg(column).arg(what);
            } else {
                error = tr("%1: %2").arg(m_subject, jsonerror::text(e));
            }
        }
    }
    mark(errorLine);
    const bool wasValid = m_error.isEmpty();
    m_error = error;
    m_status->setText(error.isEmpty() ? tr("\u2713 valid JSON") : error);
    m_status->setStyleSheet(
        style::textColour(error.isEmpty() ? style::Colour::SuccessText : style::Colour::FailureText));
    if (wasValid != error.isEmpty())
        Q_EMIT validityChanged(error.isEmpty());
}

void JsonEdit::mark(int line)
{
    QList<QTextEdit::ExtraSelection> marks;
    if (line > 0) {
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(m_edit->document()->findBlockByNumber(line - 1));
        mark.format.setBackground(style::colour(style::Colour::InvalidLine));
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        marks.append(mark);
    }
    m_edit->setExtraSelections(marks);
}

} // namespace chronoscope
