#include "upcast/upcaster.h"

#include "json/jsondepth.h"
#include "upcast/jsupcaster.h"
#include "upcast/upcasterrules.h"

#include <QFileInfo>

#include <algorithm>
#include <functional>

namespace chronoscope {

UpcastStep::UpcastStep(QString type, int from, int to)
    : m_type(std::move(type))
    , m_from(from)
    , m_to(to)
{
}

UpcastStep::~UpcastStep() = default;

QString UpcastStep::label() const
{
    return QStringLiteral("%1 v%2→v%3").arg(m_type).arg(m_from).arg(m_to);
}

QString UpcastStep::describeEvent(const RecordedEvent& event) const
{
    return QStringLiteral("stream '%1' version %2 (type '%3', schema version %4, position %5)")
        .arg(event.stream.toString())
        .arg(event.version.value)
        .arg(event.type)
        .arg(m_from)
        .arg(event.position.value);
}

UpcasterChain::UpcasterChain() = default;
UpcasterChain::~UpcasterChain() = default;

std::shared_ptr<UpcasterChain> UpcasterChain::fromFiles(const QStringList& paths)
{
    auto chain = std::make_shared<UpcasterChain>();
    for (const auto& path : paths)
        chain->addFile(path);
    return chain;
}

void UpcasterChain::addFile(const QString& path)
{
    const auto suffix = QFileInfo(path).suffix().toLower();
    std::vector<std::shared_ptr<const UpcastStep>> steps;
    if (suffix == QLatin1String("json"))
        steps = upcasterrules::loadFile(path);
    else if (suffix == QLatin1String("js") || suffix == QLatin1String("mjs"))
        steps = jsupcaster::loadFile(path);
    else
        throw InvalidInput(
            QStringLiteral("'%1': upcasters are a JSON rule file (.json) or a JavaScript file (.js)")
                .arg(path));
    for (auto& step : steps)
        add(std::move(step));
}

void UpcasterChain::add(std::shared_ptr<const UpcastStep> step)
{
    if (step->to() <= step->from())
        throw InvalidInput(
            QStringLiteral("%1 (%2): 'to' must be above 'from'").arg(step->name(), step->label()));
    const auto key = std::make_pair(step->type(), step->from());
    const auto it = m_steps.find(key);
    if (it != m_steps.end())
        throw InvalidInput(QStringLiteral("%1 and %2 both upcast %3 from schema version %4: keep one")
                               .arg(it->second->name(), step->name(), step->type())
                               .arg(step->from()));
    m_steps.emplace(key, std::move(step));
}

std::vector<std::shared_ptr<const UpcastStep>> UpcasterChain::steps() const
{
    std::vector<std::shared_ptr<const UpcastStep>> out;
    out.reserve(m_steps.size());
    for (const auto& [key, step] : m_steps)
        out.push_back(step);
    return out;
}

const UpcastStep* UpcasterChain::stepFor(const QString& type, int schemaVersion) const
{
    if (m_steps.empty())
        return nullptr;
    const auto it = m_steps.find(std::make_pair(type, schemaVersion));
    return it == m_steps.end() ? nullptr : it->second.get();
}

bool UpcasterChain::applies(const RecordedEvent& event) const
{
    return stepFor(event.type, event.schemaVersion);
}

int UpcasterChain::targetVersion(const QString& type, int schemaVersion) const
{
    while (const auto* step = stepFor(type, schemaVersion))
        schemaVersion = step->to();
    return schemaVersion;
}

namespace {

struct Work {
    nlohmann::json data;
    int version = 0;
    bool parsed = false;
    QStringList applied;
    QString error;
};

QByteArray dumpJson(const nlohmann::json& value)
{
    return QByteArray::fromStdString(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace

// Runs every applicable step, one batch per step and round. With `stopAtError`, the first
// failure is thrown; otherwise it is recorded on its event, and the batch is run again one
// event at a time so the other events still get upcast.
static std::vector<Work> runChain(const std::vector<RecordedEvent>& events, bool stopAtError,
    const std::function<const UpcastStep*(const QString&, int)>& stepFor)
{
    std::vector<Work> work(events.size());
    for (std::size_t i = 0; i < events.size(); ++i)
        work[i].version = events[i].schemaVersion;
    for (;;) {
        std::map<const UpcastStep*, std::vector<std::size_t>> groups;
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (!work[i].error.isEmpty())
                continue;
            if (const auto* step = stepFor(events[i].type, work[i].version))
                groups[step].push_back(i);
        }
        if (groups.empty())
            break;
        for (const auto& group : groups) {
            // Not a structured binding: clang 14 cannot capture one in the lambda below.
            const UpcastStep* const step = group.first;
            const auto& all = group.second;
            std::vector<std::size_t> indices;
            for (const auto i : all) {
                auto& w = work[i];
                if (!w.parsed) {
                    const auto& raw = events[i].data;
                    // Deeper than the bound counts as not JSON here: the rules recurse over values.
                    w.data = raw.trimmed().isEmpty() ? nlohmann::json()
                        : jsondepth::tooDeepAt(std::string_view(raw.constData(), std::size_t(raw.size())))
                        ? nlohmann::json(nlohmann::json::value_t::discarded)
                        : nlohmann::json::parse(raw.constBegin(), raw.constEnd(), nullptr, false);
                    if (w.data.is_discarded()) {
                        const auto message
                            = QStringLiteral("%1 (%2) cannot upcast stream '%3' version %4 (type '%5', "
                                             "position %6): the stored payload is not valid JSON")
                                  .arg(step->name(), step->label(), events[i].stream.toString())
                                  .arg(events[i].version.value)
                                  .arg(events[i].type)
                                  .arg(events[i].position.value);
                        if (stopAtError)
                            throw UpcastError(message, events[i].position);
                        w.error = message;
                        continue;
                    }
                    w.parsed = true;
                }
                indices.push_back(i);
            }
            if (indices.empty())
                continue;
            const auto runBatch = [&](const std::vector<std::size_t>& batch) {
                std::vector<const RecordedEvent*> ptrs;
                std::vector<nlohmann::json> data;
                ptrs.reserve(batch.size());
                data.reserve(batch.size());
                for (const auto i : batch) {
                    ptrs.push_back(&events[i]);
                    data.push_back(work[i].data);
                }
                auto results = step->apply(ptrs, std::move(data));
                for (std::size_t k = 0; k < batch.size(); ++k) {
                    auto& w = work[batch[k]];
                    w.data = std::move(results[k]);
                    w.version = step->to();
                    w.applied.append(step->name());
                }
            };
            try {
                runBatch(indices);
            } catch (const UpcastError& error) {
                if (stopAtError)
                    throw;
                for (const auto i : indices) {
                    try {
                        runBatch({i});
                    } catch (const UpcastError& single) {
                        work[i].error = single.message();
                    }
                }
            }
        }
    }
    return work;
}

void UpcasterChain::upcast(std::vector<RecordedEvent>& events) const
{
    if (m_steps.empty())
        return;
    const bool any
        = std::any_of(events.begin(), events.end(), [this](const RecordedEvent& e) { return applies(e); });
    if (!any)
        return;
    auto work = runChain(events, true, [this](const QString& t, int v) { return stepFor(t, v); });
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (work[i].applied.isEmpty())
            continue;
        events[i].data = dumpJson(work[i].data);
        events[i].schemaVersion = work[i].version;
    }
}

RecordedEvent UpcasterChain::upcast(const RecordedEvent& event) const
{
    std::vector<RecordedEvent> one {event};
    upcast(one);
    return std::move(one.front());
}

std::vector<UpcastOutcome> UpcasterChain::inspect(const std::vector<RecordedEvent>& events) const
{
    auto work = runChain(events, false, [this](const QString& t, int v) { return stepFor(t, v); });
    std::vector<UpcastOutcome> out(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        auto& o = out[i];
        o.raw = events[i];
        o.upcast = events[i];
        o.error = work[i].error;
        o.applied = work[i].applied;
        if (o.error.isEmpty() && !o.applied.isEmpty()) {
            o.upcast.data = dumpJson(work[i].data);
            o.upcast.schemaVersion = work[i].version;
        }
    }
    return out;
}

} // namespace chronoscope
