#pragma once

#include <QTextBrowser>
#include <QUrl>
#include <QWidget>

class QLabel;
class QTextDocument;
class QLineEdit;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace chronoscope::help {

/// The manual's browser: pages of the bundled manual (qrc:/help/...) and of the glossary
/// (glossary:ID, made from glossary.json). Links that leave the manual are handed on.
class ManualBrowser : public QTextBrowser {
    Q_OBJECT
public:
    explicit ManualBrowser(QWidget* parent = nullptr);
    QVariant loadResource(int type, const QUrl& name) override;
    /// Whether a click on a link shows its page here (true) or only emits anchorClicked (false).
    void setFollowLinks(bool follow) { m_followLinks = follow; }

Q_SIGNALS:
    /// A chronoscope:WHAT link was clicked (the welcome page's "try this" links).
    void actionLinkClicked(const QString& what);

private:
    void follow(const QUrl& link);

    bool m_followLinks = true;
};

/// Help ▸ User Manual: the bundled manual with its contents, back and forward, and a search that
/// highlights every match, steps through them (Return, F3, Shift+F3) and lists the sections and
/// glossary terms that hold them.
class ManualWindow : public QWidget {
    Q_OBJECT
public:
    explicit ManualWindow(QWidget* parent = nullptr);

    /// Shows the manual at this anchor ("time-travel-workspace"), a glossary term
    /// ("glossary:version") or, when empty, at its top; brings the window to the front.
    void showTopic(const QString& topic = {});

    ManualBrowser* browser() const { return m_browser; }
    QLineEdit* searchEdit() const { return m_search; }
    QTreeWidget* contents() const { return m_contents; }
    /// Matches of the search on the page shown, and which one is current (1-based, 0 = none).
    int matchCount() const { return int(m_matches.size()); }
    int currentMatch() const { return m_current + 1; }
    void findNext();
    void findPrevious();
    /// The anchors of the manual's sections, in order (for tests and F1 on a panel).
    QStringList sectionAnchors() const;

private:
    void buildContents();
    void search();
    void highlight();
    void onItemActivated(QTreeWidgetItem* item);
    void selectShown(const QUrl& url);

    ManualBrowser* m_browser;
    QLineEdit* m_search;
    QLabel* m_matchLabel;
    QToolButton* m_previous;
    QToolButton* m_next;
    QTreeWidget* m_contents;
    QTextDocument* m_manual = nullptr; // the manual as loaded, for counting matches per section
    QList<QTextCursor> m_matches;
    int m_current = -1;
};

} // namespace chronoscope::help
