#pragma once

class QWidget;

namespace chronoscope {

/// Keeps a top-level window inside its screen's available geometry: its maximum size becomes
/// what the screen can show (less the frame), a larger window is shrunk and an off-screen one
/// moved back. Called when the window is shown and whenever it moves to another screen.
void fitToScreen(QWidget* window);

} // namespace chronoscope
