#include "race/racepanel.h"

#include "base/style.h"
#include "bus/commandtemplate.h"
#include "bus/publisher.h"
#include "race/sequencediagram.h"
#include "widgets/jsonedit.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

namespace chronoscope {

using json = nlohmann::json;
using race::AppendMode;
using race::Writer;

namespace {

const QString NewCart = QStringLiteral("new");

/// The commands the writers start with: A puts an item in the cart while B confirms it, so the
/// last write wins loses A's item from the confirmation.
json defaultCommand(Writer writer)
{
    if (writer == Writer::A)
        return {{"type", "AddItem"},
            {"data", {{"sku", "RACE01"}, {"name", "Race day mug"}, {"quantity", 1}, {"unitPrice", 1500}}}};
    return {{"type", "ConfirmCart"}, {"data", json::object()}};
}

} // namespace

RacePanel::RacePanel(QWidget* parent)
    : QWidget(parent)
    , m_stream(new QComboBox)
    , m_newCart(new QPushButton(tr("New cart")))
    , m_reset(new QPushButton(tr("Reset race")))
    , m_mode(new QComboBox)
    , m_status(new QLabel)
    , m_diagram(new SequenceDiagram)
    , m_scroll(new QScrollArea)
{
    setObjectName(QStringLiteral("racePanel"));
    m_stream->setObjectName(QStringLiteral("raceStream"));
    m_stream->setEditable(true);
    m_stream->setInsertPolicy(QComboBox::NoInsert);
    m_stream->setMinimumContentsLength(14);
    m_stream->lineEdit()->setPlaceholderText(tr("a cart, e.g. cart-7"));
    m_stream->setToolTip(tr("The aggregate both writers load and append to (a stream of the sample shop)"));
    m_newCart->setObjectName(QStringLiteral("raceNewCart"));
    m_reset->setObjectName(QStringLiteral("raceReset"));
    m_reset->setToolTip(tr("Forget the steps and what the writers loaded (the events stay stored)"));
    m_mode->setObjectName(QStringLiteral("raceMode"));
    m_mode->addItem(tr("Expected version"), int(AppendMode::Exact));
    m_mode->addItem(tr("Last write wins (any)"), int(AppendMode::Any));
    m_mode->setToolTip(
        tr("Expected version: the append fails with WrongExpectedVersion when the stream moved on "
           "since the writer loaded it. Any: it is stored anyway, and what it did not see is lost."));
    m_status->setObjectName(QStringLiteral("raceStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_status->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::MinimumExpanding);

    auto* streamRow = new QHBoxLayout;
    auto* streamLabel = new QLabel(tr("&Stream:"));
    streamLabel->setBuddy(m_stream);
    streamRow->addWidget(streamLabel);
    streamRow->addWidget(m_stream, 1);
    streamRow->addWidget(m_newCart);
    streamRow->addWidget(m_reset);
    auto* writers = new QHBoxLayout;
    writers->addWidget(makeWriter(Writer::A));
    writers->addWidget(makeWriter(Writer::B));
    auto* modeRow = new QHBoxLayout;
    auto* modeLabel = new QLabel(tr("&Appends expect:"));
    modeLabel->setBuddy(m_mode);
    modeRow->addWidget(modeLabel);
    modeRow->addWidget(m_mode);
    modeRow->addStretch(1);
    auto* controls = new QVBoxLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    controls->addLayout(streamRow);
    controls->addLayout(writers);
    controls->addLayout(modeRow);
    controls->addWidget(m_status, 1);
    auto* left = new QWidget;
    left->setLayout(controls);
    left->setMinimumWidth(470);
    left->setMaximumWidth(640);

    m_scroll->setObjectName(QStringLiteral("raceDiagramScroll"));
    m_scroll->setWidget(m_diagram);
    m_scroll->setWidgetResizable(true);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(left, 2);
    layout->addWidget(m_scroll, 3);

    connect(m_newCart, &QPushButton::clicked, this, &RacePanel::startNewCart);
    connect(m_reset, &QPushButton::clicked, this, &RacePanel::resetRace);
    connect(m_stream, &QComboBox::activated, this, [this] { applyStream(); });
    connect(m_stream->lineEdit(), &QLineEdit::editingFinished, this, [this] {
        if (!m_stream->currentText().trimmed().isEmpty())
            applyStream();
    });
    updateButtons();
    say(tr("Open a writable store, pick a cart (or press New cart), then step the writers: A loads, B loads, "
           "A appends, B appends…"));
}

RacePanel::~RacePanel() = default;

QWidget* RacePanel::makeWriter(Writer writer)
{
    const QString name = race::writerName(writer);
    WriterWidgets& w = m_writers[index(writer)];
    auto* box = new QGroupBox(tr("Writer %1").arg(name));
    box->setObjectName(QStringLiteral("raceWriter%1").arg(name));
    w.type = new QComboBox;
    w.type->setObjectName(QStringLiteral("raceType%1").arg(name));
    w.type->setToolTip(tr("The command %1 wants to run on what it loaded").arg(name));
    w.data = new JsonEdit;
    w.data->setObjectName(QStringLiteral("raceData%1").arg(name));
    w.data->setRequireObject(true);
    w.data->setSubject(tr("%1's data").arg(name));
    w.data->editor()->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    w.data->editor()->setFixedHeight(w.data->editor()->fontMetrics().lineSpacing() * 3 + 10);
    w.load = new QPushButton(tr("%1 loads").arg(name));
    w.load->setObjectName(QStringLiteral("raceLoad%1").arg(name));
    w.append = new QPushButton(tr("%1 appends").arg(name));
    w.append->setObjectName(QStringLiteral("raceAppend%1").arg(name));
    w.retry = new QPushButton(tr("Retry"));
    w.retry->setObjectName(QStringLiteral("raceRetry%1").arg(name));
    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    buttons->addWidget(w.load);
    buttons->addWidget(w.append);
    buttons->addWidget(w.retry);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(3);
    layout->addWidget(w.type);
    layout->addWidget(w.data);
    layout->addLayout(buttons);
    fillTypes(writer);
    const json command = defaultCommand(writer);
    w.type->setCurrentIndex(w.type->findText(QString::fromStdString(command["type"].get<std::string>())));
    w.data->setText(QString::fromStdString(command["data"].dump()));
    connect(w.type, &QComboBox::activated, this, [this, writer] {
        const auto* spec = sample::findCommandSpec(typeBox(writer)->currentText());
        if (spec)
            dataEdit(writer)->setText(QString::fromStdString(commandTemplate(*spec).dump()));
    });
    connect(w.load, &QPushButton::clicked, this, [this, writer] { load(writer); });
    connect(w.append, &QPushButton::clicked, this, [this, writer] { append(writer); });
    connect(w.retry, &QPushButton::clicked, this, [this, writer] { retry(writer); });
    return box;
}

void RacePanel::fillTypes(Writer writer)
{
    QComboBox* box = typeBox(writer);
    const auto aggregate = sample::aggregateOf(StreamId(m_stream->currentText().trimmed()));
    const QString current = box->currentText();
    box->clear();
    for (const auto& spec : sample::commandSpecs())
        if (spec.aggregate == aggregate.value_or(sample::Aggregate::Cart))
            box->addItem(spec.type);
    if (box->findText(current) >= 0)
        box->setCurrentIndex(box->findText(current));
}

void RacePanel::setStore(std::shared_ptr<EventStore> store, Publisher* publisher, const QString& why)
{
    m_race.reset();
    m_store = std::move(store);
    m_publisher = publisher;
    m_why = why;
    if (m_store && publisher) {
        m_race = std::make_unique<race::RaceSimulator>(*m_store,
            [this](const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected) {
                if (!m_publisher)
                    throw StoreError(tr("the bus of this store has stopped: open the store again"));
                return race::appendThrough(*m_publisher)(stream, events, expected);
            });
    }
    fillStreams();
    showSteps();
    updateButtons();
    if (m_race)
        say(tr("Pick a cart (or press New cart), then step the writers: A loads, B loads, A appends, B "
               "appends…"));
    else
        say(m_why.isEmpty() ? tr("Open a writable store to race two writers on it.") : m_why);
}

void RacePanel::fillStreams()
{
    const QString text = m_stream->currentText();
    m_stream->clear();
    if (!m_store)
        return;
    try {
        StreamQuery query;
        query.category = QStringLiteral("cart");
        query.sort = StreamQuery::Sort::LastEvent;
        query.descending = true;
        for (const StreamInfo& info : m_store->streamPage(query, std::nullopt, 300))
            m_stream->addItem(info.stream.toString());
        m_stream->setCurrentIndex(-1);
        m_stream->setEditText(
            m_race && !text.isEmpty() && m_store->streamInfo(StreamId(text)) ? text : QString());
    } catch (const StoreError& e) {
        say(e.message(), true);
    }
}

bool RacePanel::applyStream()
{
    if (!m_race)
        return false;
    const QString text = m_stream->currentText().trimmed();
    if (text.isEmpty()) {
        say(tr("Pick a stream first (a cart such as cart-7), or press New cart."), true);
        return false;
    }
    if (StreamId(text) == m_race->stream())
        return true;
    try {
        m_race->setStream(StreamId(text));
    } catch (const StoreError& e) {
        say(e.message(), true);
        return false;
    }
    fillTypes(Writer::A);
    fillTypes(Writer::B);
    showSteps();
    updateButtons();
    say(tr("Racing on %1. Let A and B load it.").arg(text));
    Q_EMIT raceStreamChanged(StreamId(text));
    return true;
}

bool RacePanel::applyCommand(Writer writer)
{
    JsonEdit* data = dataEdit(writer);
    if (!data->isValid()) {
        say(data->errorText(), true);
        return false;
    }
    try {
        m_race->setCommand(
            writer, {{"type", typeBox(writer)->currentText().toStdString()}, {"data", data->value()}});
    } catch (const StoreError& e) {
        say(e.message(), true);
        return false;
    }
    return true;
}

void RacePanel::run(const std::function<race::RaceStep()>& step)
{
    try {
        const race::RaceStep done = step();
        showSteps();
        say(done.message, false);
    } catch (const StoreError& e) {
        say(e.message(), true);
    } catch (const std::exception& e) {
        say(errorText(e), true);
    }
    updateButtons();
    Q_EMIT stepTaken();
}

void RacePanel::load(Writer writer)
{
    if (!m_race || !applyStream())
        return;
    run([this, writer] { return m_race->load(writer); });
}

void RacePanel::append(Writer writer)
{
    if (!m_race || !applyStream() || !applyCommand(writer))
        return;
    const auto mode = AppendMode(m_mode->currentData().toInt());
    run([this, writer, mode] { return m_race->append(writer, mode); });
}

void RacePanel::retry(Writer writer)
{
    if (!m_race || !applyStream() || !applyCommand(writer))
        return;
    run([this, writer] { return m_race->retry(writer); });
}

void RacePanel::startNewCart()
{
    newCart();
}

QString RacePanel::newCart()
{
    if (!m_race)
        return m_why;
    QString error;
    try {
        const StreamId stream = m_race->startFreshCart();
        m_stream->insertItem(0, stream.toString());
        m_stream->setCurrentIndex(0);
        fillTypes(Writer::A);
        fillTypes(Writer::B);
        showSteps();
        say(tr("Opened %1 (CartOpened, ItemAdded: version 2). Let A and B load it.").arg(stream.toString()));
        Q_EMIT raceStreamChanged(stream);
    } catch (const StoreError& e) {
        error = e.message();
        say(error, true);
    }
    updateButtons();
    Q_EMIT stepTaken();
    return error;
}

void RacePanel::resetRace()
{
    if (!m_race)
        return;
    m_race->reset();
    m_mode->setCurrentIndex(m_mode->findData(int(AppendMode::Exact))); // each race starts safe
    showSteps();
    updateButtons();
    say(tr("The race starts again; the events already appended stay in the store."));
    Q_EMIT stepTaken();
}

QString RacePanel::setStream(const QString& stream)
{
    if (!m_race)
        return m_why.isEmpty() ? tr("no writable store is open") : m_why;
    if (stream == NewCart)
        return newCart();
    m_stream->setEditText(stream);
    return applyStream() ? QString() : statusText();
}

QString RacePanel::setCommand(Writer writer, const json& command)
{
    if (!command.is_object() || !command.contains("type") || !command["type"].is_string())
        return tr("a command needs a \"type\" (e.g. \"AddItem\") and a \"data\" object");
    const QString type = QString::fromStdString(command["type"].get<std::string>());
    const int at = typeBox(writer)->findText(type);
    if (at < 0)
        return sample::findCommandSpec(type) ? tr("'%1' is not a command of the race's stream").arg(type)
                                             : tr("unknown command type '%1'").arg(type);
    const json data = command.value("data", json::object());
    if (!data.is_object())
        return tr("\"data\" must be a JSON object");
    typeBox(writer)->setCurrentIndex(at);
    dataEdit(writer)->setText(QString::fromStdString(data.dump()));
    if (m_race && !m_race->stream().isEmpty() && !applyCommand(writer))
        return statusText();
    return {};
}

json RacePanel::facts() const
{
    json facts = m_race ? m_race->facts() : race::raceFacts({}, StreamId());
    facts["writable"] = m_race != nullptr;
    return facts;
}

QString RacePanel::statusText() const
{
    return m_status->text();
}

void RacePanel::showSteps()
{
    m_diagram->setSteps(m_race ? m_race->steps() : std::vector<race::RaceStep> {},
        m_race ? m_race->stream().toString() : QString());
    // The newest step in view, once the scroll area has laid the taller diagram out.
    QTimer::singleShot(0, m_scroll, [scroll = m_scroll] {
        scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
    });
}

void RacePanel::say(const QString& text, bool error)
{
    m_status->setText(text);
    style::setTone(m_status, error ? style::Tone::Error : style::Tone::Plain);
}

void RacePanel::updateButtons()
{
    const bool on = m_race != nullptr;
    const QString off = m_why.isEmpty() ? tr("Open a writable store to race on it") : m_why;
    for (QPushButton* b : {m_newCart, m_reset}) {
        b->setEnabled(on);
        b->setToolTip(on ? QString() : off);
    }
    if (on)
        m_newCart->setToolTip(tr("Open a new cart (OpenCart + AddItem on cart-race-N) and race on it"));
    m_stream->setEnabled(on);
    for (Writer writer : {Writer::A, Writer::B}) {
        const QString name = race::writerName(writer);
        const WriterWidgets& w = m_writers[index(writer)];
        w.load->setEnabled(on);
        w.load->setToolTip(on ? tr("%1 reads the stream and folds its state").arg(name) : off);
        const bool loaded = on && m_race->hasLoaded(writer);
        w.append->setEnabled(loaded);
        w.append->setToolTip(!on ? off
                : loaded         ? tr("%1 decides on the state it loaded and appends").arg(name)
                                 : tr("%1 has to load first").arg(name));
        const bool conflict = on && m_race->lastWasConflict(writer);
        w.retry->setEnabled(conflict);
        w.retry->setToolTip(!on ? off
                : conflict      ? tr("Reload, decide again and append with the version just read")
                                : tr("For a writer whose append was refused with WrongExpectedVersion"));
    }
}

} // namespace chronoscope
