#include "projections/projectionstepper.h"

#include "projections/projectionset.h"
#include "projections/projectionstepmodel.h"
#include "widgets/jsontreemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

namespace chronoscope {

namespace {
QWidget* titled(const QString& title, QWidget* content)
{
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(new QLabel(title));
    layout->addWidget(content, 1);
    return box;
}

QTreeView* treeFor(JsonTreeModel* model)
{
    auto* tree = new QTreeView;
    tree->setModel(model);
    tree->setUniformRowHeights(true);
    tree->header()->resizeSection(JsonTreeModel::KeyColumn, 160);
    tree->setColumnHidden(JsonTreeModel::TypeColumn, true);
    return tree;
}
} // namespace

ProjectionStepper::ProjectionStepper(ProjectionSet* set, QWidget* parent)
    : QWidget(parent)
    , m_set(set)
    , m_model(new ProjectionStepModel(this))
    , m_before(new JsonTreeModel(this))
    , m_after(new JsonTreeModel(this))
    , m_from(new QSpinBox)
    , m_count(new QSpinBox)
    , m_load(new QPushButton(tr("Step")))
    , m_view(new QTableView)
    , m_status(new QLabel)
    , m_stepInfo(new QLabel)
{
    m_from->setRange(1, std::numeric_limits<int>::max());
    m_from->setToolTip(tr("First global position to step from"));
    m_count->setRange(1, 1000);
    m_count->setValue(100);
    m_count->setToolTip(tr("How many of the events the projection reads"));
    m_load->setToolTip(tr("Replay these events one by one, keeping the read model before and after each"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_stepInfo->setTextFormat(Qt::PlainText);
    m_stepInfo->setWordWrap(true);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(ProjectionStepModel::PositionColumn, 70);
    m_view->horizontalHeader()->resizeSection(ProjectionStepModel::StreamColumn, 120);
    m_view->horizontalHeader()->resizeSection(ProjectionStepModel::VersionColumn, 60);
    m_view->horizontalHeader()->resizeSection(ProjectionStepModel::TypeColumn, 130);
    m_view->horizontalHeader()->resizeSection(ProjectionStepModel::ElapsedColumn, 80);
    m_view->horizontalHeader()->resizeSection(ProjectionStepModel::ChangesColumn, 64);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("From position")));
    controls->addWidget(m_from);
    controls->addWidget(new QLabel(tr("events")));
    controls->addWidget(m_count);
    controls->addWidget(m_load);
    controls->addStretch(1);

    auto* states = new QSplitter(Qt::Horizontal);
    states->addWidget(titled(tr("Before"), treeFor(m_before)));
    states->addWidget(titled(tr("After"), treeFor(m_after)));
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_view);
    split->addWidget(states);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);
    layout->addWidget(m_stepInfo);

    connect(m_load, &QPushButton::clicked, this, &ProjectionStepper::load);
    connect(m_set, &ProjectionSet::stepsReady, this, &ProjectionStepper::onSteps);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { showStep(current.isValid() ? current.row() : -1); });
    setProjection({});
}

void ProjectionStepper::setProjection(const QString& name)
{
    if (name == m_name)
        return;
    m_name = name;
    m_requestedName.clear(); // an answer for the previous projection is no longer wanted
    m_model->clear();
    showStep(-1);
    m_load->setEnabled(!name.isEmpty());
    m_status->setText(name.isEmpty()
            ? tr("Select a projection.")
            : tr("Step %1 event by event: choose a position and press Step.").arg(name));
}

void ProjectionStepper::setFrom(Position from)
{
    m_from->setValue(int(std::clamp<qint64>(from.value, 1, m_from->maximum())));
}

void ProjectionStepper::load()
{
    if (m_name.isEmpty() || !m_set->store())
        return;
    m_requestedName = m_name;
    m_requestedFrom = Position(m_from->value());
    const Position last = m_set->lastPosition();
    m_status->setText(tr("Stepping %1 from position %2\u2026").arg(m_name).arg(m_requestedFrom.value));
    m_set->requestSteps(m_name, m_requestedFrom, std::max(last, m_requestedFrom), m_count->value());
}

void ProjectionStepper::onSteps(const QString& name, const ProjectionQueryResult& result)
{
    if (name != m_requestedName || name != m_name || result.from != m_requestedFrom)
        return; // for another projection or an older request
    m_model->setSteps(result.steps);
    qint64 total = 0;
    for (const auto& s : result.steps)
        total += s.elapsedNs;
    if (!result.error.isEmpty())
        m_status->setText(tr("Could not step: %1").arg(result.error));
    else if (result.steps.empty())
        m_status->setText(tr("%1 reads no event from position %2 on.").arg(name).arg(result.from.value));
    else
        m_status->setText(
            tr("%1 events from position %2 to %3, %4 ms in the projection%5.")
                .arg(result.steps.size())
                .arg(result.steps.front().position.value)
                .arg(result.steps.back().position.value)
                .arg(double(total) / 1e6, 0, 'f', 2)
                .arg(result.steps.back().error.isEmpty() ? QString() : tr("; it fails on the last one")));
    if (!result.steps.empty())
        m_view->selectRow(result.steps.back().error.isEmpty() ? 0 : m_model->size() - 1);
    Q_EMIT stepsShown();
}

void ProjectionStepper::showStep(int row)
{
    if (row < 0 || row >= m_model->size()) {
        m_before->clear();
        m_after->clear();
        m_stepInfo->clear();
        return;
    }
    const ProjectionStep& s = m_model->step(row);
    m_before->setJson(s.before);
    m_after->setJson(s.after);
    m_stepInfo->setText(s.error.isEmpty() ? tr("Position %1 \u00b7 %2 v%3 \u00b7 %4 \u00b7 %5 \u00b5s")
                                                .arg(s.position.value)
                                                .arg(s.stream.toString())
                                                .arg(s.version.value)
                                                .arg(s.type)
                                                .arg(double(s.elapsedNs) / 1000.0, 0, 'f', 1)
                                          : tr("Position %1 failed: %2").arg(s.position.value).arg(s.error));
}

QString ProjectionStepper::statusText() const
{
    return m_status->text();
}

} // namespace chronoscope
