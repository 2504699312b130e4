#pragma once

// ui/window: the main window and what it is assembled from: the store session (this file), the
// features that bring their own docks and menus (windowfeature.h), recent files, the PostgreSQL
// connect dialog and the application object.

#include "store/eventstore.h"
#include "upcast/upcaster.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace chronoscope {

class StoreFollower;
class UpcastingEventStore;

/// The store the window shows: the store as opened ("raw"), the view every panel reads (the raw
/// store itself, or an upcasting view of it while upcasters are loaded), its path, and the
/// upcaster files. Opening, closing, loading and clearing upcasters go through here; each change
/// emits viewChanged() while the previous view is still alive, so a panel holding a plain
/// pointer to it can let go first.
///
/// GUI thread only. open() blocks the caller for as long as openStore() takes (a file's header,
/// a PostgreSQL connection); errors are thrown as StoreError and leave the session unchanged.
class StoreSession : public QObject {
    Q_OBJECT
public:
    explicit StoreSession(QObject* parent = nullptr);
    ~StoreSession() override;

    /// Opens a store of any format openStore() detects, or a postgresql:// URL; `shown` is the
    /// path the title and recent files show (the URL without its password). Throws StoreError.
    void open(const QString& path, const QString& shown = {}, bool readOnly = false);
    /// Shows a store already opened (null: none). Upcasters stay loaded.
    void setStore(std::shared_ptr<EventStore> store, const QString& path);
    void close() { setStore(nullptr, {}); }

    /// Reads the store through these upcaster files too (.json rules or .js scripts). Every file
    /// is read again; two files upcasting the same (type, version) are refused. Throws StoreError
    /// and changes nothing on a file that cannot be used.
    void loadUpcasters(const QStringList& files);
    /// Reads the store as stored again; false when no upcasters were loaded.
    bool clearUpcasters();

    /// The store as the window reads it (upcast while upcasters are loaded).
    const std::shared_ptr<EventStore>& view() const { return m_view; }
    /// The store as opened (never upcast): what the bus writes to.
    const std::shared_ptr<EventStore>& raw() const { return m_raw; }
    /// The file path, or for PostgreSQL the URL without its password.
    const QString& path() const { return m_path; }
    const std::shared_ptr<const UpcasterChain>& upcasters() const { return m_upcasters; }
    const QStringList& upcasterFiles() const { return m_upcasterFiles; }
    /// The upcasting view (nullptr without upcasters).
    const UpcastingEventStore* upcasting() const;

    /// Following what other programs append (on by default, kept across stores): while on,
    /// their events reach every panel at once; while off they are counted (pendingChanged).
    void setFollowing(bool following);
    bool isFollowing() const { return m_following; }
    /// Shows the events other programs appended while following was off, and stays off.
    void showPending();
    /// The follower of the store shown (null when none is open).
    const StoreFollower* follower() const { return m_follower.get(); }

    /// A foreign store's summary of its streams is being built (see SummarizedEventStore).
    bool isSummarizing() const { return m_summarizing; }
    /// Stops building the summary: the stream list of a foreign store then stays empty.
    void cancelSummary();

    /// A format id's name for people ("chronoscope-sqlite" -> "Chronoscope SQLite").
    static QString formatTitle(const QString& format);

Q_SIGNALS:
    /// The view changed: a new store (keepSelection false) or the same store read with other
    /// upcasters (keepSelection true: the stream and event shown may stay selected).
    void viewChanged(bool keepSelection);
    /// Events were appended to the raw store: by this process (the bus, a panel) or, while
    /// following, by another one (EventStore::changedElsewhere).
    void appended();
    /// Events other programs appended and not shown yet (following off); 0 once shown.
    void pendingChanged(qint64 events);
    /// What is wrong with the store now (a server gone, the file deleted or replaced); empty
    /// once it reads fine again.
    void problemChanged(const QString& problem);
    /// Another program replaced the store's file by another one (see StoreFollower::fileReplaced).
    void storeReplaced();
    /// The summary of a foreign store's streams: `done` of `total` positions read.
    void summaryProgress(qint64 done, qint64 total);
    /// It is ready (ok) or was not made (the reason); the lists show it from now on.
    void summaryFinished(bool ok, const QString& message);

private:
    void rebuildView(bool keepSelection);

    std::shared_ptr<EventStore> m_raw;
    std::shared_ptr<EventStore> m_view;
    QString m_path;
    std::shared_ptr<const UpcasterChain> m_upcasters;
    QStringList m_upcasterFiles;
    std::unique_ptr<StoreFollower> m_follower;
    bool m_following = true;
    bool m_summarizing = false;
};

} // namespace chronoscope
