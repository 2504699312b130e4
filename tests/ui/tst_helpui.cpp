// Help in the window, offscreen on a copy of the sample store: the manual (menu, F1 at the panel
// in focus, search, glossary links clicked), the glossary (its file, its tooltips on the words),
// Help > Keyboard Shortcuts (read from the window's actions), and the welcome page with its three
// links clicked, including Publish on the read-only sample, which offers a writable copy.
#include "bus/buscontroller.h"
#include "bus/publishdialog.h"
#include "help/glossary.h"
#include "help/manualwindow.h"
#include "help/shortcuts.h"
#include "help/welcomedialog.h"
#include "streams/eventinspector.h"
#include "streams/eventtablemodel.h"
#include "support/clicklink.h"
#include "support/testsupport.h"
#include "timetravel/statepanel.h"
#include "window/mainwindow.h"
#include "window/workspaces.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QTreeWidget>

#include <functional>
#include <memory>

using namespace chronoscope;

namespace {

// Clicks, with the mouse, the link whose href is `href` in a text browser. False when the page
// has no such link.
using testsupport::clickLink;

// Every href of a page.
QStringList links(const QString& html)
{
    QStringList out;
    static const QRegularExpression href(QStringLiteral("href=\"([^\"]+)\""));
    for (auto it = href.globalMatch(html); it.hasNext();)
        out << it.next().captured(1);
    return out;
}

// Calls `act` on the next modal widget that opens (a message box, a file dialog).
void onNextModal(std::function<void(QWidget*)> act, QWidget* notThis = nullptr)
{
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, act, notThis] {
        QWidget* modal = QApplication::activeModalWidget();
        if (!modal || modal == notThis || !modal->isVisible())
            return;
        timer->stop();
        timer->deleteLater();
        act(modal);
    });
    timer->start();
}

// The tooltip a widget shows when the mouse rests at `pos` ("" when none).
QString tooltipAt(QWidget* widget, QPoint pos)
{
    QToolTip::hideText();
    for (int i = 0; i < 100 && QToolTip::isVisible(); ++i)
        QTest::qWait(10); // the last one goes first
    QHelpEvent event(QEvent::ToolTip, pos, widget->mapToGlobal(pos));
    QApplication::sendEvent(widget, &event);
    return QToolTip::isVisible() ? QToolTip::text() : QString();
}

} // namespace

class TestHelpUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void glossaryFileCoversTheVocabulary();
    void glossaryRefusesBadFiles();
    void manualLinksResolve();
    void manualOpensFromTheMenuAndSearches();
    void f1OpensTheSectionOfThePanelInFocus();
    void glossaryLinksAreClicked();
    void wordsExplainThemselvesInTooltips();
    void shortcutsAreReadFromTheWindow();
    void welcomeShowsOnFirstLaunchOnly();
    void welcomeLinksDoWhatTheySay();
    void publishOnTheReadOnlySampleOffersACopy();

private:
    help::ManualWindow* openManualFromMenu();
    QAction* helpAction(const QString& name) const;

    QTemporaryDir m_dir;
    QString m_sample; // a copy of the bundled sample, opened read-only as the program does
    std::unique_ptr<MainWindow> m_window;
};

void TestHelpUi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_helpui"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    m_sample = m_dir.filePath(QStringLiteral("sample.chronoscope"));
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), m_sample));
    QFile::setPermissions(m_sample, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void TestHelpUi::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->resize(1366, 768);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY2(m_window->openFile(m_sample, true), qPrintable(m_window->lastError()));
}

void TestHelpUi::cleanup()
{
    for (QWidget* top : QApplication::topLevelWidgets()) {
        if (top != m_window.get() && top->isVisible())
            top->close();
    }
    m_window.reset();
}

QAction* TestHelpUi::helpAction(const QString& name) const
{
    auto* menu = m_window->menuBar()->findChild<QMenu*>(QStringLiteral("helpMenu"));
    if (!menu)
        return nullptr;
    for (QAction* action : menu->actions()) {
        if (action->objectName() == name)
            return action;
    }
    return nullptr;
}

help::ManualWindow* TestHelpUi::openManualFromMenu()
{
    QAction* manual = helpAction(QStringLiteral("manualAction"));
    if (!manual)
        return nullptr;
    manual->trigger();
    return m_window->findChild<help::ManualWindow*>();
}

void TestHelpUi::glossaryFileCoversTheVocabulary()
{
    const help::Glossary& glossary = help::Glossary::bundled();
    QVERIFY(glossary.terms().size() >= 30);
    // The concepts the issue names, each with a tooltip and a long text.
    for (const char* id : {"event", "stream", "version", "position", "expected-version", "projection",
             "read-model", "upcaster", "dead-letter", "saga", "correlation-id", "causation-id"}) {
        const help::GlossaryTerm* term = glossary.find(QLatin1String(id));
        QVERIFY2(term, id);
        QVERIFY(!term->shortText.isEmpty() && term->shortText.size() <= 240);
        QVERIFY(term->longText.size() > term->shortText.size());
        QVERIFY(glossary.tooltip(term->id).contains(term->term.toHtmlEscaped()));
    }
    for (const help::GlossaryTerm& term : glossary.terms()) {
        for (const QString& other : term.see)
            QVERIFY2(glossary.find(other), qPrintable(term.id + QStringLiteral(" sees ") + other));
    }
    // Words as they appear in the window find their term.
    QCOMPARE(glossary.lookup(QStringLiteral("Version:"))->id, QStringLiteral("version"));
    QCOMPARE(glossary.lookup(QStringLiteral("  Dead Letters "))->id, QStringLiteral("dead-letter"));
    QCOMPARE(glossary.lookup(QStringLiteral("Correlation"))->id, QStringLiteral("correlation-id"));
    QCOMPARE(glossary.lookup(QStringLiteral("WrongExpectedVersion"))->id, QStringLiteral("expected-version"));
    QVERIFY(!glossary.lookup(QStringLiteral("banana")));
    QVERIFY(!glossary.lookup(QString()));
}

void TestHelpUi::glossaryRefusesBadFiles()
{
    QString error;
    QVERIFY(help::Glossary::fromJson("{\"terms\": [", &error).terms().empty());
    QVERIFY2(error.startsWith(QStringLiteral("not JSON at offset")), qPrintable(error));
    help::Glossary::fromJson("{\"words\": []}", &error);
    QCOMPARE(error, QStringLiteral("no \"terms\" array"));
    help::Glossary::fromJson(
        R"({"terms":[{"id":"a","term":"A","short":"x"},{"id":"b","term":"B"}]})", &error);
    QCOMPARE(error, QStringLiteral("terms[1]: needs \"id\", \"term\" and \"short\""));
    help::Glossary::fromJson(
        R"({"terms":[{"id":"a","term":"A","short":"x"},{"id":"a","term":"B","short":"y"}]})", &error);
    QCOMPARE(error, QStringLiteral("terms[1]: id \"a\" appears twice"));
    const auto good
        = help::Glossary::fromJson(R"({"terms":[{"id":"a","term":"A <b>","short":"x & y"}]})", &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(good.terms().size(), size_t(1));
    QVERIFY(good.tooltip(QStringLiteral("a")).contains(QStringLiteral("A &lt;b&gt;")));
    QVERIFY(good.tooltip(QStringLiteral("a")).contains(QStringLiteral("x &amp; y")));
    QVERIFY(good.pageHtml(QStringLiteral("missing")).contains(QStringLiteral("Not in the glossary")));
}

void TestHelpUi::manualLinksResolve()
{
    // Every link of the manual and the welcome page leads somewhere: an anchor of the manual, a
    // glossary term, or an action the window knows.
    const QString manual = QString::fromUtf8(testsupport::readFile(QStringLiteral(":/help/manual.html")));
    const QString welcome = QString::fromUtf8(testsupport::readFile(QStringLiteral(":/help/welcome.html")));
    QVERIFY(manual.size() > 20000);
    QSet<QString> anchors;
    static const QRegularExpression name(QStringLiteral("<a name=\"([^\"]+)\""));
    for (auto it = name.globalMatch(manual); it.hasNext();)
        anchors.insert(it.next().captured(1));
    int checked = 0;
    for (const QString& link : links(manual) + links(welcome)) {
        if (link.startsWith(QLatin1Char('#')))
            QVERIFY2(anchors.contains(link.mid(1)), qPrintable(link));
        else if (link.startsWith(QLatin1String("glossary:")))
            QVERIFY2(help::Glossary::bundled().find(link.mid(9)), qPrintable(link));
        else
            QVERIFY2(link.startsWith(QLatin1String("chronoscope:")), qPrintable(link));
        ++checked;
    }
    QVERIFY(checked > 100);
    // Every glossary term is listed in the manual's glossary section.
    for (const help::GlossaryTerm& term : help::Glossary::bundled().terms())
        QVERIFY2(manual.contains(QStringLiteral("href=\"glossary:%1\"").arg(term.id)), qPrintable(term.id));
}

void TestHelpUi::manualOpensFromTheMenuAndSearches()
{
    help::ManualWindow* manual = openManualFromMenu();
    QVERIFY(manual);
    QVERIFY(QTest::qWaitForWindowExposed(manual));
    QCOMPARE(manual->browser()->source().adjusted(QUrl::RemoveFragment),
        QUrl(QStringLiteral("qrc:/help/manual.html")));
    QVERIFY(manual->browser()->toPlainText().contains(QStringLiteral("Getting started")));
    QVERIFY(manual->sectionAnchors().size() >= 30);

    // A search highlights every match and lists only the sections (and terms) holding one.
    QTest::keyClicks(manual->searchEdit(), QStringLiteral("dead letter"));
    const int matches = manual->matchCount();
    QVERIFY2(matches >= 5, qPrintable(QString::number(matches)));
    QCOMPARE(manual->browser()->extraSelections().size(), matches);
    int listed = 0;
    int hidden = 0;
    QTreeWidgetItem* deadLetters = nullptr;
    QTreeWidgetItem* term = nullptr;
    for (QTreeWidgetItemIterator it(manual->contents()); *it; ++it) {
        QTreeWidgetItem* item = *it;
        if (item->childCount() > 0 && item->parent() == nullptr
            && item->text(0) == QStringLiteral("Glossary terms"))
            continue;
        if (item->isHidden()) {
            ++hidden;
            QVERIFY(item->text(1).isEmpty());
        } else {
            ++listed;
            QVERIFY2(item->text(1).toInt() > 0 || item->childCount() > 0, qPrintable(item->text(0)));
        }
        if (item->text(0) == QStringLiteral("Dead Letters"))
            deadLetters = item;
        if (item->text(0) == QStringLiteral("Dead letter"))
            term = item;
    }
    QVERIFY(listed > 0);
    QVERIFY(hidden > 0);
    QVERIFY(deadLetters && !deadLetters->isHidden());
    QVERIFY(term && !term->isHidden());
    // Return, F3 and Shift+F3 step through the matches.
    QTest::keyClick(manual->searchEdit(), Qt::Key_Return);
    QCOMPARE(manual->currentMatch(), 1);
    QCOMPARE(manual->browser()->textCursor().selectedText().toLower(), QStringLiteral("dead letter"));
    QTest::keyClick(manual->searchEdit(), Qt::Key_F3);
    QCOMPARE(manual->currentMatch(), 2);
    QTest::keyClick(manual->searchEdit(), Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(manual->currentMatch(), 1);
    QTest::mouseClick(manual->findChild<QToolButton*>(QStringLiteral("manualPrevious")), Qt::LeftButton);
    QCOMPARE(manual->currentMatch(), matches); // wraps around
    // A term of the results opens its page, where the search is highlighted too.
    manual->contents()->setCurrentItem(term);
    QTest::mouseClick(manual->contents()->viewport(), Qt::LeftButton, {},
        manual->contents()->visualItemRect(term).center());
    QCOMPARE(manual->browser()->source(), QUrl(QStringLiteral("glossary:dead-letter")));
    QVERIFY(manual->matchCount() >= 1);
    // Nothing found: said, nothing listed but the glossary's heading.
    manual->searchEdit()->clear();
    QTest::keyClicks(manual->searchEdit(), QStringLiteral("zqxjv"));
    QCOMPARE(manual->matchCount(), 0);
    QCOMPARE(manual->findChild<QLabel*>(QStringLiteral("manualMatches"))->text(),
        QStringLiteral("not on this page"));
    for (QTreeWidgetItemIterator it(manual->contents()); *it; ++it) {
        if ((*it)->childCount() == 0)
            QVERIFY2((*it)->isHidden(), qPrintable((*it)->text(0)));
    }
    // Cleared: everything again, nothing highlighted.
    manual->searchEdit()->clear();
    QCOMPARE(manual->browser()->extraSelections().size(), 0);
    QVERIFY(deadLetters && !deadLetters->isHidden());
}

void TestHelpUi::f1OpensTheSectionOfThePanelInFocus()
{
    m_window->activateWindow();
    m_window->eventView()->setFocus();
    QTRY_VERIFY(m_window->eventView()->hasFocus());
    QTest::keyClick(m_window->eventView(), Qt::Key_F1);
    auto* manual = m_window->findChild<help::ManualWindow*>();
    QVERIFY(manual);
    QTRY_VERIFY(manual->isVisible());
    QCOMPARE(manual->browser()->source().fragment(), QStringLiteral("events-table"));
    // Every dock has its section, and the manual has it.
    const QStringList anchors = manual->sectionAnchors();
    int docks = 0;
    for (QDockWidget* dock : m_window->findChildren<QDockWidget*>()) {
        const QString topic = m_window->helpTopicFor(dock->widget());
        QVERIFY2(anchors.contains(topic), qPrintable(dock->objectName() + QStringLiteral(" -> ") + topic));
        ++docks;
    }
    QVERIFY(docks >= 13);
    // F1 in the Charts dock opens the Charts section.
    m_window->raiseDock(QStringLiteral("chartsDock"));
    auto* charts = m_window->findChild<QDockWidget*>(QStringLiteral("chartsDock"));
    m_window->activateWindow();
    charts->widget()->setFocusPolicy(Qt::StrongFocus);
    charts->widget()->setFocus();
    QTRY_VERIFY(charts->widget()->hasFocus());
    QTest::keyClick(charts->widget(), Qt::Key_F1);
    QTRY_COMPARE(manual->browser()->source().fragment(), QStringLiteral("charts-panel"));
}

void TestHelpUi::glossaryLinksAreClicked()
{
    help::ManualWindow* manual = openManualFromMenu();
    QVERIFY(manual);
    QVERIFY(QTest::qWaitForWindowExposed(manual));
    manual->showTopic();
    QVERIFY(clickLink(manual->browser(), QStringLiteral("glossary:stream")));
    QCOMPARE(manual->browser()->source(), QUrl(QStringLiteral("glossary:stream")));
    QVERIFY(manual->browser()->toPlainText().startsWith(QStringLiteral("Stream")));
    // The term's page links to the terms it names; Back returns.
    QVERIFY(clickLink(manual->browser(), QStringLiteral("glossary:version")));
    QCOMPARE(manual->browser()->source(), QUrl(QStringLiteral("glossary:version")));
    auto* back = manual->findChild<QToolButton*>(QStringLiteral("manualBack"));
    QVERIFY(back->isEnabled());
    QTest::mouseClick(back, Qt::LeftButton);
    QCOMPARE(manual->browser()->source(), QUrl(QStringLiteral("glossary:stream")));
    QVERIFY(clickLink(manual->browser(), QStringLiteral("qrc:/help/manual.html#glossary")));
    QCOMPARE(manual->browser()->source().fragment(), QStringLiteral("glossary"));
    // Help > Glossary opens the same place.
    manual->close();
    helpAction(QStringLiteral("glossaryAction"))->trigger();
    QTRY_VERIFY(manual->isVisible());
    QCOMPARE(manual->browser()->source().fragment(), QStringLiteral("glossary"));
    // The contents list follows the page.
    QVERIFY(manual->contents()->currentItem());
    QCOMPARE(manual->contents()->currentItem()->text(0), QStringLiteral("Glossary"));
}

void TestHelpUi::wordsExplainThemselvesInTooltips()
{
    const auto hasTerm = [](const QString& tip, const char* id) {
        const help::GlossaryTerm* term = help::Glossary::bundled().find(QLatin1String(id));
        return term && tip.contains(term->shortText.toHtmlEscaped());
    };
    // The event table's headers.
    QAbstractItemModel* events = m_window->eventView()->model();
    QStringList headers;
    for (int column = 0; column < events->columnCount(); ++column)
        headers << events->headerData(column, Qt::Horizontal).toString();
    const auto tipOf = [&](const QString& header) {
        return events->headerData(int(headers.indexOf(header)), Qt::Horizontal, Qt::ToolTipRole).toString();
    };
    QVERIFY(hasTerm(tipOf(QStringLiteral("Version")), "version"));
    QVERIFY(hasTerm(tipOf(QStringLiteral("Position")), "position"));
    QVERIFY(hasTerm(tipOf(QStringLiteral("Stream")), "stream"));
    // Shown by the real header when the mouse rests on it.
    QHeaderView* header = m_window->eventView()->horizontalHeader();
    const int version = int(headers.indexOf(QStringLiteral("Version")));
    const QPoint onVersion(
        header->sectionViewportPosition(version) + header->sectionSize(version) / 2, header->height() / 2);
    QVERIFY(hasTerm(tooltipAt(header->viewport(), onVersion), "version"));
    // The Event panel's labels.
    auto* versionLabel = m_window->inspector()->findChild<QLabel*>(QStringLiteral("versionLabel"));
    QVERIFY(versionLabel);
    QVERIFY(hasTerm(versionLabel->toolTip(), "version"));
    // The captions stay when the panel is emptied (only the values are cleared).
    m_window->inspector()->setEvent(std::nullopt);
    QCOMPARE(versionLabel->text(), QStringLiteral("Version:"));
    QCOMPARE(m_window->inspector()->findChild<QLabel*>(QStringLiteral("version"))->text(), QString());
    // A dock's title bar, not its contents.
    m_window->raiseDock(QStringLiteral("deadLettersDock"));
    auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("deadLettersDock"));
    QTRY_VERIFY(dock->isVisible());
    const QPoint title(dock->width() / 3, 6);
    QVERIFY2(!dock->widget()->geometry().contains(title), "the title bar is above the contents");
    QVERIFY(hasTerm(tooltipAt(dock, title), "dead-letter"));
    QCOMPARE(tooltipAt(dock, dock->widget()->geometry().center()), QString());
}

void TestHelpUi::shortcutsAreReadFromTheWindow()
{
    helpAction(QStringLiteral("shortcutsAction"))->trigger();
    auto* dialog = m_window->findChild<help::ShortcutsDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QSet<QString> rows;
    for (int i = 0; i < dialog->list()->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = dialog->list()->topLevelItem(i);
        rows.insert(item->text(0) + QLatin1Char('|') + item->text(1));
    }
    // Every menu action with a shortcut is listed, with its menu path.
    int menuKeys = 0;
    std::function<void(QMenu*, const QString&)> walk = [&](QMenu* menu, const QString& path) {
        for (QAction* action : menu->actions()) {
            QString text = action->text();
            text.remove(QLatin1Char('&'));
            const QString name = path + QStringLiteral(" \u25b8 ") + text;
            if (action->menu()) {
                walk(action->menu(), name);
            } else if (!action->shortcut().isEmpty()) {
                ++menuKeys;
                const QString key = action->shortcut().toString(QKeySequence::NativeText);
                QVERIFY2(rows.contains(key + QLatin1Char('|') + name),
                    qPrintable(key + QStringLiteral(" ") + name));
            }
        }
    };
    for (QAction* top : m_window->menuBar()->actions()) {
        if (top->menu())
            walk(top->menu(), top->text().remove(QLatin1Char('&')));
    }
    QVERIFY(menuKeys >= 12);
    QVERIFY(rows.contains(QStringLiteral("Ctrl+P|Bus \u25b8 Publish\u2026")));
    QVERIFY(rows.contains(QStringLiteral("F1|Help \u25b8 User Manual")));
    QVERIFY(rows.contains(QStringLiteral("Right|One version forward")));
    QVERIFY(rows.contains(QStringLiteral("Ctrl+Return|Run the script")));
    // The filter narrows the list.
    QTest::keyClicks(dialog->filter(), QStringLiteral("version"));
    int shown = 0;
    for (int i = 0; i < dialog->list()->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = dialog->list()->topLevelItem(i);
        if (item->isHidden())
            continue;
        ++shown;
        QVERIFY(QString(item->text(0) + item->text(1) + item->text(2))
                    .contains(QStringLiteral("version"), Qt::CaseInsensitive));
    }
    QVERIFY(shown >= 3 && shown < dialog->list()->topLevelItemCount());
}

void TestHelpUi::welcomeShowsOnFirstLaunchOnly()
{
    QSettings().remove(QStringLiteral("help/showWelcome"));
    QVERIFY(m_window->showWelcomeAtStart());
    auto* welcome = m_window->findChild<help::WelcomeDialog*>();
    QVERIFY(welcome);
    QTRY_VERIFY(welcome->isVisible());
    QVERIFY(welcome->browser()->toPlainText().contains(QStringLiteral("sample shop")));
    QVERIFY(welcome->showAtStartBox()->isChecked());
    // Unticked: not again at the next start, until ticked again (Help > Welcome still shows it).
    QTest::mouseClick(
        welcome->showAtStartBox(), Qt::LeftButton, {}, QPoint(8, welcome->showAtStartBox()->height() / 2));
    QVERIFY(!welcome->showAtStartBox()->isChecked());
    QCOMPARE(QSettings().value(QStringLiteral("help/showWelcome")).toBool(), false);
    welcome->close();
    QVERIFY(!m_window->showWelcomeAtStart());
    QVERIFY(!welcome->isVisible());
    helpAction(QStringLiteral("welcomeAction"))->trigger();
    QTRY_VERIFY(welcome->isVisible());
    help::WelcomeDialog::setShowAtStart(true);
}

void TestHelpUi::welcomeLinksDoWhatTheySay()
{
    helpAction(QStringLiteral("welcomeAction"))->trigger();
    auto* welcome = m_window->findChild<help::WelcomeDialog*>();
    QVERIFY(welcome);
    QVERIFY(QTest::qWaitForWindowExposed(welcome));
    // 1. A cart's history, from its first event, in Time Travel.
    QVERIFY(clickLink(welcome->browser(), QStringLiteral("chronoscope:try-time-travel")));
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("timetravel"));
    QCOMPARE(m_window->statePanel()->stream(), std::optional<StreamId>(StreamId(QStringLiteral("cart-102"))));
    QTRY_COMPARE(m_window->statePanel()->shownVersion(), std::optional<Version>(Version(1)));
    QVERIFY(!welcome->isVisible());
    const QModelIndex current = m_window->eventView()->currentIndex();
    QVERIFY(current.isValid());
    QCOMPARE(m_window->eventView()
                 ->model()
                 ->index(current.row(), EventTableModel::VersionColumn)
                 .data()
                 .toString(),
        QStringLiteral("1"));
    // 3. The charts.
    helpAction(QStringLiteral("welcomeAction"))->trigger();
    QTRY_VERIFY(welcome->isVisible());
    QVERIFY(clickLink(welcome->browser(), QStringLiteral("chronoscope:try-charts")));
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("projections"));
    QTRY_VERIFY(m_window->findChild<QDockWidget*>(QStringLiteral("chartsDock"))->isVisible());
    // The manual and glossary links open the manual there.
    helpAction(QStringLiteral("welcomeAction"))->trigger();
    QTRY_VERIFY(welcome->isVisible());
    QVERIFY(clickLink(welcome->browser(), QStringLiteral("glossary:aggregate")));
    auto* manual = m_window->findChild<help::ManualWindow*>();
    QVERIFY(manual);
    QTRY_VERIFY(manual->isVisible());
    QCOMPARE(manual->browser()->source(), QUrl(QStringLiteral("glossary:aggregate")));
    QVERIFY(clickLink(welcome->browser(), QStringLiteral("chronoscope:manual")));
    QCOMPARE(manual->browser()->source().fragment(), QStringLiteral("getting-started"));
    QVERIFY(clickLink(welcome->browser(), QStringLiteral("chronoscope:shortcuts")));
    QTRY_VERIFY(m_window->findChild<help::ShortcutsDialog*>()
        && m_window->findChild<help::ShortcutsDialog*>()->isVisible());
    // Without a store the "try" links say what is missing.
    m_window->closeStore();
    QVERIFY(!m_window->runWelcomeLink(QStringLiteral("try-time-travel")));
    QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("Open a store")));
    QVERIFY(!m_window->runWelcomeLink(QStringLiteral("no-such-thing")));
}

void TestHelpUi::publishOnTheReadOnlySampleOffersACopy()
{
    const QByteArray before = testsupport::fileHash(m_sample);
    QAction* publish = m_window->busController()->publishAction();
    QVERIFY(m_window->store()->isReadOnly());
    QVERIFY(publish->isEnabled());
    QVERIFY2(publish->toolTip().contains(QStringLiteral("writable copy")), qPrintable(publish->toolTip()));
    // Cancelled: nothing changes.
    QString asked;
    onNextModal([&asked](QWidget* modal) {
        auto* box = qobject_cast<QMessageBox*>(modal);
        QVERIFY(box);
        asked = box->text();
        box->button(QMessageBox::Cancel)->click();
    });
    publish->trigger();
    QVERIFY2(asked.contains(QStringLiteral("read-only")), qPrintable(asked));
    QCOMPARE(m_window->storePath(), m_sample);
    // Accepted: the copy is saved where the person says, opened read-write, and the dialog opens on it.
    const QString copy = m_dir.filePath(QStringLiteral("lesson-copy.chronoscope"));
    QFile::remove(copy);
    bool named = false;
    onNextModal([&named, copy](QWidget* modal) {
        auto* box = qobject_cast<QMessageBox*>(modal);
        QVERIFY(box);
        QVERIFY(box->objectName() == QStringLiteral("writableCopyQuestion"));
        onNextModal(
            [&named, copy](QWidget* next) {
                auto* files = qobject_cast<QFileDialog*>(next);
                QVERIFY(files);
                files->selectFile(copy);
                // Typed into the name box, as a person does (the folder's loading can select the
                // suggested name again after selectFile()).
                if (auto* name = files->findChild<QLineEdit*>(QStringLiteral("fileNameEdit")))
                    name->setText(copy);
                QMetaObject::invokeMethod(files, "accept"); // what its Save button does
                named = true;
            },
            box);
        box->findChild<QPushButton*>(QStringLiteral("saveWritableCopy"))->click();
    });
    // Through the welcome page's link, as a newcomer would.
    QVERIFY(m_window->runWelcomeLink(QStringLiteral("try-publish")));
    QVERIFY(named);
    QCOMPARE(m_window->storePath(), copy);
    QVERIFY(!m_window->store()->isReadOnly());
    QCOMPARE(m_window->workspaces()->current(), QStringLiteral("bus"));
    PublishDialog* dialog = m_window->busController()->publishDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(testsupport::fileHash(m_sample), before);
}

QTEST_MAIN(TestHelpUi)
#include "tst_helpui.moc"
