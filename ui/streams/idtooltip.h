#pragma once

#include <QString>

namespace chronoscope {

/// The tooltip of an id the views elide in the middle: the whole id, wrapped, and for a hostile
/// one (thousands of characters) its first 600 characters and its length.
QString idToolTip(const QString& id);

} // namespace chronoscope
