#pragma once

#include "store/streaminfo.h"
#include "widgets/nodetreemodel.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace chronoscope {

class EventStore;

/// A row of the category tree: "All streams", a category or a stream.
struct CategoryTreeNode {
    enum class Kind { All, Category, Stream };
    Kind kind = Kind::All;
    CategoryTreeNode* parent = nullptr;
    int row = 0;
    QString category;
    StreamId stream;
    qint64 streams = 0;
    qint64 events = 0;
    std::vector<std::unique_ptr<CategoryTreeNode>> children;
};

/// "All streams" → categories → streams, with stream and event counts.
///
/// The single top-level row is "All streams"; its children are the categories (ordered by
/// name; ids without '-' are grouped under "(no category)", which comes last); their children
/// are the streams. Columns: name, streams, events.
class CategoryTreeModel : public NodeTreeModel<CategoryTreeNode> {
    Q_OBJECT
public:
    enum Column { NameColumn, StreamsColumn, EventsColumn, ColumnCount };
    using Kind = CategoryTreeNode::Kind;
    enum Role {
        KindRole = Qt::UserRole + 1, ///< int(Kind)
        StreamIdRole,                ///< chronoscope::StreamId (stream rows)
        CategoryRole,                ///< QString (category and stream rows; "" = no category)
        StreamCountRole,             ///< qint64
        EventCountRole,              ///< qint64
    };

    explicit CategoryTreeModel(QObject* parent = nullptr);
    ~CategoryTreeModel() override;

    /// Reloads from the store (null: empties the model).
    void setStore(const EventStore* store);
    /// Rebuilds the tree from a stream list (a model reset).
    void setStreams(const std::vector<StreamInfo>& streams);

    /// The "All streams" row (invalid when the model is empty).
    QModelIndex allStreamsIndex() const;
    /// Row of a category ("" = no category), invalid when absent.
    QModelIndex categoryIndex(const QString& category) const;
    /// Row of a stream, invalid when absent.
    QModelIndex streamIndex(const StreamId& stream) const;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    using Node = CategoryTreeNode;
};

} // namespace chronoscope
