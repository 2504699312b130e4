#pragma once

#include <QWidget>

class QProgressBar;
class QToolButton;

namespace chronoscope {

class StoreSession;

/// The status bar's progress of a foreign store's stream summary (StoreSession::summaryProgress),
/// with Cancel; hidden when no summary is being built.
class SummaryIndicator : public QWidget {
    Q_OBJECT
public:
    explicit SummaryIndicator(StoreSession* session, QWidget* parent = nullptr);

    QProgressBar* progressBar() const { return m_progress; }
    QToolButton* cancelButton() const { return m_cancel; }

private:
    void showProgress(qint64 done, qint64 total);

    StoreSession* m_session;
    QProgressBar* m_progress;
    QToolButton* m_cancel;
};

} // namespace chronoscope
