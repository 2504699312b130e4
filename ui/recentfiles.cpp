#include "recentfiles.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace chronoscope {

namespace {
const QString Key = QStringLiteral("recentFiles");
}

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
    const QString absolute = QFileInfo(path).absoluteFilePath();
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
    if (list.removeAll(QFileInfo(path).absoluteFilePath()) > 0)
        store(list);
}

void RecentFiles::clear() { store({}); }

void RecentFiles::populate(QMenu* menu)
{
    menu->clear();
    const QStringList list = files();
    int number = 1;
    for (const QString& path : list) {
        // "&1 name — folder": a mnemonic for the first nine, the full path as tool tip.
        const QFileInfo info(path);
        QString label = info.fileName() + QStringLiteral("  \u2014  ") + QDir::toNativeSeparators(info.absolutePath());
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
