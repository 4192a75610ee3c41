// SPDX-License-Identifier: GPL-3.0-or-later
// The leak hunter on real programs: C helpers that leak the ways people meet,
// a shell, Python's subprocess, an attach, and the failures a user can cause.
#include "helper_copies.h"
#include "scoped.h"

#include "spawnlab/names.h"
#include "spawnlab/trace.h"

#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <future>
#include <map>
#include <thread>

using namespace spawnlab;
using spawnlab::test::helperPath;

namespace {

TraceOptions launching(std::vector<std::string> argv)
{
    TraceOptions options;
    options.argv = std::move(argv);
    return options;
}

TraceReport traceCommand(std::vector<std::string> argv, int maxProcesses = 1000,
                         bool noSeccomp = false)
{
    TraceOptions options = launching(std::move(argv));
    options.maxProcesses = maxProcesses;
    options.noSeccomp = noSeccomp;
    return Tracer(options).run();
}

std::string helper(const char *name)
{
    return helperPath(QString::fromLatin1(name)).toStdString();
}

bool endsWith(const std::string &s, const std::string &tail)
{
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The execs of `program` (its path's or its argv[0]'s last part), in order.
std::vector<const TracedExec *> execsOf(const TraceReport &r, const std::string &program)
{
    std::vector<const TracedExec *> out;
    for (const auto &e : r.execs) {
        const std::string arg0 = e.argv.empty() ? "" : "/" + e.argv.front();
        if (endsWith(e.exe, "/" + program) || endsWith(arg0, "/" + program)) out.push_back(&e);
    }
    return out;
}

const InheritedFd *inheritedFd(const TracedExec &e, int fd)
{
    for (const auto &in : e.inherited)
        if (in.fd == fd) return &in;
    return nullptr;
}

std::vector<const LeakFinding *> findingsAt(const TraceReport &r, const TracedExec &e)
{
    std::vector<const LeakFinding *> out;
    for (const auto &f : r.findings)
        if (&r.execs.at(f.execIndex) == &e) out.push_back(&f);
    return out;
}

pid_t startSleep()
{
    pid_t pid = fork();
    if (pid == 0) {
        execlp("sleep", "sleep", "30", (char *)nullptr);
        _exit(127);
    }
    return pid;
}

QString dump(const TraceReport &r)
{
    return QString::fromStdString(traceReportText(r));
}

} // namespace

class TraceTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pipeReachesSleepThroughPosixSpawn()
    {
        const TraceReport r = traceCommand({helper("spawnlab-leak-pipe-spawn")});
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        QCOMPARE(r.exit->code, 0);
        QVERIFY(r.overhead.seccomp);
        auto sleeps = execsOf(r, "sleep");
        QVERIFY2(sleeps.size() == 1, qPrintable(dump(r)));
        const TracedExec &sleep = *sleeps.front();
        QCOMPARE(int(sleep.inherited.size()), 2);
        for (const InheritedFd &in : sleep.inherited) {
            QCOMPARE(in.verdict, FdVerdict::Leaked);
            QCOMPARE(in.entry.kind, FdKind::Pipe);
            QVERIFY(in.origin->known);
            QCOMPARE(in.origin->syscall.substr(0, 4), std::string("pipe"));
            QVERIFY(!in.origin->cloexec);
            QCOMPARE(in.origin->pid, r.processes.front().pid);
            QVERIFY(endsWith(in.origin->exe, "spawnlab-leak-pipe-spawn"));
            QCOMPARE(int(in.carriedBy.size()), 1); // posix_spawn's clone(CLONE_VFORK)
            QCOMPARE(in.carriedBy.front().pid, sleep.pid);
            QCOMPARE(std::string(in.carriedBy.front().how), std::string("vfork"));
        }
        auto found = findingsAt(r, sleep);
        QCOMPARE(int(found.size()), 2);
        // The write end is the worse one, and it comes first.
        QCOMPARE(found.front()->severity, Severity::High);
        QVERIFY2(found.front()->message.find("sees no EOF") != std::string::npos,
                 found.front()->message.c_str());
        QVERIFY(found.front()->message.find("pipe2") != std::string::npos);
    }

    void stacksNameTheFunctionThatMadeTheFd()
    {
        TraceOptions options;
        options.argv = {helper("spawnlab-leak-pipe-spawn")};
        options.stacks = true;
        const TraceReport r = Tracer(options).run();
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        auto sleeps = execsOf(r, "sleep");
        QVERIFY(sleeps.size() == 1);
        const std::vector<std::string> &stack = inheritedFd(*sleeps.front(), 4)->origin->stack;
        QVERIFY2(stack.size() >= 3, qPrintable(dump(r)));
        // Innermost first: libc's pipe wrapper, then the helper's function, then main.
        auto at = std::find_if(stack.begin(), stack.end(), [](const std::string &frame) {
            return frame.rfind("make_leaky_pipe (", 0) == 0;
        });
        QVERIFY2(at != stack.end() && at != stack.begin(), qPrintable(dump(r)));
        QVERIFY((at + 1)->rfind("main (", 0) == 0);
        QVERIFY(dump(r).contains(QLatin1String("made at:")));
        // Without --stacks nothing is unwound.
        QVERIFY(traceCommand({helper("spawnlab-leak-pipe-spawn")})
                    .execs.back()
                    .inherited.front()
                    .origin->stack.empty());
    }

    void listeningSocketReachesSystemsChildren()
    {
        const TraceReport r = traceCommand({helper("spawnlab-leak-listen-system")});
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        auto shells = execsOf(r, "sh");
        auto sleeps = execsOf(r, "sleep");
        QVERIFY2(!shells.empty() && !sleeps.empty(), qPrintable(dump(r)));
        for (const TracedExec *e : {shells.front(), sleeps.front()}) {
            const InheritedFd *in = inheritedFd(*e, 3);
            QVERIFY2(in, qPrintable(dump(r)));
            QCOMPARE(in->verdict, FdVerdict::Leaked);
            QCOMPARE(in->entry.socket.state, std::string("LISTEN"));
            QCOMPARE(in->origin->syscall, std::string("socket"));
            auto found = findingsAt(r, *e);
            QCOMPARE(int(found.size()), 1);
            const std::string port = "port " + std::to_string(in->entry.socket.localPort);
            QVERIFY2(found.front()->message.find(port + " stays bound") != std::string::npos &&
                         found.front()->message.find("EADDRINUSE") != std::string::npos,
                     found.front()->message.c_str());
        }
    }

    void forkWithoutExecCarriesTheOrigin()
    {
        const TraceReport r = traceCommand({helper("spawnlab-leak-fork-carry")});
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        QCOMPARE(r.exit->code, 0);
        auto trues = execsOf(r, "true");
        QVERIFY2(trues.size() == 1, qPrintable(dump(r)));
        const InheritedFd *in = inheritedFd(*trues.front(), 3);
        QVERIFY2(in, qPrintable(dump(r)));
        QCOMPARE(in->verdict, FdVerdict::Leaked);
        QCOMPARE(in->entry.target, std::string("/dev/null"));
        // Made in the first process, carried by two forks, exec'd only in the last.
        const pid_t top = r.processes.front().pid;
        QCOMPARE(in->origin->pid, top);
        QVERIFY(in->origin->syscall.rfind("open", 0) == 0);
        QCOMPARE(int(in->carriedBy.size()), 2);
        QCOMPARE(in->carriedBy[0].ppid, top);
        QCOMPARE(in->carriedBy[1].pid, trues.front()->pid);
    }

    void grandchildKeepsThePipeOpen()
    {
        const TraceReport r = traceCommand({helper("spawnlab-leak-grandchild-pipe")});
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        auto sleeps = execsOf(r, "sleep");
        QVERIFY2(sleeps.size() == 1, qPrintable(dump(r)));
        const TracedExec &sleep = *sleeps.front();
        const LeakFinding *writeEnd = nullptr;
        for (const LeakFinding *f : findingsAt(r, sleep))
            if (f->message.find("write end") != std::string::npos) writeEnd = f;
        QVERIFY2(writeEnd, qPrintable(dump(r)));
        QCOMPARE(writeEnd->severity, Severity::High);
        QVERIFY(writeEnd->message.find("the pipe's reader sees no EOF while sleep runs") !=
                std::string::npos);
        // The sleep is the grandchild: its parent is the shell, the shell's the helper.
        const pid_t top = r.processes.front().pid;
        pid_t shell = 0;
        for (const auto &p : r.processes)
            if (p.pid == sleep.pid) shell = p.ppid;
        bool shellUnderTop = false;
        for (const auto &p : r.processes)
            shellUnderTop |= p.pid == shell && p.ppid == top;
        QVERIFY2(shellUnderTop, qPrintable(dump(r)));
    }

    // The shell and its background sleep got the same pipe: each is the
    // other's peer, found from the report after both are gone.
    void peersAreTheOtherTracedHolders()
    {
        const TraceReport r = traceCommand({helper("spawnlab-leak-grandchild-pipe")});
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        auto sleeps = execsOf(r, "sleep");
        auto shells = execsOf(r, "sh");
        QVERIFY2(sleeps.size() == 1 && shells.size() == 1, qPrintable(dump(r)));
        const std::size_t sleepIndex = std::size_t(sleeps.front() - r.execs.data());
        QVERIFY(!sleeps.front()->inherited.empty());
        for (const InheritedFd &in : sleeps.front()->inherited) {
            const std::vector<FdPeer> peers = tracePeers(r, sleepIndex, in.fd);
            QVERIFY2(peers.size() == 1, qPrintable(dump(r)));
            QCOMPARE(peers.front().pid, shells.front()->pid);
            QCOMPARE(peers.front().comm, std::string("sh"));
            QCOMPARE(peers.front().fd, in.fd); // sh passed it on under the same number
            QCOMPARE(peers.front().relation, std::string("same pipe"));
        }
        QVERIFY(tracePeers(r, sleepIndex, 99).empty());
        QVERIFY(tracePeers(r, r.execs.size(), 3).empty());
    }

    void withoutFollowingOnlyTheRootIsTraced()
    {
        // The helper's sh and its background sleep run untraced, and run
        // right: the helper waits for the pipe's EOF, so the sleep ran too.
        TraceOptions options = launching({helper("spawnlab-leak-grandchild-pipe")});
        options.followChildren = false;
        const TraceReport r = Tracer(options).run();
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        QVERIFY(r.exit);
        QCOMPARE(r.exit->code, 0);
        QCOMPARE(int(r.processes.size()), 1);
        QCOMPARE(int(r.execs.size()), 1); // the helper's own
        QVERIFY(r.findings.empty());
        QVERIFY(!r.overhead.seccomp);
        QVERIFY(std::any_of(r.notes.begin(), r.notes.end(), [](const std::string &n) {
            return n.find("not followed") != std::string::npos;
        }));
    }

    void aReusedNumberGetsItsOwnOrigin()
    {
        const TraceReport r = traceCommand({helper("spawnlab-reused-number")});
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        QCOMPARE(r.exit->code, 0);
        auto trues = execsOf(r, "true");
        QVERIFY2(trues.size() == 1, qPrintable(dump(r)));
        QCOMPARE(int(trues.front()->inherited.size()), 1); // fd 3 was close-on-exec
        const InheritedFd &copy = trues.front()->inherited.front();
        QCOMPARE(copy.fd, 4);
        QCOMPARE(copy.entry.target, std::string("/dev/zero"));
        QCOMPARE(copy.verdict, FdVerdict::Leaked);
        QCOMPARE(copy.origin->syscall, std::string("dup"));
        QVERIFY2(copy.origin->call.find("a copy of fd 3") != std::string::npos,
                 copy.origin->call.c_str());
    }

    void cloexecRaceBetweenThreads()
    {
        const TraceReport r = traceCommand({helper("spawnlab-cloexec-race")});
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        auto trues = execsOf(r, "true");
        QVERIFY2(trues.size() == 2, qPrintable(dump(r)));
        // The first child forked inside the window; the second after the fcntl.
        QVERIFY(inheritedFd(*trues[0], 3));
        QVERIFY(!inheritedFd(*trues[1], 3));
        auto found = findingsAt(r, *trues[0]);
        QCOMPARE(int(found.size()), 1);
        QCOMPARE(found.front()->severity, Severity::High);
        QVERIFY2(found.front()->message.find("close-on-exec race") != std::string::npos,
                 found.front()->message.c_str());
        const InheritedFd &in = *inheritedFd(*trues[0], 3);
        QVERIFY(in.origin->markedCloexecUs > in.carriedBy.front().tUs);
        QVERIFY(in.carriedBy.front().byTid != in.origin->markedByTid);
    }

    void cleanPythonHasNoFinding()
    {
        // Python's own fds are close-on-exec; pass_fds is a hand-over on purpose.
        const char *script =
            "import os, subprocess\n"
            "for i in range(3):\n"
            "    subprocess.run(['cat'], input=b'x', capture_output=True, check=True)\n"
            "r, w = os.pipe()\n"
            "subprocess.run(['true'], pass_fds=[w], check=True)\n";
        const TraceReport r = traceCommand({"python3", "-c", script});
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        QCOMPARE(r.exit->code, 0);
        QCOMPARE(int(execsOf(r, "cat").size()), 3);
        QVERIFY2(r.findings.empty(), qPrintable(dump(r)));
        auto trues = execsOf(r, "true");
        QCOMPARE(int(trues.size()), 1);
        QCOMPARE(int(trues.front()->inherited.size()), 1);
        const InheritedFd &passed = trues.front()->inherited.front();
        QCOMPARE(passed.verdict, FdVerdict::Intended);
        QVERIFY2(passed.why.find("cleared on purpose") != std::string::npos, passed.why.c_str());
    }

    void callsAreWrittenAsStraceWrites()
    {
        // Made without close-on-exec, so both cross into true.
        const char *script = "import os, subprocess\n"
                             "e = os.eventfd(7, 0)\n"
                             "m = os.memfd_create('m', 0)\n"
                             "subprocess.run(['true'], close_fds=False)\n";
        const TraceReport r = traceCommand({"python3", "-c", script});
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        auto trues = execsOf(r, "true");
        QVERIFY2(trues.size() == 1, qPrintable(dump(r)));
        std::map<std::string, const FdOrigin *> made;
        for (const InheritedFd &in : trues.front()->inherited)
            if (in.origin) made[in.origin->syscall] = in.origin.get();
        QVERIFY2(made.count("eventfd2") && made.count("memfd_create"), qPrintable(dump(r)));
        for (const auto &[syscall, origin] : made) {
            if (syscall != "eventfd2" && syscall != "memfd_create") continue;
            QCOMPARE(origin->flags, std::string("0"));
            QVERIFY(!origin->cloexec);
        }
        const std::string event = made["eventfd2"]->call;
        QVERIFY2(event.rfind("eventfd2(7, 0) = ", 0) == 0, event.c_str());
        const std::string memfd = made["memfd_create"]->call;
        QVERIFY2(memfd.rfind("memfd_create(\"m\", 0) = ", 0) == 0, memfd.c_str());
    }

    void handedToOneChildLeaksToItsChild_data()
    {
        QTest::addColumn<bool>("noSeccomp");
        QTest::newRow("seccomp filter") << false;
        // Every call stops, as after --attach: the pipe2 is seen, then the ioctl.
        QTest::newRow("syscall stops") << true;
    }
    void handedToOneChildLeaksToItsChild()
    {
        QFETCH(bool, noSeccomp);
        // The pipe is made inheritable on purpose for sh; sh passes it on to sleep.
        const char *script = "import os, subprocess\n"
                             "r, w = os.pipe()\n"
                             "os.set_inheritable(w, True)\n"
                             "subprocess.run(['sh', '-c', 'sleep 0 & wait'], close_fds=False)\n";
        const TraceReport r = traceCommand({"python3", "-c", script}, 1000, noSeccomp);
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        auto shells = execsOf(r, "sh");
        auto sleeps = execsOf(r, "sleep");
        QVERIFY2(!shells.empty() && sleeps.size() == 1, qPrintable(dump(r)));
        const InheritedFd &toShell = shells.back()->inherited.back();
        QCOMPARE(toShell.verdict, FdVerdict::Intended);
        const InheritedFd &toSleep = sleeps.front()->inherited.back();
        QCOMPARE(toSleep.fd, toShell.fd);
        QCOMPARE(toSleep.verdict, FdVerdict::Leaked);
        QCOMPARE(int(r.findings.size()), 1);
        const std::string &finding = r.findings.front().message;
        if (!noSeccomp) { // pipe2(O_CLOEXEC) passed the filter: the ioctl is all it saw
            QCOMPARE(toSleep.origin->syscall, std::string("ioctl")); // FIONCLEX
            QVERIFY(toSleep.origin->call.find("made inheritable here") != std::string::npos);
            return;
        }
        // Made close-on-exec, then made inheritable: the finding names both calls.
        QCOMPARE(toSleep.origin->syscall, std::string("pipe2"));
        QVERIFY(toSleep.origin->cloexec);
        QVERIFY2(toSleep.madeInheritableBy.rfind(
                     "ioctl(" + std::to_string(toSleep.fd) + ", FIONCLEX) = 0 in pid ", 0) == 0,
                 toSleep.madeInheritableBy.c_str());
        QVERIFY2(finding.find(", then made inheritable by ioctl(") != std::string::npos &&
                     finding.find("without close-on-exec") == std::string::npos,
                 finding.c_str());
    }

    void shellRedirectionIsIntended()
    {
        const TraceReport r = traceCommand({"sh", "-c", "exec 7>/dev/null; /bin/true 5>&7"});
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        auto trues = execsOf(r, "true");
        QVERIFY2(trues.size() == 1, qPrintable(dump(r)));
        const InheritedFd *five = inheritedFd(*trues.front(), 5);
        QVERIFY2(five, qPrintable(dump(r)));
        QCOMPARE(five->verdict, FdVerdict::Intended);
        QVERIFY2(five->why.find("dup2") != std::string::npos, five->why.c_str());
    }

    void syscallStopsFindTheSameLeak()
    {
        const TraceReport r = traceCommand({helper("spawnlab-leak-pipe-spawn")}, 1000, true);
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        QVERIFY(!r.overhead.seccomp);
        auto sleeps = execsOf(r, "sleep");
        QVERIFY(sleeps.size() == 1);
        QCOMPARE(int(findingsAt(r, *sleeps.front()).size()), 2);
        QVERIFY(inheritedFd(*sleeps.front(), 4)->origin->known);
    }

    void attachSeesLeaksAfterTheAttach()
    {
        test::Pipe toChild(O_CLOEXEC), fromChild(O_CLOEXEC);
        test::ChildGuard child;
        const std::string program = helper("spawnlab-leak-after-ready");
        child.pid = fork();
        if (child.pid == 0) {
            dup2(toChild.read.fd, 0);
            dup2(fromChild.write.fd, 1);
            close_range(3, ~0U, 0); // only what it makes after the attach
            execl(program.c_str(), program.c_str(), (char *)nullptr);
            _exit(127);
        }
        fromChild.write.reset();
        toChild.read.reset();
        char ready[6] = {};
        QCOMPARE(read(fromChild.read.fd, ready, 6), ssize_t(6)); // "ready\n": waiting on stdin

        TraceOptions options;
        options.attachPid = child.pid;
        Tracer tracer(options);
        std::promise<void> attached;
        tracer.onStarted = [&](pid_t) { attached.set_value(); };
        TraceReport r;
        std::thread tracing([&] { r = tracer.run(); });
        attached.get_future().wait();
        QCOMPARE(write(toChild.write.fd, "go\n", 3), ssize_t(3));
        tracing.join();

        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        QCOMPARE(r.attached, child.pid);
        QVERIFY(!r.overhead.seccomp);
        auto trues = execsOf(r, "true");
        QVERIFY2(trues.size() == 1, qPrintable(dump(r)));
        const InheritedFd *in = inheritedFd(*trues.front(), 3);
        QVERIFY2(in && in->origin->known, qPrintable(dump(r)));
        QCOMPARE(in->origin->pid, child.pid);
        QCOMPARE(int(findingsAt(r, *trues.front()).size()), 2);
        // The tracer, a thread of its parent, reaped it (the kernel lets the
        // parent's own thread group do that); its exit is in the report.
        QCOMPARE(waitpid(child.pid, nullptr, WNOHANG), -1);
        child.pid = -1;
        QVERIFY(r.processes.front().exit && r.processes.front().exit->exited);
        QCOMPARE(r.processes.front().exit->code, 0);
    }

    void stopRequestDetachesAnAttachedProcess()
    {
        test::ChildGuard child{startSleep()};
        TraceOptions options;
        options.attachPid = child.pid;
        Tracer tracer(options);
        tracer.onStarted = [&](pid_t) { tracer.requestStop(); };
        const TraceReport r = tracer.run();
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        // Detached, not killed, not stopped: it still sleeps, untraced.
        QCOMPARE(kill(child.pid, 0), 0);
        QCOMPARE(waitpid(child.pid, nullptr, WNOHANG), 0);
        QFile status(QStringLiteral("/proc/%1/status").arg(child.pid));
        QVERIFY(status.open(QIODevice::ReadOnly));
        const QByteArray text = status.readAll();
        QVERIFY2(text.contains("TracerPid:\t0\n"), text.constData());
        QVERIFY2(!text.contains("State:\tt"), text.constData());
    }

    void aTracedProcessCannotBeAttachedTwice()
    {
        test::ChildGuard child{startSleep()};
        TraceOptions options;
        options.attachPid = child.pid;
        Tracer first(options);
        TraceReport second;
        first.onStarted = [&](pid_t) {
            second = Tracer(options).run();
            first.requestStop();
        };
        first.run();
        QVERIFY(second.error);
        QVERIFY2(second.error->find("already traced by pid " + std::to_string(getpid())) !=
                     std::string::npos,
                 second.error->c_str());
    }

    void stopRequestKillsALaunchedTree()
    {
        Tracer tracer(launching({"sh", "-c", "sleep 30; true"}));
        pid_t launched = 0;
        tracer.onStarted = [&](pid_t pid) {
            launched = pid;
            tracer.requestStop();
        };
        const TraceReport r = tracer.run();
        QVERIFY(launched > 0);
        QVERIFY(r.exit);
        QCOMPARE(r.exit->signal, SIGKILL);
        QCOMPARE(kill(launched, 0), -1); // reaped: gone, not a zombie
        QVERIFY(r.notes.size() == 1 && r.notes.front().find("killed") != std::string::npos);
    }

    void aTraceeKilledMidTrace()
    {
        Tracer tracer(launching({"sleep", "30"}));
        tracer.onStarted = [](pid_t pid) { kill(pid, SIGKILL); };
        const TraceReport r = tracer.run();
        QVERIFY(!r.error);
        QCOMPARE(r.exit->signal, SIGKILL);
    }

    void missingProgramIsNamed()
    {
        const TraceReport r = traceCommand({"/nonexistent/prog"});
        QVERIFY(r.error);
        QVERIFY2(r.error->find("/nonexistent/prog") != std::string::npos &&
                     r.error->find("ENOENT") != std::string::npos,
                 r.error->c_str());
        QVERIFY(r.execs.empty());
    }

    void noSuchProcess()
    {
        pid_t gone = fork();
        if (gone == 0) _exit(0);
        waitpid(gone, nullptr, 0);
        TraceOptions options;
        options.attachPid = gone;
        const TraceReport r = Tracer(options).run();
        QVERIFY(r.error);
        QCOMPARE(*r.error, "no process with pid " + std::to_string(gone));
    }

    void forkBombIsBounded()
    {
        const TraceReport r =
            traceCommand({"sh", "-c", "for i in 1 2 3 4 5 6 7 8; do true & done; wait"}, 3);
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
        QCOMPARE(r.exit->code, 0);
        QVERIFY(r.processes.size() <= 3);
        QVERIFY(std::any_of(r.notes.begin(), r.notes.end(), [](const std::string &n) {
            return n.find("followed, not recorded") != std::string::npos;
        }));
    }

    void reportJsonHasTheContract()
    {
        const TraceReport r = traceCommand({helper("spawnlab-leak-pipe-spawn")});
        QJsonParseError error;
        const QJsonDocument doc =
            QJsonDocument::fromJson(QByteArray::fromStdString(traceReportJson(r)), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonObject o = doc.object();
        for (const char *key : {"command", "processes", "execs", "findings", "overhead", "exit"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        const QJsonObject finding = o[u"findings"].toArray().first().toObject();
        for (const char *key :
             {"severity", "pid", "exe", "argv", "fd", "kind", "target", "message", "origin"})
            QVERIFY2(finding.contains(QLatin1String(key)), key);
        const QJsonObject origin = finding[u"origin"].toObject();
        for (const char *key :
             {"pid", "tid", "exe", "syscall", "flags", "t_us", "carried_by", "stack"})
            QVERIFY2(origin.contains(QLatin1String(key)), key);
        QCOMPARE(finding[u"severity"].toString(), QStringLiteral("high"));
        const QJsonObject exec = o[u"execs"].toArray().last().toObject();
        QCOMPARE(exec[u"inherited"].toArray().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TraceTest)
#include "tst_trace.moc"
