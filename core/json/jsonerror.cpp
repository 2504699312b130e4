#include "json/jsonerror.h"

namespace chronoscope::jsonerror {

QString text(const nlohmann::json::exception& e)
{
    auto message = QString::fromUtf8(e.what());
    const auto bracket = message.indexOf(QLatin1String("] "));
    return message.startsWith(QLatin1Char('[')) && bracket > 0 ? message.mid(bracket + 2) : message;
}

std::optional<std::size_t> byte(const nlohmann::json::exception& e)
{
    if (const auto* parse = dynamic_cast<const nlohmann::json::parse_error*>(&e))
        return parse->byte;
    return std::nullopt;
}

} // namespace chronoscope::jsonerror
