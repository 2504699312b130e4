#include "timetravel/statepanel.h"

#include "base/style.h"
#include "streams/eventinspector.h"
#include "timetravel/changehighlightproxy.h"
#include "timetravel/patchtablemodel.h"
#include "timetravel/timebar.h"
#include "widgets/jsontreemodel.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QSet>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace chronoscope {

namespace {
// JSON Pointers of the expanded rows under `parent`.
void collectExpanded(
    const QTreeView* view, const QAbstractItemModel* model, const QModelIndex& parent, QSet<QString>& out)
{
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const auto index = model->index(row, 0, parent);
        if (view->isExpanded(index)) {
            out.insert(index.data(JsonTreeModel::PointerRole).toString());
            collectExpanded(view, model, index, out);
        }
    }
}
} // namespace

StatePanel::StatePanel(QWidget* parent)
    : QWidget(parent)
    , m_registry(ReducerRegistry::withBuiltins())
    , m_session(new TimeTravelSession(this))
    , m_model(new JsonTreeModel(this))
    , m_highlight(new ChangeHighlightProxy(this))
    , m_changes(new PatchTableModel(this))
    , m_timeBar(new TimeBar)
    , m_view(new QTreeView)
    , m_changesView(new QTableView)
    , m_changesTitle(new QLabel)
    , m_title(new QLabel)
    , m_status(new QLabel)
{
    m_highlight->setSourceModel(m_model);
    m_view->setModel(m_highlight);
    setUpJsonTreeView(m_view);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setToolTip(tr("Highlighted: fields the event at this version added (green) or replaced (yellow). "
                          "Right-click a field for its history."));
    m_timeBar->attachKeys(m_view);
    m_title->setTextFormat(Qt::PlainText);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_changesTitle->setTextFormat(Qt::PlainText);

    m_changesView->setModel(m_changes);
    m_changesView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_changesView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_changesView->setWordWrap(false);
    m_changesView->setShowGrid(false);
    m_changesView->verticalHeader()->hide();
    m_changesView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_changesView->horizontalHeader()->setStretchLastSection(true);
    m_changesView->horizontalHeader()->resizeSection(PatchTableModel::OpColumn, 60);
    m_changesView->horizontalHeader()->resizeSection(PatchTableModel::PathColumn, 150);
    m_changesView->horizontalHeader()->resizeSection(PatchTableModel::OldColumn, 100);

    auto* changesBox = new QWidget;
    auto* changesLayout = new QVBoxLayout(changesBox);
    changesLayout->setContentsMargins(0, 0, 0, 0);
    changesLayout->setSpacing(2);
    changesLayout->addWidget(m_changesTitle);
    changesLayout->addWidget(m_changesView, 1);

    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_view);
    splitter->addWidget(changesBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_title);
    layout->addWidget(m_timeBar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);

    connect(m_timeBar, &TimeBar::versionChanged, this, &StatePanel::request);
    connect(m_timeBar, &TimeBar::jumpToTimeRequested, m_session, &TimeTravelSession::requestVersionAt);
    connect(m_session, &TimeTravelSession::versionFound, this, [this](qint64 ms, Version version) {
        m_timeBar->setMessage(
            tr("Version %1 was in force at %2.").arg(version.value).arg(formatTimestamp(ms)), false);
        m_timeBar->setValue(version.value);
    });
    connect(m_session, &TimeTravelSession::stateReady, this, &StatePanel::showResult);
    connect(m_session, &TimeTravelSession::stateFailed, this,
        [this](qint64, const QString& message) { showFailure(message); });
    connect(m_session, &TimeTravelSession::reducerAccepted, this, [this] {
        if (m_session->stream() && !m_tryCategory.isNull())
            m_registry.add(m_tryCategory, m_session->reducer());
        m_tryCategory.clear();
        m_shown.reset();
        updateTitle();
        request(m_timeBar->value());
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &StatePanel::showContextMenu);

    setStream(std::nullopt);
}

StatePanel::~StatePanel() = default;

QSlider* StatePanel::slider() const
{
    return m_timeBar->slider();
}

QSpinBox* StatePanel::spinBox() const
{
    return m_timeBar->spinBox();
}

void StatePanel::setStore(std::shared_ptr<const EventStore> store)
{
    m_store = std::move(store);
    m_session->setStore(m_store);
    setStream(std::nullopt);
}

void StatePanel::setRegistry(ReducerRegistry registry)
{
    m_registry = std::move(registry);
    setStream(stream());
}

void StatePanel::setCategoryReducer(const QString& category, std::shared_ptr<const Reducer> reducer)
{
    m_registry.add(category, std::move(reducer));
    if (const auto current = stream(); current && current->category() == category)
        setStream(current, m_shown ? m_shown : std::optional<Version>(requestedVersion()));
}

void StatePanel::tryCategoryReducer(const QString& category, std::shared_ptr<const Reducer> reducer)
{
    if (const auto current = stream(); current && current->category() == category) {
        m_tryCategory = category;
        m_session->tryReducer(std::move(reducer));
    } else {
        m_registry.add(category, std::move(reducer));
    }
}

void StatePanel::setStream(const std::optional<StreamId>& stream, std::optional<Version> at)
{
    m_shown.reset();
    m_tryCategory.clear();
    m_model->clear();
    m_highlight->clearChanges();
    m_changes->clear();
    const std::optional<StreamId> chosen = m_store ? stream : std::nullopt;
    m_session->setStream(chosen, chosen ? m_registry.reducerFor(*chosen) : nullptr);
    const qint64 last = m_session->lastVersion().value;
    m_timeBar->setRange(last, at ? at->value : last);
    m_timeBar->setEnabled(chosen.has_value());
    m_timeBar->setInfo({});
    m_timeBar->setMessage({}, false);
    m_changesTitle->setText(tr("Changed by this event"));
    updateTitle();
    updateStatus();
    if (chosen)
        request(m_timeBar->value());
}

void StatePanel::setSkipped(const QSet<qint64>& versions)
{
    if (versions == m_session->skipped())
        return;
    m_session->setSkipped(versions);
    m_shown.reset();
    updateTitle();
    request(m_timeBar->value());
}

void StatePanel::setVersion(Version version)
{
    m_timeBar->setValue(version.value);
}

void StatePanel::refreshEnd()
{
    if (!stream())
        return;
    // Against what the time bar shows: the session may have re-read its end already (a skip or
    // another reducer rebuilds it) without the bar hearing of it.
    const qint64 before = m_timeBar->last();
    m_session->refreshEnd();
    const qint64 last = m_session->lastVersion().value;
    if (last == before)
        return;
    const qint64 was = m_timeBar->value();
    const qint64 at = was == before ? last : std::min(was, last); // at the end: follows it
    const bool playing = m_timeBar->isPlaying();
    m_timeBar->setRange(last, at);
    if (playing && at < last)
        m_timeBar->setPlaying(true); // playing on into the new versions (at the end it would start over)
    if (at != was)
        request(at); // the tree keeps what the person expanded
    updateStatus();
}

Version StatePanel::requestedVersion() const
{
    return Version(m_timeBar->value());
}

void StatePanel::request(qint64 version)
{
    if (!stream())
        return;
    m_session->requestState(Version(version));
    updateStatus();
}

void StatePanel::showResult(const StateAtVersion& result)
{
    QSet<QString> expanded;
    collectExpanded(m_view, m_highlight, {}, expanded);
    const bool first = !m_shown.has_value();
    m_highlight->clearChanges();
    m_model->setJson(result.state);
    m_highlight->setChanges(result.changes);
    if (first || expanded.isEmpty()) {
        m_view->expandToDepth(1);
    } else {
        for (const QString& pointer : std::as_const(expanded)) {
            const auto index = m_highlight->mapFromSource(m_model->indexForPointer(pointer));
            if (index.isValid())
                m_view->expand(index);
        }
    }
    // Changed fields are made visible: their containers are expanded.
    for (const auto& change : result.changes) {
        auto index = m_highlight->mapFromSource(m_model->indexForPointer(change.path)).parent();
        for (; index.isValid(); index = index.parent())
            m_view->expand(index);
    }
    m_changes->setRows(result.changes);
    const bool skipped = m_session->skipped().contains(result.version);
    if (result.version == 0)
        m_changesTitle->setText(tr("Initial state: no event yet"));
    else if (skipped)
        m_changesTitle->setText(
            tr("Version %1 is skipped (what-if): it changes nothing").arg(result.version));
    else
        m_changesTitle->setText(
            tr("Changed by version %1: %n operation(s)", nullptr, int(result.changes.size()))
                .arg(result.version));
    if (result.event) {
        m_timeBar->setInfo(tr("v%1  \u00b7  %2  \u00b7  %3  \u00b7  position %4%5")
                               .arg(result.version)
                               .arg(result.event->type, formatTimestamp(result.event->timestampMs))
                               .arg(result.event->position.value)
                               .arg(skipped ? tr("  \u00b7  skipped") : QString()));
    } else {
        m_timeBar->setInfo(result.version == 0 ? tr("v0  \u00b7  initial state, before any event")
                                               : tr("v%1").arg(result.version));
    }
    m_shown = Version(result.version);
    style::setTone(m_status, style::Tone::Plain);
    updateStatus();
    Q_EMIT stateShown(Version(result.version));
}

void StatePanel::showFailure(const QString& message)
{
    m_model->clear();
    m_highlight->clearChanges();
    m_changes->clear();
    m_shown.reset();
    style::setTone(m_status, style::Tone::Error);
    m_status->setText(message);
    Q_EMIT replayFailed(message);
}

void StatePanel::showContextMenu(const QPoint& pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return;
    const QString pointer = index.data(JsonTreeModel::PointerRole).toString();
    QMenu menu(this);
    menu.addAction(
        tr("History of %1").arg(pointer), this, [this, pointer] { Q_EMIT fieldHistoryRequested(pointer); });
    menu.addAction(tr("Copy Path"), this, [pointer] { QApplication::clipboard()->setText(pointer); });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

void StatePanel::updateTitle()
{
    const auto current = stream();
    if (!current) {
        m_title->setText(tr("Select a stream to see its state at any version."));
        return;
    }
    const int skipped = int(m_session->skipped().size());
    m_title->setText(
        tr("%1  \u00b7  reducer: %2%3")
            .arg(current->toString(), m_session->reducer()->name(),
                skipped ? tr("  \u00b7  what-if: %n event(s) skipped", nullptr, skipped) : QString()));
}

void StatePanel::updateStatus()
{
    if (!stream()) {
        m_status->clear();
        return;
    }
    if (m_session->isBusy()) {
        style::setTone(m_status, style::Tone::Plain);
        m_status->setText(tr("Replaying to version %1\u2026").arg(m_timeBar->value()));
        return;
    }
    if (m_shown) {
        const qint64 v = m_shown->value;
        const qint64 last = lastVersion().value;
        m_status->setText(v == 0 ? tr("Initial state, before any event")
                : v == last      ? tr("Current state: after all %1 events").arg(v)
                                 : tr("State after version %1 of %2").arg(v).arg(last));
    }
}

} // namespace chronoscope
