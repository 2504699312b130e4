#include "streambatch/streambatch.h"

#include "base/errors.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <limits>

namespace chronoscope::streambatch {

namespace {

// Two times as equal when they are this close (a simulated clock made of sums of steps).
constexpr double TimeEpsilon = 1e-9;

// Sums of hostile amounts stop at the limits instead of overflowing.
qint64 saturatingAdd(qint64 a, qint64 b)
{
    qint64 sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
        return b > 0 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    return sum;
}

} // namespace

void ShopFigures::add(const QString& type, qint64 count, qint64 amountCents)
{
    events += count;
    byType[type] += count;
    if (type == u"OrderPlaced") {
        ordersPlaced += count;
    } else if (type == u"OrderPaid") {
        ordersPaid += count;
        revenueCents = saturatingAdd(revenueCents, amountCents);
    } else if (type == u"OrderShipped") {
        ordersShipped += count;
    } else if (type == u"OrderCancelled") {
        ordersCancelled += count;
    } else if (type == u"PaymentRefunded") {
        refundedCents = saturatingAdd(refundedCents, amountCents);
    }
}

nlohmann::json ShopFigures::toJson() const
{
    nlohmann::json types = nlohmann::json::object();
    for (const auto& [type, count] : byType)
        types[type.toStdString()] = count;
    return {{"events", events}, {"ordersPlaced", ordersPlaced}, {"ordersPaid", ordersPaid},
        {"ordersShipped", ordersShipped}, {"ordersCancelled", ordersCancelled},
        {"revenueCents", revenueCents}, {"refundedCents", refundedCents}, {"byType", types}};
}

qint64 amountOf(const RecordedEvent& event)
{
    if (event.type != u"OrderPaid" && event.type != u"PaymentRefunded")
        return 0;
    const auto data = nlohmann::json::parse(event.data.begin(), event.data.end(), nullptr, false);
    if (!data.is_object())
        return 0;
    const auto amount = data.find("amount");
    if (amount == data.end() || !amount->is_number_integer())
        return 0;
    if (amount->is_number_unsigned()
        && amount->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<qint64>::max()))
        return 0;
    return amount->get<qint64>();
}

// --- StreamProcessor

void StreamProcessor::process(const RecordedEvent& event, double arrival, double now)
{
    QElapsedTimer timer;
    timer.start();
    m_figures.add(event.type, 1, amountOf(event));
    const qint64 ns = timer.nsecsElapsed();
    ++m_processed;
    m_totalNs += ns;
    m_maxNs = std::max(m_maxNs, ns);
    const double lag = std::max(0.0, now - arrival);
    m_totalLag += lag;
    m_maxLag = std::max(m_maxLag, lag);
}

double StreamProcessor::averageLatencyUs() const
{
    return m_processed == 0 ? 0.0
                            : static_cast<double>(m_totalNs) / 1000.0 / static_cast<double>(m_processed);
}

double StreamProcessor::averageLagSeconds() const
{
    return m_processed == 0 ? 0.0 : m_totalLag / static_cast<double>(m_processed);
}

// --- BatchPolicy

void validate(const BatchPolicy& policy)
{
    if (policy.everyEvents < MinEveryEvents || policy.everyEvents > MaxEveryEvents)
        throw InvalidInput(QStringLiteral("A batch every %1 events: N must be %2 to %3")
                               .arg(policy.everyEvents)
                               .arg(MinEveryEvents)
                               .arg(MaxEveryEvents));
    if (!(policy.everySeconds >= MinEverySeconds && policy.everySeconds <= MaxEverySeconds))
        throw InvalidInput(QStringLiteral("A batch every %1 seconds: T must be %2 to %3")
                               .arg(policy.everySeconds)
                               .arg(MinEverySeconds)
                               .arg(MaxEverySeconds));
}

QString triggerName(BatchPolicy::Trigger trigger)
{
    return trigger == BatchPolicy::Trigger::Events ? QStringLiteral("events") : QStringLiteral("seconds");
}

std::optional<BatchPolicy::Trigger> triggerFromName(const QString& name)
{
    if (name == u"events")
        return BatchPolicy::Trigger::Events;
    if (name == u"seconds")
        return BatchPolicy::Trigger::Seconds;
    return std::nullopt;
}

// --- BatchProcessor

BatchProcessor::BatchProcessor(BatchPolicy policy)
{
    setPolicy(policy);
}

void BatchProcessor::setPolicy(const BatchPolicy& policy)
{
    validate(policy);
    m_policy = policy;
}

bool BatchProcessor::receive(const RecordedEvent& event, double arrival, double now)
{
    if (!m_lastRunAt)
        m_lastRunAt = now;
    auto index = m_typeIndex.constFind(event.type);
    if (index == m_typeIndex.cend()) {
        index = m_typeIndex.insert(event.type, static_cast<int>(m_types.size()));
        m_types.append(event.type);
    }
    m_facts.push_back({*index, amountOf(event)});
    m_pendingArrivals.push_back(arrival);
    return tick(now);
}

bool BatchProcessor::due(double now) const
{
    if (m_policy.trigger == BatchPolicy::Trigger::Events)
        return pendingEvents() >= m_policy.everyEvents;
    return m_lastRunAt && now - *m_lastRunAt + TimeEpsilon >= m_policy.everySeconds;
}

bool BatchProcessor::tick(double now)
{
    if (!m_lastRunAt)
        m_lastRunAt = now;
    if (!due(now))
        return false;
    if (pendingEvents() == 0) { // nothing new: the model could not change
        m_lastRunAt = now;
        return false;
    }
    run(now);
    return true;
}

void BatchProcessor::run(double now)
{
    QElapsedTimer timer;
    timer.start();
    // The window's facts counted per type onto the totals of earlier runs, then the model folded
    // again from the totals, type by type.
    m_counts.resize(static_cast<size_t>(m_types.size()), 0);
    m_amounts.resize(m_counts.size(), 0);
    for (auto i = static_cast<size_t>(m_included); i < m_facts.size(); ++i) {
        const Fact& fact = m_facts[i];
        ++m_counts[static_cast<size_t>(fact.type)];
        m_amounts[static_cast<size_t>(fact.type)]
            = saturatingAdd(m_amounts[static_cast<size_t>(fact.type)], fact.amountCents);
    }
    ShopFigures figures;
    for (size_t i = 0; i < m_counts.size(); ++i) {
        if (m_counts[i] > 0)
            figures.add(m_types[static_cast<qsizetype>(i)], m_counts[i], m_amounts[i]);
    }
    m_figures = std::move(figures);
    m_lastRunNs = timer.nsecsElapsed();
    m_totalRunNs += m_lastRunNs;
    for (const double arrival : m_pendingArrivals) {
        const double lag = std::max(0.0, now - arrival);
        m_totalLag += lag;
        m_maxLag = std::max(m_maxLag, lag);
    }
    m_pendingArrivals.clear();
    m_included = received();
    ++m_runs;
    m_lastRunAt = now;
}

void BatchProcessor::reset()
{
    *this = BatchProcessor(m_policy);
}

double BatchProcessor::pendingSeconds(double now) const
{
    return m_pendingArrivals.empty() ? 0.0 : std::max(0.0, now - m_pendingArrivals.front());
}

double BatchProcessor::averageLagSeconds() const
{
    return m_included == 0 ? 0.0 : m_totalLag / static_cast<double>(m_included);
}

// --- Comparison

Comparison::Comparison(BatchPolicy policy, int maxHistory)
    : m_batch(policy)
    , m_maxHistory(std::max(maxHistory, 16))
{
}

double Comparison::advance(double now)
{
    if (!std::isfinite(now))
        now = m_now;
    if (!m_start) {
        m_start = now;
        m_now = now;
    }
    m_now = std::max(m_now, now);
    return m_now;
}

void Comparison::feed(const RecordedEvent& event, double now, std::optional<double> arrival)
{
    now = advance(now);
    double arrived = arrival.value_or(now);
    if (!std::isfinite(arrived) || arrived > now)
        arrived = now;
    const qint64 before = m_batch.pendingEvents();
    m_stream.process(event, arrived, now);
    if (m_batch.receive(event, arrived, now)) {
        record(now, before); // what it was up to this instant, then the drop
        record(now, m_batch.pendingEvents());
    } else {
        record(now, m_batch.pendingEvents());
    }
}

void Comparison::tick(double now)
{
    now = advance(now);
    const qint64 before = m_batch.pendingEvents();
    if (m_batch.tick(now))
        record(now, before);
    record(now, m_batch.pendingEvents());
}

void Comparison::reset()
{
    m_stream.reset();
    m_batch.reset();
    m_history.clear();
    m_start.reset();
    m_now = 0;
    m_maxStaleness = 0;
}

void Comparison::record(double now, qint64 events)
{
    m_maxStaleness = std::max(m_maxStaleness, events);
    const auto n = m_history.size();
    if (n >= 2 && m_history[n - 1].events == events && m_history[n - 2].events == events) {
        m_history.back().seconds = now; // a flat stretch stays one segment
        return;
    }
    if (n >= 1 && m_history.back() == StalenessPoint {now, events})
        return;
    m_history.push_back({now, events});
    if (m_history.size() <= static_cast<size_t>(m_maxHistory))
        return;
    // Thin out the older half: of every 4 points keep the lowest and the highest, in time order,
    // so the sawtooth's peaks and troughs stay; the newer half stays as it was.
    const size_t older = m_history.size() / 2 / 4 * 4;
    std::vector<StalenessPoint> thinned;
    thinned.reserve(m_history.size());
    for (size_t i = 0; i < older; i += 4) {
        const auto first = m_history.begin() + static_cast<std::ptrdiff_t>(i);
        const auto [low, high] = std::minmax_element(first, first + 4,
            [](const StalenessPoint& a, const StalenessPoint& b) { return a.events < b.events; });
        if (low == high) {
            thinned.push_back(*low);
        } else {
            thinned.push_back(low < high ? *low : *high);
            thinned.push_back(low < high ? *high : *low);
        }
    }
    thinned.insert(thinned.end(), m_history.begin() + static_cast<std::ptrdiff_t>(older), m_history.end());
    m_history = std::move(thinned);
}

Counters Comparison::counters() const
{
    Counters c;
    c.processed = m_stream.processed();
    c.elapsedSeconds = m_start ? m_now - *m_start : 0.0;
    c.throughput = c.elapsedSeconds > 0 ? static_cast<double>(c.processed) / c.elapsedSeconds : 0.0;
    c.streamLatencyAvgUs = m_stream.averageLatencyUs();
    c.streamLatencyMaxUs = m_stream.maxLatencyUs();
    c.streamLagAvgSeconds = m_stream.averageLagSeconds();
    c.streamLagMaxSeconds = m_stream.maxLagSeconds();
    c.batchRuns = m_batch.runs();
    c.lastBatchUs = m_batch.lastRunUs();
    c.batchLagAvgSeconds = m_batch.averageLagSeconds();
    c.batchLagMaxSeconds = m_batch.maxLagSeconds();
    c.stalenessEvents = m_batch.pendingEvents();
    c.stalenessSeconds = m_batch.pendingSeconds(m_now);
    c.maxStalenessEvents = m_maxStaleness;
    return c;
}

} // namespace chronoscope::streambatch
