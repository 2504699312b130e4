#include "window/recentfiles.h"

#include "store/postgres/pglocation.h"
#include "window/pgconnectdialog.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace chronoscope {

namespace {
const QString Key = QStringLiteral("recentFiles");

// A file becomes its absolute path; a PostgreSQL URL is kept without its password (never
// written to the settings), or dropped when it is not a valid URL.
QString entryFor(const QString& path)
{
    if (isPostgresUrl(path))
        return pgUrlWithoutPassword(path);
    return QFileInfo(path).absoluteFilePath();
}
} // namespace

RecentFiles::RecentFiles(QObject* parent)
    : QObject(parent)
{
}

QStringList RecentFiles::files() const
{
    QStringList list = QSettings().value(Key).toStringList();
    list.removeAll(QString());
    while (list.size() > MaxFiles)
        list.removeLast();
    return list;
}

void RecentFiles::store(const QStringList& files)
{
    QSettings().setValue(Key, files);
    Q_EMIT changed();
}

void RecentFiles::add(const QString& path)
{
    const QString absolute = entryFor(path);
    if (absolute.isEmpty())
        return;
    QStringList list = files();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > MaxFiles)
        list.removeLast();
    store(list);
}

void RecentFiles::remove(const QString& path)
{
    QStringList list = files();
    if (list.removeAll(entryFor(path)) > 0)
        store(list);
}

void RecentFiles::clear()
{
    store({});
}

void RecentFiles::populate(QMenu* menu)
{
    menu->clear();
    const QStringList list = files();
    int number = 1;
    for (const QString& path : list) {
        // "&1 name — folder": a mnemonic for the first nine, the full path as tool tip.
        const QFileInfo info(path);
        QString label = isPostgresUrl(path)
            ? path
            : info.fileName() + QStringLiteral("  \u2014  ") + QDir::toNativeSeparators(info.absolutePath());
        label.replace(QLatin1Char('&'), QLatin1String("&&"));
        if (number < 10)
            label = QLatin1Char('&') + QString::number(number) + QLatin1Char(' ') + label;
        ++number;
        QAction* action = menu->addAction(label);
        action->setToolTip(path);
        action->setData(path);
        connect(action, &QAction::triggered, this, [this, path] { Q_EMIT fileTriggered(path); });
    }
    if (list.isEmpty()) {
        menu->addAction(tr("No recent files"))->setEnabled(false);
        return;
    }
    menu->addSeparator();
    connect(menu->addAction(tr("&Clear List")), &QAction::triggered, this, &RecentFiles::clear);
}

} // namespace chronoscope
