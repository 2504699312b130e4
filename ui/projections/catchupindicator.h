#pragma once

#include <QWidget>

class QProgressBar;
class QToolButton;

namespace chronoscope {

class ProjectionSet;

/// The status bar's view of the projections' background work: while any projection rebuilds or
/// catches up, one progress bar over all of them ("Projections 3 of 8 · 42 %", the names in
/// its tooltip) and a Cancel button that stops them where they got to; hidden otherwise. The
/// window stays usable meanwhile: the work runs on the projections' own threads.
class CatchUpIndicator : public QWidget {
    Q_OBJECT
public:
    explicit CatchUpIndicator(ProjectionSet* set, QWidget* parent = nullptr);

    QProgressBar* progressBar() const { return m_progress; }
    QToolButton* cancelButton() const { return m_cancel; }

private:
    void update();
    void cancelAll();

    ProjectionSet* m_set;
    QProgressBar* m_progress;
    QToolButton* m_cancel;
};

} // namespace chronoscope
