#include "cli/stores.h"

#include "store/postgres/pglocation.h"
#include "store/storefactory.h"

#include <QFile>
#include <QFileInfo>

namespace chronoscope::cli {

std::unique_ptr<EventStore> openForReading(const QString& path)
{
    OpenOptions options;
    options.readOnly = true;
    return openStore(path, options);
}

void checkWritePermission(const QString& path)
{
    const QFileInfo info(path);
    const auto writeBits = QFileDevice::WriteOwner | QFileDevice::WriteGroup | QFileDevice::WriteOther;
    if (info.exists() && !(info.permissions() & writeBits))
        throw ReadOnlyError(
            QStringLiteral("'%1' is read-only (no write permission): nothing was written").arg(path));
}

std::unique_ptr<EventStore> openForWriting(const QString& path, bool createPostgres)
{
    if (!isPostgresUrl(path))
        return openForWriting(path);
    OpenOptions options;
    options.create = createPostgres;
    auto store = openStore(path, options);
    const auto summary = store->summary();
    if (summary.readOnly)
        throw ReadOnlyError(
            QStringLiteral("'%1' is a foreign store (%2), which opens read-only: nothing was written")
                .arg(summary.location, summary.format));
    return store;
}

std::unique_ptr<EventStore> openForWriting(const QString& path)
{
    if (isPostgresUrl(path))
        return openForWriting(path, false);
    const auto format = detectFormat(path);
    switch (format) {
    case StoreFormat::Missing:
        throw OpenError(QStringLiteral("'%1': no such file (create a store with 'append --create', "
                                       "'import' or 'sample')")
                            .arg(path));
    case StoreFormat::JsonLines:
        throw ReadOnlyError(QStringLiteral("'%1' is a JSON Lines file, which opens read-only: nothing was "
                                           "written (import it into a store with 'chronoscope-cli import')")
                                .arg(path));
    case StoreFormat::ReduxDevTools:
    case StoreFormat::KurrentJson:
        throw ReadOnlyError(
            QStringLiteral("'%1' is a %2 file, which opens read-only: nothing was written (import "
                           "it into a store with 'chronoscope-cli import')")
                .arg(path, formatName(format)));
    case StoreFormat::EmmettSqlite:
        throw ReadOnlyError(
            QStringLiteral("'%1' is an Emmett store; foreign stores open read-only: nothing was "
                           "written")
                .arg(path));
    case StoreFormat::ChronoscopeSqlite:
        checkWritePermission(path);
        break;
    case StoreFormat::OtherSqlite:
    case StoreFormat::Unknown:
        break; // openStore names what is wrong with it
    }
    auto store = openStore(path, OpenOptions {});
    if (store->isReadOnly())
        throw ReadOnlyError(
            QStringLiteral("'%1' can only be opened read-only: nothing was written").arg(path));
    return store;
}

bool sameFile(const QString& a, const QString& b)
{
    const QFileInfo fa(a);
    const QFileInfo fb(b);
    return fa.exists() && fb.exists() && fa.canonicalFilePath() == fb.canonicalFilePath();
}

} // namespace chronoscope::cli
