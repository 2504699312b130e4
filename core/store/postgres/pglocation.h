#pragma once

#include <QString>

namespace chronoscope {

/// Where a PostgreSQL store lives, from `postgresql://user[:password]@host[:port]/db[?schema=S]`.
struct PgLocation {
    QString user;
    QString password;
    QString host;
    int port = 5432;
    QString database;
    QString schema = QStringLiteral("public");

    /// The URL with the password replaced by "***": safe to show in messages and summaries.
    QString display() const;
};

/// True when `text` is a PostgreSQL URL (postgresql:// or postgres://) rather than a file path.
bool isPostgresUrl(const QString& text);

/// Parses a PostgreSQL URL; throws OpenError naming the part that is wrong (the password is
/// never repeated in a message).
PgLocation parsePgUrl(const QString& url);

} // namespace chronoscope
