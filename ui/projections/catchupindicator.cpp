#include "projections/catchupindicator.h"

#include "projections/projectionlistmodel.h"
#include "projections/projectionset.h"

#include <QHBoxLayout>
#include <QLocale>
#include <QProgressBar>
#include <QToolButton>

namespace chronoscope {

CatchUpIndicator::CatchUpIndicator(ProjectionSet* set, QWidget* parent)
    : QWidget(parent)
    , m_set(set)
    , m_progress(new QProgressBar)
    , m_cancel(new QToolButton)
{
    setObjectName(QStringLiteral("catchUpIndicator"));
    m_progress->setObjectName(QStringLiteral("catchUpProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_progress->setMaximumWidth(260);
    m_progress->setMinimumWidth(160);
    m_cancel->setObjectName(QStringLiteral("catchUpCancel"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(
        tr("Stop the projections' rebuild here; each keeps what it has read (Rebuild starts again)"));
    m_cancel->setAutoRaise(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, this, &CatchUpIndicator::cancelAll);
    connect(m_set, &ProjectionSet::statusChanged, this, &CatchUpIndicator::update);
    connect(m_set, &ProjectionSet::storeChanged, this, &CatchUpIndicator::update);
    hide();
}

void CatchUpIndicator::update()
{
    const auto* model = m_set->model();
    qint64 done = 0, total = 0;
    int busy = 0;
    QStringList names;
    for (int row = 0; row < model->rowCount(); ++row) {
        const ProjectionRow& r = model->row(row);
        if (!r.busy)
            continue;
        ++busy;
        names << tr("%1: %2 of %3").arg(r.name, QLocale().toString(r.done), QLocale().toString(r.total));
        done += r.done;
        total += r.total;
    }
    setVisible(busy > 0);
    if (busy == 0)
        return;
    const int permille = total > 0 ? int(1000 * done / total) : 0;
    m_progress->setValue(permille);
    m_progress->setFormat(tr("Projections: %1 catching up \u00b7 %2 %").arg(busy).arg(permille / 10));
    m_progress->setToolTip(names.join(QLatin1Char('\n')));
}

void CatchUpIndicator::cancelAll()
{
    const auto* model = m_set->model();
    QStringList busy;
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->row(row).busy)
            busy << model->row(row).name;
    for (const QString& name : std::as_const(busy))
        m_set->cancel(name);
}

} // namespace chronoscope
