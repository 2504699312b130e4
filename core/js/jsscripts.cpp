#include "js/jsscripts.h"

#include <QFile>
#include <QHash>

#include <mutex>

namespace chronoscope {

const QString& ourScript(const char* name)
{
    static std::mutex mutex;
    static QHash<QString, QString> scripts; // entries are never removed: references stay valid
    const QString key = QString::fromLatin1(name);
    const std::lock_guard lock(mutex);
    auto it = scripts.find(key);
    if (it == scripts.end()) {
        QFile file(QStringLiteral(":/js/") + key);
        if (!file.open(QIODevice::ReadOnly))
            qFatal("chronoscope: the script :/js/%s is not in the library's resources", name);
        it = scripts.insert(key, QString::fromUtf8(file.readAll()));
    }
    return it.value();
}

} // namespace chronoscope
