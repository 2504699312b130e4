#pragma once

#include "eventstore.h"

#include <QMainWindow>
#include <QSet>

#include <memory>

class QLabel;
class QMenu;
class QTableView;

namespace chronoscope {

class BranchPanel;
class ChartsPanel;
class BusController;
class DiffView;
class EventInspector;
class EventTableModel;
class FieldHistoryView;
class ProjectionSet;
class ProjectionsPanel;
class RecentFiles;
class ReducerEditor;
class SkipProxy;
class StatePanel;
class StreamBrowser;

/// The explorer window: streams on the left, the lazy event table in the middle, the event
/// inspector and the state-at-version panel on the right.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens a store of any format openStore() detects. On failure the error is reported
    /// (errorOccurred, status bar and, when enabled, a non-modal message box), the store
    /// already open stays open, and false is returned.
    bool openFile(const QString& path);
    /// Shows a store already opened; `path` is what the title and recent files show.
    void setStore(std::shared_ptr<EventStore> store, const QString& path = {});
    /// Closes the store: the window shows nothing.
    void closeStore();
    const EventStore* store() const { return m_store.get(); }
    QString storePath() const { return m_path; }

    /// Selects a stream in the browser: the table shows its events, the state panel its state.
    bool selectStream(const StreamId& stream);
    void selectAllStreams();

    /// Whether errors also pop up a message box (on by default; tests turn it off).
    void setErrorDialogsEnabled(bool enabled) { m_errorDialogs = enabled; }
    QString lastError() const { return m_lastError; }

    void saveLayout() const;
    void restoreLayout();

    StreamBrowser* browser() const { return m_browser; }
    EventTableModel* eventModel() const { return m_events; }
    QTableView* eventView() const { return m_eventView; }
    EventInspector* inspector() const { return m_inspector; }
    StatePanel* statePanel() const { return m_state; }
    RecentFiles* recentFiles() const { return m_recent; }
    SkipProxy* skipModel() const { return m_skips; }
    DiffView* diffView() const { return m_diff; }
    FieldHistoryView* fieldHistory() const { return m_history; }
    ReducerEditor* reducerEditor() const { return m_reducerEditor; }
    BranchPanel* branchPanel() const { return m_branches; }
    /// The Bus menu, the bus docks and the open store's bus, publisher and consumers.
    BusController* busController() const { return m_bus; }
    /// The open store's projections (built-in and JavaScript), shown by the Projections and Charts docks.
    ProjectionSet* projectionSet() const { return m_projectionSet; }
    ProjectionsPanel* projectionsPanel() const { return m_projectionsPanel; }
    ChartsPanel* chartsPanel() const { return m_chartsPanel; }
    /// Brings a dock to the front by object name ("diffDock", "historyDock", "reducerDock", ...).
    void raiseDock(const QString& name);

Q_SIGNALS:
    void storeOpened(const QString& path);
    void errorOccurred(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createDocks();
    void createProjectionDocks();
    void createStatusBar();
    void reportError(const QString& message);
    void showStream(const StreamId& stream);
    void showCategory(const QString& category);
    void showAll();
    void onEventSelected(const QModelIndex& current);
    void updateTitleAndStatus();
    void chooseFile();
    void connectTimeTravel();
    void showEventMenu(const QPoint& pos);
    // Puts the reducer remembered for the stream's category in force (once per store).
    void prepareReducer(const StreamId& stream);
    void onStateStreamChanged();

    std::shared_ptr<EventStore> m_store;
    QString m_path;
    QString m_lastError;
    bool m_errorDialogs = true;

    StreamBrowser* m_browser;
    EventTableModel* m_events;
    SkipProxy* m_skips;
    QTableView* m_eventView;
    QLabel* m_eventsTitle;
    EventInspector* m_inspector;
    StatePanel* m_state;
    RecentFiles* m_recent;
    DiffView* m_diff;
    FieldHistoryView* m_history;
    ReducerEditor* m_reducerEditor;
    BranchPanel* m_branches;
    BusController* m_bus = nullptr;
    ProjectionSet* m_projectionSet = nullptr;
    ProjectionsPanel* m_projectionsPanel = nullptr;
    ChartsPanel* m_chartsPanel = nullptr;
    QSet<QString> m_preparedCategories;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_formatLabel;
    QLabel* m_countLabel;
    QLabel* m_modeLabel;
};

} // namespace chronoscope
