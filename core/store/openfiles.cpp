#include "store/openfiles.h"

#include <QFile>
#include <QMutex>

#include <map>
#include <sys/stat.h>
#include <utility>

namespace chronoscope::openfiles {

namespace {
using Key = std::pair<unsigned long long, unsigned long long>;

QMutex& mutex()
{
    static QMutex m;
    return m;
}

std::map<Key, int>& counts()
{
    static std::map<Key, int> c;
    return c;
}

bool keyOf(const QString& path, Key& key)
{
    struct stat info { };
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return false;
    key = {static_cast<unsigned long long>(info.st_dev), static_cast<unsigned long long>(info.st_ino)};
    return true;
}
} // namespace

Registration::Registration(const QString& path)
{
    Key key;
    if (!keyOf(path, key))
        return;
    m_device = key.first;
    m_inode = key.second;
    m_registered = true;
    const QMutexLocker lock(&mutex());
    ++counts()[key];
}

Registration::~Registration()
{
    if (!m_registered)
        return;
    const QMutexLocker lock(&mutex());
    auto it = counts().find({m_device, m_inode});
    if (it != counts().end() && --it->second <= 0)
        counts().erase(it);
}

bool isOpenBySqlite(const QString& path)
{
    Key key;
    if (!keyOf(path, key))
        return false;
    const QMutexLocker lock(&mutex());
    return counts().count(key) > 0;
}

} // namespace chronoscope::openfiles
