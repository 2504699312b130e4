#pragma once

// SQLite's own verdict on a store file, for tests that kill or race writers.

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

namespace testsupport {

/// "ok", or what PRAGMA integrity_check (or opening the file) complained about.
inline QString sqliteIntegrity(const QString& path)
{
    const QString name = QStringLiteral("integrity-check");
    QString answer;
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (!db.open()) {
            answer = db.lastError().text();
        } else {
            QSqlQuery q(db);
            answer = q.exec(QStringLiteral("PRAGMA integrity_check")) && q.next() ? q.value(0).toString()
                                                                                  : q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return answer;
}

} // namespace testsupport
