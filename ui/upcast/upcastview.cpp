#include "upcast/upcastview.h"

#include "base/style.h"
#include "streams/eventinspector.h"
#include "timetravel/changehighlightproxy.h"
#include "widgets/jsontreemodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

namespace chronoscope {

namespace {
nlohmann::json payloadOf(const RecordedEvent& event)
{
    try {
        return event.dataJson();
    } catch (const StoreError&) {
        return nlohmann::json(event.data.toStdString()); // shown as stored text
    }
}

// "/home/ana/up/rules.json rule [0]" -> "rules.json rule [0]": the folder is in the tooltip.
QStringList shortNames(const QStringList& names)
{
    QStringList shorter;
    for (const QString& name : names) {
        const auto extension = name.indexOf(QLatin1String(".js"));
        const auto slash = extension < 0 ? -1 : name.lastIndexOf(QLatin1Char('/'), extension);
        shorter << (slash < 0 ? name : name.mid(slash + 1));
    }
    return shorter;
}

QWidget* titled(QLabel* title, QTreeView* view)
{
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    QFont font = title->font();
    font.setBold(true);
    title->setFont(font);
    title->setTextFormat(Qt::PlainText);
    layout->addWidget(title);
    layout->addWidget(view, 1);
    return box;
}
} // namespace

UpcastView::UpcastView(QWidget* parent)
    : QWidget(parent)
    , m_rawModel(new JsonTreeModel(this))
    , m_upcastModel(new JsonTreeModel(this))
    , m_rawHighlight(new ChangeHighlightProxy(this))
    , m_upcastHighlight(new ChangeHighlightProxy(this))
    , m_rawView(new QTreeView)
    , m_upcastView(new QTreeView)
    , m_rawTitle(new QLabel)
    , m_upcastTitle(new QLabel)
    , m_summary(new QLabel)
    , m_error(new QLabel)
    , m_placeholder(new QLabel)
    , m_body(new QWidget)
{
    m_rawHighlight->setSourceModel(m_rawModel);
    m_upcastHighlight->setSourceModel(m_upcastModel);
    m_rawView->setObjectName(QStringLiteral("rawTree"));
    m_upcastView->setObjectName(QStringLiteral("upcastTree"));
    m_rawView->setModel(m_rawHighlight);
    m_upcastView->setModel(m_upcastHighlight);
    for (QTreeView* view : {m_rawView, m_upcastView}) {
        setUpJsonTreeView(view);
        view->header()->resizeSection(JsonTreeModel::KeyColumn, 100);
        view->setColumnHidden(JsonTreeModel::TypeColumn, true); // two trees side by side need the room
    }

    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    style::setTone(m_error, style::Tone::Error);
    m_error->hide();
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setEnabled(false);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(titled(m_rawTitle, m_rawView));
    splitter->addWidget(titled(m_upcastTitle, m_upcastView));
    splitter->setChildrenCollapsible(false);

    auto* bodyLayout = new QVBoxLayout(m_body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->setSpacing(4);
    bodyLayout->addWidget(m_summary);
    bodyLayout->addWidget(m_error);
    bodyLayout->addWidget(splitter, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(m_placeholder, 1);
    layout->addWidget(m_body, 1);
    showNoUpcasters();
}

void UpcastView::showPlaceholder(const QString& text)
{
    m_outcome.reset();
    m_rawModel->clear();
    m_upcastModel->clear();
    m_rawHighlight->clearChanges();
    m_upcastHighlight->clearChanges();
    m_placeholder->setText(text);
    m_placeholder->show();
    m_body->hide();
}

void UpcastView::showNoUpcasters()
{
    showPlaceholder(tr("No upcasters are loaded: events are shown as stored.\n"
                       "Schema \u25b8 Load Upcasters\u2026 reads the store through JSON rule files or "
                       "JavaScript upcasters."));
}

void UpcastView::clear()
{
    showPlaceholder(tr("Select an event to compare it as stored and as upcast."));
}

void UpcastView::setOutcome(const UpcastOutcome& outcome)
{
    m_outcome = outcome;
    m_placeholder->setText(QString());
    m_placeholder->hide();
    m_body->show();

    const auto raw = payloadOf(outcome.raw);
    const auto upcast = payloadOf(outcome.upcast);
    m_rawModel->setJson(raw);
    m_upcastModel->setJson(upcast);
    m_rawTitle->setText(tr("As stored (schema v%1)").arg(outcome.raw.schemaVersion));
    m_upcastTitle->setText(outcome.error.isEmpty()
            ? tr("Upcast (schema v%1)").arg(outcome.upcast.schemaVersion)
            : tr("Read as (stored form kept)"));

    // What changed: removed and replaced fields on the stored side, added and replaced ones
    // on the upcast side.
    std::vector<PatchRow> rawSide;
    std::vector<PatchRow> upcastSide;
    const auto rows = outcome.changed() ? patchRows(raw, upcast) : std::vector<PatchRow>();
    {
        for (const auto& row : rows) {
            if (row.op != QLatin1String("add"))
                rawSide.push_back(row);
            if (row.op != QLatin1String("remove"))
                upcastSide.push_back(row);
        }
    }
    m_rawHighlight->setChanges(rawSide);
    m_upcastHighlight->setChanges(upcastSide);

    if (!outcome.error.isEmpty())
        m_summary->setText(tr("An upcaster failed: the event is shown as stored (schema v%1).")
                               .arg(outcome.raw.schemaVersion));
    else if (outcome.applied.isEmpty())
        m_summary->setText(tr("No upcaster applies to %1 at schema v%2: read as stored.")
                               .arg(outcome.raw.type)
                               .arg(outcome.raw.schemaVersion));
    else
        m_summary->setText(tr("Schema v%1 \u2192 v%2 by %3 step(s): %4.\n%5 field(s) changed.")
                               .arg(outcome.raw.schemaVersion)
                               .arg(outcome.upcast.schemaVersion)
                               .arg(outcome.applied.size())
                               .arg(shortNames(outcome.applied).join(QStringLiteral(", ")))
                               .arg(rows.size()));
    m_summary->setToolTip(outcome.applied.join(QLatin1Char('\n')));
    m_error->setText(outcome.error);
    m_error->setVisible(!outcome.error.isEmpty());
    m_rawView->expandToDepth(1);
    m_upcastView->expandToDepth(1);
}

QString UpcastView::summaryText() const
{
    return m_body->isVisible() || m_outcome ? m_summary->text() : QString();
}

QString UpcastView::errorText() const
{
    return m_outcome ? m_outcome->error : QString();
}

QString UpcastView::placeholderText() const
{
    return m_outcome ? QString() : m_placeholder->text();
}

} // namespace chronoscope
