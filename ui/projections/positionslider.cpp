#include "projections/positionslider.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>

namespace chronoscope {

namespace {
// QSlider works on int: positions past INT_MAX are not reachable (a store that big is not expected).
int toInt(qint64 v)
{
    return int(std::clamp<qint64>(v, 0, std::numeric_limits<int>::max()));
}
} // namespace

PositionSlider::PositionSlider(QWidget* parent)
    : QWidget(parent)
    , m_slider(new QSlider(Qt::Horizontal))
    , m_spin(new QSpinBox)
    , m_liveButton(new QToolButton)
    , m_label(new QLabel)
{
    auto* title = new QLabel(tr("As of position"));
    m_slider->setToolTip(tr("Every projection and chart as of this global position"));
    m_slider->setTracking(true);
    m_spin->setKeyboardTracking(false);
    m_spin->setAccelerated(true);
    m_liveButton->setText(tr("Live"));
    m_liveButton->setCheckable(true);
    m_liveButton->setChecked(true);
    m_liveButton->setToolTip(tr("Follow the end of the log as events are appended"));
    m_label->setTextFormat(Qt::PlainText);
    m_label->setMinimumWidth(fontMetrics().horizontalAdvance(
        QStringLiteral("position 0,000,000 of 0,000,000 \u00b7 2026-01-05 10:00:00.000Z")));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_spin);
    layout->addWidget(m_liveButton);
    layout->addWidget(m_label);

    connect(m_slider, &QSlider::valueChanged, this, &PositionSlider::onSliderMoved);
    connect(m_spin, &QSpinBox::valueChanged, this, [this](int value) { setPosition(Position(value)); });
    connect(m_liveButton, &QToolButton::toggled, this, &PositionSlider::setLive);
    setStore(nullptr);
}

PositionSlider::~PositionSlider() = default;

void PositionSlider::setStore(std::shared_ptr<const EventStore> store)
{
    m_store = std::move(store);
    m_live = true;
    setLastPosition(m_store ? m_store->summary().lastPosition : Position(0));
    setEnabled(m_store != nullptr);
    {
        const QSignalBlocker blocker(m_liveButton);
        m_liveButton->setChecked(true);
    }
    updateLabel();
}

void PositionSlider::setLastPosition(Position last)
{
    m_last = last;
    const QSignalBlocker a(m_slider);
    const QSignalBlocker b(m_spin);
    m_slider->setRange(0, toInt(last.value));
    m_slider->setPageStep(std::max(1, toInt(last.value / 20)));
    m_spin->setRange(0, toInt(last.value));
    if (m_live) {
        m_slider->setValue(m_slider->maximum());
        m_spin->setValue(m_spin->maximum());
    }
    updateLabel();
}

void PositionSlider::onSliderMoved(int value)
{
    setPosition(Position(value));
}

void PositionSlider::setPosition(Position position)
{
    position = std::clamp(position, Position(0), m_last);
    const bool changed = m_live || position != m_chosen;
    m_live = false;
    m_chosen = position;
    {
        const QSignalBlocker a(m_slider);
        const QSignalBlocker b(m_spin);
        const QSignalBlocker c(m_liveButton);
        m_slider->setValue(toInt(position.value));
        m_spin->setValue(toInt(position.value));
        m_liveButton->setChecked(false);
    }
    if (changed) {
        updateLabel();
        emitChoice();
    }
}

void PositionSlider::setLive(bool live)
{
    if (live == m_live)
        return;
    m_live = live;
    {
        const QSignalBlocker a(m_slider);
        const QSignalBlocker b(m_spin);
        const QSignalBlocker c(m_liveButton);
        m_liveButton->setChecked(live);
        if (live) {
            m_slider->setValue(m_slider->maximum());
            m_spin->setValue(m_spin->maximum());
        }
    }
    updateLabel();
    emitChoice();
}

std::optional<Position> PositionSlider::position() const
{
    if (m_live)
        return std::nullopt;
    return m_chosen;
}

QString PositionSlider::labelText() const
{
    return m_label->text();
}

void PositionSlider::emitChoice()
{
    Q_EMIT positionChanged(position());
}

void PositionSlider::updateLabel()
{
    m_labelJobs.reset(); // the label has moved on
    const Position shown = m_live ? m_last : m_chosen;
    const QString where = m_live
        ? tr("live \u00b7 position %1").arg(QLocale().toString(shown.value))
        : tr("position %1 of %2").arg(QLocale().toString(shown.value), QLocale().toString(m_last.value));
    m_label->setText(where);
    if (!m_store || shown.value <= 0) {
        if (m_store)
            m_label->setText(tr("position 0 \u00b7 before the first event"));
        return;
    }
    // The timestamp comes from the store: read it off the GUI thread.
    m_labelJobs.startJob(
        [store = m_store, shown](const JobCancelled&) {
            const auto event = store->readAt(shown);
            return event ? std::optional<qint64>(event->timestampMs) : std::nullopt;
        },
        [this, where, shown](JobResult<std::optional<qint64>> stamp) {
            if (stamp.ok() && *stamp.value)
                m_label->setText(where + QStringLiteral(" \u00b7 ") + formatTimestamp(**stamp.value));
            else if (!stamp.ok())
                m_label->setText(where + QStringLiteral(" \u00b7 ") + stamp.error);
            Q_EMIT timestampShown(shown);
        });
}

} // namespace chronoscope
