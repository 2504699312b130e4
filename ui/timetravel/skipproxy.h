#pragma once

#include <QIdentityProxyModel>
#include <QSet>

namespace chronoscope {

/// What-if skips over an EventTableModel showing one stream: the version column gets a check
/// box (checked: the event is applied), skipped events are greyed and struck through. Only
/// the set of skipped versions changes; the store is never touched.
class SkipProxy : public QIdentityProxyModel {
    Q_OBJECT
public:
    explicit SkipProxy(QObject* parent = nullptr);

    void setSourceModel(QAbstractItemModel* source) override;

    /// Whether skipping is possible (the table shows one stream).
    bool isEnabled() const;
    const QSet<qint64>& skipped() const { return m_skipped; }
    bool isSkipped(qint64 version) const { return m_skipped.contains(version); }
    void setSkipped(qint64 version, bool skipped);
    void toggle(qint64 version) { setSkipped(version, !isSkipped(version)); }
    void clearSkips();
    /// The stream version of a row, given by an index of this proxy or of its source (0 when none).
    qint64 versionOf(const QModelIndex& index) const;

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

Q_SIGNALS:
    void skippedChanged(const QSet<qint64>& skipped);

private:
    void refreshRows();
    QSet<qint64> m_skipped;
};

} // namespace chronoscope
