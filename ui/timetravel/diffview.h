#pragma once

#include <QWidget>

class QLabel;
class QSpinBox;
class QTableView;

namespace chronoscope {

class PatchTableModel;
class TimeTravelSession;

/// Compares two versions of the selected stream: the JSON Patch (RFC 6902) turning the state
/// at A into the state at B, as a table of operation, path, old value and new value.
class DiffView : public QWidget {
    Q_OBJECT
public:
    explicit DiffView(TimeTravelSession* session, QWidget* parent = nullptr);

    /// Chooses both versions and computes the patch.
    void compare(qint64 a, qint64 b);
    qint64 versionA() const;
    qint64 versionB() const;

    PatchTableModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QSpinBox* spinA() const { return m_a; }
    QSpinBox* spinB() const { return m_b; }
    QString statusText() const;

Q_SIGNALS:
    /// The table now shows the patch from a to b.
    void diffShown(qint64 a, qint64 b);

private:
    void onStreamChanged();
    void onLastVersionChanged();
    void request();

    TimeTravelSession* m_session;
    PatchTableModel* m_model;
    QSpinBox* m_a;
    QSpinBox* m_b;
    QTableView* m_view;
    QLabel* m_status;
};

} // namespace chronoscope
