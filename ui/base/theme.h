#pragma once

#include <QObject>
#include <QPalette>
#include <QString>

namespace chronoscope::style {

/// View ▸ Theme: the system's palette and style, or Chronoscope's light or dark one (Fusion).
enum class Theme { System, Light, Dark };

/// "system", "light", "dark" (settings and the command line); nullopt-like System for others.
QString themeId(Theme theme);
bool themeFromId(const QString& id, Theme* theme);

/// The palette of the light or dark theme (System: the palette the program started with).
QPalette themePalette(Theme theme);

/// Applies a theme to the whole application: style, palette, and the colours set through
/// style sheets (setTone). ThemeNotifier::changed() follows.
void applyTheme(Theme theme);
Theme currentTheme();

/// The theme kept in the settings ("view/theme"); System when none or unknown.
Theme savedTheme();
void saveTheme(Theme theme);

/// Tells those who colour with style sheets that the theme changed.
class ThemeNotifier : public QObject {
    Q_OBJECT
public:
    static ThemeNotifier* instance();
Q_SIGNALS:
    void changed();
};

} // namespace chronoscope::style
