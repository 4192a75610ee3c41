// SPDX-License-Identifier: GPL-3.0-or-later
// The child side of a spawn: runs after fork, vfork or clone(CLONE_VM) and
// before execve. Everything here must be async-signal-safe: the memory may be
// the parent's (vfork, clone_vm), another thread of the parent may have held a
// lock at fork time, and no parent signal handler may run. So: no allocation, no
// locks, no exceptions, no stdio, only the calls child_symbols.allowed (beside
// this file) allows, and raw syscall() where the libc wrapper is not safe here
// (set*id and setrlimit broadcast to other threads; sigaction filters glibc's
// own signals).
#include "child/child_program.h"
#include "child/exec_error.h"
#include "child/signal_mask.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <climits>

namespace spawnlab::detail {
namespace {

// The kernel's struct sigaction for rt_sigaction (x86-64, aarch64 layout).
struct KernelSigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    std::uint64_t mask;
};

constexpr int kKernelSigsetSize = 8;

std::int64_t nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Returns the record's slot, or nullptr when the trace is full (the record is
// dropped, and so is anything the caller would add to it later).
TraceRecord *record(ChildProgram *p, Step step, int index, std::int64_t a, std::int64_t b, int err)
{
    SharedState *s = p->shared;
    if (s->traceCount >= s->traceCapacity) return nullptr;
    TraceRecord *slot = &s->trace[s->traceCount++];
    *slot = TraceRecord{step, index, a, b, err, nowNs()};
    return slot;
}

// Tells the parent which step failed, without a trace record of its own:
// for the caller whose record of the step is already written.
[[noreturn]] void reportFailure(ChildProgram *p, Step step, int index, int err)
{
    ErrorRecord error{step, index, err};
    p->shared->error = error;
    p->shared->failed = 1;
    if (p->errorPipeSlot >= 0) {
        // Since sizeof error < PIPE_BUF, the write is atomic. If it fails the
        // parent still finds the record in shared memory.
        (void)!write(p->slots[p->errorPipeSlot], &error, sizeof error);
    }
    _exit(127);
}

[[noreturn]] void fail(ChildProgram *p, Step step, int index, std::int64_t a, std::int64_t b,
                       int err)
{
    record(p, step, index, a, b, err);
    reportFailure(p, step, index, err);
}

// Dispositions: ignore/default as asked, and every handled signal back to
// default, so that no parent handler runs here once signals are unblocked.
void resetSignals(ChildProgram *p)
{
    // With CLONE_CLEAR_SIGHAND the kernel has reset every handler: only the
    // plan's own default/ignore signals are left to look at.
    const std::uint64_t listed = p->ignoreMask | p->defaultMask;
    int changed = 0;
    for (int sig = 1; sig <= kSignalCount; ++sig) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        if (p->kernelClearedHandlers && !inSignalMask(listed, sig)) continue;
        KernelSigaction old{};
        if (syscall(SYS_rt_sigaction, sig, nullptr, &old, kKernelSigsetSize) != 0)
            continue; // not a valid signal number on this kernel
        void *want = old.handler;
        if (inSignalMask(p->ignoreMask, sig))
            want = reinterpret_cast<void *>(SIG_IGN);
        else if (inSignalMask(p->defaultMask, sig))
            want = reinterpret_cast<void *>(SIG_DFL);
        else if (p->resetHandlers && old.handler != reinterpret_cast<void *>(SIG_IGN))
            want = reinterpret_cast<void *>(SIG_DFL);
        if (want == old.handler) continue;
        KernelSigaction act{want, 0, nullptr, 0};
        if (syscall(SYS_rt_sigaction, sig, &act, nullptr, kKernelSigsetSize) != 0)
            fail(p, Step::Signals, -1, sig, 0, errno);
        ++changed;
    }
    record(p, Step::Signals, -1, changed, p->kernelClearedHandlers, 0);
}

void runFdOp(ChildProgram *p, const FdOp &op)
{
    switch (op.kind) {
    case FdOpKind::CopyAway: {
        int from = p->slots[op.slot];
        int moved = copyAwayFromTargets(from, p->targets, p->targetCount);
        if (moved < 0) fail(p, Step::Dup2, op.planIndex, from, -1, errno);
        p->slots[op.slot] = moved;
        record(p, Step::Dup2, op.planIndex, from, moved, 0);
        return;
    }
    case FdOpKind::Dup2: {
        int from = p->slots[op.slot];
        if (dup2(from, op.fd) < 0) fail(p, Step::Dup2, op.planIndex, from, op.fd, errno);
        record(p, Step::Dup2, op.planIndex, from, op.fd, 0);
        return;
    }
    case FdOpKind::Inherit:
        if (fcntl(op.fd, F_SETFD, 0) < 0) fail(p, Step::Inherit, op.planIndex, op.fd, 0, errno);
        record(p, Step::Inherit, op.planIndex, op.fd, 0, 0);
        return;
    case FdOpKind::Open: {
        // open() takes the lowest free number, so it cannot stomp a source.
        int opened = open(op.path, op.flags, op.mode);
        if (opened < 0) fail(p, Step::Open, op.planIndex, op.fd, 0, errno);
        record(p, Step::Open, op.planIndex, op.fd, opened, 0);
        if (opened != op.fd) {
            if (dup2(opened, op.fd) < 0) fail(p, Step::Dup2, op.planIndex, opened, op.fd, errno);
            close(opened);
        }
        return;
    }
    case FdOpKind::Close:
        if (close(op.fd) < 0 && errno != EBADF) fail(p, Step::Close, op.planIndex, op.fd, 0, errno);
        record(p, Step::Close, op.planIndex, op.fd, 0, 0);
        return;
    }
}

// Kept: fds the plan set or passed, and the error pipe (prepare puts it in
// the keep-list).
bool kept(const ChildProgram *p, int fd)
{
    return fd < 3 || sortedContains(p->keepFds, p->keepCount, fd);
}

// close_range over the gaps between kept fds.
int closeByRange(const ChildProgram *p)
{
    unsigned int next = 3;
    for (int i = 0; i < p->keepCount; ++i) {
        unsigned int k = unsigned(p->keepFds[i]);
        if (k < next) continue;
        if (k > next && syscall(SYS_close_range, next, k - 1, 0) != 0) return errno;
        next = k + 1;
    }
    if (syscall(SYS_close_range, next, ~0U, 0) != 0) return errno;
    return 0;
}

struct Dirent64 {
    std::uint64_t ino;
    std::int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[1];
};

// getdents64 on /proc/self/fd: only the fds that exist, however high.
int closeByProc(const ChildProgram *p)
{
    int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return errno;
    alignas(8) char buffer[2048];
    for (;;) {
        long n = syscall(SYS_getdents64, dir, buffer, sizeof buffer);
        if (n < 0) {
            int err = errno;
            close(dir);
            return err;
        }
        if (n == 0) break;
        for (long off = 0; off < n;) {
            auto *entry = reinterpret_cast<Dirent64 *>(buffer + off);
            off += entry->reclen;
            int fd = 0;
            const char *c = entry->name;
            if (*c < '0' || *c > '9') continue; // "." and ".."
            for (; *c >= '0' && *c <= '9'; ++c)
                fd = fd * 10 + (*c - '0');
            if (fd != dir && !kept(p, fd)) close(fd);
        }
    }
    close(dir);
    return 0;
}

// Every fd number is below the soft RLIMIT_NOFILE. Read here, only when brute
// force is the way, so the usual spawn does not pay a syscall for it (the
// parent reads it with softFdLimit, fd_limit.h; getrlimit is not allowed here).
int softFdCeiling()
{
    std::uint64_t limit[2] = {0, 0}; // soft, hard, as prlimit64 writes them
    if (syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, nullptr, limit) != 0 || limit[0] > INT_MAX)
        return INT_MAX;
    return int(limit[0]);
}

void closeByBrute(const ChildProgram *p)
{
    const int ceiling = softFdCeiling();
    for (int fd = 3; fd < ceiling; ++fd)
        if (!kept(p, fd)) close(fd);
}

void closeFds(ChildProgram *p)
{
    ResolvedCloseMethod used = p->closeMethod;
    int err = 0;
    switch (p->closeMethod) {
    case ResolvedCloseMethod::None:
        return;
    case ResolvedCloseMethod::CloseRange:
        err = closeByRange(p);
        if (err == ENOSYS) { // kernel < 5.9: fall back as CPython does
            used = ResolvedCloseMethod::Proc;
            err = closeByProc(p);
            if (err != 0) {
                used = ResolvedCloseMethod::Brute;
                closeByBrute(p);
                err = 0;
            }
        }
        break;
    case ResolvedCloseMethod::Proc:
        err = closeByProc(p);
        break;
    case ResolvedCloseMethod::Brute:
        closeByBrute(p);
        break;
    }
    if (err != 0) fail(p, Step::CloseFds, -1, std::int64_t(used), 0, err);
    record(p, Step::CloseFds, -1, std::int64_t(used), 0, 0);
}

void stopForInspection(ChildProgram *p, int where)
{
    record(p, Step::Stop, -1, where, 0, 0);
    // Tell the parent a stop is coming (a record with no errno), so it can wait
    // for it; it snapshots /proc/PID/fd while we are stopped, then sends SIGCONT.
    ErrorRecord notice{Step::Stop, where, 0};
    if (write(p->slots[p->errorPipeSlot], &notice, sizeof notice) != sizeof notice)
        fail(p, Step::Stop, -1, where, 0, errno);
    if (kill(static_cast<pid_t>(syscall(SYS_getpid)), SIGSTOP) != 0)
        fail(p, Step::Stop, -1, where, 0, errno);
    // The parent's SIGCONT stays pending while signals are blocked; consume it,
    // or a traced child would stop again for it once the mask is restored.
    std::uint64_t cont = std::uint64_t(1) << (SIGCONT - 1);
    timespec zero{};
    syscall(SYS_rt_sigtimedwait, &cont, nullptr, &zero, kKernelSigsetSize);
}

void setCredentials(ChildProgram *p)
{
    // Raw syscalls: glibc's wrappers would signal the parent's other threads.
    if (p->setGroups && syscall(SYS_setgroups, p->groupCount, p->groups) != 0)
        fail(p, Step::Setgroups, -1, p->groupCount, 0, errno);
    if (p->setGroups) record(p, Step::Setgroups, -1, p->groupCount, 0, 0);
    if (p->setGid && syscall(SYS_setgid, p->gid) != 0) fail(p, Step::Setgid, -1, p->gid, 0, errno);
    if (p->setGid) record(p, Step::Setgid, -1, p->gid, 0, 0);
    if (p->setUid && syscall(SYS_setuid, p->uid) != 0) fail(p, Step::Setuid, -1, p->uid, 0, errno);
    if (p->setUid) record(p, Step::Setuid, -1, p->uid, 0, 0);
}

[[noreturn]] void exec(ChildProgram *p)
{
    ExecErrorChoice report;
    for (int i = 0; i < p->candidateCount; ++i) {
        TraceRecord *attempt = record(p, Step::Execve, i, 0, 0, 0);
        execve(p->candidates[i], p->argv, p->envp);
        const int err = errno;
        if (attempt) attempt->err = err;
        report.add(i, err);
    }
    // Each attempt has its record, with its errno: the failure adds none
    // unless there was nothing to try.
    if (p->candidateCount == 0) fail(p, Step::Execve, -1, 0, 0, report.err);
    reportFailure(p, Step::Execve, report.index, report.err);
}

// Tied to the spawning thread: if spawnlab dies (even by SIGKILL) before this
// child has exec'd, the kernel kills the child instead of leaving it blocked in
// a step with every signal masked.
void dieWithParent(ChildProgram *p)
{
    if (syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) _exit(127);
    // The parent may have died before the prctl: then nobody waits for us.
    if (syscall(SYS_getppid) != p->parentPid) _exit(127);
}

void announce(ChildProgram *p)
{
    ErrorRecord hello{Step::Stop, kAnnounceIndex, std::int32_t(syscall(SYS_getpid))};
    if (write(p->slots[p->errorPipeSlot], &hello, sizeof hello) != sizeof hello)
        fail(p, Step::Stop, -1, -1, 0, errno);
}

// Leak hunt: the tracer writes one byte once PTRACE_SEIZE has succeeded, so
// nothing the program does escapes it. Our copy of the write end goes first:
// if the tracer dies, dieWithParent's SIGKILL ends us, and a short read fails.
void awaitTracer(ChildProgram *p)
{
    close(p->tracerGateWrite);
    char go = 0;
    ssize_t got;
    do
        got = read(p->tracerGate, &go, 1);
    while (got < 0 && errno == EINTR);
    if (got != 1) fail(p, Step::Seccomp, -1, 0, 0, got < 0 ? errno : EPIPE);
    close(p->tracerGate);
    record(p, Step::Seccomp, -1, 0, 0, 0);
}

// Last before execve: from here on the filter's calls stop for the tracer.
// Without CAP_SYS_ADMIN the kernel wants no_new_privs first (seccomp(2)).
void installSeccomp(ChildProgram *p)
{
    long noNewPrivs = 0;
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, p->seccompFilter) != 0) {
        if (errno != EACCES) fail(p, Step::Seccomp, -1, 2, 0, errno);
        noNewPrivs = 1;
        if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
            fail(p, Step::Seccomp, -1, 1, 0, errno);
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, p->seccompFilter) != 0)
            fail(p, Step::Seccomp, -1, 2, 0, errno);
    }
    record(p, Step::Seccomp, -1, 2, noNewPrivs, 0);
}

} // namespace

void runChild(ChildProgram *p)
{
    if (p->dieWithParent) dieWithParent(p);
    if (p->awaitTracer) awaitTracer(p);
    if (p->announce) announce(p);
    resetSignals(p);
    if (p->setsid) {
        pid_t sid = setsid();
        if (sid < 0) fail(p, Step::Setsid, -1, 0, 0, errno);
        record(p, Step::Setsid, -1, sid, 0, 0);
    }
    if (p->setpgid) {
        if (setpgid(0, p->pgid) != 0) fail(p, Step::Setpgid, -1, p->pgid, 0, errno);
        record(p, Step::Setpgid, -1, p->pgid, 0, 0);
    }
    if (p->cwd) {
        if (chdir(p->cwd) != 0) fail(p, Step::Chdir, -1, 0, 0, errno);
        record(p, Step::Chdir, -1, 0, 0, 0);
    }
    if (p->setUmask) {
        mode_t old = umask(p->umask);
        record(p, Step::Umask, -1, p->umask, old, 0);
    }
    if (p->stopEveryStep) stopForInspection(p, kStopStep);
    for (int i = 0; i < p->fdOpCount; ++i) {
        runFdOp(p, p->fdOps[i]);
        if (p->stopEveryStep) stopForInspection(p, kStopStep);
    }
    if (p->stopBeforeCloseFds) stopForInspection(p, kStopBeforeCloseFds);
    closeFds(p);
    if (p->stopEveryStep) stopForInspection(p, kStopStep);
    if (p->stopAfterCloseFds) stopForInspection(p, kStopAfterCloseFds);
    // Limits after close_fds, so a lowered RLIMIT_NOFILE cannot hide an fd from
    // it; before the uid change, so raising a limit is still allowed.
    for (int i = 0; i < p->rlimitCount; ++i) {
        const RlimitOp &r = p->rlimits[i];
        std::uint64_t limit[2] = {r.soft, r.hard};
        if (syscall(SYS_prlimit64, 0, r.resource, limit, nullptr) != 0)
            fail(p, Step::Rlimit, r.planIndex, r.resource, 0, errno);
        record(p, Step::Rlimit, r.planIndex, r.resource, 0, 0);
    }
    setCredentials(p);
    if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &p->sigmask, nullptr, kKernelSigsetSize) != 0)
        fail(p, Step::Sigmask, -1, 0, 0, errno);
    record(p, Step::Sigmask, -1, 0, 0, 0);
    // The program itself is not tied to the spawning thread: a long-running
    // child outlives the thread (or process) that started it.
    if (p->dieWithParent && syscall(SYS_prctl, PR_SET_PDEATHSIG, 0, 0, 0, 0) != 0)
        fail(p, Step::Execve, -1, 0, 0, errno);
    // Last before execve: once traced, any signal would stop us before exec.
    if (p->traceExec) {
        if (syscall(SYS_ptrace, PTRACE_TRACEME, 0, nullptr, nullptr) != 0)
            fail(p, Step::Stop, -1, kStopAfterExec, 0, errno);
        record(p, Step::Stop, -1, kStopAfterExec, 0, 0);
    }
    if (p->seccompFilter) installSeccomp(p);
    exec(p);
}

} // namespace spawnlab::detail
