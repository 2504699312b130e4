#include "topics/topicsfeature.h"

#include "streams/streambrowser.h"
#include "topics/partitions.h"
#include "topics/topicspanel.h"
#include "window/storesession.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QTimer>

#include <algorithm>
#include <optional>

namespace chronoscope {

namespace {

const char* const SetupMembers[] = {"partitions", "members", "from", "reset"};
constexpr qint64 ReadBatch = 2000; // appended events read per job

struct Arrived {
    StreamId stream;
    qint64 version;
    qint64 position;
};

struct Counted {
    std::vector<topics::PartitionStats> stats;
    qint64 position = 0; // the last position the stream list counts
};

// A whole number from `low` to `high` under `key`, or an error naming it.
QString wholeNumber(const nlohmann::json& setup, const char* key, int low, int high, int& out)
{
    const auto it = setup.find(key);
    if (it == setup.end())
        return {};
    if (!it->is_number_integer() || it->get<qint64>() < low || it->get<qint64>() > high)
        return QStringLiteral("topics: \"%1\" must be a whole number from %2 to %3, not %4")
            .arg(QLatin1String(key))
            .arg(low)
            .arg(high)
            .arg(QString::fromStdString(it->dump()));
    out = it->get<int>();
    return {};
}

} // namespace

TopicsFeature::TopicsFeature(QObject* parent)
    : QObject(parent)
    , m_panel(new TopicsPanel)
{
    connect(m_panel, &TopicsPanel::recountRequested, this, &TopicsFeature::countPartitions);
    // A read dropped by a recount never hands back its result: whoever asked meanwhile (m_behind)
    // is served once the callbacks of this turn have run.
    m_readJobs.setWhenIdle([this] {
        QTimer::singleShot(0, this, [this] {
            if (m_behind && !m_counting && !m_readJobs.isJobRunning())
                readNew();
        });
    });
}

void TopicsFeature::addDocks(QMainWindow& window)
{
    auto* dock = makeDock(tr("Topics and Consumer Groups"), QStringLiteral("topicsDock"), m_panel, &window);
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide(); // placed by the workspaces
    // A stream selected in the window: its partition under the ordering note.
    if (auto* browser = window.findChild<StreamBrowser*>())
        connect(browser, &StreamBrowser::streamSelected, m_panel, &TopicsPanel::showStream);
}

void TopicsFeature::showStore(const StoreSession& session, bool sameStore)
{
    if (&session != m_session) {
        disconnect(m_appended);
        m_session = &session;
        m_appended = connect(&session, &StoreSession::appended, this, &TopicsFeature::readNew);
    }
    if (!sameStore) { // partitions go by stream id: upcasters change nothing here
        m_store = session.raw();
        countPartitions();
    }
}

bool TopicsFeature::isBusy() const
{
    return m_counting || m_behind || m_readJobs.isJobRunning();
}

void TopicsFeature::countPartitions()
{
    m_readJobs.reset(); // what they read is counted again
    m_behind = false;
    const int partitions = m_panel->partitionCount();
    if (!m_store) {
        m_countJobs.reset();
        m_counting = false;
        m_panel->group().setTopic(
            std::vector<topics::PartitionStats>(static_cast<size_t>(partitions)), 0, m_panel->startFrom());
        m_panel->groupChanged(true);
        return;
    }
    m_counting = true;
    m_countJobs.startJob(
        [store = m_store, partitions](const JobCancelled&) {
            Counted counted {topics::partitionStats(*store, partitions), 0};
            for (const auto& s : counted.stats)
                counted.position = std::max(counted.position, s.lastPosition.value_or(0));
            return counted;
        },
        [this](JobResult<Counted> result) {
            m_counting = false;
            if (!result.ok()) {
                m_panel->showError(tr("The partitions could not be counted: %1").arg(result.error));
                return;
            }
            m_panel->group().setTopic(result.value->stats, result.value->position, m_panel->startFrom());
            m_panel->groupChanged(true);
            readNew(); // what was appended since the stream list was read
        });
}

void TopicsFeature::readNew()
{
    if (!m_store || m_counting) // the count's end reads them
        return;
    if (m_readJobs.isJobRunning()) {
        m_behind = true; // read again when this one is back
        return;
    }
    m_behind = false;
    const Position from(m_panel->group().position() + 1);
    m_readJobs.startJob(
        [store = m_store, from](const JobCancelled&) {
            std::vector<Arrived> arrived;
            for (const RecordedEvent& e : store->readAll(from, ReadBatch))
                arrived.push_back({e.stream, e.version.value, e.position.value});
            return arrived;
        },
        [this](JobResult<std::vector<Arrived>> result) {
            if (!result.ok()) {
                m_panel->showError(tr("New events could not be read: %1").arg(result.error));
                return;
            }
            for (const Arrived& a : *result.value)
                m_panel->group().addEvent(a.stream, a.version, a.position);
            m_panel->groupChanged(false);
            if (qint64(result.value->size()) == ReadBatch || m_behind)
                readNew();
        });
}

nlohmann::json TopicsFeature::lessonFacts() const
{
    const topics::ConsumerGroup& group = m_panel->group();
    return {
        {"partitions", group.partitionCount()},
        {"members", group.members().size()},
        {"paused", group.pausedCount()},
        {"rebalances", group.rebalances()},
        {"movedPartitions", group.lastMoves().size()},
        {"totalLag", group.totalLag()},
        {"maxLag", group.maxLag()},
        {"events", group.events()},
    };
}

QString TopicsFeature::applyLessonSetup(const nlohmann::json& setup)
{
    if (!setup.is_object())
        return QStringLiteral("topics: the setup must be a JSON object, not %1")
            .arg(QString::fromStdString(setup.dump()));
    for (const auto& [key, value] : setup.items()) {
        if (std::find(std::begin(SetupMembers), std::end(SetupMembers), key) == std::end(SetupMembers))
            return QStringLiteral("topics: unknown member \"%1\" (partitions, members, from, reset)")
                .arg(QString::fromStdString(key));
    }
    int partitions = m_panel->group().partitionCount();
    int members = int(m_panel->group().members().size());
    if (QString error = wholeNumber(setup, "partitions", 1, TopicsPanel::MaxPartitions, partitions);
        !error.isEmpty())
        return error;
    if (QString error = wholeNumber(setup, "members", 0, TopicsPanel::MaxMembers, members); !error.isEmpty())
        return error;
    std::optional<topics::StartFrom> from;
    if (const auto it = setup.find("from"); it != setup.end()) {
        if (*it == "beginning")
            from = topics::StartFrom::Beginning;
        else if (*it == "end")
            from = topics::StartFrom::End;
        else
            return QStringLiteral("topics: \"from\" must be \"beginning\" or \"end\", not %1")
                .arg(QString::fromStdString(it->dump()));
    }
    bool reset = false;
    if (const auto it = setup.find("reset"); it != setup.end()) {
        if (!it->is_boolean())
            return QStringLiteral("topics: \"reset\" must be true or false, not %1")
                .arg(QString::fromStdString(it->dump()));
        reset = it->get<bool>();
    }
    if (from)
        m_panel->setStartFrom(*from);
    if (reset) {
        m_panel->resetGroup(members, partitions);
        return {};
    }
    if (partitions != m_panel->group().partitionCount())
        m_panel->setPartitionCount(partitions);
    while (int(m_panel->group().members().size()) < members)
        m_panel->addMember();
    while (int(m_panel->group().members().size()) > members)
        m_panel->removeMember();
    return {};
}

} // namespace chronoscope
