#include "projections/perstreamprojection.h"

#include "base/errors.h"
#include "store/streamquery.h"

#include <algorithm>

namespace chronoscope {

namespace {

/// Every stream's state in one JSON object: what the CLI and the engine without pages fold.
class WholeReadModelFolder final : public JsonFolder {
public:
    explicit WholeReadModelFolder(const PerStreamProjection& projection)
        : m_projection(projection)
    {
    }

protected:
    nlohmann::json initialState() const override { return nlohmann::json::object(); }
    void evolve(nlohmann::json& state, const RecordedEvent& e) const override
    {
        auto& row = state[e.stream.toString().toStdString()];
        if (row.is_null())
            row = m_projection.initialStreamState();
        m_projection.evolveStream(row, e);
    }

private:
    const PerStreamProjection& m_projection;
};

/// Stream ids of the projection's source in id order, a batch at a time, after (forward) or
/// before (backward) a stream id; only streams whose first event is at or before a position.
class SourceStreams {
public:
    SourceStreams(const EventStore& store, const ProjectionSource& source, Position asOf, bool backward)
        : m_store(store)
        , m_source(source)
        , m_asOf(asOf)
        , m_backward(backward)
    {
        m_query.sort = StreamQuery::Sort::Id;
        m_query.descending = backward;
        if (source.kind == ProjectionSource::Kind::Category)
            m_query.category = source.category;
        if (source.kind == ProjectionSource::Kind::Streams) {
            m_listed = source.streams;
            std::sort(m_listed.begin(), m_listed.end(),
                [](const QString& a, const QString& b) { return a.toUtf8() < b.toUtf8(); });
            m_listed.erase(std::unique(m_listed.begin(), m_listed.end()), m_listed.end());
            if (backward)
                std::reverse(m_listed.begin(), m_listed.end());
        }
    }

    /// Starts after (forward) or before (backward) this id; nullopt: from the first / the last.
    void seek(const std::optional<QString>& from)
    {
        m_from = from;
        m_batch.clear();
        m_at = 0;
        m_done = false;
    }

    /// The next stream, or nullopt at the end.
    std::optional<StreamInfo> next()
    {
        while (true) {
            if (m_at >= m_batch.size()) {
                if (m_done)
                    return std::nullopt;
                fill();
                if (m_batch.empty())
                    return std::nullopt;
            }
            const StreamInfo& info = m_batch[m_at++];
            m_from = info.stream.toString();
            if (info.firstPosition <= m_asOf && info.events > 0)
                return info;
        }
    }

private:
    static constexpr qint64 Batch = 256;

    void fill()
    {
        m_batch.clear();
        m_at = 0;
        if (m_source.kind == ProjectionSource::Kind::Streams) {
            const QByteArray from = m_from ? m_from->toUtf8() : QByteArray();
            for (const QString& id : m_listed) {
                const QByteArray key = id.toUtf8();
                if (m_from && (m_backward ? key >= from : key <= from))
                    continue;
                if (const auto info = m_store.streamInfo(StreamId(id)))
                    m_batch.push_back(*info);
                if (qint64(m_batch.size()) >= Batch)
                    return;
            }
            m_done = true;
            return;
        }
        std::optional<StreamInfo> after;
        if (m_from) {
            after = StreamInfo {};
            after->stream = StreamId(*m_from);
        }
        m_batch = m_store.streamPage(m_query, after, Batch);
        m_done = qint64(m_batch.size()) < Batch;
    }

    const EventStore& m_store;
    const ProjectionSource& m_source;
    Position m_asOf;
    bool m_backward;
    StreamQuery m_query;
    QStringList m_listed;
    std::optional<QString> m_from;
    std::vector<StreamInfo> m_batch;
    std::size_t m_at = 0;
    bool m_done = false;
};

/// Folds one stream's events the projection reads, up to a position. False when it read none.
bool foldInto(nlohmann::json& state, const EventStore& store, const PerStreamProjection& projection,
    const ProjectionSource& source, const StreamId& stream, Position asOf)
{
    constexpr qint64 Chunk = 1000;
    bool any = false;
    std::optional<Version> from = Version(1);
    while (from) {
        const auto events = store.readStream(stream, from, Chunk);
        from.reset();
        for (const auto& e : events) {
            if (e.position > asOf)
                return any;
            if (!source.matches(e))
                continue;
            if (!any) {
                state = projection.initialStreamState();
                any = true;
            }
            try {
                projection.evolveStream(state, e);
            } catch (const ProjectionError&) {
                throw;
            } catch (const std::exception& error) {
                throw ProjectionError(e, errorText(error));
            }
        }
        if (qint64(events.size()) == Chunk)
            from = Version(events.back().version.value + 1);
    }
    return any;
}

} // namespace

std::unique_ptr<ProjectionFolder> PerStreamProjection::createFolder() const
{
    auto folder = std::make_unique<WholeReadModelFolder>(*this);
    folder->reset();
    return folder;
}

nlohmann::json foldStream(
    const EventStore& store, const PerStreamProjection& projection, const StreamId& stream, Position asOf)
{
    nlohmann::json state;
    const auto source = projection.source();
    if (!foldInto(state, store, projection, source, stream, asOf))
        return nullptr;
    return state;
}

StreamStatePage foldStreamPage(const EventStore& store, const PerStreamProjection& projection,
    const std::optional<QString>& after, const std::optional<QString>& before, qint64 limit, Position asOf)
{
    StreamStatePage out;
    limit = std::max<qint64>(1, limit);
    const auto source = projection.source();
    const bool backward = before.has_value();
    SourceStreams streams(store, source, asOf, backward);
    streams.seek(backward ? before : after);
    std::vector<std::pair<QString, nlohmann::json>> rows;
    bool more = false;
    while (const auto info = streams.next()) {
        if (qint64(rows.size()) >= limit) {
            more = true; // a stream begun by then lies beyond the page
            break;
        }
        nlohmann::json state;
        if (foldInto(state, store, projection, source, info->stream, asOf))
            rows.emplace_back(info->stream.toString(), std::move(state));
    }
    if (backward)
        std::reverse(rows.begin(), rows.end());
    for (auto& [id, state] : rows)
        out.rows[id.toStdString()] = std::move(state);
    out.page.rows = qint64(rows.size());
    if (!rows.empty()) {
        out.page.first = rows.front().first;
        out.page.last = rows.back().first;
    }
    // A page reached from a row has a row on the side it came from.
    out.page.hasPrevious = backward ? more : after.has_value();
    out.page.hasNext = backward ? true : more;
    return out;
}

} // namespace chronoscope
