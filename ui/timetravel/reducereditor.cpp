#include "timetravel/reducereditor.h"

#include "base/style.h"
#include "replay/jsreducer.h"

#include <QButtonGroup>
#include <QCryptographicHash>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSettings>
#include <QShortcut>
#include <QTextBlock>
#include <QVBoxLayout>

namespace chronoscope {

namespace {
const char* const kTemplate = R"(// evolve(state, event) returns the state after the event.
// event: {type, data, metadata, streamId, version, position, timestamp, id}
var initialState = { events: 0 };

function evolve(state, event) {
    state.events += 1;
    state.lastType = event.type;
    return state;
}
)";
} // namespace

ReducerEditor::ReducerEditor(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel)
    , m_builtin(new QRadioButton)
    , m_javaScript(new QRadioButton(tr("JavaScript")))
    , m_open(new QPushButton(tr("Open .js\u2026")))
    , m_apply(new QPushButton(tr("Apply")))
    , m_editor(new QPlainTextEdit)
    , m_cursor(new QLabel)
    , m_status(new QLabel)
{
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    auto* group = new QButtonGroup(this);
    group->addButton(m_builtin);
    group->addButton(m_javaScript);
    m_builtin->setChecked(true);
    m_apply->setDefault(true);
    m_apply->setToolTip(tr("Use this reducer for the category (Ctrl+Return)"));
    // Within the editor only: the projection script panel has its own Ctrl+Return (two window-wide
    // shortcuts on one key are ambiguous and neither fires).
    auto* applyKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    applyKey->setWhatsThis(tr("Apply the reducer"));
    applyKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(applyKey, &QShortcut::activated, m_apply, &QPushButton::click);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_editor->setFont(mono);
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setTabStopDistance(QFontMetricsF(mono).horizontalAdvance(QLatin1Char(' ')) * 4);
    m_cursor->setTextFormat(Qt::PlainText);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* choice = new QHBoxLayout;
    choice->addWidget(m_builtin);
    choice->addWidget(m_javaScript);
    choice->addStretch(1);
    choice->addWidget(m_open);
    choice->addWidget(m_apply);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_title);
    layout->addLayout(choice);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_cursor);
    layout->addWidget(m_status);

    connect(m_javaScript, &QRadioButton::toggled, this, &ReducerEditor::updateEnabled);
    connect(m_apply, &QPushButton::clicked, this, &ReducerEditor::apply);
    connect(m_open, &QPushButton::clicked, this, [this] {
        const QString dir = m_fileName.isEmpty() ? QFileInfo(m_storePath).absolutePath()
                                                 : QFileInfo(m_fileName).absolutePath();
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open JavaScript Reducer"), dir, tr("JavaScript (*.js *.mjs);;All files (*)"));
        if (!path.isEmpty())
            openFile(path);
    });
    connect(m_editor, &QPlainTextEdit::cursorPositionChanged, this, [this] {
        const QTextCursor cursor = m_editor->textCursor();
        m_cursor->setText(
            tr("Line %1, column %2").arg(cursor.blockNumber() + 1).arg(cursor.positionInBlock() + 1));
    });
    setCategory({}, {});
}

void ReducerEditor::setStorePath(const QString& path)
{
    m_storePath = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
}

QString ReducerEditor::settingsGroup(const QString& category) const
{
    const QByteArray hash
        = QCryptographicHash::hash(m_storePath.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
    return QStringLiteral("reducers/%1/%2")
        .arg(QString::fromLatin1(hash), category.isEmpty() ? QStringLiteral("_") : category);
}

void ReducerEditor::setCategory(const QString& category, const QString& builtinName)
{
    m_category = category;
    clearError();
    m_builtin->setText(builtinName.isEmpty() ? tr("Built-in") : tr("Built-in: %1").arg(builtinName));
    m_title->setText(builtinName.isEmpty() ? tr("Select a stream to choose the reducer of its category.")
                                           : tr("Reducer for category \u201c%1\u201d").arg(category));
    QString source = QString::fromUtf8(kTemplate);
    QString file;
    bool javaScript = false;
    if (!m_storePath.isEmpty() && !builtinName.isEmpty()) {
        QSettings settings;
        settings.beginGroup(settingsGroup(category));
        javaScript = settings.value(QStringLiteral("mode")).toString() == QStringLiteral("javascript");
        if (settings.contains(QStringLiteral("source"))) {
            source = settings.value(QStringLiteral("source")).toString();
            file = settings.value(QStringLiteral("path")).toString();
        }
    }
    setSource(source, file);
    setUseJavaScript(javaScript);
    m_status->setText(javaScript ? tr("In force: %1").arg(scriptName()) : QString());
    setEnabled(!builtinName.isEmpty());
}

std::shared_ptr<const Reducer> ReducerEditor::rememberedReducer(const QString& category)
{
    if (m_storePath.isEmpty())
        return nullptr;
    QSettings settings;
    settings.beginGroup(settingsGroup(category));
    if (settings.value(QStringLiteral("mode")).toString() != QStringLiteral("javascript"))
        return nullptr;
    const QString path = settings.value(QStringLiteral("path")).toString();
    const QString name = path.isEmpty() ? QStringLiteral("%1-reducer.js").arg(category) : path;
    try {
        return JsReducer::fromSource(settings.value(QStringLiteral("source")).toString(), name);
    } catch (const StoreError& error) {
        if (category == m_category)
            showError(error.message());
        return nullptr;
    }
}

void ReducerEditor::setUseJavaScript(bool on)
{
    (on ? m_javaScript : m_builtin)->setChecked(true);
    updateEnabled();
}

bool ReducerEditor::usesJavaScript() const
{
    return m_javaScript->isChecked();
}

void ReducerEditor::setSource(const QString& source, const QString& fileName)
{
    m_fileName = fileName;
    m_editor->setPlainText(source);
    clearError();
}

QString ReducerEditor::source() const
{
    return m_editor->toPlainText();
}

bool ReducerEditor::openFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showError(tr("Cannot read %1: %2").arg(path, file.errorString()));
        return false;
    }
    setSource(QString::fromUtf8(file.readAll()), QFileInfo(path).absoluteFilePath());
    setUseJavaScript(true);
    m_status->setText(tr("Opened %1. Press Apply to use it.").arg(path));
    return true;
}

QString ReducerEditor::scriptName() const
{
    return m_fileName.isEmpty()
        ? QStringLiteral("%1-reducer.js").arg(m_category.isEmpty() ? QStringLiteral("stream") : m_category)
        : m_fileName;
}

void ReducerEditor::apply()
{
    clearError();
    if (!usesJavaScript()) {
        remember(false);
        m_status->setText(tr("Using the built-in reducer."));
        Q_EMIT builtinRequested(m_category);
        return;
    }
    std::shared_ptr<const Reducer> reducer;
    try {
        reducer = JsReducer::fromSource(source(), scriptName());
    } catch (const StoreError& error) {
        showError(error.message()); // the previous reducer stays in force
        return;
    }
    m_status->setText(tr("Compiled; replaying the stream with it\u2026"));
    Q_EMIT applyRequested(m_category, reducer);
}

void ReducerEditor::accepted(const QString& reducerName)
{
    clearError();
    if (usesJavaScript())
        remember(true);
    m_status->setText(tr("In force: %1").arg(reducerName));
}

void ReducerEditor::remember(bool javaScript)
{
    if (m_storePath.isEmpty())
        return;
    QSettings settings;
    settings.beginGroup(settingsGroup(m_category));
    settings.setValue(
        QStringLiteral("mode"), javaScript ? QStringLiteral("javascript") : QStringLiteral("builtin"));
    if (javaScript) {
        settings.setValue(QStringLiteral("path"), m_fileName);
        settings.setValue(QStringLiteral("source"), source());
    }
}

void ReducerEditor::showError(const QString& message)
{
    style::setTone(m_status, style::Tone::Error);
    m_hasError = true;
    m_errorLine = 0;
    const QRegularExpression where(
        QStringLiteral("^%1:(\\d+):").arg(QRegularExpression::escape(scriptName())));
    if (const auto match = where.match(message); match.hasMatch())
        m_errorLine = match.captured(1).toInt();
    m_status->setText(m_errorLine > 0
            ? tr("Line %1: %2\nThe previous reducer stays in force.").arg(m_errorLine).arg(message)
            : tr("%1\nThe previous reducer stays in force.").arg(message));
    QList<QTextEdit::ExtraSelection> selections;
    const QTextBlock block = m_editor->document()->findBlockByNumber(m_errorLine - 1);
    if (m_errorLine > 0 && block.isValid()) {
        QTextEdit::ExtraSelection selection;
        selection.format.setBackground(style::colour(style::Colour::ErrorLine));
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selection.cursor = QTextCursor(block);
        selections.append(selection);
        m_editor->setTextCursor(QTextCursor(block));
        m_editor->centerCursor();
    }
    m_editor->setExtraSelections(selections);
}

QString ReducerEditor::errorText() const
{
    return m_hasError ? m_status->text() : QString();
}

void ReducerEditor::clearError()
{
    m_errorLine = 0;
    m_hasError = false;
    style::setTone(m_status, style::Tone::Plain);
    m_status->clear();
    m_editor->setExtraSelections({});
}

void ReducerEditor::updateEnabled()
{
    m_editor->setReadOnly(!usesJavaScript());
    m_editor->setEnabled(usesJavaScript());
}

} // namespace chronoscope
