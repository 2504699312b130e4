#include "story/storylanes.h"

#include "story/story.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <cmath>

namespace chronoscope {

namespace {
constexpr int LaneWidth = 150;
constexpr int RowHeight = 30;
constexpr int HeaderHeight = 26;
constexpr int NodeHeight = 22;
constexpr int Margin = 6;
} // namespace

StoryLanes::StoryLanes(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("storyLanes"));
    setMouseTracking(true);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void StoryLanes::setStory(const Story* story)
{
    m_story = story;
    m_lanes.clear();
    m_laneOf.clear();
    m_selected = -1;
    if (story) {
        for (const RecordedEvent& event : story->events) {
            const QString stream = event.stream.toString();
            qsizetype lane = m_lanes.indexOf(stream);
            if (lane < 0) {
                lane = m_lanes.size();
                m_lanes << stream;
            }
            m_laneOf.push_back(int(lane));
        }
    }
    updateGeometry();
    resize(sizeHint());
    update();
}

void StoryLanes::setSelected(int index)
{
    m_selected = index;
    update();
}

QSize StoryLanes::sizeHint() const
{
    const int rows = m_story ? int(m_story->events.size()) : 0;
    return {std::max(1, int(m_lanes.size())) * LaneWidth + 2 * Margin,
        HeaderHeight + rows * RowHeight + 2 * Margin};
}

QSize StoryLanes::minimumSizeHint() const
{
    return sizeHint();
}

QRect StoryLanes::nodeRect(int index) const
{
    if (!m_story || index < 0 || index >= int(m_laneOf.size()))
        return {};
    const int x = Margin + m_laneOf[size_t(index)] * LaneWidth + 8;
    const int y = Margin + HeaderHeight + index * RowHeight + (RowHeight - NodeHeight) / 2;
    return {x, y, LaneWidth - 16, NodeHeight};
}

int StoryLanes::indexAt(const QPoint& pos) const
{
    if (!m_story)
        return -1;
    const int row = (pos.y() - Margin - HeaderHeight) / RowHeight;
    if (pos.y() < Margin + HeaderHeight || row < 0 || row >= int(m_story->events.size()))
        return -1;
    return nodeRect(row).contains(pos) ? row : -1;
}

void StoryLanes::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    if (!m_story || m_story->events.empty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No story shown."));
        return;
    }
    // Lanes: alternate backgrounds, the stream's name on top.
    const int height = this->height();
    for (int lane = 0; lane < int(m_lanes.size()); ++lane) {
        const QRect column(Margin + lane * LaneWidth, Margin, LaneWidth, height - 2 * Margin);
        if (lane % 2 == 1)
            painter.fillRect(column, pal.color(QPalette::AlternateBase));
        painter.setPen(pal.color(QPalette::Text));
        QFont bold = font();
        bold.setBold(true);
        painter.setFont(bold);
        const QRect header(column.x() + 4, column.y(), LaneWidth - 8, HeaderHeight);
        painter.drawText(header, Qt::AlignCenter,
            fontMetrics().elidedText(m_lanes[lane], Qt::ElideMiddle, header.width()));
    }
    painter.setFont(font());
    // Arrows from each cause to what it caused.
    QPen edge(pal.color(QPalette::Mid), 1.5);
    for (int i = 0; i < int(m_story->events.size()); ++i) {
        const int parent = m_story->parent[size_t(i)];
        if (parent < 0)
            continue;
        const QRect from = nodeRect(parent);
        const QRect to = nodeRect(i);
        const QPointF start(from.center().x(), from.bottom());
        const QPointF end(to.left() + 12, to.top());
        QPainterPath path(start);
        path.cubicTo(QPointF(start.x(), end.y() - 8), QPointF(end.x(), start.y() + 8), end);
        edge.setColor(i == m_selected || parent == m_selected ? pal.color(QPalette::Highlight)
                                                              : pal.color(QPalette::Mid));
        painter.setPen(edge);
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(path);
        // The arrow head, pointing down into the child.
        QPolygonF head;
        head << end << QPointF(end.x() - 4, end.y() - 7) << QPointF(end.x() + 4, end.y() - 7);
        painter.setBrush(edge.color());
        painter.drawPolygon(head);
    }
    // The events.
    for (int i = 0; i < int(m_story->events.size()); ++i) {
        const RecordedEvent& event = m_story->events[size_t(i)];
        const QRect box = nodeRect(i);
        const bool selected = i == m_selected;
        const bool root = m_story->parent[size_t(i)] < 0;
        painter.setPen(
            QPen(selected ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), selected ? 2 : 1));
        painter.setBrush(selected ? pal.color(QPalette::Highlight) : pal.color(QPalette::Button));
        painter.drawRoundedRect(box, 4, 4);
        painter.setPen(selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::ButtonText));
        QFont f = font();
        f.setBold(root);
        painter.setFont(f);
        const QString text = QStringLiteral("%1 · v%2").arg(event.type).arg(event.version.value);
        painter.drawText(box.adjusted(6, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft,
            QFontMetrics(f).elidedText(text, Qt::ElideRight, box.width() - 10));
    }
}

void StoryLanes::mousePressEvent(QMouseEvent* event)
{
    const int index = indexAt(event->position().toPoint());
    if (index >= 0) {
        setSelected(index);
        Q_EMIT eventClicked(index);
    }
    QWidget::mousePressEvent(event);
}

bool StoryLanes::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && m_story) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int index = indexAt(help->pos());
        if (index < 0) {
            QToolTip::hideText();
            return true;
        }
        const RecordedEvent& e = m_story->events[size_t(index)];
        QToolTip::showText(help->globalPos(),
            tr("%1 · %2 v%3 · position %4 · +%5 ms")
                .arg(e.type, e.stream.toString())
                .arg(e.version.value)
                .arg(e.position.value)
                .arg(m_story->offsetMs(index)),
            this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace chronoscope
