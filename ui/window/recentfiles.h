#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace chronoscope {

/// The most recently opened files, newest first, kept in QSettings ("recentFiles"). A PostgreSQL
/// URL is kept without its password.
class RecentFiles : public QObject {
    Q_OBJECT
public:
    static constexpr int MaxFiles = 10;

    explicit RecentFiles(QObject* parent = nullptr);

    QStringList files() const;
    /// Puts a file first (moving it up if already listed) and keeps at most MaxFiles.
    void add(const QString& path);
    void remove(const QString& path);
    void clear();

    /// Fills a menu with one action per file (and "Clear list"); call again after changes.
    void populate(QMenu* menu);

Q_SIGNALS:
    /// The list changed.
    void changed();
    /// The user chose a file in a menu filled by populate().
    void fileTriggered(const QString& path);

private:
    void store(const QStringList& files);
};

} // namespace chronoscope
