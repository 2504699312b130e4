#include "lessons/lessonactions.h"

#include "bus/buscontroller.h"
#include "bus/consumerspanel.h"
#include "bus/publishdialog.h"
#include "lessons/lessonparticipant.h"
#include "lessons/panelhighlight.h"
#include "projections/positionslider.h"
#include "projections/projectionspanel.h"
#include "sample/reactions.h"
#include "story/storyfeature.h"
#include "streams/eventtablemodel.h"
#include "timetravel/statepanel.h"
#include "widgets/jsonedit.h"
#include "window/mainwindow.h"
#include "window/workspaces.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTableView>

#include <algorithm>

namespace chronoscope {

namespace {

using json = nlohmann::json;

QString text(const json& value)
{
    return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString();
}

QString selectStreamAt(MainWindow& window, const QString& stream, const json& version, const char* member)
{
    if (stream.isEmpty())
        return QStringLiteral("%1: needs a stream id").arg(QLatin1String(member));
    if (!window.store() || !window.store()->streamInfo(StreamId(stream)))
        return QStringLiteral("%1: the store has no stream \"%2\"").arg(QLatin1String(member), stream);
    if (!window.selectStream(StreamId(stream)))
        return QStringLiteral("%1: could not select \"%2\"").arg(QLatin1String(member), stream);
    if (version.is_number_integer()) {
        const int row = window.eventModel()->ensureVersionLoaded(Version(version.get<qint64>()));
        if (row < 0)
            return QStringLiteral("%1: \"%2\" has no version %3")
                .arg(QLatin1String(member), stream)
                .arg(version.get<qint64>());
        window.eventView()->selectRow(row);
    }
    return {};
}

} // namespace

QStringList applyLessonActions(
    MainWindow& window, const json& actions, const std::vector<LessonParticipant*>& participants)
{
    QStringList problems;
    const auto note = [&](const QString& problem) {
        if (!problem.isEmpty())
            problems.append(problem);
    };
    if (!actions.is_object())
        return {QStringLiteral("do: must be an object")};
    if (const auto it = actions.find("workspace"); it != actions.end())
        if (!window.workspaces()->activate(text(*it)))
            note(QStringLiteral("workspace: no workspace \"%1\"").arg(text(*it)));
    if (const auto it = actions.find("selectAllStreams"); it != actions.end() && *it == true)
        window.selectAllStreams();
    if (const auto it = actions.find("selectStream"); it != actions.end()) {
        const auto version = actions.find("selectVersion");
        note(selectStreamAt(window, text(*it), version == actions.end() ? json() : *version, "selectStream"));
    }
    if (const auto it = actions.find("timeTravel"); it != actions.end()) {
        if (!it->is_object()) {
            note(QStringLiteral("timeTravel: must be an object {\"stream\", \"version\"}"));
        } else {
            window.workspaces()->activate(QStringLiteral("timetravel"));
            const QString problem
                = selectStreamAt(window, text(it->value("stream", json())), json(), "timeTravel");
            note(problem);
            const json version = it->value("version", json());
            if (problem.isEmpty() && version.is_number_integer())
                window.statePanel()->setVersion(Version(version.get<qint64>()));
        }
    }
    if (const auto it = actions.find("projectionsAt"); it != actions.end()) {
        PositionSlider* slider = window.projectionsPanel()->positionSlider();
        window.workspaces()->activate(QStringLiteral("projections"));
        if (*it == "live")
            slider->setLive(true);
        else if (*it == "middle")
            slider->setPosition(Position(std::max<qint64>(1, slider->lastPosition().value / 2)));
        else if (it->is_number_integer())
            slider->setPosition(Position(it->get<qint64>()));
        else
            note(QStringLiteral("projectionsAt: a position, \"middle\" or \"live\""));
    }
    if (const auto it = actions.find("consumers"); it != actions.end()) {
        ConsumersPanel* consumers = window.busController()->consumers();
        if (const auto decline = it->find("declinePayments"); decline != it->end() && decline->is_boolean())
            consumers->declineAction()->setChecked(decline->get<bool>());
        if (const auto outages = it->find("outages"); outages != it->end() && outages->is_array()) {
            QStringList wanted;
            for (const json& key : *outages)
                wanted.append(text(key));
            for (const QString& key : wanted)
                if (!sample::consumerFromText(key))
                    note(QStringLiteral(
                        "consumers.outages: no consumer \"%1\" (email, inventory, payment, saga)")
                             .arg(key));
            for (sample::Consumer c : sample::allConsumers())
                consumers->outageAction(c)->setChecked(wanted.contains(sample::consumerKey(c)));
        }
    }
    if (const auto it = actions.find("upcasters"); it != actions.end()) {
        // A bundled upcaster, written out as a file the learner can open and read.
        const QString name = text(*it);
        const QString resource = QStringLiteral(":/lessons/upcasters/") + name;
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
            + QStringLiteral("/lessons/upcasters");
        const QString file = dir + QLatin1Char('/') + name;
        if (name.isEmpty() || name.contains(QLatin1Char('/')) || !QFile::exists(resource)) {
            note(QStringLiteral("upcasters: no bundled upcaster \"%1\"").arg(name));
        } else if (!window.upcasterFiles().contains(QFileInfo(file).absoluteFilePath())) {
            QDir().mkpath(dir);
            QFile::remove(file);
            if (!QFile::copy(resource, file))
                note(QStringLiteral("upcasters: could not write %1").arg(file));
            else {
                QFile::setPermissions(file, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
                if (!window.loadUpcasters({file}))
                    note(QStringLiteral("upcasters: %1").arg(window.lastError()));
            }
        }
    }
    if (const auto it = actions.find("showStory"); it != actions.end()) {
        const QString stream = text(it->value("stream", json()));
        const json version = it->value("version", json(1));
        const auto events = window.store() && version.is_number_integer()
            ? window.store()->readStream(StreamId(stream), Version(version.get<qint64>()), 1)
            : std::vector<RecordedEvent> {};
        if (events.empty())
            note(QStringLiteral("showStory: no event at \"%1\" version %2")
                     .arg(stream, QString::fromStdString(version.dump())));
        else
            window.storyFeature()->showStoryOf(events.front());
    }
    for (const char* key : {"race", "streamBatch", "topics"}) {
        const bool known = std::any_of(participants.begin(), participants.end(),
            [&](const LessonParticipant* p) { return p->lessonKey() == QLatin1String(key); });
        if (actions.contains(key) && !known)
            note(QStringLiteral("%1: this window has no such panel").arg(QLatin1String(key)));
    }
    for (LessonParticipant* participant : participants) {
        const auto it = actions.find(participant->lessonKey().toStdString());
        if (it == actions.end())
            continue;
        window.raiseDock(participant->lessonDock());
        const QString problem = participant->applyLessonSetup(*it);
        if (!problem.isEmpty())
            note(participant->lessonKey() + QStringLiteral(": ") + problem);
    }
    if (const auto it = actions.find("publish"); it != actions.end()) {
        BusController* bus = window.busController();
        if (!bus->openPublishDialog()) {
            note(QStringLiteral("publish: this store cannot be written (start the lesson on its own store)"));
        } else if (PublishDialog* dialog = bus->publishDialog()) {
            dialog->setMode(PublishDialog::Mode::Command);
            const QString stream = text(it->value("stream", json()));
            if (!stream.isEmpty())
                dialog->setStream(stream);
            const QString type = text(it->value("type", json()));
            if (!type.isEmpty() && !dialog->setCommandType(type))
                note(QStringLiteral("publish.type: the sample shop has no command \"%1\"").arg(type));
            if (const auto data = it->find("data"); data != it->end() && data->is_object())
                dialog->commandData()->setText(QString::fromStdString(data->dump(2)));
        }
    }
    if (const auto it = actions.find("highlight"); it != actions.end()) {
        const QString name = text(*it);
        auto* dock = window.findChild<QDockWidget*>(name);
        if (name == QStringLiteral("events")) {
            PanelHighlight::flash(window.centralWidget());
        } else if (!dock) {
            note(QStringLiteral("highlight: no panel \"%1\"").arg(name));
        } else {
            window.raiseDock(name);
            PanelHighlight::flash(dock);
        }
    }
    return problems;
}

} // namespace chronoscope
