#include "lessons/lessonspanel.h"

#include "base/style.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace chronoscope {

LessonsPanel::LessonsPanel(QWidget* parent)
    : QWidget(parent)
    , m_course(new QLabel)
    , m_lessons(new QComboBox)
    , m_stepLabel(new QLabel)
    , m_progress(new QProgressBar)
    , m_text(new QTextBrowser)
    , m_statusLabel(new QLabel)
    , m_back(new QPushButton(tr("◀ Back")))
    , m_showMe(new QPushButton(tr("Show Me")))
    , m_check(new QPushButton(tr("Check")))
    , m_next(new QPushButton(tr("Next ▶")))
    , m_start(new QPushButton(tr("Start Lesson")))
    , m_reset(new QPushButton(tr("Reset")))
{
    m_course->setObjectName(QStringLiteral("lessonCourse"));
    m_lessons->setObjectName(QStringLiteral("lessonBox"));
    m_lessons->setToolTip(tr("The lessons of the course; a check mark on those you finished"));
    m_lessons->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_lessons->setMinimumContentsLength(12);
    m_stepLabel->setObjectName(QStringLiteral("lessonStep"));
    m_progress->setObjectName(QStringLiteral("lessonProgress"));
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(6);
    m_text->setObjectName(QStringLiteral("lessonText"));
    m_text->setOpenExternalLinks(false);
    m_text->setOpenLinks(false);
    m_statusLabel->setObjectName(QStringLiteral("lessonStatus"));
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_back->setObjectName(QStringLiteral("lessonBack"));
    m_back->setToolTip(tr("The step before"));
    m_showMe->setObjectName(QStringLiteral("lessonShowMe"));
    m_showMe->setToolTip(tr("Opens and fills in what this step is about again"));
    m_check->setObjectName(QStringLiteral("lessonCheck"));
    m_check->setToolTip(tr("Says what is still to do in this step, with a hint"));
    m_next->setObjectName(QStringLiteral("lessonNext"));
    m_next->setToolTip(tr("The next step, once this one is done"));
    m_start->setObjectName(QStringLiteral("lessonStart"));
    m_start->setToolTip(
        tr("Starts the lesson on its own copy of the sample shop (the bundled store is never changed)"));
    m_reset->setObjectName(QStringLiteral("lessonReset"));
    m_reset->setToolTip(
        tr("Puts the lesson's store back as the sample shop was and starts the lesson again"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    m_course->setWordWrap(true);
    QFont bold = m_course->font();
    bold.setBold(true);
    m_course->setFont(bold);
    layout->addWidget(m_course);
    layout->addWidget(m_lessons);
    auto* stepRow = new QHBoxLayout;
    stepRow->addWidget(m_stepLabel, 1);
    stepRow->addWidget(m_start);
    stepRow->addWidget(m_reset);
    layout->addLayout(stepRow);
    layout->addWidget(m_progress);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_statusLabel);
    // Two rows of two: the buttons keep readable widths in a narrow dock.
    auto* buttons = new QGridLayout;
    buttons->setSpacing(4);
    buttons->addWidget(m_showMe, 0, 0);
    buttons->addWidget(m_check, 0, 1);
    buttons->addWidget(m_back, 1, 0);
    buttons->addWidget(m_next, 1, 1);
    layout->addLayout(buttons);
    m_next->setDefault(true);

    connect(m_lessons, &QComboBox::activated, this, &LessonsPanel::lessonChosen);
    setStatus(Status::Note, tr("Choose a lesson and press Start Lesson."));
}

void LessonsPanel::setLessons(
    const QString& course, const QStringList& titles, const QList<bool>& completed, int current)
{
    m_course->setText(course);
    const QSignalBlocker block(m_lessons);
    m_lessons->clear();
    for (int i = 0; i < titles.size(); ++i) {
        const bool done = i < completed.size() && completed[i];
        m_lessons->addItem((done ? QStringLiteral("✓ ") : QString()) + titles[i]);
        m_lessons->setItemData(i, done ? tr("Finished") : tr("Not finished yet"), Qt::ToolTipRole);
    }
    m_lessons->setCurrentIndex(current);
}

void LessonsPanel::showStep(int step, int steps, const QString& title, const QString& markdown)
{
    m_stepLabel->setText(tr("Step %1 of %2").arg(step + 1).arg(steps));
    m_progress->setRange(0, steps);
    m_progress->setValue(step + 1);
    m_text->setMarkdown(QStringLiteral("### ") + title + QStringLiteral("\n\n") + markdown);
}

void LessonsPanel::setStatus(Status status, const QString& text)
{
    m_status = status;
    QString shown = text;
    style::Colour colour = style::Colour::InfoText;
    switch (status) {
    case Status::ToDo:
        shown = tr("To do: %1").arg(text);
        colour = style::Colour::WarningText;
        break;
    case Status::Done:
        shown = QStringLiteral("✓ ") + text;
        colour = style::Colour::SuccessText;
        break;
    case Status::Problem:
        colour = style::Colour::ErrorText;
        break;
    case Status::Note:
        colour = style::Colour::MutedText;
        break;
    }
    m_statusLabel->setText(shown);
    m_statusLabel->setStyleSheet(QStringLiteral("color: %1;").arg(style::colour(colour).name()));
}

QString LessonsPanel::statusText() const
{
    return m_statusLabel->text();
}

} // namespace chronoscope
