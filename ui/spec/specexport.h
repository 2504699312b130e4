#pragma once

// ui/spec: Given / When / Then from the window: the events table's "Export Given/When/Then…".

#include "store/eventstore.h"

#include <QString>

class QWidget;

namespace chronoscope {

/// The formats a specification is written in, by the file name's ending: ".json" (what
/// `chronoscope-cli spec run` reads), ".cpp" (a Qt Test) or ".js"/".ts" (a Jest test).
enum class SpecFormat { Json, QtTest, Jest };
SpecFormat specFormatFor(const QString& fileName);

/// Writes the cases of `stream`'s versions `from`..`to` (spec::exportSpec) to `fileName` in the
/// format its name asks for. Returns the number of cases; throws StoreError (InvalidInput when
/// the events name no command, a write error otherwise).
int writeSpec(
    const EventStore& store, const StreamId& stream, Version from, Version to, const QString& fileName);

/// Asks where (a save dialog with the three formats), then writeSpec(). Returns a message for
/// the status bar: what was written, or why not (empty when the person cancelled).
QString exportSpecInteractively(
    QWidget* parent, const EventStore& store, const StreamId& stream, Version from, Version to);

} // namespace chronoscope
