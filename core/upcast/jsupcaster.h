#pragma once

#include "js/jslimits.h"
#include "upcast/upcaster.h"

namespace chronoscope {

/// Upcasters written in JavaScript and run by QJSEngine, sandboxed like JsReducer (no file,
/// network or process access; every call, the top-level code included, runs under the time and
/// memory limits; whatever the script throws is an error).
///
/// The script declares its steps in `upcasters` (a global, or on module.exports):
///
///     var upcasters = [
///       { type: 'ItemAdded', from: 1, to: 2, upcast: function (event) { ... return newData; } },
///       { type: 'CartOpened', from: 1, to: 2 },   // uses the global upcast(event) below
///     ];
///     function upcast(event) { return Object.assign({ currency: 'EUR' }, event.data); }
///
/// `event` is {type, schemaVersion, data, metadata, streamId, version, position, timestamp, id}
/// with data (as the previous step left it) and metadata parsed; the function returns the new
/// data, any JSON value. Errors name the script line, the step, and the event.
namespace jsupcaster {

/// Compiles the script and reads its declarations. Throws InvalidInput naming the file (and
/// line, or entry of `upcasters`) when it does not run or declares something unusable.
std::vector<std::shared_ptr<const UpcastStep>> fromSource(
    const QString& source, const QString& fileName, JsLimits limits = {});
std::vector<std::shared_ptr<const UpcastStep>> fromSource(
    const QString& source, const QString& fileName, int timeLimitMs);
std::vector<std::shared_ptr<const UpcastStep>> loadFile(const QString& path, JsLimits limits = {});

} // namespace jsupcaster

} // namespace chronoscope
