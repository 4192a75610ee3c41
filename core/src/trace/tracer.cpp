// SPDX-License-Identifier: GPL-3.0-or-later
// The event loop: one waitpid for every tracee, each stop handled and the
// tracee resumed at once (only a new child waits, until its parent's event).
#include "trace/session.h"

#include "procfs/proc_text.h"
#include "report.h"

#include "spawnlab/descendants.h"
#include "spawnlab/names.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

namespace spawnlab::detail {
namespace {

bool groupStopSignal(int sig)
{
    return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

// Calls on an existing fd (args[0]) whose record they copy or change.
bool usesFd(long nr)
{
#ifdef SYS_dup2
    if (nr == SYS_dup2) return true;
#endif
    return nr == SYS_dup || nr == SYS_dup3 || nr == SYS_fcntl || nr == SYS_ioctl;
}

// Where pipe, pipe2 and socketpair wrote their two fds (0: not such a call).
std::uint64_t pairAddress(const FinishedCall &c)
{
#ifdef SYS_pipe
    if (c.nr == SYS_pipe) return c.args[0];
#endif
    if (c.nr == SYS_pipe2) return c.args[0];
    if (c.nr == SYS_socketpair) return c.args[3];
    return 0;
}

bool readTracee(pid_t tid, std::uint64_t address, void *out, std::size_t size)
{
    iovec local{out, size};
    iovec remote{reinterpret_cast<void *>(address), size};
    return process_vm_readv(tid, &local, 1, &remote, 1, 0) == ssize_t(size);
}

const char *carryKind(int event)
{
    if (event == PTRACE_EVENT_VFORK) return "vfork";
    return event == PTRACE_EVENT_CLONE ? "clone" : "fork";
}

ExitStatus exitFrom(int status)
{
    ExitStatus e;
    e.exited = WIFEXITED(status);
    e.code = e.exited ? WEXITSTATUS(status) : 0;
    e.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return e;
}

} // namespace

pid_t tgidOf(pid_t tid)
{
    const auto tgid = parseNumber<pid_t>(statusField(tid, "Tgid"));
    return tgid ? *tgid : tid;
}

std::string exeOf(pid_t pid)
{
    return readLink("/proc/" + std::to_string(pid) + "/exe");
}

std::vector<std::string> argvOf(pid_t pid)
{
    return procStrings(pid, "cmdline");
}

Session::Session(TraceOptions options, const std::atomic<bool> &stop, Tracer &hooks)
    : m_options(std::move(options)), m_stop(stop), m_hooks(hooks), m_startNs(monotonicNs())
{
}

double Session::nowUs() const
{
    return double(monotonicNs() - m_startNs) / 1000.0;
}

ProcState *Session::procOf(pid_t tid)
{
    auto task = m_tasks.find(tid);
    if (task == m_tasks.end()) return nullptr;
    auto proc = m_procs.find(task->second.tgid);
    return proc == m_procs.end() ? nullptr : &proc->second;
}

std::size_t Session::addProcess(pid_t pid, pid_t ppid, const std::string &exe,
                                std::vector<std::string> argv)
{
    TracedProcess p;
    p.pid = pid;
    p.ppid = ppid;
    p.exe = exe;
    p.argv = std::move(argv);
    report.processes.push_back(std::move(p));
    m_changed = true;
    return report.processes.size() - 1;
}

void Session::loop()
{
    while (!m_tasks.empty() || !m_earlyStops.empty()) {
        if (m_stop.load() && !m_stopping) beginStop();
        int status = 0;
        // WUNTRACED: the waker's stops (its progress ticks); the tracees'
        // stops come anyway, as they are traced.
        pid_t tid = waitpid(-1, &status, __WALL | __WNOTHREAD | WUNTRACED);
        if (tid < 0 && errno == EINTR) continue;
        if (tid < 0) {
            if (errno != ECHILD)
                report.error = "waitpid: " + errnoName(errno) + "; the trace stopped";
            break;
        }
        if (tid == m_waker && WIFSTOPPED(status)) {
            onWakerStop();
            continue;
        }
        if (tid == m_waker) {
            m_waker = 0; // requestStop() killed it: the flag is set
            continue;
        }
        handle(tid, status);
    }
}

// The waker stops itself every 100 ms when someone watches the progress.
void Session::onWakerStop()
{
    kill(m_waker, SIGCONT);
    if (!m_changed || !m_hooks.onProgress) return;
    m_changed = false;
    m_hooks.onProgress(report);
}

void Session::handle(pid_t tid, int status)
{
    if (WIFEXITED(status) || WIFSIGNALED(status)) return onGone(tid, status);
    if (!WIFSTOPPED(status)) return;
    const int sig = WSTOPSIG(status), event = status >> 16;
    if (!m_tasks.count(tid)) { // a new child, stopped before its parent's event
        m_earlyStops.insert(tid);
        return;
    }
    if (m_stopping && !m_launched) { // attached: let it go, with its signal
        const bool delivery = event == 0 && sig != (SIGTRAP | 0x80);
        ptrace(PTRACE_DETACH, tid, nullptr, delivery ? sig : 0);
        onGone(tid, -1);
        return;
    }
    switch (event) {
    case PTRACE_EVENT_SECCOMP:
        ++report.overhead.syscallStops;
        return onCallStop(tid, true);
    case PTRACE_EVENT_FORK:
    case PTRACE_EVENT_VFORK:
    case PTRACE_EVENT_CLONE:
        ++report.overhead.eventStops;
        onNewTask(tid, event);
        return resume(tid);
    case PTRACE_EVENT_EXEC:
        ++report.overhead.eventStops;
        onExec(tid);
        return resume(tid);
    case PTRACE_EVENT_STOP:
        // A job-control stop stays a stop, as it would untraced.
        if (groupStopSignal(sig)) {
            ptrace(PTRACE_LISTEN, tid, nullptr, nullptr);
            return;
        }
        return resume(tid);
    case 0:
        if (sig == (SIGTRAP | 0x80)) {
            ++report.overhead.syscallStops;
            return onCallStop(tid, false);
        }
        ++report.overhead.eventStops;
        return resume(tid, sig); // a signal for the tracee: deliver it
    default:
        return resume(tid);
    }
}

void Session::resume(pid_t tid, int sig)
{
    // ESRCH: it was killed meanwhile; its end comes through waitpid.
    ptrace(m_seccomp ? PTRACE_CONT : PTRACE_SYSCALL, tid, nullptr, sig);
}

void Session::onCallStop(pid_t tid, bool seccompStop)
{
    __ptrace_syscall_info info{};
    TaskState &task = m_tasks[tid];
    if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) <= 0) return resume(tid);
    if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
        ProcState *proc = procOf(tid);
        if (task.inCall && proc && proc->recorded) {
            FinishedCall c = task.call;
            c.rval = info.exit.rval;
            c.pid = task.tgid;
            c.tid = tid;
            c.tUs = nowUs();
            c.exe = proc->exe;
            if (std::uint64_t at = pairAddress(c);
                at && c.rval == 0 && !readTracee(tid, at, c.pair, sizeof c.pair))
                c.pair[0] = c.pair[1] = -1;
            const std::string fdDir = "/proc/" + std::to_string(tid) + "/fd/";
            for (int fd : newFds(c))
                c.targets[fd] = readLink(fdDir + std::to_string(fd));
            if (usesFd(c.nr))
                c.targets[int(c.args[0])] = readLink(fdDir + std::to_string(c.args[0]));
            // Unwinding costs: only for fds that can cross an exec as they are made.
            if (m_options.stacks && needsStack(c)) takeStack(c);
            applyCall(*proc->files, c);
        }
        task.inCall = false;
        return resume(tid);
    }
    const bool entry =
        info.op == PTRACE_SYSCALL_INFO_ENTRY || info.op == PTRACE_SYSCALL_INFO_SECCOMP;
    const long nr = long(info.op == PTRACE_SYSCALL_INFO_SECCOMP ? info.seccomp.nr : info.entry.nr);
    const std::uint64_t *args =
        info.op == PTRACE_SYSCALL_INFO_SECCOMP ? info.seccomp.args : info.entry.args;
    task.inCall = false;
    if (!entry || info.arch != kTracedArch || (!seccompStop && !tracedSyscall(nr, args[1])) ||
        nr == SYS_execve || nr == SYS_execveat) // the exec event does the work
        return resume(tid);
    task.inCall = true;
    task.call = FinishedCall{};
    task.call.nr = nr;
    std::copy(args, args + 6, task.call.args);
    if (nr == SYS_openat2) { // flags live in struct open_how, its first field
        std::uint64_t flags = 0;
        if (readTracee(tid, args[2], &flags, sizeof flags)) task.call.args[2] = flags;
    }
    // Stop again at the call's exit, for the fd it returns.
    ptrace(PTRACE_SYSCALL, tid, nullptr, 0);
}

// The stack of the thread that made an fd, at its syscall-exit stop.
void Session::takeStack(FinishedCall &c)
{
    c.stack = m_stacks.stackOf(c.pid, c.tid);
    if (c.stack.empty() && !m_stackNoted) {
        report.notes.push_back("a stack could not be unwound (pid " + std::to_string(c.pid) +
                               "): " + m_stacks.lastError);
        m_stackNoted = true;
    }
}

void Session::onNewTask(pid_t parent, int event)
{
    unsigned long message = 0;
    if (ptrace(PTRACE_GETEVENTMSG, parent, nullptr, &message) != 0) return;
    const pid_t child = pid_t(message);
    setUpChild(parent, child, event);
    // Already stopped: it waited for this. Else its first stop is resumed as it comes.
    if (m_earlyStops.erase(child)) resume(child);
}

void Session::setUpChild(pid_t parent, pid_t child, int event)
{
    const pid_t tgid = m_tasks[parent].tgid;
    ProcState *proc = procOf(parent);
    if (event == PTRACE_EVENT_CLONE && tgidOf(child) == tgid) { // a thread
        m_tasks[child] = TaskState{tgid, false, {}};
        return;
    }
    m_tasks[child] = TaskState{child, false, {}};
    ProcState next;
    next.ppid = tgid;
    next.exe = proc ? proc->exe : exeOf(child);
    if (!proc || !proc->recorded || int(report.processes.size()) >= m_options.maxProcesses) {
        next.recorded = false;
        next.files = std::make_shared<FileTable>();
        if (!m_limitNoted)
            report.notes.push_back("the tree grew past " + std::to_string(m_options.maxProcesses) +
                                   " processes: later ones were followed, not recorded");
        m_limitNoted = true;
        m_procs[child] = std::move(next);
        return;
    }
    // clone without CLONE_THREAD may still share the fd table (CLONE_FILES).
    const bool shares =
        event == PTRACE_EVENT_CLONE && syscall(SYS_kcmp, tgid, child, KCMP_FILES, 0, 0) == 0;
    next.files = shares
                     ? proc->files
                     : std::make_shared<FileTable>(forkCopy(
                           *proc->files, FdCarry{tgid, child, parent, carryKind(event), nowUs()}));
    // Until it execs, a forked child runs its parent's program with its argv.
    next.index = addProcess(child, tgid, next.exe, report.processes[proc->index].argv);
    m_procs[child] = std::move(next);
}

void Session::onExec(pid_t pid)
{
    // Only a process with threads can have exec'd from another thread; each
    // ptrace request costs (the kernel waits for the tracee to be off CPU).
    unsigned long former = static_cast<unsigned long>(pid);
    const bool threaded = std::any_of(m_tasks.begin(), m_tasks.end(), [pid](const auto &t) {
        return t.second.tgid == pid && t.first != pid;
    });
    if (threaded) ptrace(PTRACE_GETEVENTMSG, pid, nullptr, &former);
    // A thread that exec'd takes the leader's pid; every other thread is gone.
    if (pid_t(former) != pid && m_tasks.count(pid_t(former))) {
        m_tasks[pid] = m_tasks[pid_t(former)];
        m_tasks.erase(pid_t(former));
    }
    std::erase_if(m_tasks, [pid](const auto &t) { return t.second.tgid == pid && t.first != pid; });
    m_tasks[pid].inCall = false;
    if (pid == m_root) m_rootExeced = true;
    ProcState *proc = procOf(pid);
    if (!proc) return;
    // exec gives a process that shared its table (CLONE_FILES) one of its own.
    if (proc->files.use_count() > 1) proc->files = std::make_shared<FileTable>(*proc->files);
    dropCloexec(*proc->files);
    m_stacks.forget(pid);
    proc->exe = exeOf(pid);
    if (proc->recorded) recordExec(pid, *proc);
}

void Session::onGone(pid_t tid, int status)
{
    m_earlyStops.erase(tid);
    auto task = m_tasks.find(tid);
    if (task == m_tasks.end()) return;
    const pid_t tgid = task->second.tgid;
    m_tasks.erase(task);
    auto proc = m_procs.find(tgid);
    if (status < 0) { // detached: it runs on; the process is done with once all are
        bool more = std::any_of(m_tasks.begin(), m_tasks.end(),
                                [tgid](const auto &t) { return t.second.tgid == tgid; });
        if (!more && proc != m_procs.end()) m_procs.erase(proc);
        return;
    }
    if (tid != tgid) return; // a thread; the leader's end is reported last
    std::erase_if(m_tasks, [tgid](const auto &t) { return t.second.tgid == tgid; });
    if (proc == m_procs.end()) return;
    m_stacks.forget(tgid);
    ExitStatus exit = exitFrom(status);
    if (proc->second.recorded) report.processes[proc->second.index].exit = exit;
    m_changed = true;
    if (tgid == m_root) report.exit = exit;
    m_procs.erase(proc);
}

void Session::beginStop()
{
    m_stopping = true;
    if (m_launched) {
        report.notes.push_back("stopped on request: the traced programs were killed");
        // Their untraced children too (--no-follow), each before its parent,
        // which would leave it to init, out of reach.
        for (const auto &[pid, proc] : m_procs) {
            killDescendants(pid);
            kill(pid, SIGKILL);
        }
        for (pid_t early : m_earlyStops)
            kill(early, SIGKILL);
        return;
    }
    report.notes.push_back("stopped on request: the traced processes were detached and run on");
    for (const auto &[tid, task] : m_tasks)
        ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr);
    for (pid_t early : m_earlyStops)
        ptrace(PTRACE_DETACH, early, nullptr, 0);
    m_earlyStops.clear();
}

} // namespace spawnlab::detail
