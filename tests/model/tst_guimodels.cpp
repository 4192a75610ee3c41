// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI's item models, each driven through its edits under
// QAbstractItemModelTester, plus the model-layer helpers the editors lean on
// (plan document, child environment preview, option help, mode text).
#include "explain/modetext.h"
#include "explain/optionhelp.h"
#include "models/envmodel.h"
#include "models/fdactionmodel.h"
#include "models/fddiffmodel.h"
#include "models/fdtablemodel.h"
#include "models/rlimitmodel.h"
#include "models/signalmodel.h"
#include "models/steptimelinemodel.h"
#include "plan/childenvironment.h"
#include "plan/plandocument.h"
#include "qs.h"

#include "spawnlab/names.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace spawnlab;

namespace {

FdEntry entry(int fd, const std::string &target, FdKind kind, bool cloexec, std::uint64_t inode)
{
    FdEntry e;
    e.fd = fd;
    e.target = target;
    e.kind = kind;
    e.cloexec = cloexec;
    e.inode = inode;
    e.device = 1;
    return e;
}

// 0-2 stdio, 3 a CLOEXEC pipe, 5 an inheritable pipe (a leak), 7 a file.
FdTable parentTable()
{
    return {entry(0, "/dev/pts/0", FdKind::CharDevice, false, 10),
            entry(1, "/dev/pts/0", FdKind::CharDevice, false, 10),
            entry(2, "/dev/pts/0", FdKind::CharDevice, false, 10),
            entry(3, "pipe:[100]", FdKind::Pipe, true, 100),
            entry(5, "pipe:[101]", FdKind::Pipe, false, 101),
            entry(7, "/tmp/log", FdKind::File, false, 102)};
}

} // namespace

class TestGuiModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void envModel();
    void envModelNotInherited();
    void fdActionModel();
    void fdTableModel();
    void fdDiffModel();
    void stepTimelineModel();
    void signalModel();
    void rlimitModel();
    void headers();
    void planDocument();
    void childEnvironmentPreview();
    void optionHelpCoversEveryKey();
    void modeText();
};

void TestGuiModels::envModel()
{
    EnvModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy edited(&model, &EnvModel::edited);
    EnvSpec spec;
    spec.set = {{"GREETING", "hi"}};
    spec.unset = {"HOME"};
    model.setEnv(spec, {"HOME=/root", "PATH=/usr/bin", "LANG=C"});
    QCOMPARE(model.rowCount(), 4); // GREETING, HOME, LANG, PATH
    QCOMPARE(model.index(0, EnvModel::Name).data().toString(), QStringLiteral("GREETING"));
    QCOMPARE(model.index(1, EnvModel::ChildValue).data().toString(), QStringLiteral("(unset)"));
    QCOMPARE(model.index(2, EnvModel::ChildValue).data().toString(), QStringLiteral("C"));
    QVERIFY(!(model.flags(model.index(2, EnvModel::Name)) & Qt::ItemIsEditable)); // a parent's name

    // Editing a value sets it; "keep" gives the parent's back.
    QVERIFY(model.setData(model.index(2, EnvModel::ChildValue), QStringLiteral("C.UTF-8")));
    QCOMPARE(model.index(2, EnvModel::Action).data().toString(), QStringLiteral("set"));
    QVERIFY(model.setData(model.index(1, EnvModel::Action), QStringLiteral("keep")));
    QVERIFY(!model.setData(model.index(1, EnvModel::Action), QStringLiteral("bogus")));
    const int added = model.addVariable(QStringLiteral("NEW"), QStringLiteral("1"));
    QCOMPARE(added, 4);
    QVERIFY(!model.removeRow(2)); // the parent's LANG: unset it instead
    QVERIFY(model.removeRow(added));
    QCOMPARE(edited.count(), 4); // the refused removeRow is no edit

    const EnvSpec out = model.env();
    QVERIFY(out.inherit);
    QCOMPARE(out.set.size(), std::size_t(2));
    QCOMPARE(out.set[0].first, std::string("GREETING"));
    QCOMPARE(out.set[1], (std::pair<std::string, std::string>("LANG", "C.UTF-8")));
    QVERIFY(out.unset.empty());

    model.setProblems({{QStringLiteral("env.set.GREETING"), QStringLiteral("bad")}});
    QCOMPARE(model.index(0, 0).data(EnvModel::ProblemRole).toString(), QStringLiteral("bad"));
}

void TestGuiModels::envModelNotInherited()
{
    EnvModel model;
    // Alive for the whole test: the tester checks the model as each edit's signals arrive.
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    EnvSpec spec;
    spec.inherit = false;
    model.setEnv(spec, {"A=1"});
    QCOMPARE(model.index(0, EnvModel::ChildValue).data().toString(),
             QStringLiteral("(not inherited)"));
    QVERIFY(!model.index(0, 0).data(EnvModel::InChildRole).toBool());
    model.setInherit(true);
    QVERIFY(model.index(0, 0).data(EnvModel::InChildRole).toBool());
    QVERIFY(model.env().inherit);
}

void TestGuiModels::fdActionModel()
{
    FdActionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setParentTable(parentTable());
    FdAction dup;
    dup.fd = 4;
    dup.action = FdActionKind::Dup;
    dup.from = 5;
    model.setActions({dup});
    QVERIFY(model.index(0, FdActionModel::Detail)
                .data()
                .toString()
                .contains(QStringLiteral("pipe:[101]")));

    QCOMPARE(model.appendAction(FdActionKind::PipeOut), 1);
    QCOMPARE(model.action(1).fd, 5); // after the highest child fd
    QVERIFY(model.setData(model.index(1, FdActionModel::ChildFd), 1));
    QVERIFY(model.setData(model.index(1, FdActionModel::Action), QStringLiteral("null")));
    QVERIFY(!model.setData(model.index(1, FdActionModel::Action), QStringLiteral("teleport")));
    QVERIFY(!model.setData(model.index(1, FdActionModel::ChildFd), -3));
    QCOMPARE(model.action(1).action, FdActionKind::Null);

    model.appendAction(FdActionKind::Close);
    QVERIFY(model.moveRow({}, 2, {}, 0)); // close to the top
    QCOMPARE(model.action(0).action, FdActionKind::Close);
    QCOMPARE(model.action(1).action, FdActionKind::Dup);
    QVERIFY(model.moveRow({}, 0, {}, 3)); // and to the bottom
    QCOMPARE(model.action(2).action, FdActionKind::Close);

    model.setProblems({{QStringLiteral("fds[1].fd"), QStringLiteral("already set")}});
    QVERIFY(model.index(1, 0)
                .data(FdActionModel::ProblemRole)
                .toString()
                .contains(QStringLiteral("already set")));
    QVERIFY(model.index(0, 0).data(FdActionModel::ProblemRole).toString().isEmpty());
    QVERIFY(model.removeRows(0, 2));
    QCOMPARE(model.actions().size(), std::size_t(1));
}

void TestGuiModels::fdTableModel()
{
    FdTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTable(parentTable(), true);
    QCOMPARE(model.rowCount(), 6);
    // Only the inheritable fd >= 3 is a leak risk: 3 is CLOEXEC, 0-2 are stdio.
    QVERIFY(model.index(model.rowOfFd(5), 0).data(FdTableModel::LeakRiskRole).toString().size() >
            0);
    QVERIFY(model.index(model.rowOfFd(3), 0).data(FdTableModel::LeakRiskRole).toString().isEmpty());
    QVERIFY(model.index(model.rowOfFd(1), 0).data(FdTableModel::LeakRiskRole).toString().isEmpty());

    // The child after close_fds: 5 and 7 closed, 1 now a pipe.
    FdTable after = {parentTable()[0], entry(1, "pipe:[200]", FdKind::Pipe, false, 200),
                     parentTable()[2], parentTable()[3]};
    FdTableModel child;
    QAbstractItemModelTester childTester(&child,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    child.setTable(after);
    child.setPrevious(parentTable());
    QCOMPARE(child.rowCount(), 6); // the closed fds stay as rows
    const int closed = child.rowOfFd(5);
    QVERIFY(!child.index(closed, 0).data(FdTableModel::PresentRole).toBool());
    QCOMPARE(child.index(closed, 0).data(FdTableModel::ChangeRole).toInt(), int(FdChange::Closed));
    QCOMPARE(child.index(child.rowOfFd(1), 0).data(FdTableModel::ChangeRole).toInt(),
             int(FdChange::Changed));
    QCOMPARE(child.index(child.rowOfFd(0), 0).data(FdTableModel::ChangeRole).toInt(),
             int(FdChange::Kept));

    // Highlighting the parent's fd 0 marks every fd on the same terminal.
    model.setHighlight(parentTable()[0]);
    QVERIFY(model.index(2, 0).data(FdTableModel::SameFileRole).toBool());
    QVERIFY(!model.index(3, 0).data(FdTableModel::SameFileRole).toBool());
    child.setHighlight(parentTable()[4]); // closed in the child: nothing to highlight there
    QVERIFY(!child.index(closed, 0).data(FdTableModel::SameFileRole).toBool());
    child.setPrevious(std::nullopt);
    QCOMPARE(child.rowCount(), 4);

    // What an fd is and who else holds it: a socket's addresses in Target, the
    // other processes (not this one) in Held elsewhere, everything on hover.
    FdTable withPeers = parentTable();
    FdEntry &socket = withPeers[4];
    socket.kind = FdKind::Socket;
    socket.subkind = "tcp";
    socket.socket.protocol = "tcp";
    socket.socket.type = "stream";
    socket.socket.local = "127.0.0.1:5000";
    socket.socket.remote = "127.0.0.1:41000";
    socket.socket.state = "ESTABLISHED";
    socket.peers = {{::getpid(), "self", 9, int(FdAccess::ReadWrite), true, "socket peer"},
                    {812, "sleep", 1, int(FdAccess::ReadWrite), false, "same socket"},
                    {812, "sleep", 2, int(FdAccess::ReadWrite), false, "same socket"},
                    {813, "cat", 4, int(FdAccess::ReadWrite), false, "socket peer"}};
    model.setTable(withPeers, true);
    const int row = model.rowOfFd(socket.fd);
    QCOMPARE(model.index(row, FdTableModel::Target).data().toString(),
             "tcp 127.0.0.1:5000 -> 127.0.0.1:41000 (ESTABLISHED)");
    // One name per process: sleep's two fds count once.
    QCOMPARE(model.index(row, FdTableModel::Held).data().toString(), "sleep (812) +1");
    const QString tip = model.index(row, 0).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains("remote: 127.0.0.1:41000") &&
                 tip.contains("held by cat (pid 813) fd 4, rw — socket peer"),
             qPrintable(tip));
    QVERIFY(!model.index(model.rowOfFd(0), FdTableModel::Held).data().isValid());

    // A name with a newline stays on its one line, as lsof writes it.
    FdTable strange = parentTable();
    strange[5].target = "/tmp/a\nb";
    model.setTable(strange, true);
    QCOMPARE(model.index(model.rowOfFd(7), FdTableModel::Target).data().toString(), "/tmp/a\\nb");
}

void TestGuiModels::fdDiffModel()
{
    FdDiffModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    FdTable after = parentTable();
    after.erase(after.begin() + 4, after.end());                            // 5 and 7 closed
    after.push_back(entry(9, "/dev/null", FdKind::CharDevice, false, 300)); // 9 added
    model.setTables(parentTable(), after);
    QCOMPARE(model.count(FdChange::Closed), 2);
    QCOMPARE(model.count(FdChange::Added), 1);
    QCOMPARE(model.count(FdChange::Kept), 4);
    QVERIFY(model.summary().contains(QStringLiteral("2 closed (fd 5, 7)")));
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.index(row, 0).data(FdDiffModel::FdRole).toInt() == 5) {
            QCOMPARE(model.index(row, FdDiffModel::Change).data().toString(),
                     QStringLiteral("closed"));
            QCOMPARE(model.index(row, FdDiffModel::After).data().toString(), QStringLiteral("—"));
        }
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestGuiModels::stepTimelineModel()
{
    StepTimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<TraceStep> steps{{Step::Signals, -1, "", 0, 100},
                                 {Step::Execve, 0, "/usr/local/bin/x", ENOENT, 110},
                                 {Step::Execve, 1, "/usr/bin/x", 0, 130}};
    model.setSteps(steps, false);
    QCOMPARE(model.failedRow(), -1); // ENOENT on a PATH entry is not a failure
    QVERIFY(model.index(1, StepTimelineModel::Result)
                .data()
                .toString()
                .contains(QStringLiteral("next PATH entry")));
    QCOMPARE(model.index(2, 0).data(StepTimelineModel::DurationUsRole).toDouble(), 20.0);
    QCOMPARE(model.index(0, StepTimelineModel::StepName).data().toString(),
             QStringLiteral("signals"));

    steps = {{Step::Signals, -1, "", 0, 100}, {Step::Chdir, -1, "/nope", ENOENT, 120}};
    model.setSteps(steps, true);
    QCOMPARE(model.failedRow(), 1);
    QVERIFY(model.index(1, 0).data(StepTimelineModel::FailedRole).toBool());
    QCOMPARE(model.index(1, StepTimelineModel::Result).data().toString(),
             QStringLiteral("ENOENT: No such file or directory"));
    // Whole on hover, where the view cuts the column.
    QCOMPARE(model.index(1, StepTimelineModel::Result).data(Qt::ToolTipRole).toString(),
             QStringLiteral("ENOENT: No such file or directory"));
    QCOMPARE(model.index(1, StepTimelineModel::Argument).data(Qt::ToolTipRole).toString(),
             QStringLiteral("/nope"));
}

void TestGuiModels::signalModel()
{
    SignalModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.rowCount() >= 31 + 30); // every classic signal and the real-time ones
    const int sigint = model.rowOfSignal(SIGINT), sigpipe = model.rowOfSignal(SIGPIPE);
    QVERIFY(model.index(sigint, SignalModel::Description)
                .data()
                .toString()
                .contains(QStringLiteral("Ctrl-C")));

    // Without a mask the Blocked column is off.
    QVERIFY(!(model.flags(model.index(sigint, SignalModel::Blocked)) & Qt::ItemIsUserCheckable));
    model.setMaskSet(true);
    QVERIFY(
        model.setData(model.index(sigint, SignalModel::Blocked), Qt::Checked, Qt::CheckStateRole));
    QVERIFY(
        model.setData(model.index(sigpipe, SignalModel::Ignore), Qt::Checked, Qt::CheckStateRole));
    QVERIFY(
        model.setData(model.index(sigpipe, SignalModel::Default), Qt::Checked, Qt::CheckStateRole));
    // Default and ignore exclude each other.
    QCOMPARE(model.index(sigpipe, SignalModel::Ignore).data(Qt::CheckStateRole).toInt(),
             int(Qt::Unchecked));
    // SIGKILL can be neither blocked nor ignored.
    QVERIFY(!model.setData(model.index(model.rowOfSignal(SIGKILL), SignalModel::Blocked),
                           Qt::Checked, Qt::CheckStateRole));
    const SignalSpec spec = model.spec();
    QVERIFY(spec.block);
    QCOMPARE(*spec.block, std::vector<int>{SIGINT});
    QCOMPARE(spec.setDefault, std::vector<int>{SIGPIPE});
    QVERIFY(spec.ignore.empty());

    SignalSpec loaded;
    loaded.ignore = {SIGHUP};
    model.setSpec(loaded);
    QVERIFY(!model.maskSet());
    QCOMPARE(model.spec().ignore, std::vector<int>{SIGHUP});
    model.setProblems({{QStringLiteral("signals.ignore[0]"), QStringLiteral("odd")}});
    QCOMPARE(model.index(model.rowOfSignal(SIGHUP), 0).data(SignalModel::ProblemRole).toString(),
             QStringLiteral("odd"));
}

void TestGuiModels::rlimitModel()
{
    RlimitModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), int(allRlimits().size()));
    const int nofile = model.rowOfResource(RLIMIT_NOFILE);
    QVERIFY(model.limits().empty());
    QVERIFY(model.setData(model.index(nofile, RlimitModel::Soft), QStringLiteral("64")));
    QVERIFY(model.setData(model.index(nofile, RlimitModel::Hard), QStringLiteral("unlimited")));
    QVERIFY(!model.setData(model.index(nofile, RlimitModel::Hard), QStringLiteral("lots")));
    QVERIFY(model.setData(model.index(model.rowOfResource(RLIMIT_CORE), RlimitModel::Resource),
                          Qt::Checked, Qt::CheckStateRole));
    const auto limits = model.limits();
    QCOMPARE(limits.size(), std::size_t(2));
    QCOMPARE(limits[0].resource, int(RLIMIT_CORE)); // sorted by name, as plan files load
    QCOMPARE(limits[1].resource, int(RLIMIT_NOFILE));
    QCOMPARE(limits[1].soft, rlim_t(64));
    QCOMPARE(limits[1].hard, RLIM_INFINITY);
    model.setLimits({{RLIMIT_STACK, 1024, 2048}});
    QCOMPARE(model.limits().size(), std::size_t(1));
    QCOMPARE(model.index(model.rowOfResource(RLIMIT_STACK), RlimitModel::Soft).data().toString(),
             QStringLiteral("1024"));
}

// Every table's column titles and tooltips, and which tables number their rows
// (fds[i] from 0, steps from 1).
void TestGuiModels::headers()
{
    auto title = [](const QAbstractItemModel &m, int section, int role = Qt::DisplayRole) {
        return m.headerData(section, Qt::Horizontal, role).toString();
    };
    EnvModel env;
    QCOMPARE(env.columnCount(), int(EnvModel::ColumnCount));
    QCOMPARE(title(env, EnvModel::ChildValue), QStringLiteral("In the child"));
    QVERIFY(!env.headerData(0, Qt::Vertical).isValid());
    QVERIFY(!env.headerData(EnvModel::ColumnCount, Qt::Horizontal).isValid());

    FdActionModel actions;
    QCOMPARE(title(actions, FdActionModel::Detail), QStringLiteral("What the child gets"));
    QCOMPARE(actions.headerData(0, Qt::Vertical).toInt(), 0);

    StepTimelineModel steps;
    QCOMPARE(title(steps, StepTimelineModel::Duration), QStringLiteral("Took (µs)"));
    QCOMPARE(steps.headerData(0, Qt::Vertical).toInt(), 1);

    FdTableModel table;
    QCOMPARE(table.columnCount(), int(FdTableModel::ColumnCount));
    QCOMPARE(title(table, FdTableModel::Cloexec), QStringLiteral("CLO-\nEXEC"));
    QVERIFY(title(table, FdTableModel::Cloexec, Qt::ToolTipRole).startsWith("FD_CLOEXEC"));
    QVERIFY(!table.headerData(FdTableModel::Kind, Qt::Horizontal, Qt::ToolTipRole).isValid());

    SignalModel signalTable;
    QCOMPARE(title(signalTable, SignalModel::Description), QStringLiteral("Meaning"));
    QVERIFY(title(signalTable, SignalModel::Ignore, Qt::ToolTipRole).contains("SIG_IGN"));
    QCOMPARE(RlimitModel().columnCount(), int(RlimitModel::ColumnCount));
    QCOMPARE(FdDiffModel().columnCount(), int(FdDiffModel::ColumnCount));
    QCOMPARE(title(FdDiffModel(), FdDiffModel::Notes), QStringLiteral("What happened"));
}

void TestGuiModels::planDocument()
{
    PlanDocument doc;
    QSignalSpy modified(&doc, &PlanDocument::modifiedChanged);
    QVERIFY(doc.canRun());
    SpawnPlan plan = doc.plan();
    plan.argv = {"ls"};
    doc.setPlan(plan);
    QVERIFY(doc.isModified());
    plan.argv = {"true"}; // back to what it was: not modified any more
    doc.setPlan(plan);
    QVERIFY(!doc.isModified());
    QCOMPARE(modified.count(), 2);

    FdAction dup;
    dup.fd = 3;
    dup.action = FdActionKind::Dup;
    dup.from = 999;
    plan.fds = {dup};
    doc.setPlan(plan, {{QStringLiteral("umask"), QStringLiteral("not octal")}});
    QVERIFY(!doc.canRun());
    const QList<PlanIssue> problems = doc.problems();
    QCOMPARE(problems.size(), 2);
    QCOMPARE(problems[0].field, QStringLiteral("umask"));
    QCOMPARE(problems[1].field, QStringLiteral("fds[0].from"));
    QCOMPARE(issuesUnder(problems, {QStringLiteral("fds")}).size(), 1);
    QVERIFY(fieldUnder(QStringLiteral("fds[0].from"), QStringLiteral("fds[0]")));
    QVERIFY(!fieldUnder(QStringLiteral("fdsx"), QStringLiteral("fds")));

    // A file that does not load keeps the current plan.
    const PlanLoad bad = doc.open(QStringLiteral("/nonexistent/plan.json"));
    QVERIFY(!bad.ok());
    QCOMPARE(doc.plan().fds.size(), std::size_t(1));

    QSignalSpy replaced(&doc, &PlanDocument::planReplaced);
    QVERIFY(doc.open(QStringLiteral(SPAWNLAB_SOURCE_DIR "/resources/plans/fd_leak.json")).ok());
    QCOMPARE(replaced.count(), 1);
    QVERIFY(!doc.isModified());
    QVERIFY(!doc.plan().closeFds);
}

void TestGuiModels::childEnvironmentPreview()
{
    EnvSpec spec;
    spec.set = {{"PATH", "/nonexistent:/usr/bin:/bin"}};
    spec.unset = {"HOME"};
    const QStringList env = childEnvironment(spec, {"HOME=/root", "PATH=/x", "A=1"});
    QCOMPARE(env, (QStringList{"A=1", "PATH=/nonexistent:/usr/bin:/bin"}));

    SpawnPlan plan;
    plan.argv = {"sh"};
    plan.env = spec;
    ExecutableLookup lookup = lookUpExecutable(plan, {});
    QVERIFY(lookup.resolved == u"/usr/bin/sh" || lookup.resolved == u"/bin/sh");
    QCOMPARE(lookup.tried.first(), QStringLiteral("/nonexistent/sh"));
    plan.argv = {"no-such-program-here"};
    lookup = lookUpExecutable(plan, {});
    QVERIFY(lookup.resolved.isEmpty());
    QVERIFY(lookup.summary.contains(QStringLiteral("ENOENT")));
    plan.executable = "/bin/sh";
    QCOMPARE(lookUpExecutable(plan, {}).resolved, QStringLiteral("/bin/sh"));
}

void TestGuiModels::optionHelpCoversEveryKey()
{
    const char *keys[] = {"argv",
                          "executable",
                          "env.inherit",
                          "env.set",
                          "env.unset",
                          "cwd",
                          "umask",
                          "fds",
                          "fds.dup",
                          "fds.open",
                          "fds.close",
                          "fds.null",
                          "fds.pipe_out",
                          "fds.pipe_in",
                          "close_fds",
                          "pass_fds",
                          "close_method",
                          "signals.block",
                          "signals.default",
                          "signals.ignore",
                          "signals.reset_handlers",
                          "setsid",
                          "pgid",
                          "credentials.uid",
                          "credentials.gid",
                          "credentials.groups",
                          "rlimits",
                          "strategy",
                          "inspect",
                          "timeout_ms",
                          "capture_limit_bytes"};
    for (const char *key : keys) {
        const QString help = optionHelp(QString::fromLatin1(key));
        QVERIFY2(help.contains(QStringLiteral("CPython")) &&
                     help.contains(QStringLiteral("posix_spawn")),
                 key);
    }
    QVERIFY(optionHelp(QStringLiteral("no_such_key")).isEmpty());
}

void TestGuiModels::modeText()
{
    QCOMPARE(rwxText(0644), QStringLiteral("rw-r--r--"));
    QCOMPARE(rwxText(04755), QStringLiteral("rwsr-xr-x"));
    QCOMPARE(qsOctal(022), QStringLiteral("0022"));
    QCOMPARE(parseOctal(QStringLiteral("0077"), 0777), std::optional<unsigned>(077));
    QVERIFY(!parseOctal(QStringLiteral("0989"), 0777));
    QVERIFY(!parseOctal(QStringLiteral("1777"), 0777));
    QVERIFY(!parseOctal(QString(), 0777));
}

QTEST_GUILESS_MAIN(TestGuiModels)
#include "tst_guimodels.moc"
