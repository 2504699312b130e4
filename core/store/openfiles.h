#pragma once

// Which SQLite files this process holds open through SQLite.
//
// POSIX record locks belong to a process and a file, not to a descriptor: closing *any*
// descriptor of a file drops every lock the process holds on it. SQLite works around this for
// its own connections (it shares one lock table per file and defers closes), but a QFile read
// of the header, or an SQLite connection opened with nolock/immutable, opens and closes a
// descriptor of its own. Done while a store of ours is open, that silently releases the
// store's locks; the next writer in another process then believes it is the last user, and
// on closing checkpoints and deletes the -wal and -shm files under our feet ("database disk
// image is malformed" afterwards). Code that looks at a file therefore asks here first and,
// when SQLite has the file open, looks through SQLite (a plain connection) instead.

#include <QString>

namespace chronoscope::openfiles {

/// Held for as long as an SQLite connection has `path` open (thread-safe; counts nest).
class Registration {
public:
    explicit Registration(const QString& path);
    ~Registration();
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

private:
    unsigned long long m_device = 0;
    unsigned long long m_inode = 0;
    bool m_registered = false;
};

/// True while an SQLite connection of this process has the file open (same device and inode,
/// whatever path names it). False for a file that does not exist.
bool isOpenBySqlite(const QString& path);

} // namespace chronoscope::openfiles
