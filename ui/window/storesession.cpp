#include "window/storesession.h"

#include "store/foreigneventstore.h"
#include "store/postgres/pglocation.h"
#include "store/storefactory.h"
#include "store/storefollower.h"
#include "store/summarizedeventstore.h"
#include "upcast/upcastingeventstore.h"

#include <QFileInfo>
#include <QHash>

#include <utility>

namespace chronoscope {

StoreSession::StoreSession(QObject* parent)
    : QObject(parent)
{
}

StoreSession::~StoreSession() = default;

void StoreSession::open(const QString& path, const QString& shown, bool readOnly)
{
    OpenOptions options;
    options.readOnly = readOnly;
    auto opened = openStore(path, options);
    auto foreign = takeForeign(opened);
    if (!foreign) {
        setStore(std::shared_ptr<EventStore>(std::move(opened)), shown.isEmpty() ? path : shown);
        return;
    }
    // A store other libraries wrote counts every event to list its streams: the window lists
    // them from a summary built off the GUI thread (cached outside the store) instead.
    auto summarized = std::make_shared<SummarizedEventStore>(std::move(foreign));
    SummarizedEventStore* raw = summarized.get();
    connect(raw, &SummarizedEventStore::summaryProgress, this, &StoreSession::summaryProgress);
    connect(raw, &SummarizedEventStore::summaryReady, this, [this, raw] {
        if (m_raw.get() != raw)
            return;
        m_summarizing = false;
        Q_EMIT summaryFinished(true,
            raw->origin() == QLatin1String("cached")
                ? tr("Streams listed from the summary cached in %1.").arg(raw->cacheFile())
                : tr("Streams summarised (cached in %1 for the next time).").arg(raw->cacheFile()));
    });
    connect(raw, &SummarizedEventStore::summaryFailed, this, [this, raw](const QString& reason) {
        if (m_raw.get() != raw)
            return;
        m_summarizing = false;
        Q_EMIT summaryFinished(false, tr("The streams of this store are not listed: %1").arg(reason));
    });
    setStore(summarized, shown.isEmpty() ? path : shown);
    m_summarizing = true;
    Q_EMIT summaryProgress(0, raw->summary().lastPosition.value); // shown from the start
    raw->start();
}

void StoreSession::cancelSummary()
{
    if (auto* summarized = dynamic_cast<SummarizedEventStore*>(m_raw.get()))
        summarized->cancel();
}

void StoreSession::setStore(std::shared_ptr<EventStore> store, const QString& path)
{
    m_summarizing = false;
    if (m_follower) {
        m_follower.reset(); // its last read ends before the store may go
        Q_EMIT pendingChanged(0);
        Q_EMIT problemChanged({});
    }
    if (m_raw)
        disconnect(m_raw.get(), nullptr, this, nullptr);
    m_raw = std::move(store);
    m_path = path;
    if (m_raw) {
        connect(m_raw.get(), &EventStore::appended, this, &StoreSession::appended);
        connect(m_raw.get(), &EventStore::changedElsewhere, this, &StoreSession::appended);
        // Where the store ends now (one indexed read): what the panels are about to show.
        Position shown(0);
        try {
            shown = lastPosition(*m_raw);
        } catch (const StoreError&) {
            // The follower's own reads fail the same way and say so (problemChanged).
        }
        m_follower = std::make_unique<StoreFollower>(*m_raw, shown, isPostgresUrl(path) ? QString() : path);
        m_follower->setFollowing(m_following);
        connect(m_follower.get(), &StoreFollower::pendingChanged, this, &StoreSession::pendingChanged);
        connect(m_follower.get(), &StoreFollower::problemChanged, this, &StoreSession::problemChanged);
        connect(m_follower.get(), &StoreFollower::fileReplaced, this, &StoreSession::storeReplaced);
    }
    rebuildView(false);
}

void StoreSession::setFollowing(bool following)
{
    m_following = following;
    if (m_follower)
        m_follower->setFollowing(following);
}

void StoreSession::showPending()
{
    if (m_follower)
        m_follower->reportPending();
}

void StoreSession::loadUpcasters(const QStringList& files)
{
    QStringList all = m_upcasterFiles;
    for (const QString& file : files) {
        const QString absolute = QFileInfo(file).absoluteFilePath();
        if (!all.contains(absolute))
            all << absolute;
    }
    // Every file again: an edited file is read anew, and two files upcasting the same
    // (type, version) are refused by name.
    m_upcasters = UpcasterChain::fromFiles(all);
    m_upcasterFiles = all;
    rebuildView(true);
}

bool StoreSession::clearUpcasters()
{
    if (!m_upcasters)
        return false;
    m_upcasters.reset();
    m_upcasterFiles.clear();
    rebuildView(true);
    return true;
}

const UpcastingEventStore* StoreSession::upcasting() const
{
    return dynamic_cast<const UpcastingEventStore*>(m_view.get());
}

void StoreSession::rebuildView(bool keepSelection)
{
    std::shared_ptr<EventStore> view = m_raw;
    if (m_raw && m_upcasters) {
        // The view borrows the store as opened and keeps it alive as long as it lives itself.
        auto raw = m_raw;
        view = std::shared_ptr<EventStore>(
            new UpcastingEventStore(*raw, m_upcasters, UpcastingEventStore::OnError::KeepRaw),
            [raw](EventStore* store) mutable {
                delete store;
                raw.reset();
            });
    }
    // The previous view lives until every panel has been told (a running replay keeps its own).
    const std::shared_ptr<EventStore> previous = std::exchange(m_view, std::move(view));
    Q_EMIT viewChanged(keepSelection);
}

QString StoreSession::formatTitle(const QString& format)
{
    static const QHash<QString, QString> names = {
        {QStringLiteral("chronoscope-sqlite"), QStringLiteral("Chronoscope SQLite")},
        {QStringLiteral("chronoscope-postgresql"), QStringLiteral("Chronoscope PostgreSQL")},
        {QStringLiteral("emmett-sqlite"), QStringLiteral("Emmett SQLite")},
        {QStringLiteral("emmett-postgresql"), QStringLiteral("Emmett PostgreSQL")},
        {QStringLiteral("marten-postgresql"), QStringLiteral("Marten PostgreSQL")},
        {QStringLiteral("jsonl"), QStringLiteral("JSON Lines")},
        {QStringLiteral("redux-devtools"), QStringLiteral("Redux DevTools")},
        {QStringLiteral("kurrent-json"), QStringLiteral("KurrentDB fixture")},
        {QStringLiteral("memory"), QStringLiteral("In memory")},
        {QStringLiteral("branch"), QStringLiteral("Branch")},
    };
    return names.value(format, format);
}

} // namespace chronoscope
