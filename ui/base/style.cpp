#include "base/style.h"

#include "base/theme.h"

#include <QGuiApplication>
#include <QLabel>
#include <QPalette>
#include <QVariant>
#include <QWidget>

#include <algorithm>
#include <array>
#include <cmath>

namespace chronoscope::style {

namespace {

constexpr const char* ToneProperty = "chronoscopeTone";

struct Variants {
    QRgb light;
    QRgb dark;
};

// One table for the whole window, in the order of Colour.
constexpr std::array<Variants, size_t(Colour::Count)> Palette {{
    {0xb00020, 0xff8a80}, // ErrorText
    {0xc62828, 0xff8a80}, // FailureText
    {0x276b2b, 0x81c784}, // SuccessText
    {0x8a5300, 0xffb74d}, // WarningText
    {0x1565c0, 0x64b5f6}, // InfoText
    {0x8e0000, 0xff7070}, // ParkedText
    {0x616161, 0xa8acb0}, // MutedText
    {0x666666, 0x9a9ea3}, // SkippedText
    {0x1f5fa8, 0x1f5fa8}, // NativeStoreBadge
    {0x4b5563, 0x4b5563}, // ForeignStoreBadge
    {0x2e7d32, 0x2e7d32}, // ReadWriteBadge
    {0xf0b429, 0xf0b429}, // ReadOnlyBadge
    {0x3b2a00, 0x3b2a00}, // ReadOnlyBadgeText
    {0x6a4c93, 0x6a4c93}, // UpcastBadge
    {0xb00020, 0xb00020}, // UpcastFailedBadge
    {0xa8400a, 0xa8400a}, // PendingBadge
    {0xffffff, 0xffffff}, // BadgeText
    {0xeaf1fb, 0x1f3048}, // PublishedRow
    {0xc8f0c8, 0x1e4a24}, // AddedNode
    {0xffe79c, 0x5a4800}, // ChangedNode
    {0xf6c4c4, 0x5e2020}, // RemovedNode
    {0xfcf6e2, 0x3a3422}, // ChangedInside
    {0xf8d0d0, 0x5a1e22}, // ErrorLine
    {0xfde0e0, 0x4c1e22}, // InvalidLine
    {0x1b7a1b, 0x7ed67e}, // PatchAdd
    {0xb00020, 0xff8a80}, // PatchRemove
    {0x8a5600, 0xf0c060}, // PatchReplace
    {0x2e9d4f, 0x4cc26e}, // ProjectionRunning
    {0xc62828, 0xff6b6b}, // ProjectionFaulted
    {0x909090, 0x8d9296}, // ProjectionStopped
}};

constexpr std::array<Variants, SeriesColours> Series {{
    {0x1f77b4, 0x6baed6},
    {0xc2410c, 0xfd8d3c},
    {0x2e7d32, 0x74c476},
    {0xc62828, 0xf87171},
    {0x6a4c93, 0xb39ddb},
    {0x8c564b, 0xd9a66f},
    {0xc2185b, 0xf48fb1},
    {0x5f6b73, 0xb0b6bb},
}};

double luminance(QRgb rgb)
{
    const auto channel = [](int value) {
        const double c = value / 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(qRed(rgb)) + 0.7152 * channel(qGreen(rgb)) + 0.0722 * channel(qBlue(rgb));
}

const char* nameOf(Colour colour)
{
    static constexpr std::array<const char*, size_t(Colour::Count)> names {"ErrorText", "FailureText",
        "SuccessText", "WarningText", "InfoText", "ParkedText", "MutedText", "SkippedText",
        "NativeStoreBadge", "ForeignStoreBadge", "ReadWriteBadge", "ReadOnlyBadge", "ReadOnlyBadgeText",
        "UpcastBadge", "UpcastFailedBadge", "PendingBadge", "BadgeText", "PublishedRow", "AddedNode",
        "ChangedNode", "RemovedNode", "ChangedInside", "ErrorLine", "InvalidLine", "PatchAdd", "PatchRemove",
        "PatchReplace", "ProjectionRunning", "ProjectionFaulted", "ProjectionStopped"};
    return names[size_t(colour)];
}

} // namespace

bool isDark()
{
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}

QRgb rgb(Colour colour, bool dark)
{
    const Variants& v = Palette[size_t(colour)];
    return dark ? v.dark : v.light;
}

QRgb rgb(Colour colour)
{
    return rgb(colour, isDark());
}

QColor colour(Colour colour)
{
    return QColor(rgb(colour));
}

QRgb seriesRgb(int index, bool dark)
{
    const Variants& v = Series[size_t(std::abs(index) % SeriesColours)];
    return dark ? v.dark : v.light;
}

QColor seriesColour(int index)
{
    return QColor(seriesRgb(index, isDark()));
}

QString hex(Colour colour)
{
    return QColor(rgb(colour)).name(QColor::HexRgb);
}

QString textColour(Colour colour)
{
    return QStringLiteral("color: %1;").arg(hex(colour));
}

QString badge(Colour background, Colour text)
{
    return QStringLiteral("QLabel { background: %1; color: %2; border-radius: 3px; padding: 1px 6px; "
                          "font-weight: 600; }")
        .arg(hex(background), hex(text));
}

QString buttonBadge(Colour background, Colour text)
{
    return QStringLiteral("QToolButton { background: %1; color: %2; border-radius: 3px; padding: 1px 6px; "
                          "font-weight: 600; }")
        .arg(hex(background), hex(text));
}

void setTone(QLabel* label, Tone tone)
{
    label->setProperty(ToneProperty, int(tone));
    label->setStyleSheet(tone == Tone::Error ? textColour(Colour::ErrorText) : QString());
}

Tone tone(const QLabel* label)
{
    const QVariant value = label->property(ToneProperty);
    return value.isValid() ? Tone(value.toInt()) : Tone::Plain;
}

void refreshTones(QWidget* root)
{
    if (!root)
        return;
    QList<QLabel*> labels = root->findChildren<QLabel*>();
    if (auto* self = qobject_cast<QLabel*>(root))
        labels << self;
    for (QLabel* label : std::as_const(labels)) {
        if (label->property(ToneProperty).isValid())
            setTone(label, tone(label));
    }
}

double contrastRatio(QRgb a, QRgb b)
{
    double la = luminance(a), lb = luminance(b);
    if (la < lb)
        std::swap(la, lb);
    return (la + 0.05) / (lb + 0.05);
}

std::vector<ContrastPair> contrastPairs(bool dark)
{
    const QPalette palette = themePalette(dark ? Theme::Dark : Theme::Light);
    const QRgb base = palette.color(QPalette::Base).rgb();
    const QRgb window = palette.color(QPalette::Window).rgb();
    const QRgb text = palette.color(QPalette::Text).rgb();
    std::vector<ContrastPair> pairs;
    const auto add = [&](const QString& what, QRgb fg, QRgb bg, double minimum) {
        pairs.push_back({what, fg, bg, minimum});
    };
    for (Colour c : {Colour::ErrorText, Colour::FailureText, Colour::SuccessText, Colour::WarningText,
             Colour::InfoText, Colour::ParkedText, Colour::MutedText, Colour::SkippedText, Colour::PatchAdd,
             Colour::PatchRemove, Colour::PatchReplace}) {
        const QString name = QLatin1String(nameOf(c));
        add(name + QStringLiteral(" on the view"), rgb(c, dark), base, 4.5);
        add(name + QStringLiteral(" on the window"), rgb(c, dark), window, 4.5);
    }
    // Text in a bus-monitor row on its publish background.
    for (Colour c : {Colour::InfoText, Colour::SuccessText, Colour::FailureText})
        add(QLatin1String(nameOf(c)) + QStringLiteral(" on PublishedRow"), rgb(c, dark),
            rgb(Colour::PublishedRow, dark), 4.5);
    for (Colour c : {Colour::PublishedRow, Colour::AddedNode, Colour::ChangedNode, Colour::RemovedNode,
             Colour::ChangedInside, Colour::ErrorLine, Colour::InvalidLine})
        add(QStringLiteral("text on ") + QLatin1String(nameOf(c)), text, rgb(c, dark), 4.5);
    for (Colour c : {Colour::NativeStoreBadge, Colour::ForeignStoreBadge, Colour::ReadWriteBadge,
             Colour::UpcastBadge, Colour::UpcastFailedBadge, Colour::PendingBadge})
        add(QStringLiteral("badge text on ") + QLatin1String(nameOf(c)), rgb(Colour::BadgeText, dark),
            rgb(c, dark), 4.5);
    add(QStringLiteral("ReadOnlyBadgeText on ReadOnlyBadge"), rgb(Colour::ReadOnlyBadgeText, dark),
        rgb(Colour::ReadOnlyBadge, dark), 4.5);
    for (Colour c : {Colour::ProjectionRunning, Colour::ProjectionFaulted, Colour::ProjectionStopped})
        add(QLatin1String(nameOf(c)) + QStringLiteral(" dot on the view"), rgb(c, dark), base, 3.0);
    for (int i = 0; i < SeriesColours; ++i)
        add(QStringLiteral("chart series %1 on the chart").arg(i), seriesRgb(i, dark), base, 3.0);
    // The palette's own text, selection and links.
    add(QStringLiteral("text on the view"), text, base, 4.5);
    add(QStringLiteral("window text on the window"), palette.color(QPalette::WindowText).rgb(), window, 4.5);
    add(QStringLiteral("selected text on the selection"), palette.color(QPalette::HighlightedText).rgb(),
        palette.color(QPalette::Highlight).rgb(), 4.5);
    add(QStringLiteral("links on the view"), palette.color(QPalette::Link).rgb(), base, 4.5);
    add(QStringLiteral("placeholder text on the view"), palette.color(QPalette::PlaceholderText).rgb(), base,
        4.5);
    add(QStringLiteral("tooltip text on tooltips"), palette.color(QPalette::ToolTipText).rgb(),
        palette.color(QPalette::ToolTipBase).rgb(), 4.5);
    add(QStringLiteral("button text on buttons"), palette.color(QPalette::ButtonText).rgb(),
        palette.color(QPalette::Button).rgb(), 4.5);
    return pairs;
}

} // namespace chronoscope::style
