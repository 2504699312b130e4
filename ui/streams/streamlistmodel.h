#pragma once

#include "base/jobtracker.h"
#include "store/streaminfo.h"
#include "store/streamquery.h"

#include <QAbstractTableModel>

#include <memory>
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
///
/// A filter that no index answers (a substring, a glob starting with a wildcard: every id is
/// checked) is read on a pool thread: the rows go away, isSearching() turns true, and the rows
/// come when the read is done, so the window keeps answering on a store of millions of streams.
/// Its further pages and refreshes are read the same way. Index-answered queries read at once.
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
    /// else keeping the query. The model keeps the store alive while a search reads it.
    void setStore(
        std::shared_ptr<const EventStore> store, const std::optional<StreamQuery>& query = std::nullopt);
    /// The same for a store the caller keeps alive for as long as the model exists.
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
    /// Reads pages until the stream is loaded or `maxPages` more were read; its row or -1 (also
    /// while a search is under way: its rows are not there yet).
    int loadUntil(const StreamId& stream, int maxPages);
    /// True while a filter that checks every id is being read off the GUI thread.
    bool isSearching() const { return m_searching; }
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
    /// A search off the GUI thread started (true) or delivered its rows (false).
    void searchingChanged(bool searching);

private:
    enum class ReadKind { Reload, NextPage, Refresh };
    struct Read {
        std::vector<StreamInfo> rows;
        bool more = false;
    };
    std::vector<StreamInfo> read(const std::optional<StreamInfo>& after, qint64 limit);
    void reload();
    /// True when the query is answered by checking every id: read off the GUI thread.
    bool searchesOffThread() const;
    /// Reads off the GUI thread, then applies the rows as `kind` says.
    void startRead(ReadKind kind, qint64 want);
    void finishRead(ReadKind kind, JobResult<Read> result);
    void setSearching(bool searching);
    /// Puts a fresh read of the first rows in place of the loaded ones (refresh()).
    void applyFresh(std::vector<StreamInfo> fresh, bool more);
    void appendPage(std::vector<StreamInfo> page);

    /// Owned when given as shared (alive while a job reads it), else a pointer without owner.
    std::shared_ptr<const EventStore> m_store;
    JobTracker m_jobs {this};
    bool m_searching = false;
    bool m_fetching = false;
    StreamQuery m_query;
    std::vector<StreamInfo> m_streams;
    bool m_more = false;
    QString m_error;
};

} // namespace chronoscope
