// The Chronoscope desktop program: `chronoscope [STORE]`.
#include "base/theme.h"
#include "help/manualwindow.h"
#include "help/shortcuts.h"
#include "help/welcomedialog.h"
#include "lessons/lessonsfeature.h"
#include "lessons/lessonspanel.h"
#include "projections/projectionset.h"
#include "projections/projectionspanel.h"
#include "schema/schemapanel.h"
#include "story/storyfeature.h"
#include "story/storypanel.h"
#include "streams/eventinspector.h"
#include "streams/eventtablemodel.h"
#include "timetravel/statepanel.h"
#include "window/appinfo.h"
#include "window/guardedapplication.h"
#include "window/mainwindow.h"
#include "window/workspaces.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QIcon>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <malloc.h>
#include <memory>

using namespace chronoscope;

namespace {

// The stream a screenshot shows: the one asked for, else the longest cart stream, else the longest.
std::optional<StreamId> screenshotStream(const EventStore& store, const QString& wanted)
{
    if (!wanted.isEmpty())
        return StreamId(wanted);
    // One indexed page each, never the whole list.
    StreamQuery longest;
    longest.sort = StreamQuery::Sort::Events;
    longest.descending = true;
    longest.category = QStringLiteral("cart");
    auto page = store.streamPage(longest, std::nullopt, 1);
    if (page.empty()) {
        longest.category.reset();
        page = store.streamPage(longest, std::nullopt, 1);
    }
    if (page.empty())
        return std::nullopt;
    return page.front().stream;
}

// Waits until the projections have caught up (at most timeoutMs); returns the milliseconds
// waited, or -1 when they had not caught up by then.
qint64 waitUntilSettled(MainWindow& window, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    ProjectionSet* set = window.projectionSet();
    if (set && window.store() && !set->isSettled()) {
        QEventLoop loop;
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        QObject::connect(set, &ProjectionSet::settled, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return set && window.store() && !set->isSettled() ? -1 : timer.elapsed();
}

// Brings a dock to the front; when the projections feed it, waits until they have caught up
// (at most a minute) and their views have been redrawn.
void showDock(MainWindow& window, const QString& name)
{
    window.raiseDock(name); // in its workspace's arrangement
    waitUntilSettled(window, 60000);
    QEventLoop redraw; // the panels coalesce updates for a moment before drawing
    QTimer::singleShot(500, &redraw, &QEventLoop::quit);
    redraw.exec();
}

// Selects a stream, moves the state slider and an event row to about two thirds of it, waits
// for the state, saves the window's picture. Returns the exit code.
int takeScreenshot(
    MainWindow& window, const QString& file, const QString& wantedStream, const QString& validateType)
{
    const auto stream = window.store() ? screenshotStream(*window.store(), wantedStream) : std::nullopt;
    if (stream && window.selectStream(*stream)) {
        const auto info = window.store()->streamInfo(*stream);
        const qint64 version = std::max<qint64>(1, info ? (info->version.value * 2 + 2) / 3 : 1);
        const int row = window.eventModel()->ensureVersionLoaded(Version(version));
        if (row >= 0)
            window.eventView()->selectRow(row);
        window.statePanel()->setVersion(Version(version));
        QEventLoop loop;
        QTimer::singleShot(15000, &loop, &QEventLoop::quit);
        QObject::connect(window.statePanel(), &StatePanel::stateShown, &loop, [&](Version shown) {
            if (shown.value == version)
                loop.quit();
        });
        if (window.statePanel()->shownVersion() != Version(version))
            loop.exec();
        if (!window.upcasterFiles().isEmpty())
            window.inspector()->tabs()->setCurrentIndex(EventInspector::UpcastTab);
    }
    if (!validateType.isEmpty()) {
        SchemaPanel* panel = window.schemaPanel();
        QEventLoop loop;
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        QObject::connect(panel, &SchemaPanel::validationFinished, &loop, &QEventLoop::quit);
        if (panel->validateType(validateType))
            loop.exec();
    }
    QApplication::processEvents();
    if (!window.grab().save(file)) {
        std::fprintf(stderr, "chronoscope: cannot write %s\n", qPrintable(file));
        return 1;
    }
    return 0;
}

// One JSON line for tests/bench/windowmemory.sh: the process's memory from
// /proc/self/smaps_rollup (KiB) and how many mappings of the store file it holds.
void printMemory(const MainWindow& window, qint64 settledMs)
{
    QJsonObject out {{QStringLiteral("settledMs"), settledMs}};
    QFile rollup(QStringLiteral("/proc/self/smaps_rollup"));
    if (rollup.open(QIODevice::ReadOnly)) {
        for (const auto& line : rollup.readAll().split('\n')) {
            const auto parts = line.simplified().split(' ');
            if (parts.size() >= 2 && parts[0].endsWith(':'))
                out.insert(QString::fromLatin1(parts[0].chopped(1)), parts[1].toLongLong());
        }
    }
    // What malloc holds: in use by the program, and free but not given back to the system.
    const struct mallinfo2 heap = mallinfo2();
    out.insert(QStringLiteral("heapInUse"), qint64((heap.uordblks + heap.hblkhd) / 1024));
    out.insert(QStringLiteral("heapFree"), qint64(heap.fordblks / 1024));
    QFile maps(QStringLiteral("/proc/self/maps"));
    const QString file
        = window.store() ? QFileInfo(window.store()->summary().location).fileName() : QString();
    if (!file.isEmpty() && maps.open(QIODevice::ReadOnly)) {
        int n = 0;
        for (const auto& line : maps.readAll().split('\n'))
            n += QString::fromUtf8(line).endsWith(QLatin1Char('/') + file) ? 1 : 0;
        out.insert(QStringLiteral("storeMappings"), n);
    }
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

} // namespace

// The sample store installed beside the program (PREFIX/share/chronoscope, in rollback-journal
// mode so it opens read-only from a folder nobody may write), else the one of the build tree.
static QString bundledSample()
{
    const QString installed
        = QDir(QCoreApplication::applicationDirPath())
              .absoluteFilePath(QStringLiteral("../share/chronoscope/sample-store.chronoscope"));
    if (QFileInfo::exists(installed))
        return QDir::cleanPath(installed);
    if (QFileInfo::exists(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE)))
        return QStringLiteral(CHRONOSCOPE_SAMPLE_STORE);
    return {};
}

int main(int argc, char* argv[])
{
    GuardedApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Chronoscope"));
    QApplication::setOrganizationName(QStringLiteral("Chronoscope"));
    QApplication::setApplicationVersion(applicationVersion());
    QApplication::setDesktopFileName(QStringLiteral("io.github.chronoscope.Chronoscope"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/chronoscope.png")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main",
        "Explore an event store: streams, events, and the state of any "
        "aggregate at any version."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("store"),
        QApplication::translate("main",
            "Event store to open (Chronoscope SQLite, JSON Lines, ..., or a "
            "postgresql://user@host:port/db[?schema=S] URL). "
            "Without it, the bundled sample store is opened."),
        QStringLiteral("[STORE]"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QApplication::translate("main", "Save a picture of the window and quit."), QStringLiteral("file"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption stream(QStringLiteral("stream"),
        QApplication::translate("main", "Stream to show in the screenshot."), QStringLiteral("id"));
    stream.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption size(QStringLiteral("size"),
        QApplication::translate("main", "Window size for the screenshot, WxH."), QStringLiteral("size"),
        QStringLiteral("1400x850"));
    size.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption dock(QStringLiteral("dock"),
        QApplication::translate("main", "Dock to bring to the front for the screenshot."),
        QStringLiteral("name"));
    dock.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption upcasters(QStringLiteral("upcasters"),
        QApplication::translate("main",
            "Read the store through these upcasters "
            "(.json rules or .js; repeatable)."),
        QStringLiteral("file"));
    QCommandLineOption schemas(QStringLiteral("schemas"),
        QApplication::translate("main", "Load this folder of JSON Schemas into the Schemas panel."),
        QStringLiteral("dir"));
    QCommandLineOption validate(QStringLiteral("validate-type"),
        QApplication::translate("main", "Validate every event of this type for the screenshot."),
        QStringLiteral("type"));
    validate.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption memory(QStringLiteral("memory-report"),
        QApplication::translate("main",
            "With --screenshot: wait until the projections have caught up, take the picture, then "
            "print the process's memory as one JSON line."));
    memory.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption projection(QStringLiteral("projection"),
        QApplication::translate("main", "Projection to select in the Projections panel for the screenshot."),
        QStringLiteral("name"));
    projection.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption workspace(QStringLiteral("workspace"),
        QApplication::translate(
            "main", "Workspace for the screenshot: explore, timetravel, projections, bus or schema."),
        QStringLiteral("id"));
    workspace.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption theme(QStringLiteral("theme"),
        QApplication::translate(
            "main", "Colours of the window: system, light or dark (View > Theme; remembered)."),
        QStringLiteral("theme"));
    QCommandLineOption storyOption(QStringLiteral("story"),
        QApplication::translate("main", "With --screenshot: show the story of the event at this position."),
        QStringLiteral("position"));
    storyOption.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption helpWindow(QStringLiteral("help-window"),
        QApplication::translate("main",
            "With --screenshot: picture this Help window instead: welcome, shortcuts, manual[:TOPIC]."),
        QStringLiteral("which"));
    helpWindow.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption lessonOption(QStringLiteral("lesson"),
        QApplication::translate("main",
            "Start lesson N of the bundled course (1 to 10), at step S when given: N or N:S. The lesson "
            "runs on its own copy of the sample store."),
        QStringLiteral("N[:S]"));
    parser.addOptions({screenshot, stream, size, dock, projection, upcasters, schemas, validate, memory,
        workspace, helpWindow, theme, storyOption, lessonOption});
    parser.process(app);

    const QStringList args = parser.positionalArguments();
    if (args.size() > 1)
        parser.showHelp(1);

    std::unique_ptr<QTemporaryDir> pictureSettings;
    if (parser.isSet(screenshot)) {
        // A picture never reads or changes the person's saved layouts and recent files.
        pictureSettings = std::make_unique<QTemporaryDir>();
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, pictureSettings->path());
    }
    // The theme asked for, else the one chosen last time (a picture uses the system's unless asked).
    style::Theme colours = parser.isSet(screenshot) ? style::Theme::System : style::savedTheme();
    if (parser.isSet(theme) && !style::themeFromId(parser.value(theme), &colours)) {
        std::fprintf(stderr, "chronoscope: --theme must be system, light or dark, not '%s'\n",
            qPrintable(parser.value(theme)));
        return 2;
    }
    if (colours != style::Theme::System)
        style::applyTheme(colours);
    MainWindow window;
    window.setSamplePath(bundledSample());
    app.setErrorHandler([&window](const QString& message) { window.reportUnexpectedError(message); });
    const bool screenshotMode = parser.isSet(screenshot);
    if (screenshotMode) {
        window.setErrorDialogsEnabled(false);
        const auto parts = parser.value(size).split(QLatin1Char('x'));
        if (parts.size() == 2)
            window.resize(parts[0].toInt(), parts[1].toInt());
    }
    window.show();
    if (screenshotMode) {
        // The workspace asked for, in its default arrangement at the picture's size.
        const QString id = parser.isSet(workspace) ? parser.value(workspace) : QStringLiteral("explore");
        if (!window.workspaces()->activate(id)) {
            std::fprintf(stderr, "chronoscope: no workspace '%s'\n", qPrintable(id));
            return 2;
        }
        window.workspaces()->resetCurrent();
    }

    QString path = args.isEmpty() ? QString() : args.front();
    // The bundled sample opens read-only wherever it lies (File > Save a Copy to write to it).
    const QString sample = bundledSample();
    const bool bundled = path.isEmpty() && !sample.isEmpty();
    if (bundled)
        path = sample;
    if (parser.isSet(upcasters))
        window.loadUpcasters(parser.values(upcasters));
    if (parser.isSet(schemas))
        window.schemaPanel()->loadFolder(parser.value(schemas));
    if (!path.isEmpty())
        window.openFile(path, bundled);

    if (parser.isSet(lessonOption)) {
        const QStringList parts = parser.value(lessonOption).split(QLatin1Char(':'));
        bool ok = parts.size() <= 2;
        const int lesson = parts.value(0).toInt(&ok) - 1;
        bool stepOk = true;
        const int step = parts.size() > 1 ? parts[1].toInt(&stepOk) - 1 : -1;
        LessonsFeature* lessons = window.lessonsFeature();
        if (!ok || !stepOk || lesson < 0 || lesson >= int(lessons->course().lessons.size())) {
            std::fprintf(stderr, "chronoscope: --lesson wants N or N:S with N from 1 to %d, not '%s'\n",
                int(lessons->course().lessons.size()), qPrintable(parser.value(lessonOption)));
            return 2;
        }
        if (pictureSettings) // pictures never touch the person's own lesson store
            lessons->setScratchPath(pictureSettings->filePath(QStringLiteral("lesson-store.chronoscope")));
        if (!lessons->startLesson(lesson)) {
            std::fprintf(stderr, "chronoscope: the lesson could not start: %s\n",
                qPrintable(lessons->panel()->statusText()));
            return 1;
        }
        if (step >= 0)
            lessons->goToStep(step);
        if (screenshotMode) {
            QEventLoop settle; // the step's panels draw, the check runs
            QTimer::singleShot(1500, &settle, &QEventLoop::quit);
            settle.exec();
            return window.grab().save(parser.value(screenshot)) ? 0 : 1;
        }
    }
    if (screenshotMode && parser.isSet(projection))
        window.projectionsPanel()->selectProjection(parser.value(projection));
    if (screenshotMode && parser.isSet(dock))
        showDock(window, parser.value(dock));
    if (screenshotMode && parser.isSet(memory)) {
        const qint64 settledMs = waitUntilSettled(window, 600000); // ten minutes
        const int code
            = takeScreenshot(window, parser.value(screenshot), parser.value(stream), parser.value(validate));
        printMemory(window, settledMs);
        return code;
    }
    if (screenshotMode && parser.isSet(storyOption) && window.store()) {
        const auto event = window.store()->readAt(Position(parser.value(storyOption).toLongLong()));
        if (!event) {
            std::fprintf(
                stderr, "chronoscope: no event at position %s\n", qPrintable(parser.value(storyOption)));
            return 2;
        }
        QEventLoop loop;
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        QObject::connect(window.storyFeature()->panel(), &StoryPanel::storyShown, &loop, &QEventLoop::quit);
        QObject::connect(window.storyFeature()->panel(), &StoryPanel::storyFailed, &loop, &QEventLoop::quit);
        window.storyFeature()->showStoryOf(*event);
        loop.exec();
    }
    if (screenshotMode && parser.isSet(helpWindow)) {
        // A picture of a Help window (its own size), not of the main window.
        QWidget* shown = nullptr;
        const QString which = parser.value(helpWindow);
        if (which == QLatin1String("welcome"))
            shown = window.showWelcome();
        else if (which == QLatin1String("shortcuts"))
            shown = window.showShortcuts();
        else if (which.startsWith(QLatin1String("manual")))
            shown = window.showManual(which.mid(7));           // manual[:TOPIC]
        else if (which.startsWith(QLatin1String("search:"))) { // the manual searching for this
            help::ManualWindow* manual = window.showManual(QStringLiteral("dead-letters-panel"));
            manual->searchEdit()->setText(which.mid(7));
            manual->findNext();
            shown = manual;
        }
        if (!shown) {
            std::fprintf(stderr, "chronoscope: no help window '%s'\n", qPrintable(which));
            return 2;
        }
        QEventLoop settle;
        QTimer::singleShot(300, &settle, &QEventLoop::quit);
        settle.exec();
        return shown->grab().save(parser.value(screenshot)) ? 0 : 1;
    }
    if (screenshotMode)
        return takeScreenshot(window, parser.value(screenshot), parser.value(stream), parser.value(validate));
    window.showWelcomeAtStart(); // on the first launch, until the person unticks it
    return app.exec();
}
