#pragma once

#include "upcast/upcaster.h"

namespace chronoscope::upcasterrules {

/// Declarative upcasters from a JSON rule file: an array (or {"upcasters": [...]}) of
///   {"type": "ItemAdded", "from": 1, "to": 2, "ops": [ ... ]}
/// whose ops run in order on the payload; paths are JSON Pointers (RFC 6901):
///   {"op": "rename", "from": "/qty", "to": "/quantity"}      same parent, new name
///   {"op": "move",   "from": "/price", "to": "/pricing/amount"}  anywhere; parents are created
///   {"op": "add",    "path": "/currency", "default": "EUR"}    only when the member is missing
///   {"op": "remove", "path": "/legacy"}
///   {"op": "retype", "path": "/quantity", "to": "integer",    "string", "number", "integer"
///                    "round": "floor", "default": 0}            or "boolean"
/// A rename, move, remove or retype of a member that is missing does nothing (old events may
/// lack optional members); a rename or move onto a member that exists fails rather than lose
/// data. retype keeps null as null; a value that cannot be converted fails unless "default" is
/// given; "round" (floor, ceil, nearest, truncate) lets "integer" accept fractions.
/// Throws InvalidInput naming the file, rule index and op index when the file is wrong.
std::vector<std::shared_ptr<const UpcastStep>> loadFile(const QString& path);
std::vector<std::shared_ptr<const UpcastStep>> parse(const QByteArray& json, const QString& fileName);

} // namespace chronoscope::upcasterrules
