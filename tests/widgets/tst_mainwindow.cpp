// SPDX-License-Identifier: GPL-3.0-or-later
// The window end to end, headless: opening a plan never runs it; a failing
// plan's run shows the failing step and marks its field in the editor; a run
// with inspect shows the child's tables before and after close_fds with the
// leaked fd closed; a hanging child leaves the window responsive and Kill ends
// it; errors disable Run; unsaved changes are asked about.
#include "bench/benchpage.h"
#include "bench/benchsetup.h"
#include "blocked_plans.h"
#include "editor/planeditor.h"
#include "lab/codeview.h"
#include "lab/explainview.h"
#include "lab/fdtablesview.h"
#include "lab/processfdsdialog.h"
#include "lab/resultview.h"
#include "lab/timelineview.h"
#include "mainwindow.h"
#include "models/fddiffmodel.h"
#include "models/fdtablemodel.h"
#include "models/steptimelinemodel.h"
#include "plan/plandocument.h"
#include "run/runcontroller.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace spawnlab;

namespace {

bool runAndWait(MainWindow &window, int timeoutMs = 15000)
{
    QSignalSpy finished(window.runController(), &RunController::finished);
    window.runAction()->trigger();
    return finished.wait(timeoutMs);
}

// Answers the next modal message box with `button`.
void answerNextMessageBox(QMessageBox::StandardButton button)
{
    QTimer::singleShot(0, [button] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (box) box->button(button)->click();
    });
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void examplesAreBuiltIn();
    void openingAPlanNeverRunsIt();
    void privilegedRequestsAreShownOnOpen();
    void failingPlanShowsTheFailingStep();
    void inspectShowsTheLeakedFdClosed();
    void leakedPipeNamesWhoHoldsItsOtherEnd();
    void hangingChildCanBeKilled();
    void childBlockedBeforeExecEndsOnKillAndOnQuit_data();
    void childBlockedBeforeExecEndsOnKillAndOnQuit();
    void problemsDisableRun();
    void unsavedChangesAreAskedAbout();
    void explainFollowsTheRunAndTheTimeline();
    void layoutAndBenchSetupAreRemembered();
    void codeFollowsThePlan();
    void planFromARunningProcess();
};

// The Code tab shows the plan on screen, follows edits, and Copy copies it.
// File > New plan from process: a running sleep (started by QProcess, its
// exec done when waitForStarted returns) becomes the plan, which runs.
void TestMainWindow::planFromARunningProcess()
{
    QProcess sleeper;
    QProcessEnvironment env;
    env.insert(QStringLiteral("ONLY"), QStringLiteral("this"));
    sleeper.setProcessEnvironment(env);
    sleeper.setWorkingDirectory(QStringLiteral("/"));
    sleeper.start(QStringLiteral("/bin/sleep"), {QStringLiteral("30")});
    QVERIFY(sleeper.waitForStarted());
    auto stop = qScopeGuard([&sleeper] {
        sleeper.kill();
        sleeper.waitForFinished();
    });
    MainWindow window;
    QString error;
    QVERIFY2(window.newPlanFromProcess(sleeper.processId(), &error), qPrintable(error));
    const SpawnPlan &plan = window.document()->plan();
    QCOMPARE(plan.argv, (std::vector<std::string>{"/bin/sleep", "30"}));
    QCOMPARE(plan.cwd, std::string("/"));
    QCOMPARE(plan.env.set, (std::vector<std::pair<std::string, std::string>>{{"ONLY", "this"}}));
    QVERIFY(window.resultView()->headline().contains(QLatin1String("re-creates how pid")));
    QVERIFY(window.document()->canRun());
    window.document()->setPlan([&plan] {
        SpawnPlan timed = plan;
        timed.timeoutMs = 100;
        return timed;
    }());
    QVERIFY(runAndWait(window));
    QVERIFY2(window.resultView()->headline().contains(QLatin1String("timed out")) ||
                 window.resultView()->headline().contains(QLatin1String("SIGKILL")),
             qPrintable(window.resultView()->headline()));
    QVERIFY(!window.newPlanFromProcess(99999999, &error));
    QVERIFY2(error.contains(QLatin1String("no such process")), qPrintable(error));
}

void TestMainWindow::codeFollowsThePlan()
{
    MainWindow window;
    QVERIFY(window.openPlan(QStringLiteral(":/plans/failing_chdir.json")));
    CodeView *code = window.codeView();
    code->setLanguage(CodeLanguage::Python);
    QVERIFY2(code->text().contains(QStringLiteral("/nonexistent/dir")), qPrintable(code->text()));
    QVERIFY(code->text().contains(QStringLiteral("subprocess.Popen")));
    SpawnPlan plan = window.document()->plan();
    plan.cwd = "/tmp/elsewhere";
    window.document()->setPlan(plan);
    QVERIFY(code->text().contains(QStringLiteral("/tmp/elsewhere")));
    QVERIFY(!code->text().contains(QStringLiteral("/nonexistent/dir")));
    code->setLanguage(CodeLanguage::Shell);
    QVERIFY(code->text().contains(QStringLiteral("cd ")));
    code->copyToClipboard();
    QCOMPARE(QGuiApplication::clipboard()->text(), code->text());
}

// Explain shows the plan's strategy; after a failing run the timeline selects
// the failed step and Explain highlights it; a step link selects it in the timeline.
void TestMainWindow::explainFollowsTheRunAndTheTimeline()
{
    MainWindow window;
    QVERIFY(window.openPlan(QStringLiteral(":/plans/failing_chdir.json")));
    ExplainView *explain = window.explainView();
    QCOMPARE(explain->explanation().strategy, chooseStrategy(window.document()->plan()).strategy);
    QVERIFY(runAndWait(window));
    QCOMPARE(explain->highlightedStep(), std::optional<Step>(Step::Chdir));
    Q_EMIT explain->stepActivated(Step::Signals);
    TimelineView *timeline = window.timelineView();
    const QModelIndex current =
        timeline->findChild<QTableView *>()->selectionModel()->currentIndex();
    QCOMPARE(current.data(StepTimelineModel::StepRole).toInt(), int(Step::Signals));
    QCOMPARE(explain->highlightedStep(), std::optional<Step>(Step::Signals));
}

void TestMainWindow::layoutAndBenchSetupAreRemembered()
{
    QSettings().clear();
    {
        MainWindow window;
        window.showMode(MainWindow::BenchMode);
        window.benchPage()->setup()->sizesEdit()->setText(QStringLiteral("0,128"));
        window.resize(1111, 777);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.close());
    }
    MainWindow again;
    QCOMPARE(again.mode(), MainWindow::BenchMode);
    QCOMPARE(again.benchPage()->setup()->sizesEdit()->text(), QStringLiteral("0,128"));
    QCOMPARE(again.size(), QSize(1111, 777));
    QSettings().clear();
}

void TestMainWindow::examplesAreBuiltIn()
{
    const QStringList examples = MainWindow::examplePlans();
    QVERIFY(examples.contains(QStringLiteral(":/plans/fd_leak.json")));
    QVERIFY(examples.contains(QStringLiteral(":/plans/failing_chdir.json")));
    for (const QString &path : examples)
        QVERIFY2(loadPlanFile(path).ok(), qPrintable(path));
}

void TestMainWindow::openingAPlanNeverRunsIt()
{
    MainWindow window;
    QSignalSpy started(window.runController(), &RunController::started);
    QVERIFY(window.openPlan(QStringLiteral(":/plans/fd_leak.json")));
    // A run would have started by now: RunController::start emits started
    // before it returns; anything queued by openPlan runs here.
    QCoreApplication::processEvents();
    QCOMPARE(started.count(), 0);
    QVERIFY(!window.runController()->isRunning());
    QVERIFY(window.resultView()->headline().contains(QStringLiteral("Press Run")));
    QVERIFY(window.runAction()->isEnabled());
    QVERIFY(window.document()->isExample());
    QVERIFY(!window.document()->isModified());
}

// A plan file asking for credentials or rlimits says so before it can run.
void TestMainWindow::privilegedRequestsAreShownOnOpen()
{
    MainWindow window;
    QSignalSpy started(window.runController(), &RunController::started);
    QVERIFY(window.openPlan(
        QStringLiteral(SPAWNLAB_SOURCE_DIR "/tests/widgets/plans/editor_expected.json")));
    const QString headline = window.resultView()->headline();
    QVERIFY2(headline.contains(QStringLiteral("Review before you run")) &&
                 headline.contains(QStringLiteral("uid 0")) &&
                 headline.contains(QStringLiteral("rlimit nofile")),
             qPrintable(headline));
    QCOMPARE(started.count(), 0);

    QVERIFY(window.openPlan(QStringLiteral(":/plans/failing_chdir.json")));
    QVERIFY(!window.resultView()->headline().contains(QStringLiteral("Review")));
}

void TestMainWindow::failingPlanShowsTheFailingStep()
{
    MainWindow window;
    QVERIFY(window.openPlan(QStringLiteral(":/plans/failing_chdir.json")));
    QVERIFY(runAndWait(window));
    const QString headline = window.resultView()->headline();
    QVERIFY2(headline.contains(QStringLiteral("step chdir")) &&
                 headline.contains(QStringLiteral("ENOENT")),
             qPrintable(headline));
    QVERIFY(window.resultView()->errorText().contains(QStringLiteral("/nonexistent/dir")));
    StepTimelineModel *steps = window.timelineView()->model();
    QVERIFY(steps->failedRow() >= 0);
    QCOMPARE(steps->index(steps->failedRow(), 0).data(StepTimelineModel::StepRole).toInt(),
             int(Step::Chdir));
    QCOMPARE(steps->failedRow(), steps->rowCount() - 1); // nothing after it ran

    // The editor marks the field the error came from, as it marks a problem.
    const auto marked = [&window](const QString &field) {
        const QList<PlanIssue> marks = window.planEditor()->marks();
        return std::any_of(marks.begin(), marks.end(), [&field](const PlanIssue &issue) {
            return issue.field == field && issue.message.contains(QStringLiteral("ENOENT"));
        });
    };
    QVERIFY(marked(QStringLiteral("cwd")));
    QVERIFY(window.document()->canRun()); // a mark, not a problem: Run stays enabled
    // A new run starts without the old mark.
    QSignalSpy started(window.runController(), &RunController::started);
    QSignalSpy finished(window.runController(), &RunController::finished);
    window.runAction()->trigger();
    QCOMPARE(started.count(), 1);
    QVERIFY(!marked(QStringLiteral("cwd")));
    QVERIFY(finished.wait(15000));
    QVERIFY(marked(QStringLiteral("cwd")));
}

void TestMainWindow::inspectShowsTheLeakedFdClosed()
{
    const int leaked = open("/dev/null", O_RDONLY); // no O_CLOEXEC: a leak
    QVERIFY(leaked >= 3);
    MainWindow window;
    SpawnPlan plan;
    plan.argv = {"true"};
    plan.closeFds = true;
    plan.inspect = {InspectPoint::BeforeCloseFds, InspectPoint::AfterCloseFds};
    window.document()->resetPlan(plan);
    QVERIFY(runAndWait(window));
    close(leaked);

    FdTablesView *view = window.fdTablesView();
    QVERIFY(view->hasStage(0) && view->hasStage(1) && view->hasStage(2));
    FdTableModel *parent = view->stageModel(0);
    QVERIFY(!parent->index(parent->rowOfFd(leaked), 0)
                 .data(FdTableModel::LeakRiskRole)
                 .toString()
                 .isEmpty());
    FdTableModel *before = view->stageModel(1), *after = view->stageModel(2);
    QVERIFY(before->index(before->rowOfFd(leaked), 0).data(FdTableModel::PresentRole).toBool());
    const QModelIndex closed = after->index(after->rowOfFd(leaked), 0);
    QVERIFY(closed.isValid());
    QVERIFY(!closed.data(FdTableModel::PresentRole).toBool());
    QCOMPARE(closed.data(FdTableModel::ChangeRole).toInt(), int(FdChange::Closed));

    // The diff under the tables compares exactly those two stages.
    FdDiffModel *diff = view->diffModel();
    bool found = false;
    for (int r = 0; r < diff->rowCount(); ++r)
        if (diff->index(r, 0).data(FdDiffModel::FdRole).toInt() == leaked) {
            QCOMPARE(diff->index(r, 0).data(FdDiffModel::ChangeRole).toInt(),
                     int(FdChange::Closed));
            found = true;
        }
    QVERIFY(found);
    QVERIFY(view->diffSummary().contains(QStringLiteral("closed")));
}

// spawnlab holds a pipe's read end without CLOEXEC; a child process holds the
// write end. After a run, the parent's table names that process (Held
// elsewhere, the leak risk), selecting the fd lists it, and activating it
// opens its own fd table.
void TestMainWindow::leakedPipeNamesWhoHoldsItsOtherEnd()
{
    int data[2], ready[2], block[2];
    QVERIFY(::pipe(data) == 0); // no CLOEXEC: the read end is a leak risk
    QVERIFY(::pipe2(ready, O_CLOEXEC) == 0);
    QVERIFY(::pipe2(block, O_CLOEXEC) == 0);
    const pid_t holder = ::fork();
    if (holder == 0) {
        ::close(data[0]);
        char c = 'r';
        (void)::write(ready[1], &c, 1);
        (void)::read(block[0], &c, 1); // never returns: the test keeps block[1] open
        ::_exit(0);
    }
    QVERIFY(holder > 0);
    auto cleanup = qScopeGuard([&] {
        ::kill(holder, SIGKILL);
        ::waitpid(holder, nullptr, 0);
        for (int fd : {data[0], data[1], ready[0], ready[1], block[0], block[1]})
            if (fd >= 0) ::close(fd);
    });
    char c = 0;
    QCOMPARE(::read(ready[0], &c, 1), ssize_t(1));
    ::close(data[1]); // only the child holds the write end now
    data[1] = -1;

    MainWindow window;
    SpawnPlan plan;
    plan.argv = {"true"};
    window.document()->resetPlan(plan);
    QVERIFY(runAndWait(window));

    FdTablesView *view = window.fdTablesView();
    FdTableModel *parent = view->stageModel(0);
    const int row = parent->rowOfFd(data[0]);
    QVERIFY(row >= 0);
    const QString held = parent->index(row, FdTableModel::Held).data().toString();
    QVERIFY2(held.contains(QStringLiteral("(%1)").arg(holder)), qPrintable(held));
    const QString risk = parent->index(row, 0).data(FdTableModel::LeakRiskRole).toString();
    QVERIFY2(risk.contains(QStringLiteral("(pid %1) holds its other end").arg(holder)),
             qPrintable(risk));

    view->selectFd(0, data[0]);
    QListWidget *peers = view->peersList();
    QListWidgetItem *item = nullptr;
    for (int i = 0; i < peers->count(); ++i)
        if (peers->item(i)->data(Qt::UserRole).toLongLong() == holder) item = peers->item(i);
    QVERIFY(item);
    QVERIFY2(item->text().contains("same pipe"), qPrintable(item->text()));
    QSignalSpy requested(view, &FdTablesView::processRequested);
    Q_EMIT peers->itemActivated(item);
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.first().first().toLongLong(), qint64(holder));

    ProcessFdsDialog dialog(holder);
    FdTableModel *theirs = dialog.model();
    bool found = false;
    for (int r = 0; r < theirs->rowCount(); ++r) {
        const FdEntry &e = theirs->entry(r);
        if (e.kind == FdKind::Pipe && e.access == FdAccess::Write &&
            e.inode == parent->entry(row).inode) {
            found = true;
            // Held elsewhere, from their side: spawnlab's read end.
            QVERIFY2(theirs->index(r, FdTableModel::Held)
                         .data()
                         .toString()
                         .contains(QStringLiteral("(%1)").arg(::getpid())),
                     qPrintable(theirs->index(r, FdTableModel::Held).data().toString()));
        }
    }
    QVERIFY2(found, qPrintable(dialog.status()));
}

void TestMainWindow::hangingChildCanBeKilled()
{
    MainWindow window;
    SpawnPlan plan;
    plan.argv = {"sleep", "60"};
    window.document()->resetPlan(plan);
    QSignalSpy spawned(window.runController(), &RunController::spawned);
    QSignalSpy finished(window.runController(), &RunController::finished);
    window.runAction()->trigger();
    QVERIFY(spawned.wait(10000));
    // The window keeps handling events while the child sleeps: a timer keeps firing.
    QTimer timer;
    QSignalSpy ticks(&timer, &QTimer::timeout);
    timer.start(10);
    while (ticks.count() < 5)
        QVERIFY(ticks.wait(10000));
    QVERIFY(finished.isEmpty());
    QVERIFY(window.killAction()->isEnabled());
    QVERIFY(window.resultView()->headline().contains(QStringLiteral("Running")));
    window.killAction()->trigger();
    QVERIFY(finished.wait(5000));
    QVERIFY(window.resultView()->headline().contains(QStringLiteral("SIGKILL")));
    QVERIFY(!window.killAction()->isEnabled());
}

void TestMainWindow::childBlockedBeforeExecEndsOnKillAndOnQuit_data()
{
    QTest::addColumn<int>("strategy");
    QTest::addColumn<bool>("quit"); // false: Kill
    for (Strategy s :
         {Strategy::Auto, Strategy::Fork, Strategy::Vfork, Strategy::CloneVm, Strategy::PosixSpawn})
        for (bool quit : {false, true})
            QTest::addRow("%s %s", std::string(strategyName(s)).c_str(), quit ? "quit" : "kill")
                << int(s) << quit;
}

// The child opens a FIFO nobody else opens, so it never reaches exec: Kill
// ends it, and so does closing the window, which neither hangs nor leaves it.
void TestMainWindow::childBlockedBeforeExecEndsOnKillAndOnQuit()
{
    QFETCH(int, strategy);
    QFETCH(bool, quit);
    QTemporaryDir dir;
    const SpawnPlan plan =
        test::blockedOnFifo(dir.filePath(QStringLiteral("nobody-opens-this")), Strategy(strategy));
    QVERIFY(!plan.argv.empty());

    pid_t pid = -1;
    {
        MainWindow window;
        window.document()->resetPlan(plan);
        window.show();
        QSignalSpy spawned(window.runController(), &RunController::spawned);
        QSignalSpy finished(window.runController(), &RunController::finished);
        window.runAction()->trigger();
        QVERIFY(spawned.wait(10000)); // the pid is known before exec, for every strategy
        pid = pid_t(spawned.at(0).at(1).toLongLong());
        QVERIFY(pid > 0);
        QVERIFY(window.killAction()->isEnabled());
        if (!quit) {
            window.killAction()->trigger();
            QVERIFY(finished.wait(10000));
            const QString headline = window.resultView()->headline();
            QVERIFY2(headline.contains(QStringLiteral("SIGKILL")), qPrintable(headline));
            QVERIFY(::kill(pid, 0) == -1 && errno == ESRCH); // reaped
            return;
        }
        QVERIFY(window.close());
    } // the window and its run controller are gone: the child must be too
    QVERIFY(::kill(pid, 0) == -1 && errno == ESRCH);
}

void TestMainWindow::problemsDisableRun()
{
    MainWindow window;
    SpawnPlan plan;
    plan.argv = {"true"};
    FdAction dup;
    dup.fd = 3;
    dup.action = FdActionKind::Dup;
    dup.from = 987; // not open here
    plan.fds = {dup};
    window.document()->resetPlan(plan);
    QVERIFY(!window.runAction()->isEnabled());
    QSignalSpy started(window.runController(), &RunController::started);
    window.runPlan();
    QCOMPARE(started.count(), 0);
    plan.fds.clear();
    window.document()->setPlan(plan);
    QVERIFY(window.runAction()->isEnabled());
}

void TestMainWindow::unsavedChangesAreAskedAbout()
{
    MainWindow window;
    QVERIFY(window.openPlan(QStringLiteral(":/plans/setsid.json")));
    SpawnPlan plan = window.document()->plan();
    plan.setsid = false;
    window.document()->setPlan(plan);
    QVERIFY(window.document()->isModified());

    answerNextMessageBox(QMessageBox::Cancel);
    QVERIFY(!window.openPlan(QStringLiteral(":/plans/fd_leak.json")));
    QVERIFY(!window.document()->plan().setsid); // still the edited plan

    answerNextMessageBox(QMessageBox::Discard);
    QVERIFY(window.openPlan(QStringLiteral(":/plans/fd_leak.json")));
    QCOMPARE(window.document()->filePath(), QStringLiteral(":/plans/fd_leak.json"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
