#include "streams/categorytreemodel.h"

#include "store/eventstore.h"

#include <map>

namespace chronoscope {

CategoryTreeModel::CategoryTreeModel(QObject* parent)
    : NodeTreeModel(parent)
{
    m_root = std::make_unique<Node>();
}

CategoryTreeModel::~CategoryTreeModel() = default;

void CategoryTreeModel::setStore(const EventStore* store)
{
    setStreams(store ? store->streams() : std::vector<StreamInfo>());
}

void CategoryTreeModel::setStreams(const std::vector<StreamInfo>& streams)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    if (!streams.empty()) {
        auto all = std::make_unique<Node>();
        all->kind = Kind::All;
        all->parent = m_root.get();
        // Named categories in order, the unnamed one last.
        const auto before = [](const QString& a, const QString& b) {
            if (a.isEmpty() != b.isEmpty())
                return b.isEmpty();
            return a < b;
        };
        std::map<QString, std::vector<const StreamInfo*>, decltype(before)> byCategory(before);
        for (const auto& info : streams)
            byCategory[info.stream.category()].push_back(&info);
        for (const auto& [category, members] : byCategory) {
            auto node = std::make_unique<Node>();
            node->kind = Kind::Category;
            node->parent = all.get();
            node->row = int(all->children.size());
            node->category = category;
            for (const StreamInfo* info : members) {
                auto leaf = std::make_unique<Node>();
                leaf->kind = Kind::Stream;
                leaf->parent = node.get();
                leaf->row = int(node->children.size());
                leaf->category = category;
                leaf->stream = info->stream;
                leaf->streams = 1;
                leaf->events = info->events;
                node->streams += 1;
                node->events += info->events;
                node->children.push_back(std::move(leaf));
            }
            all->streams += node->streams;
            all->events += node->events;
            all->children.push_back(std::move(node));
        }
        m_root->children.push_back(std::move(all));
    }
    endResetModel();
}

QModelIndex CategoryTreeModel::allStreamsIndex() const
{
    return m_root->children.empty() ? QModelIndex() : indexOf(m_root->children.front().get());
}

QModelIndex CategoryTreeModel::categoryIndex(const QString& category) const
{
    if (m_root->children.empty())
        return {};
    for (const auto& node : m_root->children.front()->children) {
        if (node->category == category)
            return indexOf(node.get());
    }
    return {};
}

QModelIndex CategoryTreeModel::streamIndex(const StreamId& stream) const
{
    const auto category = categoryIndex(stream.category());
    if (!category.isValid())
        return {};
    for (const auto& leaf : nodeFor(category)->children) {
        if (leaf->stream == stream)
            return indexOf(leaf.get());
    }
    return {};
}

int CategoryTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant CategoryTreeModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node* node = nodeFor(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            switch (node->kind) {
            case Kind::All:
                return tr("All streams");
            case Kind::Category:
                return node->category.isEmpty() ? tr("(no category)") : node->category;
            case Kind::Stream:
                return node->stream.toString();
            }
            return {};
        case StreamsColumn:
            return node->kind == Kind::Stream ? QVariant() : QVariant(qlonglong(node->streams));
        case EventsColumn:
            return qlonglong(node->events);
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() != NameColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KindRole:
        return int(node->kind);
    case StreamIdRole:
        return node->kind == Kind::Stream ? QVariant::fromValue(node->stream) : QVariant();
    case CategoryRole:
        return node->kind == Kind::All ? QVariant() : QVariant(node->category);
    case StreamCountRole:
        return qlonglong(node->streams);
    case EventCountRole:
        return qlonglong(node->events);
    default:
        return {};
    }
}

QVariant CategoryTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Category / stream");
    case StreamsColumn:
        return tr("Streams");
    case EventsColumn:
        return tr("Events");
    }
    return {};
}

} // namespace chronoscope
