#include "formats/foreignimports.h"

#include "json/jsondepth.h"
#include "json/jsonerror.h"
#include "store/memoryeventstore.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>

#include <cmath>
#include <map>
#include <set>

namespace chronoscope::foreignimports {

namespace {

constexpr qint64 kHeadBytes = 1 << 20;
const QUuid kIdNamespace(QStringLiteral("9346d1ff-2bcb-4cbc-90dd-0f03881a02f0"));

QString typeName(const nlohmann::json& v)
{
    return QString::fromUtf8(v.type_name());
}

nlohmann::json parseJson(const QByteArray& bytes, const QString& what)
{
    jsondepth::check(std::string_view(bytes.constData(), std::size_t(bytes.size())), what);
    try {
        return nlohmann::json::parse(bytes.constBegin(), bytes.constEnd());
    } catch (const nlohmann::json::exception& e) {
        throw InvalidInput(QStringLiteral("%1 is not valid JSON: %2").arg(what, jsonerror::text(e)));
    }
}

QByteArray dump(const nlohmann::json& v)
{
    return QByteArray::fromStdString(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

bool isReduxObject(const nlohmann::json& object)
{
    if (!object.is_object())
        return false;
    if (object.contains("actionsById") && object.contains("stagedActionIds"))
        return true;
    const auto payload = object.find("payload");
    if (payload == object.end())
        return false;
    if (payload->is_string())
        return payload->get_ref<const std::string&>().find("actionsById") != std::string::npos;
    return payload->is_object() && payload->contains("actionsById");
}

/// Gives positions after the existing store's last one and versions after each stream's.
void number(std::vector<RecordedEvent>& events, const EventStore* existing)
{
    std::int64_t position = existing ? existing->summary().lastPosition.value : 0;
    std::map<StreamId, std::int64_t> versions;
    for (auto& e : events) {
        auto it = versions.find(e.stream);
        if (it == versions.end()) {
            std::int64_t start = 0;
            if (existing) {
                if (const auto info = existing->streamInfo(e.stream))
                    start = info->version.value;
            }
            it = versions.emplace(e.stream, start).first;
        }
        e.version = Version(++it->second);
        e.position = Position(++position);
    }
}

/// Ids that stay the same when the same file is opened again and differ between files.
class IdMaker {
public:
    explicit IdMaker(const QByteArray& content)
        : m_digest(QCryptographicHash::hash(content, QCryptographicHash::Sha1).toHex())
    {
    }
    QUuid make(const QString& place) const
    {
        return QUuid::createUuidV5(kIdNamespace, m_digest + place.toUtf8());
    }

private:
    QByteArray m_digest;
};

std::optional<qint64> timestampOf(const nlohmann::json& v)
{
    // JavaScript's Date range (±8.64e15 ms); anything past it is not a time, and converting it to
    // an integer would be undefined behaviour.
    constexpr double kMaxMs = 8.64e15;
    if (v.is_number_integer()) {
        if (v.is_number_unsigned())
            return v.get<std::uint64_t>() <= std::uint64_t(kMaxMs)
                ? std::optional<qint64>(qint64(v.get<std::uint64_t>()))
                : std::nullopt;
        const auto ms = v.get<std::int64_t>();
        return ms >= -qint64(kMaxMs) && ms <= qint64(kMaxMs) ? std::optional<qint64>(ms) : std::nullopt;
    }
    if (v.is_number()) {
        const double ms = v.get<double>();
        return std::isfinite(ms) && std::fabs(ms) <= kMaxMs ? std::optional<qint64>(qint64(ms))
                                                            : std::nullopt;
    }
    if (v.is_string())
        return parseTimestamp(QString::fromStdString(v.get<std::string>()));
    return std::nullopt;
}

} // namespace

Kind detect(QIODevice& device)
{
    QByteArray head = device.read(kHeadBytes);
    if (head.startsWith("\xEF\xBB\xBF"))
        head.remove(0, 3);
    qsizetype start = 0;
    while (start < head.size()
        && (head[start] == ' ' || head[start] == '\t' || head[start] == '\r' || head[start] == '\n'))
        ++start;
    if (start == head.size())
        return Kind::None;
    if (head[start] == '[')
        return head.contains("\"eventType\"") ? Kind::KurrentJson : Kind::None;
    if (head[start] != '{')
        return Kind::None;
    // A JSON Lines file has a whole object on its first line: Redux only when that object is one.
    const auto newline = head.indexOf('\n', start);
    const auto firstLine = head.mid(start, newline < 0 ? -1 : newline - start);
    if (jsondepth::tooDeepAt(std::string_view(firstLine.constData(), std::size_t(firstLine.size()))))
        // Too deep to look inside: a Redux export if it says so (its import then names the bound).
        return head.contains("actionsById") ? Kind::ReduxDevTools : Kind::None;
    const auto object = nlohmann::json::parse(firstLine.constBegin(), firstLine.constEnd(), nullptr, false);
    if (!object.is_discarded())
        return isReduxObject(object) ? Kind::ReduxDevTools : Kind::None;
    if (newline < 0 && head.size() == kHeadBytes) {
        // One long line, longer than the head: look at the rest only when it looks like Redux.
        if (!head.contains("actionsById"))
            return Kind::None;
        head += device.readAll();
        if (jsondepth::tooDeepAt(
                std::string_view(head.constData() + start, std::size_t(head.size() - start))))
            return Kind::ReduxDevTools;
        const auto whole = nlohmann::json::parse(head.constBegin() + start, head.constEnd(), nullptr, false);
        return !whole.is_discarded() && isReduxObject(whole) ? Kind::ReduxDevTools : Kind::None;
    }
    // Pretty-printed: a Redux export names its lifted state's members near the start.
    return head.contains("actionsById") && head.contains("stagedActionIds") ? Kind::ReduxDevTools
                                                                            : Kind::None;
}

QString kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::ReduxDevTools:
        return QStringLiteral("redux-devtools");
    case Kind::KurrentJson:
        return QStringLiteral("kurrent-json");
    }
    return {};
}

std::vector<RecordedEvent> parseRedux(
    const QByteArray& content, const QString& fileName, const Options& options)
{
    const auto doc = parseJson(content, QStringLiteral("%1").arg(fileName));
    if (!doc.is_object())
        throw InvalidInput(
            QStringLiteral("%1: a Redux DevTools export is an object, not %2").arg(fileName, typeName(doc)));

    nlohmann::json lifted;
    std::optional<nlohmann::json> initial;
    QString initialFrom;
    if (doc.contains("payload")) {
        const auto& payload = doc["payload"];
        if (payload.is_string())
            lifted = parseJson(QByteArray::fromStdString(payload.get<std::string>()),
                QStringLiteral("%1: \"payload\"").arg(fileName));
        else
            lifted = payload;
        if (doc.contains("preloadedState") && !doc["preloadedState"].is_null()) {
            const auto& preloaded = doc["preloadedState"];
            initial = preloaded.is_string()
                ? parseJson(QByteArray::fromStdString(preloaded.get<std::string>()),
                    QStringLiteral("%1: \"preloadedState\"").arg(fileName))
                : preloaded;
            initialFrom = QStringLiteral("preloadedState");
        }
    } else {
        lifted = doc;
    }
    if (!lifted.is_object())
        throw InvalidInput(QStringLiteral("%1: the lifted state (\"payload\") is an object, not %2")
                               .arg(fileName, typeName(lifted)));
    if (!initial && lifted.contains("committedState") && !lifted["committedState"].is_null()) {
        initial = lifted["committedState"];
        initialFrom = QStringLiteral("committedState");
    }
    for (const char* key : {"actionsById", "stagedActionIds"}) {
        if (!lifted.contains(key))
            throw InvalidInput(
                QStringLiteral("%1: the lifted state has no \"%2\"").arg(fileName, QLatin1String(key)));
    }
    const auto& actions = lifted["actionsById"];
    const auto& staged = lifted["stagedActionIds"];
    if (!actions.is_object())
        throw InvalidInput(
            QStringLiteral("%1: \"actionsById\" must be an object, not %2").arg(fileName, typeName(actions)));
    if (!staged.is_array())
        throw InvalidInput(QStringLiteral("%1: \"stagedActionIds\" must be an array, not %2")
                               .arg(fileName, typeName(staged)));
    std::set<std::string> skipped;
    if (lifted.contains("skippedActionIds") && lifted["skippedActionIds"].is_array()) {
        for (const auto& id : lifted["skippedActionIds"])
            skipped.insert(id.is_string() ? id.get<std::string>() : id.dump());
    }
    const nlohmann::json* computed = lifted.contains("computedStates") && lifted["computedStates"].is_array()
        ? &lifted["computedStates"]
        : nullptr;

    const IdMaker ids(content);
    std::vector<RecordedEvent> events;
    events.reserve(staged.size() + 1);
    std::optional<qint64> firstTimestamp;
    for (std::size_t k = 0; k < staged.size(); ++k) {
        const auto& idValue = staged[k];
        if (!idValue.is_number_integer() && !idValue.is_string())
            throw InvalidInput(QStringLiteral("%1: stagedActionIds[%2] is %3, not an action id")
                                   .arg(fileName)
                                   .arg(k)
                                   .arg(typeName(idValue)));
        const auto id = idValue.is_string() ? idValue.get<std::string>() : idValue.dump();
        const auto where = QStringLiteral("%1: action id %2").arg(fileName, QString::fromStdString(id));
        const auto it = actions.find(id);
        if (it == actions.end())
            throw InvalidInput(
                QStringLiteral("%1 (stagedActionIds[%2]) is not in \"actionsById\"").arg(where).arg(k));
        const auto& liftedAction = *it;
        if (!liftedAction.is_object() || !liftedAction.contains("action")
            || !liftedAction["action"].is_object())
            throw InvalidInput(
                QStringLiteral("%1: expected {type: \"PERFORM_ACTION\", action: {type, ...}, timestamp}")
                    .arg(where));
        auto action = liftedAction["action"];
        if (!action.contains("type") || !action["type"].is_string()
            || action["type"].get<std::string>().empty())
            throw InvalidInput(
                QStringLiteral("%1: the action has no \"type\" (a non-empty string)").arg(where));
        RecordedEvent e;
        e.stream = options.reduxStream;
        e.type = QString::fromStdString(action["type"].get<std::string>());
        action.erase("type");
        e.data = dump(action);
        const auto timestamp
            = liftedAction.contains("timestamp") ? timestampOf(liftedAction["timestamp"]) : std::nullopt;
        e.timestampMs = timestamp.value_or(options.nowMs);
        if (!firstTimestamp)
            firstTimestamp = e.timestampMs;
        nlohmann::json metadata = {{"source", "redux-devtools"}};
        metadata["reduxActionId"] = idValue;
        if (skipped.count(id))
            metadata["skipped"] = true;
        if (computed && k < computed->size()) {
            const auto& state = (*computed)[k];
            if (state.is_object() && state.contains("error") && !state["error"].is_null())
                metadata["reducerError"] = state["error"];
        }
        e.metadata = dump(metadata);
        e.id = ids.make(
            QStringLiteral("redux:%1:%2").arg(options.reduxStream.toString(), QString::fromStdString(id)));
        events.push_back(std::move(e));
    }
    if (initial) {
        RecordedEvent e;
        e.stream = options.reduxStream;
        e.type = QStringLiteral("@@PRELOADED_STATE");
        e.data = dump(*initial);
        e.metadata = dump(nlohmann::json {{"source", "redux-devtools"}, {"from", initialFrom.toStdString()}});
        e.timestampMs = firstTimestamp.value_or(options.nowMs);
        e.id = ids.make(QStringLiteral("redux:%1:initial").arg(options.reduxStream.toString()));
        events.insert(events.begin(), std::move(e));
    }
    number(events, options.existing);
    return events;
}

std::vector<RecordedEvent> parseKurrent(
    const QByteArray& content, const QString& fileName, const Options& options)
{
    const auto doc = parseJson(content, fileName);
    if (!doc.is_array())
        throw InvalidInput(
            QStringLiteral("%1: a KurrentDB fixture is a JSON array of {eventType, streamId, data, "
                           "metadata}, not %2")
                .arg(fileName, typeName(doc)));
    const IdMaker ids(content);
    std::vector<RecordedEvent> events;
    events.reserve(doc.size());
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const auto& item = doc[i];
        const auto where = QStringLiteral("%1: [%2]").arg(fileName).arg(i);
        if (!item.is_object())
            throw InvalidInput(
                QStringLiteral("%1 is %2, not an event object {eventType, streamId, data, metadata}")
                    .arg(where, typeName(item)));
        const auto text = [&](const char* key) {
            const auto it = item.find(key);
            if (it == item.end())
                throw InvalidInput(QStringLiteral("%1: \"%2\" is missing").arg(where, QLatin1String(key)));
            if (!it->is_string() || QString::fromStdString(it->get<std::string>()).trimmed().isEmpty())
                throw InvalidInput(
                    QStringLiteral("%1: \"%2\" must be a non-empty string").arg(where, QLatin1String(key)));
            return QString::fromStdString(it->get<std::string>());
        };
        RecordedEvent e;
        e.type = text("eventType");
        e.stream = StreamId(text("streamId"));
        if (!item.contains("data"))
            throw InvalidInput(QStringLiteral("%1: \"data\" is missing").arg(where));
        e.data = dump(item["data"]);
        if (item.contains("metadata") && !item["metadata"].is_null()) {
            if (!item["metadata"].is_object())
                throw InvalidInput(QStringLiteral("%1: \"metadata\" must be an object, not %2")
                                       .arg(where, typeName(item["metadata"])));
            e.metadata = dump(item["metadata"]);
        }
        if (item.contains("eventId")) {
            const auto& v = item["eventId"];
            const auto id
                = v.is_string() ? QUuid::fromString(QString::fromStdString(v.get<std::string>())) : QUuid();
            if (id.isNull())
                throw InvalidInput(QStringLiteral("%1: \"eventId\" is not a UUID").arg(where));
            e.id = id;
        } else {
            e.id = ids.make(QStringLiteral("kurrent:%1").arg(i));
        }
        e.timestampMs = options.nowMs;
        for (const char* key : {"created", "timestamp"}) {
            if (!item.contains(key))
                continue;
            const auto ts = timestampOf(item[key]);
            if (!ts)
                throw InvalidInput(
                    QStringLiteral("%1: \"%2\" is not a time (ISO-8601 text or milliseconds since 1970)")
                        .arg(where, QLatin1String(key)));
            e.timestampMs = *ts;
            break;
        }
        if (item.contains("schemaVersion")) {
            const auto& v = item["schemaVersion"];
            if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > 1000000)
                throw InvalidInput(
                    QStringLiteral("%1: \"schemaVersion\" must be a whole number 0 or more").arg(where));
            e.schemaVersion = int(v.get<std::int64_t>());
        }
        events.push_back(std::move(e));
    }
    number(events, options.existing);
    return events;
}

std::vector<RecordedEvent> parseFile(const QString& path, Kind kind, const Options& options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw OpenError(QStringLiteral("'%1' cannot be read: %2").arg(path, file.errorString()));
    const auto content = file.readAll();
    switch (kind) {
    case Kind::ReduxDevTools:
        return parseRedux(content, path, options);
    case Kind::KurrentJson:
        return parseKurrent(content, path, options);
    case Kind::None:
        break;
    }
    throw InvalidInput(
        QStringLiteral("'%1' is neither a Redux DevTools export nor a KurrentDB fixture").arg(path));
}

std::unique_ptr<EventStore> openInMemory(const QString& path, Kind kind, const Options& options)
{
    auto store = std::make_unique<MemoryEventStore>(kindName(kind), path);
    Options opts = options;
    opts.existing = nullptr;
    if (opts.nowMs == 0)
        opts.nowMs = QDateTime::currentMSecsSinceEpoch();
    try {
        store->importRecorded(parseFile(path, kind, opts));
    } catch (const OpenError&) {
        throw;
    } catch (const StoreError& error) {
        throw OpenError(error.message());
    }
    store->setReadOnly(true);
    return store;
}

qint64 importFile(const QString& path, Kind kind, EventStore& store, Options options)
{
    options.existing = &store;
    if (options.nowMs == 0)
        options.nowMs = QDateTime::currentMSecsSinceEpoch();
    const auto events = parseFile(path, kind, options);
    store.importRecorded(events);
    return qint64(events.size());
}

} // namespace chronoscope::foreignimports
