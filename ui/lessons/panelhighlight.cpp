#include "lessons/panelhighlight.h"

#include <QEvent>
#include <QPainter>
#include <QTimer>

namespace chronoscope {

PanelHighlight::PanelHighlight(QWidget* target)
    : QWidget(target)
    , m_target(target)
{
    setObjectName(QStringLiteral("panelHighlight"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    setFocusPolicy(Qt::NoFocus);
    setGeometry(target->rect());
    target->installEventFilter(this);
    // Blinks: shown, hidden, shown, hidden, then stays until the end.
    auto* blink = new QTimer(this);
    blink->setInterval(350);
    connect(blink, &QTimer::timeout, this, [this, blink] {
        setVisible(!isVisible());
        if (++m_ticks >= 4) {
            setVisible(true);
            blink->stop();
        }
    });
    blink->start();
}

PanelHighlight* PanelHighlight::on(const QWidget* target)
{
    return target
        ? target->findChild<PanelHighlight*>(QStringLiteral("panelHighlight"), Qt::FindDirectChildrenOnly)
        : nullptr;
}

PanelHighlight* PanelHighlight::flash(QWidget* target, int ms)
{
    if (!target)
        return nullptr;
    delete on(target);
    auto* outline = new PanelHighlight(target);
    outline->show();
    outline->raise();
    QTimer::singleShot(ms, outline, &QObject::deleteLater);
    return outline;
}

bool PanelHighlight::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_target && (event->type() == QEvent::Resize || event->type() == QEvent::ChildAdded)) {
        setGeometry(m_target->rect());
        raise();
    }
    return QWidget::eventFilter(watched, event);
}

void PanelHighlight::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QPen pen(palette().color(QPalette::Highlight), 4);
    painter.setPen(pen);
    painter.drawRoundedRect(QRectF(rect()).adjusted(2, 2, -2, -2), 6, 6);
}

} // namespace chronoscope
