#pragma once

// ui/streambatch: the Stream vs Batch dock: the store replayed at a chosen rate (and what is
// appended meanwhile) into a stream processor and a batch processor side by side (core/streambatch),
// their read models, counters and the batch model's staleness over time.

#include "store/eventstore.h"
#include "streambatch/streambatch.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTableView;
class QToolButton;

namespace chronoscope {

class StalenessChart;
class StreamBatchModel;

class StreamBatchPanel : public QWidget {
    Q_OBJECT
public:
    /// Limits of the replay rate (events per second).
    static constexpr int MinRate = 1;
    static constexpr int MaxRate = 5000;
    static constexpr int DefaultRate = 50;
    /// The replay's clock step, and the most events read from the store in one step.
    static constexpr int TickMs = 50;
    static constexpr int MaxEventsPerTick = 1000;

    explicit StreamBatchPanel(QWidget* parent = nullptr);
    ~StreamBatchPanel() override;

    /// The store replayed (nullptr: none). A new store starts over (reset).
    void setStore(std::shared_ptr<const EventStore> store);
    /// Events were appended to the store: read while running (they come after the cursor).
    void storeAppended();

    /// Replays from where it stopped (the start after a reset), then follows the store live.
    /// Returns false (and says why) without a store.
    bool play();
    void pause();
    /// Stops and forgets everything processed: back to the store's first event.
    void reset();
    bool isRunning() const { return m_timer.isActive(); }
    bool hasStore() const { return m_store != nullptr; }

    void setRate(int eventsPerSecond);
    int rate() const;
    /// Throws InvalidInput (streambatch::validate()).
    void setPolicy(const streambatch::BatchPolicy& policy);
    streambatch::BatchPolicy policy() const { return m_comparison.policy(); }

    const streambatch::Comparison& comparison() const { return m_comparison; }
    /// The position the next event is read from.
    qint64 cursor() const { return m_cursor; }
    /// Whether the replay has reached the end of the store (it then waits for appended events).
    bool isCaughtUp() const { return m_caughtUp; }
    /// The line under the controls: what it is doing, or what went wrong.
    QString statusText() const;

    QToolButton* playButton() const { return m_play; }
    QToolButton* pauseButton() const { return m_pause; }
    QToolButton* resetButton() const { return m_reset; }
    QSpinBox* rateSpin() const { return m_rate; }
    QComboBox* policyCombo() const { return m_policy; }
    QSpinBox* everyEventsSpin() const { return m_everyEvents; }
    QDoubleSpinBox* everySecondsSpin() const { return m_everySeconds; }
    QTableView* table() const { return m_table; }
    StreamBatchModel* model() const { return m_model; }
    StalenessChart* chart() const { return m_chart; }

Q_SIGNALS:
    /// Events were processed, or it was reset, played or paused.
    void updated();

private:
    QWidget* makeControls();
    QWidget* makeCounters();
    void step();
    double simulatedNow() const;
    void policyEdited();
    void refresh();
    void updateButtons();
    void fail(const QString& message);

    std::shared_ptr<const EventStore> m_store;
    streambatch::Comparison m_comparison;
    QTimer m_timer;
    QElapsedTimer m_clock;   // runs while playing
    double m_clockBase = 0;  // simulated seconds before the current play
    double m_lastStepAt = 0; // simulated time of the previous step
    double m_budget = 0;     // events the rate allows and not read yet
    qint64 m_cursor = 1;
    bool m_caughtUp = false;
    QString m_error;

    QToolButton* m_play;
    QToolButton* m_pause;
    QToolButton* m_reset;
    QSpinBox* m_rate;
    QComboBox* m_policy;
    QSpinBox* m_everyEvents;
    QDoubleSpinBox* m_everySeconds;
    QLabel* m_status;
    QTableView* m_table;
    StreamBatchModel* m_model;
    StalenessChart* m_chart;
    QLabel* m_processed;
    QLabel* m_latency;
    QLabel* m_streamLag;
    QLabel* m_batchRuns;
    QLabel* m_batchLag;
    QLabel* m_staleness;
    QLabel* m_maxStaleness;
};

} // namespace chronoscope
