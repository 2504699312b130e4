#include "timetravel/fieldhistoryview.h"

#include "base/style.h"
#include "timetravel/fieldhistorymodel.h"
#include "timetravel/timetravelsession.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace chronoscope {

FieldHistoryView::FieldHistoryView(TimeTravelSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new FieldHistoryModel(this))
    , m_view(new QTableView)
    , m_title(new QLabel)
    , m_status(new QLabel)
{
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->setToolTip(tr("Double-click a change to travel to its version"));
    auto* header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    header->resizeSection(FieldHistoryModel::VersionColumn, 58);
    header->resizeSection(FieldHistoryModel::PositionColumn, 64);
    header->resizeSection(FieldHistoryModel::TypeColumn, 120);
    header->resizeSection(FieldHistoryModel::TimestampColumn, 178);
    header->resizeSection(FieldHistoryModel::OldColumn, 110);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_title);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);

    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (index.isValid())
            Q_EMIT jumpRequested(index.data(FieldHistoryModel::VersionRole).toLongLong());
    });
    connect(m_session, &TimeTravelSession::historyReady, this,
        [this](const QString& pointer, const std::vector<FieldChange>& changes) {
            m_model->setChanges(pointer, changes);
            style::setTone(m_status, style::Tone::Plain);
            m_status->setText(
                tr("%n change(s). Double-click one to travel there.", nullptr, int(changes.size())));
            Q_EMIT historyShown(pointer);
        });
    connect(
        m_session, &TimeTravelSession::historyFailed, this, [this](const QString&, const QString& message) {
            m_model->clear();
            style::setTone(m_status, style::Tone::Error);
            m_status->setText(message);
        });
    connect(m_session, &TimeTravelSession::streamChanged, this, [this] {
        m_model->clear();
        m_title->setText(tr("Field history"));
        style::setTone(m_status, style::Tone::Plain);
        m_status->setText(tr("Right-click a field of the state and choose \u201cHistory of\u2026\u201d."));
    });
    m_title->setText(tr("Field history"));
    m_status->setText(tr("Right-click a field of the state and choose \u201cHistory of\u2026\u201d."));
}

QString FieldHistoryView::statusText() const
{
    return m_status->text();
}

void FieldHistoryView::showHistory(const QString& pointer)
{
    if (!m_session->stream())
        return;
    m_title->setText(tr("History of %1 in %2").arg(pointer, m_session->stream()->toString()));
    style::setTone(m_status, style::Tone::Plain);
    m_status->setText(tr("Looking through every version\u2026"));
    m_session->requestFieldHistory(pointer);
}

} // namespace chronoscope
