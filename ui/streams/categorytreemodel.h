#pragma once

#include "store/streaminfo.h"
#include "store/streamquery.h"
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
    bool more = false; ///< a category whose streams are not all loaded yet
    std::vector<std::unique_ptr<CategoryTreeNode>> children;
};

/// "All streams" → categories → streams, with stream and event counts.
///
/// The single top-level row is "All streams"; its children are the categories (ordered by
/// name; ids without '-' are grouped under "(no category)", which comes last) with the counts
/// the store keeps (EventStore::categories(): no scan); their children are the streams, read
/// a page at a time by id when a category is expanded and scrolled (canFetchMore/fetchMore).
/// Columns: name, streams, events.
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

    /// Streams read per page of a category.
    static constexpr qint64 PageSize = 256;

    /// Reloads from the store (null: empties the model); no category's streams are read yet.
    void setStore(const EventStore* store);
    /// Re-reads the counts and the loaded streams (after events were appended) without a reset:
    /// new categories and streams are inserted in their places, counts updated. Nothing while
    /// matches are shown (their list is refreshed and shown again by its owner).
    void refresh();

    /// Shows only `matches`, the streams a filter box's text found (the first pages, in id
    /// order): "All streams" becomes "Streams matching …", categories hold only their matching
    /// streams, and their counts are those of the matches (a "+" in the label says `more` were
    /// not read yet). An empty `text` goes back to the whole store.
    void showMatches(const QString& text, const std::vector<StreamInfo>& matches, bool more);
    /// The filter text whose matches are shown ("" for the whole store).
    QString matchText() const { return m_matchText; }

    /// The "All streams" row (invalid when the model is empty).
    QModelIndex allStreamsIndex() const;
    /// Row of a category ("" = no category), invalid when absent.
    QModelIndex categoryIndex(const QString& category) const;
    /// Row of a loaded stream, invalid when absent or not loaded yet.
    QModelIndex streamIndex(const StreamId& stream) const;
    /// Row of a stream, reading its category's pages until it is loaded (at most maxPages
    /// more); invalid when absent or further than that.
    QModelIndex loadStream(const StreamId& stream, int maxPages = 64);

    bool hasChildren(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// A read failed (the store went away, a corrupt page): the message names what.
    void readFailed(const QString& message);

private:
    using Node = CategoryTreeNode;
    std::vector<StreamInfo> readStreams(
        const QString& category, const std::optional<StreamId>& after, qint64 limit, bool* failed);
    void refreshCategory(Node* category, qint64 oldStreams);
    void build(const std::vector<CategoryInfo>& categories);

    const EventStore* m_store = nullptr;
    bool m_fetching = false;
    QString m_matchText; // non-empty: the tree shows the matches of this filter
    bool m_moreMatches = false;
};

} // namespace chronoscope
