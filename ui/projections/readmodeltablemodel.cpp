#include "projections/readmodeltablemodel.h"

#include "widgets/jsontreemodel.h"

#include <set>

namespace chronoscope {

using nlohmann::json;

namespace {

QString pointerToken(QString token)
{
    token.replace(QLatin1Char('~'), QLatin1String("~0"));
    token.replace(QLatin1Char('/'), QLatin1String("~1"));
    return token;
}

QString cellText(const json& value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    return jsonPreview(value);
}

} // namespace

ReadModelTableModel::ReadModelTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
    m_shown = m_json.get();
}

const json* ReadModelTableModel::resolve(const json& value, const QString& pointer)
{
    if (pointer.isEmpty())
        return &value;
    try {
        const json::json_pointer ptr(pointer.toStdString());
        if (!value.contains(ptr))
            return nullptr;
        const json& found = value.at(ptr);
        return found.is_structured() ? &found : nullptr;
    } catch (const json::exception&) {
        return nullptr;
    }
}

ReadModelTableModel::Layout ReadModelTableModel::layoutOf(const json& shown)
{
    Layout layout;
    layout.shape = readModelShape(shown);
    if (shown.is_object()) {
        layout.keys.reserve(shown.size());
        for (auto it = shown.begin(); it != shown.end(); ++it)
            layout.keys.push_back(it.key());
    }
    switch (layout.shape) {
    case ReadModelShape::Empty:
        break;
    case ReadModelShape::Scalar:
        layout.rows = 1;
        break;
    case ReadModelShape::KeyValue:
    case ReadModelShape::List:
        layout.rows = shown.size();
        break;
    case ReadModelShape::Records:
    case ReadModelShape::Rows: {
        layout.rows = shown.size();
        // Fields in order of first appearance, at most MaxFieldColumns.
        std::set<std::string> seen;
        for (const auto& record : shown) {
            for (auto it = record.begin(); it != record.end(); ++it) {
                if (int(layout.fields.size()) >= MaxFieldColumns)
                    break;
                if (seen.insert(it.key()).second)
                    layout.fields.push_back(it.key());
            }
        }
        break;
    }
    }
    return layout;
}

void ReadModelTableModel::bindRows()
{
    m_rows.clear();
    if (m_shown->is_structured()) {
        m_rows.reserve(m_shown->size());
        for (const auto& element : *m_shown)
            m_rows.push_back(&element);
    } else if (m_layout.rows == 1) {
        m_rows.push_back(m_shown);
    }
}

void ReadModelTableModel::setJson(json value)
{
    setJson(std::make_shared<const json>(std::move(value)));
}

void ReadModelTableModel::setJson(std::shared_ptr<const json> value)
{
    if (!value)
        value = std::make_shared<const json>();
    QString root = m_root;
    const json* shown = resolve(*value, root);
    if (!shown) {
        root.clear();
        shown = value.get();
    }
    const Layout layout = layoutOf(*shown);
    const bool same = layout == m_layout && root == m_root;
    if (!same)
        beginResetModel();
    m_json = std::move(value);
    m_root = root;
    m_shown = shown;
    m_layout = layout;
    bindRows();
    if (!same)
        endResetModel();
    else if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

bool ReadModelTableModel::setRoot(const QString& pointer)
{
    const json* shown = resolve(*m_json, pointer);
    if (!shown)
        return false;
    beginResetModel();
    m_root = pointer;
    m_shown = shown;
    m_layout = layoutOf(*shown);
    bindRows();
    endResetModel();
    return true;
}

QString ReadModelTableModel::parentRoot() const
{
    const auto slash = m_root.lastIndexOf(QLatin1Char('/'));
    return slash <= 0 ? QString() : m_root.left(slash);
}

int ReadModelTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ReadModelTableModel::columnCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    switch (m_layout.shape) {
    case ReadModelShape::Empty:
    case ReadModelShape::Scalar:
        return 1;
    case ReadModelShape::KeyValue:
    case ReadModelShape::List:
        return 2;
    case ReadModelShape::Records:
    case ReadModelShape::Rows:
        return 1 + int(m_layout.fields.size());
    }
    return 1;
}

const json* ReadModelTableModel::cell(int row, int column) const
{
    const json* value = m_rows[std::size_t(row)];
    switch (m_layout.shape) {
    case ReadModelShape::Scalar:
        return value;
    case ReadModelShape::KeyValue:
    case ReadModelShape::List:
        return column == 1 ? value : nullptr;
    case ReadModelShape::Records:
    case ReadModelShape::Rows: {
        if (column == 0)
            return nullptr;
        const auto it = value->find(m_layout.fields[std::size_t(column - 1)]);
        return it == value->end() ? nullptr : &*it;
    }
    case ReadModelShape::Empty:
        break;
    }
    return nullptr;
}

QString ReadModelTableModel::cellPointer(int row, int column) const
{
    QString pointer = m_root;
    if (m_layout.shape == ReadModelShape::Scalar)
        return pointer;
    pointer += QLatin1Char('/')
        + (m_shown->is_object() ? pointerToken(QString::fromStdString(m_layout.keys[std::size_t(row)]))
                                : QString::number(row));
    if ((m_layout.shape == ReadModelShape::Records || m_layout.shape == ReadModelShape::Rows) && column > 0)
        pointer += QLatin1Char('/')
            + pointerToken(QString::fromStdString(m_layout.fields[std::size_t(column - 1)]));
    return pointer;
}

QVariant ReadModelTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const int row = index.row();
    const int column = index.column();
    const json* value = cell(row, column);
    if (!value && column == 0) {
        // The row's name: member name or array index.
        const QString name = m_shown->is_object() ? QString::fromStdString(m_layout.keys[std::size_t(row)])
                                                  : QString::number(row);
        switch (role) {
        case Qt::DisplayRole:
        case Qt::ToolTipRole:
            return name;
        case SortRole:
            return m_shown->is_object() ? QVariant(name) : QVariant(row);
        case JsonRole:
            return QString::fromStdString(m_rows[std::size_t(row)]->dump());
        case PointerRole:
            return cellPointer(row, column);
        default:
            return {};
        }
    }
    if (!value)
        return role == PointerRole ? QVariant(cellPointer(row, column)) : QVariant();
    switch (role) {
    case Qt::DisplayRole:
        return cellText(*value);
    case Qt::ToolTipRole:
        return value->is_structured() ? QString::fromStdString(value->dump(2)).left(2000) : cellText(*value);
    case Qt::TextAlignmentRole:
        return value->is_number() ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case SortRole:
        if (value->is_number())
            return value->get<double>();
        if (value->is_structured())
            return qlonglong(value->size());
        return cellText(*value);
    case JsonRole:
        return QString::fromStdString(value->dump());
    case PointerRole:
        return cellPointer(row, column);
    default:
        return {};
    }
}

QVariant ReadModelTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    if (section < 0 || section >= columnCount())
        return {};
    switch (m_layout.shape) {
    case ReadModelShape::Empty:
    case ReadModelShape::Scalar:
        return tr("value");
    case ReadModelShape::KeyValue:
        return section == 0 ? tr("key") : tr("value");
    case ReadModelShape::List:
        return section == 0 ? tr("#") : tr("value");
    case ReadModelShape::Records:
        return section == 0 ? tr("key") : QString::fromStdString(m_layout.fields[std::size_t(section - 1)]);
    case ReadModelShape::Rows:
        return section == 0 ? tr("#") : QString::fromStdString(m_layout.fields[std::size_t(section - 1)]);
    }
    return {};
}

} // namespace chronoscope
