#pragma once

#include "timetravel/timetravelsession.h"

#include <QHash>
#include <QIdentityProxyModel>

namespace chronoscope {

/// Marks the nodes of a JsonTreeModel that the current event changed: a ChangeRole with the
/// patch operation ("add", "replace"; "contains" for an ancestor of a change) and a background
/// colour for the views. The tree model itself stays free of presentation.
class ChangeHighlightProxy : public QIdentityProxyModel {
    Q_OBJECT
public:
    enum Role { ChangeRole = Qt::UserRole + 100 };

    explicit ChangeHighlightProxy(QObject* parent = nullptr);

    /// The changes to highlight (the operations of a patch); an empty list clears them.
    void setChanges(const std::vector<PatchRow>& changes);
    void clearChanges() { setChanges({}); }
    /// The operation at a JSON Pointer: "add", "replace", "remove", "contains" or empty.
    QString changeAt(const QString& pointer) const;

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    QHash<QString, QString> m_ops;   // pointer -> op
    QHash<QString, int> m_ancestors; // pointer of a container holding a change -> count
};

} // namespace chronoscope
