#pragma once

// core/upcast: schema evolution on read: upcaster chains from JSON rule files (upcasterrules) or
// JavaScript (jsupcaster), and the store view that reads every event upcast (upcastingeventstore).

#include "base/errors.h"
#include "store/recordedevent.h"

#include <QStringList>

#include <map>
#include <memory>
#include <vector>

namespace chronoscope {

/// An upcaster failed on one event (it threw, returned something that is not JSON, or the
/// stored payload could not be read). The message names the rule or script, the event type,
/// stream, version, schema version and position. The stored event is never changed.
class UpcastError : public StoreError {
public:
    UpcastError(const QString& message, Position position)
        : StoreError(message)
        , m_position(position)
    {
    }
    Position position() const { return m_position; }

private:
    Position m_position;
};

/// One declared step of schema evolution: turns the payload of events of `type()` stored at
/// schema version `from()` into the payload of schema version `to()` (to > from).
class UpcastStep {
public:
    UpcastStep(QString type, int from, int to);
    virtual ~UpcastStep();

    const QString& type() const { return m_type; }
    int from() const { return m_from; }
    int to() const { return m_to; }
    /// Names the step for a person, e.g. "rules.json rule [2]" or "upcast.js upcasters[0]".
    virtual QString name() const = 0;

    /// Upcasts several events at once (all of type() at schema version from()); `data[i]` is
    /// the payload of `events[i]` as the previous step left it. Returns one payload per event.
    /// Throws UpcastError naming the first event that failed (see describeEvent()).
    virtual std::vector<nlohmann::json> apply(
        const std::vector<const RecordedEvent*>& events, std::vector<nlohmann::json> data) const = 0;

    /// "ItemAdded v1→v2".
    QString label() const;

protected:
    /// "stream 'cart-1' version 3 (type 'ItemAdded', schema version 1, position 17)".
    QString describeEvent(const RecordedEvent& event) const;

private:
    QString m_type;
    int m_from;
    int m_to;
};

/// The result of upcasting one event: the event as the readers see it, the event as stored,
/// the steps applied in order and, when a step failed, why (the event then stays as stored).
struct UpcastOutcome {
    RecordedEvent raw;
    RecordedEvent upcast;
    QStringList applied; ///< names of the steps applied, in order
    QString error;       ///< empty when every applicable step succeeded

    bool changed() const { return !applied.isEmpty() && error.isEmpty(); }
};

/// The upcasters in effect: at most one step per (type, from). On read, an event runs through
/// the step for (its type, its schema version), then the step for (type, that step's `to`),
/// and so on until no step applies. An event with no step passes unchanged (its bytes are
/// not even parsed).
class UpcasterChain {
public:
    UpcasterChain();
    ~UpcasterChain();

    /// Loads a rule file (.json, see upcasterrules.h) or a script (.js, see jsupcaster.h).
    /// Throws InvalidInput naming the file (and rule) when it cannot be used.
    static std::shared_ptr<UpcasterChain> fromFiles(const QStringList& paths);
    void addFile(const QString& path);

    /// Adds a step. Throws InvalidInput when another step already upcasts the same (type, from),
    /// naming both.
    void add(std::shared_ptr<const UpcastStep> step);

    bool isEmpty() const { return m_steps.empty(); }
    std::vector<std::shared_ptr<const UpcastStep>> steps() const;
    /// True when some step applies to the event as stored.
    bool applies(const RecordedEvent& event) const;
    /// The schema version an event of `type` stored at `schemaVersion` ends up at.
    int targetVersion(const QString& type, int schemaVersion) const;

    /// Upcasts events in place (in batches per step). Throws UpcastError for the first event
    /// that fails; `events` is then left unchanged.
    void upcast(std::vector<RecordedEvent>& events) const;
    RecordedEvent upcast(const RecordedEvent& event) const;

    /// Never throws: each event's outcome, with the error of the event that failed (other
    /// events of the same batch are still upcast).
    std::vector<UpcastOutcome> inspect(const std::vector<RecordedEvent>& events) const;

private:
    const UpcastStep* stepFor(const QString& type, int schemaVersion) const;
    std::map<std::pair<QString, int>, std::shared_ptr<const UpcastStep>> m_steps;
};

} // namespace chronoscope
