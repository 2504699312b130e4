#pragma once

// ui/streams: browsing the store: the stream list and category tree (streambrowser), the lazy
// event table (eventtablemodel) and the event inspector. A search or query view would sit beside.

#include "base/ids.h"

#include <QWidget>

#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QTreeView;

namespace chronoscope {

class CategoryTreeModel;
class EventStore;
class StreamListModel;

/// The left-hand browser: a filter box, the category tree ("All streams" → categories →
/// streams) and the filtered stream list. Tree and list selections are kept in step.
class StreamBrowser : public QWidget {
    Q_OBJECT
public:
    explicit StreamBrowser(QWidget* parent = nullptr);

    /// Reloads both models from the store (null: empties them) and selects "All streams". The
    /// browser shares the store with the searches it runs off the GUI thread.
    void setStore(std::shared_ptr<const EventStore> store);
    /// The same for a store the caller keeps alive for as long as the browser exists.
    void setStore(const EventStore* store);
    /// Re-reads the streams (after events were appended) keeping what is selected, the
    /// filter and the expanded categories; emits nothing.
    void refresh();

    /// Selects a stream in the tree and the list (emits streamSelected). False when absent.
    bool selectStream(const StreamId& stream);
    /// Selects "All streams" (emits allStreamsSelected).
    void selectAllStreams();
    /// Selects a category ("" = no category; emits categorySelected). False when absent.
    bool selectCategory(const QString& category);
    /// Puts the keyboard focus in the filter box.
    void focusFilter();
    /// Filters by number of events: the filter box says "events:min-max" (or "events:n").
    void showStreamsWithEvents(qint64 min, qint64 max);
    /// The id of the stream selected in the tree or the list (empty: none).
    StreamId currentStream() const;
    /// Copy Stream Id (Ctrl+C in the tree or the list, and their context menus): the whole id
    /// on the clipboard, however the views elide it. Disabled while no stream is selected.
    QAction* copyIdAction() const { return m_copyId; }

    StreamListModel* streamModel() const { return m_streams; }
    /// The filter's matches across categories (empty without a filter): the tree's rows then.
    StreamListModel* matchModel() const { return m_matches; }
    CategoryTreeModel* categoryModel() const { return m_categories; }
    QLineEdit* filterEdit() const { return m_filter; }
    QTreeView* treeView() const { return m_tree; }
    QTableView* listView() const { return m_list; }
    /// "Searching every stream id…" while a filter no index answers is read; "No stream matches"
    /// when one found nothing; hidden otherwise.
    QLabel* searchStatus() const { return m_searchStatus; }

Q_SIGNALS:
    void streamSelected(const chronoscope::StreamId& stream);
    void categorySelected(const QString& category);
    void allStreamsSelected();

private:
    void onTreeCurrentChanged(const QModelIndex& current);
    void onListCurrentChanged(const QModelIndex& current);
    void applyFilter();
    void showInList(const StreamId& stream);
    void updateSearchStatus();
    void onSearchDone();
    /// The tree shows the filter's matches (or the whole store again), keeping what was selected.
    void showMatchesInTree();

    StreamListModel* m_streams;
    StreamListModel* m_matches; // the filter's matches in every category: what the tree shows while filtering
    CategoryTreeModel* m_categories;
    QLineEdit* m_filter;
    QTreeView* m_tree;
    QTableView* m_list;
    QLabel* m_searchStatus;
    QTimer* m_filterDelay = nullptr;
    QAction* m_copyId = nullptr;
    const EventStore* m_store = nullptr; // shared with the stream list, which keeps it for its searches
    std::shared_ptr<const EventStore> m_shared; // the same, for the matches' searches
    bool m_syncing = false;
    StreamId m_pendingListStream; // selected while the list searched: its row once the search is done
};

} // namespace chronoscope
