#pragma once

// The options the time-travel sub-commands (state, diff, history) share, and the TimeTravel
// engine they set up: STORE, --stream, --reducer, --timeout-ms and --skip.

#include "cli/cli.h"
#include "store/eventstore.h"
#include "timetravel/timetravel.h"

#include <QSet>

#include <memory>

namespace chronoscope::cli {

class StreamTravel {
public:
    /// Adds --stream, --reducer and --timeout-ms, and --skip when `withSkip`.
    static void addOptions(Command& cmd, bool withSkip);

    /// Checks the options' syntax (UsageError), then opens the store read-only, checks that the
    /// stream exists and every --skip version lies in 1..last version, and loads the reducer
    /// (a JavaScript file, or the built-in one for the stream's category). Throws InvalidInput
    /// or OpenError naming what was wrong.
    explicit StreamTravel(const Command& cmd);
    ~StreamTravel();

    const StreamId& stream() const { return m_stream; }
    Version lastVersion() const { return m_last; }
    TimeTravel& travel() { return *m_travel; }

    /// A whole-number option (negative allowed, so that range errors name the version);
    /// UsageError when it is not a number.
    static std::optional<qint64> wholeNumber(const Command& cmd, const QString& option);
    /// Checks that `value`, given as --option, is a version of the stream: InvalidInput when it
    /// is negative or beyond the stream's last version.
    Version checkVersion(const QString& option, qint64 value) const;

private:
    QString m_command;
    StreamId m_stream;
    QSet<qint64> m_skipped;
    std::unique_ptr<EventStore> m_store;
    Version m_last;
    std::unique_ptr<TimeTravel> m_travel;
};

} // namespace chronoscope::cli
