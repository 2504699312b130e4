#pragma once

#include <QWidget>

namespace chronoscope {

struct Story;

/// A story drawn as a graph: a lane (column) per stream, the events in position order from top
/// to bottom, each cause joined to what it caused by an arrow. Click an event to select it.
class StoryLanes : public QWidget {
    Q_OBJECT
public:
    explicit StoryLanes(QWidget* parent = nullptr);

    /// Draws `story` (nullptr: nothing). The story must outlive its drawing (StoryPanel owns it).
    void setStory(const Story* story);
    void setSelected(int index);
    int selected() const { return m_selected; }
    /// The streams in lane order.
    QStringList lanes() const { return m_lanes; }
    /// Where event `index` is drawn (empty when it is not).
    QRect nodeRect(int index) const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void eventClicked(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    int indexAt(const QPoint& pos) const;

    const Story* m_story = nullptr;
    QStringList m_lanes;
    std::vector<int> m_laneOf; // per event
    int m_selected = -1;
};

} // namespace chronoscope
