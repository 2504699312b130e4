#include "help/shortcuts.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSet>
#include <QShortcut>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace chronoscope::help {

namespace {

QString plain(QString text)
{
    // "&Open…" → "Open…" ("&&" is a real ampersand)
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    text.replace(QStringLiteral("\x01"), QStringLiteral("&"));
    return text;
}

QString keysText(const QList<QKeySequence>& keys)
{
    QStringList parts;
    for (const QKeySequence& key : keys) {
        if (!key.isEmpty())
            parts << key.toString(QKeySequence::NativeText);
    }
    return parts.join(QObject::tr(" or "));
}

// The panel or dialog a widget sits in: its dock's title, else its window's title.
QString whereOf(const QWidget* widget, const QWidget* mainWindow)
{
    for (const QWidget* w = widget; w; w = w->parentWidget()) {
        if (auto* dock = qobject_cast<const QDockWidget*>(w))
            return plain(dock->windowTitle());
        if (w->isWindow())
            return w == mainWindow ? QObject::tr("Main window") : plain(w->windowTitle());
    }
    return QObject::tr("Main window");
}

void fromMenu(QMenu* menu, const QString& path, std::vector<ShortcutEntry>& out, QSet<QAction*>& seen)
{
    for (QAction* action : menu->actions()) {
        if (action->isSeparator())
            continue;
        const QString name = path + QStringLiteral(" \u25b8 ") + plain(action->text());
        if (action->menu()) {
            fromMenu(action->menu(), name, out, seen);
            continue;
        }
        seen.insert(action);
        const QString keys = keysText(action->shortcuts());
        if (!keys.isEmpty())
            out.push_back({keys, name, QObject::tr("Everywhere")});
    }
}

} // namespace

std::vector<ShortcutEntry> collectShortcuts(QWidget* window)
{
    std::vector<ShortcutEntry> menus;
    std::vector<ShortcutEntry> panels;
    QSet<QAction*> seen;
    if (auto* main = qobject_cast<QMainWindow*>(window)) {
        for (QAction* top : main->menuBar()->actions()) {
            if (top->menu())
                fromMenu(top->menu(), plain(top->text()), menus, seen);
        }
    }
    for (QAction* action : window->findChildren<QAction*>()) {
        if (seen.contains(action) || action->menu())
            continue;
        const QString keys = keysText(action->shortcuts());
        if (keys.isEmpty())
            continue;
        auto* owner = qobject_cast<QWidget*>(action->parent());
        panels.push_back({keys, plain(action->text()), whereOf(owner ? owner : window, window)});
    }
    for (QShortcut* shortcut : window->findChildren<QShortcut*>()) {
        const QString keys = keysText(shortcut->keys());
        if (keys.isEmpty())
            continue;
        const QString what
            = shortcut->whatsThis().isEmpty() ? QObject::tr("(not described)") : shortcut->whatsThis();
        panels.push_back({keys, what, whereOf(qobject_cast<QWidget*>(shortcut->parent()), window)});
    }
    QList<QWidget*> widgets = window->findChildren<QWidget*>();
    widgets.prepend(window);
    for (QWidget* widget : std::as_const(widgets)) {
        const QStringList lines = widget->property(PanelKeysProperty).toStringList();
        for (const QString& line : lines) {
            const int tab = line.indexOf(QLatin1Char('\t'));
            if (tab > 0)
                panels.push_back({line.left(tab), line.mid(tab + 1), whereOf(widget, window)});
        }
    }
    std::stable_sort(panels.begin(), panels.end(),
        [](const ShortcutEntry& a, const ShortcutEntry& b) { return a.where < b.where; });
    // The same key of the same panel found twice (two instances of a panel) is listed once.
    std::vector<ShortcutEntry> out = menus;
    for (const ShortcutEntry& entry : panels) {
        const bool duplicate = std::any_of(out.begin(), out.end(), [&](const ShortcutEntry& e) {
            return e.keys == entry.keys && e.action == entry.action && e.where == entry.where;
        });
        if (!duplicate)
            out.push_back(entry);
    }
    return out;
}

ShortcutsDialog::ShortcutsDialog(QWidget* window)
    : QDialog(window)
    , m_window(window)
    , m_filter(new QLineEdit)
    , m_list(new QTreeWidget)
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_filter->setObjectName(QStringLiteral("shortcutsFilter"));
    m_filter->setPlaceholderText(tr("Filter by key or action"));
    m_filter->setClearButtonEnabled(true);
    m_list->setObjectName(QStringLiteral("shortcutsList"));
    m_list->setRootIsDecorated(false);
    m_list->setColumnCount(3);
    m_list->setHeaderLabels({tr("Keys"), tr("Action"), tr("Where")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->setAlternatingRowColors(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_filter, &QLineEdit::textChanged, this, &ShortcutsDialog::applyFilter);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
    resize(720, 520);
    refresh();
}

void ShortcutsDialog::refresh()
{
    m_list->clear();
    for (const ShortcutEntry& entry : collectShortcuts(m_window))
        m_list->addTopLevelItem(new QTreeWidgetItem({entry.keys, entry.action, entry.where}));
    applyFilter();
}

void ShortcutsDialog::applyFilter()
{
    const QString text = m_filter->text().trimmed();
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_list->topLevelItem(i);
        const bool match = text.isEmpty() || item->text(0).contains(text, Qt::CaseInsensitive)
            || item->text(1).contains(text, Qt::CaseInsensitive)
            || item->text(2).contains(text, Qt::CaseInsensitive);
        item->setHidden(!match);
    }
}

} // namespace chronoscope::help
