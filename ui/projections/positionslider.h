#pragma once

#include "base/jobtracker.h"
#include "store/eventstore.h"

#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QSlider;
class QSpinBox;
class QToolButton;

namespace chronoscope {

/// The global position slider: chooses a position of the whole log (0 .. last) or "live".
/// A label shows the position and the timestamp of its event, read off the GUI thread (a
/// stale answer is dropped by generation). Growing stores extend the range; in live mode the
/// slider stays at the end.
class PositionSlider : public QWidget {
    Q_OBJECT
public:
    explicit PositionSlider(QWidget* parent = nullptr);
    ~PositionSlider() override;

    /// The store whose positions are chosen (null: disabled).
    void setStore(std::shared_ptr<const EventStore> store);
    /// The store's last position changed (appends).
    void setLastPosition(Position last);
    Position lastPosition() const { return m_last; }

    /// Chooses a position (clamped to the range); leaves live mode.
    void setPosition(Position position);
    /// Follows the end of the log.
    void setLive(bool live);
    bool isLive() const { return m_live; }
    /// The chosen position; nullopt in live mode.
    std::optional<Position> position() const;

    QString labelText() const;
    QSlider* slider() const { return m_slider; }

Q_SIGNALS:
    /// The user (or setPosition / setLive) chose a position; nullopt for live.
    void positionChanged(std::optional<chronoscope::Position> position);
    /// The label now shows the timestamp of this position.
    void timestampShown(chronoscope::Position position);

private:
    void onSliderMoved(int value);
    void updateLabel();
    void emitChoice();

    std::shared_ptr<const EventStore> m_store;
    Position m_last;
    Position m_chosen; // the position last chosen (the slider's value may have moved first)
    bool m_live = true;
    JobTracker m_labelJobs {this}; // reads the timestamp of the position shown
    QSlider* m_slider;
    QSpinBox* m_spin;
    QToolButton* m_liveButton;
    QLabel* m_label;
};

} // namespace chronoscope
