#pragma once

// The options that name one event for one stream, shared by the commands that write one
// (append, publish): --stream, --type, --data, --metadata and --expected.

#include "base/ids.h"
#include "cli/cli.h"
#include "store/expectedversion.h"

#include <QByteArray>

namespace chronoscope::cli {

/// One event as the command line gives it.
struct EventOptions {
    StreamId stream;
    QString type;
    QByteArray data;     ///< as given, not yet checked as JSON
    QByteArray metadata; ///< empty when not given
    ExpectedVersion expected = ExpectedVersion::any();
};

/// Adds the options; the examples appear in the help ("cart-42", "ItemAdded").
void addEventOptions(Command& cmd, const QString& streamExample, const QString& typeExample);

/// Reads them after parse(). Throws UsageError naming the command and the option when --stream,
/// --type or --data is missing or --expected is not an expected version.
EventOptions eventOptions(const Command& cmd);

} // namespace chronoscope::cli
