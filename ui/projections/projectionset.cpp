#include "projections/projectionset.h"

#include "projections/jsprojection.h"
#include "projections/projectionlistmodel.h"
#include "projections/typetimeline.h"

#include <QFileInfo>
#include <QThreadPool>

namespace chronoscope {

namespace {
using SharedJson = std::shared_ptr<const nlohmann::json>;

/// Replaces a read model kept for the views. The one replaced, when nothing else holds it, is
/// freed on a pool thread: freeing a read model of many megabytes takes about as long as
/// building it, and the GUI thread would stall meanwhile.
void replaceReadModel(SharedJson& slot, SharedJson next)
{
    SharedJson old
        = std::exchange(slot, next ? std::move(next) : std::make_shared<const nlohmann::json>(nullptr));
    if (old && old.use_count() == 1 && old->is_structured() && !old->empty())
        QThreadPool::globalInstance()->start([old = std::move(old)]() mutable { old.reset(); });
}
} // namespace

const nlohmann::json& ProjectionView::state() const
{
    static const nlohmann::json none;
    return data ? *data : none;
}

struct ProjectionSet::Entry {
    quint64 id = 0;
    std::shared_ptr<const Projection> projection;
    QString script; // JavaScript source, empty for a built-in
    std::unique_ptr<ProjectionRunner> runner;
    quint64 generation = 0; // of the latest start()
    bool hasReport = false; // of that generation
    ProjectionReport live;  // without its state, which is in liveState
    std::shared_ptr<const nlohmann::json> liveState;
    ProjectionRow row;
    std::optional<Position> asked; // a stateAsOf request under way
    quint64 pageMoves = 0;         // page moves asked for (paged read models)
    quint64 askedAtPageMove = 0;   // the page move the stateAsOf request under way follows
    ProjectionView positioned;     // the state as of m_asOfPosition
    quint64 positionedGeneration = 0;
};

ProjectionSet::ProjectionSet(QObject* parent)
    : QObject(parent)
    , m_model(new ProjectionListModel(this))
{
}

ProjectionSet::~ProjectionSet()
{
    m_entries.clear(); // runners end (and wait for their threads) while the store is alive
}

void ProjectionSet::storeEndsAt(Position last)
{
    if (last <= m_lastPosition)
        return;
    m_lastPosition = last;
    for (const auto& e : m_entries) { // the lag of a stopped or faulted projection grows
        e->row.lastPosition = last;
        updateRow(*e);
    }
    Q_EMIT lastPositionChanged(last);
}

void ProjectionSet::setStore(std::shared_ptr<const EventStore> store)
{
    if (m_store)
        disconnect(m_store.get(), nullptr, this, nullptr);
    m_model->clear();
    m_entries.clear(); // stops every runner before the old store may go
    m_store = std::move(store);
    m_asOfPosition.reset();
    m_lastPosition = Position(0);
    if (m_store) {
        m_lastPosition = m_store->summary().lastPosition;
        connect(m_store.get(), &EventStore::appended, this,
            [this](Position, Position last) { storeEndsAt(last); });
        connect(m_store.get(), &EventStore::changedElsewhere, this, &ProjectionSet::storeEndsAt);
        for (const QString& name : builtinProjectionNames())
            addEntry(builtinProjection(name), {});
        m_timelineBucketMs = timelineBucketFor(*m_store);
        addEntry(typeTimelineProjection(m_timelineBucketMs), {});
        for (const Script& script : m_scripts)
            addEntry(script.projection, script.source);
    }
    m_wasSettled = m_entries.empty();
    Q_EMIT storeChanged();
    Q_EMIT asOfPositionChanged();
}

QStringList ProjectionSet::names() const
{
    QStringList out;
    for (const auto& e : m_entries)
        out << e->projection->name();
    return out;
}

ProjectionSet::Entry* ProjectionSet::find(const QString& name) const
{
    for (const auto& e : m_entries) {
        if (e->projection->name() == name)
            return e.get();
    }
    return nullptr;
}

ProjectionSet::Entry* ProjectionSet::findById(quint64 id) const
{
    for (const auto& e : m_entries) {
        if (e->id == id)
            return e.get();
    }
    return nullptr;
}

int ProjectionSet::rowOf(const Entry* entry) const
{
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].get() == entry)
            return int(i);
    }
    return -1;
}

std::shared_ptr<const Projection> ProjectionSet::projection(const QString& name) const
{
    const Entry* e = find(name);
    return e ? e->projection : nullptr;
}

QString ProjectionSet::scriptSource(const QString& name) const
{
    for (const Script& s : m_scripts) {
        if (s.name == name)
            return s.source;
    }
    return {};
}

bool ProjectionSet::isScript(const QString& name) const
{
    return std::any_of(m_scripts.begin(), m_scripts.end(), [&](const Script& s) { return s.name == name; });
}

void ProjectionSet::addEntry(std::shared_ptr<const Projection> projection, const QString& script)
{
    auto entry = std::make_unique<Entry>();
    entry->id = m_nextId++;
    entry->projection = std::move(projection);
    entry->script = script;
    entry->row.name = entry->projection->name();
    entry->row.description = entry->projection->description();
    entry->row.source = entry->projection->source().describe();
    entry->row.script = !script.isEmpty();
    Entry& e = *entry;
    m_entries.push_back(std::move(entry));
    m_model->addRow(e.row);
    startRunner(e);
}

void ProjectionSet::startRunner(Entry& e)
{
    e.runner.reset();
    e.runner = std::make_unique<ProjectionRunner>(*m_store, e.projection, m_options);
    const quint64 id = e.id;
    connect(e.runner.get(), &ProjectionRunner::updated, this,
        [this, id](const ProjectionReport& s) { onUpdated(id, s); });
    connect(e.runner.get(), &ProjectionRunner::progress, this,
        [this, id](
            quint64 generation, qint64 done, qint64 total) { onProgress(id, generation, done, total); });
    connect(e.runner.get(), &ProjectionRunner::stateAtReady, this,
        [this, id](const ProjectionQueryResult& r) { onStateAt(id, r); });
    connect(e.runner.get(), &ProjectionRunner::stepsReady, this, [this, id](const ProjectionQueryResult& r) {
        if (const Entry* entry = findById(id))
            Q_EMIT stepsReady(entry->projection->name(), r);
    });
    e.hasReport = false;
    e.asked.reset();
    e.positioned = {};
    e.row.busy = true;
    e.row.done = 0;
    e.row.total = m_lastPosition.value;
    e.row.fault.reset();
    e.row.lastPosition = m_lastPosition;
    e.row.checkpoint = Position(0);
    e.generation = e.runner->start();
    updateRow(e);
    if (m_asOfPosition)
        askStateAt(e);
    m_wasSettled = false;
}

void ProjectionSet::updateRow(Entry& e)
{
    m_model->updateRow(rowOf(&e), e.row);
}

QString ProjectionSet::uniqueName(const QString& fileName) const
{
    const QFileInfo info(fileName);
    const QString base = info.completeBaseName();
    const QString suffix = info.suffix().isEmpty() ? QStringLiteral("js") : info.suffix();
    QString name = info.fileName();
    for (int n = 2; contains(name) || isScript(name) || builtinProjectionNames().contains(name); ++n)
        name = QStringLiteral("%1-%2.%3").arg(base).arg(n).arg(suffix);
    return name;
}

QString ProjectionSet::addScript(const QString& source, const QString& fileName)
{
    const QString name
        = uniqueName(fileName.isEmpty() ? QStringLiteral("projection-%1.js").arg(m_untitled + 1) : fileName);
    // Errors name the script by its (unique) name, as the list shows it.
    auto projection = JsProjection::fromSource(source, name);
    if (fileName.isEmpty())
        ++m_untitled;
    m_scripts.push_back({name, fileName, source, projection});
    if (m_store)
        addEntry(projection, source);
    return name;
}

void ProjectionSet::replaceScript(const QString& name, const QString& source)
{
    auto it
        = std::find_if(m_scripts.begin(), m_scripts.end(), [&](const Script& s) { return s.name == name; });
    if (it == m_scripts.end())
        throw InvalidInput(QStringLiteral("there is no JavaScript projection '%1'").arg(name));
    auto projection = JsProjection::fromSource(source, name);
    it->source = source;
    it->projection = projection;
    if (Entry* e = find(name)) {
        e->projection = projection;
        e->script = source;
        e->row.description = projection->description();
        e->row.source = projection->source().describe();
        startRunner(*e);
        Q_EMIT viewChanged(name);
    }
}

bool ProjectionSet::removeScript(const QString& name)
{
    auto it
        = std::find_if(m_scripts.begin(), m_scripts.end(), [&](const Script& s) { return s.name == name; });
    if (it == m_scripts.end())
        return false;
    m_scripts.erase(it);
    if (Entry* e = find(name)) {
        const int row = rowOf(e);
        m_model->removeRowAt(row);
        m_entries.erase(m_entries.begin() + row);
    }
    checkSettled();
    return true;
}

void ProjectionSet::rebuild(const QString& name)
{
    if (Entry* e = find(name)) {
        startRunner(*e);
        Q_EMIT viewChanged(name);
    }
}

void ProjectionSet::stop(const QString& name)
{
    if (Entry* e = find(name))
        e->runner->stop();
}

void ProjectionSet::cancel(const QString& name)
{
    if (Entry* e = find(name)) {
        e->runner->cancel();
        e->runner->stop();
    }
}

void ProjectionSet::setAsOfPosition(std::optional<Position> position)
{
    if (position && m_store) {
        position = std::clamp(*position, Position(0), m_lastPosition);
    } else {
        position.reset();
    }
    if (position == m_asOfPosition)
        return;
    m_asOfPosition = position;
    for (const auto& e : m_entries) {
        if (m_asOfPosition) {
            e->positioned.pending = true;
            askStateAt(*e);
        }
    }
    Q_EMIT asOfPositionChanged();
    for (const auto& e : m_entries)
        Q_EMIT viewChanged(e->projection->name());
    checkSettled();
}

void ProjectionSet::askStateAt(Entry& e)
{
    if (e.asked || !m_asOfPosition)
        return; // the answer under way is followed by a request for the latest position
    e.asked = m_asOfPosition;
    e.askedAtPageMove = e.pageMoves;
    e.runner->requestStateAsOf(*m_asOfPosition);
}

ProjectionView ProjectionSet::view(const QString& name) const
{
    const Entry* e = find(name);
    if (!e)
        return {};
    if (m_asOfPosition)
        return e->positioned;
    ProjectionView v;
    v.valid = e->hasReport;
    v.pending = !e->hasReport;
    v.checkpoint = e->live.checkpoint;
    v.data = e->liveState;
    v.page = e->live.page;
    if (e->live.fault)
        v.error = e->row.faultText();
    return v;
}

void ProjectionSet::onUpdated(quint64 id, const ProjectionReport& s)
{
    Entry* e = findById(id);
    if (!e || s.generation < e->generation)
        return; // from a rebuild that was replaced by a newer one
    e->live = s;
    e->live.state = nullptr;
    replaceReadModel(e->liveState, s.state); // shared with the views
    e->hasReport = true;
    e->row.status = s.status;
    e->row.fault = s.fault;
    e->row.checkpoint = s.checkpoint;
    e->row.lastPosition = std::max(s.lastPosition, m_lastPosition);
    e->row.busy = false;
    updateRow(*e);
    const QString name = e->projection->name();
    Q_EMIT statusChanged(name);
    if (!m_asOfPosition)
        Q_EMIT viewChanged(name);
    checkSettled();
}

void ProjectionSet::onProgress(quint64 id, quint64 generation, qint64 done, qint64 total)
{
    Entry* e = findById(id);
    if (!e || generation < e->generation)
        return;
    e->row.busy = true;
    e->row.done = done;
    e->row.total = total;
    e->row.checkpoint = Position(done);
    e->row.lastPosition = Position(std::max<qint64>(total, m_lastPosition.value));
    updateRow(*e);
    Q_EMIT statusChanged(e->projection->name());
}

void ProjectionSet::onStateAt(quint64 id, const ProjectionQueryResult& r)
{
    Entry* e = findById(id);
    if (!e)
        return;
    e->asked.reset();
    if (!m_asOfPosition)
        return checkSettled(); // back to live meanwhile
    if (r.generation < e->generation || r.from != *m_asOfPosition || e->askedAtPageMove != e->pageMoves) {
        askStateAt(*e); // stale: ask for the position (and page) chosen now
        return;
    }
    replaceReadModel(e->positioned.data, r.state);
    e->positioned.page = r.page;
    e->positioned.at = r.from;
    e->positioned.checkpoint = r.from;
    e->positioned.error = r.error;
    e->positioned.pending = false;
    e->positioned.valid = true;
    e->positionedGeneration = r.generation;
    Q_EMIT viewChanged(e->projection->name());
    checkSettled();
}

bool ProjectionSet::isSettled() const
{
    for (const auto& e : m_entries) {
        if (!e->hasReport || e->row.busy || e->asked)
            return false;
        if (m_asOfPosition && (e->positioned.pending || e->positioned.at != m_asOfPosition))
            return false;
    }
    return true;
}

void ProjectionSet::checkSettled()
{
    const bool now = isSettled();
    if (now && !m_wasSettled) {
        m_wasSettled = true;
        Q_EMIT settled();
    } else if (!now) {
        m_wasSettled = false;
    }
}

void ProjectionSet::movePage(const QString& name, PageMove move)
{
    Entry* e = find(name);
    if (!e || !e->live.page)
        return;
    ++e->pageMoves;
    e->runner->requestPage(move); // the live page comes with updated()
    if (m_asOfPosition) {
        e->positioned.pending = true;
        askStateAt(*e); // queued after the move, or asked again when the answer under way comes
        Q_EMIT viewChanged(name);
        checkSettled();
    }
}

void ProjectionSet::requestSteps(const QString& name, Position from, Position to, qint64 maxSteps)
{
    if (Entry* e = find(name))
        e->runner->requestSteps(from, to, maxSteps);
}

} // namespace chronoscope
