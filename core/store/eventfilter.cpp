#include "store/eventfilter.h"

namespace chronoscope {

bool EventFilter::matches(const RecordedEvent& e) const
{
    if (!types.isEmpty() && !types.contains(e.type))
        return false;
    if (!streamPrefix.isEmpty() && !e.stream.toString().startsWith(streamPrefix))
        return false;
    if (!category.isEmpty() && e.stream.category() != category)
        return false;
    if (fromTimeMs && e.timestampMs < *fromTimeMs)
        return false;
    if (toTimeMs && e.timestampMs >= *toTimeMs)
        return false;
    return true;
}

} // namespace chronoscope
