#include "streams/eventinspector.h"

#include "base/errors.h"
#include "base/style.h"
#include "help/glossary.h"
#include "upcast/upcastingeventstore.h"
#include "upcast/upcastview.h"
#include "widgets/jsontreemodel.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace chronoscope {

void setUpJsonTreeView(QTreeView* view)
{
    view->setAlternatingRowColors(true);
    view->setUniformRowHeights(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setTextElideMode(Qt::ElideRight);
    auto* header = view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(JsonTreeModel::KeyColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(JsonTreeModel::ValueColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(JsonTreeModel::TypeColumn, QHeaderView::Interactive);
    header->resizeSection(JsonTreeModel::KeyColumn, 170);
    header->resizeSection(JsonTreeModel::TypeColumn, 64);
}

EventInspector::EventInspector(QWidget* parent)
    : QWidget(parent)
    , m_dataModel(new JsonTreeModel(this))
    , m_metadataModel(new JsonTreeModel(this))
    , m_dataView(new QTreeView)
    , m_metadataView(new QTreeView)
    , m_tabs(new QTabWidget)
    , m_upcastView(new UpcastView)
    , m_placeholder(new QLabel(tr("Select an event to inspect it.")))
    , m_fieldsBox(new QWidget)
    , m_parseError(new QLabel)
    , m_story(new QPushButton(tr("Show Story")))
{
    auto* form = new QFormLayout(m_fieldsBox);
    form->setContentsMargins(0, 0, 0, 0);
    form->setHorizontalSpacing(12);
    form->setVerticalSpacing(3);
    form->setLabelAlignment(Qt::AlignRight);
    addField(form, QStringLiteral("type"), tr("Type:"), QStringLiteral("event"));
    addField(form, QStringLiteral("stream"), tr("Stream:"), QStringLiteral("stream"));
    addField(form, QStringLiteral("version"), tr("Version:"), QStringLiteral("version"));
    addField(form, QStringLiteral("position"), tr("Position:"), QStringLiteral("position"));
    addField(form, QStringLiteral("timestamp"), tr("Timestamp:"));
    addField(form, QStringLiteral("schema"), tr("Schema:"), QStringLiteral("schema-version"));
    addField(form, QStringLiteral("id"), tr("Event id:"));
    m_story->setObjectName(QStringLiteral("inspectorStory"));
    m_story->setToolTip(
        tr("Every event that shares this one's correlation id, across streams, as a causation tree"));
    connect(m_story, &QPushButton::clicked, this, [this] {
        if (m_event)
            Q_EMIT storyRequested(*m_event);
    });
    auto* storyRow = new QHBoxLayout;
    storyRow->addWidget(m_story);
    storyRow->addStretch(1);
    form->addRow(QString(), storyRow);

    m_dataView->setModel(m_dataModel);
    m_metadataView->setModel(m_metadataModel);
    setUpJsonTreeView(m_dataView);
    setUpJsonTreeView(m_metadataView);
    m_tabs->addTab(m_dataView, tr("Data"));
    m_tabs->addTab(m_metadataView, tr("Metadata"));
    m_tabs->addTab(m_upcastView, tr("Raw \u21c4 Upcast"));
    m_tabs->setTabToolTip(1, help::glossaryTip(QStringLiteral("metadata")));
    m_tabs->setTabToolTip(2, help::glossaryTip(QStringLiteral("upcaster")));
    m_tabs->setDocumentMode(true);

    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setEnabled(false);
    m_parseError->setWordWrap(true);
    style::setTone(m_parseError, style::Tone::Error);
    m_parseError->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_placeholder);
    layout->addWidget(m_fieldsBox);
    layout->addWidget(m_parseError);
    layout->addWidget(m_tabs, 1);
    setEvent(std::nullopt);
}

QLabel* EventInspector::addField(
    QFormLayout* form, const QString& name, const QString& label, const QString& glossaryId)
{
    auto* value = new QLabel;
    value->setObjectName(name);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setTextFormat(Qt::PlainText);
    auto* caption = new QLabel(label);
    caption->setObjectName(name + QStringLiteral("Label"));
    caption->setProperty("caption", true);
    if (!glossaryId.isEmpty())
        help::setGlossaryTip(caption, glossaryId); // the word explains itself
    form->addRow(caption, value);
    return value;
}

QString EventInspector::fieldText(const QString& field) const
{
    const auto* label = m_fieldsBox->findChild<QLabel*>(field);
    return label ? label->text() : QString();
}

void EventInspector::showJson(JsonTreeModel* model, QTreeView* view, const QByteArray& raw, bool isMetadata)
{
    try {
        model->setJson(isMetadata ? m_event->metadataJson() : m_event->dataJson());
    } catch (const StoreError& error) {
        // Shown as stored, with the reason it could not be parsed.
        model->setJson(nlohmann::json(raw.toStdString()));
        m_parseError->setText(error.message());
        m_parseError->show();
    }
    view->expandToDepth(1);
}

void EventInspector::setEvent(const std::optional<RecordedEvent>& event)
{
    m_event = event;
    m_parseError->hide();
    const bool has = m_event.has_value();
    m_placeholder->setVisible(!has);
    m_fieldsBox->setVisible(has);
    m_tabs->setVisible(has);
    const auto set = [this](const QString& name, const QString& text) {
        if (auto* label = m_fieldsBox->findChild<QLabel*>(name))
            label->setText(text);
    };
    if (!has) {
        for (auto* label : m_fieldsBox->findChildren<QLabel*>(QString(), Qt::FindDirectChildrenOnly))
            if (!label->objectName().isEmpty() && !label->property("caption").toBool())
                label->clear(); // the values, not their captions
        m_dataModel->clear();
        m_metadataModel->clear();
        showUpcast();
        return;
    }
    const auto& e = *m_event;
    set(QStringLiteral("type"), e.type);
    set(QStringLiteral("stream"), e.stream.toString());
    set(QStringLiteral("version"), QString::number(e.version.value));
    set(QStringLiteral("position"), QString::number(e.position.value));
    set(QStringLiteral("timestamp"), formatTimestamp(e.timestampMs));
    set(QStringLiteral("schema"), QString::number(e.schemaVersion));
    set(QStringLiteral("id"), e.id.toString(QUuid::WithoutBraces));
    showJson(m_dataModel, m_dataView, e.data, false);
    showJson(m_metadataModel, m_metadataView, e.metadata, true);
    m_tabs->setTabText(1,
        m_metadataModel->rowCount() > 0 ? tr("Metadata (%1)").arg(m_metadataModel->rowCount())
                                        : tr("Metadata"));
    showUpcast();
}

void EventInspector::setUpcasting(const UpcastingEventStore* store)
{
    m_upcasting = store;
    showUpcast();
}

void EventInspector::showUpcast()
{
    QString title = tr("Raw \u21c4 Upcast");
    if (!m_upcasting) {
        m_upcastView->showNoUpcasters();
    } else if (!m_event) {
        m_upcastView->clear();
    } else if (const auto outcome = m_upcasting->inspect(m_event->position)) {
        m_upcastView->setOutcome(*outcome);
        if (!outcome->error.isEmpty())
            title = tr("Raw \u21c4 Upcast \u26a0");
        else if (outcome->changed())
            title = tr("Raw \u21c4 Upcast \u2022");
    } else {
        m_upcastView->clear();
    }
    m_tabs->setTabText(UpcastTab, title);
}

} // namespace chronoscope
