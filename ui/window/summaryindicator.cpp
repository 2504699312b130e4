#include "window/summaryindicator.h"

#include "window/storesession.h"

#include <QHBoxLayout>
#include <QLocale>
#include <QProgressBar>
#include <QToolButton>

namespace chronoscope {

SummaryIndicator::SummaryIndicator(StoreSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_progress(new QProgressBar)
    , m_cancel(new QToolButton)
{
    setObjectName(QStringLiteral("summaryIndicator"));
    m_progress->setObjectName(QStringLiteral("summaryProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_progress->setMinimumWidth(160);
    m_progress->setMaximumWidth(300);
    m_cancel->setObjectName(QStringLiteral("summaryCancel"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop listing the streams of this store (its events stay readable)"));
    m_cancel->setAutoRaise(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, m_session, &StoreSession::cancelSummary);
    connect(m_session, &StoreSession::summaryProgress, this, &SummaryIndicator::showProgress);
    connect(m_session, &StoreSession::summaryFinished, this, &QWidget::hide);
    connect(m_session, &StoreSession::viewChanged, this, [this] { setVisible(m_session->isSummarizing()); });
    hide();
}

void SummaryIndicator::showProgress(qint64 done, qint64 total)
{
    if (!m_session->isSummarizing())
        return;
    m_progress->setValue(total > 0 ? int(1000 * done / total) : 0);
    m_progress->setFormat(tr("Listing streams %p%"));
    m_progress->setToolTip(tr("This store keeps no list of its streams: Chronoscope reads every event "
                              "once (%1 of %2 positions so far) and keeps the list outside the store "
                              "for the next time.")
                               .arg(QLocale().toString(done), QLocale().toString(total)));
    show();
}

} // namespace chronoscope
