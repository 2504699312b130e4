#pragma once

#include <QPointer>
#include <QTreeWidget>

class QTimer;

namespace chronoscope {

class BusLogModel;

/// The bus's side of a story: every delivery the bus monitor saw of the story's events (handler,
/// outcome, attempt, error), oldest first: deliveries, retries, failures, dead letters and skipped
/// duplicates. Follows the monitor's log (its last 10,000 entries) while a story is shown.
class StoryDeliveries : public QTreeWidget {
    Q_OBJECT
public:
    explicit StoryDeliveries(QWidget* parent = nullptr);

    /// The bus monitor's log to read (it lives as long as the window).
    void setLog(const BusLogModel* log);
    /// The story whose deliveries to list ("" : none).
    void setCorrelation(const QString& correlationId);

    struct Counts {
        int entries = 0;
        int delivered = 0;
        int retries = 0; ///< failed attempts that were tried again
        int failed = 0;  ///< last attempts that failed
        int deadLettered = 0;
        int duplicates = 0;
    };
    const Counts& counts() const { return m_counts; }
    /// "3 deliveries · 2 retries · 1 dead letter", or "" with none.
    QString countsText() const;

Q_SIGNALS:
    /// The list was rebuilt (counts() changed, maybe).
    void refreshed();

private:
    void refresh();

    QPointer<const BusLogModel> m_log;
    QString m_correlation;
    Counts m_counts;
    QTimer* m_pending;
};

} // namespace chronoscope
