#include "streambatch/streambatchfeature.h"

#include "base/errors.h"
#include "streambatch/streambatchpanel.h"
#include "window/storesession.h"

#include <QDockWidget>
#include <QMainWindow>

namespace chronoscope {

using streambatch::BatchPolicy;

StreamBatchFeature::StreamBatchFeature(QObject* parent)
    : QObject(parent)
    , m_panel(new StreamBatchPanel)
{
}

void StreamBatchFeature::addDocks(QMainWindow& window)
{
    auto* dock = makeDock(tr("Stream vs Batch"), QStringLiteral("streamBatchDock"), m_panel, &window);
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide(); // placed by the workspaces
}

void StreamBatchFeature::showStore(const StoreSession& session, bool)
{
    if (m_session != &session) {
        disconnect(m_appended);
        m_session = &session;
        m_appended = connect(&session, &StoreSession::appended, m_panel, &StreamBatchPanel::storeAppended);
    }
    m_panel->setStore(session.view());
}

nlohmann::json StreamBatchFeature::lessonFacts() const
{
    const streambatch::Counters c = m_panel->comparison().counters();
    const BatchPolicy policy = m_panel->policy();
    nlohmann::json every;
    if (policy.trigger == BatchPolicy::Trigger::Events)
        every = policy.everyEvents;
    else
        every = policy.everySeconds;
    return {{"running", m_panel->isRunning()}, {"processed", c.processed}, {"batchRuns", c.batchRuns},
        {"staleness", c.stalenessEvents}, {"maxStaleness", c.maxStalenessEvents},
        {"policy", streambatch::triggerName(policy.trigger).toStdString()}, {"every", every},
        {"rate", m_panel->rate()}, {"caughtUp", m_panel->isCaughtUp()}};
}

QString StreamBatchFeature::applyLessonSetup(const nlohmann::json& setup)
{
    if (!setup.is_object())
        return tr(
            "streamBatch: expected an object such as {\"rate\": 100, \"policy\": \"events\", \"every\": 50, "
            "\"play\": true}");
    for (const auto& [key, value] : setup.items()) {
        if (key != "rate" && key != "policy" && key != "every" && key != "play" && key != "reset")
            return tr("streamBatch: unknown member \"%1\" (known: rate, policy, every, play, reset)")
                .arg(QString::fromStdString(key));
    }
    for (const char* flag : {"play", "reset"}) {
        if (setup.contains(flag) && !setup[flag].is_boolean())
            return tr("streamBatch.%1: expected true or false").arg(QString::fromLatin1(flag));
    }
    std::optional<int> rate;
    if (setup.contains("rate")) {
        const auto& r = setup["rate"];
        if (!r.is_number_integer() || r.get<qint64>() < StreamBatchPanel::MinRate
            || r.get<qint64>() > StreamBatchPanel::MaxRate)
            return tr("streamBatch.rate: expected a whole number of events per second from %1 to %2, got %3")
                .arg(StreamBatchPanel::MinRate)
                .arg(StreamBatchPanel::MaxRate)
                .arg(QString::fromStdString(r.dump()));
        rate = r.get<int>();
    }
    BatchPolicy policy = m_panel->policy();
    if (setup.contains("policy")) {
        const auto& p = setup["policy"];
        const auto trigger = p.is_string()
            ? streambatch::triggerFromName(QString::fromStdString(p.get<std::string>()))
            : std::nullopt;
        if (!trigger)
            return tr("streamBatch.policy: expected \"events\" or \"seconds\", got %1")
                .arg(QString::fromStdString(p.dump()));
        policy.trigger = *trigger;
    }
    if (setup.contains("every")) {
        const auto& e = setup["every"];
        if (policy.trigger == BatchPolicy::Trigger::Events) {
            if (!e.is_number_integer() || e.get<qint64>() < 1 || e.get<qint64>() > 100000)
                return tr("streamBatch.every: expected a whole number of events from 1 to 100000, got %1")
                    .arg(QString::fromStdString(e.dump()));
            policy.everyEvents = e.get<qint64>();
        } else {
            if (!e.is_number() || e.get<double>() < streambatch::MinEverySeconds || e.get<double>() > 3600)
                return tr("streamBatch.every: expected seconds from %1 to 3600, got %2")
                    .arg(streambatch::MinEverySeconds)
                    .arg(QString::fromStdString(e.dump()));
            policy.everySeconds = e.get<double>();
        }
    }
    const bool play = setup.value("play", false);
    if (play && !m_panel->hasStore())
        return tr("streamBatch.play: no store is open to replay");
    if (setup.value("reset", false))
        m_panel->reset();
    if (rate)
        m_panel->setRate(*rate);
    try {
        m_panel->setPolicy(policy);
    } catch (const InvalidInput& error) {
        return QStringLiteral("streamBatch.every: ") + error.message();
    }
    if (setup.contains("play")) {
        if (play && !m_panel->play())
            return tr("streamBatch.play: %1").arg(m_panel->statusText());
        if (!play)
            m_panel->pause();
    }
    return {};
}

} // namespace chronoscope
