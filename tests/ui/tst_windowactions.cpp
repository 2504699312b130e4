// Every user action of the window, offscreen, on a copy of the sample store: each menu action
// (File, View, Schema, Bus, Help and their submenus), each entry of every context menu of the
// window's item views, each visible button (tool buttons, push buttons, dock title buttons)
// and the check boxes of the event table, with a stream and an event selected and again with
// nothing selected. Each is triggered for real; modal dialogs and menus it opens are closed;
// afterwards the window must be alive and answering (its event loop turns, its models answer).
// The what-if crash (unticking an event) is what this walker was written to catch.
#include "streams/eventtablemodel.h"
#include "timetravel/statepanel.h"
#include "window/mainwindow.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QContextMenuEvent>
#include <QDialog>
#include <QDockWidget>
#include <QFile>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QSettings>
#include <QStyle>
#include <QStyleOptionViewItem>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace chronoscope;

namespace {

/// While alive, closes every modal dialog and popup menu that opens (an action's file dialog,
/// message box, connect dialog...), so that triggering an action always returns. `onMenu`,
/// when set, is given the next popup menu instead. Menus and dialogs have a timer each: an
/// action `onMenu` triggers runs inside the menu timer's slot, and a dialog it opens there is
/// closed by the other timer (a timer does not fire again inside its own slot).
class ModalCloser : public QObject {
public:
    ModalCloser()
    {
        connect(&m_menuTimer, &QTimer::timeout, this, &ModalCloser::sweepMenus);
        connect(&m_modalTimer, &QTimer::timeout, this, &ModalCloser::sweepModals);
        m_menuTimer.start(25);
        m_modalTimer.start(25);
    }
    std::function<void(QMenu*)> onMenu;
    QStringList closed;

private:
    void sweepMenus()
    {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu)
            return;
        if (onMenu) {
            auto pick = std::move(onMenu);
            onMenu = nullptr;
            pick(menu);
        }
        if (QApplication::activePopupWidget() == menu)
            menu->close();
    }
    void sweepModals()
    {
        if (QApplication::activePopupWidget())
            return; // a menu first (it may be over the dialog)
        if (auto* modal = QApplication::activeModalWidget()) {
            closed << modal->windowTitle();
            if (auto* dialog = qobject_cast<QDialog*>(modal))
                dialog->reject();
            else
                modal->close();
        }
    }
    QTimer m_menuTimer;
    QTimer m_modalTimer;
};

QString describe(const QAction* action)
{
    QString text = action->text();
    text.remove(QLatin1Char('&'));
    return text;
}

/// Every action reachable from the menu bar (submenus included), except separators and the
/// actions that only hold a submenu.
void collectActions(QMenu* menu, const QString& path, QList<QPair<QString, QAction*>>& out)
{
    for (QAction* action : menu->actions()) {
        if (action->isSeparator())
            continue;
        const QString name = path + QStringLiteral(" > ") + describe(action);
        if (action->menu()) {
            collectActions(action->menu(), name, out);
            continue;
        }
        out.append({name, action});
    }
}

} // namespace

class TestWindowActions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void everyMenuAction_data();
    void everyMenuAction();
    void everyContextMenuEntry_data();
    void everyContextMenuEntry();
    void everyButton_data();
    void everyButton();
    void everyCheckBox();
    void theCloserAnswersADialogOpenedFromAMenu();

private:
    void open();
    void prepare(bool selected);
    void checkAnswering(const QString& after);
    QList<QPair<QString, QAction*>> menuActions() const;

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_window;
};

void TestWindowActions::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_windowactions"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    QApplication::setQuitOnLastWindowClosed(false); // File > Quit closes the window, not the test
    m_path = m_dir.filePath(QStringLiteral("actions.chronoscope"));
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), m_path));
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void TestWindowActions::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->resize(1366, 768);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    open();
}

void TestWindowActions::cleanup()
{
    for (QWidget* top : QApplication::topLevelWidgets()) {
        if (top != m_window.get() && top->isVisible())
            top->close();
    }
    m_window.reset();
}

void TestWindowActions::open()
{
    QVERIFY2(m_window->openFile(m_path), qPrintable(m_window->lastError()));
}

void TestWindowActions::prepare(bool selected)
{
    if (!m_window->store())
        open();
    if (!selected) {
        m_window->eventView()->setCurrentIndex({});
        m_window->eventView()->clearSelection();
        return;
    }
    StreamId cart;
    for (const auto& info : m_window->store()->streams(QStringLiteral("cart-"))) {
        if (info.events >= 4) {
            cart = info.stream;
            break;
        }
    }
    QVERIFY(!cart.isEmpty());
    QVERIFY(m_window->selectStream(cart));
    QTRY_VERIFY(m_window->eventView()->model()->rowCount() >= 4);
    m_window->eventView()->selectRow(1);
    QTRY_VERIFY(m_window->statePanel()->shownVersion().has_value());
}

void TestWindowActions::checkAnswering(const QString& after)
{
    QVERIFY2(m_window->isVisible(), qPrintable(after));
    bool turned = false;
    QTimer::singleShot(0, m_window.get(), [&turned] { turned = true; });
    QTRY_VERIFY2_WITH_TIMEOUT(turned, qPrintable(after), 5000);
    // Its models answer, row by row.
    auto* model = m_window->eventView()->model();
    for (int row = 0; row < std::min(model->rowCount(), 20); ++row) {
        for (int column = 0; column < model->columnCount(); ++column) {
            for (int role : {int(Qt::DisplayRole), int(Qt::FontRole), int(Qt::ForegroundRole),
                     int(Qt::CheckStateRole), int(Qt::ToolTipRole)})
                model->index(row, column).data(role);
        }
    }
    m_window->grab(); // every visible widget paints
}

QList<QPair<QString, QAction*>> TestWindowActions::menuActions() const
{
    QList<QPair<QString, QAction*>> all;
    for (QAction* top : m_window->menuBar()->actions()) {
        if (top->menu())
            collectActions(top->menu(), describe(top), all);
    }
    return all;
}

void TestWindowActions::everyMenuAction_data()
{
    QTest::addColumn<bool>("selected");
    QTest::newRow("stream and event selected") << true;
    QTest::newRow("nothing selected") << false;
}

void TestWindowActions::everyMenuAction()
{
    QFETCH(bool, selected);
    const auto actions = menuActions();
    QVERIFY(actions.size() >= 15);
    QStringList triggered;
    for (int i = 0; i < actions.size(); ++i) {
        const QString name = actions[i].first;
        if (name == QLatin1String("File > Quit"))
            continue; // closes the window: checked last
        prepare(selected);
        // Menus are rebuilt on a new store (recent files, switches): find the action again.
        QAction* action = nullptr;
        for (const auto& [n, a] : menuActions()) {
            if (n == name)
                action = a;
        }
        if (!action || !action->isEnabled())
            continue;
        ModalCloser closer;
        // An action may go with what it does (Open Recent's entries are rebuilt on opening).
        const QPointer<QAction> guarded(action);
        const bool toggle = action->isCheckable() && name.startsWith(QLatin1String("View"));
        action->trigger();
        QTest::qWait(30);
        checkAnswering(name);
        if (toggle && guarded) {
            guarded->trigger(); // a dock shown or hidden: back as it was
            checkAnswering(name + QStringLiteral(" (again)"));
        }
        triggered << name;
    }
    qInfo("triggered %lld menu actions: %s", qlonglong(triggered.size()),
        qPrintable(triggered.join(QStringLiteral("; "))));
    QVERIFY(triggered.size() >= 15);
    // Quit closes the window and nothing else happens.
    for (const auto& [n, a] : menuActions()) {
        if (n == QLatin1String("File > Quit")) {
            a->trigger();
            QTRY_VERIFY(!m_window->isVisible());
        }
    }
}

void TestWindowActions::everyContextMenuEntry_data()
{
    everyMenuAction_data();
}

void TestWindowActions::everyContextMenuEntry()
{
    QFETCH(bool, selected);
    prepare(selected);
    int views = 0;
    int entries = 0;
    const auto all = m_window->findChildren<QAbstractItemView*>();
    for (int v = 0; v < all.size(); ++v) {
        QAbstractItemView* view = m_window->findChildren<QAbstractItemView*>().value(v);
        if (!view || !view->isVisible() || view->contextMenuPolicy() == Qt::NoContextMenu)
            continue;
        const auto menuAt = [view] {
            const QModelIndex first = view->model() ? view->model()->index(0, 0) : QModelIndex();
            return first.isValid() ? view->visualRect(first).center() : view->viewport()->rect().center();
        };
        const auto rightClick = [view](const QPoint& at) {
            QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
            QApplication::sendEvent(view->viewport(), &event);
        };
        QStringList texts;
        {
            ModalCloser closer;
            closer.onMenu = [&texts](QMenu* menu) {
                for (QAction* a : menu->actions()) {
                    if (!a->isSeparator() && !a->menu() && a->isEnabled())
                        texts << a->text();
                }
            };
            rightClick(menuAt());
            QTest::qWait(60);
        }
        if (texts.isEmpty())
            continue;
        ++views;
        const QString viewName = view->objectName().isEmpty()
            ? QString::fromLatin1(view->metaObject()->className())
            : view->objectName();
        for (const QString& text : texts) {
            prepare(selected);
            if (!view->isVisible())
                break;
            ModalCloser closer;
            bool found = false;
            closer.onMenu = [&](QMenu* menu) {
                for (QAction* a : menu->actions()) {
                    if (a->text() == text && a->isEnabled()) {
                        found = true;
                        a->trigger();
                        break;
                    }
                }
            };
            rightClick(menuAt());
            QTest::qWait(60);
            checkAnswering(viewName + QStringLiteral(" > ") + text);
            if (found)
                ++entries;
        }
    }
    qInfo("context menus: %d views, %d entries triggered", views, entries);
    if (selected)
        QVERIFY2(entries >= 3, "the event table's context menu (Skip, Clear Skips, Compare) at least");
}

void TestWindowActions::everyButton_data()
{
    everyMenuAction_data();
}

void TestWindowActions::everyButton()
{
    QFETCH(bool, selected);
    prepare(selected);
    // Dock by dock (each shown and raised in turn, so that tabbed docks are reached too), then
    // what is outside the docks.
    QStringList scopes;
    for (QDockWidget* dock : m_window->findChildren<QDockWidget*>())
        scopes << dock->objectName();
    scopes << QString(); // the window itself
    int clicked = 0;
    QStringList clickedDocks;
    for (const QString& scope : scopes) {
        const auto scopeWidget = [&]() -> QWidget* {
            if (scope.isEmpty())
                return m_window.get();
            auto* dock = m_window->findChild<QDockWidget*>(scope);
            if (dock) {
                dock->setFloating(false); // a float button was clicked: docked again, its title buttons back
                m_window->raiseDock(scope); // in its workspace, as the window brings it up
            }
            return dock;
        };
        for (int i = 0; i < 200; ++i) {
            // Look them up again each time: a click may rebuild a panel or close the store.
            if (!m_window->store())
                prepare(selected);
            QWidget* within = scopeWidget();
            if (!within)
                break;
            QTest::qWait(10);
            QList<QAbstractButton*> buttons;
            for (QAbstractButton* button : within->findChildren<QAbstractButton*>()) {
                if (button->isVisible() && button->isEnabled())
                    buttons << button;
            }
            if (i >= buttons.size())
                break;
            QAbstractButton* button = buttons[i];
            const QString name = QStringLiteral("%1: %2 '%3' (%4)")
                                     .arg(scope.isEmpty() ? QStringLiteral("window") : scope,
                                         QString::fromLatin1(button->metaObject()->className()),
                                         button->text(), button->toolTip().left(60));
            ModalCloser closer;
            if (qEnvironmentVariableIsSet("CHRONOSCOPE_TRACE_CLICKS"))
                qInfo("click %s", qPrintable(name));
            QTest::mouseClick(button, Qt::LeftButton);
            QTest::qWait(20);
            if (qEnvironmentVariableIsSet("CHRONOSCOPE_TRACE_CLICKS") && !scope.isEmpty()) {
                auto* d = m_window->findChild<QDockWidget*>(scope);
                qInfo("  after: visible %d floating %d", d->isVisible(), d->isFloating());
            }
            checkAnswering(name);
            ++clicked;
            if (!scope.isEmpty() && !clickedDocks.contains(scope))
                clickedDocks << scope;
        }
    }
    qInfo("clicked %d buttons, in %lld docks: %s", clicked, qlonglong(clickedDocks.size()),
        qPrintable(clickedDocks.join(QStringLiteral(", "))));
    QVERIFY(clicked >= (selected ? 40 : 20));
    QVERIFY(clickedDocks.size() >= 8);
}

void TestWindowActions::everyCheckBox()
{
    prepare(true);
    auto* view = m_window->eventView();
    const int rows = std::min(view->model()->rowCount(), 6);
    QVERIFY(rows >= 4);
    for (int pass = 0; pass < 2; ++pass) { // untick every row, then tick them again
        for (int row = 0; row < rows; ++row) {
            const QModelIndex index = view->model()->index(row, EventTableModel::VersionColumn);
            QStyleOptionViewItem option;
            option.initFrom(view);
            option.rect = view->visualRect(index);
            option.features |= QStyleOptionViewItem::HasCheckIndicator;
            const QPoint at = view->style()
                                  ->subElementRect(QStyle::SE_ItemViewItemCheckIndicator, &option, view)
                                  .center();
            const auto before = index.data(Qt::CheckStateRole).value<Qt::CheckState>();
            QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
            QTRY_VERIFY(index.data(Qt::CheckStateRole).value<Qt::CheckState>() != before);
            checkAnswering(QStringLiteral("check box of row %1").arg(row));
        }
    }
    QTRY_VERIFY(!m_window->statePanel()->isBusy());
}

QTEST_MAIN(TestWindowActions)
void TestWindowActions::theCloserAnswersADialogOpenedFromAMenu()
{
    // The walkers above rely on it: an entry that opens a modal dialog straight from its menu
    // (inside QMenu::exec) must not hang them.
    QMenu menu;
    bool answered = false;
    menu.addAction(QStringLiteral("Ask"), [&answered] {
        QDialog dialog;
        dialog.setWindowTitle(QStringLiteral("A question"));
        dialog.exec();
        answered = true;
    });
    ModalCloser closer;
    closer.onMenu = [](QMenu* shown) { shown->actions().front()->trigger(); };
    menu.exec(QPoint(100, 100));
    QVERIFY(answered);
    QCOMPARE(closer.closed, QStringList {QStringLiteral("A question")});
}

#include "tst_windowactions.moc"
