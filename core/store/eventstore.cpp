#include "store/eventstore.h"

namespace chronoscope {

EventStore::~EventStore() = default;

} // namespace chronoscope
