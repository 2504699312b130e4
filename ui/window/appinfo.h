#pragma once

#include <QString>

namespace chronoscope {

/// The program's version, e.g. "0.1.0" (the CMake project version).
QString applicationVersion();

} // namespace chronoscope
