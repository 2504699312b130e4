#include "bus/busruntime.h"

#include "bus/deferreddeadletters.h"
#include "store/storefactory.h"

namespace chronoscope {

bool BusRuntime::canPublish(const EventStore* store, QString* why)
{
    QString reason;
    if (!store)
        reason = tr("No store is open.");
    else if (store->isReadOnly() && store->summary().format == QLatin1String("chronoscope-sqlite"))
        reason = tr("This store is open read-only: events cannot be published to it. File \u25b8 Save a Copy "
                    "makes a copy you can publish to.");
    else if (store->isReadOnly())
        reason = tr("This store is open read-only (%1): events cannot be published to it. Import it into a "
                    "Chronoscope store to write.")
                     .arg(store->summary().format);
    if (why)
        *why = reason;
    return reason.isEmpty();
}

BusRuntime::BusRuntime(
    std::shared_ptr<EventStore> store, const QString& path, Options options, QObject* parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_bus(std::make_unique<EventBus>())
    , m_switches(std::make_shared<sample::ReactionSwitches>())
{
    QString why;
    if (!canPublish(m_store.get(), &why))
        throw ReadOnlyError(why);
    m_deadLetterLocation = tr("in memory (lost when the store is closed)");
    if (!path.isEmpty() && detectFormat(path) == StoreFormat::ChronoscopeSqlite) {
        try {
            // The table is made when the first delivery is parked: opening changes nothing.
            m_bus->setDeadLetterQueue(std::make_shared<DeferredSqliteDeadLetterQueue>(path));
            m_deadLetterLocation = tr("in the store file");
        } catch (const StoreError& e) {
            m_deadLetterLocation = tr("in memory: the store file could not keep them (%1)").arg(e.message());
        }
    }
    // The recorder watches before anything can be published.
    m_recorder = std::make_unique<BusTraceRecorder>(*m_bus);
    m_publisher = std::make_unique<Publisher>(*m_store, *m_bus);
    sample::ReactionOptions reactionOptions;
    reactionOptions.mode = options.mode;
    reactionOptions.retry = options.retry;
    for (const auto consumer : reactionOptions.consumers)
        m_recorder->setRetryPolicy(sample::consumerName(consumer), options.retry);
    m_reactions = std::make_unique<sample::SampleReactions>(*m_publisher, reactionOptions, m_switches);
}

BusRuntime::~BusRuntime()
{
    // Consumers first: unsubscribing waits until no delivery runs, so nothing reaches the
    // recorder or the publisher afterwards.
    m_reactions.reset();
    m_bus->waitForIdle(5000);
    m_recorder->detach();
    m_publisher.reset();
    m_recorder.reset();
    m_bus.reset();
}

} // namespace chronoscope
