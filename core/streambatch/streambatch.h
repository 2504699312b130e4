#pragma once

// Stream vs batch: the same events folded into one read model of the sample shop twice: by a
// stream processor, at once for every event (with its latency and lag), and by a batch processor
// that buffers them and recomputes the model from scratch every N events or every T seconds. A
// Comparison drives both on a simulated clock (seconds, given by the caller), so a run is
// deterministic: the window feeds it as it replays the store, a test with made-up times.

#include "store/recordedevent.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <vector>

namespace chronoscope::streambatch {

/// The most points the staleness history keeps (older ones are thinned out).
inline constexpr int MaxHistoryPoints = 2000;
/// Limits of a batch policy's N (events) and T (seconds).
inline constexpr qint64 MinEveryEvents = 1;
inline constexpr qint64 MaxEveryEvents = 1000000;
inline constexpr double MinEverySeconds = 0.1;
inline constexpr double MaxEverySeconds = 86400;

/// The read model: the sample shop's figures. Money in integer cents.
struct ShopFigures {
    qint64 events = 0;
    qint64 ordersPlaced = 0;          ///< OrderPlaced events
    qint64 ordersPaid = 0;            ///< OrderPaid events
    qint64 ordersShipped = 0;         ///< OrderShipped events
    qint64 ordersCancelled = 0;       ///< OrderCancelled events
    qint64 revenueCents = 0;          ///< the amounts of OrderPaid
    qint64 refundedCents = 0;         ///< the amounts of PaymentRefunded
    std::map<QString, qint64> byType; ///< events per type

    /// Folds `count` events of `type` whose amounts add up to `amountCents` (see amountOf()).
    void add(const QString& type, qint64 count, qint64 amountCents);
    /// {"events", "ordersPlaced", "ordersPaid", "ordersShipped", "ordersCancelled", "revenueCents",
    /// "refundedCents", "byType": {type: n}}.
    nlohmann::json toJson() const;
    bool operator==(const ShopFigures&) const = default;
};

/// The amount in cents the read model takes from an event: data.amount of OrderPaid and
/// PaymentRefunded, 0 for every other type. A payload that is not JSON, or an amount that is
/// missing or not an integer, gives 0 (the event is still counted).
qint64 amountOf(const RecordedEvent& event);

/// Folds every event, per event: the read model is up to date as soon as an event is processed.
class StreamProcessor {
public:
    /// Folds `event` in; `arrival` is when it arrived, `now` when it is processed (simulated
    /// seconds). The fold's own time is measured (QElapsedTimer).
    void process(const RecordedEvent& event, double arrival, double now);
    void reset() { *this = StreamProcessor(); }

    const ShopFigures& figures() const { return m_figures; }
    qint64 processed() const { return m_processed; }
    /// Time the fold of one event took, in microseconds (0 before the first).
    double averageLatencyUs() const;
    double maxLatencyUs() const { return static_cast<double>(m_maxNs) / 1000.0; }
    /// Lag: processing time minus arrival, in simulated seconds.
    double averageLagSeconds() const;
    double maxLagSeconds() const { return m_maxLag; }

private:
    ShopFigures m_figures;
    qint64 m_processed = 0;
    qint64 m_totalNs = 0;
    qint64 m_maxNs = 0;
    double m_totalLag = 0;
    double m_maxLag = 0;
};

/// When a batch run happens.
struct BatchPolicy {
    enum class Trigger { Events, Seconds };
    Trigger trigger = Trigger::Events;
    qint64 everyEvents = 25;   ///< Events: a run once this many events are waiting
    double everySeconds = 2.0; ///< Seconds: a run this long after the previous one

    bool operator==(const BatchPolicy&) const = default;
};
/// Throws InvalidInput naming the value when N or T is out of its limits.
void validate(const BatchPolicy& policy);
/// "events" or "seconds"; and back (nullopt for anything else).
QString triggerName(BatchPolicy::Trigger trigger);
std::optional<BatchPolicy::Trigger> triggerFromName(const QString& name);

/// Buffers events and recomputes the read model from scratch over all it has received when its
/// policy says: N events waiting, or T seconds since the previous run (a run with no event
/// waiting is skipped: the model could not change). Between runs its model is stale.
class BatchProcessor {
public:
    explicit BatchProcessor(BatchPolicy policy = {});

    /// Takes effect from now on (what is buffered stays). Throws InvalidInput (see validate()).
    void setPolicy(const BatchPolicy& policy);
    const BatchPolicy& policy() const { return m_policy; }

    /// Buffers `event` (arrived at `arrival`), then runs if the policy says so at `now`.
    /// Returns whether it ran.
    bool receive(const RecordedEvent& event, double arrival, double now);
    /// The clock moved to `now`: runs if the policy says so. Returns whether it ran.
    bool tick(double now);
    /// Recomputes the model over every event received, now.
    void run(double now);
    void reset();

    const ShopFigures& figures() const { return m_figures; }
    qint64 received() const { return static_cast<qint64>(m_facts.size()); }
    qint64 runs() const { return m_runs; }
    /// Staleness: the events received that the model does not include yet.
    qint64 pendingEvents() const { return received() - m_included; }
    /// And for how long: `now` minus the arrival of the oldest of them (0 when none waits).
    double pendingSeconds(double now) const;
    /// How long the last run took, and all runs together, in microseconds (QElapsedTimer).
    double lastRunUs() const { return static_cast<double>(m_lastRunNs) / 1000.0; }
    double totalRunUs() const { return static_cast<double>(m_totalRunNs) / 1000.0; }
    /// Lag of the events included so far: the run that included each minus its arrival.
    double averageLagSeconds() const;
    double maxLagSeconds() const { return m_maxLag; }

private:
    struct Fact {
        int type; // index into m_types
        qint64 amountCents;
    };
    bool due(double now) const;

    BatchPolicy m_policy;
    std::vector<Fact> m_facts; // everything received
    // Per type, what the runs so far counted: a run adds its window's facts to them and folds the
    // model again from these totals, so it costs the events of its window (not all of them).
    std::vector<qint64> m_counts;
    std::vector<qint64> m_amounts;
    QStringList m_types;
    QHash<QString, int> m_typeIndex;
    std::vector<double> m_pendingArrivals; // of the events not included yet, oldest first
    ShopFigures m_figures;
    qint64 m_included = 0;
    qint64 m_runs = 0;
    std::optional<double> m_lastRunAt; // or the first time seen
    qint64 m_lastRunNs = 0;
    qint64 m_totalRunNs = 0;
    double m_totalLag = 0;
    double m_maxLag = 0;
};

/// One point of the staleness history: the batch model's staleness at a simulated time.
struct StalenessPoint {
    double seconds = 0;
    qint64 events = 0;
    bool operator==(const StalenessPoint&) const = default;
};

/// The counters a Comparison shows, at the latest time it was given.
struct Counters {
    qint64 processed = 0;      ///< events fed (both processors got each)
    double elapsedSeconds = 0; ///< simulated time since the first feed or tick
    double throughput = 0;     ///< processed / elapsedSeconds (0 before time passed)
    double streamLatencyAvgUs = 0;
    double streamLatencyMaxUs = 0;
    double streamLagAvgSeconds = 0;
    double streamLagMaxSeconds = 0;
    qint64 batchRuns = 0;
    double lastBatchUs = 0;
    double batchLagAvgSeconds = 0;
    double batchLagMaxSeconds = 0;
    qint64 stalenessEvents = 0; ///< now
    double stalenessSeconds = 0;
    qint64 maxStalenessEvents = 0; ///< the most seen since the start
};

/// Drives a StreamProcessor and a BatchProcessor from the same events on a simulated clock.
/// Times never go back: one earlier than the latest given counts as the latest.
class Comparison {
public:
    explicit Comparison(BatchPolicy policy = {}, int maxHistory = MaxHistoryPoints);

    /// Throws InvalidInput (see validate()); what is buffered stays.
    void setPolicy(const BatchPolicy& policy) { m_batch.setPolicy(policy); }
    const BatchPolicy& policy() const { return m_batch.policy(); }

    /// One event arrives (at `arrival`, default `now`) and is processed at `now` by both.
    void feed(const RecordedEvent& event, double now, std::optional<double> arrival = {});
    /// The clock moved to `now` without an event (a time policy may run the batch).
    void tick(double now);
    /// Back to nothing processed, the policy kept.
    void reset();

    nlohmann::json streamModel() const { return m_stream.figures().toJson(); }
    nlohmann::json batchModel() const { return m_batch.figures().toJson(); }
    const StreamProcessor& stream() const { return m_stream; }
    const BatchProcessor& batch() const { return m_batch; }
    Counters counters() const;
    /// The staleness in events over time, oldest first: a point per change (a flat stretch is
    /// one segment), at most the maxHistory given (older points thinned to their minima and maxima).
    const std::vector<StalenessPoint>& history() const { return m_history; }
    /// The latest time given (0 before any).
    double now() const { return m_now; }

private:
    double advance(double now);
    void record(double now, qint64 events);

    StreamProcessor m_stream;
    BatchProcessor m_batch;
    std::vector<StalenessPoint> m_history;
    int m_maxHistory;
    std::optional<double> m_start;
    double m_now = 0;
    qint64 m_maxStaleness = 0;
};

} // namespace chronoscope::streambatch
