#include "streams/idtooltip.h"

#include <QCoreApplication>
#include <QLocale>

namespace chronoscope {

QString idToolTip(const QString& id)
{
    constexpr qsizetype Most = 600;
    // Plain text (an id is never markup); a zero-width space every 80 characters lets it wrap.
    QString shown = id.size() > Most ? id.left(Most) : id;
    for (qsizetype at = 80; at < shown.size(); at += 81)
        shown.insert(at, QChar(0x200B));
    if (id.size() > Most)
        shown += QCoreApplication::translate("chronoscope::idToolTip", "\u2026 (%1 characters in all)")
                     .arg(QLocale().toString(id.size()));
    return shown;
}

} // namespace chronoscope
