#include "timetravel/timetravelfeature.h"

#include "replay/reducer.h"
#include "streams/eventtablemodel.h"
#include "timetravel/branchpanel.h"
#include "timetravel/diffview.h"
#include "timetravel/fieldhistoryview.h"
#include "timetravel/reducereditor.h"
#include "timetravel/skipproxy.h"
#include "timetravel/statepanel.h"
#include "timetravel/timebar.h"
#include "timetravel/timetravelsession.h"
#include "window/storesession.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QStatusBar>
#include <QTableView>

#include <tuple>

namespace chronoscope {

TimeTravelFeature::TimeTravelFeature(
    EventTableModel* events, QTableView* eventView, SkipProxy* skips, QObject* parent)
    : QObject(parent)
    , m_events(events)
    , m_eventView(eventView)
    , m_skips(skips)
    , m_state(new StatePanel)
    , m_diff(new DiffView(m_state->session()))
    , m_history(new FieldHistoryView(m_state->session()))
    , m_reducerEditor(new ReducerEditor)
    , m_branches(new BranchPanel)
{
    connectPanels();
}

void TimeTravelFeature::addDocks(QMainWindow& window)
{
    m_window = &window;
    // On the right; the Time Travel workspace stacks the state over the tools, one tab each.
    window.addDockWidget(Qt::RightDockWidgetArea,
        makeDock(tr("State at version"), QStringLiteral("stateDock"), m_state, &window));
    const std::initializer_list<std::tuple<QString, QString, QWidget*>> tools = {
        {tr("Diff"), QStringLiteral("diffDock"), m_diff},
        {tr("Field History"), QStringLiteral("historyDock"), m_history},
        {tr("Reducer"), QStringLiteral("reducerDock"), m_reducerEditor},
        {tr("Branch"), QStringLiteral("branchDock"), m_branches},
    };
    for (const auto& [title, name, widget] : tools)
        window.addDockWidget(Qt::RightDockWidgetArea, makeDock(title, name, widget, &window));
}

void TimeTravelFeature::showStore(const StoreSession& session, bool)
{
    m_preparedCategories.clear();
    m_reducerEditor->setStorePath(session.path());
    m_branches->setStore(session.view(), session.path());
    m_state->setStore(session.view());
}

void TimeTravelFeature::showStream(const std::optional<StreamId>& stream)
{
    if (stream)
        prepareReducer(*stream);
    m_state->setStream(stream);
}

void TimeTravelFeature::showEvent(const RecordedEvent& event)
{
    // The state right after the selected event.
    if (m_state->stream() == event.stream) {
        m_state->setVersion(event.version);
        return;
    }
    prepareReducer(event.stream);
    m_state->setStream(event.stream, event.version);
}

void TimeTravelFeature::connectPanels()
{
    TimeTravelSession* session = m_state->session();
    connect(m_skips, &SkipProxy::skippedChanged, m_state, &StatePanel::setSkipped);
    connect(m_state, &StatePanel::fieldHistoryRequested, this, [this](const QString& pointer) {
        m_history->showHistory(pointer);
        raiseDock(m_window, QStringLiteral("historyDock"));
    });
    connect(m_history, &FieldHistoryView::jumpRequested, this, [this](qint64 version) {
        m_state->setVersion(Version(version));
        const int row = m_events->ensureVersionLoaded(Version(version));
        if (row >= 0) {
            const QSignalBlocker blocker(m_eventView->selectionModel());
            m_eventView->selectRow(row);
        }
    });
    connect(session, &TimeTravelSession::streamChanged, this, &TimeTravelFeature::onStateStreamChanged);
    connect(m_state->timeBar(), &TimeBar::versionChanged, this, &TimeTravelFeature::selectVersionRow);
    connect(m_state, &StatePanel::stateShown, m_branches, &BranchPanel::setCurrentVersion);
    connect(m_reducerEditor, &ReducerEditor::applyRequested, m_state, &StatePanel::tryCategoryReducer);
    connect(m_reducerEditor, &ReducerEditor::builtinRequested, this, [this](const QString& category) {
        const auto stream = m_state->stream();
        if (!stream)
            return;
        const auto builtin = ReducerRegistry::withBuiltins().reducerFor(*stream);
        m_state->setCategoryReducer(category, builtin);
        m_branches->setReducer(builtin);
        m_reducerEditor->accepted(builtin->name());
    });
    connect(session, &TimeTravelSession::reducerAccepted, this, [this, session](const QString& name) {
        m_reducerEditor->accepted(name);
        m_branches->setReducer(session->reducer());
        if (m_window)
            m_window->statusBar()->showMessage(tr("Reducer in force: %1").arg(name), 5000);
    });
    connect(session, &TimeTravelSession::reducerRejected, m_reducerEditor, &ReducerEditor::showError);
}

void TimeTravelFeature::onStateStreamChanged()
{
    const auto stream = m_state->stream();
    const auto builtin = stream ? ReducerRegistry::withBuiltins().reducerFor(*stream) : nullptr;
    if (stream && m_reducerEditor->category() == stream->category() && m_reducerEditor->isEnabled()) {
        // Same category: keep what the user is editing.
    } else {
        m_reducerEditor->setCategory(
            stream ? stream->category() : QString(), builtin ? builtin->name() : QString());
    }
    m_branches->setStream(stream, m_state->session()->reducer());
    m_branches->setCurrentVersion(m_state->requestedVersion());
}

void TimeTravelFeature::selectVersionRow(qint64 version)
{
    const auto stream = m_state->stream();
    if (!stream || m_events->stream() != stream || version <= 0)
        return;
    const int sourceRow = m_events->ensureVersionLoaded(Version(version));
    if (sourceRow < 0)
        return;
    const QModelIndex index = m_skips->mapFromSource(m_events->index(sourceRow, 0));
    if (!index.isValid() || m_eventView->currentIndex().row() == index.row())
        return;
    // The row's selection shows the event in the inspector; the state stays where it is (the
    // selected event is the one the slider is at).
    m_eventView->selectRow(index.row());
    m_eventView->scrollTo(index);
}

void TimeTravelFeature::prepareReducer(const StreamId& stream)
{
    const QString category = stream.category();
    if (m_preparedCategories.contains(category))
        return;
    m_preparedCategories.insert(category);
    if (auto reducer = m_reducerEditor->rememberedReducer(category))
        m_state->setCategoryReducer(category, std::move(reducer));
}

void TimeTravelFeature::addEventMenuEntries(QMenu& menu, const QModelIndex& index)
{
    if (m_skips->isEnabled() && index.isValid()) {
        const qint64 version = m_skips->versionOf(index);
        const bool skipped = m_skips->isSkipped(version);
        menu.addAction(
            skipped ? tr("Apply Event v%1 Again").arg(version) : tr("Skip Event v%1 (What-if)").arg(version),
            this, [this, version] { m_skips->toggle(version); });
    }
    QAction* clear = menu.addAction(tr("Clear Skips"), m_skips, &SkipProxy::clearSkips);
    clear->setEnabled(!m_skips->skipped().isEmpty());
    if (index.isValid()) {
        menu.addSeparator();
        const auto& event = m_events->eventAt(index.row());
        QAction* compare
            = menu.addAction(tr("Compare v%1 with v%2").arg(event.version.value - 1).arg(event.version.value),
                this, [this, event] {
                    // From All streams or a category too: the state moves to the event's stream first.
                    if (m_state->stream() != event.stream)
                        showEvent(event);
                    if (m_state->stream() != event.stream)
                        return; // no store open any more
                    // A row that has just arrived: the Diff panel's versions reach it first.
                    m_state->refreshEnd();
                    m_diff->compare(event.version.value - 1, event.version.value);
                    raiseDock(m_window, QStringLiteral("diffDock"));
                });
        compare->setObjectName(QStringLiteral("compareVersionsAction"));
        compare->setToolTip(tr("What this event changed in the state of %1").arg(event.stream.toString()));
    }
}

} // namespace chronoscope
