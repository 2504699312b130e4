#include "streambatch/streambatchmodel.h"

#include "base/style.h"

#include <QLocale>

#include <set>

namespace chronoscope {

namespace {

qint64 valueAt(const nlohmann::json& model, const std::string& key)
{
    if (!model.is_object())
        return 0;
    const auto it = model.find(key);
    return it != model.end() && it->is_number_integer() ? it->get<qint64>() : 0;
}

qint64 typeCount(const nlohmann::json& model, const std::string& type)
{
    if (!model.is_object() || !model.contains("byType"))
        return 0;
    return valueAt(model["byType"], type);
}

void collectTypes(const nlohmann::json& model, std::set<std::string>& types)
{
    if (!model.is_object() || !model.contains("byType") || !model["byType"].is_object())
        return;
    for (const auto& [type, count] : model["byType"].items())
        types.insert(type);
}

} // namespace

std::vector<StreamBatchModel::Row> StreamBatchModel::rowsOf(
    const nlohmann::json& stream, const nlohmann::json& batch) const
{
    struct Figure {
        const char* key;
        QString label;
        bool money;
    };
    const Figure figures[] = {
        {"events", tr("Events"), false},
        {"ordersPlaced", tr("Orders placed"), false},
        {"ordersPaid", tr("Orders paid"), false},
        {"ordersShipped", tr("Orders shipped"), false},
        {"ordersCancelled", tr("Orders cancelled"), false},
        {"revenueCents", tr("Revenue (EUR)"), true},
        {"refundedCents", tr("Refunded (EUR)"), true},
    };
    std::vector<Row> rows;
    for (const Figure& f : figures)
        rows.push_back(
            {QString::fromLatin1(f.key), f.label, f.money, valueAt(stream, f.key), valueAt(batch, f.key)});
    std::set<std::string> types;
    collectTypes(stream, types);
    collectTypes(batch, types);
    for (const std::string& type : types) {
        const QString name = QString::fromStdString(type);
        rows.push_back(
            {QStringLiteral("type:") + name, name, false, typeCount(stream, type), typeCount(batch, type)});
    }
    return rows;
}

void StreamBatchModel::setModels(const nlohmann::json& stream, const nlohmann::json& batch)
{
    std::vector<Row> rows = rowsOf(stream, batch);
    const bool sameRows = rows.size() == m_rows.size()
        && std::equal(rows.begin(), rows.end(), m_rows.begin(),
            [](const Row& a, const Row& b) { return a.key == b.key; });
    if (!sameRows) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    m_rows = std::move(rows);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, StreamColumn), index(rowCount() - 1, BatchColumn));
}

int StreamBatchModel::differingRows() const
{
    return static_cast<int>(
        std::count_if(m_rows.begin(), m_rows.end(), [](const Row& r) { return r.stream != r.batch; }));
}

int StreamBatchModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int StreamBatchModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StreamBatchModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[static_cast<size_t>(index.row())];
    const qint64 value = index.column() == StreamColumn ? row.stream : row.batch;
    const bool differs = row.stream != row.batch;
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == MeasureColumn)
            return row.label;
        return row.money ? QLocale().toString(static_cast<double>(value) / 100.0, 'f', 2)
                         : QLocale().toString(value);
    case Qt::TextAlignmentRole:
        return index.column() == MeasureColumn ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::BackgroundRole:
        if (index.column() == BatchColumn && differs)
            return style::colour(style::Colour::ChangedNode);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == MeasureColumn && row.key.startsWith(u"type:"))
            return tr("Events of type %1").arg(row.label);
        if (index.column() == BatchColumn && differs)
            return tr("The batch model is behind: the stream model says %1; the next batch run catches up")
                .arg(row.money ? QLocale().toString(static_cast<double>(row.stream) / 100.0, 'f', 2)
                               : QLocale().toString(row.stream));
        return {};
    case ValueRole:
        return index.column() == MeasureColumn ? QVariant(row.key) : QVariant(value);
    default:
        return {};
    }
}

QVariant StreamBatchModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case MeasureColumn:
        return tr("Read model");
    case StreamColumn:
        return tr("Stream");
    case BatchColumn:
        return tr("Batch");
    default:
        return {};
    }
}

} // namespace chronoscope
