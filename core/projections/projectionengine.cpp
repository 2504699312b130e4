#include "projections/projectionengine.h"

#include <QElapsedTimer>

namespace chronoscope {

QString statusName(ProjectionStatus status)
{
    switch (status) {
    case ProjectionStatus::Stopped:
        return QStringLiteral("stopped");
    case ProjectionStatus::Running:
        return QStringLiteral("running");
    case ProjectionStatus::Faulted:
        return QStringLiteral("faulted");
    }
    return {};
}

ProjectionEngine::ProjectionEngine(
    const EventStore& store, std::shared_ptr<const Projection> projection, Options options)
    : m_store(store)
    , m_projection(std::move(projection))
    , m_source(m_projection->source())
    , m_filter(m_source.readFilter())
    , m_options(options)
    , m_interval(std::max<qint64>(1, options.snapshotEvery))
    , m_nextSnapshot(m_interval)
    , m_perStream(dynamic_cast<const PerStreamProjection*>(m_projection.get()))
{
    m_options.batchSize = std::max<qint64>(1, m_options.batchSize);
}

ProjectionEngine::~ProjectionEngine() = default;

ProjectionFolder& ProjectionEngine::mainFolder()
{
    if (!m_main)
        m_main = m_projection->createFolder();
    return *m_main;
}

ProjectionFolder& ProjectionEngine::scratchFolder()
{
    if (!m_scratch)
        m_scratch = m_projection->createFolder();
    return *m_scratch;
}

nlohmann::json ProjectionEngine::state()
{
    return isPaged() ? *m_pageRows : mainFolder().state();
}

std::shared_ptr<const nlohmann::json> ProjectionEngine::sharedState()
{
    return isPaged() ? m_pageRows : mainFolder().sharedState();
}

ProjectionStatus ProjectionEngine::status() const
{
    if (m_fault)
        return ProjectionStatus::Faulted;
    return m_running ? ProjectionStatus::Running : ProjectionStatus::Stopped;
}

Position ProjectionEngine::lastPosition() const
{
    return m_store.summary().lastPosition;
}

bool ProjectionEngine::rebuild(const Progress& progress, std::optional<Position> until)
{
    if (isPaged()) {
        m_checkpoint = Position(0);
        m_fault.reset();
        m_anchor = {};
        m_pageRows = std::make_shared<const nlohmann::json>(nlohmann::json::object());
        m_page = {};
        return catchUp(progress, until);
    }
    mainFolder().reset();
    m_snapshots.clear();
    m_snapshotBytes = 0;
    m_interval = std::max<qint64>(1, m_options.snapshotEvery);
    m_nextSnapshot = m_interval;
    m_checkpoint = Position(0);
    m_fault.reset();
    m_scratchAt.reset();
    return catchUp(progress, until);
}

bool ProjectionEngine::catchUp(const Progress& progress, std::optional<Position> until)
{
    if (m_fault && !isPaged())
        return true;
    auto to = lastPosition();
    if (until && *until < to)
        to = *until;
    if (to <= m_checkpoint)
        return true;
    if (isPaged()) { // nothing to fold but the page shown: its streams are read again
        m_checkpoint = to;
        refoldPage();
        return !progress || progress(to.value, to.value);
    }
    try {
        return process(mainFolder(), m_checkpoint, to, true, progress);
    } catch (const ProjectionError& error) {
        m_fault = error.fault();
        // The folder may hold part of the failed event's work: rebuild the state just before it.
        const Position before(m_fault->position.value - 1);
        process(mainFolder(), loadNearest(mainFolder(), before), before, false, {});
        m_checkpoint = before;
        return true;
    }
}

bool ProjectionEngine::process(
    ProjectionFolder& folder, Position from, Position to, bool snapshots, const Progress& progress)
{
    const bool main = &folder == m_main.get() && snapshots;
    std::vector<RecordedEvent> chunk;
    chunk.reserve(std::size_t(m_options.batchSize));
    Position next = from;
    while (next < to) {
        auto page = m_store.readAll(Position(next.value + 1), m_options.batchSize, m_filter);
        const bool last
            = qint64(page.size()) < m_options.batchSize || page.empty() || page.back().position >= to;
        Position reached = last ? to : page.back().position;
        std::size_t i = 0;
        while (i < page.size() && page[i].position <= to) {
            chunk.clear();
            // One chunk ends where a snapshot is due, so snapshots fall on events.
            for (; i < page.size() && page[i].position <= to; ++i) {
                if (m_source.matches(page[i]))
                    chunk.push_back(std::move(page[i]));
                if (snapshots && page[i].position.value >= m_nextSnapshot) {
                    ++i;
                    break;
                }
            }
            folder.apply(chunk);
            const auto at = page[i - 1].position;
            if (main)
                m_checkpoint = at;
            if (snapshots && at.value >= m_nextSnapshot)
                takeSnapshot(folder, at);
        }
        next = reached;
        if (main)
            m_checkpoint = reached;
        if (progress && !progress(reached.value, to.value))
            return false;
    }
    return true;
}

void ProjectionEngine::takeSnapshot(ProjectionFolder& folder, Position at)
{
    auto text = folder.stateText();
    // Saving costs the state's size: keep it to a few bytes per event processed.
    m_interval = std::max(m_interval, qint64(text.size() / 32));
    m_nextSnapshot = at.value + m_interval;
    m_snapshotBytes += text.size();
    auto& slot = m_snapshots[at.value];
    m_snapshotBytes -= slot.size();
    slot = std::move(text);
    while (m_snapshotBytes > m_options.memoryBudget && m_snapshots.size() > 1) {
        m_interval *= 2;
        bool drop = m_snapshots.size() % 2 == 0; // keeps the newest
        for (auto it = m_snapshots.begin(); it != m_snapshots.end(); drop = !drop) {
            if (drop) {
                m_snapshotBytes -= it->second.size();
                it = m_snapshots.erase(it);
            } else {
                ++it;
            }
        }
    }
}

Position ProjectionEngine::loadNearest(ProjectionFolder& folder, Position p)
{
    auto it = m_snapshots.upper_bound(p.value);
    Position base(0);
    if (it != m_snapshots.begin())
        base = Position(std::prev(it)->first);
    const bool scratch = &folder == m_scratch.get();
    if (scratch && m_scratchAt && *m_scratchAt <= p && *m_scratchAt >= base
        && !(m_main && m_checkpoint <= p && m_checkpoint > *m_scratchAt))
        return *m_scratchAt; // the folder already holds that state: nothing to load
    if (&folder != m_main.get() && m_checkpoint <= p && m_checkpoint > base && m_main) {
        folder.loadText(m_main->stateText());
        return m_checkpoint;
    }
    if (base.value == 0)
        folder.reset();
    else
        folder.loadText(std::prev(it)->second);
    return base;
}

nlohmann::json ProjectionEngine::stateAsOf(Position p)
{
    return *sharedStateAsOf(p);
}

std::shared_ptr<const nlohmann::json> ProjectionEngine::sharedStateAsOf(Position p)
{
    const auto last = lastPosition();
    if (p.value < 0 || p > last)
        throw InvalidInput(QStringLiteral("projection '%1': position %2 is outside the log (0 to %3)")
                               .arg(m_projection->name())
                               .arg(p.value)
                               .arg(last.value));
    if (isPaged()) {
        if (p == m_checkpoint) {
            m_pageAsOf = m_page;
            return m_pageRows;
        }
        auto folded = foldPage(p);
        m_pageAsOf = folded.page;
        return std::make_shared<const nlohmann::json>(std::move(folded.rows));
    }
    if (m_fault && p >= m_fault->position)
        throw ProjectionError(*m_fault);
    if (p == m_checkpoint && m_main)
        return m_main->sharedState();
    auto& scratch = scratchFolder();
    const Position from = loadNearest(scratch, p);
    m_scratchAt.reset(); // until the replay has completed
    process(scratch, from, p, false, {});
    m_scratchAt = p;
    return scratch.sharedState();
}

std::vector<ProjectionStep> ProjectionEngine::steps(Position from, Position to, qint64 maxSteps)
{
    std::vector<ProjectionStep> out;
    from = std::max(from, Position(1));
    to = std::min(to, lastPosition());
    if (from > to || maxSteps <= 0)
        return out;
    if (isPaged())
        return streamSteps(from, to, maxSteps);
    auto& scratch = scratchFolder();
    const Position before(from.value - 1);
    const Position base = loadNearest(scratch, before);
    m_scratchAt.reset(); // the steps move the scratch state event by event
    process(scratch, base, before, false, {});
    auto state = scratch.state();
    QElapsedTimer timer;
    forEachMatching(from, to, [&](const RecordedEvent& e) {
        if (qint64(out.size()) >= maxSteps)
            return false;
        ProjectionStep step {e.position, e.stream, e.version, e.type, state, {}, 0, {}};
        timer.start();
        try {
            scratch.apply(std::span<const RecordedEvent>(&e, 1));
            step.elapsedNs = timer.nsecsElapsed();
            state = scratch.state();
            step.after = state;
            out.push_back(std::move(step));
            return true;
        } catch (const ProjectionError& error) {
            step.elapsedNs = timer.nsecsElapsed();
            step.after = step.before;
            step.error = error.fault().reason;
            out.push_back(std::move(step));
            return false; // the steps end at the first failing event
        }
    });
    return out;
}

void ProjectionEngine::forEachMatching(
    Position from, Position to, const std::function<bool(const RecordedEvent&)>& visit) const
{
    Position next(from.value - 1);
    while (next < to) {
        const auto page = m_store.readAll(Position(next.value + 1), m_options.batchSize, m_filter);
        if (page.empty())
            return;
        for (const auto& e : page) {
            if (e.position > to)
                return;
            next = e.position;
            if (m_source.matches(e) && !visit(e))
                return;
        }
    }
}

StreamStatePage ProjectionEngine::foldPage(Position asOf) const
{
    auto folded
        = foldStreamPage(m_store, *m_perStream, m_anchor.after, m_anchor.before, m_options.pageSize, asOf);
    folded.page.offset
        = m_anchor.before ? std::max<qint64>(0, m_anchor.offset - folded.page.rows) : m_anchor.offset;
    return folded;
}

void ProjectionEngine::refoldPage()
{
    try {
        auto folded = foldPage(m_checkpoint);
        if (m_anchor.before && !folded.page.hasPrevious) { // back at the start: the first page, full
            m_anchor = {};
            folded = foldPage(m_checkpoint);
        }
        // The whole read model's size, where the store counts it without a scan.
        const auto source = m_perStream->source();
        if (source.types.isEmpty() && source.kind == ProjectionSource::Kind::Category) {
            for (const auto& c : m_store.categories())
                if (c.category == source.category)
                    folded.page.total = c.streams;
            if (folded.page.total < 0)
                folded.page.total = 0;
        } else if (source.types.isEmpty() && source.kind == ProjectionSource::Kind::All) {
            folded.page.total = m_store.summary().streams;
        }
        m_page = folded.page;
        m_pageRows = std::make_shared<const nlohmann::json>(std::move(folded.rows));
        m_fault.reset();
    } catch (const ProjectionError& error) {
        m_fault = error.fault();
    }
}

void ProjectionEngine::movePage(PageMove move)
{
    if (!isPaged())
        return;
    switch (move) {
    case PageMove::First:
        m_anchor = {};
        break;
    case PageMove::Previous:
        if (!m_page.hasPrevious || m_page.first.isEmpty())
            return;
        m_anchor = {std::nullopt, m_page.first, m_page.offset};
        break;
    case PageMove::Next:
        if (!m_page.hasNext || m_page.last.isEmpty())
            return;
        m_anchor = {m_page.last, std::nullopt, m_page.offset + m_page.rows};
        break;
    case PageMove::Stay:
        break;
    }
    refoldPage();
}

std::vector<ProjectionStep> ProjectionEngine::streamSteps(Position from, Position to, qint64 maxSteps)
{
    std::vector<ProjectionStep> out;
    // Each stream's state before `from`, folded once, then carried from event to event.
    std::map<QString, nlohmann::json> states;
    const auto wrap = [](const QString& id, const nlohmann::json& state) {
        return state.is_null() ? nlohmann::json::object() : nlohmann::json {{id.toStdString(), state}};
    };
    QElapsedTimer timer;
    forEachMatching(from, to, [&](const RecordedEvent& e) {
        if (qint64(out.size()) >= maxSteps)
            return false;
        const QString id = e.stream.toString();
        auto it = states.find(id);
        if (it == states.end())
            it = states.emplace(id, foldStream(m_store, *m_perStream, e.stream, Position(from.value - 1)))
                     .first;
        ProjectionStep step {e.position, e.stream, e.version, e.type, wrap(id, it->second), {}, 0, {}};
        timer.start();
        try {
            if (it->second.is_null())
                it->second = m_perStream->initialStreamState();
            m_perStream->evolveStream(it->second, e);
            step.elapsedNs = timer.nsecsElapsed();
            step.after = wrap(id, it->second);
            out.push_back(std::move(step));
            return true;
        } catch (const std::exception& error) {
            step.elapsedNs = timer.nsecsElapsed();
            step.after = step.before;
            step.error = errorText(error);
            out.push_back(std::move(step));
            return false;
        }
    });
    return out;
}

} // namespace chronoscope
