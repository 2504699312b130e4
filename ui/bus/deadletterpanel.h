#pragma once

#include "bus/bustrace.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;
class QTreeView;

namespace chronoscope {

class DeadLetterModel;
class JsonTreeModel;

/// The dead-letter queue: a table of parked deliveries, an inspector of the selected one (its
/// handler, error and attempts, and the event's payload and metadata as a JSON tree), Retry
/// (delivers it to that handler again, now, and says whether it worked or the new error) and
/// Discard (after a confirmation). Refreshes when the bus parks new dead letters.
class DeadLetterPanel : public QWidget {
    Q_OBJECT
public:
    explicit DeadLetterPanel(QWidget* parent = nullptr);
    ~DeadLetterPanel() override;

    /// Shows this bus's queue; `recorder` tells when new dead letters arrive (nullptrs: nothing).
    void setBus(EventBus* bus, BusTraceRecorder* recorder);

    DeadLetterModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    JsonTreeModel* payloadModel() const { return m_payload; }
    QPushButton* retryButton() const { return m_retry; }
    QPushButton* discardButton() const { return m_discard; }
    /// The inspector's text about the selected entry (handler, error, attempts).
    QString detailText() const;
    /// The message after the last retry or discard.
    QString statusText() const;

    /// Whether Discard asks first (on by default; tests turn it off).
    void setConfirmDiscard(bool confirm) { m_confirm = confirm; }
    /// Selects the entry with this id; false when there is none.
    bool select(qint64 id);

    /// Retries the selected entry; true when it was delivered.
    bool retrySelected();
    /// Discards the selected entry (asking first unless turned off); true when it was removed.
    bool discardSelected();
    /// Reads the queue now.
    void refresh();

Q_SIGNALS:
    void changed(int count);
    /// "Show Story" on a dead letter: the story of its event.
    void storyRequested(const chronoscope::RecordedEvent& event);

private:
    void onSelection();
    void setStatus(const QString& text, const QString& colour);
    qint64 selectedId() const;

    QPointer<EventBus> m_bus;
    QMetaObject::Connection m_connection;
    DeadLetterModel* m_model;
    JsonTreeModel* m_payload;
    QTableView* m_view;
    QTreeView* m_tree;
    QLabel* m_detail;
    QLabel* m_status;
    QLabel* m_count;
    QPushButton* m_retry;
    QPushButton* m_discard;
    QTimer m_refreshTimer;
    bool m_confirm = true;
};

} // namespace chronoscope
