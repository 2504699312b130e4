#include "streams/eventjumpbar.h"

#include "streams/eventtablemodel.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QTableView>
#include <QToolButton>

namespace chronoscope {

EventJumpBar::EventJumpBar(EventTableModel* model, QTableView* view, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_view(view)
    , m_edit(new QLineEdit(this))
    , m_newestFirst(new QToolButton(this))
{
    m_edit->setObjectName(QStringLiteral("goToEdit"));
    m_edit->setPlaceholderText(tr("Go to position, version or time\u2026"));
    m_edit->setToolTip(tr("A number is a position in all streams and a version in a stream; p123 is a "
                          "position, v12 a version, 2026-01-05T10:00:00Z the first event at or after "
                          "that time. Enter goes there."));
    m_edit->setClearButtonEnabled(true);
    m_edit->setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 16);
    m_newestFirst->setObjectName(QStringLiteral("newestFirstButton"));
    m_newestFirst->setText(tr("Newest first"));
    m_newestFirst->setToolTip(tr("Show the last event on top"));
    m_newestFirst->setCheckable(true);
    m_newestFirst->setAutoRaise(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_edit);
    layout->addWidget(m_newestFirst);
    connect(m_edit, &QLineEdit::returnPressed, this, [this] { jumpTo(m_edit->text()); });
    connect(m_newestFirst, &QToolButton::toggled, this, [this](bool on) {
        const auto current = m_model->eventAt(m_view->currentIndex().row());
        m_model->setNewestFirst(on);
        if (current.position.value > 0) { // the selected event stays selected
            const int row = m_model->rowOfPosition(current.position);
            if (row >= 0) {
                m_view->selectRow(row);
                m_view->scrollTo(m_view->model()->index(row, 0), QAbstractItemView::PositionAtCenter);
            }
        }
    });
}

bool EventJumpBar::jumpTo(const QString& input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return false;
    const bool inStream = m_model->stream().has_value();
    int row = -1;
    QString what;
    bool number = false;
    QString digits = text;
    enum class Key { Default, Position, Version } key = Key::Default;
    if (text.startsWith(QLatin1Char('p'), Qt::CaseInsensitive) || text.startsWith(QLatin1Char('#'))) {
        key = Key::Position;
        digits = text.mid(1);
    } else if (text.startsWith(QLatin1Char('v'), Qt::CaseInsensitive)) {
        key = Key::Version;
        digits = text.mid(1);
    }
    const qint64 value = digits.trimmed().toLongLong(&number);
    if (number && key == Key::Default)
        key = inStream ? Key::Version : Key::Position;
    if (number && key == Key::Version) {
        if (!inStream) {
            Q_EMIT message(
                tr("Versions belong to a stream: select one first, or give a position (p%1).").arg(value));
            return false;
        }
        what = tr("version %1").arg(value);
        row = m_model->ensureVersionLoaded(Version(value));
    } else if (number && key == Key::Position) {
        what = tr("position %1").arg(value);
        row = m_model->rowOfPosition(Position(value));
        // Paged rows: load on until it is there (bounded by what the rows hold).
        while (row < 0 && value > 0 && m_model->canFetchMore({})) {
            m_model->fetchMore({});
            row = m_model->rowOfPosition(Position(value));
        }
    } else if (const auto time = parseTimestamp(text)) {
        what = tr("the first event at or after %1").arg(formatTimestamp(*time));
        row = m_model->rowAtOrAfterTime(*time);
    } else {
        Q_EMIT message(tr("'%1' is not a position, a version or an ISO-8601 time (e.g. 1200, v12, "
                          "2026-01-05T10:00:00Z).")
                           .arg(text));
        return false;
    }
    if (row < 0) {
        Q_EMIT message(tr("There is no %1 in the events shown.").arg(what));
        return false;
    }
    m_view->selectRow(row);
    m_view->scrollTo(m_view->model()->index(row, 0), QAbstractItemView::PositionAtCenter);
    Q_EMIT message(tr("Went to %1 (row %L2 of %L3).").arg(what).arg(row + 1).arg(m_model->rowCount()));
    return true;
}

} // namespace chronoscope
