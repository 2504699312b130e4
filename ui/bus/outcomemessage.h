#pragma once

#include "bus/publisher.h"

#include <QStringList>

#include <vector>

namespace chronoscope {

/// What the publish dialog says about an outcome: a title, detail lines and a colour.
struct OutcomeMessage {
    QString title;
    QStringList lines;
    QString colour; ///< "#rrggbb": green stored, amber conflict, red refused or invalid
};

/// The message for a Publisher outcome: the stored events with versions and positions, the
/// broken rule, or the conflict (expected against actual version). `stream` names the stream
/// when the outcome does not.
OutcomeMessage outcomeMessage(const PublishOutcome& outcome, const QString& stream);

/// The line that follows a command's story: `types` are the event types the consumers'
/// reactions stored under its correlation id, in store order ("" when none yet).
QString storyLine(const std::vector<QString>& types);

/// "any version", "no stream (a new one)", "an existing stream" or "version N".
QString expectationText(const ExpectedVersion& expected);

} // namespace chronoscope
