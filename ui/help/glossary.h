#pragma once

#include <QString>
#include <QStringList>

#include <vector>

class QDockWidget;
class QObject;
class QWidget;

namespace chronoscope::help {

/// One concept of the vocabulary (resources/help/glossary.json).
struct GlossaryTerm {
    QString id;          ///< "expected-version": the link glossary:expected-version
    QString term;        ///< "Expected version"
    QStringList aliases; ///< lower-case words that name it ("expected", "wrongexpectedversion")
    QString shortText;   ///< one or two sentences: the tooltip
    QString longText;    ///< paragraphs separated by blank lines, with an example from the sample shop
    QStringList see;     ///< ids of related terms
};

/// The glossary bundled with the program: terms by id and by the words that name them.
class Glossary {
public:
    /// The bundled glossary (read once from the resources).
    static const Glossary& bundled();
    /// Reads a glossary from its JSON text; `error` says what is wrong and where when it is not one.
    static Glossary fromJson(const QByteArray& json, QString* error = nullptr);

    const std::vector<GlossaryTerm>& terms() const { return m_terms; }
    /// The term with this id, or nullptr.
    const GlossaryTerm* find(const QString& id) const;
    /// The term a word or phrase names ("Version:", "dead letters", "Correlation"), ignoring case,
    /// spaces at the ends and a trailing colon; nullptr when none does.
    const GlossaryTerm* lookup(const QString& words) const;

    /// The rich-text tooltip of a term: its name, its short explanation and where to read more.
    QString tooltip(const QString& id) const;
    /// The term as a page of the manual (rich text): name, long text, links to related terms.
    QString pageHtml(const QString& id) const;

private:
    std::vector<GlossaryTerm> m_terms;
};

/// Gives `widget` the glossary tooltip of the term `id` (an id that is not in the glossary is a
/// programming error: asserted in debug builds, nothing set in release).
void setGlossaryTip(QWidget* widget, const QString& id);
/// Gives a dock's title bar (only the title bar, not its contents) the glossary tooltip of `id`.
void setTitleGlossaryTip(QDockWidget* dock, const QString& id);
/// The glossary tooltip, for models' ToolTipRole.
QString glossaryTip(const QString& id);

} // namespace chronoscope::help
