#pragma once

// ui/timetravel: one stream's aggregate at any version: the state panel with its time bar, the
// diff between two versions, a field's history, the reducer editor (bring your own JavaScript),
// what-if skips over the event table and branches, all over one TimeTravelSession.

#include "store/recordedevent.h"
#include "window/windowfeature.h"

#include <QObject>
#include <QSet>

#include <optional>

class QMainWindow;
class QMenu;
class QModelIndex;
class QTableView;

namespace chronoscope {

class BranchPanel;
class DiffView;
class EventTableModel;
class FieldHistoryView;
class ReducerEditor;
class SkipProxy;
class StatePanel;

/// The time-travel docks (State at version under the inspector; Diff, Field History, Reducer and
/// Branch tabbed with it) and their wiring to the event table: the state follows the selected
/// stream and event, a field's history jumps the table to a version, skips come from the table.
class TimeTravelFeature : public QObject, public WindowFeature {
    Q_OBJECT
public:
    /// `events`, `eventView` and `skips` are the window's event table (model, view, what-if proxy).
    TimeTravelFeature(
        EventTableModel* events, QTableView* eventView, SkipProxy* skips, QObject* parent = nullptr);

    /// Needs the inspector dock ("inspectorDock") to be there: the tools share its place.
    void addDocks(QMainWindow& window) override;
    void addMenus(QMenuBar&) override { }
    void showStore(const StoreSession& session, bool sameStore) override;

    /// The table shows this stream (its state is shown), or none (a category, all streams).
    void showStream(const std::optional<StreamId>& stream);
    /// An event was selected in the table: the state right after it.
    void showEvent(const RecordedEvent& event);
    /// The event table's context-menu entries for the row at `index`: skip or apply again,
    /// clear skips, compare with the version before.
    void addEventMenuEntries(QMenu& menu, const QModelIndex& index);

    StatePanel* state() const { return m_state; }
    DiffView* diff() const { return m_diff; }
    FieldHistoryView* history() const { return m_history; }
    ReducerEditor* reducerEditor() const { return m_reducerEditor; }
    BranchPanel* branches() const { return m_branches; }

private:
    void connectPanels();
    void onStateStreamChanged();
    /// The slider (or a step, or play) moved to `version`: the event table selects that event
    /// when it shows the state's stream.
    void selectVersionRow(qint64 version);
    // Puts the reducer remembered for the stream's category in force (once per store).
    void prepareReducer(const StreamId& stream);

    EventTableModel* m_events;
    QTableView* m_eventView;
    SkipProxy* m_skips;
    QMainWindow* m_window = nullptr;
    StatePanel* m_state;
    DiffView* m_diff;
    FieldHistoryView* m_history;
    ReducerEditor* m_reducerEditor;
    BranchPanel* m_branches;
    QSet<QString> m_preparedCategories;
};

} // namespace chronoscope
