#pragma once

// Events per type per time bucket: the data of a stacked "events over time" chart.

#include "projections/projection.h"

namespace chronoscope {

class EventStore;

/// Name of the projection made by typeTimelineProjection().
inline constexpr const char* TypeTimelineName = "events-by-type-over-time";

/// A bucket length (ms) from a fixed ladder (1 minute ... 30 days): the shortest one that
/// cuts a span of `spanMs` into at most `maxBuckets` buckets.
qint64 timelineBucketMs(qint64 spanMs, int maxBuckets = 60);

/// "minute", "5 minutes", "UTC hour", "UTC day", "7 days", ...
QString timelineBucketName(qint64 bucketMs);

/// Start of the UTC bucket holding a timestamp as text: "2026-01-05T10:15Z" for buckets
/// shorter than a day, "2026-01-05" otherwise. Buckets are aligned to the Unix epoch.
std::string timelineBucketKey(qint64 timestampMs, qint64 bucketMs);

/// Read model {"bucket start": {"TYPE": n}} over the whole log, with buckets of `bucketMs`.
std::shared_ptr<const Projection> typeTimelineProjection(qint64 bucketMs);

/// A bucket length that suits a store: from the span of its events' timestamps, leaving out the
/// first and last 0.5 % of its positions when that span is at least 4 times shorter (one event
/// written months after the rest does not turn days into weeks). Reads four events.
qint64 timelineBucketFor(const EventStore& store, int maxBuckets = 60);

} // namespace chronoscope
