// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "qs.h"

#include "bench/benchpage.h"
#include "editor/fdeditor.h"
#include "editor/planeditor.h"
#include "lab/codeview.h"
#include "lab/explainview.h"
#include "lab/fdtablesview.h"
#include "lab/processfdsdialog.h"
#include "lab/resultview.h"
#include "lab/timelineview.h"
#include "leakhunt/leakhuntpage.h"
#include "leakhunt/processpicker.h"
#include "plan/plandocument.h"
#include "problemspanel.h"
#include "run/leakyfds.h"
#include "run/runcontroller.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"
#include "spawnlab/plan_from.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <unistd.h>

void spawnlabInitResources()
{
    // The resources live in a static library: referencing them keeps the linker from dropping them.
    Q_INIT_RESOURCE(spawnlab);
}

namespace spawnlab {
namespace {

constexpr int kMaxRecent = 8;

QString exampleTitle(const QString &path)
{
    static const QHash<QString, QString> titles{
        {QStringLiteral("fd_leak"),
         QObject::tr("fd leak: spawnlab's inheritable fds reach the child")},
        {QStringLiteral("fd_leak_closed"),
         QObject::tr("fd leak fixed: close_fds closes them before exec")},
        {QStringLiteral("failing_chdir"),
         QObject::tr("A failing step: chdir into a missing directory")},
        {QStringLiteral("env_and_umask"), QObject::tr("Environment set/unset and a 0077 umask")},
        {QStringLiteral("ls_fds_close_fds_off"),
         QObject::tr("ls /proc/self/fd with close_fds off")},
        {QStringLiteral("ls_fds_close_fds_on"), QObject::tr("ls /proc/self/fd with close_fds on")},
        {QStringLiteral("setsid"), QObject::tr("setsid: the child leads a new session")},
        {QStringLiteral("swap_stdout_stderr"),
         QObject::tr("Swapping stdout and stderr in a shell")},
        {QStringLiteral("hanging_child"), QObject::tr("A child that hangs: timeout and Kill")},
        {QStringLiteral("pipe_in_cat"), QObject::tr("Feeding stdin through a pipe (cat)")},
    };
    const QString base = QFileInfo(path).completeBaseName();
    return titles.value(base, base);
}

} // namespace

QStringList MainWindow::examplePlans()
{
    spawnlabInitResources();
    QStringList out;
    for (const QString &name :
         QDir(QStringLiteral(":/plans")).entryList({QStringLiteral("*.json")}, QDir::Files))
        out << QStringLiteral(":/plans/") + name;
    return out;
}

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    spawnlabInitResources();
    setWindowIcon(QIcon(QStringLiteral(":/icons/spawnlab.png")));
    m_document = new PlanDocument(this);
    m_runs = new RunController(this);
    m_leaky = new LeakyFds;

    createPages();
    createStatusBar();
    createActions();
    connectParts();

    m_explain->setPlan(m_document->plan());
    m_problems->setProblems(m_document->problems());
    updateTitle();
    updateRunState();
    // 1440×900, or the screen's free area where that is smaller (a 1280×800
    // laptop): a window bigger than its screen has its right edge cut off.
    const QSize size = QSize(1440, 900).boundedTo(screen()->availableGeometry().size());
    resize(size);
    m_split->setSizes({size.width() * 610 / 1440, size.width() * 830 / 1440});
    restoreSettings();
}

// The plan's file name above the editor and the problems panel below it.
QWidget *MainWindow::createPlanPane()
{
    auto *left = m_leftPane = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(6, 6, 0, 6);
    m_planLabel = new QLabel(left);
    m_planLabel->setObjectName(QStringLiteral("planLabel"));
    m_planLabel->setWordWrap(true);
    leftLayout->addWidget(m_planLabel);
    auto *leftSplit = m_leftSplit = new QSplitter(Qt::Vertical, left);
    m_editor = new PlanEditor(m_document, leftSplit);
    m_problems = new ProblemsPanel(leftSplit);
    leftSplit->addWidget(m_editor);
    leftSplit->addWidget(m_problems);
    leftSplit->setStretchFactor(0, 5);
    leftSplit->setStretchFactor(1, 1);
    leftSplit->setChildrenCollapsible(false);
    leftLayout->addWidget(leftSplit, 1);
    return left;
}

// Result, fd tables, Timeline, Explain and Code: what the Lab shows of a run.
QTabWidget *MainWindow::createResultTabs()
{
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("resultTabs"));
    m_result = new ResultView(m_tabs);
    m_fdTables = new FdTablesView(m_tabs);
    connect(m_fdTables, &FdTablesView::processRequested, this, [this](qint64 pid) {
        auto *dialog = new ProcessFdsDialog(pid_t(pid), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    m_timeline = new TimelineView(m_tabs);
    m_tabs->addTab(m_result, tr("Result"));
    m_tabs->addTab(m_fdTables, tr("fd tables"));
    m_tabs->addTab(m_timeline, tr("Timeline"));
    m_explain = new ExplainView(m_tabs);
    m_tabs->addTab(m_explain, tr("Explain"));
    m_tabs->setTabToolTip(ExplainPage, tr("What the kernel does for this plan's strategy, why "
                                          "auto chose it, and each child step"));
    m_code = new CodeView(m_tabs);
    m_tabs->addTab(m_code, tr("Code"));
    m_tabs->setTabToolTip(CodePage, tr("This plan as Python, Go, C, Rust or bash code, with "
                                       "what each API cannot express"));
    return m_tabs;
}

// The Lab (plan pane beside the result tabs), the Benchmark and Leak hunt pages.
void MainWindow::createPages()
{
    auto *split = m_split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(createPlanPane());
    split->addWidget(createResultTabs());
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 5);
    split->setChildrenCollapsible(false);
    m_modes = new QTabWidget(this);
    m_modes->setObjectName(QStringLiteral("modes"));
    m_modes->setDocumentMode(true);
    m_bench = new BenchPage(m_modes);
    m_modes->addTab(split, tr("Lab: compose and run a plan"));
    m_modes->addTab(m_bench, tr("Benchmark: what a spawn costs"));
    m_leakHunt = new LeakHuntPage(m_modes);
    m_modes->addTab(m_leakHunt, tr("Leak hunt: trace a program's fds"));
    // "Trace the Lab's program": the current plan's argv, as a command line.
    connect(m_leakHunt, &LeakHuntPage::labCommandWanted, this,
            [this] { m_leakHunt->setCommand(m_document->plan().argv, m_document->plan().cwd); });
    setCentralWidget(m_modes);
}

void MainWindow::createStatusBar()
{
    if (geteuid() == 0) {
        // Plans run with spawnlab's own privileges: as root a child may do anything.
        auto *root = new QLabel(tr("⚠ running as root"), this);
        root->setToolTip(tr("spawnlab runs as root, so every child starts as root unless its "
                            "plan sets credentials. Review plans from others before running "
                            "them."));
        statusBar()->addPermanentWidget(root);
    }
    m_strategyStatus = new QLabel(this);
    statusBar()->addPermanentWidget(m_strategyStatus);
}

// The document drives the problems panel, the title and Run's state; the run
// controller the Result view; Explain and the timeline select each other.
void MainWindow::connectParts()
{
    connect(m_document, &PlanDocument::problemsChanged, this, [this] {
        m_problems->setProblems(m_document->problems());
        updateRunState();
    });
    connect(m_document, &PlanDocument::planChanged, this, &MainWindow::updateRunState);
    connect(m_document, &PlanDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &PlanDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_problems, &ProblemsPanel::fieldActivated, m_editor, &PlanEditor::showField);
    connect(m_runs, &RunController::runningChanged, this, &MainWindow::updateRunState);
    connect(m_runs, &RunController::spawned, this,
            [this](quint64, qint64 pid) { m_result->setPid(pid); });
    connect(m_runs, &RunController::finished, this,
            [this](quint64, const RunResult &result) { runFinished(result); });
    connect(m_result, &ResultView::killRequested, m_runs, &RunController::kill);
    // Explain follows the plan; its step links and the timeline select each other.
    connect(m_document, &PlanDocument::planChanged, this, [this] {
        m_explain->setPlan(m_document->plan());
        m_code->setPlan(m_document->plan());
    });
    connect(m_explain, &ExplainView::stepActivated, m_timeline, &TimelineView::selectStep);
    connect(m_timeline, &TimelineView::stepSelected, m_explain, &ExplainView::showStep);
}

MainWindow::~MainWindow()
{
    delete m_runs; // kills and reaps a running child before the leaky fds go
    m_runs = nullptr;
    delete m_leaky;
}

void MainWindow::createActions()
{
    const FileActions file = createFileMenu();
    createRunMenu();
    createViewAndToolsMenus();
    for (QMenu *m : menuBar()->findChildren<QMenu *>())
        m->setToolTipsVisible(true);
    createToolBar(file);
}

MainWindow::FileActions MainWindow::createFileMenu()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction = file->addAction(style()->standardIcon(QStyle::SP_FileIcon),
                                         tr("&New plan"), this, &MainWindow::newPlan);
    newAction->setShortcut(QKeySequence::New);
    QAction *fromProcess =
        file->addAction(tr("New plan from &process…"), this, &MainWindow::newPlanFromProcessDialog);
    fromProcess->setObjectName(QStringLiteral("planFromProcessAction"));
    fromProcess->setToolTip(tr("Re-create how a running process was started: argv, environment, "
                               "cwd, umask, signals, ids, limits, session and its fds"));
    QAction *open = file->addAction(style()->standardIcon(QStyle::SP_DialogOpenButton),
                                    tr("&Open plan…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    QMenu *examples = file->addMenu(tr("&Examples"));
    examples->setObjectName(QStringLiteral("examplesMenu"));
    for (const QString &path : examplePlans()) {
        QAction *a =
            examples->addAction(exampleTitle(path), this, [this, path] { openPlan(path); });
        a->setToolTip(QFileInfo(path).fileName());
    }
    file->addSeparator();
    QAction *saveAction = file->addAction(style()->standardIcon(QStyle::SP_DialogSaveButton),
                                          tr("&Save"), this, &MainWindow::save);
    saveAction->setShortcut(QKeySequence::Save);
    QAction *saveAsAction = file->addAction(tr("Save &as…"), this, &MainWindow::saveAs);
    saveAsAction->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    return {newAction, open, saveAction, examples};
}

void MainWindow::createRunMenu()
{
    QMenu *run = menuBar()->addMenu(tr("&Run"));
    m_runAction = run->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Run"), this,
                                 &MainWindow::runPlan);
    m_runAction->setObjectName(QStringLiteral("runAction"));
    m_runAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::Key_F5)});
    m_runAction->setToolTip(
        tr("Run the plan (Ctrl+R): spawn the child, watch it, show what happened"));
    m_killAction = run->addAction(style()->standardIcon(QStyle::SP_MediaStop), tr("&Kill child"),
                                  m_runs, &RunController::kill);
    m_killAction->setObjectName(QStringLiteral("killAction"));
    m_killAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_K), QKeySequence(Qt::SHIFT | Qt::Key_F5)});
    m_killAction->setToolTip(tr("SIGKILL the running child (Ctrl+K)"));
}

void MainWindow::createViewAndToolsMenus()
{
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *showEditor = view->addAction(tr("Plan &editor"));
    showEditor->setObjectName(QStringLiteral("showEditorAction"));
    showEditor->setCheckable(true);
    showEditor->setChecked(true);
    showEditor->setShortcut(QKeySequence(Qt::Key_F9));
    showEditor->setToolTip(tr("Hide the plan editor to give the fd tables the whole window (F9)"));
    connect(showEditor, &QAction::toggled, this, [this](bool on) { m_leftPane->setVisible(on); });

    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    m_leakAction = tools->addAction(tr("Keep &leaky fds open in spawnlab"));
    m_leakAction->setCheckable(true);
    m_leakAction->setToolTip(
        tr("Open a pipe and a log file in spawnlab without O_CLOEXEC, as a careless "
           "library would, so the fd-leak examples have something to leak"));
    connect(m_leakAction, &QAction::toggled, this, &MainWindow::setLeakyFds);
    menuBar()->addMenu(tr("&Help"))->addAction(tr("&About spawnlab"), this, [this] {
        QMessageBox::about(
            this, tr("About spawnlab"),
            tr("<b>spawnlab</b> — a lab for Linux process creation.<p>Compose a spawn plan, "
               "run it through one async-signal-safe spawn core, and see the child's fd "
               "table before and after close_fds and each setup step it took.</p>"));
    });
}

void MainWindow::createToolBar(const FileActions &file)
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(file.newPlan);
    bar->addAction(file.open);
    auto *examplesButton = new QToolButton(bar);
    examplesButton->setText(tr("Examples"));
    examplesButton->setIcon(style()->standardIcon(QStyle::SP_DirIcon));
    examplesButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    examplesButton->setMenu(file.examples);
    examplesButton->setPopupMode(QToolButton::InstantPopup);
    bar->addWidget(examplesButton);
    bar->addAction(file.save);
    bar->addSeparator();
    bar->addAction(m_runAction);
    bar->addAction(m_killAction);
}

bool MainWindow::openPlan(const QString &path)
{
    if (!maybeSave()) return false;
    const PlanLoad load = m_document->open(path);
    if (!load.ok()) {
        QStringList lines;
        for (const PlanIssue &issue : load.errors)
            lines << QStringLiteral("• ") + issueText(issue);
        QMessageBox::critical(
            this, tr("Cannot open plan"),
            tr("%1 has errors, so it was not opened:\n\n%2").arg(path, lines.join(u'\n')));
        return false;
    }
    if (!load.warnings.isEmpty()) {
        QStringList lines;
        for (const PlanIssue &issue : load.warnings)
            lines << QStringLiteral("• ") + issueText(issue);
        statusBar()->showMessage(
            tr("Opened with warnings: %1").arg(lines.join(QStringLiteral("; "))), 10000);
    }
    if (!m_document->isExample()) addRecent(QFileInfo(path).absoluteFilePath());
    // A result on screen belongs to the previous plan: drop it (and any run still going).
    m_runs->discard();
    QString hint = tr("Press Run (Ctrl+R) to run this plan. Opening a plan never runs it.");
    if (m_document->isExample()) hint = exampleTitle(path) + QStringLiteral(".\n") + hint;
    const QString privileged = privilegedRequests(load.plan);
    if (!privileged.isEmpty())
        hint = tr("Review before you run: this plan file asks for %1.\n").arg(privileged) + hint;
    m_result->clear(hint);
    m_fdTables->clear(hint);
    m_timeline->clear(hint);
    return true;
}

// What a plan from a file asks for that changes who the child is or what it
// may use: shown when the file is opened, before anyone can run it.
QString MainWindow::privilegedRequests(const SpawnPlan &plan)
{
    QStringList asks;
    if (plan.credentials) {
        const Credentials &c = *plan.credentials;
        if (c.uid) asks << tr("uid %1").arg(*c.uid);
        if (c.gid) asks << tr("gid %1").arg(*c.gid);
        if (c.groups) asks << tr("%n supplementary group(s)", nullptr, int(c.groups->size()));
    }
    for (const RlimitSetting &r : plan.rlimits)
        asks << tr("rlimit %1").arg(qs(rlimitName(r.resource)));
    return asks.join(QStringLiteral(", "));
}

void MainWindow::newPlan()
{
    if (!maybeSave()) return;
    SpawnPlan plan;
    plan.argv = {"ls", "-l", "/proc/self/fd"};
    FdAction out;
    out.fd = 1;
    out.action = FdActionKind::PipeOut;
    plan.fds = {out};
    m_document->resetPlan(plan, {});
    m_runs->discard();
    m_result->clear(tr("A new plan. Press Run (Ctrl+R) to run it."));
    m_fdTables->clear(tr("Run the plan to see the fd tables."));
    m_timeline->clear(tr("Run the plan to see the child's steps."));
}

bool MainWindow::newPlanFromProcess(qint64 pid, QString *error)
{
    // Read first: a process that cannot be read costs no question.
    const PlanFromProcess made = planFromProcess(pid_t(pid));
    if (!made.ok()) {
        if (error) *error = qs(made.error);
        return false;
    }
    if (!maybeSave()) return false;
    m_document->resetPlan(made.plan, {});
    m_runs->discard();
    QString text = tr("A plan that re-creates how pid %1 (%2) was started. Press Run (Ctrl+R) "
                      "to start it again the same way.")
                       .arg(pid)
                       .arg(qs(made.plan.argv.front()));
    for (const std::string &note : made.plan.notes)
        text += QStringLiteral("\n• ") + qs(note);
    m_result->clear(text);
    m_fdTables->clear(tr("Run the plan to see the fd tables."));
    m_timeline->clear(tr("Run the plan to see the child's steps."));
    showMode(LabMode);
    showPage(ResultPage);
    return true;
}

void MainWindow::newPlanFromProcessDialog()
{
    ProcessPicker picker(this);
    picker.setPurpose(tr("New plan from process"), tr("Make plan"));
    if (picker.exec() != QDialog::Accepted || !picker.chosenPid()) return;
    QString error;
    if (!newPlanFromProcess(picker.chosenPid(), &error) && !error.isEmpty())
        QMessageBox::warning(this, tr("New plan from process"), error);
}

void MainWindow::openDialog()
{
    const QString dir = m_document->isExample() || m_document->filePath().isEmpty()
                            ? QDir::homePath()
                            : QFileInfo(m_document->filePath()).absolutePath();
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open plan"), dir, tr("Spawn plans (*.json)"));
    if (!path.isEmpty()) openPlan(path);
}

bool MainWindow::save()
{
    if (m_document->filePath().isEmpty() || m_document->isExample()) return saveAs();
    QString error;
    if (!m_document->save(m_document->filePath(), &error)) {
        QMessageBox::critical(this, tr("Cannot save plan"), error);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(m_document->filePath()), 4000);
    return true;
}

bool MainWindow::saveAs()
{
    QString suggestion = m_document->isExample()
                             ? QDir::home().filePath(QFileInfo(m_document->filePath()).fileName())
                             : m_document->filePath();
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save plan"), suggestion, tr("Spawn plans (*.json)"));
    if (path.isEmpty()) return false;
    QString error;
    if (!m_document->save(path, &error)) {
        QMessageBox::critical(this, tr("Cannot save plan"), error);
        return false;
    }
    addRecent(path);
    statusBar()->showMessage(tr("Saved %1").arg(path), 4000);
    return true;
}

bool MainWindow::maybeSave()
{
    if (!m_document->isModified()) return true;
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"),
        tr("The plan has changes that are not saved. Save them first?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::addRecent(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString &path : recent)
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openPlan(path); })
            ->setToolTip(path);
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("(none yet)"))->setEnabled(false);
    else {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear list"), this,
                                [] { QSettings().remove(QStringLiteral("recentFiles")); });
    }
}

void MainWindow::updateTitle()
{
    const QString path = m_document->filePath();
    QString name = path.isEmpty() ? tr("untitled plan") : QFileInfo(path).fileName();
    if (m_document->isExample()) name += tr(" (example)");
    setWindowTitle(QStringLiteral("%1[*] — spawnlab").arg(name));
    setWindowModified(m_document->isModified());
    m_planLabel->setText(
        tr("<b>Plan:</b> %1%2")
            .arg(name.toHtmlEscaped(), m_document->isModified() ? tr(" (modified)") : QString()));
    m_planLabel->setToolTip(path);
}

void MainWindow::updateRunState()
{
    m_runAction->setEnabled(m_document->canRun());
    m_runAction->setToolTip(m_document->canRun()
                                ? tr("Run the plan (Ctrl+R)")
                                : tr("Fix the problems listed under the editor first"));
    m_killAction->setEnabled(m_runs->isRunning());
    const StrategyChoice choice = chooseStrategy(m_document->plan());
    const auto name = strategyName(choice.strategy);
    m_strategyStatus->setText(tr("Strategy: %1").arg(qs(name)));
    m_strategyStatus->setToolTip(qs(choice.reason));
}

void MainWindow::runPlan()
{
    m_document->revalidate(); // spawnlab's own fds may have changed since the last edit
    if (!m_document->canRun()) {
        statusBar()->showMessage(tr("The plan has problems; see the list under the editor."), 5000);
        return;
    }
    m_result->showRunning();
    m_editor->setRunError(std::nullopt);
    m_fdTables->clear(tr("Running…"));
    m_timeline->clear(tr("Running…"));
    m_runPlan = m_document->plan();
    m_runs->start(m_runPlan);
    statusBar()->showMessage(tr("Running %1…").arg(qs(m_document->plan().argv.front())));
}

void MainWindow::runFinished(const RunResult &result)
{
    m_result->setResult(result);
    m_fdTables->setResult(result, m_runPlan);
    m_timeline->setResult(result);
    m_explain->setResult(result);
    m_editor->setRunError(result.error);
    statusBar()->showMessage(
        result.execOk() ? tr("exec succeeded") : tr("The run failed; see Result"), 8000);
    m_document->revalidate();
}

void MainWindow::showPage(Page page)
{
    m_modes->setCurrentIndex(LabMode);
    m_tabs->setCurrentIndex(int(page));
}

void MainWindow::showMode(Mode mode)
{
    m_modes->setCurrentIndex(int(mode));
}

MainWindow::Mode MainWindow::mode() const
{
    return Mode(m_modes->currentIndex());
}

void MainWindow::saveSettings() const
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/split"), m_split->saveState());
    s.setValue(QStringLiteral("window/leftSplit"), m_leftSplit->saveState());
    s.setValue(QStringLiteral("window/mode"), m_modes->currentIndex());
    s.setValue(QStringLiteral("window/codeLanguage"), int(m_code->language()));
    s.beginGroup(QStringLiteral("bench"));
    m_bench->saveSettings(s);
    s.endGroup();
}

void MainWindow::restoreSettings()
{
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_split->restoreState(s.value(QStringLiteral("window/split")).toByteArray());
    m_leftSplit->restoreState(s.value(QStringLiteral("window/leftSplit")).toByteArray());
    m_modes->setCurrentIndex(s.value(QStringLiteral("window/mode"), 0).toInt());
    const int language = s.value(QStringLiteral("window/codeLanguage"), 0).toInt();
    if (codeLanguages().contains(CodeLanguage(language)))
        m_code->setLanguage(CodeLanguage(language));
    s.beginGroup(QStringLiteral("bench"));
    m_bench->restoreSettings(s);
    s.endGroup();
}

void MainWindow::setLeakyFds(bool open)
{
    if (open) {
        QString error;
        if (!m_leaky->open(QDir::temp().filePath(QStringLiteral("spawnlab-leak-demo.log")), &error))
            statusBar()->showMessage(tr("Could not open the leaky fds: %1").arg(error), 8000);
    } else {
        m_leaky->close();
    }
    const QSignalBlocker blocker(m_leakAction);
    m_leakAction->setChecked(m_leaky->isOpen());
    QStringList fds;
    for (int fd : m_leaky->fds())
        fds << QString::number(fd);
    if (m_leaky->isOpen())
        statusBar()->showMessage(
            tr("spawnlab now holds inheritable fds %1 (a pipe and a log file, no CLOEXEC)")
                .arg(fds.join(QStringLiteral(", "))),
            8000);
    m_editor->section<FdEditor>()->rereadParentFds();
    m_document->revalidate();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    if (m_bench->isRunning() &&
        QMessageBox::question(this, tr("Benchmark running"),
                              tr("A benchmark is running. Stop it and quit? Its points so far "
                                 "are lost unless you export them first."),
                              QMessageBox::Yes | QMessageBox::Cancel) != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    saveSettings();
    m_runs->discard();
    event->accept();
}

} // namespace spawnlab
