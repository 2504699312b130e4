#include "bus/publisher.h"

#include "json/jsondepth.h"
#include "json/jsonerror.h"

#include <QDateTime>
#include <QScopeGuard>

#include <algorithm>

namespace chronoscope {

using nlohmann::json;

namespace {

/// "at byte N" for malformed text, nlohmann's words for a number past a double's range.
QString notJsonDetail(const nlohmann::json::exception& e)
{
    if (const auto at = jsonerror::byte(e))
        return QStringLiteral("at byte %1").arg(qulonglong(*at));
    return jsonerror::text(e);
}

/// Publishers whose call in this thread is writing: their appends are published when the call
/// has written, not from inside the store's append.
thread_local std::vector<const Publisher*> t_writing;

bool writingHere(const Publisher* publisher)
{
    return std::find(t_writing.begin(), t_writing.end(), publisher) != t_writing.end();
}

std::string uuidText(const QUuid& id)
{
    return id.toString(QUuid::WithoutBraces).toStdString();
}

QUuid uuidIn(const json& object, const char* key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QUuid::fromString(QString::fromStdString(it->get<std::string>()));
}

PublishOutcome failure(PublishOutcome out, PublishOutcome::Kind kind, const QString& error)
{
    out.kind = kind;
    out.error = error;
    out.events.clear();
    return out;
}

PublishOutcome conflict(PublishOutcome out, const WrongExpectedVersion& e)
{
    out.stream = e.stream();
    out.expected = e.expected();
    out.actual = e.actual();
    return failure(std::move(out), PublishOutcome::Kind::Conflict, e.message());
}

} // namespace

QString outcomeName(PublishOutcome::Kind kind)
{
    switch (kind) {
    case PublishOutcome::Kind::Stored:
        return QStringLiteral("stored");
    case PublishOutcome::Kind::Rejected:
        return QStringLiteral("rejected");
    case PublishOutcome::Kind::Conflict:
        return QStringLiteral("conflict");
    case PublishOutcome::Kind::Invalid:
        return QStringLiteral("invalid");
    }
    return {};
}

/// Marks this thread as writing through a publisher for the scope's lifetime.
class Publisher::Scope {
public:
    explicit Scope(const Publisher* publisher) { t_writing.push_back(publisher); }
    ~Scope() { t_writing.pop_back(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
};

Publisher::Publisher(EventStore& store, EventBus& bus, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_bus(bus)
{
    qRegisterMetaType<Position>();
    connect(&m_store, &EventStore::appended, this, &Publisher::onAppended, Qt::DirectConnection);
}

Publisher::~Publisher()
{
    disconnect(&m_store, nullptr, this, nullptr);
}

void Publisher::onAppended(Position first, Position last)
{
    {
        QMutexLocker locker(&m_lock);
        m_pending.push_back({first, last});
    }
    if (!writingHere(this))
        drain(nullptr);
}

void Publisher::drain(std::vector<RecordedEvent>* published)
{
    {
        QMutexLocker locker(&m_lock);
        if (m_draining)
            return; // the call doing it publishes our range too, in order
        m_draining = true;
    }
    auto stop = qScopeGuard([this] {
        QMutexLocker locker(&m_lock);
        m_draining = false;
    });
    for (;;) {
        Range range;
        {
            QMutexLocker locker(&m_lock);
            if (m_pending.empty()) {
                m_draining = false;
                stop.dismiss();
                return;
            }
            range = m_pending.front();
            m_pending.pop_front();
        }
        std::vector<RecordedEvent> events;
        try {
            events = m_store.readAll(range.first, range.last.value - range.first.value + 1);
        } catch (const StoreError& e) {
            Q_EMIT publishFailed(range.first, range.last, e.message());
            continue;
        }
        for (const auto& event : events) {
            if (event.position > range.last)
                break;
            m_bus.publish(event);
            if (published)
                published->push_back(event);
        }
    }
}

PublishOutcome Publisher::execute(const QByteArray& commandJson)
{
    try {
        return execute(sample::parseCommand(commandJson));
    } catch (const InvalidInput& e) {
        return failure({}, PublishOutcome::Kind::Invalid, e.message());
    }
}

PublishOutcome Publisher::execute(sample::Command command)
{
    if (command.id.isNull())
        command.id = QUuid::createUuid();
    if (command.correlationId.isNull())
        command.correlationId = command.id;
    if (command.causationId.isNull())
        command.causationId = command.id;
    PublishOutcome out;
    out.commandId = command.id;
    out.correlationId = command.correlationId;
    out.causationId = command.causationId;
    out.stream = command.stream;
    {
        Scope writing(this);
        try {
            sample::CommandHandler handler(m_store);
            auto result = handler.handle(command);
            out.events = std::move(result.events);
            out.state = std::move(result.state);
        } catch (const WrongExpectedVersion& e) {
            return conflict(std::move(out), e);
        } catch (const sample::DomainError& e) {
            return failure(std::move(out), PublishOutcome::Kind::Rejected, e.message());
        } catch (const StoreError& e) {
            return failure(std::move(out), PublishOutcome::Kind::Invalid, e.message());
        } catch (const std::exception& e) { // e.g. a stored event the reducer cannot apply
            return failure(std::move(out), PublishOutcome::Kind::Invalid,
                QStringLiteral("command '%1' on '%2': %3")
                    .arg(command.type, command.stream.toString(), QString::fromUtf8(e.what())));
        }
    }
    drain(&out.published);
    return out;
}

PublishOutcome Publisher::publishEvent(const StreamId& stream, const QString& type, const QByteArray& data,
    const QByteArray& metadata, ExpectedVersion expected, const QUuid& correlationId,
    const QUuid& causationId)
{
    PublishOutcome out;
    out.stream = stream;
    const auto where = QStringLiteral("event '%1' for stream '%2'").arg(type, stream.toString());
    if (const auto at = jsondepth::tooDeepAt(std::string_view(data.constData(), std::size_t(data.size()))))
        return failure(std::move(out), PublishOutcome::Kind::Invalid,
            jsondepth::message(QStringLiteral("%1: the data").arg(where), *at));
    if (const auto at
        = jsondepth::tooDeepAt(std::string_view(metadata.constData(), std::size_t(metadata.size()))))
        return failure(std::move(out), PublishOutcome::Kind::Invalid,
            jsondepth::message(QStringLiteral("%1: the metadata").arg(where), *at));
    try {
        [[maybe_unused]] const auto checked = json::parse(data.constBegin(), data.constEnd());
    } catch (const json::exception& e) {
        return failure(std::move(out), PublishOutcome::Kind::Invalid,
            QStringLiteral("%1: the data is not valid JSON (%2)").arg(where, notJsonDetail(e)));
    }
    json meta = json::object();
    if (!metadata.trimmed().isEmpty()) {
        try {
            meta = json::parse(metadata.constBegin(), metadata.constEnd());
        } catch (const json::exception& e) {
            return failure(std::move(out), PublishOutcome::Kind::Invalid,
                QStringLiteral("%1: the metadata is not valid JSON (%2)").arg(where, notJsonDetail(e)));
        }
        if (!meta.is_object())
            return failure(std::move(out), PublishOutcome::Kind::Invalid,
                QStringLiteral("%1: the metadata must be a JSON object, not %2")
                    .arg(where, QLatin1String(meta.type_name())));
    }
    // The ids given win; then those in the metadata; a missing one is made up.
    bool changed = false;
    const auto settle = [&](const char* key, const QUuid& given, const QUuid& fallback) {
        if (!given.isNull()) {
            meta[key] = uuidText(given);
            changed = true;
        } else if (!meta.contains(key)) {
            meta[key] = uuidText(fallback);
            changed = true;
        }
        return uuidIn(meta, key);
    };
    out.correlationId = settle("correlationId", correlationId, QUuid::createUuid());
    out.causationId = settle("causationId", causationId, out.correlationId);

    EventData event;
    event.type = type;
    event.data = data;
    event.metadata = changed ? QByteArray::fromStdString(meta.dump()) : metadata;
    event.id = QUuid::createUuid();
    event.timestampMs = QDateTime::currentMSecsSinceEpoch();
    {
        Scope writing(this);
        try {
            const auto result = m_store.append(stream, {event}, expected);
            RecordedEvent recorded;
            recorded.position = result.lastPosition;
            recorded.stream = stream;
            recorded.version = result.version;
            recorded.id = event.id;
            recorded.type = event.type;
            recorded.schemaVersion = event.schemaVersion;
            recorded.timestampMs = *event.timestampMs;
            recorded.data = event.data;
            recorded.metadata = event.metadata;
            out.events.push_back(std::move(recorded));
        } catch (const WrongExpectedVersion& e) {
            return conflict(std::move(out), e);
        } catch (const StoreError& e) {
            return failure(std::move(out), PublishOutcome::Kind::Invalid, e.message());
        }
    }
    drain(&out.published);
    return out;
}

} // namespace chronoscope
