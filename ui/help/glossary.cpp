#include "help/glossary.h"

#include <QDockWidget>
#include <QEvent>
#include <QFile>
#include <QHelpEvent>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QToolTip>
#include <QWidget>

namespace chronoscope::help {

namespace {

QStringList strings(const QJsonValue& value)
{
    QStringList out;
    for (const QJsonValue& item : value.toArray())
        out << item.toString();
    return out;
}

QString normalised(QString words)
{
    words = words.trimmed();
    if (words.endsWith(QLatin1Char(':')))
        words.chop(1);
    return words.simplified().toLower();
}

// Shows a tooltip over a dock's title bar; tooltip requests from its contents (which have none
// of their own) are not answered with it.
class TitleTip : public QObject {
public:
    TitleTip(QDockWidget* dock, QString tip)
        : QObject(dock)
        , m_dock(dock)
        , m_tip(std::move(tip))
    {
        dock->installEventFilter(this);
    }

    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched != m_dock || event->type() != QEvent::ToolTip)
            return false;
        auto* help = static_cast<QHelpEvent*>(event);
        const QWidget* content = m_dock->widget();
        if (content && content->geometry().contains(help->pos())) {
            QToolTip::hideText();
            return true; // over the contents: not the title
        }
        QToolTip::showText(help->globalPos(), m_tip, m_dock);
        return true;
    }

private:
    QDockWidget* m_dock;
    QString m_tip;
};

} // namespace

Glossary Glossary::fromJson(const QByteArray& json, QString* error)
{
    Glossary glossary;
    auto fail = [&](const QString& why) {
        if (error)
            *error = why;
        return Glossary();
    };
    QJsonParseError parse;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parse);
    if (parse.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not JSON at offset %1: %2").arg(parse.offset).arg(parse.errorString()));
    const QJsonValue terms = document.object().value(QStringLiteral("terms"));
    if (!terms.isArray())
        return fail(QStringLiteral("no \"terms\" array"));
    int index = 0;
    for (const QJsonValue& value : terms.toArray()) {
        const QJsonObject object = value.toObject();
        GlossaryTerm term;
        term.id = object.value(QStringLiteral("id")).toString();
        term.term = object.value(QStringLiteral("term")).toString();
        term.aliases = strings(object.value(QStringLiteral("aliases")));
        term.shortText = object.value(QStringLiteral("short")).toString();
        term.longText = object.value(QStringLiteral("long")).toString();
        term.see = strings(object.value(QStringLiteral("see")));
        if (term.id.isEmpty() || term.term.isEmpty() || term.shortText.isEmpty())
            return fail(QStringLiteral("terms[%1]: needs \"id\", \"term\" and \"short\"").arg(index));
        if (glossary.find(term.id))
            return fail(QStringLiteral("terms[%1]: id \"%2\" appears twice").arg(index).arg(term.id));
        glossary.m_terms.push_back(std::move(term));
        ++index;
    }
    if (error)
        error->clear();
    return glossary;
}

const Glossary& Glossary::bundled()
{
    static const Glossary glossary = [] {
        QFile file(QStringLiteral(":/help/glossary.json"));
        if (!file.open(QIODevice::ReadOnly))
            return Glossary();
        QString error;
        Glossary read = fromJson(file.readAll(), &error);
        Q_ASSERT_X(error.isEmpty(), "glossary.json", qPrintable(error));
        return read;
    }();
    return glossary;
}

const GlossaryTerm* Glossary::find(const QString& id) const
{
    for (const GlossaryTerm& term : m_terms) {
        if (term.id == id)
            return &term;
    }
    return nullptr;
}

const GlossaryTerm* Glossary::lookup(const QString& words) const
{
    const QString wanted = normalised(words);
    if (wanted.isEmpty())
        return nullptr;
    for (const GlossaryTerm& term : m_terms) {
        if (normalised(term.term) == wanted || term.id == wanted)
            return &term;
    }
    for (const GlossaryTerm& term : m_terms) {
        for (const QString& alias : term.aliases) {
            if (normalised(alias) == wanted)
                return &term;
        }
    }
    return nullptr;
}

QString Glossary::tooltip(const QString& id) const
{
    const GlossaryTerm* term = find(id);
    if (!term)
        return {};
    return QStringLiteral("<p><b>%1</b> \u2014 %2</p><p><i>%3</i></p>")
        .arg(term->term.toHtmlEscaped(), term->shortText.toHtmlEscaped(),
            QObject::tr("More in Help \u25b8 Glossary").toHtmlEscaped());
}

QString Glossary::pageHtml(const QString& id) const
{
    const GlossaryTerm* term = find(id);
    if (!term)
        return QStringLiteral("<h2>%1</h2><p>%2</p>")
            .arg(QObject::tr("Not in the glossary"), QObject::tr("No term \"%1\".").arg(id.toHtmlEscaped()));
    QString html
        = QStringLiteral("<h1><a name=\"%1\"></a>%2</h1><p><b>%3</b></p>")
              .arg(term->id.toHtmlEscaped(), term->term.toHtmlEscaped(), term->shortText.toHtmlEscaped());
    const QString text = term->longText.isEmpty() ? QString() : term->longText;
    for (const QString& paragraph : text.split(QStringLiteral("\n\n"), Qt::SkipEmptyParts))
        html += QStringLiteral("<p>%1</p>").arg(paragraph.toHtmlEscaped());
    QStringList links;
    for (const QString& other : term->see) {
        if (const GlossaryTerm* related = find(other))
            links << QStringLiteral("<a href=\"glossary:%1\">%2</a>")
                         .arg(related->id.toHtmlEscaped(), related->term.toHtmlEscaped());
    }
    if (!links.isEmpty())
        html
            += QStringLiteral("<p>%1 %2</p>").arg(QObject::tr("See also:"), links.join(QStringLiteral(", ")));
    html += QStringLiteral("<p><a href=\"qrc:/help/manual.html#glossary\">%1</a></p>")
                .arg(QObject::tr("All terms of the glossary"));
    return html;
}

void setTitleGlossaryTip(QDockWidget* dock, const QString& id)
{
    const QString tip = glossaryTip(id);
    if (dock && !tip.isEmpty()) {
        dock->setProperty("chronoscopeGlossary", id);
        new TitleTip(dock, tip);
    }
}

QString glossaryTip(const QString& id)
{
    const QString tip = Glossary::bundled().tooltip(id);
    Q_ASSERT_X(!tip.isEmpty(), "glossaryTip", qPrintable(id));
    return tip;
}

void setGlossaryTip(QWidget* widget, const QString& id)
{
    const QString tip = glossaryTip(id);
    if (!tip.isEmpty() && widget)
        widget->setToolTip(tip);
}

} // namespace chronoscope::help
