#pragma once

#include "sample/commands.h"

namespace chronoscope {

/// A starting point for a command's data in the publish dialog: every required field with an
/// example value (the "e.g." of its description, the first of listed choices, 1 for counts,
/// 100 for cents, "<category>-1" for a stream), and optional fields that have an example.
nlohmann::json commandTemplate(const sample::CommandSpec& spec);

/// The spec's fields as lines for a person: "sku (text, required): product code".
QString describeFields(const sample::CommandSpec& spec);

} // namespace chronoscope
