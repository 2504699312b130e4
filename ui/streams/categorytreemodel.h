#pragma once

#include "store/streaminfo.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace chronoscope {

class EventStore;

/// "All streams" → categories → streams, with stream and event counts.
///
/// The single top-level row is "All streams"; its children are the categories (ordered by
/// name; ids without '-' are grouped under "(no category)", which comes last); their children
/// are the streams. Columns: name, streams, events.
class CategoryTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, StreamsColumn, EventsColumn, ColumnCount };
    enum class Kind { All, Category, Stream };
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

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node {
        Kind kind = Kind::All;
        Node* parent = nullptr;
        int row = 0;
        QString category;
        StreamId stream;
        qint64 streams = 0;
        qint64 events = 0;
        std::vector<std::unique_ptr<Node>> children;
    };
    Node* nodeFor(const QModelIndex& index) const;
    QModelIndex indexOf(const Node* node) const;

    std::unique_ptr<Node> m_root; // invisible; holds the "All streams" node when not empty
};

} // namespace chronoscope
