#pragma once

// ui/upcast: the inspector's Raw ⇄ Upcast view of one event (loading upcasters is the store
// session's, window/storesession.h).

#include "upcast/upcaster.h"

#include <QWidget>

#include <optional>

class QLabel;
class QTreeView;

namespace chronoscope {

class ChangeHighlightProxy;
class JsonTreeModel;

/// The inspector's "Raw ⇄ Upcast" tab: one event as stored and as the upcasters made it, side
/// by side (two JSON trees), with the schema versions, the steps applied and the error of a
/// step that failed. Fields the upcast changed are highlighted in both trees.
class UpcastView : public QWidget {
    Q_OBJECT
public:
    explicit UpcastView(QWidget* parent = nullptr);

    /// No upcasters are loaded: says so (and how to load some).
    void showNoUpcasters();
    /// Nothing selected.
    void clear();
    /// Shows both forms of one event.
    void setOutcome(const UpcastOutcome& outcome);

    const std::optional<UpcastOutcome>& outcome() const { return m_outcome; }
    JsonTreeModel* rawModel() const { return m_rawModel; }
    JsonTreeModel* upcastModel() const { return m_upcastModel; }
    ChangeHighlightProxy* rawHighlight() const { return m_rawHighlight; }
    ChangeHighlightProxy* upcastHighlight() const { return m_upcastHighlight; }
    /// The line above the trees (schema versions and steps), plain text.
    QString summaryText() const;
    /// The upcaster's error ("" when none).
    QString errorText() const;
    /// The text shown instead of the trees ("" while the trees are shown).
    QString placeholderText() const;

private:
    void showPlaceholder(const QString& text);

    std::optional<UpcastOutcome> m_outcome;
    JsonTreeModel* m_rawModel;
    JsonTreeModel* m_upcastModel;
    ChangeHighlightProxy* m_rawHighlight;
    ChangeHighlightProxy* m_upcastHighlight;
    QTreeView* m_rawView;
    QTreeView* m_upcastView;
    QLabel* m_rawTitle;
    QLabel* m_upcastTitle;
    QLabel* m_summary;
    QLabel* m_error;
    QLabel* m_placeholder;
    QWidget* m_body;
};

} // namespace chronoscope
