#include "story/storydeliveries.h"

#include "base/style.h"
#include "bus/buslogmodel.h"
#include "bus/bustrace.h"

#include <QDateTime>
#include <QHeaderView>
#include <QTimer>

namespace chronoscope {

namespace {

QString outcomeText(BusTraceEntry::Kind kind)
{
    switch (kind) {
    case BusTraceEntry::Kind::Published:
        return StoryDeliveries::tr("published");
    case BusTraceEntry::Kind::Delivered:
        return StoryDeliveries::tr("delivered");
    case BusTraceEntry::Kind::Retrying:
        return StoryDeliveries::tr("failed, retrying");
    case BusTraceEntry::Kind::Failed:
        return StoryDeliveries::tr("failed");
    case BusTraceEntry::Kind::DeadLettered:
        return StoryDeliveries::tr("dead-lettered");
    case BusTraceEntry::Kind::Duplicate:
        return StoryDeliveries::tr("skipped (duplicate)");
    }
    return {};
}

style::Colour outcomeColour(BusTraceEntry::Kind kind)
{
    switch (kind) {
    case BusTraceEntry::Kind::Delivered:
        return style::Colour::SuccessText;
    case BusTraceEntry::Kind::Retrying:
        return style::Colour::WarningText;
    case BusTraceEntry::Kind::Failed:
        return style::Colour::FailureText;
    case BusTraceEntry::Kind::DeadLettered:
        return style::Colour::ParkedText;
    case BusTraceEntry::Kind::Duplicate:
        return style::Colour::MutedText;
    case BusTraceEntry::Kind::Published:
        break;
    }
    return style::Colour::InfoText;
}

} // namespace

StoryDeliveries::StoryDeliveries(QWidget* parent)
    : QTreeWidget(parent)
    , m_pending(new QTimer(this))
{
    setObjectName(QStringLiteral("storyDeliveries"));
    setColumnCount(6);
    setHeaderLabels({tr("Time"), tr("Event"), tr("Stream"), tr("Handler"), tr("Outcome"), tr("Try")});
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(QHeaderView::Interactive);
    // The monitor's log changes in bursts: one rebuild per burst.
    m_pending->setSingleShot(true);
    m_pending->setInterval(200);
    connect(m_pending, &QTimer::timeout, this, &StoryDeliveries::refresh);
}

void StoryDeliveries::setLog(const BusLogModel* log)
{
    if (m_log)
        disconnect(m_log, nullptr, this, nullptr);
    m_log = log;
    if (log) {
        connect(log, &QAbstractItemModel::rowsInserted, m_pending, qOverload<>(&QTimer::start));
        connect(log, &QAbstractItemModel::rowsRemoved, m_pending, qOverload<>(&QTimer::start));
        connect(log, &QAbstractItemModel::modelReset, m_pending, qOverload<>(&QTimer::start));
        connect(log, &QAbstractItemModel::dataChanged, m_pending, qOverload<>(&QTimer::start));
    }
    refresh();
}

void StoryDeliveries::setCorrelation(const QString& correlationId)
{
    m_correlation = correlationId.trimmed();
    refresh();
}

void StoryDeliveries::refresh()
{
    m_pending->stop();
    clear();
    m_counts = {};
    const QUuid wanted = QUuid::fromString(m_correlation);
    if (m_log && !wanted.isNull()) {
        QList<QTreeWidgetItem*> items;
        // The log holds at most its last 10,000 entries: a bounded pass in memory.
        for (int row = 0; row < m_log->rowCount(); ++row) {
            const BusTraceEntry& entry = m_log->entryAt(row);
            if (entry.correlationId != wanted || entry.kind == BusTraceEntry::Kind::Published)
                continue;
            ++m_counts.entries;
            switch (entry.kind) {
            case BusTraceEntry::Kind::Delivered:
                ++m_counts.delivered;
                break;
            case BusTraceEntry::Kind::Retrying:
                ++m_counts.retries;
                break;
            case BusTraceEntry::Kind::Failed:
                ++m_counts.failed;
                break;
            case BusTraceEntry::Kind::DeadLettered:
                ++m_counts.deadLettered;
                break;
            case BusTraceEntry::Kind::Duplicate:
                ++m_counts.duplicates;
                break;
            case BusTraceEntry::Kind::Published:
                break;
            }
            const QString time
                = QDateTime::fromMSecsSinceEpoch(entry.timeMs).toString(QStringLiteral("HH:mm:ss.zzz"));
            auto* item
                = new QTreeWidgetItem({time, entry.event.type, entry.event.stream.toString(), entry.handler,
                    outcomeText(entry.kind), entry.attempt > 0 ? QString::number(entry.attempt) : QString()});
            item->setForeground(4, style::colour(outcomeColour(entry.kind)));
            item->setTextAlignment(5, Qt::AlignRight | Qt::AlignVCenter);
            if (!entry.error.isEmpty()) {
                item->setToolTip(4, entry.error);
                item->setToolTip(3, entry.error);
            }
            items.append(item);
        }
        addTopLevelItems(items);
    }
    Q_EMIT refreshed();
}

QString StoryDeliveries::countsText() const
{
    QStringList parts;
    if (m_counts.delivered)
        parts << tr("%n delivery(ies)", nullptr, m_counts.delivered);
    if (m_counts.retries)
        parts << tr("%n retry(ies)", nullptr, m_counts.retries);
    if (m_counts.deadLettered)
        parts << tr("%n dead letter(s)", nullptr, m_counts.deadLettered);
    if (m_counts.duplicates)
        parts << tr("%n duplicate(s) skipped", nullptr, m_counts.duplicates);
    return parts.join(QStringLiteral(" · "));
}

} // namespace chronoscope
