#include "race/racefeature.h"

#include "bus/buscontroller.h"
#include "bus/busruntime.h"
#include "race/racepanel.h"
#include "window/storesession.h"

#include <QComboBox>
#include <QDockWidget>
#include <QMainWindow>

namespace chronoscope {

using json = nlohmann::json;

RaceFeature::RaceFeature(BusController* bus, QObject* parent)
    : QObject(parent)
    , m_bus(bus)
    , m_panel(new RacePanel)
{
    setObjectName(QStringLiteral("raceFeature"));
}

void RaceFeature::addDocks(QMainWindow& window)
{
    auto* dock = makeDock(tr("Race Simulator"), QStringLiteral("raceDock"), m_panel, &window);
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide(); // placed by the workspaces
}

void RaceFeature::showStore(const StoreSession& session, bool sameStore)
{
    if (sameStore)
        return; // the same store read with other upcasters: the race writes the store as opened
    BusRuntime* runtime = m_bus ? m_bus->runtime() : nullptr;
    QString why;
    if (!session.raw())
        why = tr("No store is open: open a writable store to race two writers on it.");
    else if (!runtime && BusRuntime::canPublish(session.raw().get(), &why))
        why = tr("The bus of this store is not running, so nothing can be appended.");
    m_panel->setStore(session.raw(), runtime ? &runtime->publisher() : nullptr, why);
}

json RaceFeature::lessonFacts() const
{
    return m_panel->facts();
}

QString RaceFeature::applyLessonSetup(const json& setup)
{
    if (!setup.is_object())
        return tr("race: the setup must be a JSON object {\"stream\", \"a\", \"b\", \"reset\"}");
    for (auto it = setup.begin(); it != setup.end(); ++it) {
        if (it.key() != "stream" && it.key() != "a" && it.key() != "b" && it.key() != "reset"
            && it.key() != "mode")
            return tr("race: unknown member '%1' (known: stream, a, b, mode, reset)")
                .arg(QString::fromStdString(it.key()));
    }
    if (setup.contains("reset") && !setup["reset"].is_boolean())
        return tr("race.reset: must be true or false");
    if (setup.contains("mode") && setup["mode"] != "exact" && setup["mode"] != "any")
        return tr("race.mode: must be \"exact\" (expected version) or \"any\" (last write wins)");
    if (setup.contains("stream")) {
        if (!setup["stream"].is_string())
            return tr("race.stream: must be a stream id such as \"cart-102\" or \"new\"");
        const QString error = m_panel->setStream(QString::fromStdString(setup["stream"].get<std::string>()));
        if (!error.isEmpty())
            return tr("race.stream: %1").arg(error);
    }
    for (const char* member : {"a", "b"}) {
        if (!setup.contains(member))
            continue;
        const QString error
            = m_panel->setCommand(member[0] == 'a' ? race::Writer::A : race::Writer::B, setup[member]);
        if (!error.isEmpty())
            return tr("race.%1: %2").arg(QLatin1String(member), error);
    }
    if (setup.value("reset", false))
        m_panel->resetRace();
    if (setup.contains("mode")) {
        QComboBox* mode = m_panel->modeBox();
        mode->setCurrentIndex(
            mode->findData(int(setup["mode"] == "any" ? race::AppendMode::Any : race::AppendMode::Exact)));
    }
    return {};
}

} // namespace chronoscope
