#pragma once

#include <QDialog>
#include <QString>

#include <vector>

class QLineEdit;
class QTreeWidget;

namespace chronoscope::help {

/// One key of the program: what to press, what it does, and where it works.
struct ShortcutEntry {
    QString keys;   ///< "Ctrl+P" (several joined by " or ")
    QString action; ///< "Bus ▸ Publish…", "Run the script"
    QString where;  ///< "Everywhere", or the panel or dialog it works in
};

/// The widget property a panel that handles keys itself lists them in: a QStringList of
/// "KEYS\tWHAT IT DOES" lines (the time bar's Left, Right and Space).
inline constexpr const char* PanelKeysProperty = "chronoscopeKeys";

/// Every shortcut of `window` and the windows it owns, read from the program itself: the menu
/// bar's actions (with their menu path), other actions with a shortcut, QShortcut objects (their
/// whatsThis says what they do) and the keys panels list in PanelKeysProperty. Sorted by where,
/// then by the order found.
std::vector<ShortcutEntry> collectShortcuts(QWidget* window);

/// Help ▸ Keyboard Shortcuts: the list collectShortcuts() makes, with a filter line.
class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShortcutsDialog(QWidget* window);
    /// Reads the shortcuts again (menus change with the store).
    void refresh();
    QTreeWidget* list() const { return m_list; }
    QLineEdit* filter() const { return m_filter; }

private:
    void applyFilter();

    QWidget* m_window;
    QLineEdit* m_filter;
    QTreeWidget* m_list;
};

} // namespace chronoscope::help
