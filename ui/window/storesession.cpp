#include "window/storesession.h"

#include "store/storefactory.h"
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

void StoreSession::open(const QString& path, const QString& shown)
{
    std::shared_ptr<EventStore> opened = openStore(path);
    setStore(std::move(opened), shown.isEmpty() ? path : shown);
}

void StoreSession::setStore(std::shared_ptr<EventStore> store, const QString& path)
{
    disconnect(m_appended);
    m_raw = std::move(store);
    m_path = path;
    if (m_raw)
        m_appended = connect(m_raw.get(), &EventStore::appended, this, &StoreSession::appended);
    rebuildView(false);
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
