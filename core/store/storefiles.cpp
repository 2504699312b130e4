#include "store/storefiles.h"

#include "base/errors.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace chronoscope::storefiles {

namespace {
constexpr const char* companions[] = {"-wal", "-shm", "-journal"};

bool processRuns(qint64 pid)
{
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}
} // namespace

QString partialSibling(const QString& path)
{
    const qint64 pid = QCoreApplication::applicationPid();
    for (;;) {
        const auto candidate = QStringLiteral("%1.partial-%2-%3")
                                   .arg(path)
                                   .arg(pid)
                                   .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        if (!QFileInfo::exists(candidate))
            return candidate;
    }
}

int removeAbandonedPartials(const QString& path)
{
    const QFileInfo info(path);
    const QDir dir = info.absoluteDir();
    const QRegularExpression pattern(
        QStringLiteral("^%1\\.partial-(\\d+)-[0-9a-f]{8}$").arg(QRegularExpression::escape(info.fileName())));
    int removed = 0;
    const auto names
        = dir.entryList({info.fileName() + QStringLiteral(".partial-*")}, QDir::Files | QDir::Hidden);
    for (const auto& name : names) {
        const auto match = pattern.match(name);
        if (!match.hasMatch())
            continue; // a companion (-wal, -shm) or somebody else's file
        const qint64 pid = match.captured(1).toLongLong();
        if (pid == QCoreApplication::applicationPid() || processRuns(pid))
            continue; // still being written
        removeWithCompanions(dir.filePath(name));
        ++removed;
    }
    return removed;
}

bool publishNew(const QString& from, const QString& to)
{
    const QByteArray source = QFile::encodeName(from);
    const QByteArray target = QFile::encodeName(to);
#ifdef RENAME_NOREPLACE
    if (::renameat2(AT_FDCWD, source.constData(), AT_FDCWD, target.constData(), RENAME_NOREPLACE) == 0)
        return true;
    if (errno == EEXIST)
        return false;
    if (errno != EINVAL && errno != ENOSYS)
        throw StoreError(QStringLiteral("cannot rename '%1' to '%2': %3").arg(from, to, errnoText(errno)));
#endif
    // A file system without RENAME_NOREPLACE: a hard link fails when the name exists.
    if (::link(source.constData(), target.constData()) != 0) {
        if (errno == EEXIST)
            return false;
        throw StoreError(
            QStringLiteral("cannot give '%1' the name '%2': %3").arg(from, to, errnoText(errno)));
    }
    ::unlink(source.constData());
    return true;
}

bool removeIdleCompanions(const QString& path)
{
    const QByteArray shm = QFile::encodeName(path + QStringLiteral("-shm"));
    const QByteArray wal = QFile::encodeName(path + QStringLiteral("-wal"));
    const int fd = ::open(shm.constData(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false;
    // SQLite's unix VFS: every connection using the wal-index holds a read lock on byte 128 of
    // the -shm (UNIX_SHM_DMS); whoever can take it for writing is the only one left.
    constexpr off_t dmsByte = 128;
    struct flock lock { };
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = dmsByte;
    lock.l_len = 1;
    bool removed = false;
    if (::fcntl(fd, F_SETLK, &lock) == 0) {
        struct stat info { };
        // A WAL with frames holds commits not yet copied into the file: never removed here.
        if (::stat(wal.constData(), &info) != 0 || info.st_size == 0) {
            ::unlink(wal.constData());
            ::unlink(shm.constData());
            removed = true;
        }
    }
    ::close(fd); // releases the lock
    return removed;
}

void removeWithCompanions(const QString& path)
{
    QFile::remove(path);
    for (const char* suffix : companions)
        QFile::remove(path + QLatin1String(suffix));
}

} // namespace chronoscope::storefiles
