#include "projections/projectionspanel.h"

#include "base/style.h"
#include "projections/positionslider.h"
#include "projections/projectionlistmodel.h"
#include "projections/projectionscriptpanel.h"
#include "projections/projectionset.h"
#include "projections/projectionstatusdelegate.h"
#include "projections/projectionstepper.h"
#include "projections/readmodelchart.h"
#include "projections/readmodeltablemodel.h"
#include "widgets/jsontreemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace chronoscope {

namespace {
/// A stream id short enough for a label: its start and end around an ellipsis.
QString shortId(const QString& id)
{
    constexpr int Keep = 24;
    return id.size() <= 2 * Keep + 1 ? id : id.left(Keep) + QChar(0x2026) + id.right(Keep);
}

void setUpTable(QTableView* view, int rowHeight)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setShowGrid(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(rowHeight);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setStretchLastSection(true);
}
} // namespace

ProjectionsPanel::ProjectionsPanel(ProjectionSet* set, QWidget* parent)
    : QWidget(parent)
    , m_set(set)
    , m_slider(new PositionSlider)
    , m_list(new QTableView)
    , m_detail(new QLabel)
    , m_progress(new QProgressBar)
    , m_rebuild(new QPushButton(tr("Rebuild")))
    , m_stop(new QPushButton(tr("Stop")))
    , m_remove(new QPushButton(tr("Remove")))
    , m_tabs(new QTabWidget)
    , m_table(new ReadModelTableModel(this))
    , m_sorted(new QSortFilterProxyModel(this))
    , m_tableView(new QTableView)
    , m_up(new QPushButton(tr("\u2191 Up")))
    , m_root(new QLabel)
    , m_tree(new JsonTreeModel(this))
    , m_treeView(new QTreeView)
    , m_chart(new ReadModelChart)
    , m_script(new ProjectionScriptPanel(set))
    , m_stepper(new ProjectionStepper(set))
    , m_viewStatus(new QLabel)
    , m_pager(new QWidget)
    , m_pageText(new QLabel)
    , m_firstPage(new QPushButton(tr("First")))
    , m_previousPage(new QPushButton(tr("\u25c0 Previous")))
    , m_nextPage(new QPushButton(tr("Next \u25b6")))
    , m_refreshTimer(new QTimer(this))
{
    const int rowHeight = fontMetrics().height() + 6;
    // The list of projections.
    m_list->setModel(m_set->model());
    setUpTable(m_list, rowHeight);
    m_list->setItemDelegateForColumn(ProjectionListModel::StatusColumn, new ProjectionStatusDelegate(m_list));
    m_list->horizontalHeader()->resizeSection(ProjectionListModel::NameColumn, 170);
    m_list->horizontalHeader()->resizeSection(ProjectionListModel::StatusColumn, 120);
    m_list->horizontalHeader()->resizeSection(ProjectionListModel::CheckpointColumn, 76);
    m_detail->setTextFormat(Qt::PlainText);
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setTextVisible(true);
    m_progress->hide();
    m_rebuild->setToolTip(tr("Forget the read model and process the log again from position 1"));
    m_stop->setToolTip(tr("Stop following appended events; the read model stays"));
    m_remove->setToolTip(tr("Remove this JavaScript projection"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_rebuild);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_list, 1);
    leftLayout->addWidget(m_progress);
    leftLayout->addWidget(m_detail);

    // The read model as a table (sortable; a cell holding an object or array opens on double-click).
    m_sorted->setSourceModel(m_table);
    m_sorted->setSortRole(ReadModelTableModel::SortRole);
    m_tableView->setModel(m_sorted);
    setUpTable(m_tableView, rowHeight);
    m_tableView->setSortingEnabled(true);
    m_tableView->sortByColumn(-1, Qt::AscendingOrder); // the read model's own order until a header is clicked
    m_tableView->horizontalHeader()->setDefaultSectionSize(110);
    connect(m_sorted, &QAbstractItemModel::modelReset, this, [this] { // names get room; no ResizeToContents
        m_tableView->horizontalHeader()->resizeSection(
            0, m_table->shape() == ReadModelShape::List ? 60 : 200);
    });
    m_root->setTextFormat(Qt::PlainText);
    auto* tablePage = new QWidget;
    auto* tableLayout = new QVBoxLayout(tablePage);
    tableLayout->setContentsMargins(0, 4, 0, 0);
    auto* rootRow = new QHBoxLayout;
    rootRow->addWidget(m_up);
    rootRow->addWidget(m_root, 1);
    tableLayout->addLayout(rootRow);
    tableLayout->addWidget(m_tableView, 1);

    m_treeView->setModel(m_tree);
    m_treeView->setUniformRowHeights(true);
    m_treeView->header()->resizeSection(JsonTreeModel::KeyColumn, 220);
    m_treeView->header()->resizeSection(JsonTreeModel::ValueColumn, 260);

    m_tabs->addTab(tablePage, tr("Table"));
    m_tabs->addTab(m_treeView, tr("JSON"));
    m_tabs->addTab(m_chart, tr("Chart"));
    m_tabs->addTab(m_script, tr("Script"));
    m_tabs->addTab(m_stepper, tr("Stepper"));
    m_viewStatus->setTextFormat(Qt::PlainText);
    m_viewStatus->setWordWrap(true);
    // Pages of a read model kept per stream: the rows shown are folded from their streams.
    m_pageText->setTextFormat(Qt::PlainText);
    m_pageText->setWordWrap(true);
    m_pageText->setToolTip(tr("This read model holds one state per stream. The window keeps one page "
                              "of it and folds each page from its streams when you turn to it."));
    m_firstPage->setToolTip(tr("The first page of rows"));
    m_previousPage->setToolTip(tr("The rows before these"));
    m_nextPage->setToolTip(tr("The rows after these"));
    auto* pagerLayout = new QHBoxLayout(m_pager);
    pagerLayout->setContentsMargins(0, 0, 0, 0);
    pagerLayout->addWidget(m_pageText, 1);
    pagerLayout->addWidget(m_firstPage);
    pagerLayout->addWidget(m_previousPage);
    pagerLayout->addWidget(m_nextPage);
    m_pager->hide();
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_pager);
    rightLayout->addWidget(m_tabs, 1);
    rightLayout->addWidget(m_viewStatus);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({470, 800});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_slider);
    layout->addWidget(split, 1);

    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(120); // live updates are drawn at most about 8 times a second
    connect(m_refreshTimer, &QTimer::timeout, this, &ProjectionsPanel::refresh);
    connect(m_set, &ProjectionSet::storeChanged, this, &ProjectionsPanel::onStoreChanged);
    connect(m_set, &ProjectionSet::lastPositionChanged, m_slider, &PositionSlider::setLastPosition);
    connect(m_set, &ProjectionSet::statusChanged, this, &ProjectionsPanel::onStatusChanged);
    connect(m_set, &ProjectionSet::viewChanged, this, [this](const QString& name) {
        if (name == m_selected && !m_refreshTimer->isActive())
            m_refreshTimer->start();
    });
    connect(m_set->model(), &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_selected.isEmpty())
            onSelectionChanged();
    });
    connect(m_set, &ProjectionSet::asOfPositionChanged, this, [this] { // chosen elsewhere: the slider follows
        const auto p = m_set->asOfPosition();
        if (p == m_slider->position())
            return;
        if (p)
            m_slider->setPosition(*p);
        else
            m_slider->setLive(true);
    });
    connect(m_slider, &PositionSlider::positionChanged, this, [this](std::optional<Position> p) {
        m_set->setAsOfPosition(p);
        if (p)
            m_stepper->setFrom(Position(p->value + 1));
    });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &ProjectionsPanel::onSelectionChanged);
    connect(m_tabs, &QTabWidget::currentChanged, this, &ProjectionsPanel::refreshLazyTabs);
    connect(m_tableView, &QTableView::doubleClicked, this, &ProjectionsPanel::drillInto);
    connect(m_up, &QPushButton::clicked, this, [this] {
        m_table->setRoot(m_table->parentRoot());
        m_root->setText(m_table->root().isEmpty() ? tr("whole read model") : m_table->root());
        m_up->setEnabled(!m_table->root().isEmpty());
    });
    connect(m_rebuild, &QPushButton::clicked, this, [this] { m_set->rebuild(m_selected); });
    connect(m_stop, &QPushButton::clicked, this, [this] { m_set->stop(m_selected); });
    connect(m_remove, &QPushButton::clicked, this, [this] { m_set->removeScript(m_selected); });
    connect(
        m_firstPage, &QPushButton::clicked, this, [this] { m_set->movePage(m_selected, PageMove::First); });
    connect(m_previousPage, &QPushButton::clicked, this,
        [this] { m_set->movePage(m_selected, PageMove::Previous); });
    connect(m_nextPage, &QPushButton::clicked, this, [this] { m_set->movePage(m_selected, PageMove::Next); });
    connect(m_script, &ProjectionScriptPanel::projectionRun, this,
        [this](const QString& name) { selectProjection(name); });
    onStoreChanged();
}

ProjectionsPanel::~ProjectionsPanel() = default;

void ProjectionsPanel::onStoreChanged()
{
    m_slider->setStore(m_set->sharedStore());
    const QString previous = m_selected;
    m_selected.clear();
    if (!selectProjection(previous) && m_set->model()->size() > 0)
        m_list->selectRow(0);
    onSelectionChanged();
}

bool ProjectionsPanel::selectProjection(const QString& name)
{
    const int row = m_set->model()->indexOf(name);
    if (row < 0)
        return false;
    m_list->selectRow(row);
    m_list->setCurrentIndex(m_set->model()->index(row, 0));
    onSelectionChanged();
    return true;
}

void ProjectionsPanel::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

void ProjectionsPanel::onSelectionChanged()
{
    const QModelIndex current = m_list->currentIndex();
    const QString name
        = current.isValid() ? current.data(ProjectionListModel::NameRole).toString() : QString();
    if (name == m_selected && !name.isEmpty())
        return;
    m_selected = name;
    m_shownData.reset();
    m_table->setRoot({});
    m_root->setText(tr("whole read model"));
    m_up->setEnabled(false);
    m_script->setSelected(name);
    m_stepper->setProjection(name);
    refresh();
}

void ProjectionsPanel::onStatusChanged(const QString& name)
{
    if (name == m_selected)
        updateDetail();
}

void ProjectionsPanel::updateDetail()
{
    const int row = m_set->model()->indexOf(m_selected);
    m_rebuild->setEnabled(row >= 0);
    m_stop->setEnabled(row >= 0);
    m_remove->setEnabled(row >= 0 && m_set->isScript(m_selected));
    if (row < 0) {
        m_detail->setText(
            m_set->store() ? tr("Select a projection.") : tr("Open a store to run projections."));
        m_progress->hide();
        return;
    }
    const ProjectionRow& r = m_set->model()->row(row);
    QString text = tr("%1\nReads: %2 \u00b7 checkpoint %3 \u00b7 lag %4")
                       .arg(r.description, r.source, QLocale().toString(r.checkpoint.value),
                           QLocale().toString(r.lag()));
    if (r.fault)
        text += QLatin1Char('\n') + tr("Faulted: %1").arg(r.faultText());
    m_detail->setText(text);
    style::setTone(m_detail, r.fault ? style::Tone::Error : style::Tone::Plain);
    m_progress->setVisible(r.busy);
    if (r.busy) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(r.total > 0 ? int(1000 * r.done / r.total) : 0);
        m_progress->setFormat(tr("Rebuilding: %1 of %2 positions")
                                  .arg(QLocale().toString(r.done), QLocale().toString(r.total)));
    }
}

void ProjectionsPanel::refresh()
{
    updateDetail();
    if (m_selected.isEmpty()) {
        m_shownData.reset();
        m_table->clear();
        m_tree->clear();
        m_chart->clear();
        m_viewStatus->setText(m_set->store() ? QString() : tr("No store open."));
        m_pager->hide();
        return;
    }
    const ProjectionView v = m_set->view(m_selected);
    updatePager(v);
    QString status;
    const auto chosen = m_set->asOfPosition();
    const bool current = chosen ? (!v.pending && v.at == chosen) : !v.pending;
    if (chosen)
        status = current
            ? tr("As of position %1").arg(QLocale().toString(chosen->value))
            : tr("Computing the read model as of position %1\u2026").arg(QLocale().toString(chosen->value));
    else
        status = current ? tr("Live \u00b7 checkpoint %1").arg(QLocale().toString(v.checkpoint.value))
                         : tr("Rebuilding\u2026");
    if (!v.error.isEmpty())
        status += QStringLiteral(" \u00b7 ") + v.error;
    m_viewStatus->setText(status);
    style::setTone(m_viewStatus, v.error.isEmpty() ? style::Tone::Plain : style::Tone::Error);
    if (!v.valid)
        return;                  // keep what is on screen until the new state comes
    if (v.data != m_shownData) { // status-only changes leave the views alone
        m_shownData = v.data;
        m_table->setJson(v.data);
        m_treeStale = true;
        m_chartStale = true;
    }
    m_root->setText(m_table->root().isEmpty() ? tr("whole read model") : m_table->root());
    m_up->setEnabled(!m_table->root().isEmpty());
    refreshLazyTabs();
    if (current)
        Q_EMIT viewShown(m_selected);
}

void ProjectionsPanel::refreshLazyTabs()
{
    // The tree and the chart are rebuilt only when they are on screen.
    const QWidget* current = m_tabs->currentWidget();
    if (current == m_treeView && m_treeStale) {
        m_tree->setJson(m_table->readModel());
        m_treeStale = false;
    } else if (current == m_chart && m_chartStale) {
        m_chart->setReadModel(m_table->readModel(), m_selected);
        m_chartStale = false;
    }
}

void ProjectionsPanel::drillInto(const QModelIndex& index)
{
    const QString pointer = index.data(ReadModelTableModel::PointerRole).toString();
    if (m_table->setRoot(pointer)) {
        m_root->setText(pointer);
        m_up->setEnabled(true);
    }
}

void ProjectionsPanel::updatePager(const ProjectionView& v)
{
    m_pager->setVisible(v.page.has_value());
    if (!v.page)
        return;
    const ReadModelPage& p = *v.page;
    const QLocale locale;
    QString text;
    if (p.rows == 0)
        text = v.at ? tr("No stream had an event by position %1.").arg(locale.toString(v.at->value))
                    : tr("No rows on this page.");
    else if (p.total >= 0)
        text = tr("Rows %1\u2013%2 of %3, one per stream")
                   .arg(locale.toString(p.offset + 1), locale.toString(p.offset + p.rows),
                       locale.toString(p.total));
    else
        text = tr("Rows %1\u2013%2, one per stream")
                   .arg(locale.toString(p.offset + 1), locale.toString(p.offset + p.rows));
    if (p.rows > 0)
        text += QStringLiteral(" (%1 to %2)").arg(shortId(p.first), shortId(p.last));
    m_pageText->setText(text);
    m_firstPage->setEnabled(p.hasPrevious);
    m_previousPage->setEnabled(p.hasPrevious);
    m_nextPage->setEnabled(p.hasNext);
}

QString ProjectionsPanel::pageText() const
{
    return m_pageText->text();
}

QString ProjectionsPanel::viewStatusText() const
{
    return m_viewStatus->text();
}

} // namespace chronoscope
