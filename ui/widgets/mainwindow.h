// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab's window, two pages. Lab: the plan editor and its problems on the
// left; Result, fd tables, Timeline, Explain and Code on the right; File menu with recent
// files and the built-in examples; Run and Kill. Benchmark: fork vs vfork vs
// clone_vm vs posix_spawn against the parent's RSS, run in a worker process.
// Runs happen on the controllers' threads, so the window never waits for a
// child. Layout and the benchmark setup are remembered across runs (QSettings).
#pragma once

#include "spawnlab/plan.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QMenu;
class QSplitter;
class QTabWidget;

namespace spawnlab {

class BenchPage;
class LeakHuntPage;
class CodeView;
class ExplainView;
class FdTablesView;
class LeakyFds;
class PlanDocument;
class PlanEditor;
class ProblemsPanel;
class ResultView;
class RunController;
class TimelineView;
struct RunResult;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum Page { ResultPage, FdTablesPage, TimelinePage, ExplainPage, CodePage };
    enum Mode { LabMode, BenchMode, LeakHuntMode };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a plan file (or ":/plans/x.json"); asks about unsaved changes first.
    // Never runs it. False if the user cancelled or the file has errors.
    bool openPlan(const QString &path);
    // File > New plan from process: a plan that re-creates how `pid` was
    // started (planFromProcess), its notes shown. False with `error` set if
    // the process cannot be read; then asks about unsaved changes.
    bool newPlanFromProcess(qint64 pid, QString *error = nullptr);
    void runPlan();
    void showPage(Page page);
    void showMode(Mode mode);
    Mode mode() const;
    // Opens inheritable fds in spawnlab itself (Tools menu), for the leak demo.
    void setLeakyFds(bool open);

    PlanDocument *document() const { return m_document; }
    PlanEditor *planEditor() const { return m_editor; }
    RunController *runController() const { return m_runs; }
    ResultView *resultView() const { return m_result; }
    FdTablesView *fdTablesView() const { return m_fdTables; }
    TimelineView *timelineView() const { return m_timeline; }
    BenchPage *benchPage() const { return m_bench; }
    LeakHuntPage *leakHuntPage() const { return m_leakHunt; }
    ExplainView *explainView() const { return m_explain; }
    CodeView *codeView() const { return m_code; }
    QAction *runAction() const { return m_runAction; }
    QAction *killAction() const { return m_killAction; }

    static QStringList examplePlans(); // ":/plans/*.json"

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    struct FileActions {
        QAction *newPlan, *open, *save;
        QMenu *examples;
    };
    void createPages();
    QWidget *createPlanPane();
    QTabWidget *createResultTabs();
    void createStatusBar();
    void connectParts();
    void createActions();
    FileActions createFileMenu();
    void createRunMenu();
    void createViewAndToolsMenus();
    void createToolBar(const FileActions &file);
    static QString privilegedRequests(const SpawnPlan &plan);
    void newPlan();
    void newPlanFromProcessDialog();
    void openDialog();
    bool save();
    bool saveAs();
    // Save, discard or cancel when the plan has unsaved changes; true to go on.
    bool maybeSave();
    void addRecent(const QString &path);
    void fillRecentMenu();
    void updateTitle();
    void updateRunState();
    void runFinished(const RunResult &result);
    void saveSettings() const;
    void restoreSettings();

    PlanDocument *m_document = nullptr;
    RunController *m_runs = nullptr;
    PlanEditor *m_editor = nullptr;
    ProblemsPanel *m_problems = nullptr;
    QTabWidget *m_modes = nullptr;
    QSplitter *m_split = nullptr;
    QSplitter *m_leftSplit = nullptr;
    QTabWidget *m_tabs = nullptr;
    BenchPage *m_bench = nullptr;
    LeakHuntPage *m_leakHunt = nullptr;
    ResultView *m_result = nullptr;
    FdTablesView *m_fdTables = nullptr;
    TimelineView *m_timeline = nullptr;
    ExplainView *m_explain = nullptr;
    CodeView *m_code = nullptr;
    QWidget *m_leftPane = nullptr;
    QLabel *m_planLabel = nullptr;
    QLabel *m_strategyStatus = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_killAction = nullptr;
    QAction *m_leakAction = nullptr;
    QMenu *m_recentMenu = nullptr;
    LeakyFds *m_leaky = nullptr;
    SpawnPlan m_runPlan; // the plan of the run on screen
};

} // namespace spawnlab
