#pragma once

#include "base/errors.h"
#include "store/eventstore.h"

#include <memory>

namespace chronoscope {

/// The base of the stores other libraries wrote (Emmett, Marten): they open read-only, so every
/// write throws ReadOnlyError with refusal(), naming the store, and nothing is written.
class ForeignEventStore : public EventStore {
public:
    using EventStore::EventStore;

    AppendResult append(const StreamId&, const std::vector<EventData>&, ExpectedVersion) final
    {
        throw ReadOnlyError(refusal());
    }
    std::vector<AppendResult> appendMany(const std::vector<AppendRequest>&) final
    {
        throw ReadOnlyError(refusal());
    }
    void importRecorded(const std::vector<RecordedEvent>&) final { throw ReadOnlyError(refusal()); }

    /// The store's format, location and read-only flag, without counting anything (summary()
    /// counts every event: these stores keep no totals).
    virtual StoreSummary identity() const = 0;

protected:
    /// Why nothing was written, e.g. "'shop.db' is an Emmett store, opened read-only: nothing was written".
    virtual QString refusal() const = 0;
};

/// The store as a ForeignEventStore, ownership and all, when it is one; otherwise null, and
/// `store` keeps it.
inline std::unique_ptr<ForeignEventStore> takeForeign(std::unique_ptr<EventStore>& store)
{
    auto* foreign = dynamic_cast<ForeignEventStore*>(store.get());
    if (!foreign)
        return nullptr;
    store.release();
    return std::unique_ptr<ForeignEventStore>(foreign);
}

} // namespace chronoscope
