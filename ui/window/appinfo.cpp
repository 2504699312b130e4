#include "window/appinfo.h"

namespace chronoscope {

QString applicationVersion()
{
    return QStringLiteral(CHRONOSCOPE_VERSION);
}

} // namespace chronoscope
