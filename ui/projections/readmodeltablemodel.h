#pragma once

#include "projections/readmodelshape.h"

#include <QAbstractTableModel>

#include <memory>
#include <string>
#include <vector>

namespace chronoscope {

/// A projection's read model flattened into a table, by its shape (readModelShape()):
/// an object of objects gives a row per member and a column per field (the member name first),
/// an array of objects a row per element, an object of other values key | value, an array of
/// other values # | value, and a scalar a single cell.
///
/// The table can show a part of the read model instead (setRoot(), a JSON Pointer): a cell
/// holding an object or an array can be opened this way. A new read model of the same layout
/// only changes data (selection and scrolling stay); another layout resets the model.
class ReadModelTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        SortRole = Qt::UserRole + 1, ///< numbers as double, strings as text, containers by size
        JsonRole,                    ///< the cell's value as compact JSON text
        PointerRole,                 ///< RFC 6901 pointer of the cell's value in the whole read model
    };
    /// Columns past this many fields are left out (the JSON tree still shows them).
    static constexpr int MaxFieldColumns = 64;

    explicit ReadModelTableModel(QObject* parent = nullptr);

    /// Shows a new read model; keeps the root when it still names a container in it.
    void setJson(nlohmann::json value);
    /// The same without a copy: the model keeps a reference to a read model nobody changes.
    void setJson(std::shared_ptr<const nlohmann::json> value);
    const nlohmann::json& readModel() const { return *m_json; }
    void clear() { setJson(nlohmann::json()); }

    /// Shows the part of the read model at a JSON Pointer ("" for all of it). Returns false
    /// (and changes nothing) when the pointer names no object or array.
    bool setRoot(const QString& pointer);
    QString root() const { return m_root; }
    /// The root's parent pointer ("" when at the top).
    QString parentRoot() const;
    /// The shape of the value shown.
    ReadModelShape shape() const { return m_layout.shape; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Layout {
        ReadModelShape shape = ReadModelShape::Empty;
        std::vector<std::string> fields; ///< Records / Rows: the field columns
        std::vector<std::string> keys;   ///< object members in order (object shapes)
        std::size_t rows = 0;
        bool operator==(const Layout&) const = default;
    };
    static Layout layoutOf(const nlohmann::json& shown);
    static const nlohmann::json* resolve(const nlohmann::json& value, const QString& pointer);
    void bindRows();
    const nlohmann::json* cell(int row, int column) const;
    QString cellPointer(int row, int column) const;

    std::shared_ptr<const nlohmann::json> m_json = std::make_shared<const nlohmann::json>();
    QString m_root;
    const nlohmann::json* m_shown = nullptr;
    Layout m_layout;
    std::vector<const nlohmann::json*> m_rows; ///< the value of each row
};

} // namespace chronoscope
