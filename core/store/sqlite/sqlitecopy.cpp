#include "store/sqlite/sqlitecopy.h"

#include "base/errors.h"
#include "store/sqlite/sqliteconnection.h"
#include "store/storefactory.h"
#include "store/storefiles.h"

#include <QFileInfo>

namespace chronoscope {

void copySqliteStore(const QString& from, const QString& to)
{
    if (detectFormat(from) != StoreFormat::ChronoscopeSqlite)
        throw OpenError(
            QStringLiteral("'%1' is not a Chronoscope SQLite store: only those are copied this way")
                .arg(from));
    if (QFileInfo::exists(to))
        throw AlreadyExists(QStringLiteral("'%1' already exists: a copy never replaces a file").arg(to));
    const QString partial = storefiles::partialSibling(to);
    try {
        sqlite::Connection source(from, true, false, 5000);
        const QByteArray target = partial.toUtf8();
        sqlite::Statement vacuum = source.prepare("VACUUM INTO ?1");
        vacuum.bind(1, target);
        vacuum.run();
    } catch (const StoreError& e) {
        storefiles::removeWithCompanions(partial);
        throw StoreError(QStringLiteral("copying '%1' to '%2' failed: %3").arg(from, to, e.message()));
    }
    if (!storefiles::publishNew(partial, to)) {
        storefiles::removeWithCompanions(partial);
        throw AlreadyExists(
            QStringLiteral("'%1' appeared while the copy was made: it was left as it is").arg(to));
    }
}

} // namespace chronoscope
