// SPDX-License-Identifier: GPL-3.0-or-later
// Starting a trace: a launched program goes through the core's own fork path
// with the tracer's step (wait to be seized, install the filter); an attached
// process is seized thread by thread. Also the Tracer object around a Session.
#include "trace/session.h"

#include "child/spawn_child.h"
#include "procfs/proc_text.h"
#include "report.h"

#include "spawnlab/names.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iterator>

namespace spawnlab::detail {
namespace {

constexpr long kFollow = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
                         PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP;

// Without following, fork and vfork children (glibc's posix_spawn is a
// vfork) are not traced; threads still are, as clone events.
long traceOptions(const TraceOptions &options)
{
    return options.followChildren ? kFollow
                                  : kFollow & ~long(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK);
}

std::string capabilityName(int bit)
{
    static const char *const names[] = {"CAP_CHOWN",
                                        "CAP_DAC_OVERRIDE",
                                        "CAP_DAC_READ_SEARCH",
                                        "CAP_FOWNER",
                                        "CAP_FSETID",
                                        "CAP_KILL",
                                        "CAP_SETGID",
                                        "CAP_SETUID",
                                        "CAP_SETPCAP",
                                        "CAP_LINUX_IMMUTABLE",
                                        "CAP_NET_BIND_SERVICE",
                                        "CAP_NET_BROADCAST",
                                        "CAP_NET_ADMIN",
                                        "CAP_NET_RAW",
                                        "CAP_IPC_LOCK",
                                        "CAP_IPC_OWNER",
                                        "CAP_SYS_MODULE",
                                        "CAP_SYS_RAWIO",
                                        "CAP_SYS_CHROOT",
                                        "CAP_SYS_PTRACE",
                                        "CAP_SYS_PACCT",
                                        "CAP_SYS_ADMIN",
                                        "CAP_SYS_BOOT",
                                        "CAP_SYS_NICE",
                                        "CAP_SYS_RESOURCE",
                                        "CAP_SYS_TIME",
                                        "CAP_SYS_TTY_CONFIG",
                                        "CAP_MKNOD",
                                        "CAP_LEASE",
                                        "CAP_AUDIT_WRITE",
                                        "CAP_AUDIT_CONTROL",
                                        "CAP_SETFCAP",
                                        "CAP_MAC_OVERRIDE",
                                        "CAP_MAC_ADMIN",
                                        "CAP_SYSLOG",
                                        "CAP_WAKE_ALARM",
                                        "CAP_BLOCK_SUSPEND",
                                        "CAP_AUDIT_READ",
                                        "CAP_PERFMON",
                                        "CAP_BPF",
                                        "CAP_CHECKPOINT_RESTORE"};
    return bit < int(std::size(names)) ? names[bit] : "capability " + std::to_string(bit);
}

// Why the kernel would not let us trace `pid`, as a person can act on it.
std::string refusal(pid_t pid, int err)
{
    const std::string who = "pid " + std::to_string(pid);
    if (err == ESRCH) return "no process with " + who;
    if (err != EPERM) return "PTRACE_SEIZE of " + who + ": " + errnoName(err);
    if (const auto tracer = parseNumber<pid_t>(statusField(pid, "TracerPid")); tracer && *tracer)
        return who + " is already traced by pid " + std::to_string(*tracer) + " (" +
               commOf(*tracer) + "); a process has one tracer at a time";
    if (statusField(pid, "State").rfind("Z", 0) == 0)
        return who + " is a zombie: it has exited, only its exit status is left";
    if (statusField(pid, "Kthread") == "1") return who + " is a kernel thread: nothing to trace";
    // The tracer must hold every capability the tracee may use.
    using Caps = unsigned long long;
    const Caps theirs = parseNumber<Caps>(statusField(pid, "CapPrm"), 16).value_or(0);
    const Caps ours = parseNumber<Caps>(statusField(getpid(), "CapEff"), 16).value_or(~Caps(0));
    if (const Caps missing = theirs & ~ours) {
        std::string names;
        for (int bit = 0; bit < 64; ++bit)
            if (missing >> bit & 1) names += (names.empty() ? "" : ", ") + capabilityName(bit);
        return who + " holds capabilities spawnlab lacks (" + names +
               "), so the kernel refuses to let spawnlab trace it";
    }
    std::string scopeText = readFile(AT_FDCWD, "/proc/sys/kernel/yama/ptrace_scope").text;
    while (!scopeText.empty() && scopeText.back() == '\n')
        scopeText.pop_back();
    if (const int scope = parseNumber<int>(scopeText).value_or(0); scope > 0)
        return "kernel.yama.ptrace_scope is " + std::to_string(scope) +
               (scope == 1 ? ": only an ancestor may trace " + who +
                                 " (run spawnlab-cli as root, or set the sysctl to 0)"
                           : ": tracing other processes needs CAP_SYS_PTRACE (or is disabled)");
    const std::string uid = statusField(pid, "Uid");
    return "the kernel refused to trace " + who + " (uid " + uid.substr(0, uid.find('\t')) +
           "): tracing another user's process needs CAP_SYS_PTRACE";
}

// The program to launch, forked (the tracer must seize it before it runs);
// with an output file, stdin is /dev/null and stdout and stderr append to it.
SpawnPlan tracedPlan(const TraceOptions &options)
{
    SpawnPlan plan;
    plan.argv = options.argv;
    plan.cwd = options.cwd;
    plan.strategy = Strategy::Fork;
    if (options.outputPath.empty()) return plan;
    FdAction in;
    in.fd = 0;
    in.action = FdActionKind::Null;
    plan.fds.push_back(in);
    for (int fd : {1, 2}) {
        FdAction out;
        out.fd = fd;
        out.action = FdActionKind::Open;
        out.path = options.outputPath;
        out.flags = O_WRONLY | O_CREAT | O_APPEND;
        out.mode = 0600;
        plan.fds.push_back(out);
    }
    return plan;
}

std::string seizeLaunchedError(int err)
{
    return "cannot trace the program: PTRACE_SEIZE: " + errnoName(err) +
           (err == EPERM ? " (spawnlab needs CAP_SYS_PTRACE here, or a ptrace-friendly sandbox)"
                         : "");
}

} // namespace

bool Session::start()
{
    if (!m_options.followChildren)
        report.notes.push_back("children were not followed (--no-follow): the processes it "
                               "started ran untraced, and their execs and the fds that crossed "
                               "them are not in this report");
    return m_options.attachPid > 0 ? attach() : launch();
}

bool Session::launch()
{
    m_launched = true;
    m_seccomp = !m_options.noSeccomp && m_options.followChildren;
    report.command = m_options.argv;
    report.overhead.seccomp = m_seccomp;
    m_plan = std::make_unique<SpawnPlan>(tracedPlan(m_options));
    if (m_plan->argv.empty() || m_plan->argv.front().empty()) {
        report.error = "no program to trace";
        return false;
    }
    if (auto problems = validate(*m_plan); !problems.empty()) {
        report.error = problems.front().field + ": " + problems.front().message;
        return false;
    }
    m_prepared = std::make_unique<Prepared>();
    if (auto failure = prepare(*m_plan, Strategy::Fork, false, *m_prepared)) {
        report.error = failure->message;
        return false;
    }
    int gate[2];
    if (pipe2(gate, O_CLOEXEC) != 0) {
        report.error = "pipe2 for the tracer's gate: " + errnoName(errno);
        return false;
    }
    UniqueFd gateRead(gate[0]), gateWrite(gate[1]);
    buildSeccompFilter(m_filter);
    ChildProgram &program = m_prepared->program;
    program.awaitTracer = true;
    program.tracerGate = gate[0];
    program.tracerGateWrite = gate[1];
    program.seccompFilter = m_seccomp ? &m_filter.program : nullptr;
    Spawned spawned = spawnChild(program, Strategy::Fork);
    if (spawned.pid < 0) {
        report.error = "fork: " + errnoName(spawned.err);
        return false;
    }
    m_prepared->childSideFds.clear();
    gateRead.reset();
    const pid_t pid = spawned.pid;
    // EXITKILL: if spawnlab dies, so does everything it launched and traces.
    if (ptrace(PTRACE_SEIZE, pid, nullptr, traceOptions(m_options) | PTRACE_O_EXITKILL) != 0) {
        const int err = errno;
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        report.error = seizeLaunchedError(err);
        return false;
    }
    if (write(gateWrite.get(), "g", 1) != 1) {
        report.error = "write to the tracer's gate: " + errnoName(errno);
        kill(pid, SIGKILL);
        return true; // the loop reaps it
    }
    gateWrite.reset();
    m_root = pid;
    m_tasks[pid] = TaskState{pid, false, {}};
    ProcState root;
    root.files = std::make_shared<FileTable>();
    root.exe = exeOf(pid); // spawnlab's own program until the exec
    root.index = addProcess(pid, getpid(), root.exe, m_options.argv); // until its exec says more
    m_procs[pid] = std::move(root);
    if (m_hooks.onStarted) m_hooks.onStarted(pid);
    return true;
}

void Session::adoptThreads(pid_t pid, std::set<pid_t> &seized)
{
    // Threads may start while we seize: read the list again until it holds no new one.
    for (bool more = true; more;) {
        more = false;
        DIR *dir = opendir(("/proc/" + std::to_string(pid) + "/task").c_str());
        if (!dir) return;
        while (dirent *e = readdir(dir)) {
            const pid_t tid = pid_t(std::atoi(e->d_name));
            if (tid <= 0 || seized.count(tid)) continue;
            if (ptrace(PTRACE_SEIZE, tid, nullptr, traceOptions(m_options)) != 0)
                continue; // it exited
            seized.insert(tid);
            more = true;
        }
        closedir(dir);
    }
}

bool Session::attach()
{
    const pid_t pid = m_options.attachPid;
    report.attached = pid;
    report.overhead.seccomp = false;
    if (pid == getpid()) {
        report.error = "spawnlab cannot trace itself";
        return false;
    }
    if (kill(pid, 0) != 0 && errno == ESRCH) {
        report.error = "no process with pid " + std::to_string(pid);
        return false;
    }
    if (const pid_t tgid = tgidOf(pid); tgid != pid) {
        report.error = "pid " + std::to_string(pid) + " is a thread of pid " +
                       std::to_string(tgid) + "; attach to the process";
        return false;
    }
    if (ptrace(PTRACE_SEIZE, pid, nullptr, traceOptions(m_options)) != 0) {
        report.error = refusal(pid, errno);
        return false;
    }
    std::set<pid_t> seized{pid};
    adoptThreads(pid, seized);
    // What it holds now was made before we came: origin unknown, state known.
    FdTableRead table = readFdTable(pid);
    ProcState proc;
    proc.files = std::make_shared<FileTable>();
    for (const FdEntry &e : table.table)
        (*proc.files)[e.fd] = unknownRecord("it was open before the attach", e.cloexec);
    proc.exe = exeOf(pid);
    proc.ppid = parseNumber<pid_t>(statusField(pid, "PPid")).value_or(0);
    proc.index = addProcess(pid, proc.ppid, proc.exe, argvOf(pid));
    m_procs[pid] = std::move(proc);
    for (pid_t tid : seized) {
        m_tasks[tid] = TaskState{pid, false, {}};
        // Into a stop, so the first PTRACE_SYSCALL can start the syscall stops.
        ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr);
    }
    report.notes.push_back("attached to pid " + std::to_string(pid) +
                           ": every system call stops (no seccomp filter can be added to a "
                           "running process); fds open before the attach have no origin");
    if (m_hooks.onStarted) m_hooks.onStarted(pid);
    return true;
}

} // namespace spawnlab::detail

namespace spawnlab {

Tracer::Tracer(TraceOptions options) : m_options(std::move(options)) {}

Tracer::~Tracer() = default;

void Tracer::requestStop()
{
    m_stop.store(true);
    if (pid_t waker = m_waker.exchange(0); waker > 0) kill(waker, SIGKILL);
}

TraceReport Tracer::run()
{
    int err = 0;
    TraceReport report = runOnce(m_options, err);
    // No seccomp here (an old kernel, a sandbox's own filter): every call stops.
    if (err && !m_stop.load()) {
        TraceOptions again = m_options;
        again.noSeccomp = true;
        int ignored = 0;
        report = runOnce(again, ignored);
        report.notes.insert(report.notes.begin(),
                            "the seccomp filter could not be installed (" + errnoName(err) +
                                "), so every system call stopped for the tracer (slower)");
    }
    return report;
}

TraceReport Tracer::runOnce(const TraceOptions &options, int &refused)
{
    detail::Session session(options, m_stop, *this);
    const pid_t parent = getpid();
    const bool ticks = bool(onProgress);
    pid_t waker = fork();
    if (waker == 0) { // waits to be killed; never outlives the tracer
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(0);
        // Progress ticks: a stop every 100 ms wakes the tracer's waitpid
        // even while the traced programs are quiet.
        const timespec tick{0, 100 * 1000 * 1000};
        for (;;) {
            if (!ticks) pause();
            nanosleep(&tick, nullptr);
            kill(getpid(), SIGSTOP);
        }
    }
    if (waker < 0) {
        session.report.error = "fork of the tracer's waker: " + errnoName(errno);
        return session.report;
    }
    m_waker.store(waker);
    session.setWaker(waker);
    if (session.start()) session.loop();
    if (m_waker.exchange(0) > 0) kill(waker, SIGKILL);
    if (!session.wakerReaped()) waitpid(waker, nullptr, 0);
    session.finish();
    refused = session.seccompRefused();
    return session.takeReport();
}

} // namespace spawnlab
