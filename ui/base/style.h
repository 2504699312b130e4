#pragma once

#include <QColor>
#include <QString>

class QLabel;

namespace chronoscope::style {

// The window's colours, named by what they mean: every colour a feature draws with is here.

/// Text colours of messages and outcomes.
inline constexpr QRgb ErrorText = 0xb00020;   ///< an input or an operation was refused
inline constexpr QRgb FailureText = 0xc62828; ///< something failed (a delivery, a publish)
inline constexpr QRgb SuccessText = 0x2e7d32; ///< stored, delivered, retried
inline constexpr QRgb WarningText = 0xb26a00; ///< a conflict, a retry under way
inline constexpr QRgb InfoText = 0x1565c0;    ///< published, waiting for consumers
inline constexpr QRgb ParkedText = 0x8e0000;  ///< dead-lettered
inline constexpr QRgb MutedText = 0x757575;   ///< skipped as a duplicate
inline constexpr QRgb SkippedText = 0x999999; ///< a what-if skipped event

/// Status-bar badges (white text unless said).
inline constexpr QRgb NativeStoreBadge = 0x1f5fa8;
inline constexpr QRgb ForeignStoreBadge = 0x4b5563;
inline constexpr QRgb ReadWriteBadge = 0x2e7d32;
inline constexpr QRgb ReadOnlyBadge = 0xf0b429;
inline constexpr QRgb ReadOnlyBadgeText = 0x3b2a00;
inline constexpr QRgb UpcastBadge = 0x6a4c93;
inline constexpr QRgb UpcastFailedBadge = 0xb00020;
inline constexpr QRgb PendingBadge = 0xa8400a; ///< "N new events" while not following

/// Backgrounds: rows, tree nodes and lines that changed.
inline constexpr QRgb PublishedRow = 0xeaf1fb; ///< a publish in the bus monitor
inline constexpr QRgb AddedNode = 0xc8f0c8;
inline constexpr QRgb ChangedNode = 0xffe79c;
inline constexpr QRgb RemovedNode = 0xf6c4c4;
inline constexpr QRgb ChangedInside = 0xfcf6e2; ///< a node whose children changed
inline constexpr QRgb ErrorLine = 0xf8d0d0;     ///< the script line an error points at
inline constexpr QRgb InvalidLine = 0xfde0e0;   ///< the JSON line where parsing stopped

/// JSON Patch operations in diff tables.
inline constexpr QRgb PatchAdd = 0x1b7a1b;
inline constexpr QRgb PatchRemove = 0xb00020;
inline constexpr QRgb PatchReplace = 0x9a6000;

/// Projection status dots.
inline constexpr QRgb ProjectionRunning = 0x2e9d4f;
inline constexpr QRgb ProjectionFaulted = 0xc62828;
inline constexpr QRgb ProjectionStopped = 0x909090;

/// "#rrggbb", for style sheets and rich text.
QString hex(QRgb colour);
/// A style sheet giving text this colour.
QString textColour(QRgb colour);
/// The style sheet of a status-bar badge: rounded, bold, coloured background.
QString badge(QRgb background, QRgb text = 0xffffff);
/// The same for a status-bar button (clickable badge).
QString buttonBadge(QRgb background, QRgb text = 0xffffff);

/// How a message label reads: plain, or as an error (ErrorText). The tone is kept on the label,
/// so code asks tone() instead of reading a style sheet back.
enum class Tone { Plain, Error };
void setTone(QLabel* label, Tone tone);
Tone tone(const QLabel* label);

} // namespace chronoscope::style
