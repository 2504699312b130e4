#include "widgets/jsontreemodel.h"

namespace chronoscope {

namespace {
QString escapePointerToken(QString token)
{
    token.replace(QLatin1Char('~'), QLatin1String("~0"));
    token.replace(QLatin1Char('/'), QLatin1String("~1"));
    return token;
}
} // namespace

QString jsonPreview(const nlohmann::json& value, int maxChars)
{
    QString text;
    if (value.is_object())
        text = QStringLiteral("{%1}").arg(value.size());
    else if (value.is_array())
        text = QStringLiteral("[%1]").arg(value.size());
    else
        text = QString::fromStdString(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (maxChars > 1 && text.size() > maxChars)
        text = text.left(maxChars - 1) + QChar(0x2026);
    return text;
}

JsonTreeModel::JsonTreeModel(QObject* parent)
    : NodeTreeModel(parent)
{
    m_root = std::make_unique<Node>();
    m_root->value = &m_json;
}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::build(Node& node)
{
    const auto& value = *node.value;
    const auto add = [&node](QString key, const nlohmann::json& child) {
        auto n = std::make_unique<Node>();
        n->parent = &node;
        n->row = int(node.children.size());
        n->pointer = node.pointer + QLatin1Char('/') + escapePointerToken(key);
        n->key = std::move(key);
        n->value = &child;
        build(*n);
        node.children.push_back(std::move(n));
    };
    if (value.is_object()) {
        node.children.reserve(value.size());
        for (auto it = value.begin(); it != value.end(); ++it)
            add(QString::fromStdString(it.key()), it.value());
    } else if (value.is_array()) {
        node.children.reserve(value.size());
        for (std::size_t i = 0; i < value.size(); ++i)
            add(QString::number(i), value[i]);
    }
}

void JsonTreeModel::setJson(nlohmann::json value)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    m_json = std::move(value);
    m_root->value = &m_json;
    if (m_json.is_structured()) {
        build(*m_root);
    } else if (!m_json.is_null()) {
        // A scalar root is shown as a single row.
        auto n = std::make_unique<Node>();
        n->parent = m_root.get();
        n->value = &m_json;
        m_root->children.push_back(std::move(n));
    }
    endResetModel();
}

QModelIndex JsonTreeModel::indexForPointer(const QString& pointer) const
{
    if (pointer.isEmpty())
        return {};
    const Node* node = m_root.get();
    const auto tokens = pointer.mid(1).split(QLatin1Char('/'));
    for (const auto& raw : tokens) {
        QString token = raw;
        token.replace(QLatin1String("~1"), QLatin1String("/"));
        token.replace(QLatin1String("~0"), QLatin1String("~"));
        const Node* next = nullptr;
        for (const auto& child : node->children) {
            if (child->key == token) {
                next = child.get();
                break;
            }
        }
        if (!next)
            return {};
        node = next;
    }
    return createIndex(node->row, 0, const_cast<Node*>(node));
}

int JsonTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant JsonTreeModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node* node = nodeFor(index);
    const auto& value = *node->value;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case KeyColumn:
            return node->key;
        case ValueColumn:
            return jsonPreview(value, role == Qt::ToolTipRole ? 2000 : 200);
        case TypeColumn:
            return QString::fromLatin1(value.type_name());
        }
        return {};
    case PointerRole:
        return node->pointer;
    case JsonRole:
        return QString::fromStdString(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    case TypeRole:
        return QString::fromLatin1(value.type_name());
    case ChildCountRole:
        return int(node->children.size());
    default:
        return {};
    }
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case ValueColumn:
        return tr("Value");
    case TypeColumn:
        return tr("Type");
    }
    return {};
}

QHash<int, QByteArray> JsonTreeModel::roleNames() const
{
    auto names = QAbstractItemModel::roleNames();
    names.insert(PointerRole, "pointer");
    names.insert(JsonRole, "json");
    names.insert(TypeRole, "type");
    names.insert(ChildCountRole, "childCount");
    return names;
}

} // namespace chronoscope
