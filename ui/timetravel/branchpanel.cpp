#include "timetravel/branchpanel.h"

#include "base/style.h"
#include "json/jsondepth.h"
#include "streams/eventinspector.h"
#include "timetravel/patchtablemodel.h"
#include "timetravel/timetravel.h"
#include "timetravel/timetravelsession.h"
#include "widgets/jsonedit.h"
#include "widgets/jsontreemodel.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace chronoscope {

namespace {
QWidget* titled(QLabel* title, QWidget* content)
{
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    title->setTextFormat(Qt::PlainText);
    layout->addWidget(title);
    layout->addWidget(content, 1);
    return box;
}
} // namespace

BranchPanel::BranchPanel(QWidget* parent)
    : QWidget(parent)
    , m_name(new QLineEdit(QStringLiteral("what-if")))
    , m_fork(new QPushButton)
    , m_save(new QPushButton(tr("Save")))
    , m_load(new QPushButton(tr("Load\u2026")))
    , m_info(new QLabel)
    , m_type(new QLineEdit)
    , m_data(new JsonEdit)
    , m_append(new QPushButton(tr("Append to Branch")))
    , m_mainTitle(new QLabel)
    , m_branchTitle(new QLabel)
    , m_mainModel(new JsonTreeModel(this))
    , m_branchModel(new JsonTreeModel(this))
    , m_diff(new PatchTableModel(this))
    , m_status(new QLabel)
{
    m_name->setToolTip(tr("Name of the branch; it is saved as <store>.branches/NAME.json"));
    m_type->setPlaceholderText(tr("Event type, e.g. ItemAdded"));
    m_data->setSubject(tr("data"));
    m_data->setText(QStringLiteral("{\n}"));
    m_data->editor()->setFixedHeight(m_data->editor()->fontMetrics().height() * 5);
    m_info->setTextFormat(Qt::PlainText);
    m_info->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Branch")));
    top->addWidget(m_name, 1);
    top->addWidget(m_fork);
    top->addWidget(m_save);
    top->addWidget(m_load);

    auto* composer = new QGridLayout;
    composer->addWidget(new QLabel(tr("Type")), 0, 0);
    composer->addWidget(m_type, 0, 1);
    composer->addWidget(m_append, 0, 2);
    composer->addWidget(new QLabel(tr("Data")), 1, 0, Qt::AlignTop);
    composer->addWidget(m_data, 1, 1, 1, 2);

    auto* mainView = new QTreeView;
    auto* branchView = new QTreeView;
    mainView->setModel(m_mainModel);
    branchView->setModel(m_branchModel);
    setUpJsonTreeView(mainView);
    setUpJsonTreeView(branchView);
    connect(
        m_mainModel, &QAbstractItemModel::modelReset, mainView, [mainView] { mainView->expandToDepth(1); });
    connect(m_branchModel, &QAbstractItemModel::modelReset, branchView,
        [branchView] { branchView->expandToDepth(1); });
    auto* side = new QSplitter(Qt::Horizontal);
    side->addWidget(titled(m_mainTitle, mainView));
    side->addWidget(titled(m_branchTitle, branchView));

    auto* diffView = new QTableView;
    diffView->setModel(m_diff);
    diffView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    diffView->setSelectionBehavior(QAbstractItemView::SelectRows);
    diffView->setShowGrid(false);
    diffView->setWordWrap(false);
    diffView->verticalHeader()->hide();
    diffView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    diffView->horizontalHeader()->setStretchLastSection(true);
    diffView->horizontalHeader()->resizeSection(PatchTableModel::OpColumn, 60);
    diffView->horizontalHeader()->resizeSection(PatchTableModel::PathColumn, 150);
    auto* diffTitle = new QLabel(tr("Main line \u2192 branch"));
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(side);
    split->addWidget(titled(diffTitle, diffView));
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_info);
    layout->addLayout(composer);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);

    connect(m_fork, &QPushButton::clicked, this, [this] { fork(m_current); });
    connect(m_save, &QPushButton::clicked, this, [this] { save(); });
    connect(m_load, &QPushButton::clicked, this, &BranchPanel::chooseFileToLoad);
    connect(m_append, &QPushButton::clicked, this, [this] { appendEvent(m_type->text(), m_data->text()); });
    connect(m_data, &JsonEdit::validityChanged, this, &BranchPanel::updateControls);
    connect(m_type, &QLineEdit::textChanged, this, &BranchPanel::updateControls);
    // A comparison asked for while one runs is made when that one ends (its result dropped).
    m_jobs.setWhenIdle([this] {
        if (std::exchange(m_again, false))
            compare();
    });
    setStream(std::nullopt, nullptr);
}

BranchPanel::~BranchPanel() = default;

namespace {
/// The same branch on top of another view of the same store (null when it no longer fits,
/// e.g. the stream is gone).
std::shared_ptr<BranchStore> rebased(const BranchStore& branch, const EventStore& base)
{
    try {
        auto moved = std::make_shared<BranchStore>(base, branch.stream(), branch.forkAt(), branch.name());
        std::vector<EventData> events;
        for (const auto& e : branch.branchEvents())
            events.push_back(EventData {e.type, e.data, e.metadata, e.id, e.schemaVersion, e.timestampMs});
        if (!events.empty())
            moved->append(branch.stream(), events, ExpectedVersion::any());
        return moved;
    } catch (const StoreError&) {
        return nullptr;
    }
}
} // namespace

void BranchPanel::setStore(std::shared_ptr<const EventStore> store, const QString& path)
{
    setStream(std::nullopt, nullptr); // keeps the selected stream's branch with the others
    auto kept = std::exchange(m_kept, {});
    if (store && m_store && path == m_path && !path.isEmpty()) {
        // A new view of the same store: the branches refer to the old one; move them over.
        for (const auto& [stream, branch] : kept) {
            if (auto moved = rebased(*branch, *store))
                m_kept.emplace(stream, std::move(moved));
        }
    }
    m_store = std::move(store);
    m_path = path;
}

std::vector<StreamId> BranchPanel::keptBranchStreams() const
{
    std::vector<StreamId> out;
    for (const auto& entry : m_kept)
        out.push_back(entry.first);
    return out;
}

void BranchPanel::setStream(const std::optional<StreamId>& stream, std::shared_ptr<const Reducer> reducer)
{
    m_jobs.reset();
    if (m_branch)
        m_kept[m_branch->stream()] = std::move(m_branch);
    m_stream = m_store ? stream : std::nullopt;
    m_reducer = std::move(reducer);
    m_branch.reset();
    m_mainModel->clear();
    m_branchModel->clear();
    m_diff->clear();
    m_status->clear();
    m_mainTitle->setText(tr("Main line"));
    m_branchTitle->setText(tr("Branch"));
    if (m_stream) {
        if (const auto it = m_kept.find(*m_stream); it != m_kept.end()) {
            m_branch = std::move(it->second);
            m_kept.erase(it);
            m_name->setText(m_branch->name());
            m_status->setText(
                tr("The branch \u201c%1\u201d of this stream, as you left it.").arg(m_branch->name()));
            updateControls();
            compare();
            return;
        }
    }
    updateControls();
}

void BranchPanel::setReducer(std::shared_ptr<const Reducer> reducer)
{
    m_reducer = std::move(reducer);
    if (m_branch)
        compare();
}

QString BranchPanel::branchDirectory() const
{
    const QFileInfo info(m_path);
    return m_path.isEmpty() || !info.exists() ? QString()
                                              : info.absoluteFilePath() + QStringLiteral(".branches");
}

QPlainTextEdit* BranchPanel::dataEdit() const
{
    return m_data->editor();
}

QString BranchPanel::errorText() const
{
    return style::tone(m_status) == style::Tone::Error ? m_status->text() : QString();
}

void BranchPanel::showError(const QString& message)
{
    style::setTone(m_status, style::Tone::Error);
    m_status->setText(message);
}

bool BranchPanel::fork(Version at)
{
    if (!m_stream || !m_store)
        return false;
    try {
        const QString name
            = m_name->text().trimmed().isEmpty() ? QStringLiteral("what-if") : m_name->text().trimmed();
        m_branch = std::make_shared<BranchStore>(*m_store, *m_stream, at, name);
    } catch (const StoreError& error) {
        showError(error.message());
        return false;
    }
    style::setTone(m_status, style::Tone::Plain);
    m_status->setText(tr("Forked. Append hypothetical events; the store is never changed."));
    updateControls();
    compare();
    return true;
}

bool BranchPanel::appendEvent(const QString& type, const QString& json)
{
    if (!m_branch) {
        showError(tr("Fork the stream first."));
        return false;
    }
    EventData event;
    event.type = type.trimmed();
    event.data = json.trimmed().toUtf8();
    try {
        if (event.type.isEmpty())
            throw InvalidInput(tr("The event needs a type."));
        if (!nlohmann::json::accept(event.data.toStdString()))
            throw InvalidInput(json.trimmed() == m_data->text().trimmed() && !m_data->isValid()
                    ? tr("The data is not valid JSON: %1").arg(m_data->errorText())
                    : tr("The data is not valid JSON."));
        m_branch->append(m_branch->stream(), {event}, ExpectedVersion::any());
    } catch (const StoreError& error) {
        showError(error.message());
        return false;
    }
    style::setTone(m_status, style::Tone::Plain);
    m_status->setText(tr("Appended %1 to the branch.").arg(event.type));
    updateControls();
    compare();
    return true;
}

QString BranchPanel::save()
{
    if (!m_branch)
        return {};
    const QString dir = branchDirectory();
    if (dir.isEmpty()) {
        showError(tr("This store has no file to save branches beside."));
        return {};
    }
    const QString name = m_branch->name().isEmpty() ? QStringLiteral("what-if") : m_branch->name();
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    const QString file
        = QDir(dir).filePath(QString(name).replace(unsafe, QStringLiteral("_")) + QStringLiteral(".json"));
    try {
        if (!QDir().mkpath(dir))
            throw InvalidInput(tr("Cannot create the folder %1").arg(dir));
        m_branch->save(file);
    } catch (const StoreError& error) {
        showError(error.message());
        return {};
    }
    style::setTone(m_status, style::Tone::Plain);
    m_status->setText(tr("Saved to %1").arg(file));
    return file;
}

bool BranchPanel::load(const QString& path)
{
    if (!m_store)
        return false;
    std::shared_ptr<BranchStore> loaded;
    try {
        loaded = BranchStore::load(*m_store, path);
    } catch (const StoreError& error) {
        showError(error.message());
        return false;
    }
    if (m_stream && loaded->stream() != *m_stream) {
        showError(
            tr("%1 is a branch of %2; select that stream first.").arg(path, loaded->stream().toString()));
        return false;
    }
    m_branch = std::move(loaded);
    m_name->setText(m_branch->name());
    style::setTone(m_status, style::Tone::Plain);
    m_status->setText(tr("Loaded %1").arg(path));
    updateControls();
    compare();
    return true;
}

void BranchPanel::chooseFileToLoad()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load Branch"), branchDirectory(), tr("Branches (*.json);;All files (*)"));
    if (!path.isEmpty())
        load(path);
}

void BranchPanel::updateControls()
{
    const bool stream = m_stream.has_value();
    m_fork->setText(tr("Fork at v%1").arg(m_current.value));
    m_fork->setEnabled(stream);
    m_load->setEnabled(stream && !branchDirectory().isEmpty());
    m_save->setEnabled(m_branch && !branchDirectory().isEmpty());
    const bool valid = m_data->isValid();
    m_append->setEnabled(m_branch && valid && !m_type->text().trimmed().isEmpty());
    m_type->setEnabled(m_branch != nullptr);
    m_data->setEnabled(m_branch != nullptr);
    if (!stream)
        m_info->setText(tr("Select a stream to fork it."));
    else if (!m_branch)
        m_info->setText(
            tr("Fork %1 at the version shown to try hypothetical events.").arg(m_stream->toString()));
    else
        m_info->setText(tr("Branch \u201c%1\u201d of %2, forked at v%3  \u00b7  %n hypothetical event(s)",
            nullptr, int(m_branch->branchEvents().size()))
                            .arg(m_branch->name(), m_branch->stream().toString())
                            .arg(m_branch->forkAt().value));
}

void BranchPanel::compare()
{
    if (!m_branch || !m_reducer)
        return;
    if (m_jobs.isJobRunning()) {
        m_again = true;
        return;
    }
    // The job holds the store, branch and reducer; the tracker releases them in this thread.
    m_jobs.startJob(
        [base = m_store, branch = m_branch, reducer = m_reducer](const JobCancelled&) {
            Comparison result;
            TimeTravel onBranch(*branch, reducer, branch->stream());
            result.version = onBranch.lastVersion().value;
            result.branch = onBranch.stateAt(onBranch.lastVersion());
            TimeTravel onMain(*base, reducer, branch->stream());
            result.mainVersion = std::min<qint64>(result.version, onMain.lastVersion().value);
            result.main = onMain.stateAt(Version(result.mainVersion));
            return result;
        },
        [this](JobResult<Comparison> outcome) {
            if (outcome.ok())
                showComparison(*outcome.value);
            else
                showError(outcome.error);
        });
}

void BranchPanel::showComparison(const Comparison& result)
{
    m_mainModel->setJson(result.main);
    m_branchModel->setJson(result.branch);
    m_diff->setRows(patchRows(result.main, result.branch));
    m_mainTitle->setText(result.mainVersion == result.version
            ? tr("Main line at v%1").arg(result.mainVersion)
            : tr("Main line at v%1 (its last)").arg(result.mainVersion));
    m_branchTitle->setText(tr("Branch at v%1").arg(result.version));
    Q_EMIT comparisonShown(Version(result.version));
}

} // namespace chronoscope
