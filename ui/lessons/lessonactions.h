#pragma once

#include <QStringList>

#include <nlohmann/json.hpp>

#include <vector>

namespace chronoscope {

class LessonParticipant;
class MainWindow;

/// Does what a lesson step's "do" asks of the window, in this order: workspace, selectStream /
/// selectAllStreams, selectVersion, timeTravel {stream, version}, projectionsAt (a position,
/// "middle" or "live"), consumers {declinePayments, outages: [...]} , showStory {stream, version},
/// the participants' members (race, topics, streamBatch), publish {type, stream, data} (the
/// Publish dialog prefilled, not sent), and last highlight (a dock's name: shown and outlined).
/// Returns what could not be done, one line each, naming the member (empty: all done).
QStringList applyLessonActions(
    MainWindow& window, const nlohmann::json& actions, const std::vector<LessonParticipant*>& participants);

} // namespace chronoscope
