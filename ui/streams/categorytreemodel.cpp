#include "streams/categorytreemodel.h"

#include "store/eventstore.h"
#include "streams/idtooltip.h"

#include <QScopedValueRollback>

#include <algorithm>

namespace chronoscope {

CategoryTreeModel::CategoryTreeModel(QObject* parent)
    : NodeTreeModel(parent)
{
    m_root = std::make_unique<Node>();
}

CategoryTreeModel::~CategoryTreeModel() = default;

namespace {

using streamquery::idBefore;

std::unique_ptr<CategoryTreeNode> categoryNode(CategoryTreeNode* all, const CategoryInfo& c)
{
    auto node = std::make_unique<CategoryTreeNode>();
    node->kind = CategoryTreeNode::Kind::Category;
    node->parent = all;
    node->category = c.category;
    node->streams = c.streams;
    node->events = c.events;
    node->more = c.streams > 0; // its streams are read when asked for
    return node;
}

std::unique_ptr<CategoryTreeNode> streamNode(CategoryTreeNode* category, const StreamInfo& info)
{
    auto leaf = std::make_unique<CategoryTreeNode>();
    leaf->kind = CategoryTreeNode::Kind::Stream;
    leaf->parent = category;
    leaf->category = category->category;
    leaf->stream = info.stream;
    leaf->streams = 1;
    leaf->events = info.events;
    return leaf;
}

/// A category's streams, by id: what the tree lists under it.
StreamQuery categoryQuery(const QString& category)
{
    StreamQuery query;
    query.category = category;
    return query;
}

} // namespace

void CategoryTreeModel::setStore(const EventStore* store)
{
    m_store = store;
    m_matchText.clear();
    m_moreMatches = false;
    std::vector<CategoryInfo> categories;
    if (store) {
        try {
            categories = store->categories();
        } catch (const std::exception& e) {
            Q_EMIT readFailed(errorText(e));
        }
    }
    beginResetModel();
    build(categories);
    // No page is added while the reset is announced (see StreamListModel::reload).
    const QScopedValueRollback announcing(m_fetching, true);
    endResetModel();
}

void CategoryTreeModel::showMatches(const QString& text, const std::vector<StreamInfo>& matches, bool more)
{
    if (text.isEmpty()) {
        if (!m_matchText.isEmpty())
            setStore(m_store);
        return;
    }
    beginResetModel();
    m_matchText = text;
    m_moreMatches = more;
    m_root = std::make_unique<Node>();
    auto all = std::make_unique<Node>();
    all->kind = Kind::All;
    all->parent = m_root.get();
    // Categories by name ("(no category)" last, as in the whole tree), their matches by id.
    std::vector<const StreamInfo*> sorted;
    sorted.reserve(matches.size());
    for (const StreamInfo& info : matches)
        sorted.push_back(&info);
    std::stable_sort(sorted.begin(), sorted.end(), [](const StreamInfo* a, const StreamInfo* b) {
        const QString ca = a->stream.category();
        const QString cb = b->stream.category();
        if (ca.isEmpty() != cb.isEmpty())
            return cb.isEmpty();
        if (ca != cb)
            return ca < cb;
        return idBefore(a->stream, b->stream);
    });
    Node* category = nullptr;
    for (const StreamInfo* info : sorted) {
        if (!category || category->category != info->stream.category()) {
            CategoryInfo c;
            c.category = info->stream.category();
            auto node = categoryNode(all.get(), c);
            node->more = false; // the matches are all it holds
            node->row = int(all->children.size());
            category = node.get();
            all->children.push_back(std::move(node));
        }
        auto leaf = streamNode(category, *info);
        leaf->row = int(category->children.size());
        category->streams += 1;
        category->events += info->events;
        all->streams += 1;
        all->events += info->events;
        category->children.push_back(std::move(leaf));
    }
    m_root->children.push_back(std::move(all));
    const QScopedValueRollback announcing(m_fetching, true);
    endResetModel();
}

void CategoryTreeModel::build(const std::vector<CategoryInfo>& categories)
{
    m_root = std::make_unique<Node>();
    if (categories.empty())
        return;
    auto all = std::make_unique<Node>();
    all->kind = Kind::All;
    all->parent = m_root.get();
    for (const auto& c : categories) {
        auto node = categoryNode(all.get(), c);
        node->row = int(all->children.size());
        all->streams += c.streams;
        all->events += c.events;
        all->children.push_back(std::move(node));
    }
    m_root->children.push_back(std::move(all));
}

std::vector<StreamInfo> CategoryTreeModel::readStreams(
    const QString& category, const std::optional<StreamId>& after, qint64 limit, bool* failed)
{
    *failed = false;
    if (!m_store)
        return {};
    std::optional<StreamInfo> from;
    if (after) {
        from = StreamInfo();
        from->stream = *after;
    }
    try {
        return m_store->streamPage(categoryQuery(category), from, limit);
    } catch (const std::exception& e) {
        *failed = true;
        Q_EMIT readFailed(errorText(e));
        return {};
    }
}

bool CategoryTreeModel::hasChildren(const QModelIndex& parent) const
{
    const Node* node = nodeFor(parent);
    if (parent.isValid() && parent.column() != 0)
        return false;
    return node && (!node->children.empty() || node->more);
}

bool CategoryTreeModel::canFetchMore(const QModelIndex& parent) const
{
    const Node* node = parent.isValid() && parent.column() == 0 ? nodeFor(parent) : nullptr;
    return node && node->kind == Kind::Category && node->more && !m_fetching;
}

void CategoryTreeModel::fetchMore(const QModelIndex& parent)
{
    // A view (or a model tester) may ask again while the rows of this page go in: canFetchMore
    // says no then.
    if (!canFetchMore(parent))
        return;
    const QScopedValueRollback busy(m_fetching, true);
    Node* node = nodeFor(parent);
    bool failed = false;
    const auto page = readStreams(node->category,
        node->children.empty() ? std::nullopt : std::optional(node->children.back()->stream), PageSize,
        &failed);
    node->more = !failed && qint64(page.size()) == PageSize;
    if (page.empty())
        return;
    beginInsertRows(parent, int(node->children.size()), int(node->children.size() + page.size()) - 1);
    for (const auto& info : page) {
        auto leaf = streamNode(node, info);
        leaf->row = int(node->children.size());
        node->children.push_back(std::move(leaf));
    }
    endInsertRows();
}

void CategoryTreeModel::refresh()
{
    if (!m_matchText.isEmpty())
        return;
    if (!m_store || m_root->children.empty()) {
        setStore(m_store);
        return;
    }
    std::vector<CategoryInfo> categories;
    try {
        categories = m_store->categories();
    } catch (const std::exception& e) {
        Q_EMIT readFailed(errorText(e));
        return;
    }
    // Listeners to the inserts below must not fetch pages in the middle of them.
    const QScopedValueRollback busy(m_fetching, true);
    Node* all = m_root->children.front().get();
    // Categories never go away in an append-only store: when one did, the file was replaced.
    std::size_t matched = 0;
    for (const auto& c : categories)
        for (const auto& node : all->children)
            if (node->category == c.category) {
                ++matched;
                break;
            }
    if (matched < all->children.size()) {
        setStore(m_store);
        return;
    }
    const auto before = [](const QString& a, const QString& b) {
        if (a.isEmpty() != b.isEmpty())
            return b.isEmpty();
        return a < b;
    };
    const QModelIndex allIndex = indexOf(all);
    for (const auto& c : categories) {
        auto it = std::find_if(all->children.begin(), all->children.end(),
            [&](const std::unique_ptr<Node>& n) { return n->category == c.category; });
        if (it == all->children.end()) {
            const auto at = std::find_if(all->children.begin(), all->children.end(),
                [&](const std::unique_ptr<Node>& n) { return before(c.category, n->category); });
            const int row = int(at - all->children.begin());
            beginInsertRows(allIndex, row, row);
            all->children.insert(all->children.begin() + row, categoryNode(all, c));
            for (std::size_t r = 0; r < all->children.size(); ++r)
                all->children[r]->row = int(r);
            endInsertRows();
            continue;
        }
        Node* node = it->get();
        const qint64 oldStreams = node->streams;
        if (node->streams != c.streams || node->events != c.events) {
            node->streams = c.streams;
            node->events = c.events;
            const auto index = indexOf(node);
            Q_EMIT dataChanged(index, index.siblingAtColumn(ColumnCount - 1));
        }
        if (!node->children.empty())
            refreshCategory(node, oldStreams);
        else
            node->more = node->streams > 0;
    }
    qint64 streams = 0, events = 0;
    for (const auto& node : all->children) {
        streams += node->streams;
        events += node->events;
    }
    if (streams != all->streams || events != all->events) {
        all->streams = streams;
        all->events = events;
        Q_EMIT dataChanged(allIndex, allIndex.siblingAtColumn(ColumnCount - 1));
    }
}

void CategoryTreeModel::refreshCategory(Node* node, qint64 oldStreams)
{
    // The loaded streams are the first ones by id: read that many again, plus room for the
    // streams added since, and merge (streams are only ever added).
    const qint64 grown = std::max<qint64>(node->streams - oldStreams, 0);
    const qint64 want = qint64(node->children.size()) + grown;
    std::vector<StreamInfo> fresh;
    bool more = true;
    try {
        fresh = streamquery::firstStreams(*m_store, categoryQuery(node->category), want, &more);
    } catch (const std::exception& e) {
        Q_EMIT readFailed(errorText(e));
        return;
    }
    // Keep what comes before the last loaded id (or everything, when nothing was left to load).
    if (node->more && !node->children.empty()) {
        const StreamId last = node->children.back()->stream;
        std::erase_if(fresh, [&](const StreamInfo& s) { return idBefore(last, s.stream); });
    } else {
        node->more = more && qint64(fresh.size()) == want;
    }
    const QModelIndex parent = indexOf(node);
    std::size_t i = 0;
    for (const auto& info : fresh) {
        if (i < node->children.size() && node->children[i]->stream == info.stream) {
            Node* leaf = node->children[i].get();
            if (leaf->events != info.events) {
                leaf->events = info.events;
                const auto index = indexOf(leaf);
                Q_EMIT dataChanged(index, index.siblingAtColumn(ColumnCount - 1));
            }
            ++i;
            continue;
        }
        const int row = int(i);
        beginInsertRows(parent, row, row);
        node->children.insert(node->children.begin() + row, streamNode(node, info));
        for (std::size_t r = i; r < node->children.size(); ++r)
            node->children[r]->row = int(r);
        endInsertRows();
        ++i;
    }
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
    const Node* node = nodeFor(category);
    const auto it = std::lower_bound(node->children.begin(), node->children.end(), stream,
        [](const std::unique_ptr<Node>& leaf, const StreamId& id) { return idBefore(leaf->stream, id); });
    if (it != node->children.end() && (*it)->stream == stream)
        return indexOf(it->get());
    return {};
}

QModelIndex CategoryTreeModel::loadStream(const StreamId& stream, int maxPages)
{
    const auto category = categoryIndex(stream.category());
    if (!category.isValid() || !m_matchText.isEmpty())
        return m_matchText.isEmpty() ? QModelIndex() : streamIndex(stream); // matches: no pages to read
    for (int page = 0;; ++page) {
        if (const auto index = streamIndex(stream); index.isValid())
            return index;
        const Node* node = nodeFor(category);
        // Loaded pages are a prefix by id: once the last loaded id is past the stream, it is absent.
        if (!node->more || page >= maxPages
            || (!node->children.empty() && idBefore(stream, node->children.back()->stream)))
            return {};
        fetchMore(category);
    }
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
                if (!m_matchText.isEmpty())
                    return m_moreMatches ? tr("Streams matching \u201c%1\u201d (first %L2)")
                                               .arg(m_matchText)
                                               .arg(node->streams)
                                         : tr("Streams matching \u201c%1\u201d").arg(m_matchText);
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
    case Qt::ToolTipRole:
        return node->kind == Kind::Stream && index.column() == NameColumn ? idToolTip(node->stream.toString())
                                                                          : QVariant();
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
