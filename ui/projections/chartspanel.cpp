#include "projections/chartspanel.h"

#include "projections/chartdata.h"
#include "projections/chartpick.h"
#include "projections/projectionset.h"
#include "projections/readmodelchart.h"
#include "projections/typetimeline.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QTimer>
#include <QVBoxLayout>

namespace chronoscope {

namespace {
const QString TypesName = QStringLiteral("events-by-type");
const QString LengthsName = QStringLiteral("stream-lengths");
QString timelineName()
{
    return QString::fromLatin1(TypeTimelineName);
}
} // namespace

ChartsPanel::ChartsPanel(ProjectionSet* set, QWidget* parent)
    : QWidget(parent)
    , m_set(set)
    , m_timeline(new ReadModelChart)
    , m_types(new ReadModelChart)
    , m_lengths(new ReadModelChart)
    , m_status(new QLabel)
    , m_refreshTimer(new QTimer(this))
{
    m_timeline->setForcedKind(ChartKind::StackedTime);
    m_timeline->setLimits({25, 8, false});
    m_types->setForcedKind(ChartKind::Bars);
    m_types->setLimits({12, 1, true});
    m_status->setTextFormat(Qt::PlainText);
    m_timeline->setClickHint(tr("Click to show these events"));
    m_types->setClickHint(tr("Click to show the events of this type"));
    m_lengths->setKeepOrder(true); // sizes in order, however long their labels
    m_lengths->setClickHint(tr("Click to list these streams"));
    connect(m_timeline, &ReadModelChart::picked, this, &ChartsPanel::timelinePicked);
    connect(m_types, &ReadModelChart::picked, this, &ChartsPanel::typePicked);
    connect(m_lengths, &ReadModelChart::picked, this, &ChartsPanel::lengthPicked);

    auto* grid = new QGridLayout;
    grid->addWidget(m_timeline, 0, 0, 1, 2);
    grid->addWidget(m_types, 1, 0);
    grid->addWidget(m_lengths, 1, 1);
    grid->setRowStretch(0, 1);
    grid->setRowStretch(1, 1);
    grid->setColumnStretch(0, 3);
    grid->setColumnStretch(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_status);
    layout->addLayout(grid, 1);

    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(150); // live updates are drawn at most about 6 times a second
    connect(m_refreshTimer, &QTimer::timeout, this, &ChartsPanel::refresh);
    connect(m_set, &ProjectionSet::viewChanged, this, [this](const QString& name) {
        if ((name == TypesName || name == LengthsName || name == timelineName())
            && !m_refreshTimer->isActive())
            m_refreshTimer->start();
    });
    connect(m_set, &ProjectionSet::storeChanged, this, &ChartsPanel::refresh);
    connect(m_set, &ProjectionSet::asOfPositionChanged, this, [this] {
        if (!m_refreshTimer->isActive())
            m_refreshTimer->start(); // a dragged slider is drawn a few times a second, not per step
    });
    refresh();
}

void ChartsPanel::refresh()
{
    if (!m_set->store()) {
        m_status->setText(tr("No store open."));
        m_timeline->clear(tr("Open a store to see its events over time."));
        m_types->clear(tr("Event types"));
        m_lengths->clear(tr("Stream lengths"));
        return;
    }
    const auto chosen = m_set->asOfPosition();
    const ProjectionView timeline = m_set->view(timelineName());
    const ProjectionView types = m_set->view(TypesName);
    const ProjectionView lengths = m_set->view(LengthsName);
    const bool pending = timeline.pending || types.pending || lengths.pending;
    QString status = chosen
        ? tr("As of position %1").arg(QLocale().toString(chosen->value))
        : tr("Live \u00b7 up to position %1").arg(QLocale().toString(types.checkpoint.value));
    if (pending)
        status += tr(" \u00b7 computing\u2026");
    for (const ProjectionView* v : {&timeline, &types, &lengths}) {
        if (!v->error.isEmpty())
            status += QStringLiteral(" \u00b7 ") + v->error;
    }
    m_status->setText(status);

    // Not computed yet: say so, rather than what an empty store would show.
    const QString computing = tr("Counting the events of this store\u2026");
    if (!timeline.valid)
        m_timeline->clear(timeline.error.isEmpty() ? computing : timeline.error);
    if (!types.valid)
        m_types->clear(types.error.isEmpty() ? computing : types.error);
    if (!lengths.valid)
        m_lengths->clear(lengths.error.isEmpty() ? computing : lengths.error);
    if (timeline.valid) {
        m_timeline->setTimeBucket(m_set->timelineBucketMs());
        m_timeline->setReadModel(timeline.state(),
            tr("Events per %1, by type").arg(timelineBucketName(m_set->timelineBucketMs())));
    }
    if (types.valid)
        m_types->setReadModel(types.state(), tr("Event types"));
    if (lengths.valid && lengths.state().is_object())
        m_lengths->setData(histogramData(lengths.state().value("histogram", nlohmann::json::array())),
            tr("Streams by length"));
    if (!pending)
        Q_EMIT chartsUpdated();
}

void ChartsPanel::timelinePicked(const ChartPick& pick)
{
    if (!pick.time)
        return;
    EventFilter filter;
    filter.types = pick.members.isEmpty() ? QStringList {pick.series} : pick.members;
    filter.fromTimeMs = *pick.time;
    const qint64 bucket = m_set->timelineBucketMs();
    if (bucket > 0)
        filter.toTimeMs = *pick.time + bucket;
    const QString types
        = pick.members.isEmpty() ? pick.series : tr("%1 other types").arg(pick.members.size());
    Q_EMIT eventsPicked(filter,
        tr("%1 in the %2 from %3").arg(types, timelineBucketName(bucket), chartTimeText(*pick.time, bucket)));
}

void ChartsPanel::typePicked(const ChartPick& pick)
{
    EventFilter filter;
    filter.types = pick.members.isEmpty() ? QStringList {pick.category} : pick.members;
    Q_EMIT eventsPicked(
        filter, pick.members.isEmpty() ? pick.category : tr("%1 other types").arg(pick.members.size()));
}

void ChartsPanel::lengthPicked(const ChartPick& pick)
{
    // Labels are "n" or "a\u2013b" (histogramData()).
    const QStringList bounds = pick.category.split(QChar(0x2013));
    bool okMin = false, okMax = false;
    const qint64 min = bounds.value(0).toLongLong(&okMin);
    const qint64 max = bounds.value(bounds.size() - 1).toLongLong(&okMax);
    if (okMin && okMax && min <= max)
        Q_EMIT streamLengthsPicked(min, max);
}

QString ChartsPanel::statusText() const
{
    return m_status->text();
}

} // namespace chronoscope
