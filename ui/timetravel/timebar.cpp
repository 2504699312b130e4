#include "timetravel/timebar.h"

#include "base/style.h"
#include "help/shortcuts.h"
#include "store/recordedevent.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace chronoscope {

TimeBar::TimeBar(QWidget* parent)
    : QWidget(parent)
    , m_slider(new QSlider(Qt::Horizontal))
    , m_spin(new QSpinBox)
    , m_of(new QLabel)
    , m_first(new QToolButton)
    , m_previous(new QToolButton)
    , m_play(new QToolButton)
    , m_next(new QToolButton)
    , m_lastButton(new QToolButton)
    , m_speed(new QComboBox)
    , m_jump(new QLineEdit)
    , m_info(new QLabel)
    , m_message(new QLabel)
{
    setFocusPolicy(Qt::StrongFocus);
    // Listed by Help > Keyboard Shortcuts (handleKey() does them).
    setProperty(help::PanelKeysProperty,
        QStringList {tr("Left\tOne version back"), tr("Right\tOne version forward"),
            tr("Space\tPlay or pause the replay")});
    m_slider->setTracking(true);
    m_slider->setPageStep(10);
    m_slider->setToolTip(
        tr("Version of the stream: the state after that many events (Left/Right, Space plays)"));
    m_spin->setKeyboardTracking(false);
    m_spin->setAccelerated(true);
    m_spin->setPrefix(tr("v"));
    m_spin->setMinimumWidth(72);

    const auto setUpButton = [this](QToolButton* button, QStyle::StandardPixmap icon, const QString& tip) {
        button->setIcon(style()->standardIcon(icon));
        button->setToolTip(tip);
        button->setAutoRaise(true);
        button->setFocusPolicy(Qt::NoFocus);
    };
    setUpButton(m_first, QStyle::SP_MediaSkipBackward, tr("Initial state (version 0)"));
    setUpButton(m_previous, QStyle::SP_MediaSeekBackward, tr("One event back (Left)"));
    setUpButton(m_play, QStyle::SP_MediaPlay, tr("Play / pause (Space)"));
    setUpButton(m_next, QStyle::SP_MediaSeekForward, tr("One event forward (Right)"));
    setUpButton(m_lastButton, QStyle::SP_MediaSkipForward, tr("Current state (last version)"));
    m_play->setCheckable(true);

    for (int speed : {1, 5, 20, 100})
        m_speed->addItem(tr("%1 v/s").arg(speed), speed);
    m_speed->setCurrentIndex(1);
    m_speed->setToolTip(tr("Playback speed, in versions per second"));
    m_jump->setPlaceholderText(tr("Jump to version or time (e.g. 12, 2026-01-05T10:00:00Z)"));
    m_jump->setClearButtonEnabled(true);
    m_info->setTextFormat(Qt::PlainText);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->hide();

    auto* controls = new QHBoxLayout;
    controls->setSpacing(2);
    for (QToolButton* button : {m_first, m_previous, m_play, m_next, m_lastButton})
        controls->addWidget(button);
    controls->addWidget(m_slider, 1);
    controls->addSpacing(4);
    controls->addWidget(m_spin);
    controls->addWidget(m_of);

    auto* second = new QHBoxLayout;
    second->setSpacing(4);
    second->addWidget(m_speed);
    second->addWidget(m_jump, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addLayout(controls);
    layout->addLayout(second);
    layout->addWidget(m_info);
    layout->addWidget(m_message);

    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (m_spin->value() != value) {
            const QSignalBlocker blocker(m_spin);
            m_spin->setValue(value);
        }
        Q_EMIT versionChanged(value);
    });
    connect(m_spin, &QSpinBox::valueChanged, m_slider, &QSlider::setValue);
    connect(m_first, &QToolButton::clicked, this, [this] { setValue(0); });
    connect(m_previous, &QToolButton::clicked, this, [this] { step(-1); });
    connect(m_next, &QToolButton::clicked, this, [this] { step(1); });
    connect(m_lastButton, &QToolButton::clicked, this, [this] { setValue(last()); });
    connect(m_play, &QToolButton::toggled, this, &TimeBar::setPlaying);
    connect(m_speed, &QComboBox::currentIndexChanged, this,
        [this] { m_timer.setInterval(1000 / std::max(1, speed())); });
    connect(m_jump, &QLineEdit::returnPressed, this, [this] { jumpTo(m_jump->text()); });
    connect(&m_timer, &QTimer::timeout, this, &TimeBar::tick);
    m_timer.setInterval(1000 / speed());
    attachKeys(m_slider);
    setRange(0, 0);
}

void TimeBar::setRange(qint64 last, qint64 value)
{
    setPlaying(false);
    const QSignalBlocker blockSlider(m_slider);
    const QSignalBlocker blockSpin(m_spin);
    m_slider->setRange(0, int(last));
    m_spin->setRange(0, int(last));
    m_slider->setValue(int(std::clamp<qint64>(value, 0, last)));
    m_spin->setValue(m_slider->value());
    m_of->setText(tr("of %1").arg(last));
}

qint64 TimeBar::last() const
{
    return m_slider->maximum();
}

qint64 TimeBar::value() const
{
    return m_slider->value();
}

void TimeBar::setValue(qint64 version)
{
    m_slider->setValue(int(std::clamp<qint64>(version, 0, last())));
}

void TimeBar::setPlaying(bool playing)
{
    if (playing == isPlaying())
        return;
    if (playing) {
        if (value() >= last())
            setValue(0); // playing from the end starts over
        m_timer.start();
    } else {
        m_timer.stop();
    }
    {
        const QSignalBlocker blocker(m_play);
        m_play->setChecked(playing);
    }
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    Q_EMIT playingChanged(playing);
}

void TimeBar::setSpeed(int versionsPerSecond)
{
    const int index = m_speed->findData(versionsPerSecond);
    if (index >= 0) {
        m_speed->setCurrentIndex(index);
    } else {
        m_speed->addItem(tr("%1 v/s").arg(versionsPerSecond), versionsPerSecond);
        m_speed->setCurrentIndex(m_speed->count() - 1);
    }
}

int TimeBar::speed() const
{
    return m_speed->currentData().toInt();
}

void TimeBar::setInfo(const QString& text)
{
    m_info->setText(text);
}

QString TimeBar::info() const
{
    return m_info->text();
}

void TimeBar::setMessage(const QString& text, bool error)
{
    m_message->setText(text);
    style::setTone(m_message, error ? style::Tone::Error : style::Tone::Plain);
    m_message->setVisible(!text.isEmpty());
}

QString TimeBar::message() const
{
    return m_message->text();
}

void TimeBar::tick()
{
    if (value() >= last()) {
        setPlaying(false);
        return;
    }
    step(1);
}

void TimeBar::attachKeys(QWidget* widget)
{
    widget->installEventFilter(this);
}

void TimeBar::jumpTo(const QString& input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return;
    static const QRegularExpression versionPattern(QStringLiteral("^[vV]?(\\d+)$"));
    if (const auto match = versionPattern.match(text); match.hasMatch()) {
        const qint64 version = match.captured(1).toLongLong();
        if (version > last()) {
            setMessage(
                tr("Version %1 does not exist: the stream has versions 0 to %2.").arg(version).arg(last()),
                true);
            return;
        }
        setMessage({}, false);
        setValue(version);
        return;
    }
    if (const auto ms = parseTimestamp(text)) {
        setMessage({}, false);
        Q_EMIT jumpToTimeRequested(*ms);
        return;
    }
    setMessage(
        tr("'%1' is neither a version number nor an ISO-8601 time such as 2026-01-05T10:00:00Z.").arg(text),
        true);
}

bool TimeBar::handleKey(QKeyEvent* event)
{
    if (event->modifiers() & ~Qt::KeypadModifier)
        return false;
    switch (event->key()) {
    case Qt::Key_Left:
        step(-1);
        return true;
    case Qt::Key_Right:
        step(1);
        return true;
    case Qt::Key_Space:
        setPlaying(!isPlaying());
        return true;
    default:
        return false;
    }
}

bool TimeBar::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::KeyPress && handleKey(static_cast<QKeyEvent*>(event)))
        return true;
    return QWidget::eventFilter(watched, event);
}

void TimeBar::keyPressEvent(QKeyEvent* event)
{
    if (!handleKey(event))
        QWidget::keyPressEvent(event);
}

} // namespace chronoscope
