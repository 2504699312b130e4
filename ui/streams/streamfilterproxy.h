#pragma once

#include <QSortFilterProxyModel>

#include <optional>

namespace chronoscope {

/// Filters a StreamListModel: case-insensitive substring of the stream id, optionally
/// restricted to one category. Sorts by the source's raw SortRole.
class StreamFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit StreamFilterProxy(QObject* parent = nullptr);

    /// Case-insensitive substring the stream id must contain (empty: every stream).
    void setText(const QString& text);
    QString text() const { return m_text; }
    /// Only streams of this category ("" = ids without '-'); nullopt: every category.
    void setCategory(std::optional<QString> category);
    std::optional<QString> category() const { return m_category; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
    std::optional<QString> m_category;
};

} // namespace chronoscope
