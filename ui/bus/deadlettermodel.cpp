#include "bus/deadlettermodel.h"

#include <QDateTime>

namespace chronoscope {

namespace {
QString timeText(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                  : QString();
}
} // namespace

DeadLetterModel::DeadLetterModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int DeadLetterModel::rowOf(qint64 id) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == id)
            return int(i);
    return -1;
}

void DeadLetterModel::setEntries(std::vector<DeadLetter> entries)
{
    // Both lists are ordered by id (the queue lists oldest first): merge them.
    std::sort(
        entries.begin(), entries.end(), [](const DeadLetter& a, const DeadLetter& b) { return a.id < b.id; });
    std::size_t row = 0;
    for (auto& incoming : entries) {
        while (row < m_rows.size() && m_rows[row].id < incoming.id) {
            beginRemoveRows({}, int(row), int(row));
            m_rows.erase(m_rows.begin() + qsizetype(row));
            endRemoveRows();
        }
        if (row < m_rows.size() && m_rows[row].id == incoming.id) {
            const DeadLetter& old = m_rows[row];
            const bool changed = old.attempts != incoming.attempts || old.error != incoming.error
                || old.lastFailureMs != incoming.lastFailureMs;
            m_rows[row] = std::move(incoming);
            if (changed)
                Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
        } else {
            beginInsertRows({}, int(row), int(row));
            m_rows.insert(m_rows.begin() + qsizetype(row), std::move(incoming));
            endInsertRows();
        }
        ++row;
    }
    if (row < m_rows.size()) {
        beginRemoveRows({}, int(row), int(m_rows.size()) - 1);
        m_rows.erase(m_rows.begin() + qsizetype(row), m_rows.end());
        endRemoveRows();
    }
}

int DeadLetterModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DeadLetterModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeadLetterModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeadLetter& d = m_rows[std::size_t(index.row())];
    if (role == IdRole)
        return d.id;
    if (role == Qt::ToolTipRole && index.column() == ErrorColumn)
        return d.error;
    if (role == Qt::TextAlignmentRole)
        return index.column() == IdColumn || index.column() == AttemptsColumn
            ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
            : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case IdColumn:
        return d.id;
    case TypeColumn:
        return d.event.type;
    case StreamColumn:
        return tr("%1 v%2").arg(d.event.stream.toString()).arg(d.event.version.value);
    case HandlerColumn:
        return d.handler;
    case ErrorColumn:
        return d.error;
    case AttemptsColumn:
        return d.attempts;
    case FirstFailureColumn:
        return timeText(d.firstFailureMs);
    case LastFailureColumn:
        return timeText(d.lastFailureMs);
    default:
        return {};
    }
}

QVariant DeadLetterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("#");
    case TypeColumn:
        return tr("Event");
    case StreamColumn:
        return tr("Stream");
    case HandlerColumn:
        return tr("Handler");
    case ErrorColumn:
        return tr("Error");
    case AttemptsColumn:
        return tr("Attempts");
    case FirstFailureColumn:
        return tr("First failure");
    case LastFailureColumn:
        return tr("Last failure");
    default:
        return {};
    }
}

} // namespace chronoscope
