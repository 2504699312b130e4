#pragma once

#include "base/ids.h"

namespace chronoscope {

/// What the stream list shows for one stream.
struct StreamInfo {
    StreamId stream;
    Version version;        ///< version of the last event (0: no events)
    qint64 events = 0;      ///< number of events (may be < version in foreign stores)
    Position firstPosition; ///< global position of the first event
    Position lastPosition;  ///< global position of the last event
    qint64 firstTimestampMs = 0;
    qint64 lastTimestampMs = 0;
};

/// Totals of a store, cheap to ask for (never a scan of all events).
struct StoreSummary {
    QString format;   ///< "chronoscope-sqlite", "jsonl", "memory", ...
    QString location; ///< file path or URL
    qint64 events = 0;
    qint64 streams = 0;
    Position lastPosition;
    bool readOnly = false;
};

/// Count of events of one type.
struct TypeCount {
    QString type;
    qint64 events = 0;
};

} // namespace chronoscope
