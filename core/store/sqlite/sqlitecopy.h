#pragma once

#include <QString>

namespace chronoscope {

/// Copies our SQLite store `from` to a new file `to`: one consistent snapshot (SQLite's VACUUM
/// INTO, read through a read-only connection, so a store another program is writing, or one
/// in a folder we cannot write, is copied as of one moment and never changed). The copy is
/// made under a partial sibling name and named `to` only when nothing has that name: throws
/// AlreadyExists when something does, OpenError when `from` is not our store, StoreError naming
/// both files when the copy fails (nothing is left behind).
void copySqliteStore(const QString& from, const QString& to);

} // namespace chronoscope
