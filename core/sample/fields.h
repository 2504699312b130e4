#pragma once

// Reading fields of JSON payloads and command data with errors that name the field.
// Private to the sample domain.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace chronoscope::sample::detail {

/// A field is missing or of the wrong type; what() names it.
class FieldError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline const nlohmann::json& field(const nlohmann::json& object, const char* name)
{
    if (!object.is_object())
        throw FieldError(
            std::string("expected a JSON object with field '") + name + "', got " + object.type_name());
    const auto it = object.find(name);
    if (it == object.end())
        throw FieldError(std::string("field '") + name + "' is missing");
    return *it;
}

inline std::int64_t intField(const nlohmann::json& object, const char* name)
{
    const auto& value = field(object, name);
    if (!value.is_number_integer())
        throw FieldError(std::string("field '") + name + "' must be an integer, got " + value.dump());
    return value.get<std::int64_t>();
}

inline const std::string& stringField(const nlohmann::json& object, const char* name)
{
    const auto& value = field(object, name);
    if (!value.is_string())
        throw FieldError(std::string("field '") + name + "' must be a string, got " + value.dump());
    return value.get_ref<const std::string&>();
}

/// The string field, or `fallback` when it is absent or null.
inline std::string optionalString(
    const nlohmann::json& object, const char* name, const std::string& fallback = {})
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(name);
    if (it == object.end() || it->is_null())
        return fallback;
    if (!it->is_string())
        throw FieldError(std::string("field '") + name + "' must be a string, got " + it->dump());
    return it->get<std::string>();
}

} // namespace chronoscope::sample::detail
