#include "json/jsondepth.h"
#include "replay/reducer.h"

namespace chronoscope {

namespace {

/// Shows any stream: counters, last event, and the payloads merged as JSON Merge Patches.
class GenericReducer final : public Reducer {
public:
    QString name() const override { return QStringLiteral("generic (built-in)"); }

    nlohmann::json initialState(const StreamId& stream) const override
    {
        return nlohmann::json {{"stream", stream.toString().toStdString()}, {"version", 0}, {"events", 0},
            {"lastEventType", nullptr}, {"lastTimestamp", nullptr},
            {"eventsByType", nlohmann::json::object()}, {"data", nlohmann::json::object()}};
    }

    nlohmann::json evolve(nlohmann::json state, const RecordedEvent& event) const override
    {
        nlohmann::json payload;
        if (const auto at
            = jsondepth::tooDeepAt(std::string_view(event.data.constData(), std::size_t(event.data.size()))))
            throw ReducerError(event, jsondepth::message(QStringLiteral("the payload"), *at));
        try {
            payload = nlohmann::json::parse(event.data.constBegin(), event.data.constEnd());
        } catch (const nlohmann::json::exception& error) {
            throw ReducerError(event,
                QStringLiteral("the payload is not valid JSON: %1").arg(QString::fromUtf8(error.what())));
        }
        if (!state.is_object())
            state = initialState(event.stream);
        const auto type = event.type.toStdString();
        state["version"] = event.version.value;
        state["events"] = state.value("events", std::int64_t(0)) + 1;
        state["lastEventType"] = type;
        state["lastTimestamp"] = formatTimestamp(event.timestampMs).toStdString();
        auto& byType = state["eventsByType"];
        if (!byType.is_object())
            byType = nlohmann::json::object();
        byType[type] = byType.value(type, std::int64_t(0)) + 1;
        // RFC 7386: an object patch merges (null removes a key), anything else replaces.
        state["data"].merge_patch(payload);
        return state;
    }
};

} // namespace

std::shared_ptr<const Reducer> genericReducer()
{
    static const auto reducer = std::make_shared<const GenericReducer>();
    return reducer;
}

} // namespace chronoscope
