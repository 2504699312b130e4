#include "schema/schemavalidation.h"

namespace chronoscope {

namespace {
constexpr qint64 PageSize = 1000;
} // namespace

void validateEvent(const SchemaRegistry& registry, const RecordedEvent& e, SchemaValidationResult& result)
{
    ++result.checked;
    const auto outcome = registry.validate(e);
    switch (outcome.status) {
    case SchemaCheck::Status::Valid:
        ++result.valid;
        return;
    case SchemaCheck::Status::NoSchema:
        ++result.noSchema;
        return;
    case SchemaCheck::Status::Invalid:
        ++result.invalid;
        for (const auto& v : outcome.violations) {
            if (result.violations.size() >= SchemaValidationResult::MaxViolations) {
                result.truncated = true;
                return;
            }
            result.violations.push_back({e.position, e.stream, e.version, e.type, e.schemaVersion,
                outcome.schemaOrigin, v.pointer, v.message});
        }
        return;
    }
}

SchemaValidationResult validateEvents(const std::shared_ptr<EventStore>& store,
    const std::shared_ptr<const SchemaRegistry>& registry, const std::optional<StreamId>& stream,
    const QString& type, const std::function<bool()>& cancelled)
{
    SchemaValidationResult result;
    std::int64_t from = 1;
    EventFilter filter;
    if (!type.isEmpty())
        filter.types = QStringList {type};
    while (!cancelled()) {
        const auto page = stream ? store->readStream(*stream, Version(from), PageSize)
                                 : store->readAll(Position(from), PageSize, filter);
        for (const auto& e : page)
            validateEvent(*registry, e, result);
        if (qint64(page.size()) < PageSize)
            break;
        from = (stream ? page.back().version.value : page.back().position.value) + 1;
    }
    return result;
}
} // namespace chronoscope
