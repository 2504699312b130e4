#pragma once

#include <QDialog>

class QCheckBox;

namespace chronoscope::help {

class ManualBrowser;

/// Help ▸ Welcome, shown on the first launch: what the sample shop is and three things to try,
/// each a link that does it (linkActivated("try-time-travel"), ...). Glossary links open the
/// manual's glossary (linkActivated("glossary:ID")).
class WelcomeDialog : public QDialog {
    Q_OBJECT
public:
    explicit WelcomeDialog(QWidget* parent = nullptr);

    /// Whether the page opens when Chronoscope starts (settings "help/showWelcome", on until unticked).
    static bool showAtStart();
    static void setShowAtStart(bool show);

    ManualBrowser* browser() const { return m_browser; }
    QCheckBox* showAtStartBox() const { return m_showAtStart; }

Q_SIGNALS:
    /// A link of the page: "try-time-travel", "try-publish", "try-charts", "manual", "glossary",
    /// "shortcuts" or "glossary:ID".
    void linkActivated(const QString& what);

private:
    ManualBrowser* m_browser;
    QCheckBox* m_showAtStart;
};

} // namespace chronoscope::help
