#pragma once

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSlider;
class QSpinBox;
class QToolButton;

namespace chronoscope {

/// The time-travel controls: a slider over versions 0..N, step buttons, play/pause at a
/// chosen speed, "jump to" a version or an ISO timestamp, and a line telling which event the
/// current version is. Keyboard (on the bar and on widgets attached with attachKeys):
/// Left/Right step one version, Space plays or pauses.
class TimeBar : public QWidget {
    Q_OBJECT
public:
    explicit TimeBar(QWidget* parent = nullptr);

    /// The versions shown are 0..last; the value is clamped and does not emit.
    void setRange(qint64 last, qint64 value);
    qint64 last() const;
    qint64 value() const;
    /// Moves to a version (clamped); emits versionChanged when it changes.
    void setValue(qint64 version);
    void step(int delta) { setValue(value() + delta); }

    void setPlaying(bool playing);
    bool isPlaying() const { return m_timer.isActive(); }
    /// Versions per second while playing.
    void setSpeed(int versionsPerSecond);
    int speed() const;

    /// The text describing the version shown, e.g. "v12 · ItemAdded · 2026-01-05T10:00:00Z".
    void setInfo(const QString& text);
    QString info() const;
    /// Shows an error under the controls (empty clears it).
    void setMessage(const QString& text, bool error);
    QString message() const;

    /// Lets Left/Right/Space on another widget (the state view) drive this bar.
    void attachKeys(QWidget* widget);
    /// Jumps to "12" / "v12" (a version) or an ISO timestamp (jumpToTimeRequested).
    void jumpTo(const QString& text);

    QSlider* slider() const { return m_slider; }
    QSpinBox* spinBox() const { return m_spin; }
    QLineEdit* jumpEdit() const { return m_jump; }
    QToolButton* playButton() const { return m_play; }

Q_SIGNALS:
    void versionChanged(qint64 version);
    void jumpToTimeRequested(qint64 timestampMs);
    void playingChanged(bool playing);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    bool handleKey(QKeyEvent* event);
    void tick();

    QSlider* m_slider;
    QSpinBox* m_spin;
    QLabel* m_of;
    QToolButton* m_first;
    QToolButton* m_previous;
    QToolButton* m_play;
    QToolButton* m_next;
    QToolButton* m_lastButton;
    QComboBox* m_speed;
    QLineEdit* m_jump;
    QLabel* m_info;
    QLabel* m_message;
    QTimer m_timer;
};

} // namespace chronoscope
