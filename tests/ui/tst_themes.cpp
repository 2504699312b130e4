// View > Theme, offscreen on a copy of the sample store: every colour of the one palette
// (ui/base/style) reads on what it is drawn on in the light and the dark theme, and switching the
// theme from the menu recolours the window for real: palette, badges, error labels, diff
// operations, change highlights and the charts' series, back to the system's on System.
#include "base/style.h"
#include "base/theme.h"
#include "projections/chartspanel.h"
#include "projections/projectionset.h"
#include "support/testsupport.h"
#include "timetravel/patchtablemodel.h"
#include "timetravel/timetravelsession.h"
#include "window/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QtCharts/QAbstractBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>

#include <memory>

using namespace chronoscope;

class TestThemes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void contrastRatioIsWcags();
    void everyColourReadsInBothThemes_data();
    void everyColourReadsInBothThemes();
    void themeMenuRecoloursTheWindow();
    void themeIsRemembered();

private:
    QAction* themeAction(const QString& id) const;

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_window;
};

void TestThemes::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_themes"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    m_path = m_dir.filePath(QStringLiteral("themes.chronoscope"));
    QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_SAMPLE_STORE), m_path));
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void TestThemes::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->resize(1366, 768);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY2(m_window->openFile(m_path), qPrintable(m_window->lastError()));
}

void TestThemes::cleanup()
{
    m_window.reset();
    style::applyTheme(style::Theme::System);
}

QAction* TestThemes::themeAction(const QString& id) const
{
    auto* menu = m_window->menuBar()->findChild<QMenu*>(QStringLiteral("themeMenu"));
    if (!menu)
        return nullptr;
    for (QAction* action : menu->actions()) {
        if (action->objectName() == QStringLiteral("theme-") + id)
            return action;
    }
    return nullptr;
}

void TestThemes::contrastRatioIsWcags()
{
    QCOMPARE(style::contrastRatio(0x000000, 0xffffff), 21.0);
    QCOMPARE(style::contrastRatio(0xffffff, 0x000000), 21.0);
    QCOMPARE(style::contrastRatio(0x777777, 0x777777), 1.0);
    // #767676 on white is the classic 4.54:1.
    QVERIFY(qAbs(style::contrastRatio(0x767676, 0xffffff) - 4.54) < 0.01);
}

void TestThemes::everyColourReadsInBothThemes_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestThemes::everyColourReadsInBothThemes()
{
    QFETCH(bool, dark);
    const auto pairs = style::contrastPairs(dark);
    QVERIFY(pairs.size() >= 50);
    QStringList failed;
    for (const auto& pair : pairs) {
        const double ratio = style::contrastRatio(pair.foreground, pair.background);
        if (ratio < pair.minimum)
            failed
                << QStringLiteral("%1: %2 (needs %3)").arg(pair.what).arg(ratio, 0, 'f', 2).arg(pair.minimum);
    }
    QVERIFY2(failed.isEmpty(), qPrintable(failed.join(QStringLiteral("; "))));
    // Each colour has a variant for each theme, and the text ones differ (a light red on a dark
    // window, a dark red on a light one).
    QVERIFY(style::rgb(style::Colour::SuccessText, false) != style::rgb(style::Colour::SuccessText, true));
    QVERIFY(style::rgb(style::Colour::AddedNode, false) != style::rgb(style::Colour::AddedNode, true));
    QVERIFY(style::seriesRgb(0, false) != style::seriesRgb(0, true));
}

void TestThemes::themeMenuRecoloursTheWindow()
{
    const QColor systemWindow = QApplication::palette().color(QPalette::Window);
    QAction* dark = themeAction(QStringLiteral("dark"));
    QAction* light = themeAction(QStringLiteral("light"));
    QAction* system = themeAction(QStringLiteral("system"));
    QVERIFY(dark && light && system);
    QVERIFY(system->isChecked());
    // The charts, drawn: the projections must have caught up.
    m_window->raiseDock(QStringLiteral("chartsDock"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->projectionSet()->isSettled(), 60000);
    auto* chartView = m_window->chartsPanel()->findChild<QChartView*>();
    QVERIFY(chartView);
    const auto firstBarColour = [&]() -> QColor {
        for (QChartView* view : m_window->chartsPanel()->findChildren<QChartView*>()) {
            for (QAbstractSeries* series : view->chart()->series()) {
                if (auto* bars = qobject_cast<QAbstractBarSeries*>(series);
                    bars && !bars->barSets().isEmpty())
                    return bars->barSets().front()->color();
            }
        }
        return {};
    };
    QTRY_VERIFY(firstBarColour().isValid());
    // An error label and a diff operation, before and after.
    auto* problem = m_window->findChild<QLabel*>(QStringLiteral("storeProblem"));
    QVERIFY(problem);
    PatchTableModel patch;
    patch.setRows(patchRows(nlohmann::json::object(), nlohmann::json {{"a", 1}}));
    QCOMPARE(patch.rowCount(), 1);

    dark->trigger();
    QVERIFY(dark->isChecked() && !system->isChecked());
    QVERIFY(style::isDark());
    QCOMPARE(style::currentTheme(), style::Theme::Dark);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 60);
    QVERIFY2(problem->styleSheet().contains(QColor(style::rgb(style::Colour::ErrorText, true)).name()),
        qPrintable(problem->styleSheet()));
    QCOMPARE(patch.index(0, 0).data(Qt::ForegroundRole).value<QColor>(),
        QColor(style::rgb(style::Colour::PatchAdd, true)));
    QTRY_COMPARE(firstBarColour(), QColor(style::seriesRgb(0, true)));
    QCOMPARE(chartView->chart()->backgroundBrush().color(), QApplication::palette().color(QPalette::Base));
    // What a person sees: the event table is drawn dark.
    QApplication::processEvents();
    QTableView* table = m_window->eventView();
    const QImage seen = table->viewport()->grab().toImage();
    const QColor corner = seen.pixelColor(seen.width() - 3, seen.height() - 3);
    QVERIFY2(corner.lightness() < 60, qPrintable(corner.name()));
    QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("dark"));

    light->trigger();
    QVERIFY(!style::isDark());
    QVERIFY2(problem->styleSheet().contains(QColor(style::rgb(style::Colour::ErrorText, false)).name()),
        qPrintable(problem->styleSheet()));
    QTRY_COMPARE(firstBarColour(), QColor(style::seriesRgb(0, false)));
    const QImage lit = table->viewport()->grab().toImage();
    QVERIFY(lit.pixelColor(lit.width() - 3, lit.height() - 3).lightness() > 200);

    system->trigger();
    QCOMPARE(QApplication::palette().color(QPalette::Window), systemWindow);
    QCOMPARE(style::currentTheme(), style::Theme::System);
    QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("system"));
}

void TestThemes::themeIsRemembered()
{
    style::saveTheme(style::Theme::Dark);
    QCOMPARE(style::savedTheme(), style::Theme::Dark);
    QSettings().setValue(QStringLiteral("view/theme"), QStringLiteral("purple"));
    QCOMPARE(style::savedTheme(), style::Theme::System); // unknown: the system's
    style::Theme theme = style::Theme::Light;
    QVERIFY(!style::themeFromId(QStringLiteral("purple"), &theme));
    QCOMPARE(theme, style::Theme::Light);
    QVERIFY(style::themeFromId(QStringLiteral("dark"), &theme));
    QCOMPARE(theme, style::Theme::Dark);
    // A window made under a theme shows it checked in the menu.
    style::applyTheme(style::Theme::Dark);
    m_window = std::make_unique<MainWindow>();
    QVERIFY(themeAction(QStringLiteral("dark"))->isChecked());
}

QTEST_MAIN(TestThemes)
#include "tst_themes.moc"
