#include "eventstore.h"

namespace chronoscope {

EventStore::~EventStore() = default;

} // namespace chronoscope
