#include "lessons/windowfacts.h"

#include "bus/buscontroller.h"
#include "bus/consumerspanel.h"
#include "bus/deadlettermodel.h"
#include "bus/deadletterpanel.h"
#include "lessons/lessonparticipant.h"
#include "projections/positionslider.h"
#include "projections/projectionspanel.h"
#include "sample/reactions.h"
#include "story/story.h"
#include "story/storyfeature.h"
#include "story/storypanel.h"
#include "streams/eventinspector.h"
#include "streams/streambrowser.h"
#include "timetravel/statepanel.h"
#include "window/mainwindow.h"
#include "window/workspaces.h"

#include <QAction>
#include <QTabWidget>

namespace chronoscope {

namespace {

using json = nlohmann::json;

json text(const QString& s)
{
    return s.toStdString();
}

json emptyPublish()
{
    return {{"published", 0}, {"stored", 0}, {"rejected", 0}, {"conflicts", 0}, {"invalid", 0},
        {"lastOutcome", nullptr}, {"lastCommand", nullptr}, {"rejectedCommands", json::array()},
        {"lastStream", nullptr}, {"lastError", nullptr}};
}

} // namespace

WindowFacts::WindowFacts(MainWindow* window, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_publish(emptyPublish())
{
    connect(window->session(), &StoreSession::appended, this, &WindowFacts::onAppended);
    connect(window->session(), &StoreSession::viewChanged, this, [this] { restart(); });
    connect(
        window->busController()->deadLetters(), &DeadLetterPanel::changed, this, &WindowFacts::onDeadLetters);
    restart();
}

void WindowFacts::restart()
{
    const EventStore* store = m_window->rawStore();
    try {
        m_seen = store ? store->summary().lastPosition.value : 0;
    } catch (const StoreError&) {
        m_seen = 0; // the store cannot be read now; facts() says so when asked
    }
    m_appended = json::array();
    m_appendedCount = 0;
    m_publish = emptyPublish();
    m_deadLetters = m_window->busController()->deadLetters()->model()->rowCount();
    m_deadLettersMax = m_deadLetters;
    m_deadLettersRemoved = 0;
}

void WindowFacts::onAppended()
{
    const EventStore* store = m_window->rawStore();
    if (!store)
        return;
    // Only what is new, in bounded pages; a long burst keeps the count and the first events.
    for (int page = 0; page < 20; ++page) {
        std::vector<RecordedEvent> events;
        try {
            events = store->readAll(Position(m_seen + 1), 100);
        } catch (const StoreError&) {
            return; // read again on the next append
        }
        if (events.empty())
            break;
        for (const RecordedEvent& e : events) {
            ++m_appendedCount;
            if (int(m_appended.size()) < MaxAppended)
                m_appended.push_back({{"type", text(e.type)}, {"stream", text(e.stream.toString())},
                    {"version", e.version.value}, {"position", e.position.value}});
            m_seen = e.position.value;
        }
    }
}

void WindowFacts::onDeadLetters(int count)
{
    if (count < m_deadLetters)
        m_deadLettersRemoved += m_deadLetters - count;
    m_deadLetters = count;
    m_deadLettersMax = std::max(m_deadLettersMax, count);
}

void WindowFacts::notePublished(const PublishOutcome& outcome, const QString& what)
{
    m_publish["published"] = m_publish["published"].get<int>() + 1;
    const char* counter = "invalid";
    switch (outcome.kind) {
    case PublishOutcome::Kind::Stored:
        counter = "stored";
        break;
    case PublishOutcome::Kind::Rejected:
        counter = "rejected";
        break;
    case PublishOutcome::Kind::Conflict:
        counter = "conflicts";
        break;
    case PublishOutcome::Kind::Invalid:
        break;
    }
    m_publish[counter] = m_publish[counter].get<int>() + 1;
    m_publish["lastOutcome"] = text(outcomeName(outcome.kind));
    m_publish["lastStream"] = text(outcome.stream.toString());
    m_publish["lastError"] = outcome.error.isEmpty() ? json(nullptr) : text(outcome.error);
    m_publish["lastCommand"] = what.isEmpty() ? json(nullptr) : text(what);
    if (outcome.kind == PublishOutcome::Kind::Rejected && !what.isEmpty())
        m_publish["rejectedCommands"].push_back(text(what));
}

json WindowFacts::facts() const
{
    json out = json::object();
    out["workspace"] = text(m_window->workspaces()->current());
    const EventStore* store = m_window->rawStore();
    if (store) {
        const StoreSummary summary = store->summary();
        out["store"] = {{"open", true}, {"readOnly", summary.readOnly}, {"events", summary.events},
            {"streams", summary.streams}, {"path", text(m_window->storePath())}};
    } else {
        out["store"] = {{"open", false}};
    }
    const StreamId stream = m_window->browser()->currentStream();
    out["selectedStream"] = stream.isEmpty() ? json(nullptr) : text(stream.toString());
    if (const auto& event = m_window->inspector()->event())
        out["selectedEvent"] = {{"type", text(event->type)}, {"stream", text(event->stream.toString())},
            {"version", event->version.value}, {"position", event->position.value},
            {"schemaVersion", event->schemaVersion}};
    else
        out["selectedEvent"] = nullptr;
    static const char* tabs[] = {"data", "metadata", "upcast"};
    const int tab = m_window->inspector()->tabs()->currentIndex();
    out["inspector"] = {{"tab", tab >= 0 && tab < 3 ? json(tabs[tab]) : json(tab)}};
    if (StatePanel* state = m_window->statePanel(); state && state->stream()) {
        const auto shown = state->shownVersion();
        out["timeTravel"] = {{"stream", text(state->stream()->toString())},
            {"version", shown ? json(shown->value) : json(nullptr)},
            {"lastVersion", state->lastVersion().value}};
    } else {
        out["timeTravel"] = nullptr;
    }
    if (ProjectionsPanel* projections = m_window->projectionsPanel()) {
        const PositionSlider* slider = projections->positionSlider();
        const auto position = slider->position();
        out["projections"] = {{"live", slider->isLive()},
            {"position", position ? json(position->value) : json(slider->lastPosition().value)},
            {"lastPosition", slider->lastPosition().value},
            {"selected", text(projections->selectedProjection())}};
    }
    json publish = m_publish;
    publish["open"] = m_window->busController()->hasVisiblePublishDialog();
    out["publish"] = publish;
    out["appended"] = {{"count", m_appendedCount}, {"events", m_appended}};
    json types = json::array();
    for (const json& e : m_appended)
        if (std::find(types.begin(), types.end(), e["type"]) == types.end())
            types.push_back(e["type"]);
    out["appended"]["types"] = types;
    out["deadLetters"]
        = {{"count", m_deadLetters}, {"max", m_deadLettersMax}, {"removed", m_deadLettersRemoved}};
    ConsumersPanel* consumers = m_window->busController()->consumers();
    json outages = json::array();
    for (sample::Consumer c : sample::allConsumers())
        if (consumers->outageAction(c)->isChecked())
            outages.push_back(text(sample::consumerKey(c)));
    out["consumers"] = {{"declinePayments", consumers->declineAction()->isChecked()}, {"outages", outages}};
    out["upcasters"]
        = {{"files", m_window->upcasterFiles().size()}, {"loaded", !m_window->upcasterFiles().isEmpty()}};
    if (const Story* story = m_window->storyFeature()->panel()->story()) {
        json streams = json::array();
        for (const RecordedEvent& e : story->events)
            if (std::find(streams.begin(), streams.end(), text(e.stream.toString())) == streams.end())
                streams.push_back(text(e.stream.toString()));
        out["story"] = {{"correlationId", text(story->correlationId)}, {"events", story->events.size()},
            {"streams", streams.size()}, {"streamIds", streams}};
    } else {
        out["story"] = nullptr;
    }
    for (const LessonParticipant* participant : m_participants)
        out[participant->lessonKey().toStdString()] = participant->lessonFacts();
    return out;
}

} // namespace chronoscope
