#pragma once

#include "widgets/nodetreemodel.h"

#include <QAbstractItemModel>

#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

namespace chronoscope {

/// A row of the JSON tree: one member or element, with its key and JSON Pointer.
struct JsonTreeNode {
    JsonTreeNode* parent = nullptr;
    int row = 0;
    QString key;
    QString pointer;
    const nlohmann::json* value = nullptr;
    std::vector<std::unique_ptr<JsonTreeNode>> children;
};

/// A tree over one JSON value: objects and arrays are expandable nodes.
///
/// Columns: key (object member name or array index), value (scalars as compact JSON;
/// containers as their size), type ("object", "array", "string", "number", "boolean", "null").
/// Raw values are exposed through the custom roles; the root value itself is not a row:
/// its members are the top-level rows (a scalar root is shown as one row with an empty key).
class JsonTreeModel : public NodeTreeModel<JsonTreeNode> {
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role {
        PointerRole = Qt::UserRole + 1, ///< RFC 6901 JSON Pointer of the node, e.g. "/items/0/sku"
        JsonRole,                       ///< the node's value as compact JSON text (QString)
        TypeRole,                       ///< type name, as in the type column
        ChildCountRole,                 ///< number of members or elements (0 for scalars)
    };

    explicit JsonTreeModel(QObject* parent = nullptr);
    ~JsonTreeModel() override;

    /// Replaces the whole tree (a model reset).
    void setJson(nlohmann::json value);
    const nlohmann::json& json() const { return m_json; }
    /// Clears the tree.
    void clear() { setJson(nlohmann::json()); }

    /// Index of the node at a JSON Pointer (column 0), invalid when there is none.
    QModelIndex indexForPointer(const QString& pointer) const;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    using Node = JsonTreeNode;
    static void build(Node& node);

    nlohmann::json m_json;
};

/// Short text for a JSON value as shown in a cell: scalars as compact JSON (strings quoted),
/// objects as "{n}", arrays as "[n]". Long text is cut at maxChars with an ellipsis.
QString jsonPreview(const nlohmann::json& value, int maxChars = 200);

} // namespace chronoscope
