#pragma once

#include "store/recordedevent.h"

#include <QStringList>

#include <optional>

namespace chronoscope {

/// Filter for reads of the all-stream. Empty fields match everything.
struct EventFilter {
    QStringList types;                ///< exact event types; any of them matches
    QString streamPrefix;             ///< stream id starts with this
    QString category;                 ///< StreamId::category() equals this
    std::optional<qint64> fromTimeMs; ///< timestamp >= this (inclusive)
    std::optional<qint64> toTimeMs;   ///< timestamp < this (exclusive)

    bool isEmpty() const
    {
        return types.isEmpty() && streamPrefix.isEmpty() && category.isEmpty() && !fromTimeMs && !toTimeMs;
    }
    bool matches(const RecordedEvent& e) const;
};

enum class Direction { Forward, Backward };

} // namespace chronoscope
