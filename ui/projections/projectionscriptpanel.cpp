#include "projections/projectionscriptpanel.h"

#include "base/errors.h"
#include "base/style.h"
#include "projections/projectionlistmodel.h"
#include "projections/projectionset.h"
#include "widgets/scripteditor.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QRegularExpression>
#include <QShortcut>
#include <QToolButton>
#include <QVBoxLayout>

namespace chronoscope {

namespace {
const char* const kTemplate = R"(// A projection folds events into a read model, in the EventStoreDB style:
// fromAll() / fromCategory('cart') / fromStream('cart-1'), then .when({ ... }).
// e: eventType, data, metadata, streamId, category, version, position, timestamp, eventId.
fromAll()
    .when({
        $init: function () { return {}; },
        $any: function (state, e) {
            state[e.eventType] = (state[e.eventType] || 0) + 1;
        }
    })
    .outputState();
)";

// The script's line in a message "NAME:LINE: ..." where NAME matches a pattern (0: none).
int lineIn(const QString& message, const QString& namePattern)
{
    if (namePattern.isEmpty())
        return 0;
    const QRegularExpression where(QStringLiteral("(?:^|[\\s(/])%1:(\\d+)").arg(namePattern));
    const auto match = where.match(message);
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}
} // namespace

ProjectionScriptPanel::ProjectionScriptPanel(ProjectionSet* set, QWidget* parent)
    : QWidget(parent)
    , m_set(set)
    , m_editor(new ScriptEditor)
    , m_new(new QPushButton(tr("New")))
    , m_open(new QPushButton(tr("Open .js\u2026")))
    , m_samples(new QToolButton)
    , m_run(new QPushButton(tr("Run")))
    , m_rebuild(new QPushButton(tr("Rebuild")))
    , m_status(new QLabel)
{
    m_samples->setText(tr("Samples"));
    m_samples->setPopupMode(QToolButton::InstantPopup);
    auto* samples = new QMenu(m_samples);
    const auto files = QDir(QStringLiteral(":/projections"))
                           .entryInfoList({QStringLiteral("*.js")}, QDir::Files, QDir::Name);
    for (const QFileInfo& file : files) {
        samples->addAction(file.fileName(), this, [this, path = file.filePath(), name = file.fileName()] {
            QFile f(path);
            if (f.open(QIODevice::ReadOnly))
                setSource(QString::fromUtf8(f.readAll()), name);
        });
    }
    m_samples->setMenu(samples);
    m_samples->setEnabled(!files.isEmpty());
    m_run->setDefault(true);
    // Within the panel only: the reducer editor has its own Ctrl+Return (two window-wide shortcuts
    // on one key are ambiguous and neither fires).
    auto* runKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    runKey->setWhatsThis(tr("Run the script"));
    runKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(runKey, &QShortcut::activated, m_run, &QPushButton::click);
    m_run->setToolTip(tr("Compile the script and run it over the whole log (Ctrl+Return)"));
    m_rebuild->setToolTip(tr("Run this projection again from position 1"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_new);
    buttons->addWidget(m_open);
    buttons->addWidget(m_samples);
    buttons->addStretch(1);
    buttons->addWidget(m_rebuild);
    buttons->addWidget(m_run);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_status);

    connect(m_new, &QPushButton::clicked, this, [this] { setSource(QString::fromUtf8(kTemplate)); });
    connect(m_open, &QPushButton::clicked, this, &ProjectionScriptPanel::openFile);
    connect(m_run, &QPushButton::clicked, this, [this] { run(); });
    connect(m_rebuild, &QPushButton::clicked, this, [this] {
        if (!m_target.isEmpty())
            m_set->rebuild(m_target);
    });
    connect(m_set, &ProjectionSet::statusChanged, this, &ProjectionScriptPanel::onStatusChanged);
    connect(m_editor->document(), &QTextDocument::modificationChanged, this,
        &ProjectionScriptPanel::updateButtons);
    setSource(QString::fromUtf8(kTemplate));
}

void ProjectionScriptPanel::setSource(const QString& source, const QString& fileName)
{
    m_target.clear();
    m_fileName = fileName;
    m_shownFault.clear();
    m_editor->setPlainText(source);
    m_editor->document()->setModified(false);
    m_editor->setErrorLine(0);
    showInfo(fileName.isEmpty() ? tr("A new projection: Run adds it to the list.")
                                : tr("%1: Run adds it to the list.").arg(fileName));
    updateButtons();
}

QString ProjectionScriptPanel::source() const
{
    return m_editor->toPlainText();
}

void ProjectionScriptPanel::setSelected(const QString& name)
{
    if (name == m_target || !m_set->isScript(name))
        return;
    if (m_editor->document()->isModified())
        return; // keep the user's unsaved edits
    m_fileName = name;
    m_target = name;
    m_shownFault.clear();
    m_editor->setPlainText(m_set->scriptSource(name));
    m_editor->document()->setModified(false);
    m_editor->setErrorLine(0);
    showInfo(tr("%1: edit and Run to replace it.").arg(name));
    onStatusChanged(name);
    updateButtons();
}

QString ProjectionScriptPanel::run()
{
    m_editor->setErrorLine(0);
    m_shownFault.clear();
    QString name;
    try {
        if (!m_target.isEmpty() && m_set->isScript(m_target)) {
            m_set->replaceScript(m_target, source());
            name = m_target;
        } else {
            name = m_set->addScript(source(), m_fileName);
        }
    } catch (const StoreError& error) {
        showError(error.message());
        return {};
    }
    m_target = name;
    m_editor->document()->setModified(false);
    showInfo(m_set->store() ? tr("%1: compiled, running over the log\u2026").arg(name)
                            : tr("%1: compiled; it runs when a store is open.").arg(name));
    updateButtons();
    Q_EMIT projectionRun(name);
    return name;
}

void ProjectionScriptPanel::onStatusChanged(const QString& name)
{
    if (name != m_target)
        return;
    const int row = m_set->model()->indexOf(name);
    if (row < 0)
        return;
    const ProjectionRow& r = m_set->model()->row(row);
    if (r.fault) {
        const QString fault = r.faultText();
        if (fault != m_shownFault) {
            m_shownFault = fault;
            showError(tr("Faulted: %1").arg(fault));
        }
    } else if (!r.busy && r.status == ProjectionStatus::Running) {
        m_editor->setErrorLine(0);
        showInfo(tr("%1: running, checkpoint %2.").arg(name).arg(r.checkpoint.value));
    }
}

void ProjectionScriptPanel::showError(const QString& message)
{
    const QString name = m_target.isEmpty() ? QFileInfo(m_fileName).fileName() : m_target;
    int line = name.isEmpty() ? 0 : lineIn(message, QRegularExpression::escape(name));
    if (line == 0) // a new script's error names it by the name it would have had
        line = lineIn(message, QStringLiteral("[^:\\s/]+\\.m?js"));
    m_editor->setErrorLine(line);
    style::setTone(m_status, style::Tone::Error);
    m_status->setText(line > 0 ? tr("Line %1: %2").arg(line).arg(message) : message);
}

void ProjectionScriptPanel::showInfo(const QString& message)
{
    style::setTone(m_status, style::Tone::Plain);
    m_status->setText(message);
}

QString ProjectionScriptPanel::statusText() const
{
    return m_status->text();
}

int ProjectionScriptPanel::errorLine() const
{
    return m_editor->errorLine();
}

void ProjectionScriptPanel::openFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open JavaScript Projection"), {}, tr("JavaScript (*.js *.mjs);;All files (*)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showError(tr("Cannot read %1: %2").arg(path, file.errorString()));
        return;
    }
    setSource(QString::fromUtf8(file.readAll()), QFileInfo(path).fileName());
}

void ProjectionScriptPanel::updateButtons()
{
    m_rebuild->setEnabled(!m_target.isEmpty() && m_set->contains(m_target));
    m_run->setText(!m_target.isEmpty() && m_set->isScript(m_target) ? tr("Run (replace)") : tr("Run"));
}

} // namespace chronoscope
