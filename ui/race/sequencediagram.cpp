#include "race/sequencediagram.h"

#include "base/style.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace chronoscope {

using race::Outcome;
using race::RaceStep;
using race::StepKind;
using race::Writer;

namespace {
constexpr int HeaderHeight = 26;
constexpr int RowHeight = 44;
constexpr int LostHeight = 18;
constexpr int NumberWidth = 28;
constexpr int Margin = 6;

QString v(Version version)
{
    return QStringLiteral("v%1").arg(version.value);
}
} // namespace

SequenceDiagram::SequenceDiagram(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("raceDiagram"));
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setMouseTracking(true);
}

void SequenceDiagram::setSteps(const std::vector<RaceStep>& steps, const QString& stream)
{
    m_steps = steps;
    m_stream = stream;
    updateGeometry();
    update();
}

QString SequenceDiagram::label(int index) const
{
    if (index < 0 || index >= stepCount())
        return {};
    const RaceStep& step = m_steps[size_t(index)];
    const QString expected = step.expected ? step.expected->toString() : QString();
    const QString expectedText
        = expected == QLatin1String("any") ? tr("expected any") : tr("expected v%1").arg(expected);
    switch (step.kind) {
    case StepKind::Load:
        return tr("read %1").arg(v(step.loaded));
    case StepKind::Append:
        return tr("append %1").arg(expectedText);
    case StepKind::Retry:
        return tr("retry: read %1, append %2").arg(v(step.loaded), expectedText);
    }
    return {};
}

QString SequenceDiagram::result(int index) const
{
    if (index < 0 || index >= stepCount())
        return {};
    const RaceStep& step = m_steps[size_t(index)];
    switch (step.outcome) {
    case Outcome::Loaded:
        return {};
    case Outcome::Appended:
        if (step.events.empty())
            return tr("✓ no event decided");
        return step.lost ? tr("✓ %1 — last write wins").arg(v(step.events.back().version))
                         : tr("✓ %1 %2").arg(v(step.events.back().version), step.events.back().type);
    case Outcome::Conflict:
        return tr("✗ WrongExpectedVersion (at %1)").arg(v(step.actual));
    case Outcome::Rejected:
        return tr("✗ rejected by the cart's rules (decided on %1)").arg(v(step.loaded));
    }
    return {};
}

QString SequenceDiagram::lostLine(int index) const
{
    if (index < 0 || index >= stepCount() || !m_steps[size_t(index)].lost)
        return {};
    const race::LostUpdate& lost = *m_steps[size_t(index)].lost;
    QStringList missed;
    for (std::size_t i = 0; i < lost.missed.size() && i < 3; ++i) {
        const QString& by = lost.missedBy[i];
        missed << (by.isEmpty() ? tr("%1 (%2)").arg(lost.missed[i].type, v(lost.missed[i].version))
                                : tr("%1's %2 (%3)").arg(by, lost.missed[i].type, v(lost.missed[i].version)));
    }
    if (lost.missed.size() > 3)
        missed << tr("%n more", nullptr, int(lost.missed.size() - 3));
    return tr("lost update: decided on %1, did not see %2")
        .arg(v(lost.decidedOn), missed.join(QStringLiteral(", ")));
}

int SequenceDiagram::rowHeight(int index) const
{
    return RowHeight + (m_steps[size_t(index)].lost ? LostHeight : 0);
}

QRect SequenceDiagram::rowRect(int index) const
{
    if (index < 0 || index >= stepCount())
        return {};
    int y = Margin + HeaderHeight;
    for (int i = 0; i < index; ++i)
        y += rowHeight(i);
    return {Margin, y, width() - 2 * Margin, rowHeight(index)};
}

int SequenceDiagram::laneX(int lane) const
{
    const int left = Margin + NumberWidth;
    const int span = width() - left - Margin;
    return left + span * (2 * lane + 1) / 6;
}

QSize SequenceDiagram::sizeHint() const
{
    int height = 2 * Margin + HeaderHeight;
    for (int i = 0; i < stepCount(); ++i)
        height += rowHeight(i);
    return {560, std::max(height, 160)};
}

QSize SequenceDiagram::minimumSizeHint() const
{
    return {380, sizeHint().height()};
}

int SequenceDiagram::indexAt(const QPoint& pos) const
{
    for (int i = 0; i < stepCount(); ++i)
        if (rowRect(i).contains(pos))
            return i;
    return -1;
}

void SequenceDiagram::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    const QColor text = pal.color(QPalette::Text);
    // Lane titles and lifelines.
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    const QString titles[3] = {tr("Writer A"), m_stream.isEmpty() ? tr("stream") : m_stream, tr("Writer B")};
    const int laneWidth = (width() - 2 * Margin - NumberWidth) / 3;
    for (int lane = 0; lane < 3; ++lane) {
        const int x = laneX(lane);
        const QRect title(x - laneWidth / 2 + 2, Margin, laneWidth - 4, HeaderHeight - 4);
        painter.setPen(Qt::NoPen);
        painter.setBrush(lane == 1 ? pal.color(QPalette::Button) : pal.color(QPalette::AlternateBase));
        painter.drawRoundedRect(title, 4, 4);
        painter.setPen(lane == 1 ? pal.color(QPalette::ButtonText) : text);
        painter.drawText(title, Qt::AlignCenter,
            QFontMetrics(bold).elidedText(titles[lane], Qt::ElideMiddle, title.width() - 6));
        painter.setPen(
            QPen(pal.color(QPalette::Mid), lane == 1 ? 3 : 1, lane == 1 ? Qt::SolidLine : Qt::DashLine));
        painter.drawLine(x, Margin + HeaderHeight, x, height() - Margin);
    }
    painter.setFont(font());
    if (m_steps.empty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(0, HeaderHeight + Margin, 0, 0), Qt::AlignCenter | Qt::TextWordWrap,
            tr("No steps yet: let A and B load the stream, then append."));
        return;
    }
    const QFontMetrics fm(font());
    for (int i = 0; i < stepCount(); ++i) {
        const RaceStep& step = m_steps[size_t(i)];
        const QRect row = rowRect(i);
        if (step.lost)
            painter.fillRect(row, style::colour(style::Colour::ChangedNode));
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(
            QRect(row.x(), row.y(), NumberWidth, RowHeight), Qt::AlignCenter, QString::number(i + 1));

        const int writerX = laneX(step.writer == Writer::A ? 0 : 2);
        const int streamX = laneX(1);
        const bool load = step.kind == StepKind::Load;
        const int from = load ? streamX : writerX;
        const int to = load ? writerX : streamX;
        const int y = row.y() + 22;
        QColor colour = text;
        if (step.outcome == Outcome::Conflict)
            colour = style::colour(style::Colour::WarningText);
        else if (step.outcome == Outcome::Rejected)
            colour = style::colour(style::Colour::ErrorText);
        const bool refused = step.outcome == Outcome::Conflict || step.outcome == Outcome::Rejected;
        painter.setPen(QPen(colour, 1.6, refused ? Qt::DashLine : Qt::SolidLine));
        painter.drawLine(from, y, to, y);
        const int dir = to > from ? 1 : -1;
        QPolygonF head;
        head << QPointF(to, y) << QPointF(to - dir * 8, y - 4) << QPointF(to - dir * 8, y + 4);
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        painter.drawPolygon(head);
        if (refused) { // a cross where the stream refused it
            painter.setPen(QPen(colour, 2));
            painter.drawLine(to - 5, y - 5, to + 5, y + 5);
            painter.drawLine(to - 5, y + 5, to + 5, y - 5);
        }
        // The label above the arrow, the result under it, centred in the writer's half of the
        // diagram (a long label may reach past the writer's lifeline).
        const int left = step.writer == Writer::A ? Margin + NumberWidth : streamX + 4;
        const int right = step.writer == Writer::A ? streamX - 4 : width() - Margin;
        const int span = right - left;
        painter.setPen(text);
        painter.drawText(QRect(left, row.y() + 2, span, 18), Qt::AlignCenter,
            fm.elidedText(label(i), Qt::ElideRight, span));
        const QString res = result(i);
        if (!res.isEmpty()) {
            QColor resultColour = colour;
            if (step.outcome == Outcome::Appended)
                resultColour
                    = style::colour(step.lost ? style::Colour::WarningText : style::Colour::SuccessText);
            painter.setPen(resultColour);
            painter.drawText(
                QRect(left, y + 3, span, 18), Qt::AlignCenter, fm.elidedText(res, Qt::ElideRight, span));
        }
        const QString lost = lostLine(i);
        if (!lost.isEmpty()) {
            painter.setPen(text);
            const QRect line(
                row.x() + NumberWidth, row.y() + RowHeight - 2, row.width() - NumberWidth - 4, LostHeight);
            painter.drawText(
                line, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(lost, Qt::ElideRight, line.width()));
        }
    }
}

bool SequenceDiagram::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int index = indexAt(help->pos());
        if (index < 0) {
            QToolTip::hideText();
            return true;
        }
        QToolTip::showText(help->globalPos(), m_steps[size_t(index)].message, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace chronoscope
