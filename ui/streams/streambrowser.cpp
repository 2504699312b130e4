#include "streams/streambrowser.h"

#include "store/eventstore.h"
#include "streams/categorytreemodel.h"
#include "streams/streamlistmodel.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScopedValueRollback>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace chronoscope {

namespace {

/// A row of the category tree by what it shows, to find it again after the rows were rebuilt.
struct TreeRow {
    explicit TreeRow(const QModelIndex& current)
        : kind(current.isValid() ? CategoryTreeModel::Kind(current.data(CategoryTreeModel::KindRole).toInt())
                                 : CategoryTreeModel::Kind::All)
        , category(current.data(CategoryTreeModel::CategoryRole).toString())
        , stream(current.data(CategoryTreeModel::StreamIdRole).value<StreamId>())
    {
    }
    /// The same row in `model` now (invalid when it is gone).
    QModelIndex find(const CategoryTreeModel& model) const
    {
        switch (kind) {
        case CategoryTreeModel::Kind::All:
            return model.allStreamsIndex();
        case CategoryTreeModel::Kind::Category:
            return model.categoryIndex(category);
        case CategoryTreeModel::Kind::Stream:
            return model.streamIndex(stream);
        }
        return {};
    }
    CategoryTreeModel::Kind kind;
    QString category;
    StreamId stream;
};

} // namespace

StreamBrowser::StreamBrowser(QWidget* parent)
    : QWidget(parent)
    , m_streams(new StreamListModel(this))
    , m_matches(new StreamListModel(this))
    , m_categories(new CategoryTreeModel(this))
    , m_filter(new QLineEdit)
    , m_tree(new QTreeView)
    , m_list(new QTableView)
    , m_searchStatus(new QLabel)
{
    m_filter->setPlaceholderText(tr("Filter streams: text or a glob like cart-1* (Ctrl+F)"));
    m_filter->setToolTip(tr("Shows the streams whose id contains the text (letters in any case), or "
                            "matches it as a whole when it holds * ? or [ ] (a glob, case-sensitive). "
                            "events:3 or events:3-8 keeps the streams with that many events."));
    m_filter->setClearButtonEnabled(true);
    // The store answers each filter: wait for a pause in typing (Return applies at once).
    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(150);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterDelay, &QTimer::timeout, this, &StreamBrowser::applyFilter);
    connect(m_filter, &QLineEdit::returnPressed, this, &StreamBrowser::applyFilter);

    m_tree->setModel(m_categories);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* treeHeader = m_tree->header();
    treeHeader->setStretchLastSection(false);
    treeHeader->setSectionResizeMode(CategoryTreeModel::NameColumn, QHeaderView::Stretch);
    treeHeader->setSectionResizeMode(CategoryTreeModel::StreamsColumn, QHeaderView::Fixed);
    treeHeader->setSectionResizeMode(CategoryTreeModel::EventsColumn, QHeaderView::Fixed);
    treeHeader->resizeSection(CategoryTreeModel::StreamsColumn, 64);
    treeHeader->resizeSection(CategoryTreeModel::EventsColumn, 64);

    // Long ids (Emmett's UUID names) keep their start and their end, so neighbours differ.
    m_tree->setTextElideMode(Qt::ElideMiddle);
    m_list->setTextElideMode(Qt::ElideMiddle);
    m_copyId = new QAction(tr("&Copy Stream Id"), this);
    m_copyId->setObjectName(QStringLiteral("copyStreamIdAction"));
    m_copyId->setShortcut(QKeySequence::Copy);
    m_copyId->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copyId, &QAction::triggered, this, [this] {
        const StreamId stream = currentStream();
        if (!stream.isEmpty())
            QGuiApplication::clipboard()->setText(stream.toString());
    });
    for (QAbstractItemView* view : std::initializer_list<QAbstractItemView*> {m_tree, m_list}) {
        view->addAction(m_copyId);
        view->setContextMenuPolicy(Qt::ActionsContextMenu);
    }

    m_list->setModel(m_streams);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(StreamListModel::StreamColumn, Qt::AscendingOrder);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setAlternatingRowColors(true);
    m_list->setWordWrap(false);
    m_list->setShowGrid(false);
    m_list->verticalHeader()->hide();
    m_list->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    auto* listHeader = m_list->horizontalHeader();
    listHeader->setHighlightSections(false);
    listHeader->setStretchLastSection(true);
    listHeader->setMinimumSectionSize(40);
    listHeader->resizeSection(StreamListModel::StreamColumn, 120);
    listHeader->resizeSection(StreamListModel::CategoryColumn, 80);
    listHeader->resizeSection(StreamListModel::VersionColumn, 56);
    listHeader->resizeSection(StreamListModel::EventsColumn, 56);
    listHeader->resizeSection(StreamListModel::LastTimestampColumn, 175);
    // The tree above groups by category and counts events; the list shows where each stream is.
    m_list->setColumnHidden(StreamListModel::CategoryColumn, true);
    m_list->setColumnHidden(StreamListModel::EventsColumn, true);

    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_tree);
    splitter->addWidget(m_list);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(m_filter);
    m_searchStatus->setObjectName(QStringLiteral("streamSearchStatus"));
    m_searchStatus->setWordWrap(true);
    m_searchStatus->hide();
    layout->addWidget(m_searchStatus);
    layout->addWidget(splitter, 1);
    connect(m_streams, &StreamListModel::searchingChanged, this, [this](bool searching) {
        updateSearchStatus();
        if (!searching)
            onSearchDone();
    });
    connect(m_streams, &QAbstractItemModel::modelReset, this, &StreamBrowser::updateSearchStatus);
    // While filtering, the tree shows the matches (read off the GUI thread when no index answers).
    connect(m_matches, &QAbstractItemModel::modelReset, this, &StreamBrowser::showMatchesInTree);
    connect(m_matches, &QAbstractItemModel::rowsInserted, this, &StreamBrowser::showMatchesInTree);
    connect(m_matches, &StreamListModel::searchingChanged, this, [this](bool searching) {
        if (!searching)
            showMatchesInTree();
    });

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex& current) { onTreeCurrentChanged(current); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex& current) { onListCurrentChanged(current); });
    for (QAbstractItemView* view : std::initializer_list<QAbstractItemView*> {m_tree, m_list})
        connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this] { m_copyId->setEnabled(!currentStream().isEmpty()); });
    m_copyId->setEnabled(false);
}

void StreamBrowser::setStore(const EventStore* store)
{
    // Aliasing an empty owner: the pointer without a share of the store.
    setStore(std::shared_ptr<const EventStore>(std::shared_ptr<const EventStore>(), store));
}

void StreamBrowser::setStore(std::shared_ptr<const EventStore> store)
{
    m_store = store.get();
    {
        const QScopedValueRollback guard(m_syncing, true);
        m_filterDelay->stop();
        {
            const QSignalBlocker quiet(m_filter);
            m_filter->clear();
        }
        // A new store starts unfiltered, in the order the list was sorted by.
        StreamQuery query;
        query.sort = m_streams->query().sort;
        query.descending = m_streams->query().descending;
        m_shared = store;
        m_matches->setStore(
            std::shared_ptr<const EventStore>(), StreamQuery()); // read only while a filter is typed
        m_streams->setStore(std::move(store), query);
        m_categories->setStore(m_store);
        m_tree->expand(m_categories->allStreamsIndex());
    }
    selectAllStreams();
}

void StreamBrowser::updateSearchStatus()
{
    const QString text = m_filter->text(); // as typed ("events:3" has no text to match)
    if (m_streams->isSearching()) {
        m_searchStatus->setText(tr("Searching every stream id for “%1”…").arg(text));
        m_searchStatus->show();
    } else if (!text.isEmpty() && m_streams->rowCount() == 0 && m_streams->lastError().isEmpty()) {
        m_searchStatus->setText(tr("No stream id matches “%1”.").arg(text));
        m_searchStatus->show();
    } else if (!m_streams->lastError().isEmpty()) {
        m_searchStatus->setText(tr("Could not read the streams: %1").arg(m_streams->lastError()));
        m_searchStatus->show();
    } else {
        m_searchStatus->hide();
    }
}

void StreamBrowser::onSearchDone()
{
    // The stream selected in the tree while the search ran gets its list row now.
    // (Or the stream selected without a tree row: further into its category than the tree read,
    // or among matches not read yet.)
    const QModelIndex current = m_tree->currentIndex();
    StreamId stream = m_pendingListStream;
    m_pendingListStream = StreamId();
    if (current.isValid()
        && CategoryTreeModel::Kind(current.data(CategoryTreeModel::KindRole).toInt())
            == CategoryTreeModel::Kind::Stream)
        stream = current.data(CategoryTreeModel::StreamIdRole).value<StreamId>();
    if (stream.isEmpty())
        return;
    const auto index = m_streams->index(m_streams->rowOf(stream), StreamListModel::StreamColumn);
    if (index.isValid() && index != m_list->currentIndex()) {
        const QScopedValueRollback guard(m_syncing, true);
        m_list->setCurrentIndex(index);
        m_list->scrollTo(index);
    }
}

void StreamBrowser::applyFilter()
{
    m_filterDelay->stop();
    const QString text = m_filter->text();
    m_streams->setText(text);
    if (text.isEmpty()) {
        m_matches->setStore(std::shared_ptr<const EventStore>(), StreamQuery());
        showMatchesInTree();
        return;
    }
    m_matches->setStore(m_shared, StreamQuery::fromFilterText(text));
}

void StreamBrowser::showStreamsWithEvents(qint64 min, qint64 max)
{
    m_filter->setText(StreamQuery::eventsTerm(min, max));
    applyFilter();
}

void StreamBrowser::showMatchesInTree()
{
    const QString text = m_filter->text();
    if (text.isEmpty() && m_categories->matchText().isEmpty())
        return;
    if (!text.isEmpty() && m_matches->isSearching())
        return; // shown when the search is done
    const QScopedValueRollback guard(m_syncing, true);
    // What was selected, by what it shows; found again among the matches (or the whole store).
    const TreeRow selected(m_tree->currentIndex());
    m_categories->showMatches(text, m_matches->streams(), m_matches->hasMore());
    const QModelIndex all = m_categories->allStreamsIndex();
    m_tree->expand(all);
    if (!text.isEmpty() && m_categories->rowCount(all) <= 12) {
        for (int row = 0; row < m_categories->rowCount(all); ++row)
            m_tree->expand(m_categories->index(row, 0, all));
    }
    QModelIndex again = selected.find(*m_categories);
    if (!again.isValid()) {
        again = all;
        if (selected.kind == CategoryTreeModel::Kind::Category)
            m_streams->setCategory(std::nullopt); // its category has no match: the list shows them all
    }
    if (again.isValid())
        m_tree->setCurrentIndex(again);
}

void StreamBrowser::refresh()
{
    const QScopedValueRollback guard(m_syncing, true);
    // Remember the selection and the expanded categories by what they show, not by index.
    const QModelIndex current = m_tree->currentIndex();
    const TreeRow selected(current);
    QStringList expanded;
    const QModelIndex all = m_categories->allStreamsIndex();
    for (int row = 0; all.isValid() && row < m_categories->rowCount(all); ++row) {
        const QModelIndex index = m_categories->index(row, 0, all);
        if (m_tree->isExpanded(index))
            expanded << index.data(CategoryTreeModel::CategoryRole).toString();
    }
    const auto listCurrent = m_list->currentIndex().data(StreamListModel::StreamIdRole).value<StreamId>();
    const bool listHadCurrent = m_list->currentIndex().isValid();

    m_streams->refresh();
    if (!m_filter->text().isEmpty())
        m_matches->refresh(); // the tree shows them again when they come
    m_categories->refresh();

    m_tree->expand(m_categories->allStreamsIndex());
    for (const QString& name : std::as_const(expanded))
        m_tree->expand(m_categories->categoryIndex(name));
    const QModelIndex again = selected.find(*m_categories);
    if (again.isValid() && current.isValid() && again != m_tree->currentIndex())
        m_tree->setCurrentIndex(again);
    if (listHadCurrent) {
        const auto index = m_streams->index(m_streams->rowOf(listCurrent), StreamListModel::StreamColumn);
        if (index.isValid() && index != m_list->currentIndex())
            m_list->setCurrentIndex(index);
    }
}

StreamId StreamBrowser::currentStream() const
{
    const QModelIndex tree = m_tree->currentIndex();
    if (tree.isValid()
        && CategoryTreeModel::Kind(tree.data(CategoryTreeModel::KindRole).toInt())
            == CategoryTreeModel::Kind::Stream)
        return tree.data(CategoryTreeModel::StreamIdRole).value<StreamId>();
    const QModelIndex list = m_list->currentIndex();
    return list.isValid() ? list.data(StreamListModel::StreamIdRole).value<StreamId>() : StreamId();
}

void StreamBrowser::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void StreamBrowser::selectAllStreams()
{
    const auto all = m_categories->allStreamsIndex();
    if (all.isValid() && m_tree->currentIndex() != all) {
        m_tree->setCurrentIndex(all);
        return;
    }
    // Already current in the tree (a stream the tree had not read was shown without a row):
    // show everything again all the same.
    if (all.isValid()) {
        const QScopedValueRollback guard(m_syncing, true);
        m_streams->setCategory(std::nullopt);
        m_list->clearSelection();
    }
    Q_EMIT allStreamsSelected();
}

bool StreamBrowser::selectStream(const StreamId& stream)
{
    const auto index = m_categories->loadStream(stream);
    if (!index.isValid()) {
        // Further into its category than the tree reads at once: show it without a tree row.
        if (!m_store || !m_store->streamInfo(stream))
            return false;
        {
            const QScopedValueRollback guard(m_syncing, true);
            const auto category = m_categories->categoryIndex(stream.category());
            if (category.isValid())
                m_tree->setCurrentIndex(category);
            showInList(stream);
        }
        Q_EMIT streamSelected(stream);
        return true;
    }
    m_tree->expand(index.parent());
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
    return true;
}

bool StreamBrowser::selectCategory(const QString& category)
{
    const auto index = m_categories->categoryIndex(category);
    if (!index.isValid())
        return false;
    m_tree->setCurrentIndex(index);
    return true;
}

void StreamBrowser::onTreeCurrentChanged(const QModelIndex& current)
{
    if (m_syncing || !current.isValid())
        return;
    const QScopedValueRollback guard(m_syncing, true);
    const auto kind = CategoryTreeModel::Kind(current.data(CategoryTreeModel::KindRole).toInt());
    switch (kind) {
    case CategoryTreeModel::Kind::All:
        m_streams->setCategory(std::nullopt);
        m_list->selectionModel()->clear(); // the current row too: clicking it again selects it
        Q_EMIT allStreamsSelected();
        break;
    case CategoryTreeModel::Kind::Category: {
        const QString category = current.data(CategoryTreeModel::CategoryRole).toString();
        m_streams->setCategory(category);
        m_list->selectionModel()->clear(); // the current row too: clicking it again selects it
        Q_EMIT categorySelected(category);
        break;
    }
    case CategoryTreeModel::Kind::Stream: {
        const auto stream = current.data(CategoryTreeModel::StreamIdRole).value<StreamId>();
        showInList(stream);
        Q_EMIT streamSelected(stream);
        break;
    }
    }
}

void StreamBrowser::showInList(const StreamId& stream)
{
    // Keep the list showing the stream's category, with the stream selected.
    m_streams->setCategory(stream.category());
    const int row = m_streams->loadUntil(stream, 64);
    const auto index = m_streams->index(row, StreamListModel::StreamColumn);
    if (index.isValid()) {
        m_pendingListStream = StreamId();
        m_list->setCurrentIndex(index);
        m_list->scrollTo(index);
    } else {
        m_list->clearSelection();
        m_pendingListStream = m_streams->isSearching() ? stream : StreamId(); // onSearchDone() selects it
    }
}

void StreamBrowser::onListCurrentChanged(const QModelIndex& current)
{
    if (m_syncing || !current.isValid())
        return;
    const QScopedValueRollback guard(m_syncing, true);
    const auto stream = current.data(StreamListModel::StreamIdRole).value<StreamId>();
    const auto treeIndex = m_categories->loadStream(stream);
    if (treeIndex.isValid()) {
        m_tree->expand(treeIndex.parent());
        m_tree->setCurrentIndex(treeIndex);
        m_tree->scrollTo(treeIndex);
    }
    Q_EMIT streamSelected(stream);
}

} // namespace chronoscope
