#include "topics/topicspanel.h"

#include "base/style.h"
#include "base/theme.h"
#include "topics/partitionmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace chronoscope {

namespace {

const QString GroupName = QStringLiteral("shop-consumers");
constexpr int TickMs = 200;
constexpr int HighlightMs = 4000;
constexpr int ShownMoves = 6; // in the message line; the tooltip has them all

enum MemberColumn { IdColumn, PartitionsColumn, LagColumn, StateColumn, PauseColumn, MemberColumns };

// "0–2, 5": runs of consecutive partitions.
QString rangesText(const std::vector<int>& partitions)
{
    QStringList parts;
    for (size_t i = 0; i < partitions.size();) {
        size_t j = i;
        while (j + 1 < partitions.size() && partitions[j + 1] == partitions[j] + 1)
            ++j;
        parts << (j == i ? QString::number(partitions[i])
                         : QStringLiteral("%1\u2013%2").arg(partitions[i]).arg(partitions[j]));
        i = j + 1;
    }
    return parts.isEmpty() ? TopicsPanel::tr("none") : parts.join(QStringLiteral(", "));
}

} // namespace

TopicsPanel::TopicsPanel(QWidget* parent)
    : QWidget(parent)
    , m_group(GroupName, 6, {QStringLiteral("consumer-1"), QStringLiteral("consumer-2")})
    , m_partitions(new QSpinBox)
    , m_from(new QComboBox)
    , m_resetOffsets(new QPushButton(tr("Reset Offsets")))
    , m_add(new QPushButton(tr("Add Member")))
    , m_remove(new QPushButton(tr("Remove Member")))
    , m_message(new QLabel)
    , m_table(new QTableView)
    , m_model(new PartitionModel(this))
    , m_members(new QTableWidget(0, MemberColumns))
    , m_note(new QLabel)
    , m_stream(new QLineEdit)
    , m_streamPartition(new QLabel)
    , m_tick(new QTimer(this))
    , m_unhighlight(new QTimer(this))
{
    setObjectName(QStringLiteral("topicsPanel"));
    m_partitions->setObjectName(QStringLiteral("partitionsSpin"));
    m_partitions->setRange(1, MaxPartitions);
    m_partitions->setValue(6);
    m_partitions->setKeyboardTracking(false);
    m_partitions->setToolTip(
        tr("How many partitions the topic has: each stream goes to one, by a hash of its id"));
    m_from->setObjectName(QStringLiteral("startFromCombo"));
    m_from->addItem(tr("the beginning"), int(topics::StartFrom::Beginning));
    m_from->addItem(tr("the end"), int(topics::StartFrom::End));
    m_from->setToolTip(tr("Where the group's committed offsets start: every event still to read, or none"));
    m_resetOffsets->setObjectName(QStringLiteral("resetOffsetsButton"));
    m_resetOffsets->setToolTip(tr("Move every committed offset to where \u201cStart from\u201d says"));
    m_add->setObjectName(QStringLiteral("addMemberButton"));
    m_add->setToolTip(tr("A new member joins the group: the partitions are assigned again (a rebalance)"));
    m_remove->setObjectName(QStringLiteral("removeMemberButton"));
    m_remove->setToolTip(tr("The selected member (else the last) leaves the group: a rebalance"));

    auto* top = new QHBoxLayout;
    auto* title = new QLabel(tr("Group <b>%1</b>").arg(GroupName));
    title->setToolTip(tr("A consumer group reading the store's log as a Kafka-style topic (simulated)"));
    top->addWidget(title);
    top->addSpacing(8);
    auto* partitionsLabel = new QLabel(tr("&Partitions:"));
    partitionsLabel->setBuddy(m_partitions);
    top->addWidget(partitionsLabel);
    top->addWidget(m_partitions);
    auto* fromLabel = new QLabel(tr("&Start from:"));
    fromLabel->setBuddy(m_from);
    top->addWidget(fromLabel);
    top->addWidget(m_from);
    top->addWidget(m_resetOffsets);
    top->addStretch(1);
    top->addWidget(m_add);
    top->addWidget(m_remove);

    m_message->setObjectName(QStringLiteral("rebalanceMessage"));
    m_message->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // never widens the dock
    setMessage(tr("Add or remove a member to see a rebalance; pause one to see its lag grow."));

    m_table->setObjectName(QStringLiteral("partitionTable"));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_model->setGroup(&m_group);
    // Numbers as wide as their header (or 5 digits), the member name takes the rest.
    const QFontMetrics metrics = m_table->horizontalHeader()->fontMetrics();
    const auto fit = [&metrics](const QString& text) {
        return std::max(metrics.horizontalAdvance(text), metrics.horizontalAdvance(QStringLiteral("00000")))
            + 14;
    };
    for (int c = 0; c < PartitionModel::ColumnCount; ++c)
        m_table->setColumnWidth(c, fit(m_model->headerData(c, Qt::Horizontal).toString()));
    m_table->horizontalHeader()->setSectionResizeMode(PartitionModel::MemberColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setMinimumSectionSize(40);

    m_members->setObjectName(QStringLiteral("memberTable"));
    m_members->setHorizontalHeaderLabels({tr("Member"), tr("Partitions"), tr("Lag"), tr("State"), QString()});
    m_members->verticalHeader()->hide();
    m_members->verticalHeader()->setDefaultSectionSize(m_table->verticalHeader()->defaultSectionSize() + 4);
    m_members->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_members->setSelectionMode(QAbstractItemView::SingleSelection);
    m_members->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_members->horizontalHeader()->setMinimumSectionSize(40);
    m_members->horizontalHeader()->setSectionResizeMode(IdColumn, QHeaderView::Stretch);
    m_members->setColumnWidth(PartitionsColumn, fit(tr("Partitions")));
    m_members->setColumnWidth(LagColumn, fit(tr("Lag")));
    m_members->setColumnWidth(StateColumn, fit(tr("running")));
    m_members->setColumnWidth(PauseColumn, fit(tr("Resume")));

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_table);
    splitter->addWidget(m_members);
    splitter->setStretchFactor(0, 5);
    splitter->setStretchFactor(1, 4);
    splitter->setChildrenCollapsible(false);

    m_note->setObjectName(QStringLiteral("orderingNote"));
    m_note->setWordWrap(true);
    m_note->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_note->setText(tr("Order is kept per partition only: all of a stream's events go to one partition, in "
                       "order; events of different partitions may be read in any order."));
    m_note->setStyleSheet(style::textColour(style::Colour::MutedText));
    m_stream->setObjectName(QStringLiteral("streamPartitionEdit"));
    m_stream->setPlaceholderText(tr("Stream id \u2192 its partition"));
    m_stream->setClearButtonEnabled(true);
    m_stream->setMaximumWidth(220);
    m_streamPartition->setObjectName(QStringLiteral("streamPartition"));
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_note, 1);
    bottom->addWidget(m_stream);
    bottom->addWidget(m_streamPartition);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);
    layout->addLayout(bottom);

    connect(m_partitions, &QSpinBox::valueChanged, this, &TopicsPanel::recountRequested);
    connect(m_from, &QComboBox::activated, this, [this] { setStartFrom(startFrom()); });
    connect(m_resetOffsets, &QPushButton::clicked, this, [this] { setStartFrom(startFrom()); });
    connect(m_add, &QPushButton::clicked, this, &TopicsPanel::addMember);
    connect(m_remove, &QPushButton::clicked, this, &TopicsPanel::removeMember);
    connect(m_stream, &QLineEdit::textChanged, this, &TopicsPanel::updateLookup);
    m_tick->setInterval(TickMs);
    connect(m_tick, &QTimer::timeout, this, &TopicsPanel::tick);
    m_tick->start();
    m_unhighlight->setSingleShot(true);
    m_unhighlight->setInterval(HighlightMs);
    connect(m_unhighlight, &QTimer::timeout, this, [this] { m_model->setMoved({}); });
    connect(style::ThemeNotifier::instance(), &style::ThemeNotifier::changed, this,
        [this] { m_note->setStyleSheet(style::textColour(style::Colour::MutedText)); });
    rebuildMembers();
}

TopicsPanel::~TopicsPanel() = default;

int TopicsPanel::partitionCount() const
{
    return m_partitions->value();
}

topics::StartFrom TopicsPanel::startFrom() const
{
    return topics::StartFrom(m_from->currentData().toInt());
}

void TopicsPanel::setPartitionCount(int partitions)
{
    if (m_partitions->value() == partitions)
        Q_EMIT recountRequested();
    else
        m_partitions->setValue(partitions); // asks for a count
}

void TopicsPanel::setStartFrom(topics::StartFrom from)
{
    m_from->setCurrentIndex(m_from->findData(int(from)));
    m_group.resetOffsets(from);
    m_model->refresh();
    updateMembers();
    Q_EMIT changed();
}

void TopicsPanel::tick()
{
    if (m_group.consume(ConsumeRate) > 0)
        groupChanged(false);
}

void TopicsPanel::groupChanged(bool relaid)
{
    if (relaid) {
        m_model->reload();
        rebuildMembers();
    } else {
        m_model->refresh();
        updateMembers();
        updateLookup();
    }
    Q_EMIT changed();
}

void TopicsPanel::showError(const QString& message)
{
    setMessage(message, true);
}

QString TopicsPanel::message() const
{
    return m_messageText;
}

void TopicsPanel::setMessage(const QString& text, bool error)
{
    m_messageText = text;
    m_message->setToolTip(text);
    style::setTone(m_message, error ? style::Tone::Error : style::Tone::Plain);
    elideMessage();
}

void TopicsPanel::elideMessage()
{
    m_message->setText(
        m_message->fontMetrics().elidedText(m_messageText, Qt::ElideRight, m_message->width()));
}

void TopicsPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    elideMessage();
}

void TopicsPanel::resetGroup(int members, int partitions)
{
    {
        const QSignalBlocker block(m_partitions); // counted once, below
        m_partitions->setValue(partitions);
    }
    QStringList ids;
    for (int m = 1; m <= std::clamp(members, 0, MaxMembers); ++m)
        ids << QStringLiteral("consumer-%1").arg(m);
    m_group = topics::ConsumerGroup(GroupName, m_partitions->value(), ids);
    m_model->reload();
    setMessage(tr("A fresh group of %n member(s).", nullptr, int(ids.size())));
    Q_EMIT recountRequested();
}

void TopicsPanel::addMember()
{
    if (int(m_group.members().size()) >= MaxMembers)
        return;
    const QString id = m_group.nextMemberId();
    rebalanced(m_group.addMember(id), tr("%1 joined").arg(id));
}

void TopicsPanel::removeMember()
{
    if (m_group.members().empty())
        return;
    const int row = m_members->currentRow();
    const QString id = row >= 0 && row < int(m_group.members().size()) ? m_group.members()[size_t(row)].id
                                                                       : m_group.members().back().id;
    rebalanced(m_group.removeMember(id), tr("%1 left").arg(id));
}

bool TopicsPanel::setPaused(const QString& member, bool paused)
{
    if (!m_group.member(member))
        return false;
    m_group.setPaused(member, paused);
    if (auto* button = m_members->findChild<QToolButton*>(QStringLiteral("pauseButton-") + member)) {
        const QSignalBlocker block(button);
        button->setChecked(paused);
    }
    updateMembers();
    Q_EMIT changed();
    return true;
}

void TopicsPanel::rebalanced(const std::vector<topics::MovedPartition>& moved, const QString& what)
{
    QStringList moves;
    QSet<int> partitions;
    for (const topics::MovedPartition& m : moved) {
        moves << tr("partition %1 %2 \u2192 %3")
                     .arg(m.partition)
                     .arg(m.from.isEmpty() ? tr("(none)") : m.from, m.to.isEmpty() ? tr("(none)") : m.to);
        partitions.insert(m.partition);
    }
    QString text = tr("Rebalance (%1): ").arg(what);
    if (moves.isEmpty())
        text += tr("no partition moved");
    else if (moves.size() > ShownMoves)
        text += moves.mid(0, ShownMoves).join(QStringLiteral(", "))
            + tr(" \u2026 and %1 more").arg(moves.size() - ShownMoves);
    else
        text += moves.join(QStringLiteral(", "));
    setMessage(text);
    if (!moves.isEmpty())
        m_message->setToolTip(moves.join(QLatin1Char('\n')));
    rebuildMembers();
    m_model->refresh();
    m_model->setMoved(partitions);
    m_unhighlight->start();
    Q_EMIT changed();
}

void TopicsPanel::rebuildMembers()
{
    const QString selected
        = m_members->currentRow() >= 0 && m_members->item(m_members->currentRow(), IdColumn)
        ? m_members->item(m_members->currentRow(), IdColumn)->text()
        : QString();
    m_members->clearContents();
    m_members->setRowCount(int(m_group.members().size()));
    for (int row = 0; row < m_members->rowCount(); ++row) {
        const topics::GroupMemberState& member = m_group.members()[size_t(row)];
        for (int c = IdColumn; c < PauseColumn; ++c) {
            auto* item = new QTableWidgetItem;
            if (c == LagColumn)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_members->setItem(row, c, item);
        }
        m_members->item(row, IdColumn)->setText(member.id);
        auto* pause = new QToolButton;
        pause->setObjectName(QStringLiteral("pauseButton-") + member.id);
        pause->setCheckable(true);
        pause->setChecked(member.paused);
        pause->setAutoRaise(false);
        const QString id = member.id;
        connect(pause, &QToolButton::toggled, this, [this, id](bool paused) { setPaused(id, paused); });
        m_members->setCellWidget(row, PauseColumn, pause);
        if (member.id == selected)
            m_members->selectRow(row);
    }
    updateMembers();
    updateLookup();
    updateButtons();
}

void TopicsPanel::updateMembers()
{
    for (int row = 0; row < m_members->rowCount() && row < int(m_group.members().size()); ++row) {
        const topics::GroupMemberState& member = m_group.members()[size_t(row)];
        const qint64 lag = m_group.memberLag(member.id);
        m_members->item(row, PartitionsColumn)->setText(rangesText(member.partitions));
        m_members->item(row, LagColumn)->setText(QString::number(lag));
        m_members->item(row, LagColumn)
            ->setForeground(lag > 0 ? QBrush(style::colour(style::Colour::WarningText)) : QBrush());
        m_members->item(row, StateColumn)->setText(member.paused ? tr("paused") : tr("running"));
        if (auto* pause = qobject_cast<QToolButton*>(m_members->cellWidget(row, PauseColumn))) {
            pause->setText(member.paused ? tr("Resume") : tr("Pause"));
            pause->setToolTip(member.paused
                    ? tr("%1 reads its partitions again").arg(member.id)
                    : tr("%1 stops reading: its partitions' lag grows").arg(member.id));
        }
    }
}

void TopicsPanel::showStream(const StreamId& stream)
{
    m_stream->setText(stream.toString());
}

void TopicsPanel::updateLookup()
{
    const QString id = m_stream->text().trimmed();
    if (id.isEmpty()) {
        m_streamPartition->clear();
        return;
    }
    const int p = topics::partitionOf(StreamId(id), m_group.partitionCount());
    const QString member = m_group.partitions()[size_t(p)].member;
    m_streamPartition->setText(member.isEmpty() ? tr("partition %1, read by nobody").arg(p)
                                                : tr("partition %1, read by %2").arg(p).arg(member));
}

void TopicsPanel::updateButtons()
{
    m_add->setEnabled(int(m_group.members().size()) < MaxMembers);
    m_remove->setEnabled(!m_group.members().empty());
}

} // namespace chronoscope
