#pragma once

// core/js: the JavaScript sandbox that every user script (reducer, projection, upcaster) runs in:
// one caller (jscall.h), the limits on time and memory (jslimits.h, jswatchdog.h), and the
// scripts of ours evaluated around the user's (resources/js, read through jsscripts.h).

#include <QString>

namespace chronoscope {

/// One of the JavaScript files of ours in resources/js, compiled into the library as a Qt
/// resource (":/js/<name>"), e.g. "prelude.js". Read once; thread-safe. A missing name is a
/// build error of ours and aborts.
const QString& ourScript(const char* name);

} // namespace chronoscope
