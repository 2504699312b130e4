#include "help/welcomedialog.h"

#include "help/manualwindow.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QSettings>
#include <QVBoxLayout>

namespace chronoscope::help {

namespace {
const QString ShowKey = QStringLiteral("help/showWelcome");
}

bool WelcomeDialog::showAtStart()
{
    return QSettings().value(ShowKey, true).toBool();
}

void WelcomeDialog::setShowAtStart(bool show)
{
    QSettings().setValue(ShowKey, show);
}

WelcomeDialog::WelcomeDialog(QWidget* parent)
    : QDialog(parent)
    , m_browser(new ManualBrowser)
    , m_showAtStart(new QCheckBox(tr("Show this page when Chronoscope starts")))
{
    setObjectName(QStringLiteral("welcomeDialog"));
    setWindowTitle(tr("Welcome to Chronoscope"));
    m_browser->setObjectName(QStringLiteral("welcomeBrowser"));
    m_browser->setSource(QUrl(QStringLiteral("qrc:/help/welcome.html")));
    m_browser->setMinimumSize(360, 260);
    // Links leave the page: the window does what they say (and closes this page when it does).
    m_browser->setFollowLinks(false);
    connect(m_browser, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == QLatin1String("chronoscope"))
            Q_EMIT linkActivated(url.path());
        else if (url.scheme() == QLatin1String("glossary"))
            Q_EMIT linkActivated(url.toString());
    });
    m_showAtStart->setObjectName(QStringLiteral("welcomeAtStart"));
    m_showAtStart->setChecked(showAtStart());
    connect(m_showAtStart, &QCheckBox::toggled, this, &WelcomeDialog::setShowAtStart);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_browser, 1);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_showAtStart);
    bottom->addStretch(1);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);
    resize(620, 560);
}

} // namespace chronoscope::help
