#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace chronoscope {

class FieldHistoryModel;
class TimeTravelSession;

/// Every change of one field of the state (version, position, type, timestamp, old, new).
/// Double-clicking a row asks to jump to that version.
class FieldHistoryView : public QWidget {
    Q_OBJECT
public:
    explicit FieldHistoryView(TimeTravelSession* session, QWidget* parent = nullptr);

    /// Computes the history of the field at a JSON Pointer of the selected stream's state.
    void showHistory(const QString& pointer);
    FieldHistoryModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QString statusText() const;

Q_SIGNALS:
    void historyShown(const QString& pointer);
    /// The user double-clicked a change.
    void jumpRequested(qint64 version);

private:
    TimeTravelSession* m_session;
    FieldHistoryModel* m_model;
    QTableView* m_view;
    QLabel* m_title;
    QLabel* m_status;
};

} // namespace chronoscope
