#include "race/race.h"

#include "bus/publisher.h"

#include <QStringList>

namespace chronoscope::race {

using json = nlohmann::json;

namespace {

QString versionText(Version v)
{
    return QString::number(v.value);
}

/// A value for a sentence: short JSON, strings without quotes, long values cut.
QString shortValue(const json& value)
{
    QString text = value.is_string() ? QString::fromStdString(value.get<std::string>())
                                     : QString::fromStdString(value.dump());
    if (text.size() > 40)
        text = text.left(37) + QStringLiteral("...");
    return text;
}

/// "/items/RACE01 added, /total 9940 → 11440" for a JSON Patch from `from`.
QString describePatch(const json& patch, const json& from)
{
    QStringList parts;
    int shown = 0;
    for (const auto& op : patch) {
        if (++shown > 4)
            break;
        const auto path = op.value("path", std::string());
        const QString where = QString::fromStdString(path);
        const auto kind = op.value("op", std::string());
        if (kind == "add") {
            parts << QStringLiteral("%1 added").arg(where);
        } else if (kind == "remove") {
            parts << QStringLiteral("%1 removed").arg(where);
        } else {
            QString before = QStringLiteral("?");
            try {
                before = shortValue(from.at(json::json_pointer(path)));
            } catch (const json::exception&) {
            }
            parts << QStringLiteral("%1 %2 → %3").arg(where, before, shortValue(op.value("value", json())));
        }
    }
    if (patch.size() > 4)
        parts << QStringLiteral("%1 more changes").arg(patch.size() - 4);
    return parts.join(QStringLiteral(", "));
}

/// "items with 3 entries instead of 2, total 4870 instead of 3370": the top-level fields of an
/// event's payload that differ between what was decided and what would have been.
QString describeFields(const json& stale, const json& real)
{
    if (!stale.is_object() || !real.is_object())
        return QStringLiteral("a different payload");
    QStringList parts;
    for (auto it = real.begin(); it != real.end(); ++it) {
        const QString key = QString::fromStdString(it.key());
        const auto old = stale.find(it.key());
        if (old == stale.end())
            parts << QStringLiteral("%1 %2").arg(key, shortValue(*it));
        else if (*old == *it)
            continue;
        else if (it->is_array() && old->is_array())
            parts << QStringLiteral("%1 with %2 entries instead of %3")
                         .arg(key)
                         .arg(it->size())
                         .arg(old->size());
        else if (it->is_object())
            parts << QStringLiteral("a different %1").arg(key);
        else
            parts << QStringLiteral("%1 %2 instead of %3").arg(key, shortValue(*it), shortValue(*old));
    }
    return parts.join(QStringLiteral(", "));
}

/// "x", "x and y", "x, y and z".
QString joinAnd(const QStringList& items)
{
    if (items.size() <= 1)
        return items.value(0);
    return QStringList(items.mid(0, items.size() - 1)).join(QStringLiteral(", ")) + QStringLiteral(" and ")
        + items.last();
}

std::vector<RecordedEvent> readBack(
    const EventStore& store, const StreamId& stream, const AppendResult& result, std::size_t count)
{
    if (count == 0)
        return {};
    return store.readStream(stream, Version(result.version.value - qint64(count) + 1), qint64(count));
}

} // namespace

AppendFunction appendToStore(EventStore& store)
{
    return [&store](const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected) {
        const auto result = store.append(stream, events, expected);
        return readBack(store, stream, result, events.size());
    };
}

AppendFunction appendThrough(Publisher& publisher)
{
    return [&publisher](
               const StreamId& stream, const std::vector<EventData>& events, ExpectedVersion expected) {
        std::vector<RecordedEvent> stored;
        ExpectedVersion next = expected;
        for (const EventData& event : events) {
            const auto outcome = publisher.publishEvent(stream, event.type, event.data, event.metadata, next);
            if (outcome.kind == PublishOutcome::Kind::Conflict && stored.empty())
                throw WrongExpectedVersion(stream, outcome.expected.value_or(next), outcome.actual);
            if (!outcome.ok() || outcome.events.empty())
                throw StoreError(outcome.error.isEmpty()
                        ? QStringLiteral("%1: the event %2 was not stored").arg(stream.toString(), event.type)
                        : outcome.error);
            stored.insert(stored.end(), outcome.events.begin(), outcome.events.end());
            next = ExpectedVersion::exact(stored.back().version);
        }
        return stored;
    };
}

RaceSimulator::RaceSimulator(EventStore& store, AppendFunction append)
    : m_store(store)
    , m_append(append ? std::move(append) : appendToStore(store))
{
}

void RaceSimulator::requireStream() const
{
    if (m_stream.isEmpty())
        throw InvalidInput(
            QStringLiteral("no stream chosen for the race: pick a stream or start a new cart"));
}

void RaceSimulator::setStream(const StreamId& stream)
{
    if (stream.isEmpty())
        throw InvalidInput(QStringLiteral("no stream given for the race"));
    if (!sample::aggregateOf(stream))
        throw InvalidInput(
            QStringLiteral("'%1' is not a stream of the sample shop: its category '%2' is none of "
                           "cart, order, payment, inventory")
                .arg(stream.toString(), stream.category()));
    m_stream = stream;
    reset();
    for (WriterState& w : m_writers) {
        if (!w.command)
            continue;
        try {
            auto j = sample::toJson(*w.command);
            j["stream"] = stream.toString().toStdString();
            w.command = sample::parseCommand(j);
        } catch (const StoreError&) {
            w.command.reset(); // a command of another aggregate: set again
        }
    }
}

void RaceSimulator::setCommand(Writer writer, const json& command)
{
    const QString who = writerName(writer);
    requireStream();
    if (!command.is_object())
        throw InvalidInput(
            QStringLiteral("%1's command must be a JSON object {\"type\", \"data\"}").arg(who));
    json j = command;
    j["stream"] = m_stream.toString().toStdString();
    if (!j.contains("data"))
        j["data"] = json::object();
    j.erase("expectedVersion"); // the race chooses the expectation
    try {
        m_writers[index(writer)].command = sample::parseCommand(j);
    } catch (const StoreError& e) {
        throw InvalidInput(QStringLiteral("%1's command: %2").arg(who, e.message()));
    }
}

json RaceSimulator::commandJson(Writer writer) const
{
    const auto& command = m_writers[index(writer)].command;
    return command ? sample::toJson(*command) : json();
}

StreamId RaceSimulator::freshCartId(const EventStore& store)
{
    const QString prefix = QStringLiteral("cart-race-");
    qint64 highest = 0;
    for (const StreamInfo& info : store.streams(prefix)) {
        bool ok = false;
        const qint64 n = info.stream.toString().mid(prefix.size()).toLongLong(&ok);
        if (ok && n > highest)
            highest = n;
    }
    return StreamId(prefix + QString::number(highest + 1));
}

StreamId RaceSimulator::startFreshCart()
{
    const StreamId stream = freshCartId(m_store);
    const auto aggregate = sample::Aggregate::Cart;
    json state = sample::initialState(aggregate, stream);
    const json setup[] = {
        {{"type", "OpenCart"}, {"data", {{"customerId", "C-RACE"}}}},
        {{"type", "AddItem"},
            {"data", {{"sku", "MUG01"}, {"name", "Enamel mug"}, {"quantity", 1}, {"unitPrice", 1290}}}},
    };
    Version version(0);
    for (json j : setup) {
        j["stream"] = stream.toString().toStdString();
        auto command = sample::parseCommand(j);
        command.id = QUuid::createUuid();
        command.correlationId = command.id;
        command.causationId = command.id;
        const auto events = sample::decide(state, command);
        const auto stored = m_append(stream, events, ExpectedVersion::exact(version));
        for (const RecordedEvent& e : stored) {
            state = sample::evolve(aggregate, std::move(state), e.type, e.dataJson());
            version = e.version;
        }
    }
    setStream(stream);
    return stream;
}

json RaceSimulator::readState(Version& version, std::optional<Version> upTo) const
{
    const auto aggregate = *sample::aggregateOf(m_stream);
    json state = sample::initialState(aggregate, m_stream);
    const auto info = m_store.streamInfo(m_stream);
    version = info ? info->version : Version(0);
    if (upTo && *upTo < version)
        version = *upTo;
    if (info && info->events > MaxRaceStreamEvents)
        throw InvalidInput(QStringLiteral("%1 has %2 events: the race simulator folds streams of at most %3")
                               .arg(m_stream.toString())
                               .arg(info->events)
                               .arg(MaxRaceStreamEvents));
    std::optional<Version> from;
    while (version.value > 0) {
        const auto page = m_store.readStream(m_stream, from, 1000);
        for (const RecordedEvent& e : page) {
            if (e.version > version)
                return state;
            try {
                state = sample::evolve(aggregate, std::move(state), e.type, e.dataJson());
            } catch (const StoreError&) {
                throw;
            } catch (const std::exception& error) {
                throw InvalidInput(
                    QStringLiteral("%1 version %2 (%3): %4")
                        .arg(m_stream.toString(), versionText(e.version), e.type, errorText(error)));
            }
        }
        if (page.size() < 1000 || page.back().version >= version)
            break;
        from = Version(page.back().version.value + 1);
    }
    return state;
}

RaceStep RaceSimulator::load(Writer writer)
{
    requireStream();
    WriterState& w = m_writers[index(writer)];
    Version version;
    w.state = readState(version);
    w.version = version;
    w.loaded = true;
    w.conflict = false;
    RaceStep step;
    step.writer = writer;
    step.kind = StepKind::Load;
    step.loaded = version;
    step.actual = version;
    step.outcome = Outcome::Loaded;
    const QString status = w.state.contains("status") ? shortValue(w.state.at("status")) : QString();
    step.message = QStringLiteral("%1 read %2 at version %3%4.")
                       .arg(writerName(writer), m_stream.toString(), versionText(version),
                           status.isEmpty() ? QString() : QStringLiteral(" (status %1)").arg(status));
    m_steps.push_back(step);
    return step;
}

RaceStep RaceSimulator::append(Writer writer, AppendMode mode)
{
    return decideAndAppend(writer, mode, StepKind::Append);
}

RaceStep RaceSimulator::retry(Writer writer)
{
    requireStream();
    WriterState& w = m_writers[index(writer)];
    if (!w.command)
        throw InvalidInput(QStringLiteral("%1 has no command to retry").arg(writerName(writer)));
    Version version;
    w.state = readState(version);
    w.version = version;
    w.loaded = true;
    return decideAndAppend(writer, AppendMode::Exact, StepKind::Retry);
}

void RaceSimulator::reset()
{
    m_steps.clear();
    for (WriterState& w : m_writers) {
        w.loaded = false;
        w.version = Version(0);
        w.state = json();
        w.conflict = false;
    }
}

RaceStep RaceSimulator::decideAndAppend(Writer writer, AppendMode mode, StepKind kind)
{
    requireStream();
    const QString who = writerName(writer);
    WriterState& w = m_writers[index(writer)];
    if (!w.command)
        throw InvalidInput(QStringLiteral("%1 has no command: give it one first").arg(who));
    if (!w.loaded)
        throw InvalidInput(QStringLiteral("%1 has not loaded %2: load first").arg(who, m_stream.toString()));
    RaceStep step;
    step.writer = writer;
    step.kind = kind;
    step.mode = mode;
    step.loaded = w.version;
    step.commandType = w.command->type;
    const QString prefix = kind == StepKind::Retry
        ? QStringLiteral("%1 retried: reloaded version %2 and decided again. ")
              .arg(who, versionText(w.version))
        : QString();
    sample::Command command = *w.command;
    command.id = QUuid::createUuid();
    command.correlationId = command.id;
    command.causationId = command.id;
    std::vector<EventData> events;
    try {
        events = sample::decide(w.state, command);
    } catch (const sample::DomainError& e) {
        const auto info = m_store.streamInfo(m_stream);
        step.actual = info ? info->version : Version(0);
        step.outcome = Outcome::Rejected;
        step.message = prefix
            + QStringLiteral("%1's %2 was rejected on version %3: %4. Nothing was stored.")
                  .arg(who, command.type, versionText(w.version), e.message());
        w.conflict = false;
        m_steps.push_back(step);
        return step;
    }
    const ExpectedVersion expected
        = mode == AppendMode::Exact ? ExpectedVersion::exact(w.version) : ExpectedVersion::any();
    step.expected = expected;
    try {
        step.events = m_append(m_stream, events, expected);
    } catch (const WrongExpectedVersion& e) {
        step.actual = e.actual();
        step.outcome = Outcome::Conflict;
        w.conflict = true;
        step.message = prefix
            + QStringLiteral(
                "%1's %2 was refused: WrongExpectedVersion — %1 expected version %3, the stream is at "
                "%4. Retry reloads and decides again.")
                  .arg(who, kind == StepKind::Retry ? QStringLiteral("retry") : QStringLiteral("append"),
                      versionText(w.version), versionText(e.actual()));
        m_steps.push_back(step);
        return step;
    }
    step.outcome = Outcome::Appended;
    if (step.events.empty()) {
        const auto info = m_store.streamInfo(m_stream);
        step.actual = info ? info->version : Version(0);
        step.message
            = prefix + QStringLiteral("%1's %2 decided no event: nothing to append.").arg(who, command.type);
    } else {
        step.actual = Version(step.events.front().version.value - 1);
        QStringList types;
        for (const RecordedEvent& e : step.events)
            types << e.type;
        step.message = prefix
            + QStringLiteral("%1 appended %2 with expected version %3: stored as version %4")
                  .arg(who, types.join(QStringLiteral(", ")), expected.toString(),
                      versionText(step.events.back().version));
        if (mode == AppendMode::Any && step.actual != w.version) {
            step.lost = lostUpdate(writer, step.actual, command, events);
            step.message += QStringLiteral(" although the stream had moved on. Last write wins: ")
                + step.lost->sentence;
        } else if (mode == AppendMode::Any) {
            step.message
                += QStringLiteral("; the stream had not moved since %1 loaded it, so nothing was lost.")
                       .arg(who);
        } else {
            step.message += QLatin1Char('.');
        }
    }
    w.loaded = false; // its work is done: load again to decide anew
    w.conflict = false;
    m_steps.push_back(step);
    return step;
}

QString RaceSimulator::attribution(const RecordedEvent& event) const
{
    for (const RaceStep& step : m_steps)
        for (const RecordedEvent& e : step.events)
            if (e.position == event.position)
                return writerName(step.writer);
    return {};
}

LostUpdate RaceSimulator::lostUpdate(
    Writer writer, Version actual, const sample::Command& command, const std::vector<EventData>& decided)
{
    const WriterState& w = m_writers[index(writer)];
    const QString who = writerName(writer);
    LostUpdate lost;
    lost.decidedOn = w.version;
    lost.actual = actual;
    lost.decidedState = w.state;
    Version ignored;
    lost.actualState = readState(ignored, actual);
    lost.missed = m_store.readStream(m_stream, Version(w.version.value + 1), actual.value - w.version.value);
    QStringList seen;
    for (const RecordedEvent& e : lost.missed) {
        const QString by = attribution(e);
        lost.missedBy.push_back(by);
        if (seen.size() >= 5)
            continue;
        seen << (by.isEmpty()
                ? QStringLiteral("%1 (version %2, by another writer)").arg(e.type, versionText(e.version))
                : QStringLiteral("%1's %2 (version %3)").arg(by, e.type, versionText(e.version)));
    }
    if (lost.missed.size() > 5)
        seen << QStringLiteral("%1 more").arg(lost.missed.size() - 5);
    lost.patch = json::diff(lost.decidedState, lost.actualState);
    // What the same command would have decided on the real state.
    try {
        const auto real = sample::decideEvents(lost.actualState, command);
        QStringList differences;
        for (std::size_t i = 0; i < real.size() && i < decided.size(); ++i) {
            const json stale = json::parse(decided[i].data.toStdString(), nullptr, false);
            if (stale != real[i].data)
                differences << QStringLiteral("its %1 would have had %2")
                                   .arg(real[i].type, describeFields(stale, real[i].data));
        }
        if (real.size() != decided.size())
            differences << QStringLiteral("it would have decided %1 events instead of %2")
                               .arg(real.size())
                               .arg(decided.size());
        if (!differences.isEmpty())
            lost.realDecision = QStringLiteral("Deciding on the real version %1, %2.")
                                    .arg(versionText(actual), differences.join(QStringLiteral("; ")));
    } catch (const sample::DomainError& e) {
        lost.realDecision
            = QStringLiteral("Deciding on the real version %1, it would have been rejected: %2.")
                  .arg(versionText(actual), e.message());
    } catch (const StoreError&) {
        // malformed for the real state: say nothing more
    }
    const QString changes = lost.patch.empty()
        ? QStringLiteral("its state did not change, but %1 was stored over it")
              .arg(seen.size() == 1 ? QStringLiteral("that event") : QStringLiteral("those events"))
        : QStringLiteral("the real state had changed: %1").arg(describePatch(lost.patch, lost.decidedState));
    lost.sentence = QStringLiteral("%1 decided on version %2 and did not see %3; %4.")
                        .arg(who, versionText(w.version), joinAnd(seen), changes);
    if (!lost.realDecision.isEmpty())
        lost.sentence += QLatin1Char(' ') + lost.realDecision;
    return lost;
}

} // namespace chronoscope::race
