#pragma once

#include "base/jobtracker.h"
#include "replay/reducer.h"
#include "timetravel/branch.h"

#include <QWidget>

#include <map>
#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTreeView;

namespace chronoscope {

class JsonEdit;
class JsonTreeModel;
class PatchTableModel;

/// What-if branches: fork the selected stream at a version, append hypothetical events (type
/// and JSON data, validated as typed), and compare the branch's state with the main line's at
/// the same version (side by side, and as a patch). Branches are saved beside the store in
/// "<store>.branches/NAME.json"; nothing is ever written into the store. While a store is open,
/// each stream keeps its branch when another stream is selected (and gets it back when selected
/// again), also across a new view of the same store (upcasters loaded or cleared).
class BranchPanel : public QWidget {
    Q_OBJECT
public:
    explicit BranchPanel(QWidget* parent = nullptr);
    ~BranchPanel() override;

    /// The store and its path (the folder of saved branches is derived from it).
    void setStore(std::shared_ptr<const EventStore> store, const QString& path);
    /// The selected stream, the reducer in force for it and the version shown.
    void setStream(const std::optional<StreamId>& stream, std::shared_ptr<const Reducer> reducer);
    void setReducer(std::shared_ptr<const Reducer> reducer);
    void setCurrentVersion(Version version)
    {
        m_current = version;
        updateControls();
    }

    /// Forks the selected stream at a version; throws nothing: errors show inline.
    bool fork(Version at);
    /// Appends a hypothetical event to the branch; false (error shown) on bad input.
    bool appendEvent(const QString& type, const QString& json);
    /// Saves to "<store>.branches/NAME.json"; returns the path, empty on failure.
    QString save();
    /// Loads a saved branch of the selected stream; false (error shown) on failure.
    bool load(const QString& path);
    /// "<store>.branches" (empty when the store has no file).
    QString branchDirectory() const;

    const BranchStore* branch() const { return m_branch.get(); }
    /// Streams whose branch is kept while another stream is selected.
    std::vector<StreamId> keptBranchStreams() const;
    JsonTreeModel* mainModel() const { return m_mainModel; }
    JsonTreeModel* branchModel() const { return m_branchModel; }
    PatchTableModel* diffModel() const { return m_diff; }
    QString errorText() const;
    QLineEdit* typeEdit() const { return m_type; }
    QPlainTextEdit* dataEdit() const;

Q_SIGNALS:
    /// Both states (and their diff) are shown, compared at `version`.
    void comparisonShown(chronoscope::Version version);

private:
    struct Comparison {
        qint64 version = 0;
        qint64 mainVersion = 0;
        nlohmann::json main;
        nlohmann::json branch;
    };
    void compare();
    void showComparison(const Comparison& result);
    void updateControls();
    void showError(const QString& message);
    void chooseFileToLoad();

    std::shared_ptr<const EventStore> m_store;
    QString m_path;
    std::optional<StreamId> m_stream;
    std::shared_ptr<const Reducer> m_reducer;
    Version m_current;
    std::shared_ptr<BranchStore> m_branch;
    std::map<StreamId, std::shared_ptr<BranchStore>> m_kept; // branches of the streams not selected
    bool m_again = false;                                    // compare() was asked for while a comparison ran
    JobTracker m_jobs {this};

    QLineEdit* m_name;
    QPushButton* m_fork;
    QPushButton* m_save;
    QPushButton* m_load;
    QLabel* m_info;
    QLineEdit* m_type;
    JsonEdit* m_data;
    QPushButton* m_append;
    QLabel* m_mainTitle;
    QLabel* m_branchTitle;
    JsonTreeModel* m_mainModel;
    JsonTreeModel* m_branchModel;
    PatchTableModel* m_diff;
    QLabel* m_status;
};

} // namespace chronoscope
