#include "projections/typetimeline.h"

#include "store/eventstore.h"

#include <QDate>

#include <array>
#include <cstdio>

namespace chronoscope {

namespace {

using nlohmann::json;

constexpr qint64 Minute = 60000;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;

qint64 floorDiv(qint64 a, qint64 b)
{
    return a >= 0 ? a / b : (a - b + 1) / b;
}

} // namespace

QString timelineBucketName(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("bucket");
    if (ms % Day == 0)
        return ms == Day ? QStringLiteral("UTC day") : QStringLiteral("%1 days").arg(ms / Day);
    if (ms % Hour == 0)
        return ms == Hour ? QStringLiteral("UTC hour") : QStringLiteral("%1 hours").arg(ms / Hour);
    return ms == Minute ? QStringLiteral("minute") : QStringLiteral("%1 minutes").arg(ms / Minute);
}

namespace {

class TimelineFolder final : public JsonFolder {
public:
    explicit TimelineFolder(qint64 bucketMs)
        : m_bucketMs(bucketMs)
    {
        reset();
    }

protected:
    json initialState() const override { return json::object(); }
    void evolve(json& state, const RecordedEvent& e) const override
    {
        const qint64 bucket = floorDiv(e.timestampMs, m_bucketMs);
        if (bucket != m_lastBucket || m_key.empty()) {
            m_lastBucket = bucket;
            m_key = timelineBucketKey(e.timestampMs, m_bucketMs);
        }
        auto& counter = state[m_key][e.type.toStdString()];
        counter = counter.is_number() ? counter.get<std::int64_t>() + 1 : std::int64_t(1);
    }

private:
    qint64 m_bucketMs;
    mutable qint64 m_lastBucket = 0; // cache: consecutive events mostly share a bucket
    mutable std::string m_key;
};

class TypeTimeline final : public Projection {
public:
    explicit TypeTimeline(qint64 bucketMs)
        : m_bucketMs(bucketMs)
    {
    }
    QString name() const override { return QString::fromLatin1(TypeTimelineName); }
    QString description() const override
    {
        return QStringLiteral("Number of events per type per %1: {\"bucket start\": {TYPE: n}}.")
            .arg(timelineBucketName(m_bucketMs));
    }
    ProjectionSource source() const override { return ProjectionSource::all(); }
    std::unique_ptr<ProjectionFolder> createFolder() const override
    {
        return std::make_unique<TimelineFolder>(m_bucketMs);
    }

private:
    qint64 m_bucketMs;
};

} // namespace

qint64 timelineBucketMs(qint64 spanMs, int maxBuckets)
{
    static constexpr std::array<qint64, 12> ladder = {Minute, 5 * Minute, 15 * Minute, 30 * Minute, Hour,
        3 * Hour, 6 * Hour, 12 * Hour, Day, 7 * Day, 30 * Day, 365 * Day};
    maxBuckets = std::max(1, maxBuckets);
    for (const qint64 length : ladder) {
        if (spanMs / length < maxBuckets)
            return length;
    }
    return ladder.back();
}

std::string timelineBucketKey(qint64 timestampMs, qint64 bucketMs)
{
    const qint64 start = floorDiv(timestampMs, bucketMs) * bucketMs;
    const qint64 days = floorDiv(start, Day);
    const QDate date = QDate(1970, 1, 1).addDays(days);
    char text[32];
    if (bucketMs >= Day) {
        std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year(), date.month(), date.day());
    } else {
        const qint64 inDay = start - days * Day;
        std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02dZ", date.year(), date.month(), date.day(),
            int(inDay / Hour), int(inDay % Hour / Minute));
    }
    return text;
}

std::shared_ptr<const Projection> typeTimelineProjection(qint64 bucketMs)
{
    if (bucketMs < Minute)
        throw InvalidInput(
            QStringLiteral("events-by-type-over-time: a bucket must be at least a minute, not %1 ms")
                .arg(bucketMs));
    return std::make_shared<TypeTimeline>(bucketMs);
}

qint64 timelineBucketFor(const EventStore& store, int maxBuckets)
{
    const auto first = store.readAll(std::nullopt, 1);
    const auto last = store.readAll(std::nullopt, 1, {}, Direction::Backward);
    if (first.empty() || last.empty())
        return Hour;
    const qint64 span = std::max<qint64>(0, last.front().timestampMs - first.front().timestampMs);
    // Positions follow the order of appends, so the events at 0.5 % and 99.5 % of them bound
    // the bulk of the timestamps of a store written over time (positions may have gaps: the
    // next event at or after each is read).
    const qint64 low = first.front().position.value;
    const qint64 high = last.front().position.value;
    const qint64 tail = (high - low) / 200;
    if (tail > 0) {
        const auto from = store.readAll(Position(low + tail), 1);
        const auto to = store.readAll(Position(high - tail), 1, {}, Direction::Backward);
        if (!from.empty() && !to.empty()) {
            const qint64 bulk = std::max<qint64>(0, to.front().timestampMs - from.front().timestampMs);
            if (bulk * 4 <= span)
                return timelineBucketMs(bulk, maxBuckets);
        }
    }
    return timelineBucketMs(span, maxBuckets);
}

} // namespace chronoscope
