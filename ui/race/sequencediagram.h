#pragma once

// ui/race: the race simulator's dock: two writers on one stream (RacePanel), the steps drawn as a
// sequence diagram (this file), and the feature that puts them in the window (RaceFeature).

#include "race/racestep.h"

#include <QWidget>

#include <vector>

namespace chronoscope {

/// A race drawn as a sequence diagram: three lanes (writer A, the stream, writer B), one row per
/// step from top to bottom with an arrow (a load from the stream to the writer, an append from
/// the writer to the stream) labelled with the version read or expected and the result; a
/// last-write-wins append that lost something is highlighted with what it did not see.
class SequenceDiagram : public QWidget {
    Q_OBJECT
public:
    explicit SequenceDiagram(QWidget* parent = nullptr);

    /// Draws these steps (a copy is kept) on the lane of `stream`.
    void setSteps(const std::vector<race::RaceStep>& steps, const QString& stream);
    int stepCount() const { return int(m_steps.size()); }
    /// The arrow's label of step `index` ("read v3", "append expected v3", "append expected any").
    QString label(int index) const;
    /// Its result ("✓ v4 ItemAdded", "✗ WrongExpectedVersion (at v4)", "✗ rejected..."); "" for a load.
    QString result(int index) const;
    /// The line under a lost update ("lost: did not see A's ItemAdded (v4)"); "" otherwise.
    QString lostLine(int index) const;
    /// Where step `index` is drawn (empty when there is none).
    QRect rowRect(int index) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    int rowHeight(int index) const;
    int laneX(int lane) const; // 0 = A, 1 = stream, 2 = B
    int indexAt(const QPoint& pos) const;

    std::vector<race::RaceStep> m_steps;
    QString m_stream;
};

} // namespace chronoscope
