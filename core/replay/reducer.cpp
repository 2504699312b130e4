#include "replay/reducer.h"

#include "sample/sampledomain.h"

namespace chronoscope {

ReducerError::ReducerError(const RecordedEvent& event, const QString& reason)
    : StoreError(QStringLiteral("stream '%1' version %2 (type '%3', position %4): %5")
                     .arg(event.stream.toString())
                     .arg(event.version.value)
                     .arg(event.type)
                     .arg(event.position.value)
                     .arg(reason))
    , m_reason(reason)
    , m_version(event.version)
{
}

ReducerRegistry ReducerRegistry::withBuiltins()
{
    ReducerRegistry registry;
    sample::registerReducers(registry);
    return registry;
}

void ReducerRegistry::add(const QString& category, std::shared_ptr<const Reducer> reducer)
{
    if (reducer)
        m_byCategory.insert(category, std::move(reducer));
    else
        m_byCategory.remove(category);
}

std::shared_ptr<const Reducer> ReducerRegistry::reducerFor(const StreamId& stream) const
{
    const auto it = m_byCategory.constFind(stream.category());
    return it != m_byCategory.cend() ? it.value() : genericReducer();
}

} // namespace chronoscope
