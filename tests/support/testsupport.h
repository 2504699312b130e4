#pragma once

// The one helper header of the test suites: events and streams (storetesthelpers.h), runs of
// the real chronoscope-cli (clirun.h) and files (below). sqliteintegrity.h, which needs Qt Sql,
// is included by the suites that check a store file's integrity.

#include "support/clirun.h"
#include "support/storetesthelpers.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QString>

namespace testsupport {

/// SHA-256 of a file's bytes ("missing" when it cannot be read): to show a file did not change.
inline QByteArray fileHash(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray("missing");
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

/// A file's bytes (empty when it cannot be read).
inline QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Writes `bytes` as the whole file; false when that failed.
inline bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace testsupport
