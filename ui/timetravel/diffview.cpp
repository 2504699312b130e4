#include "timetravel/diffview.h"

#include "base/style.h"
#include "timetravel/patchtablemodel.h"
#include "timetravel/timetravelsession.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace chronoscope {

DiffView::DiffView(TimeTravelSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new PatchTableModel(this))
    , m_a(new QSpinBox)
    , m_b(new QSpinBox)
    , m_view(new QTableView)
    , m_status(new QLabel)
{
    for (QSpinBox* spin : {m_a, m_b}) {
        spin->setKeyboardTracking(false);
        spin->setPrefix(tr("v"));
        spin->setMinimumWidth(80);
    }
    m_a->setToolTip(tr("Version A: the state the patch starts from"));
    m_b->setToolTip(tr("Version B: the state the patch leads to"));
    auto* swap = new QPushButton(tr("Swap"));
    swap->setToolTip(tr("Exchange A and B"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    auto* header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    header->resizeSection(PatchTableModel::OpColumn, 64);
    header->resizeSection(PatchTableModel::PathColumn, 170);
    header->resizeSection(PatchTableModel::OldColumn, 150);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("From A")));
    controls->addWidget(m_a);
    controls->addWidget(new QLabel(tr("to B")));
    controls->addWidget(m_b);
    controls->addWidget(swap);
    controls->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);

    connect(m_a, &QSpinBox::valueChanged, this, &DiffView::request);
    connect(m_b, &QSpinBox::valueChanged, this, &DiffView::request);
    connect(swap, &QPushButton::clicked, this, [this] { compare(versionB(), versionA()); });
    connect(m_session, &TimeTravelSession::streamChanged, this, &DiffView::onStreamChanged);
    connect(m_session, &TimeTravelSession::lastVersionChanged, this, &DiffView::onLastVersionChanged);
    connect(m_session, &TimeTravelSession::reducerAccepted, this, &DiffView::request);
    connect(m_session, &TimeTravelSession::skippedChanged, this, &DiffView::request);
    connect(m_session, &TimeTravelSession::diffReady, this,
        [this](qint64 a, qint64 b, const std::vector<PatchRow>& rows) {
            m_model->setRows(rows);
            style::setTone(m_status, style::Tone::Plain);
            m_status->setText(rows.empty()
                    ? tr("The states at v%1 and v%2 are equal.").arg(a).arg(b)
                    : tr("%n operation(s) turn the state at v%1 into the state at v%2.", nullptr,
                        int(rows.size()))
                          .arg(a)
                          .arg(b));
            Q_EMIT diffShown(a, b);
        });
    connect(m_session, &TimeTravelSession::diffFailed, this, [this](const QString& message) {
        m_model->clear();
        style::setTone(m_status, style::Tone::Error);
        m_status->setText(message);
    });
    onStreamChanged();
}

qint64 DiffView::versionA() const
{
    return m_a->value();
}

qint64 DiffView::versionB() const
{
    return m_b->value();
}

QString DiffView::statusText() const
{
    return m_status->text();
}

void DiffView::compare(qint64 a, qint64 b)
{
    {
        const QSignalBlocker blockA(m_a);
        const QSignalBlocker blockB(m_b);
        m_a->setValue(int(a));
        m_b->setValue(int(b));
    }
    request();
}

void DiffView::onLastVersionChanged()
{
    // New versions can be compared; the two chosen stay as they were.
    const int last = int(m_session->lastVersion().value);
    const QSignalBlocker blockA(m_a);
    const QSignalBlocker blockB(m_b);
    m_a->setMaximum(last);
    m_b->setMaximum(last);
}

void DiffView::onStreamChanged()
{
    const qint64 last = m_session->lastVersion().value;
    const bool enabled = m_session->stream().has_value();
    {
        const QSignalBlocker blockA(m_a);
        const QSignalBlocker blockB(m_b);
        m_a->setRange(0, int(last));
        m_b->setRange(0, int(last));
        m_a->setValue(int(std::max<qint64>(0, last - 1)));
        m_b->setValue(int(last));
    }
    m_a->setEnabled(enabled);
    m_b->setEnabled(enabled);
    m_model->clear();
    style::setTone(m_status, style::Tone::Plain);
    m_status->setText(enabled ? QString() : tr("Select a stream to compare two of its versions."));
    if (enabled)
        request();
}

void DiffView::request()
{
    if (!m_session->stream())
        return;
    style::setTone(m_status, style::Tone::Plain);
    m_status->setText(tr("Comparing v%1 with v%2\u2026").arg(versionA()).arg(versionB()));
    m_session->requestDiff(Version(versionA()), Version(versionB()));
}

} // namespace chronoscope
