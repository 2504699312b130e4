#include "bus/deadletterpanel.h"

#include "base/errors.h"
#include "base/style.h"
#include "bus/deadlettermodel.h"
#include "json/jsondepth.h"
#include "widgets/jsontreemodel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

namespace chronoscope {

DeadLetterPanel::DeadLetterPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new DeadLetterModel(this))
    , m_payload(new JsonTreeModel(this))
    , m_view(new QTableView)
    , m_tree(new QTreeView)
    , m_detail(new QLabel)
    , m_status(new QLabel)
    , m_count(new QLabel)
    , m_retry(new QPushButton(tr("&Retry")))
    , m_discard(new QPushButton(tr("&Discard\u2026")))
{
    m_view->setModel(m_model);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        const QModelIndex index = m_view->indexAt(at);
        if (!index.isValid() || index.row() >= m_model->rowCount())
            return;
        const RecordedEvent event = m_model->entryAt(index.row()).event;
        QMenu menu(this);
        QAction* story
            = menu.addAction(tr("Show Story of %1 v%2").arg(event.stream.toString()).arg(event.version.value),
                this, [this, event] { Q_EMIT storyRequested(event); });
        story->setObjectName(QStringLiteral("showStoryAction"));
        menu.exec(m_view->viewport()->mapToGlobal(at));
    });
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    auto* header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    const std::initializer_list<std::pair<int, int>> widths = {
        {DeadLetterModel::IdColumn, 32},
        {DeadLetterModel::TypeColumn, 120},
        {DeadLetterModel::StreamColumn, 96},
        {DeadLetterModel::HandlerColumn, 136},
        {DeadLetterModel::ErrorColumn, 190},
        {DeadLetterModel::AttemptsColumn, 62},
        {DeadLetterModel::FirstFailureColumn, 150},
    };
    for (const auto& [column, width] : widths)
        header->resizeSection(column, width);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &DeadLetterPanel::onSelection);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &DeadLetterPanel::onSelection);

    m_tree->setModel(m_payload);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->resizeSection(JsonTreeModel::KeyColumn, 130);
    m_tree->header()->resizeSection(JsonTreeModel::ValueColumn, 220);
    m_detail->setWordWrap(true);
    m_detail->setTextFormat(Qt::PlainText);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_retry->setToolTip(tr("Deliver the event to the handler that failed, again, now"));
    m_discard->setToolTip(tr("Remove the dead letter without delivering it"));
    connect(m_retry, &QPushButton::clicked, this, [this] { retrySelected(); });
    connect(m_discard, &QPushButton::clicked, this, [this] { discardSelected(); });
    auto* refreshButton = new QPushButton(tr("Re&fresh"));
    connect(refreshButton, &QPushButton::clicked, this, &DeadLetterPanel::refresh);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_count, 1);
    buttons->addWidget(m_retry);
    buttons->addWidget(m_discard);
    buttons->addWidget(refreshButton);

    auto* inspector = new QWidget;
    auto* inspectorLayout = new QVBoxLayout(inspector);
    inspectorLayout->setContentsMargins(0, 0, 0, 0);
    inspectorLayout->addWidget(m_detail);
    inspectorLayout->addWidget(m_tree, 1);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_view);
    splitter->addWidget(inspector);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({900, 420});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(4);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);

    // New dead letters can arrive in floods: read the queue at most a few times a second.
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(200);
    connect(&m_refreshTimer, &QTimer::timeout, this, &DeadLetterPanel::refresh);
    setBus(nullptr, nullptr);
}

DeadLetterPanel::~DeadLetterPanel() = default;

void DeadLetterPanel::setBus(EventBus* bus, BusTraceRecorder* recorder)
{
    disconnect(m_connection);
    m_bus = bus;
    if (recorder)
        m_connection = connect(recorder, &BusTraceRecorder::entriesArrived, this,
            [this](const std::vector<BusTraceEntry>& entries) {
                const bool parked = std::any_of(entries.begin(), entries.end(),
                    [](const auto& e) { return e.kind == BusTraceEntry::Kind::DeadLettered; });
                if (parked && !m_refreshTimer.isActive())
                    m_refreshTimer.start();
            });
    setStatus({}, {});
    refresh();
}

void DeadLetterPanel::refresh()
{
    std::vector<DeadLetter> entries;
    if (m_bus) {
        try {
            entries = m_bus->deadLetters().list();
        } catch (const StoreError& e) {
            setStatus(tr("The dead letters could not be read: %1").arg(e.message()),
                style::hex(style::Colour::FailureText));
        }
    }
    m_model->setEntries(std::move(entries));
    const int count = m_model->rowCount();
    m_count->setText(!m_bus ? tr("No bus: open a store that can be written to.")
            : count == 0    ? tr("No dead letters: every delivery succeeded or is still being tried.")
                            : tr("%n dead letter(s)", nullptr, count));
    if (count > 0 && !m_view->selectionModel()->hasSelection())
        m_view->selectRow(0);
    onSelection();
    Q_EMIT changed(count);
}

qint64 DeadLetterPanel::selectedId() const
{
    const auto rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : m_model->entryAt(rows.front().row()).id;
}

bool DeadLetterPanel::select(qint64 id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    m_view->selectRow(row);
    return true;
}

void DeadLetterPanel::onSelection()
{
    const qint64 id = selectedId();
    m_retry->setEnabled(id > 0 && m_bus);
    m_discard->setEnabled(id > 0 && m_bus);
    const int row = m_model->rowOf(id);
    if (row < 0) {
        m_detail->clear();
        m_payload->clear();
        return;
    }
    const DeadLetter& d = m_model->entryAt(row);
    const QLocale locale;
    const auto time = [&](qint64 ms) {
        return locale.toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::ShortFormat);
    };
    m_detail->setText(
        tr("#%1  %2 on %3 v%4 (position %5)\nHandler %6 \u00b7 attempts %10 \u00b7 first failed %7, "
           "last %8\nError: %9")
            .arg(d.id)
            .arg(d.event.type, d.event.stream.toString())
            .arg(d.event.version.value)
            .arg(d.event.position.value)
            .arg(d.handler, time(d.firstFailureMs), time(d.lastFailureMs), d.error)
            .arg(d.attempts));
    nlohmann::json shown = nlohmann::json::object();
    const auto parse = [](const QByteArray& raw) -> nlohmann::json {
        if (raw.trimmed().isEmpty())
            return nlohmann::json::object();
        if (jsondepth::tooDeepAt(std::string_view(raw.constData(), std::size_t(raw.size()))))
            return nlohmann::json(raw.toStdString()); // too deep to show as a tree: as text
        auto value = nlohmann::json::parse(raw.constBegin(), raw.constEnd(), nullptr, false);
        return value.is_discarded() ? nlohmann::json(raw.toStdString()) : value; // unreadable: as text
    };
    shown["data"] = parse(d.event.data);
    shown["metadata"] = parse(d.event.metadata);
    if (m_payload->json() != shown) {
        m_payload->setJson(std::move(shown));
        m_tree->expand(m_payload->indexForPointer(QStringLiteral("/data")));
    }
}

bool DeadLetterPanel::retrySelected()
{
    const qint64 id = selectedId();
    if (!m_bus || id <= 0)
        return false;
    const DeadLetter entry = m_model->entryAt(m_model->rowOf(id));
    bool delivered = false;
    try {
        delivered = m_bus->retryDeadLetter(id);
    } catch (const StoreError& e) {
        setStatus(tr("Retry of #%1 not possible: %2").arg(id).arg(e.message()),
            style::hex(style::Colour::FailureText));
        refresh();
        return false;
    }
    if (delivered) {
        setStatus(tr("#%1 delivered: %2 of %3 reached %4; the dead letter is gone.")
                      .arg(id)
                      .arg(entry.event.type, entry.event.stream.toString(), entry.handler),
            style::hex(style::Colour::SuccessText));
    } else {
        const auto updated = m_bus->deadLetters().get(id);
        setStatus(tr("#%1 failed again: %2").arg(id).arg(updated ? updated->error : tr("(entry gone)")),
            style::hex(style::Colour::FailureText));
    }
    refresh();
    return delivered;
}

bool DeadLetterPanel::discardSelected()
{
    const qint64 id = selectedId();
    if (!m_bus || id <= 0)
        return false;
    const DeadLetter entry = m_model->entryAt(m_model->rowOf(id));
    if (m_confirm
        && QMessageBox::question(this, tr("Discard dead letter"),
               tr("Discard #%1 (%2 of %3 for %4)? The event stays in the store; only this "
                  "delivery is given up.")
                   .arg(id)
                   .arg(entry.event.type, entry.event.stream.toString(), entry.handler))
            != QMessageBox::Yes)
        return false;
    bool removed = false;
    try {
        removed = m_bus->discardDeadLetter(id);
    } catch (const StoreError& e) {
        setStatus(tr("#%1 could not be discarded: %2").arg(id).arg(e.message()),
            style::hex(style::Colour::FailureText));
        return false;
    }
    setStatus(removed ? tr("#%1 discarded.").arg(id) : tr("#%1 was already gone.").arg(id), {});
    refresh();
    return removed;
}

void DeadLetterPanel::setStatus(const QString& text, const QString& colour)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    m_status->setStyleSheet(colour.isEmpty() ? QString() : QStringLiteral("color: %1").arg(colour));
}

QString DeadLetterPanel::detailText() const
{
    return m_detail->text();
}

QString DeadLetterPanel::statusText() const
{
    return m_status->text();
}

} // namespace chronoscope
