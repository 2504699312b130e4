#include "base/style.h"

#include <QLabel>
#include <QVariant>

namespace chronoscope::style {

namespace {
constexpr const char* ToneProperty = "chronoscopeTone";
}

QString hex(QRgb colour)
{
    return QColor(colour).name(QColor::HexRgb);
}

QString textColour(QRgb colour)
{
    return QStringLiteral("color: %1;").arg(hex(colour));
}

QString badge(QRgb background, QRgb text)
{
    return QStringLiteral("QLabel { background: %1; color: %2; border-radius: 3px; padding: 1px 6px; "
                          "font-weight: 600; }")
        .arg(hex(background), hex(text));
}

QString buttonBadge(QRgb background, QRgb text)
{
    return QStringLiteral("QToolButton { background: %1; color: %2; border-radius: 3px; padding: 1px 6px; "
                          "font-weight: 600; }")
        .arg(hex(background), hex(text));
}

void setTone(QLabel* label, Tone tone)
{
    label->setProperty(ToneProperty, int(tone));
    label->setStyleSheet(tone == Tone::Error ? textColour(ErrorText) : QString());
}

Tone tone(const QLabel* label)
{
    const QVariant value = label->property(ToneProperty);
    return value.isValid() ? Tone(value.toInt()) : Tone::Plain;
}

} // namespace chronoscope::style
