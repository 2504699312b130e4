#include "timetravel/branch.h"

#include "formats/jsonlines.h"
#include "json/jsondepth.h"

#include <QFile>
#include <QSaveFile>

namespace chronoscope {

BranchStore::BranchStore(
    const EventStore& base, StreamId stream, Version forkAt, QString name, QObject* parent)
    : EventStore(parent)
    , m_base(base)
    , m_stream(std::move(stream))
    , m_forkAt(forkAt)
    , m_name(name.isEmpty() ? QStringLiteral("%1@%2").arg(m_stream.toString()).arg(forkAt.value)
                            : std::move(name))
{
    const auto info = m_base.streamInfo(m_stream);
    const auto last = info ? info->version : Version(0);
    if (forkAt.value < 0 || forkAt > last)
        throw InvalidInput(QStringLiteral("cannot fork stream '%1' at version %2: its versions are 0..%3")
                               .arg(m_stream.toString())
                               .arg(forkAt.value)
                               .arg(last.value));
    if (forkAt.value > 0) {
        // What the stream looked like at the fork: its last event at or before forkAt.
        const auto atFork = m_base.readStream(m_stream, forkAt, 1, Direction::Backward);
        const auto first = m_base.readStream(m_stream, std::nullopt, 1);
        if (!atFork.empty() && !first.empty()) {
            StreamInfo s;
            s.stream = m_stream;
            s.version = forkAt;
            s.firstPosition = first.front().position;
            s.firstTimestampMs = first.front().timestampMs;
            s.lastPosition = atFork.front().position;
            s.lastTimestampMs = atFork.front().timestampMs;
            s.events = qint64(m_base.readStream(m_stream, std::nullopt, forkAt.value).size());
            m_baseAtFork = s;
        }
    }
}

std::vector<RecordedEvent> BranchStore::branchEvents() const
{
    QReadLocker locker(&m_lock);
    return m_events;
}

std::vector<RecordedEvent> BranchStore::mergedStream() const
{
    auto events = m_forkAt.value > 0 ? m_base.readStream(m_stream, std::nullopt, m_forkAt.value)
                                     : std::vector<RecordedEvent> {};
    std::erase_if(events, [&](const RecordedEvent& e) { return e.version > m_forkAt; });
    QReadLocker locker(&m_lock);
    events.insert(events.end(), m_events.begin(), m_events.end());
    return events;
}

std::vector<AppendResult> BranchStore::appendMany(const std::vector<AppendRequest>& requests)
{
    std::vector<AppendResult> results;
    Position first;
    Position last;
    {
        QWriteLocker locker(&m_lock);
        for (const auto& r : requests)
            if (r.stream != m_stream)
                throw ReadOnlyError(QStringLiteral("branch '%1' only takes events for stream '%2', not '%3'")
                                        .arg(m_name, m_stream.toString(), r.stream.toString()));
        // Check everything before writing anything.
        qint64 version = m_events.empty() ? m_forkAt.value : m_events.back().version.value;
        for (const auto& r : requests) {
            if (!r.expected.isSatisfiedBy(Version(version)))
                throw WrongExpectedVersion(m_stream, r.expected, Version(version));
            for (std::size_t i = 0; i < r.events.size(); ++i)
                validateEventData(m_stream, r.events[i], int(i));
            version += qint64(r.events.size());
        }
        // Branch events get positions after the store's end, so they sort after everything real.
        qint64 position
            = m_events.empty() ? m_base.summary().lastPosition.value + 1 : m_events.back().position.value + 1;
        qint64 timestamp = m_events.empty() ? (m_baseAtFork ? m_baseAtFork->lastTimestampMs : 0)
                                            : m_events.back().timestampMs;
        version = m_events.empty() ? m_forkAt.value : m_events.back().version.value;
        first = Position(position);
        for (const auto& r : requests) {
            AppendResult result {Position(position), Position(position), Version(version)};
            for (const auto& d : r.events) {
                RecordedEvent e;
                e.position = Position(position++);
                e.stream = m_stream;
                e.version = Version(++version);
                e.id = d.id.isNull() ? QUuid::createUuid() : d.id;
                e.type = d.type;
                e.schemaVersion = d.schemaVersion;
                e.timestampMs = d.timestampMs.value_or(timestamp);
                e.data = d.data;
                e.metadata = d.metadata;
                m_events.push_back(std::move(e));
            }
            result.lastPosition = Position(position - 1);
            result.version = Version(version);
            results.push_back(result);
        }
        last = Position(position - 1);
    }
    if (first <= last)
        Q_EMIT appended(first, last);
    return results;
}

AppendResult BranchStore::append(
    const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected)
{
    return appendMany({AppendRequest {stream, expected, events}}).front();
}

void BranchStore::importRecorded(const std::vector<RecordedEvent>&)
{
    throw ReadOnlyError(QStringLiteral("branch '%1' cannot import events").arg(m_name));
}

std::vector<RecordedEvent> BranchStore::readStream(
    const StreamId& stream, std::optional<Version> from, qint64 maxCount, Direction direction) const
{
    if (stream != m_stream)
        return m_base.readStream(stream, from, maxCount, direction);
    std::vector<RecordedEvent> out;
    const auto all = mergedStream();
    if (direction == Direction::Forward) {
        for (const auto& e : all)
            if ((!from || e.version >= *from) && qint64(out.size()) < maxCount)
                out.push_back(e);
    } else {
        for (auto it = all.rbegin(); it != all.rend(); ++it)
            if ((!from || it->version <= *from) && qint64(out.size()) < maxCount)
                out.push_back(*it);
    }
    return out;
}

std::vector<RecordedEvent> BranchStore::readAll(
    std::optional<Position> from, qint64 maxCount, const EventFilter& filter, Direction direction) const
{
    // The branch's own view of the log: the other streams as stored, the forked stream as
    // branched. Branch events sort after every stored event.
    std::vector<RecordedEvent> out;
    auto base = m_base.readAll(from, maxCount, filter, direction);
    std::erase_if(base, [&](const RecordedEvent& e) { return e.stream == m_stream && e.version > m_forkAt; });
    QReadLocker locker(&m_lock);
    std::vector<RecordedEvent> mine;
    for (const auto& e : m_events)
        if (filter.matches(e)
            && (!from || (direction == Direction::Forward ? e.position >= *from : e.position <= *from)))
            mine.push_back(e);
    if (direction == Direction::Forward) {
        out = std::move(base);
        out.insert(out.end(), mine.begin(), mine.end());
    } else {
        out.assign(mine.rbegin(), mine.rend());
        out.insert(out.end(), base.begin(), base.end());
    }
    if (qint64(out.size()) > maxCount)
        out.resize(std::size_t(maxCount));
    return out;
}

std::optional<RecordedEvent> BranchStore::readAt(Position position) const
{
    {
        QReadLocker locker(&m_lock);
        for (const auto& e : m_events)
            if (e.position == position)
                return e;
    }
    auto e = m_base.readAt(position);
    if (e && e->stream == m_stream && e->version > m_forkAt)
        return std::nullopt;
    return e;
}

std::vector<StreamInfo> BranchStore::streams(const QString& prefix) const
{
    auto list = m_base.streams(prefix);
    for (auto& s : list)
        if (s.stream == m_stream)
            s = *streamInfo(m_stream);
    return list;
}

std::optional<StreamInfo> BranchStore::streamInfo(const StreamId& stream) const
{
    if (stream != m_stream)
        return m_base.streamInfo(stream);
    QReadLocker locker(&m_lock);
    StreamInfo s = m_baseAtFork.value_or(StreamInfo {m_stream, Version(0), 0, {}, {}, 0, 0});
    if (!m_events.empty()) {
        if (!m_baseAtFork) {
            s.firstPosition = m_events.front().position;
            s.firstTimestampMs = m_events.front().timestampMs;
        }
        s.version = m_events.back().version;
        s.events += qint64(m_events.size());
        s.lastPosition = m_events.back().position;
        s.lastTimestampMs = m_events.back().timestampMs;
    }
    if (s.version.value == 0)
        return std::nullopt;
    return s;
}

StoreSummary BranchStore::summary() const
{
    auto s = m_base.summary();
    s.format = QStringLiteral("branch");
    s.location = m_name;
    s.readOnly = false;
    QReadLocker locker(&m_lock);
    if (!m_events.empty())
        s.lastPosition = m_events.back().position;
    return s;
}

std::vector<TypeCount> BranchStore::typeCounts() const
{
    return m_base.typeCounts();
}

void BranchStore::save(const QString& path) const
{
    nlohmann::json doc {{"name", m_name.toStdString()}, {"stream", m_stream.toString().toStdString()},
        {"forkAt", m_forkAt.value}, {"events", nlohmann::json::array()}};
    for (const auto& e : branchEvents())
        doc["events"].push_back(nlohmann::json::parse(jsonlines::toLine(e).toStdString()));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw InvalidInput(QStringLiteral("cannot write branch file '%1': %2").arg(path, file.errorString()));
    file.write(QByteArray::fromStdString(doc.dump(2)));
    if (!file.commit())
        throw InvalidInput(QStringLiteral("cannot write branch file '%1': %2").arg(path, file.errorString()));
}

std::unique_ptr<BranchStore> BranchStore::load(const EventStore& base, const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InvalidInput(QStringLiteral("cannot read branch file '%1': %2").arg(path, file.errorString()));
    nlohmann::json doc;
    try {
        const auto bytes = file.readAll();
        jsondepth::check(std::string_view(bytes.constData(), std::size_t(bytes.size())),
            QStringLiteral("branch file '%1'").arg(path));
        doc = nlohmann::json::parse(bytes.constBegin(), bytes.constEnd());
        auto branch = std::make_unique<BranchStore>(base,
            StreamId(QString::fromStdString(doc.at("stream").get<std::string>())),
            Version(doc.at("forkAt").get<qint64>()),
            QString::fromStdString(doc.value("name", std::string())));
        std::vector<EventData> events;
        for (const auto& e : doc.at("events")) {
            EventData d;
            d.type = QString::fromStdString(e.at("type").get<std::string>());
            d.data = QByteArray::fromStdString(e.at("data").dump());
            if (e.contains("metadata"))
                d.metadata = QByteArray::fromStdString(e.at("metadata").dump());
            if (e.contains("id"))
                d.id = QUuid::fromString(QString::fromStdString(e.at("id").get<std::string>()));
            if (e.contains("timestamp"))
                d.timestampMs = parseTimestamp(QString::fromStdString(e.at("timestamp").get<std::string>()));
            events.push_back(std::move(d));
        }
        if (!events.empty())
            branch->append(branch->stream(), events, ExpectedVersion::exact(branch->forkAt()));
        return branch;
    } catch (const nlohmann::json::exception& e) {
        throw InvalidInput(
            QStringLiteral("'%1' is not a branch file: %2").arg(path, QString::fromUtf8(e.what())));
    }
}

} // namespace chronoscope
