#pragma once

#include <QWidget>

class QLineEdit;
class QTableView;
class QToolButton;

namespace chronoscope {

class EventTableModel;

/// Above the event table: "Go to position, version or time" and the order of the rows.
///
/// The box takes a number (a position in the all-stream, a version in a stream), `p123` or
/// `#123` (a position), `v12` (a version) or an ISO-8601 time (the first event at or after it);
/// Enter selects that row and scrolls it to the middle of the table. The Newest First button
/// turns the rows over (row 0 is the last event). What cannot be found is said by message().
class EventJumpBar : public QWidget {
    Q_OBJECT
public:
    /// `view` shows `model`, directly or through a proxy that keeps its rows (the skip marks).
    EventJumpBar(EventTableModel* model, QTableView* view, QWidget* parent = nullptr);

    /// Goes to what `text` names; false (and message()) when it names nothing shown.
    bool jumpTo(const QString& text);
    QLineEdit* edit() const { return m_edit; }
    QToolButton* newestFirstButton() const { return m_newestFirst; }

Q_SIGNALS:
    /// For the status bar: where the jump went, or why it could not.
    void message(const QString& text);

private:
    EventTableModel* m_model;
    QTableView* m_view;
    QLineEdit* m_edit;
    QToolButton* m_newestFirst;
};

} // namespace chronoscope
