#include "store/summarizedeventstore.h"

#include "store/foreigneventstore.h"
#include "store/storefollower.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThread>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace chronoscope {

namespace {

constexpr qint64 Batch = 5000;
constexpr int CacheFormat = 1;

void count(StreamInfo& info, const RecordedEvent& e)
{
    if (info.events == 0) {
        info.firstPosition = e.position;
        info.firstTimestampMs = e.timestampMs;
    }
    ++info.events;
    info.version = std::max(info.version, e.version);
    info.lastPosition = e.position;
    info.lastTimestampMs = e.timestampMs;
}

QString defaultCacheDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation)
        + QStringLiteral("/stream-summaries");
}

} // namespace

bool SummarizedEventStore::extend(const EventStore& store, StreamSummaryData& data, Position until,
    const std::function<bool(qint64, qint64)>& progress)
{
    auto& streams = data.streams;
    // Lookups by hash while reading; the new streams are sorted in once at the end (UTF-8 order).
    QHash<QString, std::size_t> index;
    index.reserve(qsizetype(streams.size()));
    for (std::size_t i = 0; i < streams.size(); ++i)
        index.insert(streams[i].stream.toString(), i);
    const std::size_t known = streams.size();
    bool completed = true;
    while (data.lastPosition < until) {
        const auto page = store.readAll(Position(data.lastPosition.value + 1), Batch);
        if (page.empty())
            break;
        for (const auto& e : page) {
            if (e.position > until)
                break;
            auto it = index.find(e.stream.toString());
            if (it == index.end()) {
                it = index.insert(e.stream.toString(), streams.size());
                streams.emplace_back().stream = e.stream;
            }
            count(streams[*it], e);
            ++data.typeCounts[e.type];
            ++data.events;
            data.lastPosition = e.position;
        }
        if (qint64(page.size()) < Batch)
            break;
        if (progress && !progress(data.lastPosition.value, until.value)) {
            completed = false;
            break;
        }
    }
    if (streams.size() > known) {
        std::vector<std::pair<QByteArray, StreamInfo>> added;
        added.reserve(streams.size() - known);
        for (std::size_t i = known; i < streams.size(); ++i)
            added.emplace_back(streams[i].stream.toString().toUtf8(), std::move(streams[i]));
        std::sort(added.begin(), added.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        streams.resize(known);
        for (auto& [key, info] : added)
            streams.push_back(std::move(info));
        std::inplace_merge(streams.begin(), streams.begin() + qsizetype(known), streams.end(),
            [](const StreamInfo& a, const StreamInfo& b) {
                return streamquery::idBefore(a.stream, b.stream);
            });
    }
    return completed;
}

bool saveStreamSummary(const QString& file, const QString& location, const StreamSummaryData& data)
{
    nlohmann::json streams = nlohmann::json::array();
    for (const auto& s : data.streams)
        streams.push_back({s.stream.toString().toStdString(), s.version.value, s.events,
            s.firstPosition.value, s.lastPosition.value, s.firstTimestampMs, s.lastTimestampMs});
    nlohmann::json types = nlohmann::json::object();
    for (const auto& [type, n] : data.typeCounts)
        types[type.toStdString()] = n;
    const nlohmann::json out {{"format", CacheFormat}, {"location", location.toStdString()},
        {"lastPosition", data.lastPosition.value}, {"events", data.events}, {"types", types},
        {"streams", streams}};
    QDir().mkpath(QFileInfo(file).absolutePath());
    QSaveFile f(file);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    const auto text = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    f.write(text.data(), qint64(text.size()));
    return f.commit();
}

std::shared_ptr<StreamSummaryData> loadStreamSummary(const QString& file, const QString& location)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return nullptr;
    const auto text = f.readAll();
    const auto in = nlohmann::json::parse(text.constData(), text.constData() + text.size(), nullptr, false);
    try {
        if (!in.is_object() || in.value("format", 0) != CacheFormat
            || in.value("location", std::string()) != location.toStdString())
            return nullptr;
        auto data = std::make_shared<StreamSummaryData>();
        data->lastPosition = Position(in.at("lastPosition").get<qint64>());
        data->events = in.at("events").get<qint64>();
        for (const auto& [type, n] : in.at("types").items())
            data->typeCounts[QString::fromStdString(type)] = n.get<qint64>();
        for (const auto& row : in.at("streams")) {
            StreamInfo s;
            s.stream = StreamId(QString::fromStdString(row.at(0).get<std::string>()));
            s.version = Version(row.at(1).get<qint64>());
            s.events = row.at(2).get<qint64>();
            s.firstPosition = Position(row.at(3).get<qint64>());
            s.lastPosition = Position(row.at(4).get<qint64>());
            s.firstTimestampMs = row.at(5).get<qint64>();
            s.lastTimestampMs = row.at(6).get<qint64>();
            data->streams.push_back(std::move(s));
        }
        const auto byId = [](const StreamInfo& a, const StreamInfo& b) {
            return streamquery::idBefore(a.stream, b.stream);
        };
        if (!std::is_sorted(data->streams.begin(), data->streams.end(), byId))
            return nullptr;
        return data;
    } catch (const nlohmann::json::exception&) {
        return nullptr; // damaged: built again
    }
}

SummarizedEventStore::SummarizedEventStore(
    std::unique_ptr<ForeignEventStore> inner, QString cacheDir, QObject* parent)
    : ForwardingEventStore(std::move(inner), parent)
{
    m_identity = static_cast<ForeignEventStore&>(this->inner()).identity();
    const auto key = QCryptographicHash::hash(m_identity.location.toUtf8(), QCryptographicHash::Sha1).toHex();
    m_cacheFile = (cacheDir.isEmpty() ? defaultCacheDir() : cacheDir) + QLatin1Char('/')
        + QString::fromLatin1(key) + QStringLiteral(".json");
    // Before any view: events another program appended are counted first.
    connect(this, &EventStore::changedElsewhere, this, &SummarizedEventStore::catchUp, Qt::DirectConnection);
}

SummarizedEventStore::~SummarizedEventStore()
{
    cancel();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void SummarizedEventStore::start()
{
    if (m_thread)
        return;
    m_thread = QThread::create([this] { build(); });
    m_thread->setObjectName(QStringLiteral("stream summary"));
    m_thread->start();
}

void SummarizedEventStore::cancel()
{
    m_cancelled.store(true);
}

bool SummarizedEventStore::isReady() const
{
    return data() != nullptr;
}

QString SummarizedEventStore::origin() const
{
    QMutexLocker locker(&m_lock);
    return m_origin;
}

std::shared_ptr<const StreamSummaryData> SummarizedEventStore::data() const
{
    QMutexLocker locker(&m_lock);
    return m_data;
}

void SummarizedEventStore::build()
{
    try {
        const EventStore& store = inner();
        QString origin = QStringLiteral("built");
        auto data = loadStreamSummary(m_cacheFile, m_identity.location);
        if (data) {
            // The cache still describes this store when the event at its last position is still
            // there, of the stream and version it counted.
            bool matches = chronoscope::lastPosition(store) >= data->lastPosition;
            if (matches && data->lastPosition.value > 0) {
                const auto event = store.readAt(data->lastPosition);
                const auto it = event ? std::find_if(data->streams.begin(), data->streams.end(),
                                    [&](const StreamInfo& s) { return s.stream == event->stream; })
                                      : data->streams.end();
                matches = it != data->streams.end() && it->lastPosition == event->position
                    && it->version == event->version;
            }
            origin = matches ? QStringLiteral("cached") : QStringLiteral("rebuilt");
            if (!matches)
                data.reset();
        }
        if (!data)
            data = std::make_shared<StreamSummaryData>();
        const auto progress = [this](qint64 done, qint64 total) {
            Q_EMIT summaryProgress(done, total);
            return !m_cancelled.load();
        };
        // Read to the end, and again while other programs append meanwhile.
        for (Position end = chronoscope::lastPosition(store); data->lastPosition < end;
             end = chronoscope::lastPosition(store)) {
            const Position before = data->lastPosition;
            if (!extend(store, *data, end, progress) || m_cancelled.load()) {
                Q_EMIT summaryFailed(tr("The summary of the streams was cancelled."));
                return;
            }
            if (data->lastPosition == before)
                break; // nothing more to read up to that end
        }
        saveStreamSummary(m_cacheFile, m_identity.location, *data); // a cache: a failure costs a rebuild
        const Position last = data->lastPosition;
        {
            QMutexLocker locker(&m_lock);
            m_data = std::move(data);
            m_origin = origin;
        }
        Q_EMIT summaryProgress(last.value, last.value);
        Q_EMIT summaryReady();
        QMetaObject::invokeMethod(
            this, [this, last] { Q_EMIT changedElsewhere(last); }, Qt::QueuedConnection);
    } catch (const std::exception& e) {
        Q_EMIT summaryFailed(errorText(e));
    }
}

void SummarizedEventStore::catchUp(Position last)
{
    const auto now = data();
    if (!now || last <= now->lastPosition)
        return;
    auto next = std::make_shared<StreamSummaryData>(*now);
    try {
        extend(inner(), *next, last);
    } catch (const StoreError&) {
        return; // the follower reports the store's trouble; counted on the next change
    }
    QMutexLocker locker(&m_lock);
    m_data = std::move(next);
}

std::vector<StreamInfo> SummarizedEventStore::streams(const QString& prefix) const
{
    const auto d = data();
    if (!d)
        return {};
    const auto first = std::lower_bound(
        d->streams.begin(), d->streams.end(), prefix, [](const StreamInfo& info, const QString& p) {
            return streamquery::idBefore(info.stream, StreamId(p));
        });
    std::vector<StreamInfo> out;
    for (auto it = first; it != d->streams.end() && it->stream.toString().startsWith(prefix); ++it)
        out.push_back(*it);
    return out;
}

std::vector<StreamInfo> SummarizedEventStore::streamPage(
    const StreamQuery& query, const std::optional<StreamInfo>& after, qint64 limit) const
{
    return EventStore::streamPage(query, after, limit); // over streams() above
}

std::vector<CategoryInfo> SummarizedEventStore::categories() const
{
    return EventStore::categories();
}

std::optional<StreamInfo> SummarizedEventStore::streamInfo(const StreamId& stream) const
{
    const auto d = data();
    if (!d)
        return ForwardingEventStore::streamInfo(stream); // one stream's events: indexed
    const auto it = std::lower_bound(d->streams.begin(), d->streams.end(), stream,
        [](const StreamInfo& info, const StreamId& key) { return streamquery::idBefore(info.stream, key); });
    if (it == d->streams.end() || it->stream != stream)
        return std::nullopt;
    return *it;
}

StoreSummary SummarizedEventStore::summary() const
{
    StoreSummary s = m_identity;
    if (const auto d = data()) {
        s.events = d->events;
        s.streams = qint64(d->streams.size());
        s.lastPosition = d->lastPosition;
        return s;
    }
    // Until the summary is ready: the store's own count, once (what it did before there was a
    // summary), with the end read again each time (one indexed read).
    QMutexLocker locker(&m_lock);
    if (!m_counted)
        m_counted = inner().summary();
    s.events = m_counted->events;
    s.streams = m_counted->streams;
    locker.unlock();
    s.lastPosition = chronoscope::lastPosition(inner());
    return s;
}

std::vector<TypeCount> SummarizedEventStore::typeCounts() const
{
    std::vector<TypeCount> out;
    if (const auto d = data())
        for (const auto& [type, n] : d->typeCounts)
            out.push_back({type, n});
    return out;
}

} // namespace chronoscope
