// MainWindow: wiring of the time-travel tools (time bar and state, diff, field history,
// reducer editor, what-if skips, branches).
#include "streams/eventtablemodel.h"
#include "timetravel/branchpanel.h"
#include "timetravel/diffview.h"
#include "timetravel/fieldhistoryview.h"
#include "timetravel/reducereditor.h"
#include "timetravel/skipproxy.h"
#include "timetravel/statepanel.h"
#include "timetravel/timetravelsession.h"
#include "window/mainwindow.h"

#include <QDockWidget>
#include <QMenu>
#include <QStatusBar>
#include <QTableView>

namespace chronoscope {

void MainWindow::connectTimeTravel()
{
    TimeTravelSession* session = m_state->session();
    connect(m_skips, &SkipProxy::skippedChanged, m_state, &StatePanel::setSkipped);
    connect(m_eventView, &QWidget::customContextMenuRequested, this, &MainWindow::showEventMenu);
    connect(m_state, &StatePanel::fieldHistoryRequested, this, [this](const QString& pointer) {
        m_history->showHistory(pointer);
        raiseDock(QStringLiteral("historyDock"));
    });
    connect(m_history, &FieldHistoryView::jumpRequested, this, [this](qint64 version) {
        m_state->setVersion(Version(version));
        const int row = m_events->ensureVersionLoaded(Version(version));
        if (row >= 0) {
            const QSignalBlocker blocker(m_eventView->selectionModel());
            m_eventView->selectRow(row);
        }
    });
    connect(session, &TimeTravelSession::streamChanged, this, &MainWindow::onStateStreamChanged);
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
        statusBar()->showMessage(tr("Reducer in force: %1").arg(name), 5000);
    });
    connect(session, &TimeTravelSession::reducerRejected, m_reducerEditor, &ReducerEditor::showError);
}

void MainWindow::onStateStreamChanged()
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

void MainWindow::prepareReducer(const StreamId& stream)
{
    const QString category = stream.category();
    if (m_preparedCategories.contains(category))
        return;
    m_preparedCategories.insert(category);
    if (auto reducer = m_reducerEditor->rememberedReducer(category))
        m_state->setCategoryReducer(category, std::move(reducer));
}

void MainWindow::showEventMenu(const QPoint& pos)
{
    const QModelIndex index = m_eventView->indexAt(pos);
    QMenu menu(this);
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
        menu.addAction(tr("Compare v%1 with v%2").arg(event.version.value - 1).arg(event.version.value), this,
            [this, event] {
                if (m_state->stream() != event.stream)
                    return;
                m_diff->compare(event.version.value - 1, event.version.value);
                raiseDock(QStringLiteral("diffDock"));
            });
    }
    menu.exec(m_eventView->viewport()->mapToGlobal(pos));
}

void MainWindow::raiseDock(const QString& name)
{
    if (auto* dock = findChild<QDockWidget*>(name)) {
        dock->show();
        dock->raise();
    }
}

} // namespace chronoscope
