#include "help/manualwindow.h"

#include "help/glossary.h"

#include <QDesktopServices>
#include <QFile>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QTextBlock>
#include <QTextDocument>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chronoscope::help {

namespace {

const QUrl ManualUrl(QStringLiteral("qrc:/help/manual.html"));
constexpr int UrlRole = Qt::UserRole;
constexpr int StartRole = Qt::UserRole + 1;
constexpr int EndRole = Qt::UserRole + 2;
constexpr int TermRole = Qt::UserRole + 3;

QString readResource(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// The name of the first anchor in a block ("" when it has none).
QString blockAnchor(const QTextBlock& block)
{
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QStringList names = it.fragment().charFormat().anchorNames();
        if (!names.isEmpty())
            return names.front();
    }
    return {};
}

QList<QTextCursor> findAll(const QTextDocument* document, const QString& text)
{
    QList<QTextCursor> found;
    if (text.isEmpty())
        return found;
    QTextCursor cursor(const_cast<QTextDocument*>(document));
    while (true) {
        cursor = document->find(text, cursor);
        if (cursor.isNull() || found.size() >= 10000)
            break;
        found << cursor;
    }
    return found;
}

} // namespace

ManualBrowser::ManualBrowser(QWidget* parent)
    : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("manualBrowser"));
    setOpenLinks(false);
    connect(this, &QTextBrowser::anchorClicked, this, &ManualBrowser::follow);
}

QVariant ManualBrowser::loadResource(int type, const QUrl& name)
{
    if (name.scheme() == QLatin1String("glossary"))
        return Glossary::bundled().pageHtml(name.path());
    return QTextBrowser::loadResource(type, name);
}

void ManualBrowser::follow(const QUrl& link)
{
    if (!m_followLinks)
        return;
    const QUrl url = link.isRelative() ? source().resolved(link) : link;
    const QString scheme = url.scheme();
    if (scheme == QLatin1String("chronoscope")) {
        Q_EMIT actionLinkClicked(url.path());
    } else if (scheme == QLatin1String("glossary") || scheme == QLatin1String("qrc")) {
        if (url.adjusted(QUrl::RemoveFragment) == source().adjusted(QUrl::RemoveFragment)
            && url.hasFragment())
            scrollToAnchor(url.fragment()); // same page: keep the history short
        setSource(url);
    } else {
        QDesktopServices::openUrl(url);
    }
}

ManualWindow::ManualWindow(QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_browser(new ManualBrowser)
    , m_search(new QLineEdit)
    , m_matchLabel(new QLabel)
    , m_previous(new QToolButton)
    , m_next(new QToolButton)
    , m_contents(new QTreeWidget)
{
    setObjectName(QStringLiteral("manualWindow"));
    setWindowTitle(tr("Chronoscope Manual"));
    auto* back = new QToolButton;
    back->setObjectName(QStringLiteral("manualBack"));
    back->setText(tr("\u2190 Back"));
    back->setToolTip(tr("Back (Alt+Left)"));
    back->setShortcut(QKeySequence::Back);
    back->setEnabled(false);
    auto* forward = new QToolButton;
    forward->setObjectName(QStringLiteral("manualForward"));
    forward->setText(tr("Forward \u2192"));
    forward->setToolTip(tr("Forward (Alt+Right)"));
    forward->setShortcut(QKeySequence::Forward);
    forward->setEnabled(false);
    auto* home = new QToolButton;
    home->setObjectName(QStringLiteral("manualHome"));
    home->setText(tr("Contents"));
    home->setToolTip(tr("The start of the manual"));
    connect(back, &QToolButton::clicked, m_browser, &QTextBrowser::backward);
    connect(forward, &QToolButton::clicked, m_browser, &QTextBrowser::forward);
    connect(home, &QToolButton::clicked, this, [this] { showTopic(); });
    connect(m_browser, &QTextBrowser::backwardAvailable, back, &QToolButton::setEnabled);
    connect(m_browser, &QTextBrowser::forwardAvailable, forward, &QToolButton::setEnabled);

    m_search->setObjectName(QStringLiteral("manualSearch"));
    m_search->setPlaceholderText(tr("Search the manual and glossary (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_matchLabel->setObjectName(QStringLiteral("manualMatches"));
    m_previous->setObjectName(QStringLiteral("manualPrevious"));
    m_previous->setText(QStringLiteral("\u25b2"));
    m_previous->setToolTip(tr("Previous match (Shift+F3)"));
    m_next->setObjectName(QStringLiteral("manualNext"));
    m_next->setText(QStringLiteral("\u25bc"));
    m_next->setToolTip(tr("Next match (Return, F3)"));
    connect(m_search, &QLineEdit::textChanged, this, &ManualWindow::search);
    connect(m_search, &QLineEdit::returnPressed, this, &ManualWindow::findNext);
    connect(m_next, &QToolButton::clicked, this, &ManualWindow::findNext);
    connect(m_previous, &QToolButton::clicked, this, &ManualWindow::findPrevious);
    auto* focusSearch = new QShortcut(QKeySequence::Find, this);
    focusSearch->setWhatsThis(tr("Search the manual"));
    connect(focusSearch, &QShortcut::activated, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    auto* nextKey = new QShortcut(QKeySequence::FindNext, this);
    nextKey->setWhatsThis(tr("Next match in the manual"));
    connect(nextKey, &QShortcut::activated, this, &ManualWindow::findNext);
    auto* previousKey = new QShortcut(QKeySequence::FindPrevious, this);
    previousKey->setWhatsThis(tr("Previous match in the manual"));
    connect(previousKey, &QShortcut::activated, this, &ManualWindow::findPrevious);

    m_contents->setObjectName(QStringLiteral("manualContents"));
    m_contents->setColumnCount(2);
    m_contents->setHeaderLabels({tr("Contents"), tr("Matches")});
    m_contents->header()->setStretchLastSection(false);
    m_contents->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_contents->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_contents->setColumnHidden(1, true);
    m_contents->setUniformRowHeights(true);
    connect(m_contents, &QTreeWidget::itemActivated, this, &ManualWindow::onItemActivated);
    connect(m_contents, &QTreeWidget::itemClicked, this, &ManualWindow::onItemActivated);
    connect(m_browser, &QTextBrowser::sourceChanged, this, &ManualWindow::highlight);
    connect(m_browser, &QTextBrowser::sourceChanged, this, &ManualWindow::selectShown);

    auto* bar = new QHBoxLayout;
    bar->addWidget(back);
    bar->addWidget(forward);
    bar->addWidget(home);
    bar->addSpacing(12);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_matchLabel);
    bar->addWidget(m_previous);
    bar->addWidget(m_next);
    auto* splitter = new QSplitter;
    splitter->addWidget(m_contents);
    splitter->addWidget(m_browser);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({240, 640});
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);
    resize(960, 680);

    m_browser->setSource(ManualUrl);
    buildContents();
    search();
}

void ManualWindow::buildContents()
{
    m_contents->clear();
    const QTextDocument* document = m_browser->document();
    QTreeWidgetItem* section = nullptr;
    QTreeWidgetItem* subsection = nullptr;
    auto close = [](QTreeWidgetItem* item, int end) {
        if (item)
            item->setData(0, EndRole, end);
    };
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        const int level = block.blockFormat().headingLevel();
        if (level < 2 || level > 3)
            continue;
        const QString anchor = blockAnchor(block);
        auto* item = new QTreeWidgetItem({block.text().trimmed()});
        QUrl url = ManualUrl;
        url.setFragment(anchor);
        item->setData(0, UrlRole, url);
        item->setData(0, StartRole, block.position());
        close(subsection, block.position());
        subsection = nullptr;
        if (level == 2) {
            close(section, block.position());
            m_contents->addTopLevelItem(item);
            section = item;
        } else {
            (section ? section : m_contents->invisibleRootItem())->addChild(item);
            subsection = item;
        }
    }
    const int end = document->characterCount();
    close(subsection, end);
    close(section, end);
    auto* glossary = new QTreeWidgetItem({tr("Glossary terms")});
    glossary->setData(0, UrlRole, QUrl(QStringLiteral("qrc:/help/manual.html#glossary")));
    glossary->setData(0, TermRole, QStringLiteral("*"));
    for (const GlossaryTerm& term : Glossary::bundled().terms()) {
        auto* item = new QTreeWidgetItem({term.term});
        item->setData(0, UrlRole, QUrl(QStringLiteral("glossary:") + term.id));
        item->setData(0, TermRole, term.id);
        item->setToolTip(0, term.shortText);
        glossary->addChild(item);
    }
    m_contents->addTopLevelItem(glossary);
}

QStringList ManualWindow::sectionAnchors() const
{
    QStringList anchors;
    for (QTreeWidgetItemIterator it(m_contents); *it; ++it) {
        const QUrl url = (*it)->data(0, UrlRole).toUrl();
        if (url.scheme() == QLatin1String("qrc") && url.hasFragment() && (*it)->data(0, TermRole).isNull())
            anchors << url.fragment();
    }
    return anchors;
}

void ManualWindow::showTopic(const QString& topic)
{
    if (topic.startsWith(QLatin1String("glossary:"))) {
        m_browser->setSource(QUrl(topic));
    } else {
        QUrl url = ManualUrl;
        if (!topic.isEmpty())
            url.setFragment(topic);
        if (m_browser->source().adjusted(QUrl::RemoveFragment) == ManualUrl && !topic.isEmpty())
            m_browser->scrollToAnchor(topic);
        m_browser->setSource(url);
        if (topic.isEmpty())
            m_browser->verticalScrollBar()->setValue(0);
    }
    show();
    raise();
    activateWindow();
}

// The contents follow the page: the section or term shown is the current item.
void ManualWindow::selectShown(const QUrl& url)
{
    for (QTreeWidgetItemIterator it(m_contents); *it; ++it) {
        if ((*it)->data(0, UrlRole).toUrl() == url) {
            const QSignalBlocker block(m_contents);
            m_contents->setCurrentItem(*it);
            m_contents->scrollToItem(*it);
            return;
        }
    }
}

void ManualWindow::onItemActivated(QTreeWidgetItem* item)
{
    if (!item)
        return;
    const QUrl url = item->data(0, UrlRole).toUrl();
    if (url.isEmpty())
        return;
    if (url.scheme() == QLatin1String("glossary"))
        m_browser->setSource(url);
    else
        showTopic(url.fragment());
}

// Counts the search's matches in each section of the manual and each glossary term, shows only
// those that hold one (all when the search is empty), then highlights the page shown.
void ManualWindow::search()
{
    const QString text = m_search->text().trimmed();
    m_contents->setColumnHidden(1, text.isEmpty());
    if (!m_manual) { // the page the contents were built from: positions agree
        m_manual = new QTextDocument(this);
        m_manual->setHtml(readResource(QStringLiteral(":/help/manual.html")));
    }
    const QList<QTextCursor> hits = findAll(m_manual, text);
    for (QTreeWidgetItemIterator it(m_contents); *it; ++it) {
        QTreeWidgetItem* item = *it;
        int count = 0;
        const QVariant term = item->data(0, TermRole);
        if (text.isEmpty()) {
            count = -1;
        } else if (term.isNull()) {
            const int start = item->data(0, StartRole).toInt();
            const int end = item->data(0, EndRole).toInt();
            for (const QTextCursor& hit : hits)
                count += hit.selectionStart() >= start && hit.selectionStart() < end ? 1 : 0;
        } else if (term.toString() != QLatin1String("*")) {
            QTextDocument page;
            page.setHtml(Glossary::bundled().pageHtml(term.toString()));
            count = int(findAll(&page, text).size());
        }
        item->setText(1, count > 0 ? QString::number(count) : QString());
        item->setHidden(count == 0 && term.toString() != QLatin1String("*"));
    }
    // The glossary's heading stays while one of its terms matches.
    for (int i = 0; i < m_contents->topLevelItemCount(); ++i) {
        QTreeWidgetItem* top = m_contents->topLevelItem(i);
        bool anyChild = false;
        for (int c = 0; c < top->childCount(); ++c)
            anyChild = anyChild || !top->child(c)->isHidden();
        if (anyChild)
            top->setHidden(false);
        top->setExpanded(!text.isEmpty() && anyChild);
    }
    highlight();
}

void ManualWindow::highlight()
{
    const QString text = m_search->text().trimmed();
    m_matches = findAll(m_browser->document(), text);
    QList<QTextEdit::ExtraSelection> marks;
    QTextCharFormat format;
    format.setBackground(palette().color(QPalette::Highlight).lighter(160));
    format.setForeground(palette().color(QPalette::Text));
    if (palette().color(QPalette::Base).lightness() < 128) {
        format.setBackground(palette().color(QPalette::Highlight).darker(150));
        format.setForeground(palette().color(QPalette::HighlightedText));
    }
    for (const QTextCursor& match : std::as_const(m_matches))
        marks << QTextEdit::ExtraSelection {match, format};
    m_browser->setExtraSelections(marks);
    m_current = -1;
    const bool any = !m_matches.isEmpty();
    m_next->setEnabled(any);
    m_previous->setEnabled(any);
    if (text.isEmpty())
        m_matchLabel->clear();
    else if (!any)
        m_matchLabel->setText(tr("not on this page"));
    else
        m_matchLabel->setText(tr("%n match(es) on this page", nullptr, int(m_matches.size())));
}

void ManualWindow::findNext()
{
    if (m_matches.isEmpty())
        return;
    m_current = (m_current + 1) % int(m_matches.size());
    m_browser->setTextCursor(m_matches[m_current]);
    m_browser->ensureCursorVisible();
    m_matchLabel->setText(tr("%1 of %2").arg(m_current + 1).arg(m_matches.size()));
}

void ManualWindow::findPrevious()
{
    if (m_matches.isEmpty())
        return;
    m_current = m_current <= 0 ? int(m_matches.size()) - 1 : m_current - 1;
    m_browser->setTextCursor(m_matches[m_current]);
    m_browser->ensureCursorVisible();
    m_matchLabel->setText(tr("%1 of %2").arg(m_current + 1).arg(m_matches.size()));
}

} // namespace chronoscope::help
