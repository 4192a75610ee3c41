// SPDX-License-Identifier: GPL-3.0-or-later
// The child's other steps, checked from inside the real child for every
// strategy that can express the plan: environment, cwd, umask, PATH search,
// pipes, signals, session, credentials, limits, failures, timeout, stop points.
#include "blocked_plans.h"
#include "probe_run.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"
#include "spawnlab/pidfd.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTest>

#include <climits>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <time.h>
#include <unistd.h>

using namespace spawnlab;
using namespace spawnlab::test;

namespace {

quint64 bit(int sig)
{
    return quint64(1) << (sig - 1);
}

bool problemsMention(const SpawnPlan &plan, const std::string &field)
{
    for (const auto &p : validate(plan))
        if (p.field == field) return true;
    return false;
}

QString errorText(const RunResult &r)
{
    return r.error ? QString::fromStdString(r.error->message) : QString();
}

// Makes this process a sandbox that refuses vfork with EINVAL and clone3 with
// ENOSYS, as some container runtimes' seccomp profiles do. For a forked test
// process only: a filter cannot be taken off again.
bool refuseVfork()
{
    sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_vfork, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog program{sizeof code / sizeof code[0], code};
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
           syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) == 0;
}

// The pid a pidfd of this process refers to (its fdinfo's "Pid:"), or -1.
pid_t pidOfPidfd(int pidfd)
{
    QFile info(QStringLiteral("/proc/self/fdinfo/%1").arg(pidfd));
    if (pidfd < 0 || !info.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray &line : info.readAll().split('\n'))
        if (line.startsWith("Pid:")) return pid_t(line.mid(4).trimmed().toInt());
    return -1;
}

// How many pidfds this process has open.
int openPidfds()
{
    int count = 0;
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString &fd : fds.entryList(QDir::System | QDir::NoDotAndDotDot)) {
        char target[64] = {};
        if (readlink(fds.filePath(fd).toUtf8().constData(), target, sizeof target - 1) > 0 &&
            std::string_view(target) == "anon_inode:[pidfd]")
            ++count;
    }
    return count;
}

// A child of this process sleeping in the kernel's FIFO open (wchan
// fifo_open), or -1. Found through /proc/PID/task/*/children.
pid_t childWaitingOnFifo()
{
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile children(tasks.filePath(tid + QStringLiteral("/children")));
        if (!children.open(QIODevice::ReadOnly)) continue;
        for (const QByteArray &pid : children.readAll().split(' ')) {
            if (pid.trimmed().isEmpty()) continue;
            QFile wchan(QStringLiteral("/proc/%1/wchan").arg(QString::fromLatin1(pid.trimmed())));
            const QByteArray where =
                wchan.open(QIODevice::ReadOnly) ? wchan.readAll() : QByteArray();
            if (where.contains("wait_for_partner") || where.contains("fifo"))
                return pid_t(pid.trimmed().toInt());
        }
    }
    return -1;
}

} // namespace

class TestChildSteps : public QObject
{
    Q_OBJECT

    ProbeFixture fixture;

private Q_SLOTS:
    void initTestCase() { QVERIFY(fixture.isValid()); }

    void environmentCwdUmask_data() { addStrategyRows(); }
    void environmentCwdUmask()
    {
        const Strategy strategy = strategyFromData();
        SpawnPlan plan = fixture.plan(strategy);
        plan.env.inherit = false;
        plan.env.set = {{"ONLY", "this"}, {"PATH", "/usr/bin"}};
        plan.cwd = "/tmp";
        if (strategy != Strategy::PosixSpawn) plan.umask = 027;
        ProbeRun probe = fixture.run(plan);
        QVERIFY2(probe.result.execOk(), qPrintable(errorText(probe.result)));
        QCOMPARE(probe.report.value("env").toVariant().toStringList(),
                 (QStringList{"ONLY=this", "PATH=/usr/bin"}));
        QCOMPARE(probe.report.value("cwd").toString(), QString("/tmp"));
        if (strategy != Strategy::PosixSpawn)
            QCOMPARE(probe.status("Umask"), QString("0027"));
        else
            QVERIFY(problemsMention(
                [&] {
                    auto p = plan;
                    p.umask = 027;
                    return p;
                }(),
                "strategy"));
    }

    void envUnsetAndInherit_data() { addStrategyRows(); }
    void envUnsetAndInherit()
    {
        qputenv("SPAWNLAB_TEST_KEEP", "kept");
        qputenv("SPAWNLAB_TEST_DROP", "dropped");
        SpawnPlan plan = fixture.plan(strategyFromData());
        plan.env.unset = {"SPAWNLAB_TEST_DROP"};
        plan.env.set = {{"SPAWNLAB_TEST_KEEP", "replaced"}};
        ProbeRun probe = fixture.run(plan);
        const QStringList env = probe.report.value("env").toVariant().toStringList();
        QVERIFY(env.contains("SPAWNLAB_TEST_KEEP=replaced"));
        QVERIFY(!env.contains("SPAWNLAB_TEST_KEEP=kept"));
        QVERIFY(env.filter("SPAWNLAB_TEST_DROP").isEmpty());
        QVERIFY(env.contains("HOME=" + qgetenv("HOME")) || qgetenv("HOME").isEmpty());
    }

    // The usual plan: the environment inherited unchanged, every entry, in
    // this process's order (the core hands the child our own array).
    void envInheritedAsIs_data() { addStrategyRows(); }
    void envInheritedAsIs()
    {
        qputenv("SPAWNLAB_TEST_AS_IS", "as is");
        SpawnPlan plan = fixture.plan(strategyFromData());
        QVERIFY(plan.env.inherit && plan.env.set.empty() && plan.env.unset.empty());
        ProbeRun probe = fixture.run(plan);
        QVERIFY2(probe.result.execOk(), qPrintable(errorText(probe.result)));
        QStringList ours;
        for (char **e = environ; *e; ++e)
            ours << QString::fromLocal8Bit(*e);
        QCOMPARE(probe.report.value("env").toVariant().toStringList(), ours);
        qunsetenv("SPAWNLAB_TEST_AS_IS");
    }

    void pathSearchUsesChildPath_data() { addStrategyRows(); }
    // The program is found on the PATH of the child's environment, not ours;
    // a non-executable earlier candidate is skipped when a later one runs.
    void pathSearchUsesChildPath()
    {
        const QString bin = fixture.path("bin"), junk = fixture.path("junk");
        QVERIFY(QDir().mkpath(bin) && QDir().mkpath(junk));
        QFile::remove(bin + "/probe-alias");
        QVERIFY(QFile::link(probePath(), bin + "/probe-alias"));
        QFile notExecutable(junk + "/probe-alias");
        QVERIFY(notExecutable.open(QIODevice::WriteOnly));
        notExecutable.close();
        SpawnPlan plan = fixture.plan(strategyFromData());
        plan.argv[0] = "probe-alias";
        plan.env.set = {{"PATH", (junk + ":" + bin).toStdString()}};
        ProbeRun probe = fixture.run(plan);
        QVERIFY2(probe.result.execOk(), qPrintable(errorText(probe.result)));
        QCOMPARE(probe.report.value("argv").toArray().at(0).toString(), QString("probe-alias"));

        // Only the non-executable one: its EACCES is reported, not ENOENT.
        plan.env.set = {{"PATH", (fixture.path("nothing-here") + ":" + junk).toStdString()}};
        ProbeRun denied = fixture.run(plan);
        QVERIFY(!denied.result.execOk());
        QVERIFY(denied.result.error);
        QCOMPARE(denied.result.error->err, EACCES);
        QCOMPARE(denied.result.error->index, 1);
        if (strategyFromData() != Strategy::PosixSpawn) {
            // One execve step a candidate, in order, each with its own errno,
            // and nothing after the last: the failure adds no step.
            std::vector<std::pair<std::string, int>> attempts;
            for (const TraceStep &s : denied.result.steps)
                if (s.step == Step::Execve) attempts.emplace_back(s.arg, s.err);
            const std::vector<std::pair<std::string, int>> expected{
                {(fixture.path("nothing-here") + "/probe-alias").toStdString(), ENOENT},
                {(junk + "/probe-alias").toStdString(), EACCES}};
            QCOMPARE(attempts, expected);
            QCOMPARE(denied.result.steps.back().step, Step::Execve);
            QCOMPARE(denied.result.steps.back().index, 1);
        }
        // The first real error stands, though a later candidate is "not here".
        plan.env.set = {{"PATH", (junk + ":" + fixture.path("nothing-here")).toStdString()}};
        ProbeRun deniedFirst = fixture.run(plan);
        QVERIFY(deniedFirst.result.error);
        QCOMPARE(deniedFirst.result.error->err, EACCES);
        QCOMPARE(deniedFirst.result.error->index, 0);
    }

    void pipeInToPipeOut_data() { addStrategyRows(); }
    void pipeInToPipeOut()
    {
        SpawnPlan plan = fixture.plan(strategyFromData(), {"--echo"});
        FdAction in, out;
        in.fd = 0;
        in.action = FdActionKind::PipeIn;
        in.input = std::string(200000, 'x') + "end"; // more than a pipe holds
        out.fd = 1;
        out.action = FdActionKind::PipeOut;
        plan.fds = {in, out};
        ProbeRun probe = fixture.run(plan);
        QVERIFY(probe.result.execOk());
        QCOMPARE(probe.result.captured.at(1).size(), in.input.size());
        QVERIFY(probe.result.captured.at(1) == in.input);
        QVERIFY(probe.result.exit && probe.result.exit->exited && probe.result.exit->code == 0);
    }

    void signalMaskAndDefaults_data() { addStrategyRows(); }
    // Blocked signals show in the child's SigBlk; a signal this process
    // ignores is back to default when the plan says so.
    void signalMaskAndDefaults()
    {
        signal(SIGPIPE, SIG_IGN);
        signal(SIGUSR2, SIG_IGN);
        SpawnPlan plan = fixture.plan(strategyFromData());
        plan.signals.block = std::vector<int>{SIGUSR1, SIGTERM};
        plan.signals.setDefault = {SIGPIPE};
        ProbeRun probe = fixture.run(plan);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGUSR2, SIG_DFL);
        QVERIFY(probe.result.execOk());
        QCOMPARE(probe.statusMask("SigBlk"), bit(SIGUSR1) | bit(SIGTERM));
        QCOMPARE(probe.statusMask("SigIgn") & bit(SIGPIPE), quint64(0));
        QCOMPARE(probe.statusMask("SigIgn") & bit(SIGUSR2), bit(SIGUSR2)); // inherited
    }

    void signalMaskInherited_data() { addStrategyRows(); }
    // Without signals.block the child starts with the spawning thread's mask.
    void signalMaskInherited()
    {
        sigset_t usr2, saved;
        sigemptyset(&usr2);
        sigaddset(&usr2, SIGUSR2);
        pthread_sigmask(SIG_BLOCK, &usr2, &saved);
        ProbeRun probe = fixture.run(fixture.plan(strategyFromData()));
        pthread_sigmask(SIG_SETMASK, &saved, nullptr);
        QVERIFY(probe.result.execOk());
        QCOMPARE(probe.statusMask("SigBlk") & bit(SIGUSR2), bit(SIGUSR2));
        QCOMPARE(probe.statusMask("SigBlk") & bit(SIGUSR1), quint64(0));
    }

    void handlersResetBeforeTheMaskOpens_data() { addStrategyRows(); }
    // A handler of this process must not stay installed in the child: once the
    // child unblocks signals, a delivery would run it in the child (in shared
    // memory for vfork/clone_vm). The child is caught before exec, blocked in
    // its open() of a FIFO, and its SigCgt read from /proc while it waits.
    void handlersResetBeforeTheMaskOpens()
    {
        const Strategy strategy = strategyFromData();
        const QString fifo = fixture.path("handlers.fifo");
        QFile::remove(fifo);
        QCOMPARE(mkfifo(qPrintable(fifo), 0600), 0);
        struct sigaction onUsr1 {
        };
        onUsr1.sa_handler = [](int) {};
        struct sigaction saved {
        };
        sigaction(SIGUSR1, &onUsr1, &saved);
        SpawnPlan plan = fixture.plan(strategy);
        FdAction wait;
        wait.fd = 5;
        wait.action = FdActionKind::Open;
        wait.path = fifo.toStdString();
        wait.flags = O_RDONLY;
        plan.fds.push_back(wait);
        ProbeRun probe;
        std::thread runner([&] { probe = fixture.run(plan); });
        // The child exists and waits in open(): its dispositions are final by then.
        pid_t child = -1;
        QTRY_VERIFY_WITH_TIMEOUT((child = childWaitingOnFifo()) > 0, 20000);
        QFile status(QStringLiteral("/proc/%1/status").arg(child));
        QVERIFY(status.open(QIODevice::ReadOnly));
        const QByteArray text = status.readAll();
        const int fd = open(qPrintable(fifo), O_WRONLY); // lets the child go on
        runner.join();
        if (fd >= 0) close(fd);
        sigaction(SIGUSR1, &saved, nullptr);
        const qsizetype at = text.indexOf("SigCgt:");
        QVERIFY(at >= 0);
        const quint64 caught =
            text.mid(at + 7, text.indexOf('\n', at) - at - 7).trimmed().toULongLong(nullptr, 16);
        QCOMPARE(caught & bit(SIGUSR1), quint64(0));
        QVERIFY2(probe.result.execOk(), qPrintable(errorText(probe.result)));
        // vfork/clone_vm let the kernel do it (clone3 CLONE_CLEAR_SIGHAND, Linux 5.5+, x86-64)
        // where it can; the trace says which.
        if (strategy == Strategy::Vfork || strategy == Strategy::CloneVm) {
            QVERIFY(!probe.result.steps.empty());
            const TraceStep &signals = probe.result.steps.front();
            QCOMPARE(signals.step, Step::Signals);
            qInfo("signals step: %s", signals.arg.c_str());
        }
    }

    void signalIgnore_data() { addStrategyRows(); }
    void signalIgnore()
    {
        const Strategy strategy = strategyFromData();
        SpawnPlan plan = fixture.plan(strategy);
        plan.signals.ignore = {SIGHUP, SIGINT};
        if (strategy == Strategy::PosixSpawn) {
            QVERIFY(problemsMention(plan, "strategy"));
            return;
        }
        ProbeRun probe = fixture.run(plan);
        QVERIFY(probe.result.execOk());
        QCOMPARE(probe.statusMask("SigIgn") & (bit(SIGHUP) | bit(SIGINT)),
                 bit(SIGHUP) | bit(SIGINT));
    }

    void sessionAndGroup_data() { addStrategyRows(); }
    void sessionAndGroup()
    {
        SpawnPlan plan = fixture.plan(strategyFromData());
        plan.setsid = true;
        ProbeRun leader = fixture.run(plan);
        QVERIFY(leader.result.execOk());
        const int pid = leader.report.value("pid").toInt();
        QCOMPARE(pid, int(leader.result.pid));
        QCOMPARE(leader.report.value("sid").toInt(), pid);
        QCOMPARE(leader.report.value("pgid").toInt(), pid);

        plan.setsid = false;
        plan.pgid = 0;
        ProbeRun grouped = fixture.run(plan);
        QVERIFY(grouped.result.execOk());
        QCOMPARE(grouped.report.value("pgid").toInt(), grouped.report.value("pid").toInt());
        QCOMPARE(grouped.report.value("sid").toInt(), int(getsid(0)));
    }

    void credentials_data() { addStrategyRows(); }
    void credentials()
    {
        const Strategy strategy = strategyFromData();
        SpawnPlan plan = fixture.plan(strategy);
        plan.credentials = Credentials{65534, 65534, std::vector<gid_t>{65534, 100}};
        if (strategy != Strategy::Fork) {
            QVERIFY(problemsMention(plan, "strategy")); // never shared memory across a uid change
            return;
        }
        if (geteuid() != 0) QSKIP("changing credentials needs root");
        ProbeRun probe = fixture.run(plan);
        QVERIFY2(probe.result.execOk(), qPrintable(errorText(probe.result)));
        QCOMPARE(probe.status("Uid"), QString("65534\t65534\t65534\t65534"));
        QCOMPARE(probe.status("Gid"), QString("65534\t65534\t65534\t65534"));
        QCOMPARE(probe.status("Groups").split(' ', Qt::SkipEmptyParts),
                 (QStringList{"100", "65534"}));
    }

    void failingSteps_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("step");
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("err");
        QTest::addColumn<QString>("field");
        for (Strategy s : {Strategy::Fork, Strategy::Vfork, Strategy::CloneVm}) {
            auto row = [s](const char *what, const char *step, int index, int err,
                           const char *field) {
                QTest::addRow("%s %s", strategyName(s).data(), what)
                    << int(s) << QString(what) << QString(step) << index << err << QString(field);
            };
            row("cwd", "chdir", -1, ENOENT, "cwd");
            row("pgid of no group", "setpgid", -1, EPERM, "pgid");
            row("open", "open", 1, ENOENT, "fds[1].path");
            row("exec missing", "execve", -1, ENOENT, "argv[0]");
            row("exec directory", "execve", 0, EACCES, "argv[0]");
            row("exec not executable", "execve", 0, EACCES, "argv[0]");
            row("executable missing", "execve", -1, ENOENT, "executable");
            row("rlimit above hard", "rlimit", 1, EPERM, "rlimits.nofile");
        }
    }
    // Each step that can fail reports its step, the plan entry, the plan field
    // and errno; the child is reaped (exit 127).
    void failingSteps()
    {
        QFETCH(int, strategy);
        QFETCH(QString, what);
        QFETCH(QString, step);
        QFETCH(int, index);
        QFETCH(int, err);
        QFETCH(QString, field);
        SpawnPlan plan = fixture.plan(Strategy(strategy));
        if (what == "cwd") {
            plan.cwd = "/nonexistent/dir";
        } else if (what == "pgid of no group") {
            plan.pgid = INT_MAX; // no such group: setpgid refuses with EPERM
        } else if (what == "open") {
            FdAction null, missing;
            null.fd = 5;
            missing.fd = 6;
            missing.action = FdActionKind::Open;
            missing.path = "/nonexistent/file";
            plan.fds = {null, missing};
        } else if (what == "exec missing") {
            plan.argv[0] = "/nonexistent/program";
        } else if (what == "exec directory") {
            plan.argv[0] = "/tmp";
        } else if (what == "exec not executable") {
            plan.argv[0] = "/etc/passwd";
        } else if (what == "executable missing") {
            plan.executable = "/nonexistent/program";
        } else if (what == "rlimit above hard") {
            const rlim_t tooMany = readNrOpen() + 1; // above fs.nr_open: refused even to root
            plan.rlimits = {{RLIMIT_CORE, 0, 0}, {RLIMIT_NOFILE, tooMany, tooMany}};
        }
        ProbeRun probe = fixture.run(plan);
        QVERIFY(!probe.result.execOk());
        QVERIFY(probe.result.error);
        QCOMPARE(QString(stepName(probe.result.error->step).data()), step);
        QCOMPARE(probe.result.error->err, err);
        QCOMPARE(probe.result.error->index, index);
        QCOMPARE(QString::fromStdString(probe.result.error->field), field);
        QVERIFY(!probe.result.error->message.empty());
        QVERIFY(probe.result.exit && probe.result.exit->exited);
        QCOMPARE(probe.result.exit->code, 127);
        QVERIFY(probe.report.isEmpty());
        QVERIFY(!hasZombieChild());
    }

    // Faults only the kernel finds: a script whose interpreter is missing, an
    // argument over the limit, and (root only) a spawner over RLIMIT_NPROC.
    void execFaults()
    {
        const QString script = fixture.path("script-without-interpreter");
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/nonexistent/interpreter\necho never\n");
        file.close();
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner |
                                    QFileDevice::ReadOther | QFileDevice::ExeOther));
        SpawnPlan plan = fixture.plan(Strategy::Fork);
        plan.argv = {script.toStdString()};
        RunResult noInterpreter = run(plan);
        QVERIFY(noInterpreter.error);
        QCOMPARE(noInterpreter.error->step, Step::Execve);
        QCOMPARE(noInterpreter.error->err, ENOENT);
        QVERIFY2(noInterpreter.error->message.find("#!/nonexistent/interpreter") !=
                     std::string::npos,
                 noInterpreter.error->message.c_str());

        plan = fixture.plan(Strategy::CloneVm);
        plan.argv.push_back(std::string(256 * 1024, 'a')); // above MAX_ARG_STRLEN
        RunResult tooBig = run(plan);
        QVERIFY(tooBig.error);
        QCOMPARE(tooBig.error->step, Step::Execve);
        QCOMPARE(tooBig.error->err, E2BIG);
        QCOMPARE(tooBig.error->index, 0);
        QCOMPARE(tooBig.error->field, "argv[" + std::to_string(plan.argv.size() - 1) + "]");
        // No one string too long, but the environment is above execve's total.
        plan.argv.pop_back();
        for (int i = 0; i < 40; ++i)
            plan.env.set.emplace_back("BIG" + std::to_string(i), std::string(100 * 1024, 'e'));
        RunResult tooMuchEnv = run(plan);
        QVERIFY(tooMuchEnv.error);
        QCOMPARE(tooMuchEnv.error->err, E2BIG);
        QCOMPARE(tooMuchEnv.error->field, std::string("env"));
        plan.env.set.clear();

        if (geteuid() != 0) QSKIP("RLIMIT_NPROC for another uid needs root");
        // A spawner running as nobody with RLIMIT_NPROC 0: its own fork fails.
        plan = SpawnPlan{};
        plan.argv = {helperPath("spawnlab-try-setuid").toStdString(), "65534"};
        plan.credentials = Credentials{65534, 65534, std::vector<gid_t>{}};
        plan.rlimits = {{RLIMIT_NPROC, 0, 0}};
        // In the asan build LeakSanitizer would need a process of its own at exit.
        plan.env.set = {{"ASAN_OPTIONS", "detect_leaks=0"}};
        FdAction out;
        out.fd = 1;
        out.action = FdActionKind::PipeOut;
        plan.fds = {out};
        RunResult nested = run(plan);
        QVERIFY2(nested.execOk(), qPrintable(errorText(nested)));
        QCOMPARE(nested.captured.at(1), std::string("spawn EAGAIN\n"));
        QVERIFY(!hasZombieChild());
    }

    void failureMessages()
    {
        SpawnPlan plan = fixture.plan(Strategy::Fork);
        plan.cwd = "/nope";
        const RunResult noDir = run(plan);
        QVERIFY(noDir.error);
        QCOMPARE(noDir.error->message, std::string("chdir(\"/nope\"): ENOENT"));
        plan.cwd.clear();
        plan.argv = {"spawnlab-no-such-program"};
        plan.env.set = {{"PATH", "/usr/local/bin:/usr/bin"}};
        const RunResult noProgram = run(plan);
        QVERIFY(noProgram.error);
        QCOMPARE(noProgram.error->message,
                 std::string("execve: ENOENT (tried /usr/local/bin/spawnlab-no-such-program, "
                             "/usr/bin/spawnlab-no-such-program)"));
    }

    // A process that is not root asks for uid 0: setuid fails with EPERM.
    void setuidWithoutPermission()
    {
        if (geteuid() != 0) QSKIP("needs root to start the unprivileged spawner");
        SpawnPlan plan;
        plan.argv = {helperPath("spawnlab-try-setuid").toStdString(), "0"};
        plan.credentials = Credentials{65534, 65534, std::vector<gid_t>{}};
        FdAction out;
        out.fd = 1;
        out.action = FdActionKind::PipeOut;
        plan.fds = {out};
        RunResult r = run(plan);
        QVERIFY2(r.execOk(), qPrintable(errorText(r)));
        QCOMPARE(r.captured.at(1), std::string("setuid EPERM credentials.uid\n"));
    }

    // A swap with the highest fd the limit allows, plus a null onto the one
    // below it: no number above every target exists, so the source moved out
    // of the way takes a free one below them that no entry targets.
    void swapWithTheTopFd_data() { addStrategyRows(); }
    void swapWithTheTopFd()
    {
        rlimit fdLimit{};
        QVERIFY(getrlimit(RLIMIT_NOFILE, &fdLimit) == 0);
        const int topFd = int(std::min<rlim_t>(fdLimit.rlim_cur, 1 << 20)) - 1;
        const int input = open("/dev/zero", O_RDONLY | O_CLOEXEC);
        QVERIFY(input >= 0);
        QCOMPARE(fcntl(input, F_DUPFD_CLOEXEC, topFd), topFd);
        SpawnPlan plan = fixture.plan(strategyFromData());
        FdAction toOne, toTop, null;
        toOne.action = toTop.action = FdActionKind::Dup;
        toOne.fd = 1;
        toOne.from = topFd;
        toTop.fd = topFd;
        toTop.from = 1;
        null.fd = topFd - 1;
        plan.fds = {toOne, toTop, null};
        // posix_spawn would need a close action per fd below the top one.
        if (plan.strategy == Strategy::PosixSpawn) plan.closeFds = false;
        char link[256] = {};
        QVERIFY(readlink("/proc/self/fd/1", link, sizeof link - 1) > 0);
        const QString stdoutTarget = QString::fromUtf8(link);
        ProbeRun probe = fixture.run(plan);
        close(topFd);
        close(input);
        QVERIFY2(probe.result.execOk(), qPrintable(errorText(probe.result)));
        const QMap<int, QString> fds = probe.fds();
        QCOMPARE(fds.value(1), QString("/dev/zero"));
        QCOMPARE(fds.value(topFd), stdoutTarget);
        QCOMPARE(fds.value(topFd - 1), QString("/dev/null"));
    }

    void timeoutKillsChild_data() { addStrategyRows(); }
    void timeoutKillsChild()
    {
        SpawnPlan plan;
        plan.argv = {"sleep", "30"};
        plan.strategy = strategyFromData();
        plan.timeoutMs = 200;
        RunResult r = run(plan);
        QVERIFY(r.execOk());
        QVERIFY(r.exit && r.exit->timedOut);
        QCOMPARE(r.exit->signal, SIGKILL);
        QVERIFY(r.timings.totalUs < 20e6);
    }

    // A child that blocks before exec (an open() of a FIFO nobody opens) is
    // killed at the deadline for every strategy: for vfork and clone_vm the
    // spawning thread is suspended, so the supervisor thread does it; for
    // posix_spawn the watchdog finds glibc's child in the children file.
    void timeoutBeforeExec_data() { addStrategyRows(); }
    void timeoutBeforeExec()
    {
        SpawnPlan plan = blockedBeforeExec("timeout.fifo");
        QVERIFY(!plan.argv.empty());
        plan.timeoutMs = 300;
        pid_t announced = -1;
        RunOptions options;
        pid_t pidfdNames = -1;
        options.onSpawned = [&](pid_t pid, int pidfd) {
            announced = pid;
            pidfdNames = pidOfPidfd(pidfd);
        };
        RunResult r = run(plan, options);
        QVERIFY(!r.execOk());
        QVERIFY2(r.error && r.error->err == ETIMEDOUT, qPrintable(errorText(r)));
        QCOMPARE(r.error->field, std::string("timeout_ms"));
        QVERIFY2(r.exit && r.exit->timedOut, qPrintable(errorText(r)));
        QCOMPARE(r.exit->signal, SIGKILL);
        QVERIFY(r.timings.totalUs < 20e6);
        QCOMPARE(announced, r.pid);
        QCOMPARE(pidfdNames, r.pid);  // the pidfd handed over is the child's
        QVERIFY(kill(r.pid, 0) != 0); // reaped, not left behind
        QVERIFY(!hasZombieChild());
    }

    // renderSteps off (the benchmark's way): no steps rendered, yet whether the
    // child exec'd, why a step failed and where a timeout caught it are the
    // same as with them.
    void stepsRenderedOnlyWhenAsked_data() { addStrategyRows(); }
    void stepsRenderedOnlyWhenAsked()
    {
        if (strategyFromData() == Strategy::PosixSpawn)
            QSKIP("glibc's posix_spawn child writes no step records to render");
        RunOptions quiet;
        quiet.renderSteps = false;
        SpawnPlan plan = fixture.plan(strategyFromData());
        plan.argv = {"/bin/true"};
        RunResult ok = run(plan, quiet);
        QVERIFY2(ok.execOk(), qPrintable(errorText(ok)));
        QVERIFY(ok.steps.empty());
        QVERIFY(ok.exit && ok.exit->exited && ok.exit->code == 0);
        QVERIFY(!run(plan).steps.empty());

        plan.argv = {"/nonexistent/program"};
        RunResult missing = run(plan, quiet);
        QVERIFY(missing.error);
        QCOMPARE(missing.error->step, Step::Execve);
        QCOMPARE(missing.error->err, ENOENT);
        QVERIFY(missing.steps.empty());

        SpawnPlan blocked = blockedBeforeExec("quiet.fifo");
        QVERIFY(!blocked.argv.empty());
        blocked.timeoutMs = 200;
        RunResult late = run(blocked, quiet);
        QVERIFY2(late.error && late.error->err == ETIMEDOUT, qPrintable(errorText(late)));
        // The last finished step is named even though no step was rendered.
        QVERIFY2(late.error->message.find("last finished step: ") != std::string::npos &&
                     late.error->message.find("none") == std::string::npos,
                 late.error->message.c_str());
        QVERIFY(late.steps.empty());
        QVERIFY(!hasZombieChild());
    }

    // timings.spawnUs ends when fork returned, not when exec was confirmed:
    // onSpawned (called between the two) waits here until the child has
    // exec'd and exited, and the spawn time still ends before it was called.
    void spawnTimeEndsWhenForkReturns()
    {
        SpawnPlan plan = fixture.plan(Strategy::Fork);
        plan.argv = {"/bin/true"};
        RunOptions options;
        std::int64_t calledNs = 0;
        bool exited = false;
        options.onSpawned = [&](pid_t, int pidfd) {
            calledNs = nowNs();
            pollfd gone{pidfd, POLLIN, 0}; // readable once the child exited
            exited = poll(&gone, 1, 20000) == 1;
        };
        const std::int64_t startNs = nowNs();
        RunResult r = run(plan, options);
        QVERIFY2(r.execOk(), qPrintable(errorText(r)));
        QVERIFY(exited);
        const double beforeCallUs = double(calledNs - startNs) / 1000.0;
        QVERIFY2(r.timings.prepareUs + r.timings.spawnUs < beforeCallUs,
                 qPrintable(QString("prepare %1 + spawn %2 us, onSpawned at %3 us")
                                .arg(r.timings.prepareUs)
                                .arg(r.timings.spawnUs)
                                .arg(beforeCallUs)));
        QVERIFY(r.timings.spawnUs < r.timings.execConfirmedUs);
    }

    // One pidfd per child: the one the core hands to onSpawned is the one its
    // waiter polls for the deadline (no second pidfd_open), closed by run().
    void onePidfdPerChild_data() { addStrategyRows(); }
    void onePidfdPerChild()
    {
        SpawnPlan plan;
        plan.argv = {"/bin/sh", "-c", "echo hi"};
        plan.strategy = strategyFromData();
        FdAction out;
        out.fd = 1;
        out.action = FdActionKind::PipeOut;
        plan.fds = {out};
        plan.timeoutMs = 60000;
        int handed = -1, duringOutput = -1;
        RunOptions options;
        options.onSpawned = [&](pid_t, int pidfd) { handed = pidfd; };
        options.onOutput = [&](int, std::string_view) { duringOutput = openPidfds(); };
        const RunResult r = run(plan, options);
        QVERIFY2(r.execOk(), qPrintable(errorText(r)));
        QVERIFY(handed >= 0);
        QCOMPARE(duringOutput, 1);
        QCOMPARE(openPidfds(), 0);
    }

    // Without a deadline, the pid reaches onSpawned while the child is still
    // blocked before exec, for every strategy, so a caller can kill it (the
    // GUI's Kill, the CLI's signal handling).
    void pidKnownBeforeExec_data() { addStrategyRows(); }
    void pidKnownBeforeExec()
    {
        SpawnPlan plan = blockedBeforeExec("pid.fifo");
        QVERIFY(!plan.argv.empty());
        RunOptions options;
        // Killed through the pidfd the core hands over.
        options.onSpawned = [](pid_t, int pidfd) { pidfd_send_signal(pidfd, SIGKILL, nullptr, 0); };
        RunResult r;
        std::thread runner([&] { r = run(plan, options); });
        runner.join();
        // glibc's posix_spawn returns the pid of a child killed inside it as if
        // it had exec'd: nothing tells the two apart, so only the exit is checked.
        if (plan.strategy != Strategy::PosixSpawn) QVERIFY(!r.execOk());
        QVERIFY(r.exit && !r.exit->exited);
        QCOMPARE(r.exit->signal, SIGKILL);
        QVERIFY(!r.exit->timedOut);
        QVERIFY(!hasZombieChild());
    }

    // Stop points for every strategy with a child step: an inheritable pipe
    // end is in the child's table before close_fds and gone after; an O_CLOEXEC
    // fd kept by close_fds=false is there before exec and gone after it.
    void stopPoints_data()
    {
        QTest::addColumn<int>("strategy");
        for (Strategy s : {Strategy::Auto, Strategy::Fork, Strategy::Vfork, Strategy::CloneVm})
            QTest::newRow(std::string(strategyName(s)).c_str()) << int(s);
    }
    void stopPoints()
    {
        const Strategy strategy = strategyFromData();
        int leak[2];
        QVERIFY(pipe2(leak, 0) == 0);
        int cloexec = open("/dev/null", O_RDONLY | O_CLOEXEC);
        SpawnPlan plan = fixture.plan(strategy);
        plan.inspect = {InspectPoint::BeforeCloseFds, InspectPoint::AfterCloseFds};
        RunResult closing = run(plan);
        QVERIFY2(closing.execOk(), qPrintable(errorText(closing)));
        // auto no longer needs fork to stop: the supervisor reads the table.
        QCOMPARE(closing.strategy, strategy == Strategy::Auto ? Strategy::CloneVm : strategy);
        auto has = [](const FdTable &t, int fd) {
            return std::any_of(t.begin(), t.end(), [fd](const FdEntry &e) { return e.fd == fd; });
        };
        QVERIFY(has(closing.childFds.at(InspectPoint::BeforeCloseFds), leak[1]));
        QVERIFY(!has(closing.childFds.at(InspectPoint::AfterCloseFds), leak[1]));

        plan.closeFds = false;
        plan.inspect = {InspectPoint::AfterCloseFds, InspectPoint::AfterExec};
        RunResult keeping = run(plan);
        QVERIFY2(keeping.execOk(), qPrintable(errorText(keeping)));
        QVERIFY(has(keeping.childFds.at(InspectPoint::AfterCloseFds), cloexec));
        QVERIFY(!has(keeping.childFds.at(InspectPoint::AfterExec), cloexec));
        QVERIFY(has(keeping.childFds.at(InspectPoint::AfterExec), leak[1]));
        // The after-exec snapshot leaves the exit status to reap().
        QVERIFY(keeping.exit && keeping.exit->exited);
        QCOMPARE(keeping.exit->code, 0);
        // A child that fails before its after-exec stop keeps its real status.
        SpawnPlan missing = plan;
        missing.argv = {"/nonexistent/spawnlab-test"};
        missing.executable.clear();
        RunResult failed = run(missing);
        QVERIFY(failed.error && failed.error->step == Step::Execve);
        QVERIFY(failed.exit && failed.exit->exited);
        QCOMPARE(failed.exit->code, 127);
        QVERIFY(!hasZombieChild());
        for (int fd : {leak[0], leak[1], cloexec})
            close(fd);
    }

    // Where a sandbox refuses vfork, the run is made with fork (always right,
    // only slower) and the strategy's reason says so.
    void refusedVforkFallsBackToFork()
    {
        // The sandbox is a fork of this test that allocates, which the malloc
        // guard (rightly) stops; the plain run covers this.
        if (qgetenv("LD_PRELOAD").contains("malloc-guard")) QSKIP("spawner forks and allocates");
        const SpawnPlan plan = fixture.plan(Strategy::Vfork);
        int report[2];
        QVERIFY(pipe2(report, O_CLOEXEC) == 0);
        const pid_t pid = fork();
        QVERIFY(pid >= 0);
        if (pid == 0) { // the filter stays in this process only
            std::string line = "no filter";
            if (refuseVfork()) {
                const RunResult r = run(plan);
                line = std::string(strategyName(r.strategy)) + "|" + r.strategyReason + "|" +
                       (r.execOk() ? "exec ok" : "error: " + (r.error ? r.error->message : ""));
            }
            (void)!write(report[1], line.data(), line.size());
            _exit(0);
        }
        close(report[1]);
        QByteArray line;
        char buffer[512];
        for (ssize_t n; (n = read(report[0], buffer, sizeof buffer)) > 0;)
            line.append(buffer, n);
        close(report[0]);
        int status = 0;
        QCOMPARE(waitpid(pid, &status, 0), pid);
        const QList<QByteArray> parts = line.split('|');
        QVERIFY2(parts.size() == 3, line.constData());
        QCOMPARE(parts[0], QByteArray("fork"));
        QVERIFY2(parts[1].contains("vfork failed with EINVAL, so fork was used"), line.constData());
        QCOMPARE(parts[2], QByteArray("exec ok"));
    }

    // A child stopped at a stop point dies with its spawner: the kernel sends it
    // SIGKILL (PR_SET_PDEATHSIG) when the spawning thread ends before exec.
    void childDiesWithSpawningThread_data()
    {
        QTest::addColumn<int>("strategy");
        for (Strategy s : {Strategy::Fork, Strategy::Vfork, Strategy::CloneVm})
            QTest::newRow(std::string(strategyName(s)).c_str()) << int(s);
    }
    void childDiesWithSpawningThread()
    {
        // The spawner below is a fork of this test that allocates, which the
        // malloc guard (rightly) stops; the plain run covers this.
        if (qgetenv("LD_PRELOAD").contains("malloc-guard")) QSKIP("spawner forks and allocates");
        SpawnPlan plan = blockedBeforeExec("orphan.fifo");
        QVERIFY(!plan.argv.empty());
        // The spawner is a forked copy of this test, killed while its child
        // waits in open(); the grandchild must not outlive it.
        int report[2];
        QVERIFY(pipe2(report, O_CLOEXEC) == 0);
        const pid_t spawner = fork();
        QVERIFY(spawner >= 0);
        if (spawner == 0) {
            RunOptions options;
            options.snapshotParent = false;
            options.onSpawned = [&report](pid_t pid, int) {
                (void)!write(report[1], &pid, sizeof pid);
            };
            run(plan, options);
            _exit(0);
        }
        close(report[1]);
        pid_t child = -1;
        QCOMPARE(read(report[0], &child, sizeof child), ssize_t(sizeof child));
        close(report[0]);
        const int childFd = pidfd_open(child, 0);
        QVERIFY(childFd >= 0);
        QCOMPARE(kill(spawner, SIGKILL), 0);
        int status = 0;
        QCOMPARE(waitpid(spawner, &status, 0), spawner);
        pollfd gone{childFd, POLLIN, 0};
        const int exited = poll(&gone, 1, 20000); // a pidfd is readable once its process exited
        if (exited != 1) pidfd_send_signal(childFd, SIGKILL, nullptr, 0);
        close(childFd);
        QCOMPARE(exited, 1);
    }

private:
    // A plan for this row's strategy whose child blocks before exec, in open()
    // of a FIFO nobody opens. Empty argv if the FIFO could not be made.
    static std::int64_t nowNs()
    {
        timespec ts{};
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
    }

    SpawnPlan blockedBeforeExec(const char *name) const
    {
        return blockedOnFifo(fixture.path(QString::fromLatin1(name)), strategyFromData());
    }

    static rlim_t readNrOpen()
    {
        QFile f("/proc/sys/fs/nr_open");
        return f.open(QIODevice::ReadOnly) ? rlim_t(f.readAll().trimmed().toULongLong())
                                           : rlim_t(1 << 20);
    }
};

QTEST_GUILESS_MAIN(TestChildSteps)
#include "tst_child_steps.moc"
