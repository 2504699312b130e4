#include "base/theme.h"

#include "base/style.h"

#include <QApplication>
#include <QPainter>
#include <QProxyStyle>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleOption>
#include <QWidget>

#include <memory>

namespace chronoscope::style {

namespace {

const QString ThemeKey = QStringLiteral("view/theme");

struct Original {
    bool saved = false;
    QString style;
    QPalette palette;
};

Original& original()
{
    static Original kept;
    if (!kept.saved && qApp) {
        kept.style = QApplication::style() ? QApplication::style()->name() : QString();
        kept.palette = QApplication::palette();
        kept.saved = true;
    }
    return kept;
}

Theme& current()
{
    static Theme theme = Theme::System;
    return theme;
}

void set(QPalette& p, QPalette::ColorRole role, QRgb active, QRgb disabled)
{
    p.setColor(QPalette::Active, role, QColor(active));
    p.setColor(QPalette::Inactive, role, QColor(active));
    p.setColor(QPalette::Disabled, role, QColor(disabled));
}

QPalette lightPalette()
{
    std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p = fusion ? fusion->standardPalette() : QPalette();
    set(p, QPalette::Window, 0xefefef, 0xefefef);
    set(p, QPalette::WindowText, 0x1b1b1b, 0x8a8a8a);
    set(p, QPalette::Base, 0xffffff, 0xf3f3f3);
    set(p, QPalette::AlternateBase, 0xf5f5f5, 0xf5f5f5);
    set(p, QPalette::Text, 0x1b1b1b, 0x8a8a8a);
    set(p, QPalette::Button, 0xefefef, 0xefefef);
    set(p, QPalette::ButtonText, 0x1b1b1b, 0x8a8a8a);
    set(p, QPalette::Highlight, 0x2a6fb0, 0xb8c8d8);
    set(p, QPalette::HighlightedText, 0xffffff, 0x1b1b1b);
    set(p, QPalette::Link, 0x0b57d0, 0x8a8a8a);
    set(p, QPalette::LinkVisited, 0x6a1b9a, 0x8a8a8a);
    set(p, QPalette::PlaceholderText, 0x6b6b6b, 0x9a9a9a);
    set(p, QPalette::ToolTipBase, 0xffffdc, 0xffffdc);
    set(p, QPalette::ToolTipText, 0x1b1b1b, 0x1b1b1b);
    return p;
}

QPalette darkPalette()
{
    QPalette p = lightPalette();
    set(p, QPalette::Window, 0x232629, 0x232629);
    set(p, QPalette::WindowText, 0xeff0f1, 0x7f8487);
    set(p, QPalette::Base, 0x1b1e20, 0x1f2224);
    set(p, QPalette::AlternateBase, 0x262a2d, 0x262a2d);
    set(p, QPalette::Text, 0xeff0f1, 0x7f8487);
    set(p, QPalette::Button, 0x31363b, 0x2b2f33);
    set(p, QPalette::ButtonText, 0xeff0f1, 0x7f8487);
    set(p, QPalette::BrightText, 0xffffff, 0xffffff);
    set(p, QPalette::Light, 0x454b52, 0x454b52);
    set(p, QPalette::Midlight, 0x3a3f45, 0x3a3f45);
    set(p, QPalette::Mid, 0x5a6068, 0x4a5058);
    set(p, QPalette::Dark, 0x16181a, 0x16181a);
    set(p, QPalette::Shadow, 0x0c0d0e, 0x0c0d0e);
    set(p, QPalette::Highlight, 0x2a6fb0, 0x3a4048);
    set(p, QPalette::HighlightedText, 0xffffff, 0x9a9ea3);
    set(p, QPalette::Link, 0x6cb4ee, 0x7f8487);
    set(p, QPalette::LinkVisited, 0xc8a2f0, 0x7f8487);
    set(p, QPalette::PlaceholderText, 0x9a9ea3, 0x6a6e72);
    set(p, QPalette::ToolTipBase, 0x31363b, 0x31363b);
    set(p, QPalette::ToolTipText, 0xeff0f1, 0xeff0f1);
    return p;
}

// Fusion, with check boxes and radio buttons outlined so that they show on a dark window (Fusion
// draws their frame darker than the window, which is invisible when the window is dark).
class ThemeStyle : public QProxyStyle {
public:
    ThemeStyle()
        : QProxyStyle(QStringLiteral("Fusion"))
    {
        setObjectName(QStringLiteral("chronoscope-fusion"));
    }

    void drawPrimitive(PrimitiveElement element, const QStyleOption* option, QPainter* painter,
        const QWidget* widget) const override
    {
        QProxyStyle::drawPrimitive(element, option, painter, widget);
        const bool box = element == PE_IndicatorCheckBox || element == PE_IndicatorItemViewItemCheck;
        if ((!box && element != PE_IndicatorRadioButton)
            || option->palette.color(QPalette::Window).lightness() >= 128)
            return;
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, true);
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(option->palette.color(QPalette::PlaceholderText), 1));
        const QRectF frame = QRectF(option->rect).adjusted(0.5, 0.5, -0.5, -0.5);
        if (box)
            painter->drawRoundedRect(frame, 2, 2);
        else
            painter->drawEllipse(frame);
        painter->restore();
    }
};

} // namespace

QString themeId(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

bool themeFromId(const QString& id, Theme* theme)
{
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark}) {
        if (id == themeId(t)) {
            if (theme)
                *theme = t;
            return true;
        }
    }
    return false;
}

QPalette themePalette(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return lightPalette();
    case Theme::Dark:
        return darkPalette();
    case Theme::System:
        break;
    }
    return original().palette;
}

void applyTheme(Theme theme)
{
    const Original& kept = original(); // before anything changes
    if (theme == Theme::System) {
        const bool ours = QApplication::style()->objectName() == QLatin1String("chronoscope-fusion");
        if (!kept.style.isEmpty() && (ours || QApplication::style()->name() != kept.style))
            QApplication::setStyle(kept.style);
        QApplication::setPalette(kept.palette);
    } else {
        if (QApplication::style()->objectName() != QLatin1String("chronoscope-fusion"))
            QApplication::setStyle(new ThemeStyle); // the application takes it
        QApplication::setPalette(themePalette(theme));
    }
    current() = theme;
    for (QWidget* top : QApplication::topLevelWidgets())
        refreshTones(top);
    Q_EMIT ThemeNotifier::instance()->changed();
}

Theme currentTheme()
{
    return current();
}

Theme savedTheme()
{
    Theme theme = Theme::System;
    themeFromId(QSettings().value(ThemeKey).toString(), &theme);
    return theme;
}

void saveTheme(Theme theme)
{
    QSettings().setValue(ThemeKey, themeId(theme));
}

ThemeNotifier* ThemeNotifier::instance()
{
    static ThemeNotifier* notifier = new ThemeNotifier; // lives as long as the program
    return notifier;
}

} // namespace chronoscope::style
