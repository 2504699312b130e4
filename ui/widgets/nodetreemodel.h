#pragma once

#include <QAbstractItemModel>

#include <memory>

namespace chronoscope {

/// What every tree model of ours shares: nodes that own their children (`children`, a vector of
/// unique_ptr) and know their `parent` and `row`, under an invisible root (`m_root`, never a
/// row). A derived model builds the tree and answers columnCount() and data(); the index,
/// parent and row counting live here once.
template<typename Node> class NodeTreeModel : public QAbstractItemModel {
public:
    using QAbstractItemModel::QAbstractItemModel;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override
    {
        if (column < 0 || column >= columnCount(parent) || row < 0
            || (parent.isValid() && parent.column() != 0))
            return {};
        const Node* p = nodeFor(parent);
        if (!p || row >= int(p->children.size()))
            return {};
        return createIndex(row, column, p->children[std::size_t(row)].get());
    }

    QModelIndex parent(const QModelIndex& child) const override
    {
        if (!child.isValid())
            return {};
        return indexOf(nodeFor(child)->parent);
    }

    int rowCount(const QModelIndex& parent = {}) const override
    {
        if (parent.isValid() && parent.column() != 0)
            return 0;
        const Node* node = nodeFor(parent);
        return node ? int(node->children.size()) : 0;
    }

protected:
    /// The node of an index; the root for an invalid one.
    Node* nodeFor(const QModelIndex& index) const
    {
        return index.isValid() ? static_cast<Node*>(index.internalPointer()) : m_root.get();
    }
    /// The index (column 0) of a node; invalid for the root.
    QModelIndex indexOf(const Node* node) const
    {
        if (!node || node == m_root.get())
            return {};
        return createIndex(node->row, 0, const_cast<Node*>(node));
    }

    std::unique_ptr<Node> m_root;
};

} // namespace chronoscope
