#pragma once

#include "schema/schemaregistry.h"

#include <QAbstractTableModel>

#include <memory>

namespace chronoscope {

/// The schemas of a SchemaRegistry, one row per (type, version), ordered: type, version,
/// draft and origin (the file it came from).
class SchemaListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TypeColumn, VersionColumn, DraftColumn, OriginColumn, ColumnCount };
    enum Role {
        TypeRole = Qt::UserRole + 1, ///< the event type (QString)
        VersionRole,                 ///< the schema version (int)
    };

    explicit SchemaListModel(QObject* parent = nullptr);
    ~SchemaListModel() override;

    /// Shows a registry's schemas (null: none). A model reset.
    void setRegistry(std::shared_ptr<const SchemaRegistry> registry);
    const std::shared_ptr<const SchemaRegistry>& registry() const { return m_registry; }

    /// Row of (type, version), -1 when absent.
    int rowOf(const QString& type, int version) const;
    std::pair<QString, int> keyAt(int row) const { return m_rows[std::size_t(row)].key; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        std::pair<QString, int> key;
        QString draft;
        QString origin;
    };
    std::shared_ptr<const SchemaRegistry> m_registry;
    std::vector<Row> m_rows;
};

} // namespace chronoscope
