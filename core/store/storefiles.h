#pragma once

// Making and replacing store files without races and without leaving debris.
//
// A new file is written under a sibling name that carries the writer's process id
// (`DEST.partial-<pid>-<random>`), closed, and only then given its real name. Giving it the name
// never replaces a file that appeared meanwhile (another process won the race), so a process
// never deletes or overwrites what another one made. Partials whose writer is gone (killed,
// crashed) are removed the next time a store is made beside them.

#include <QString>

namespace chronoscope::storefiles {

/// A sibling of `path` that does not exist yet, named for this process.
QString partialSibling(const QString& path);

/// Removes `DEST.partial-<pid>-<hex>` files (and their -wal/-shm/-journal) left beside `path` by
/// processes that no longer run. Returns how many partial stores were removed.
int removeAbandonedPartials(const QString& path);

/// Gives the closed file `from` the name `to`, but only when nothing is called `to` yet:
/// returns false (and leaves both as they are) when `to` exists. Throws StoreError naming both
/// when the rename fails otherwise.
bool publishNew(const QString& from, const QString& to);

/// Removes the empty -wal and the -shm of an SQLite file in WAL mode when no connection of any
/// process is attached to them (SQLite's own test: nobody holds the -shm's "DMS" lock). For a
/// reader that made them: a writer's last connection removes them itself. Must only be called
/// while no SQLite connection of this process has the file open (openfiles::isOpenBySqlite),
/// since closing a descriptor drops the process's locks on that file. True when removed.
bool removeIdleCompanions(const QString& path);

/// Removes a file this process made and its SQLite companions (-wal, -shm, -journal).
void removeWithCompanions(const QString& path);

} // namespace chronoscope::storefiles
