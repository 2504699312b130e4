#include "schema/schemapanel.h"

#include "base/style.h"
#include "schema/schemalistmodel.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace chronoscope {

SchemaPanel::SchemaPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new SchemaListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_folderLabel(new QLabel)
    , m_error(new QLabel)
    , m_filter(new QLineEdit)
    , m_schemaView(new QTableView)
    , m_schemaText(new QPlainTextEdit)
    , m_eventButton(new QPushButton(tr("Selected &Event")))
    , m_streamButton(new QPushButton(tr("Selected &Stream")))
    , m_typeButton(new QPushButton(tr("All of &Type")))
    , m_types(new QComboBox)
    , m_resultLabel(new QLabel)
    , m_violations(new QStandardItemModel(0, 6, this))
    , m_violationView(new QTableView)
{
    auto* load = new QPushButton(tr("Load &Folder\u2026"));
    connect(load, &QPushButton::clicked, this, &SchemaPanel::chooseFolder);
    m_folderLabel->setTextFormat(Qt::PlainText);
    m_folderLabel->setEnabled(false);
    auto* top = new QHBoxLayout;
    top->addWidget(load);
    top->addWidget(m_folderLabel, 1);

    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    style::setTone(m_error, style::Tone::Error);
    m_error->hide();

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setPlaceholderText(tr("Filter schemas by type, draft or file"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    for (QTableView* view : {m_schemaView, m_violationView}) {
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setSelectionMode(QAbstractItemView::SingleSelection);
        view->setEditTriggers(QAbstractItemView::NoEditTriggers);
        view->setAlternatingRowColors(true);
        view->setWordWrap(false);
        view->setShowGrid(false);
        view->verticalHeader()->hide();
        view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
        view->horizontalHeader()->setStretchLastSection(true);
        view->horizontalHeader()->setHighlightSections(false);
    }
    m_schemaView->setModel(m_proxy);
    m_schemaView->setSortingEnabled(true);
    m_schemaView->sortByColumn(SchemaListModel::TypeColumn, Qt::AscendingOrder);
    m_schemaView->horizontalHeader()->resizeSection(SchemaListModel::TypeColumn, 150);
    m_schemaView->horizontalHeader()->resizeSection(SchemaListModel::VersionColumn, 56);
    m_schemaView->horizontalHeader()->resizeSection(SchemaListModel::DraftColumn, 64);
    connect(m_schemaView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &SchemaPanel::onSchemaSelected);

    m_schemaText->setReadOnly(true);
    m_schemaText->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_schemaText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_schemaText->setPlaceholderText(tr("Select a schema to see it."));

    m_violations->setHorizontalHeaderLabels(
        {tr("Position"), tr("Stream"), tr("Version"), tr("Type"), tr("Pointer"), tr("Message")});
    m_violationView->setModel(m_violations);
    m_violationView->horizontalHeader()->resizeSection(PositionColumn, 62);
    m_violationView->horizontalHeader()->resizeSection(StreamColumn, 90);
    m_violationView->horizontalHeader()->resizeSection(VersionColumn, 52);
    m_violationView->horizontalHeader()->resizeSection(TypeColumn, 100);
    m_violationView->horizontalHeader()->resizeSection(PointerColumn, 100);
    connect(m_violationView, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const auto row = std::size_t(index.row());
        if (row < m_result.violations.size())
            Q_EMIT eventActivated(m_result.violations[row].stream, m_result.violations[row].version);
    });

    connect(m_eventButton, &QPushButton::clicked, this, &SchemaPanel::validateCurrentEvent);
    connect(m_streamButton, &QPushButton::clicked, this, &SchemaPanel::validateCurrentStream);
    connect(m_typeButton, &QPushButton::clicked, this, [this] { validateType(m_types->currentText()); });
    m_types->setMinimumContentsLength(12);
    m_types->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(new QLabel(tr("Validate:")));
    buttons->addWidget(m_eventButton);
    buttons->addWidget(m_streamButton);
    buttons->addWidget(m_typeButton);
    buttons->addWidget(m_types, 1);
    m_resultLabel->setTextFormat(Qt::PlainText);
    m_resultLabel->setWordWrap(true);

    auto* listBox = new QWidget;
    auto* listLayout = new QVBoxLayout(listBox);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(m_filter);
    listLayout->addWidget(m_schemaView, 1);
    auto* upper = new QSplitter(Qt::Horizontal);
    upper->addWidget(listBox);
    upper->addWidget(m_schemaText);
    upper->setStretchFactor(0, 1);
    upper->setStretchFactor(1, 1);
    auto* lowerBox = new QWidget;
    auto* lowerLayout = new QVBoxLayout(lowerBox);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addLayout(buttons);
    lowerLayout->addWidget(m_resultLabel);
    lowerLayout->addWidget(m_violationView, 1);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(upper);
    splitter->addWidget(lowerBox);
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_error);
    layout->addWidget(splitter, 1);
    clearSchemas();
}

SchemaPanel::~SchemaPanel() = default; // a running validation stops at its next page

std::shared_ptr<const SchemaRegistry> SchemaPanel::registry() const
{
    return m_registry;
}

void SchemaPanel::chooseFolder()
{
    const QString folder
        = QFileDialog::getExistingDirectory(this, tr("Open a Folder of JSON Schemas"), m_folder);
    if (!folder.isEmpty())
        loadFolder(folder);
}

void SchemaPanel::showError(const QString& message)
{
    m_errorText = message;
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

bool SchemaPanel::loadFolder(const QString& folder)
{
    std::shared_ptr<SchemaRegistry> loaded;
    try {
        loaded = SchemaRegistry::loadFolder(folder);
    } catch (const StoreError& error) {
        showError(tr("The schemas of %1 were not loaded: %2")
                      .arg(QDir::toNativeSeparators(folder), error.message()));
        return false;
    } catch (const std::exception& error) {
        showError(tr("The schemas of %1 were not loaded: %2")
                      .arg(QDir::toNativeSeparators(folder), QString::fromUtf8(error.what())));
        return false;
    }
    showError(QString());
    m_folder = folder;
    m_registry = std::move(loaded);
    m_model->setRegistry(m_registry);
    m_folderLabel->setText(tr("%1 schema(s) from %2")
                               .arg(m_registry->size())
                               .arg(QDir::toNativeSeparators(QDir(folder).absolutePath())));
    m_folderLabel->setToolTip(QDir::toNativeSeparators(folder));
    if (m_registry->isEmpty())
        showError(tr("%1 has no schema files (expected <Type>.v<N>.schema.json).")
                      .arg(QDir::toNativeSeparators(folder)));
    if (m_proxy->rowCount() > 0)
        m_schemaView->setCurrentIndex(m_proxy->index(0, 0));
    updateButtons();
    Q_EMIT registryChanged(m_registry);
    return true;
}

void SchemaPanel::clearSchemas()
{
    m_validations.reset();
    m_registry.reset();
    m_folder.clear();
    m_model->setRegistry(nullptr);
    m_schemaText->clear();
    m_folderLabel->setText(tr("No schemas loaded: choose a folder of <Type>.v<N>.schema.json files."));
    m_violations->removeRows(0, m_violations->rowCount());
    m_result = {};
    m_resultLabel->clear();
    showError(QString());
    updateButtons();
    Q_EMIT registryChanged(nullptr);
}

void SchemaPanel::setStore(std::shared_ptr<EventStore> store)
{
    m_validations.reset();
    m_store = std::move(store);
    m_event.reset();
    m_stream.reset();
    m_violations->removeRows(0, m_violations->rowCount());
    m_result = {};
    m_resultLabel->clear();
    reloadTypes();
    updateButtons();
}

void SchemaPanel::reloadTypes()
{
    const QString current = m_types->currentText();
    m_types->clear();
    if (m_store) {
        for (const auto& count : m_store->typeCounts())
            m_types->addItem(count.type);
    }
    if (const int index = m_types->findText(current); index >= 0)
        m_types->setCurrentIndex(index);
}

void SchemaPanel::setCurrentEvent(const std::optional<RecordedEvent>& event)
{
    m_event = event;
    updateButtons();
}

void SchemaPanel::setCurrentStream(const std::optional<StreamId>& stream)
{
    m_stream = stream;
    updateButtons();
}

void SchemaPanel::updateButtons()
{
    const bool ready = m_registry && !m_registry->isEmpty();
    m_eventButton->setEnabled(ready && m_event.has_value());
    m_streamButton->setEnabled(ready && m_store && m_stream.has_value());
    m_typeButton->setEnabled(ready && m_store && m_types->count() > 0);
    m_eventButton->setToolTip(m_event ? tr("Validate %1 %2 v%3 against its schema")
                                            .arg(m_event->stream.toString(), m_event->type)
                                            .arg(m_event->version.value)
                                      : tr("Select an event in the table first"));
    m_streamButton->setToolTip(
        m_stream ? tr("Validate every event of %1").arg(m_stream->toString()) : tr("Select a stream first"));
}

void SchemaPanel::onSchemaSelected()
{
    const QModelIndex current = m_proxy->mapToSource(m_schemaView->currentIndex());
    if (!current.isValid() || !m_registry) {
        m_schemaText->clear();
        return;
    }
    const auto [type, version] = m_model->keyAt(current.row());
    const auto schema = m_registry->schema(type, version);
    m_schemaText->setPlainText(schema ? QString::fromStdString(schema->dump(2)) : QString());
    if (const int index = m_types->findText(type); index >= 0)
        m_types->setCurrentIndex(index);
}

bool SchemaPanel::selectSchema(const QString& type, int version)
{
    const int row = m_model->rowOf(type, version);
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return false;
    m_schemaView->setCurrentIndex(index);
    m_schemaView->scrollTo(index);
    return true;
}

bool SchemaPanel::validateCurrentEvent()
{
    if (!m_registry || !m_event)
        return false;
    m_validations.reset();
    SchemaValidationResult result;
    validateEvent(*m_registry, *m_event, result);
    selectSchema(m_event->type, m_event->schemaVersion);
    showResult(tr("%1 %2 v%3 (position %4)")
                   .arg(m_event->stream.toString(), m_event->type)
                   .arg(m_event->version.value)
                   .arg(m_event->position.value),
        result);
    return true;
}

bool SchemaPanel::validateCurrentStream()
{
    if (!m_registry || !m_store || !m_stream)
        return false;
    startValidation(tr("stream %1").arg(m_stream->toString()), m_stream, QString());
    return true;
}

bool SchemaPanel::validateType(const QString& type)
{
    if (!m_registry || !m_store || type.isEmpty())
        return false;
    if (const int index = m_types->findText(type); index >= 0)
        m_types->setCurrentIndex(index);
    startValidation(tr("type %1").arg(type), std::nullopt, type);
    return true;
}

void SchemaPanel::startValidation(
    const QString& what, const std::optional<StreamId>& stream, const QString& type)
{
    m_resultLabel->setText(tr("Validating %1\u2026").arg(what));
    m_validations.startJob(
        [store = m_store, registry = m_registry, stream, type](const JobCancelled& cancelled) {
            return validateEvents(store, registry, stream, type, cancelled);
        },
        [this, what](JobResult<SchemaValidationResult> outcome) {
            if (outcome.ok()) {
                showResult(what, *outcome.value);
                return;
            }
            m_resultLabel->setText(tr("Validating %1 failed: %2").arg(what, outcome.error));
            Q_EMIT validationFinished();
        });
}

QString SchemaPanel::resultText() const
{
    return m_resultLabel->text();
}

void SchemaPanel::showResult(const QString& what, const SchemaValidationResult& result)
{
    m_result = result;
    m_violations->removeRows(0, m_violations->rowCount());
    for (const auto& v : m_result.violations) {
        QList<QStandardItem*> row;
        row << new QStandardItem(QString::number(v.position.value)) << new QStandardItem(v.stream.toString())
            << new QStandardItem(QString::number(v.version.value))
            << new QStandardItem(tr("%1 v%2").arg(v.type).arg(v.schemaVersion))
            << new QStandardItem(v.pointer.isEmpty() ? tr("(whole payload)") : v.pointer)
            << new QStandardItem(v.message);
        row[PositionColumn]->setData(QVariant::fromValue(v.position.value), Qt::UserRole);
        row[MessageColumn]->setToolTip(tr("%1\nSchema: %2").arg(v.message, v.schema));
        row[PositionColumn]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        row[VersionColumn]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_violations->appendRow(row);
    }
    QString text;
    if (result.checked == 1 && result.noSchema == 1)
        text = tr("%1: no schema for %2 at schema version %3 in the loaded folder.")
                   .arg(what, m_event ? m_event->type : QString())
                   .arg(m_event ? m_event->schemaVersion : 0);
    else if (result.checked == 1 && result.valid == 1)
        text = tr("%1 matches its schema.").arg(what);
    else
        text = tr("%1: %2 event(s) checked \u2014 %3 valid, %4 invalid, %5 without a schema.")
                   .arg(what)
                   .arg(result.checked)
                   .arg(result.valid)
                   .arg(result.invalid)
                   .arg(result.noSchema);
    if (result.truncated)
        text += tr(" Only the first %1 violations are listed.").arg(MaxViolations);
    m_resultLabel->setText(text);
    style::setTone(m_resultLabel, result.invalid > 0 ? style::Tone::Error : style::Tone::Plain);
    if (!m_result.violations.empty()) {
        // Show the schema the first failing event was checked against.
        m_violationView->selectRow(0);
        const auto& first = m_result.violations.front();
        selectSchema(first.type, first.schemaVersion);
    }
    Q_EMIT validationFinished();
}

} // namespace chronoscope
