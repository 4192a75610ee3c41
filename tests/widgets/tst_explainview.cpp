// SPDX-License-Identifier: GPL-3.0-or-later
// The Explain panel: each strategy's explanation states the facts that make it
// what it is, the reason matches chooseStrategy, the step order is the order a
// real child runs, showStep scrolls to and highlights a step, a step link
// emits stepActivated (and drives the timeline), and a real run marks the
// steps that ran and the one that failed.
#include "explain/strategyexplainer.h"
#include "lab/explainview.h"
#include "lab/timelineview.h"
#include "models/steptimelinemodel.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"

#include <QAbstractTextDocumentLayout>
#include <QDir>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <set>

using namespace spawnlab;

Q_DECLARE_METATYPE(spawnlab::Strategy)

namespace {

FdAction fdAction(int fd, FdActionKind kind, int from = -1)
{
    FdAction a;
    a.fd = fd;
    a.action = kind;
    a.from = from;
    return a;
}

SpawnPlan plan(Strategy strategy = Strategy::Auto, std::string cwd = {})
{
    SpawnPlan p;
    p.argv = {"true"};
    p.strategy = strategy;
    p.cwd = std::move(cwd);
    p.fds = {fdAction(1, FdActionKind::Null)};
    return p;
}

QString sectionText(const StrategyExplanation &e, const QString &id)
{
    for (const ExplainSection &s : e.sections)
        if (s.id == id) return s.text;
    return {};
}

const StepExplanation *stepOf(const StrategyExplanation &e, Step step)
{
    for (const StepExplanation &s : e.steps)
        if (s.step == step) return &s;
    return nullptr;
}

// The paragraph that carries the step's anchor.
QTextBlock stepBlock(QTextBrowser *browser, Step step)
{
    const QString name = QStringLiteral("step-") + QString::fromUtf8(stepName(step).data());
    for (QTextBlock b = browser->document()->begin(); b.isValid(); b = b.next())
        for (auto it = b.begin(); !it.atEnd(); ++it)
            if (it.fragment().charFormat().anchorNames().contains(name)) return b;
    return {};
}

// Where on the viewport the link with `href` is drawn, scrolled into view.
QPoint linkPosition(QTextBrowser *browser, const QString &href)
{
    for (QTextBlock b = browser->document()->begin(); b.isValid(); b = b.next())
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextFragment f = it.fragment();
            if (f.charFormat().anchorHref() != href || f.length() < 3) continue;
            QTextCursor cursor(browser->document());
            cursor.setPosition(f.position() + 1);
            browser->setTextCursor(cursor);
            browser->ensureCursorVisible();
            const QRect r = browser->cursorRect(cursor);
            return QPoint(r.right() + 2, r.center().y());
        }
    return {-1, -1};
}

// The colour of the block's text that contains `text`.
QColor textColor(const QTextBlock &block, const QString &text)
{
    for (auto it = block.begin(); !it.atEnd(); ++it)
        if (it.fragment().text().contains(text))
            return it.fragment().charFormat().foreground().color();
    return {};
}

QColor linkColor(const QTextBlock &block, const QString &href)
{
    for (auto it = block.begin(); !it.atEnd(); ++it)
        if (it.fragment().charFormat().anchorHref() == href)
            return it.fragment().charFormat().foreground().color();
    return {};
}

bool blockVisible(QTextBrowser *browser, const QTextBlock &block)
{
    const QRectF r = browser->document()->documentLayout()->blockBoundingRect(block);
    const int top = browser->verticalScrollBar()->value();
    return r.top() >= top && r.top() < top + browser->viewport()->height();
}

} // namespace

class TestExplainView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void strategyFacts_data();
    void strategyFacts();
    void autoReasonMatchesChooseStrategy_data();
    void autoReasonMatchesChooseStrategy();
    void explicitStrategySaysWhatAutoWouldPick();
    void everyStepIsExplained();
    void stepOrderIsTheChildsOrder();
    void planMarksItsSteps();
    void showStepScrollsAndHighlights();
    void highlightFollowsThePalette();
    void stepLinkEmitsStepActivated();
    void stepLinkSelectsTheTimelineRow();
    void timelineSelectionShowsTheStep();
    void resultMarksStepsThatRan_data();
    void resultMarksStepsThatRan();
    void failingStepIsMarked_data();
    void failingStepIsMarked();
    void posixSpawnHasNoTrace();
};

void TestExplainView::strategyFacts_data()
{
    QTest::addColumn<Strategy>("strategy");
    QTest::addColumn<QString>("section");
    QTest::addColumn<QStringList>("facts");
    QTest::newRow("fork creates") << Strategy::Fork << "create"
                                  << QStringList{"copies the parent's page tables", "copy-on-write",
                                                 "grows with the parent's RSS"};
    QTest::newRow("fork parent") << Strategy::Fork << "parent"
                                 << QStringList{"Not suspended", "stop points"};
    QTest::newRow("fork report") << Strategy::Fork << "report"
                                 << QStringList{"O_CLOEXEC", "EOF", "MAP_SHARED"};
    QTest::newRow("vfork creates")
        << Strategy::Vfork << "create"
        << QStringList{"CLONE_VM | CLONE_VFORK", "No page tables are copied", "flat"};
    QTest::newRow("vfork parent") << Strategy::Vfork << "parent"
                                  << QStringList{"is suspended",
                                                 "until the child calls execve "
                                                 "or _exit",
                                                 "supervisor thread", "kills it at timeout_ms"};
    QTest::newRow("vfork stack") << Strategy::Vfork << "stack"
                                 << QStringList{"shares the parent's stack", "never returns"};
    QTest::newRow("vfork signals") << Strategy::Vfork << "signals"
                                   << QStringList{"blocks all signals", "SIG_DFL",
                                                  "whatever reset_handlers says", "corrupted"};
    QTest::newRow("clone_vm creates")
        << Strategy::CloneVm << "create" << QStringList{"CLONE_VM | CLONE_VFORK | SIGCHLD", "flat"};
    QTest::newRow("clone_vm parent")
        << Strategy::CloneVm << "parent" << QStringList{"is suspended", "execve or _exit"};
    QTest::newRow("clone_vm stack")
        << Strategy::CloneVm << "stack" << QStringList{"own stack", "64 KiB", "guard page"};
    QTest::newRow("posix_spawn creates")
        << Strategy::PosixSpawn << "create"
        << QStringList{"glibc", "clone(CLONE_VM | CLONE_VFORK)", "file actions"};
    QTest::newRow("posix_spawn inside")
        << Strategy::PosixSpawn << "inside"
        << QStringList{"no step trace", "only as an errno", "PATH in the parent"};
}

void TestExplainView::strategyFacts()
{
    QFETCH(Strategy, strategy);
    QFETCH(QString, section);
    QFETCH(QStringList, facts);
    const StrategyExplanation e = explainStrategy(plan(strategy));
    QCOMPARE(e.strategy, strategy);
    QVERIFY(!e.automatic);
    QCOMPARE(e.reason, QStringLiteral("requested by the plan"));
    const QString text = sectionText(e, section);
    QVERIFY2(!text.isEmpty(), qPrintable(section));
    // The panel shows the same words.
    ExplainView view;
    view.setPlan(plan(strategy));
    const QString shown = view.browser()->toPlainText();
    QVERIFY(shown.startsWith(QString::fromUtf8(strategyName(strategy).data())));
    for (const QString &fact : facts) {
        QVERIFY2(text.contains(fact), qPrintable(fact + " not in: " + text));
        QVERIFY2(shown.contains(fact), qPrintable(fact));
    }
}

void TestExplainView::autoReasonMatchesChooseStrategy_data()
{
    QTest::addColumn<bool>("credentials");
    QTest::addColumn<bool>("stopPoints");
    QTest::addColumn<Strategy>("expected");
    QTest::addColumn<QString>("changes");
    QTest::newRow("plain") << false << false << Strategy::CloneVm
                           << "Ask for credentials and auto picks fork";
    QTest::newRow("credentials") << true << false << Strategy::Fork
                                 << "Without credentials, auto would pick clone_vm";
    // The supervisor serves stop points for clone_vm: they no longer need fork.
    QTest::newRow("stop points") << false << true << Strategy::CloneVm
                                 << "Ask for credentials and auto picks fork";
    QTest::newRow("both") << true << true << Strategy::Fork
                          << "Without credentials, auto would pick clone_vm";
}

void TestExplainView::autoReasonMatchesChooseStrategy()
{
    QFETCH(bool, credentials);
    QFETCH(bool, stopPoints);
    QFETCH(Strategy, expected);
    QFETCH(QString, changes);
    SpawnPlan p = plan();
    if (credentials) p.credentials = Credentials{getuid(), getgid(), std::nullopt};
    if (stopPoints) p.inspect = {InspectPoint::AfterCloseFds};
    const StrategyChoice choice = chooseStrategy(p);
    QCOMPARE(choice.strategy, expected);

    const StrategyExplanation e = explainStrategy(p);
    QVERIFY(e.automatic);
    QCOMPARE(e.strategy, choice.strategy);
    QCOMPARE(e.reason, QString::fromStdString(choice.reason));
    const QString why = sectionText(e, "choice");
    QVERIFY(why.startsWith(e.reason));
    QVERIFY2(why.contains(changes), qPrintable(why));

    ExplainView view;
    view.setPlan(p);
    QVERIFY(view.browser()->toPlainText().contains("Chosen by auto: " + e.reason));
}

void TestExplainView::explicitStrategySaysWhatAutoWouldPick()
{
    const StrategyExplanation e = explainStrategy(plan(Strategy::Vfork));
    SpawnPlan asAuto = plan();
    const QString autoReason = QString::fromStdString(chooseStrategy(asAuto).reason);
    const QString why = sectionText(e, "choice");
    QVERIFY2(why.contains("With strategy auto it would be clone_vm (" + autoReason + ")"),
             qPrintable(why));
}

void TestExplainView::everyStepIsExplained()
{
    const QList<Step> order = childStepOrder();
    QCOMPARE(order.size(), 17); // every Step but posix_spawn and spawn
    for (Step step : order) {
        const StepExplanation s = explainStep(step);
        QCOMPARE(s.name, QString::fromUtf8(stepName(step).data()));
        QVERIFY2(s.kernel.size() > 40, qPrintable(s.name));
        QVERIFY2(s.order.size() > 30, qPrintable(s.name));
        QCOMPARE(stepFromKey(s.name), std::optional<Step>(step));
    }
    QVERIFY(!stepFromKey("spawn"));
    // The orderings the brief calls out, in the words of their explanation.
    QVERIFY(explainStep(Step::CloseFds).order.contains("before rlimit"));
    QVERIFY(explainStep(Step::Setgroups).order.contains("Before setgid and setuid"));
    QVERIFY(explainStep(Step::Sigmask).order.startsWith("Last before execve"));
    QVERIFY(explainStep(Step::Setsid).order.contains("A plan has setsid or pgid, not both"));
    QVERIFY(order.indexOf(Step::CloseFds) < order.indexOf(Step::Rlimit));
    QVERIFY(order.indexOf(Step::Setgid) < order.indexOf(Step::Setuid));
    QCOMPARE(order.back(), Step::Execve);
}

// A real fork child with nearly every step: its trace must follow the order
// the panel explains. open, dup2, close and inherit are the fd actions, which
// run in the plan's fd order, so they share one rank.
void TestExplainView::stepOrderIsTheChildsOrder()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    rlimit core{};
    QVERIFY(getrlimit(RLIMIT_CORE, &core) == 0);
    SpawnPlan p = plan(Strategy::Fork, QDir::tempPath().toStdString());
    p.setsid = true;
    p.umask = 022;
    FdAction out = fdAction(1, FdActionKind::Open);
    out.path = (dir.path() + "/out").toStdString();
    out.flags = O_WRONLY | O_CREAT;
    p.fds = {out, fdAction(0, FdActionKind::Null), fdAction(5, FdActionKind::Close)};
    p.fds.push_back(fdAction(2, FdActionKind::Dup, 2));
    p.rlimits = {{RLIMIT_CORE, 0, core.rlim_max}};
    p.signals.block = std::vector<int>{};
    const RunResult result = run(p);
    QVERIFY2(result.execOk(), result.error ? result.error->message.c_str() : "no error");

    const QList<Step> order = childStepOrder();
    auto rank = [&order](Step step) {
        const bool fdAction = step == Step::Dup2 || step == Step::Close || step == Step::Inherit;
        return int(order.indexOf(fdAction ? Step::Open : step));
    };
    std::set<Step> seen;
    int last = -1;
    for (const TraceStep &t : result.steps) {
        const int at = rank(t.step);
        QVERIFY2(at >= last, stepName(t.step).data());
        last = at;
        seen.insert(t.step);
    }
    for (Step step :
         {Step::Signals, Step::Setsid, Step::Chdir, Step::Umask, Step::Open, Step::Dup2,
          Step::Close, Step::Inherit, Step::CloseFds, Step::Rlimit, Step::Sigmask, Step::Execve})
        QVERIFY2(seen.count(step), stepName(step).data());
}

void TestExplainView::planMarksItsSteps()
{
    SpawnPlan p = plan(Strategy::Auto, "/tmp");
    p.passFds = {};
    const StrategyExplanation e = explainStrategy(p);
    QVERIFY(stepOf(e, Step::Chdir)->inPlan);
    QVERIFY(stepOf(e, Step::Dup2)->inPlan); // fd 1 <- /dev/null
    QVERIFY(stepOf(e, Step::CloseFds)->inPlan);
    QVERIFY(stepOf(e, Step::Signals)->inPlan);
    QVERIFY(stepOf(e, Step::Execve)->inPlan);
    QVERIFY(!stepOf(e, Step::Setsid)->inPlan);
    QVERIFY(!stepOf(e, Step::Setuid)->inPlan);
    QVERIFY(!stepOf(e, Step::Stop)->inPlan);
    QVERIFY(!e.hasResult);
    ExplainView view;
    view.setPlan(p);
    const QString text = view.browser()->toPlainText();
    QVERIFY(
        text.contains("This child runs: signals → chdir → dup2 → close_fds → sigmask → execve"));
    QVERIFY(stepBlock(view.browser(), Step::Setuid).text().contains("not in this plan"));
    QVERIFY(stepBlock(view.browser(), Step::Chdir).text().contains("in this plan"));
}

void TestExplainView::showStepScrollsAndHighlights()
{
    ExplainView view;
    view.resize(400, 300);
    view.setPlan(plan());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTextBrowser *browser = view.browser();
    QCOMPARE(browser->verticalScrollBar()->value(), 0);
    const QColor highlight = view.palette().color(QPalette::Highlight);

    view.showStep(Step::Execve);
    QCOMPARE(view.highlightedStep(), std::optional<Step>(Step::Execve));
    const int scrolled = browser->verticalScrollBar()->value();
    QVERIFY(scrolled > 0);
    QTextBlock execve = stepBlock(browser, Step::Execve);
    QVERIFY(execve.isValid());
    QVERIFY(blockVisible(browser, execve));
    QCOMPARE(execve.blockFormat().background().color(), highlight);
    QVERIFY(stepBlock(browser, Step::Signals).blockFormat().background().style() == Qt::NoBrush);

    view.showStep(Step::Signals);
    QVERIFY(browser->verticalScrollBar()->value() < scrolled);
    QVERIFY(blockVisible(browser, stepBlock(browser, Step::Signals)));
    QCOMPARE(stepBlock(browser, Step::Signals).blockFormat().background().color(), highlight);
    QVERIFY(stepBlock(browser, Step::Execve).blockFormat().background().style() == Qt::NoBrush);

    view.showStep(Step::Spawn); // not a child step: nothing changes
    QCOMPARE(view.highlightedStep(), std::optional<Step>(Step::Signals));
}

// --dark switches the palette: the highlight is redrawn in the new colours.
void TestExplainView::highlightFollowsThePalette()
{
    ExplainView view;
    view.setPlan(plan());
    view.showStep(Step::Chdir);
    QPalette dark = view.palette();
    dark.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::PlaceholderText, QColor(0x80, 0x80, 0x80));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    view.setPalette(dark);
    QCOMPARE(stepBlock(view.browser(), Step::Chdir).blockFormat().background().color(),
             QColor(0x2a, 0x82, 0xda));
    const QTextBlock setuid = stepBlock(view.browser(), Step::Setuid); // not in the plan
    QCOMPARE(textColor(setuid, "setuid(uid) as a raw syscall"), QColor(0x80, 0x80, 0x80));
    const QTextBlock chdir = stepBlock(view.browser(), Step::Chdir);
    QCOMPARE(textColor(chdir, "chdir(cwd)"), QColor(Qt::white));
    QCOMPARE(linkColor(stepBlock(view.browser(), Step::Signals), "step:signals"),
             dark.color(QPalette::Link));
    // A dark Base with Qt's default blue link: the link is made lighter.
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Link, QColor(0, 0, 255));
    view.setPalette(dark);
    const QColor link = linkColor(stepBlock(view.browser(), Step::Signals), "step:signals");
    QVERIFY2(link.lightness() - 0x1e >= 100, qPrintable(link.name()));
}

void TestExplainView::stepLinkEmitsStepActivated()
{
    ExplainView view;
    view.resize(500, 400);
    view.setPlan(plan(Strategy::Auto, "/tmp"));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy activated(&view, &ExplainView::stepActivated);
    const QPoint at = linkPosition(view.browser(), "step:close_fds");
    QVERIFY(at.x() >= 0);
    QTest::mouseClick(view.browser()->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).value<Step>(), Step::CloseFds);
    QCOMPARE(view.highlightedStep(), std::optional<Step>(Step::CloseFds));
}

void TestExplainView::stepLinkSelectsTheTimelineRow()
{
    const SpawnPlan p = plan(Strategy::Fork, "/tmp");
    const RunResult result = run(p);
    QVERIFY(result.execOk());
    ExplainView view;
    TimelineView timeline;
    connect(&view, &ExplainView::stepActivated, &timeline, &TimelineView::selectStep);
    view.resize(500, 400);
    view.setPlan(p);
    view.setResult(result);
    timeline.setResult(result);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QPoint at = linkPosition(view.browser(), "step:chdir");
    QVERIFY(at.x() >= 0);
    QTest::mouseClick(view.browser()->viewport(), Qt::LeftButton, {}, at);
    auto *table = timeline.findChild<QTableView *>("stepTable");
    QVERIFY(table);
    const QModelIndex current = table->currentIndex();
    QVERIFY(table->selectionModel()->isRowSelected(current.row()));
    QCOMPARE(Step(current.data(StepTimelineModel::StepRole).toInt()), Step::Chdir);

    timeline.selectStep(Step::Setuid); // not in this run: nothing selected
    QVERIFY(!table->selectionModel()->hasSelection());
}

void TestExplainView::timelineSelectionShowsTheStep()
{
    const SpawnPlan p = plan(Strategy::Fork, "/tmp");
    const RunResult result = run(p);
    QVERIFY(result.execOk());
    ExplainView view;
    TimelineView timeline;
    connect(&timeline, &TimelineView::stepSelected, &view, &ExplainView::showStep);
    QSignalSpy selected(&timeline, &TimelineView::stepSelected);
    QSignalSpy activated(&view, &ExplainView::stepActivated);
    view.setPlan(p);
    timeline.setResult(result);
    timeline.selectStep(Step::Execve);
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.at(0).at(0).value<Step>(), Step::Execve);
    QCOMPARE(view.highlightedStep(), std::optional<Step>(Step::Execve));
    QCOMPARE(activated.count(), 0);    // showStep does not echo back
    timeline.selectStep(Step::Execve); // already selected: no second signal
    QCOMPARE(selected.count(), 1);
}

void TestExplainView::resultMarksStepsThatRan_data()
{
    QTest::addColumn<Strategy>("strategy");
    QTest::newRow("auto") << Strategy::Auto;
    QTest::newRow("fork") << Strategy::Fork;
    QTest::newRow("vfork") << Strategy::Vfork;
}

void TestExplainView::resultMarksStepsThatRan()
{
    QFETCH(Strategy, strategy);
    const SpawnPlan p = plan(strategy, QDir::tempPath().toStdString());
    const RunResult result = run(p);
    QVERIFY2(result.execOk(), result.error ? result.error->message.c_str() : "");
    ExplainView view;
    view.setPlan(p);
    view.setResult(result);
    const StrategyExplanation &e = view.explanation();
    QVERIFY(e.hasResult);
    QCOMPARE(e.strategy, result.strategy);
    QCOMPARE(e.reason, QString::fromStdString(result.strategyReason));
    int marked = 0;
    for (const StepExplanation &s : e.steps) {
        QVERIFY(!s.failed);
        QList<double> times;
        for (const TraceStep &t : result.steps)
            if (t.step == s.step) times << t.tUs;
        QCOMPARE(s.runs.size(), times.size());
        for (qsizetype i = 0; i < times.size(); ++i)
            QCOMPARE(s.runs[i].tUs, times[i]);
        marked += int(s.runs.size());
    }
    QCOMPARE(marked, int(result.steps.size()));
    const StepExplanation *chdir = stepOf(e, Step::Chdir);
    QCOMPARE(chdir->runs.size(), 1);
    QCOMPARE(chdir->runs[0].arg, QDir::tempPath());
    QCOMPARE(chdir->runs[0].err, 0);
    QVERIFY(stepOf(e, Step::Setsid)->runs.isEmpty());

    const QString shown = stepBlock(view.browser(), Step::Chdir).text();
    QVERIFY2(shown.contains(QStringLiteral("ran: %1 ok at %2 µs")
                                .arg(QDir::tempPath())
                                .arg(chdir->runs[0].tUs, 0, 'f', 1)),
             qPrintable(shown));
    QVERIFY(stepBlock(view.browser(), Step::Setsid).text().contains("not in this plan"));

    view.setPlan(p); // a new plan forgets the run
    QVERIFY(!view.explanation().hasResult);
    QVERIFY(stepOf(view.explanation(), Step::Chdir)->runs.isEmpty());
}

void TestExplainView::failingStepIsMarked_data()
{
    QTest::addColumn<Strategy>("strategy");
    QTest::newRow("fork") << Strategy::Fork;
    QTest::newRow("vfork") << Strategy::Vfork;
    QTest::newRow("clone_vm") << Strategy::CloneVm;
}

void TestExplainView::failingStepIsMarked()
{
    QFETCH(Strategy, strategy);
    SpawnPlan p = plan(strategy, "/nonexistent/spawnlab-explain");
    p.umask = 077;
    const RunResult result = run(p);
    QVERIFY(!result.execOk());
    QVERIFY(result.error && result.error->step == Step::Chdir);
    ExplainView view;
    view.setPlan(p);
    view.setResult(result);
    const StrategyExplanation &e = view.explanation();
    const StepExplanation *chdir = stepOf(e, Step::Chdir);
    QVERIFY(chdir->failed);
    QCOMPARE(chdir->runs.size(), 1);
    QCOMPARE(chdir->runs[0].err, ENOENT);
    QVERIFY(chdir->runs[0].fatal);
    QVERIFY(!stepOf(e, Step::Signals)->failed);
    QCOMPARE(stepOf(e, Step::Signals)->runs.size(), 1);
    QVERIFY(stepOf(e, Step::Umask)->runs.isEmpty()); // after chdir: never ran
    QVERIFY(stepOf(e, Step::Execve)->runs.isEmpty());

    QTextBrowser *browser = view.browser();
    const QString failed = stepBlock(browser, Step::Chdir).text();
    QVERIFY2(failed.contains("failed at") && failed.contains("ENOENT"), qPrintable(failed));
    QVERIFY(stepBlock(browser, Step::Umask)
                .text()
                .contains("did not run: the child stopped at an earlier step"));
    QVERIFY(!stepBlock(browser, Step::Signals).text().contains("failed"));
}

void TestExplainView::posixSpawnHasNoTrace()
{
    const SpawnPlan p = plan(Strategy::PosixSpawn, "/tmp");
    const RunResult result = run(p);
    QVERIFY(result.execOk());
    ExplainView view;
    view.setPlan(p);
    view.setResult(result);
    QVERIFY(!view.explanation().traced);
    QVERIFY(stepOf(view.explanation(), Step::Chdir)->runs.isEmpty());
    QVERIFY(stepBlock(view.browser(), Step::Chdir).text().contains("glibc runs this, untraced"));
    QVERIFY(view.browser()->toPlainText().contains("glibc runs, untraced: signals → chdir"));
}

QTEST_MAIN(TestExplainView)
#include "tst_explainview.moc"
