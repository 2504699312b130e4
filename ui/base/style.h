#pragma once

#include <QColor>
#include <QString>

#include <vector>

class QLabel;
class QWidget;

namespace chronoscope::style {

// The window's colours, named by what they mean: every colour a feature draws with is here, each
// in a light and a dark variant. Which one is used follows the palette in use (isDark()), so the
// same code reads in the light and the dark theme (ui/base/theme.h) and under a dark system palette.
enum class Colour {
    // Text of messages and outcomes, on the view's background.
    ErrorText,   ///< an input or an operation was refused
    FailureText, ///< something failed (a delivery, a publish)
    SuccessText, ///< stored, delivered, retried
    WarningText, ///< a conflict, a retry under way
    InfoText,    ///< published, waiting for consumers
    ParkedText,  ///< dead-lettered
    MutedText,   ///< skipped as a duplicate
    SkippedText, ///< a what-if skipped event
    // Status-bar badges: BadgeText on them unless said.
    NativeStoreBadge,
    ForeignStoreBadge,
    ReadWriteBadge,
    ReadOnlyBadge,
    ReadOnlyBadgeText,
    UpcastBadge,
    UpcastFailedBadge,
    PendingBadge, ///< "N new events" while not following
    BadgeText,
    // Backgrounds of rows, tree nodes and lines that changed, under the palette's text.
    PublishedRow, ///< a publish in the bus monitor
    AddedNode,
    ChangedNode,
    RemovedNode,
    ChangedInside, ///< a node whose children changed
    ErrorLine,     ///< the script line an error points at
    InvalidLine,   ///< the JSON line where parsing stopped
    // JSON Patch operations in diff tables (text).
    PatchAdd,
    PatchRemove,
    PatchReplace,
    // Projection status dots (graphics).
    ProjectionRunning,
    ProjectionFaulted,
    ProjectionStopped,
    Count
};

/// Whether the palette in use is dark (its window colour is): the dark variants are used then.
bool isDark();
/// The colour's variant for the palette in use, or for a light (`dark` false) or dark one.
QRgb rgb(Colour colour);
QRgb rgb(Colour colour, bool dark);
QColor colour(Colour colour);
/// The colour of chart series `index` (8 colours, repeating), for the palette in use or the one asked.
QColor seriesColour(int index);
QRgb seriesRgb(int index, bool dark);
inline constexpr int SeriesColours = 8;

/// "#rrggbb", for style sheets and rich text.
QString hex(Colour colour);
/// A style sheet giving text this colour.
QString textColour(Colour colour);
/// The style sheet of a status-bar badge: rounded, bold, coloured background.
QString badge(Colour background, Colour text = Colour::BadgeText);
/// The same for a status-bar button (clickable badge).
QString buttonBadge(Colour background, Colour text = Colour::BadgeText);

/// How a message label reads: plain, or as an error (ErrorText). The tone is kept on the label,
/// so code asks tone() instead of reading a style sheet back, and a change of theme recolours it.
enum class Tone { Plain, Error };
void setTone(QLabel* label, Tone tone);
Tone tone(const QLabel* label);
/// Colours again what setTone() coloured under `root` (after a change of theme).
void refreshTones(QWidget* root);

/// WCAG 2 contrast ratio of two colours, 1 to 21.
double contrastRatio(QRgb a, QRgb b);
/// One colour of the palette on what it is drawn on, and the least contrast it needs (4.5 for
/// text, 3 for graphics).
struct ContrastPair {
    QString what; ///< "SuccessText on the window", "chart series 3 on the chart"
    QRgb foreground;
    QRgb background;
    double minimum;
};
/// Every pair the window draws with the light (`dark` false) or dark palette of the themes.
std::vector<ContrastPair> contrastPairs(bool dark);

} // namespace chronoscope::style
