#pragma once

#include "store/streaminfo.h"
#include "store/streamquery.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace chronoscope {

class EventStore;

/// The streams of a store that a StreamQuery selects, one row each: stream, category, version,
/// events, last timestamp. Rows are read a page at a time (keyset paging through
/// EventStore::streamPage): the first page on setStore()/setQuery(), more through fetchMore()
/// as a view scrolls, so a store of millions of streams shows at once. The filter (setText,
/// setCategory) and the order (sort(), by clicking a header) are answered by the store.
/// DisplayRole gives the cell text; the custom roles give raw values.
class StreamListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        StreamColumn,
        CategoryColumn,
        VersionColumn,
        EventsColumn,
        LastTimestampColumn,
        ColumnCount
    };
    enum Role {
        StreamIdRole = Qt::UserRole + 1, ///< chronoscope::StreamId
        CategoryRole,                    ///< QString, empty when the id has no '-'
        VersionRole,                     ///< qint64, last version
        EventCountRole,                  ///< qint64
        LastTimestampRole,               ///< qint64, ms since epoch (UTC)
        SortRole,                        ///< raw value of the cell's column
    };
    /// Rows read per page.
    static constexpr qint64 PageSize = 256;

    explicit StreamListModel(QObject* parent = nullptr);

    /// Reads the first page from the store (null: empties the model), with `query` when given,
    /// else keeping the query.
    void setStore(const EventStore* store, const std::optional<StreamQuery>& query = std::nullopt);
    /// Re-reads the rows shown (after events were appended), as many as were loaded, keeping
    /// rows that stay by id: new streams are inserted, changed ones updated, no reset.
    void refresh();

    const StreamQuery& query() const { return m_query; }
    /// Replaces the query and reads its first page (a model reset).
    void setQuery(const StreamQuery& query);
    /// Filter text: a substring (ASCII letters in any case), or a glob when it holds * ? [.
    void setText(const QString& text);
    QString text() const { return m_query.text; }
    /// Only streams of this category ("" = ids without '-'); nullopt: every category.
    void setCategory(std::optional<QString> category);
    std::optional<QString> category() const { return m_query.category; }

    /// Row of a loaded stream, -1 when absent (or not loaded yet).
    int rowOf(const StreamId& stream) const;
    /// Reads pages until the stream is loaded or `maxPages` more were read; its row or -1.
    int loadUntil(const StreamId& stream, int maxPages);
    /// The streams loaded so far, in row order.
    const std::vector<StreamInfo>& streams() const { return m_streams; }
    /// False once the last page was read.
    bool hasMore() const { return m_more; }
    /// The error of the last read ("" when it worked); the rows read before it stay.
    QString lastError() const { return m_error; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    /// Orders by the column (Stream and Category: id; Version; Events; Last event: position).
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    /// A read failed (the store went away, a corrupt page): the message names what.
    void readFailed(const QString& message);

private:
    std::vector<StreamInfo> read(const std::optional<StreamInfo>& after, qint64 limit);
    void reload();

    const EventStore* m_store = nullptr;
    bool m_fetching = false;
    StreamQuery m_query;
    std::vector<StreamInfo> m_streams;
    bool m_more = false;
    QString m_error;
};

} // namespace chronoscope
