#pragma once

#include <QPointer>
#include <QWidget>

namespace chronoscope {

/// "Look here": an outline drawn over a panel for a few seconds (a lesson step's "highlight"),
/// in the palette's highlight colour, blinking twice, letting every click through.
class PanelHighlight : public QWidget {
    Q_OBJECT
public:
    /// Outlines `target` for `ms` milliseconds (an outline already there starts again).
    static PanelHighlight* flash(QWidget* target, int ms = 4000);
    /// The outline on `target` now, if any (tests).
    static PanelHighlight* on(const QWidget* target);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    explicit PanelHighlight(QWidget* target);
    QPointer<QWidget> m_target;
    int m_ticks = 0;
};

} // namespace chronoscope
