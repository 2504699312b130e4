#include "bus/publishdialog.h"

#include "bus/bustrace.h"
#include "bus/commandtemplate.h"
#include "bus/outcomemessage.h"
#include "schema/schemaregistry.h"
#include "widgets/jsonedit.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStringListModel>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace chronoscope {

namespace {

/// One of the events the command itself stored (not one a reaction stored after it).
bool isOwnEvent(const PublishOutcome& outcome, Position position)
{
    return std::any_of(outcome.events.begin(), outcome.events.end(),
        [&](const RecordedEvent& e) { return e.position == position; });
}

/// Streams offered for completion; a store with more still accepts any typed id.
constexpr qsizetype MaxListedStreams = 20000;

} // namespace

PublishDialog::PublishDialog(Publisher& publisher, QWidget* parent)
    : QDialog(parent)
    , m_publisher(publisher)
    , m_stream(new QComboBox)
    , m_streams(new QStringListModel(this))
    , m_streamInfo(new QLabel)
    , m_modes(new QTabWidget)
    , m_command(new QComboBox)
    , m_commandHelp(new QLabel)
    , m_commandData(new JsonEdit)
    , m_eventType(new QLineEdit)
    , m_eventData(new JsonEdit)
    , m_eventMetadata(new JsonEdit)
    , m_expected(new QComboBox)
    , m_version(new QSpinBox)
    , m_result(new QLabel)
    , m_hint(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close))
    , m_publishButton(new QPushButton(tr("&Publish")))
{
    setWindowTitle(tr("Publish"));
    setObjectName(QStringLiteral("publishDialog"));

    m_stream->setEditable(true);
    m_stream->setInsertPolicy(QComboBox::NoInsert);
    m_stream->setModel(m_streams);
    m_stream->setMinimumWidth(260);
    m_stream->lineEdit()->setPlaceholderText(tr("stream id, e.g. cart-1"));
    auto* completer = new QCompleter(m_streams, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setCompletionMode(QCompleter::PopupCompletion);
    m_stream->setCompleter(completer);
    connect(m_stream, &QComboBox::editTextChanged, this, &PublishDialog::onStreamEdited);
    m_streamInfo->setTextFormat(Qt::PlainText);

    m_expected->addItem(tr("Any version"), int(Expectation::Any));
    m_expected->addItem(tr("No stream (new)"), int(Expectation::NoStream));
    m_expected->addItem(tr("Stream exists"), int(Expectation::Exists));
    m_expected->addItem(tr("Exact version"), int(Expectation::Exact));
    m_expected->setToolTip(tr("Optimistic concurrency: nothing is stored unless the stream is as expected"));
    m_version->setRange(0, INT_MAX);
    m_version->setEnabled(false);
    connect(m_expected, &QComboBox::currentIndexChanged, this,
        [this] { m_version->setEnabled(m_expected->currentData().toInt() == int(Expectation::Exact)); });

    auto* commandPage = new QWidget;
    buildCommandPage(commandPage);
    auto* eventPage = new QWidget;
    buildEventPage(eventPage);
    m_modes->addTab(commandPage, tr("Domain &command"));
    m_modes->addTab(eventPage, tr("Raw &event"));
    connect(m_modes, &QTabWidget::currentChanged, this, &PublishDialog::updateState);

    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setMinimumHeight(56);
    m_result->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_result->setObjectName(QStringLiteral("publishResult"));
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color: palette(mid)"));

    m_publishButton->setDefault(true);
    m_publishButton->setToolTip(tr("Publish (Ctrl+Return)"));
    m_buttons->addButton(m_publishButton, QDialogButtonBox::ActionRole);
    connect(m_publishButton, &QPushButton::clicked, this, [this] { publish(); });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    shortcut->setWhatsThis(tr("Publish"));
    connect(shortcut, &QShortcut::activated, this, [this] {
        if (m_publishButton->isEnabled())
            publish();
    });

    auto* target = new QFormLayout;
    target->addRow(tr("&Stream:"), m_stream);
    target->addRow(QString(), m_streamInfo);
    auto* expectedRow = new QHBoxLayout;
    expectedRow->addWidget(m_expected, 1);
    expectedRow->addWidget(m_version);
    auto* expectedLabel = new QLabel(tr("E&xpected:"));
    expectedLabel->setBuddy(m_expected);
    target->addRow(expectedLabel, expectedRow);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(target);
    layout->addWidget(m_modes, 1);
    layout->addWidget(m_result);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_hint, 1);
    bottom->addWidget(m_buttons);
    layout->addLayout(bottom);
    resize(640, 620);

    reloadStreams();
    onCommandTypeChanged();
    showMessage(tr("Nothing published yet."), {}, {});
    updateState();
}

PublishDialog::~PublishDialog() = default;

void PublishDialog::buildCommandPage(QWidget* page)
{
    std::optional<sample::Aggregate> group;
    for (const auto& spec : sample::commandSpecs()) {
        if (group && *group != spec.aggregate)
            m_command->insertSeparator(m_command->count());
        group = spec.aggregate;
        m_command->addItem(spec.type, spec.type);
        m_command->setItemData(m_command->count() - 1, spec.description, Qt::ToolTipRole);
    }
    connect(m_command, &QComboBox::currentIndexChanged, this, &PublishDialog::onCommandTypeChanged);
    m_commandHelp->setWordWrap(true);
    m_commandHelp->setTextFormat(Qt::PlainText);
    m_commandData->setSubject(tr("data"));
    m_commandData->setRequireObject(true);
    connect(m_commandData, &JsonEdit::edited, this, &PublishDialog::updateState);

    auto* layout = new QFormLayout(page);
    layout->addRow(tr("&Type:"), m_command);
    layout->addRow(QString(), m_commandHelp);
    layout->addRow(tr("&Data:"), m_commandData);
}

void PublishDialog::buildEventPage(QWidget* page)
{
    QStringList types;
    try {
        for (const auto& t : m_publisher.store().typeCounts())
            types << t.type;
    } catch (const StoreError&) {
        // No completion then; typing still works.
    }
    auto* completer = new QCompleter(types, m_eventType);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_eventType->setCompleter(completer);
    m_eventType->setPlaceholderText(tr("event type, e.g. NoteAdded"));
    connect(m_eventType, &QLineEdit::textChanged, this, &PublishDialog::updateState);
    m_eventData->setSubject(tr("data"));
    m_eventData->setText(QStringLiteral("{\n  \n}"));
    m_eventMetadata->setSubject(tr("metadata"));
    m_eventMetadata->setRequireObject(true);
    m_eventMetadata->setAllowEmpty(true);
    m_eventMetadata->setText(QStringLiteral("{}"));
    m_eventMetadata->setToolTip(tr("A JSON object. correlationId and causationId are added when missing."));
    connect(m_eventData, &JsonEdit::edited, this, &PublishDialog::updateState);
    connect(m_eventMetadata, &JsonEdit::edited, this, &PublishDialog::updateState);

    auto* layout = new QFormLayout(page);
    layout->addRow(tr("&Type:"), m_eventType);
    layout->addRow(tr("&Data:"), m_eventData);
    layout->addRow(tr("&Metadata:"), m_eventMetadata);
    auto* note = new QLabel(tr("A raw event is appended as given: no rule of the domain checks it."));
    note->setWordWrap(true);
    layout->addRow(QString(), note);
}

void PublishDialog::reloadStreams()
{
    QStringList ids;
    try {
        const auto streams = m_publisher.store().streams();
        const auto count = std::min<qsizetype>(qsizetype(streams.size()), MaxListedStreams);
        ids.reserve(count);
        for (qsizetype i = 0; i < count; ++i)
            ids << streams[std::size_t(i)].stream.toString();
    } catch (const StoreError& e) {
        m_streamInfo->setText(tr("Streams could not be listed: %1").arg(e.message()));
    }
    // Resetting the list moves the combo to its first stream for a moment: unheard, or that
    // stream's aggregate would pick another command and put the data back to its template.
    const QString typed = m_stream->currentText();
    {
        const QSignalBlocker quiet(m_stream);
        m_streams->setStringList(ids);
        m_stream->setEditText(typed);
    }
    onStreamEdited();
}

void PublishDialog::setStream(const QString& stream)
{
    m_stream->setEditText(stream);
}

QString PublishDialog::stream() const
{
    return m_stream->currentText().trimmed();
}

void PublishDialog::setMode(Mode mode)
{
    m_modes->setCurrentIndex(mode == Mode::Command ? 0 : 1);
}

PublishDialog::Mode PublishDialog::mode() const
{
    return m_modes->currentIndex() == 0 ? Mode::Command : Mode::Event;
}

bool PublishDialog::setCommandType(const QString& type)
{
    const int index = m_command->findData(type);
    if (index < 0)
        return false;
    if (index == m_command->currentIndex())
        onCommandTypeChanged(); // back to the template
    else
        m_command->setCurrentIndex(index);
    return true;
}

QString PublishDialog::commandType() const
{
    return m_command->currentData().toString();
}

void PublishDialog::setExpectation(Expectation expectation, qint64 exactVersion)
{
    m_expected->setCurrentIndex(m_expected->findData(int(expectation)));
    if (exactVersion >= 0)
        m_version->setValue(int(std::min<qint64>(exactVersion, INT_MAX)));
}

ExpectedVersion PublishDialog::expectedVersion() const
{
    switch (Expectation(m_expected->currentData().toInt())) {
    case Expectation::Any:
        break;
    case Expectation::NoStream:
        return ExpectedVersion::noStream();
    case Expectation::Exists:
        return ExpectedVersion::streamExists();
    case Expectation::Exact:
        return ExpectedVersion::exact(Version(m_version->value()));
    }
    return ExpectedVersion::any();
}

void PublishDialog::onStreamEdited()
{
    refreshStreamInfo();
    m_version->setValue(int(std::min<qint64>(m_currentVersion, INT_MAX)));
    // Offer commands of the stream's aggregate.
    const auto aggregate = sample::aggregateOf(StreamId(stream()));
    const auto* spec = sample::findCommandSpec(commandType());
    if (aggregate && spec && spec->aggregate != *aggregate) {
        for (const auto& s : sample::commandSpecs())
            if (s.aggregate == *aggregate) {
                setCommandType(s.type);
                break;
            }
    }
    updateState();
}

void PublishDialog::refreshStreamInfo()
{
    const QString id = stream();
    m_currentVersion = 0;
    if (id.isEmpty()) {
        m_streamInfo->clear();
        return;
    }
    try {
        const auto info = m_publisher.store().streamInfo(StreamId(id));
        m_currentVersion = info ? info->version.value : 0;
        m_streamInfo->setText(info
                ? tr("Current version %1 (%2 events)")
                      .arg(QLocale().toString(info->version.value), QLocale().toString(info->events))
                : tr("New stream: no events yet (version 0)"));
    } catch (const StoreError& e) {
        m_streamInfo->setText(tr("Could not read the stream: %1").arg(e.message()));
    }
}

void PublishDialog::onCommandTypeChanged()
{
    const auto* spec = sample::findCommandSpec(commandType());
    if (!spec) {
        m_commandHelp->clear();
        return;
    }
    m_commandHelp->setText(tr("%1 (%2 streams). Emits %3.\n%4")
                               .arg(spec->description, sample::aggregateName(spec->aggregate),
                                   spec->emits.join(QStringLiteral(", ")), describeFields(*spec)));
    m_commandData->setText(QString::fromStdString(commandTemplate(*spec).dump(2)));
    updateState();
}

void PublishDialog::updateState()
{
    QString reason;
    if (stream().isEmpty())
        reason = tr("Type a stream id.");
    else if (mode() == Mode::Command && !m_commandData->isValid())
        reason = m_commandData->errorText();
    else if (mode() == Mode::Event && m_eventType->text().trimmed().isEmpty())
        reason = tr("Type an event type.");
    else if (mode() == Mode::Event && !m_eventData->isValid())
        reason = m_eventData->errorText();
    else if (mode() == Mode::Event && !m_eventMetadata->isValid())
        reason = m_eventMetadata->errorText();
    else if (mode() == Mode::Event && m_schemas) {
        const QString type = m_eventType->text().trimmed();
        const auto check = m_schemas->validate(type, 1, m_eventData->value());
        if (check.status == SchemaCheck::Status::Invalid) {
            QStringList failures;
            for (const auto& v : check.violations)
                failures << tr("%1: %2").arg(v.pointer.isEmpty() ? tr("(the data)") : v.pointer, v.message);
            reason = tr("The data does not match %1 \u2014 %2")
                         .arg(QFileInfo(check.schemaOrigin).fileName(), failures.join(QStringLiteral("; ")));
        }
    }
    m_blocked = reason;
    m_publishButton->setEnabled(reason.isEmpty());
    m_hint->setText(reason.isEmpty() ? tr("Ctrl+Return publishes; the dialog stays open.") : reason);
}

void PublishDialog::setSchemas(std::shared_ptr<const SchemaRegistry> schemas)
{
    m_schemas = std::move(schemas);
    updateState();
}

PublishOutcome PublishDialog::publish()
{
    updateState();
    PublishOutcome outcome;
    if (!m_blocked.isEmpty()) {
        outcome.kind = PublishOutcome::Kind::Invalid;
        outcome.error = m_blocked;
    } else if (mode() == Mode::Command) {
        nlohmann::json command = {{"type", commandType().toStdString()}, {"stream", stream().toStdString()},
            {"data", m_commandData->value()}};
        try {
            auto parsed = sample::parseCommand(command);
            if (expectedVersion().kind() != ExpectedVersion::Kind::Any)
                parsed.expectedVersion = expectedVersion();
            outcome = m_publisher.execute(std::move(parsed));
        } catch (const InvalidInput& e) {
            outcome.kind = PublishOutcome::Kind::Invalid;
            outcome.error = e.message();
            outcome.stream = StreamId(stream());
        }
    } else {
        const QByteArray data = QByteArray::fromStdString(m_eventData->value().dump());
        const QByteArray metadata = m_eventMetadata->value().is_object()
            ? QByteArray::fromStdString(m_eventMetadata->value().dump())
            : QByteArray();
        outcome = m_publisher.publishEvent(
            StreamId(stream()), m_eventType->text().trimmed(), data, metadata, expectedVersion());
    }
    m_last = outcome;
    showOutcome(outcome);
    Q_EMIT outcomeShown(outcome);
    return outcome;
}

void PublishDialog::clearOutcome()
{
    m_result->clear();
    m_resultPlain.clear();
    m_message = {};
    m_story.clear();
}

void PublishDialog::noteStoryEvents(const std::vector<BusTraceEntry>& entries)
{
    if (!m_last || !m_last->ok() || m_last->correlationId.isNull() || m_message.title.isEmpty())
        return;
    bool added = false;
    for (const BusTraceEntry& entry : entries) {
        if (entry.kind != BusTraceEntry::Kind::Published)
            continue;
        const QUuid correlation
            = entry.correlationId.isNull() ? correlationIdOf(entry.event) : entry.correlationId;
        if (correlation != m_last->correlationId)
            continue;
        if (!isOwnEvent(*m_last, entry.event.position))
            added |= m_story.emplace(entry.event.position.value, entry.event.type).second;
    }
    if (added)
        renderOutcome();
}

std::vector<QString> PublishDialog::storyTypes() const
{
    std::vector<QString> types;
    for (const auto& [position, type] : m_story)
        types.push_back(type);
    return types;
}

void PublishDialog::renderOutcome()
{
    QStringList lines = m_message.lines;
    const QString story = storyLine(storyTypes());
    if (!story.isEmpty())
        lines << story;
    showMessage(m_message.title, lines, m_message.colour);
}

void PublishDialog::showOutcome(const PublishOutcome& outcome)
{
    m_message = outcomeMessage(outcome, stream());
    m_story.clear();
    if (outcome.ok() && !outcome.correlationId.isNull()) {
        // What the reactions it triggered stored before the call returned (the synchronous ones).
        for (const RecordedEvent& event : outcome.published) {
            if (!isOwnEvent(outcome, event.position) && correlationIdOf(event) == outcome.correlationId)
                m_story.emplace(event.position.value, event.type);
        }
    }
    renderOutcome();
    if (outcome.kind == PublishOutcome::Kind::Stored) {
        // The stream moved on: show its new version and expect that one next time.
        if (!m_streams->stringList().contains(stream()))
            reloadStreams();
        refreshStreamInfo();
        m_version->setValue(int(std::min<qint64>(m_currentVersion, INT_MAX)));
    } else if (outcome.kind == PublishOutcome::Kind::Conflict) {
        refreshStreamInfo(); // show the version it is really at; the box keeps what the user chose
    }
}

void PublishDialog::showMessage(const QString& title, const QStringList& lines, const QString& colour)
{
    m_resultPlain = (QStringList {title} + lines).join(QLatin1Char('\n'));
    QString html = QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped());
    if (!lines.isEmpty()) {
        html += QStringLiteral("<ul style='margin:2px 0 0 -20px'>");
        for (const auto& line : lines)
            html += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    m_result->setText(html);
    m_result->setStyleSheet(colour.isEmpty()
            ? QStringLiteral("QLabel { padding: 6px; border: 1px solid palette(mid); }")
            : QStringLiteral("QLabel { padding: 6px; border: 1px solid %1; color: %1; }").arg(colour));
}

} // namespace chronoscope
