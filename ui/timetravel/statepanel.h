#pragma once

#include "replay/reducer.h"
#include "store/eventstore.h"
#include "timetravel/timetravelsession.h"

#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QSlider;
class QSpinBox;
class QTableView;
class QTreeView;

namespace chronoscope {

class ChangeHighlightProxy;
class JsonTreeModel;
class PatchTableModel;
class TimeBar;

/// The aggregate state of one stream at a chosen version (0..last), shown as a JSON tree with
/// the fields changed by that version's event highlighted and listed, driven by a time bar.
///
/// States are computed by a TimeTravelSession off the GUI thread; requests made while one
/// runs are folded into the latest, and stale results are dropped by generation.
class StatePanel : public QWidget {
    Q_OBJECT
public:
    explicit StatePanel(QWidget* parent = nullptr);
    ~StatePanel() override;

    /// The store to replay from (null: none). Clears the stream.
    void setStore(std::shared_ptr<const EventStore> store);
    /// Chooses the reducers (by default ReducerRegistry::withBuiltins()).
    void setRegistry(ReducerRegistry registry);
    /// Uses `reducer` for a category from now on (the current stream is replayed if it is of it).
    void setCategoryReducer(const QString& category, std::shared_ptr<const Reducer> reducer);
    /// Checks a reducer on the current stream first: it is used only when the whole stream
    /// replays without error (session()->reducerAccepted / reducerRejected tell which).
    void tryCategoryReducer(const QString& category, std::shared_ptr<const Reducer> reducer);
    /// The reducer in force for a stream.
    std::shared_ptr<const Reducer> reducerFor(const StreamId& stream) const
    {
        return m_registry.reducerFor(stream);
    }
    /// Shows a stream at a version (nullopt: its last version); a null stream shows nothing.
    void setStream(const std::optional<StreamId>& stream, std::optional<Version> at = std::nullopt);
    std::optional<StreamId> stream() const { return m_session->stream(); }

    /// What-if: leaves these versions of the current stream out (never touching the store).
    void setSkipped(const QSet<qint64>& versions);

    /// Moves the time bar; the state follows asynchronously (see stateShown).
    void setVersion(Version version);
    /// The stream may have grown: the time bar reaches its new end, and a panel that showed the
    /// last version moves on to the new last one.
    void refreshEnd();
    /// The version chosen on the time bar.
    Version requestedVersion() const;
    /// The version whose state is on screen (nullopt: none yet).
    std::optional<Version> shownVersion() const { return m_shown; }
    Version lastVersion() const { return m_session->lastVersion(); }
    bool isBusy() const { return m_session->isBusy(); }

    TimeTravelSession* session() const { return m_session; }
    TimeBar* timeBar() const { return m_timeBar; }
    JsonTreeModel* stateModel() const { return m_model; }
    ChangeHighlightProxy* highlightModel() const { return m_highlight; }
    PatchTableModel* changesModel() const { return m_changes; }
    QTreeView* stateView() const { return m_view; }
    QSlider* slider() const;
    QSpinBox* spinBox() const;

Q_SIGNALS:
    /// The state at `version` of the current stream is now on screen.
    void stateShown(chronoscope::Version version);
    /// Replay failed; the message names stream, version and type.
    void replayFailed(const QString& message);
    /// The user asked for the history of the field at a JSON Pointer.
    void fieldHistoryRequested(const QString& pointer);

private:
    void request(qint64 version);
    void showResult(const StateAtVersion& result);
    void showFailure(const QString& message);
    void showContextMenu(const QPoint& pos);
    void updateTitle();
    void updateStatus();

    std::shared_ptr<const EventStore> m_store;
    ReducerRegistry m_registry;
    std::optional<Version> m_shown;
    QString m_tryCategory;

    TimeTravelSession* m_session;
    JsonTreeModel* m_model;
    ChangeHighlightProxy* m_highlight;
    PatchTableModel* m_changes;
    TimeBar* m_timeBar;
    QTreeView* m_view;
    QTableView* m_changesView;
    QLabel* m_changesTitle;
    QLabel* m_title;
    QLabel* m_status;
};

} // namespace chronoscope
