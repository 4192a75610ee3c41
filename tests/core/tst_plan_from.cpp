// SPDX-License-Identifier: GPL-3.0-or-later
// planFromProcess on a process set up by hand (fork, then each attribute,
// then exec; the exec is known from a close-on-exec pipe's EOF): the plan has
// exactly its argv, environment, cwd, umask, blocked and ignored signals,
// nofile limit, session and inherited fd 7, and it runs.
#include "spawnlab/launch.h"
#include "spawnlab/plan_from.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

using namespace spawnlab;

namespace {

struct Target {
    pid_t pid = -1;
    ~Target()
    {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
    }
};

constexpr rlim_t kSoft = 200, kHard = 300;

// Forks `sleep 30` with the attributes; returns once it has exec'd.
// Besides, the target opens `log` on fd 40 itself (write-only, no O_APPEND;
// high, clear of the ready pipe):
// spawnlab holds no copy, so the plan must reopen it, appending.
bool startTarget(Target &t, const QByteArray &cwd, const QByteArray &log)
{
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) return false;
    t.pid = fork();
    if (t.pid == 0) {
        close(ready[0]);
        sigset_t block;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR2);
        const rlimit files{kSoft, kHard};
        // A twice: getenv() reads the first. C is not UTF-8; "odd" has no '='.
        char a[] = "A=1", b[] = "B=two words", a0[] = "A=0", c[] = "C=\xff", odd[] = "odd",
             sleep[] = "/bin/sleep", thirty[] = "30";
        char *env[] = {a, b, a0, c, odd, nullptr}, *argv[] = {sleep + 5, thirty, nullptr};
        const int file = open(log.constData(), O_WRONLY | O_CREAT, 0600);
        if (file < 0 || dup2(file, 40) != 40 || chdir(cwd.constData()) != 0 || setsid() < 0 ||
            sigprocmask(SIG_SETMASK, &block, nullptr) != 0 || signal(SIGUSR1, SIG_IGN) == SIG_ERR ||
            setrlimit(RLIMIT_NOFILE, &files) != 0)
            _exit(127);
        umask(027);
        execve(sleep, argv, env);
        _exit(127);
    }
    close(ready[1]);
    char byte;
    const bool execd = t.pid > 0 && read(ready[0], &byte, 1) == 0; // EOF: exec'd
    close(ready[0]);
    return execd;
}

} // namespace

class TestPlanFrom : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void planHasExactlyTheSetup()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray cwd = QDir(dir.path()).canonicalPath().toLocal8Bit();
        // fd 7: inherited, and held here too, so it is handed over (pass_fds).
        const int file = open(dir.filePath("seven").toLocal8Bit().constData(),
                              O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        QVERIFY(file >= 0);
        QCOMPARE(dup2(file, 7), 7); // without CLOEXEC: the target inherits it
        close(file);
        auto closeSeven = qScopeGuard([] { close(7); });
        Target target;
        const QByteArray log = dir.filePath("log").toLocal8Bit();
        QVERIFY(startTarget(target, cwd, log));

        const PlanFromProcess made = planFromProcess(target.pid);
        QVERIFY2(made.ok(), made.error.c_str());
        const SpawnPlan &p = made.plan;
        QCOMPARE(p.argv, (std::vector<std::string>{"sleep", "30"}));
        QVERIFY(p.executable.ends_with("/sleep"));
        QVERIFY(!p.env.inherit);
        QCOMPARE(p.env.set, (std::vector<std::pair<std::string, std::string>>{
                                {"A", "1"}, {"B", "two words"}, {"C", "\xff"}}));
        const auto noted = [&](const char *text) {
            return std::any_of(p.notes.begin(), p.notes.end(), [&](const std::string &n) {
                return n.find(text) != std::string::npos;
            });
        };
        QVERIFY(noted("sets A 2 times"));
        // What a plan file cannot carry as it is, said rather than changed silently.
        QVERIFY(noted("env.set.C is not valid UTF-8"));
        QVERIFY(noted("its environment holds \"odd\", not NAME=VALUE"));
        QCOMPARE(p.cwd, cwd.toStdString());
        QVERIFY(p.umask && *p.umask == 027);
        QVERIFY(p.signals.block);
        QCOMPARE(*p.signals.block, std::vector<int>{SIGUSR2});
        QCOMPARE(p.signals.ignore, std::vector<int>{SIGUSR1});
        QVERIFY(p.setsid);
        const auto nofile =
            std::find_if(p.rlimits.begin(), p.rlimits.end(),
                         [](const RlimitSetting &r) { return r.resource == RLIMIT_NOFILE; });
        QVERIFY(nofile != p.rlimits.end());
        QCOMPARE(nofile->soft, kSoft);
        QCOMPARE(nofile->hard, kHard);
        QVERIFY(std::count(p.passFds.begin(), p.passFds.end(), 7) == 1);
        QVERIFY(
            std::none_of(p.fds.begin(), p.fds.end(), [](const FdAction &a) { return a.fd == 7; }));
        QVERIFY(!p.credentials); // the same ids as ours: left to inheritance
        const auto reopened =
            std::find_if(p.fds.begin(), p.fds.end(), [](const FdAction &a) { return a.fd == 40; });
        QVERIFY(reopened != p.fds.end());
        QCOMPARE(reopened->action, FdActionKind::Open);
        QCOMPARE(reopened->path, log.toStdString());
        QCOMPARE(reopened->flags, O_WRONLY | O_APPEND); // never overwritten from its start
        QVERIFY(std::any_of(p.notes.begin(), p.notes.end(), [](const std::string &n) {
            return n.find("fd 40") != std::string::npos && n.find("O_APPEND") != std::string::npos;
        }));

        // ... and it runs: the same setup, killed by its deadline.
        SpawnPlan again = p;
        again.timeoutMs = 100;
        const RunResult r = run(again);
        QVERIFY2(r.execOk(), r.error ? r.error->message.c_str() : "no exit");
        QVERIFY(r.exit && r.exit->timedOut);
    }

    void processesItCannotRead()
    {
        QVERIFY(planFromProcess(0).error.find("not a process id") != std::string::npos);
        QVERIFY(planFromProcess(2).error.find("kernel thread") != std::string::npos);
        QVERIFY(planFromProcess(99999999).error.find("no such process") != std::string::npos);
        // A zombie: exited, not reaped yet.
        const pid_t child = fork();
        if (child == 0) _exit(0);
        siginfo_t info{};
        QVERIFY(waitid(P_PID, id_t(child), &info, WEXITED | WNOWAIT) == 0);
        QVERIFY(planFromProcess(child).error.find("zombie") != std::string::npos);
        waitpid(child, nullptr, 0);
    }
};

QTEST_GUILESS_MAIN(TestPlanFrom)
#include "tst_plan_from.moc"
