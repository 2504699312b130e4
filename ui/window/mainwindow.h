#pragma once

#include "base/jobtracker.h"
#include "store/eventstore.h"
#include "window/storesession.h"

#include <QMainWindow>
#include <QPointer>
#include <QSet>

#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QMenu;
class QProgressDialog;
class QTableView;
class QToolButton;
class QTimer;

namespace chronoscope {

namespace help {
class ManualWindow;
class ShortcutsDialog;
class WelcomeDialog;
} // namespace help

class BranchPanel;
class ChartsPanel;
class BusController;
class DiffView;
class EventInspector;
class EventJumpBar;
class EventTableModel;
class FieldHistoryView;
class PgConnectDialog;
class SchemaFeature;
class SchemaPanel;
class UpcastingEventStore;
class ProjectionSet;
class ProjectionsFeature;
class ProjectionsPanel;
class RecentFiles;
class ReducerEditor;
class SkipProxy;
class StatePanel;
class StoryFeature;
class LessonsFeature;
class StreamBrowser;
class TimeTravelFeature;
class WindowFeature;
class Workspaces;

/// The explorer window: streams on the left, the lazy event table in the middle, the event
/// inspector and the state-at-version panel on the right.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Reports a failure that escaped the code meant to handle it (GuardedApplication): status
    /// bar, errorOccurred and, when enabled, a non-modal message box. The window stays usable.
    void reportUnexpectedError(const QString& message);

    /// Opens a store of any format openStore() detects, or a postgresql:// URL. On failure the
    /// error is reported (errorOccurred, status bar and, when enabled, a non-modal message box),
    /// the store already open stays open, and false is returned. A PostgreSQL URL without a
    /// password that the server refuses for want of one opens the connect dialog asking for it.
    bool openFile(const QString& path, bool readOnly = false);
    /// File ▸ Save a Copy: copies the open Chronoscope SQLite store to `to` (a new file, one
    /// consistent snapshot, the original untouched) and shows the copy, read-write. False, with
    /// the reason in the status bar, when there is nothing to copy or the copy failed.
    bool saveCopy(const QString& to);
    /// Shows a store already opened; `path` is what the title and recent files show.
    void setStore(std::shared_ptr<EventStore> store, const QString& path = {});
    /// Closes the store: the window shows nothing.
    void closeStore();
    /// The store as the window reads it (upcast when upcasters are loaded).
    const EventStore* store() const { return m_session->view().get(); }
    /// The store as opened (never upcast).
    const EventStore* rawStore() const { return m_session->raw().get(); }
    /// The file path, or for PostgreSQL the URL without its password.
    QString storePath() const { return m_session->path(); }
    /// The store, its view through upcasters and its path.
    StoreSession* session() const { return m_session; }

    /// File ▸ Connect to PostgreSQL…: shows the connect dialog (non-modal), prefilled from
    /// `url` when given (a recent entry: only the password is asked), with `message` in it.
    PgConnectDialog* showConnectDialog(const QString& url = {}, const QString& message = {});
    /// The connect dialog (nullptr until first shown).
    PgConnectDialog* connectDialog() const { return m_connectDialog; }
    /// The progress dialog shown while a PostgreSQL server is being reached (null otherwise).
    QProgressDialog* connectProgress() const { return m_connectProgress; }

    /// Reads the store through upcasters from these files (.json rules or .js scripts), in
    /// addition to those already loaded. An upcaster that fails on an event leaves that event
    /// as stored (the inspector and status bar say why). On a file that cannot be used the
    /// error is reported, nothing changes and false is returned.
    bool loadUpcasters(const QStringList& files);
    /// Reads the store as stored again.
    void clearUpcasters();
    QStringList upcasterFiles() const { return m_session->upcasterFiles(); }
    /// The upcasting view of the store (nullptr without upcasters).
    const UpcastingEventStore* upcastingStore() const;
    /// The Schemas dock's panel.
    SchemaPanel* schemaPanel() const;

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
    /// The line above the event table: what it shows.
    QString eventsTitle() const;
    EventInspector* inspector() const { return m_inspector; }
    EventJumpBar* jumpBar() const { return m_jumpBar; }
    StatePanel* statePanel() const;
    RecentFiles* recentFiles() const { return m_recent; }
    SkipProxy* skipModel() const { return m_skips; }
    DiffView* diffView() const;
    FieldHistoryView* fieldHistory() const;
    ReducerEditor* reducerEditor() const;
    BranchPanel* branchPanel() const;
    /// The Bus menu, the bus docks and the open store's bus, publisher and consumers.
    BusController* busController() const { return m_bus; }
    /// The open store's projections (built-in and JavaScript), shown by the Projections and Charts docks.
    ProjectionSet* projectionSet() const;
    ProjectionsPanel* projectionsPanel() const;
    ChartsPanel* chartsPanel() const;
    /// File ▸ Save a Copy…: asks where, then saveCopy(). True when the copy was made and is shown.
    bool chooseCopy();

    // mainwindowhelp.cpp: the Help menu.
    /// Help ▸ User Manual (F1): the manual at `topic` (an anchor such as "charts-panel", or
    /// "glossary:ID"; empty: where the keyboard focus is, else the top).
    help::ManualWindow* showManual(const QString& topic = {});
    /// Help ▸ Keyboard Shortcuts: every shortcut, read from the window's actions.
    help::ShortcutsDialog* showShortcuts();
    /// Help ▸ Welcome: what the sample shop is and three things to try.
    help::WelcomeDialog* showWelcome();
    /// Shows the welcome page unless the person turned it off; true when it did.
    bool showWelcomeAtStart();
    /// Does what a welcome page link names ("try-time-travel", "try-publish", "try-charts",
    /// "manual", "glossary", "shortcuts", "glossary:ID"). False, with the reason in the status
    /// bar, when it cannot (no store, no such stream).
    bool runWelcomeLink(const QString& what);
    /// The manual's section about the panel holding `widget` ("events-table", "charts-panel"...).
    QString helpTopicFor(const QWidget* widget) const;

    /// The Story dock's feature (Show Story on an event).
    StoryFeature* storyFeature() const { return m_story; }
    LessonsFeature* lessonsFeature() const { return m_lessons; }
    /// Every feature of the window, in the order they hear of a new store.
    const std::vector<WindowFeature*>& features() const { return m_features; }
    /// The bundled sample store (what lessons copy); empty when the program has none.
    QString samplePath() const { return m_samplePath; }
    void setSamplePath(const QString& path) { m_samplePath = path; }
    /// Whether PATH is the bundled sample: the same file, also through a link.
    bool isSamplePath(const QString& path) const;
    /// Brings a dock to the front by object name ("diffDock", "historyDock", "reducerDock", ...),
    /// switching to the workspace that holds it when the current one does not.
    void raiseDock(const QString& name);
    /// The workspaces (Explore, Time Travel, Projections, Bus, Schema) and their mode bar.
    Workspaces* workspaces() const { return m_workspaces; }

Q_SIGNALS:
    void storeOpened(const QString& path);
    void errorOccurred(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createDocks();
    void createStatusBar();
    // Status bar, errorOccurred and (when enabled) a non-modal box headed `what`.
    void reportError(const QString& message, const QString& what = {});
    /// Runs a step that reads the store; a read that fails (a damaged, truncated or vanished
    /// store) is reported in the status bar, the step is left where it failed and the window
    /// keeps answering. Returns false when it failed.
    template<typename Step> bool readingStore(Step step);
    void showStream(const StreamId& stream);
    void showCategory(const QString& category);
    void showAll();
    /// The all-stream filtered as a chart click asked (`what` names it in the table's title).
    void showPicked(const EventFilter& filter, const QString& what);
    void onEventSelected(const QModelIndex& current);
    void updateTitleAndStatus();
    void chooseFile();
    void createHelpMenu();
    void showEventMenu(const QPoint& pos);
    // mainwindowstores.cpp: PostgreSQL, upcasters, schemas, refresh after appends.
    void createStoreActions(QMenu* file, QMenu* schema);
    // Connections between features, and from features to the window.
    void connectFeatures();
    void showStoreView(bool keepSelection);
    void chooseUpcasters();
    void onAppended();
    void refreshAfterAppend();
    void updateEventsTitle();
    void updateBadges();
    void reportUpcastErrors();
    bool openPostgres(const QString& url);
    /// Connects to the server once off the GUI thread, with a cancellable progress dialog:
    /// nullopt when cancelled, else the server's refusal (empty when it let us in).
    std::optional<QString> reachPostgres(const QString& url, const QString& shown);

    StoreSession* m_session;
    enum class Showing { Nothing, All, Category, Stream, Picked };
    Showing m_showing = Showing::Nothing;
    QString m_shownCategory;
    QString m_shownPick;
    QTimer* m_refreshTimer = nullptr;
    PgConnectDialog* m_connectDialog = nullptr;
    QProgressDialog* m_connectProgress = nullptr;
    bool m_connecting = false; // opening what the connect dialog built
    QAction* m_clearUpcasters = nullptr;
    QLabel* m_upcastLabel = nullptr;
    QString m_lastError;
    bool m_errorDialogs = true;

    StreamBrowser* m_browser;
    EventTableModel* m_events;
    SkipProxy* m_skips;
    QTableView* m_eventView;
    QLabel* m_eventsTitle;
    EventJumpBar* m_jumpBar = nullptr; // go to position / version / time, newest first
    EventInspector* m_inspector;
    RecentFiles* m_recent;
    BusController* m_bus = nullptr;
    TimeTravelFeature* m_timeTravel = nullptr;
    ProjectionsFeature* m_projections = nullptr;
    SchemaFeature* m_schema = nullptr;
    StoryFeature* m_story = nullptr;
    LessonsFeature* m_lessons = nullptr;
    QString m_samplePath;
    std::vector<WindowFeature*> m_features; // each makes its docks and menus, and follows the store
    Workspaces* m_workspaces = nullptr;
    bool m_screenWatched = false; // fitToScreen() follows the window to other screens
    QMenu* m_recentMenu = nullptr;
    QLabel* m_formatLabel;
    QLabel* m_countLabel;
    QLabel* m_modeLabel;
    QAction* m_saveCopyAction = nullptr;         // File ▸ Save a Copy (our SQLite stores)
    QAction* m_followAction = nullptr;           // View ▸ Follow Other Writers (objectName "followAction")
    QToolButton* m_pendingBadge = nullptr;       // "N new events" while not following ("pendingBadge")
    QLabel* m_problemLabel = nullptr;            // the store's trouble now ("storeProblem")
    JobTracker m_connectJobs {this};             // reaching a PostgreSQL server
    QPointer<help::ManualWindow> m_manual;       // made on first use
    QPointer<help::ShortcutsDialog> m_shortcuts; // made on first use
    QPointer<help::WelcomeDialog> m_welcome;     // made on first use
};

} // namespace chronoscope
