#pragma once

#include <QWidget>

#include <nlohmann/json_fwd.hpp>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTimer;
class QTreeView;

namespace chronoscope {

class JsonTreeModel;
class PositionSlider;
class ProjectionScriptPanel;
class ProjectionSet;
class ProjectionStepper;
class ReadModelChart;
class ReadModelTableModel;

/// The projections window: the global position slider on top; the list of projections with
/// status, checkpoint and lag on the left; on the right the selected projection's read model
/// as a table, a JSON tree and a chart, the JavaScript editor and the stepper. Everything
/// follows the slider (the read models as of that position) or, in live mode, the store.
class ProjectionsPanel : public QWidget {
    Q_OBJECT
public:
    enum Tab { TableTab, JsonTab, ChartTab, ScriptTab, StepperTab };

    explicit ProjectionsPanel(ProjectionSet* set, QWidget* parent = nullptr);
    ~ProjectionsPanel() override;

    ProjectionSet* set() const { return m_set; }
    bool selectProjection(const QString& name);
    QString selectedProjection() const { return m_selected; }
    void showTab(Tab tab);

    PositionSlider* positionSlider() const { return m_slider; }
    QTableView* listView() const { return m_list; }
    ReadModelTableModel* tableModel() const { return m_table; }
    QTableView* tableView() const { return m_tableView; }
    JsonTreeModel* treeModel() const { return m_tree; }
    ReadModelChart* chart() const { return m_chart; }
    ProjectionScriptPanel* scriptPanel() const { return m_script; }
    ProjectionStepper* stepper() const { return m_stepper; }
    QString viewStatusText() const;
    /// The row above the read model of a per-stream projection: which rows are shown, and the
    /// buttons to the first, previous and next page (hidden for read models shown whole).
    QWidget* pager() const { return m_pager; }
    QString pageText() const;
    QPushButton* firstPageButton() const { return m_firstPage; }
    QPushButton* previousPageButton() const { return m_previousPage; }
    QPushButton* nextPageButton() const { return m_nextPage; }

Q_SIGNALS:
    /// The selected projection's read model on screen is the one its view holds now.
    void viewShown(const QString& name);

private:
    void onStoreChanged();
    void onSelectionChanged();
    void onStatusChanged(const QString& name);
    void refresh();
    void refreshLazyTabs();
    void updateDetail();
    void drillInto(const QModelIndex& index);
    void updatePager(const struct ProjectionView& view);

    ProjectionSet* m_set;
    QString m_selected;
    bool m_treeStale = true;
    bool m_chartStale = true;
    std::shared_ptr<const nlohmann::json> m_shownData; // the read model the table holds

    PositionSlider* m_slider;
    QTableView* m_list;
    QLabel* m_detail;
    QProgressBar* m_progress;
    QPushButton* m_rebuild;
    QPushButton* m_stop;
    QPushButton* m_remove;
    QTabWidget* m_tabs;
    ReadModelTableModel* m_table;
    QSortFilterProxyModel* m_sorted;
    QTableView* m_tableView;
    QPushButton* m_up;
    QLabel* m_root;
    JsonTreeModel* m_tree;
    QTreeView* m_treeView;
    ReadModelChart* m_chart;
    ProjectionScriptPanel* m_script;
    ProjectionStepper* m_stepper;
    QLabel* m_viewStatus;
    QWidget* m_pager;
    QLabel* m_pageText;
    QPushButton* m_firstPage;
    QPushButton* m_previousPage;
    QPushButton* m_nextPage;
    QTimer* m_refreshTimer;
};

} // namespace chronoscope
