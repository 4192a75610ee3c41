// SPDX-License-Identifier: GPL-3.0-or-later
// ChildProgram: everything the child needs, prepared in the parent as flat,
// pre-sized arrays, so the child only reads them and makes system calls.
// Shared between prepare.cpp (parent) and child.cpp (child): keep it plain data.
#pragma once

#include "spawnlab/step.h"

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdint>

namespace spawnlab::detail {

enum class FdOpKind : std::uint8_t {
    CopyAway, // slots[slot] = a CLOEXEC copy on a number no op targets: out of harm's way
    Dup2,     // dup2(slots[slot], fd)
    Inherit,  // clear FD_CLOEXEC on fd (a dup onto itself, pass_fds)
    Open,     // open(path, flags, mode), then onto fd
    Close,    // close(fd); EBADF is fine: it was not open
};

struct FdOp {
    FdOpKind kind;
    int planIndex; // fds[planIndex] or pass_fds[planIndex]; -1 for CopyAway
    int slot;      // CopyAway, Dup2: index into ChildProgram::slots
    int fd;        // the child's fd (CopyAway: the source's parent fd, for reading only)
    const char *path;
    int flags;
    mode_t mode;
};

struct RlimitOp {
    int planIndex;
    int resource;
    std::uint64_t soft, hard;
};

enum class ResolvedCloseMethod : std::uint8_t { None, CloseRange, Proc, Brute };

// Written by the child, read by the parent after the child exec'd or exited.
// Lives in MAP_SHARED memory, so it is shared with a forked child too.
struct TraceRecord {
    Step step;
    std::int32_t index;
    std::int64_t a, b; // step arguments the parent renders (fds, ids, counts)
    std::int32_t err;
    std::int64_t tNs; // CLOCK_MONOTONIC
};

struct ErrorRecord {
    Step step;
    std::int32_t index;
    std::int32_t err;
};

struct SharedState {
    std::int32_t failed; // 1 once `error` is written
    ErrorRecord error;
    std::int32_t traceCount;
    std::int32_t traceCapacity;
    TraceRecord trace[1]; // traceCapacity records follow
};

// The first record a supervised child writes (vfork, clone_vm): its pid in
// `err`, so the supervisor can act while the spawning thread is suspended.
constexpr std::int32_t kAnnounceIndex = -2; // a failed Stop step has index -1
// A Stop record's argument: where the child stopped for its table to be read.
enum StopWhere : std::int32_t {
    kStopBeforeCloseFds = 0,
    kStopAfterCloseFds = 1,
    kStopAfterExec = 2,
    kStopStep = 3, // every_step: before the first fd step and after each
};

struct ChildProgram {
    SharedState *shared;

    // Set by spawnChild when a step may wait for something that never comes
    // (a FIFO's other end, a stop, the tracer, a hung mount): then the child
    // dies with the spawning thread until just before execve
    // (PR_SET_PDEATHSIG), so a killed spawnlab leaves no child blocked in a step.
    bool dieWithParent;
    pid_t parentPid; // to see whether the parent died before the prctl
    // Write {Stop, kAnnounceIndex, pid} on the error pipe first (supervised
    // vfork/clone_vm: the spawning thread cannot tell anyone the pid).
    bool announce;

    // Signals, first: no parent handler may run in the child.
    bool resetHandlers;
    // Set by spawnChild when clone3(CLONE_CLEAR_SIGHAND) made the kernel reset
    // every handled signal already: only defaultMask/ignoreMask remain to apply.
    bool kernelClearedHandlers;
    std::uint64_t defaultMask; // bit (sig - 1)
    std::uint64_t ignoreMask;

    bool setsid;
    bool setpgid;
    pid_t pgid;

    const char *cwd; // nullptr: keep the parent's
    bool setUmask;
    mode_t umask;

    // fd shuffle: slots hold source fds (the child may move them); ops run in order.
    int *slots;
    int errorPipeSlot;  // -1: no error pipe (vfork/clone_vm report through `shared`);
                        // its fd is on no target, so no op moves it
    const int *targets; // sorted: every fd an op overwrites; moved sources avoid them
    int targetCount;
    const FdOp *fdOps;
    int fdOpCount;

    ResolvedCloseMethod closeMethod;
    const int *keepFds; // sorted; fds >= 3 that close_fds keeps, the error pipe too
    int keepCount;

    bool stopBeforeCloseFds;
    bool stopAfterCloseFds;
    bool stopEveryStep;
    bool traceExec; // PTRACE_TRACEME: the parent sees the table after exec

    // Leak hunt (fork only): first wait for one byte on tracerGate, written
    // once the tracer has seized us; last before execve install the filter
    // that makes the program's fd calls stop for it (SECCOMP_RET_TRACE).
    bool awaitTracer;
    int tracerGate, tracerGateWrite; // the pipe's ends; both closed after the wait
    const void *seccompFilter;       // struct sock_fprog

    const RlimitOp *rlimits;
    int rlimitCount;

    bool setGroups;
    const gid_t *groups;
    int groupCount;
    bool setGid;
    gid_t gid;
    bool setUid;
    uid_t uid;

    bool keepParentMask;   // sigmask is filled in by spawnChild from the parent's
    std::uint64_t sigmask; // the mask the program starts with

    char *const *argv;
    char *const *envp;
    const char *const *candidates; // executables to try, in order
    int candidateCount;
};

// The helpers below are static: each object file keeps its own copy, so the
// child's is the one compiled with the child's flags (no sanitizer, no stack
// protector), never a weak copy the linker took from a sanitized parent file.

// Whether sorted[0..count) holds fd. A loop, not std::: the child calls it.
static inline bool sortedContains(const int *sorted, int count, int fd)
{
    int lo = 0, hi = count;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (sorted[mid] < fd)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < count && sorted[lo] == fd;
}

// A CLOEXEC copy of `from` on the lowest free number that no op targets, so a
// later dup2 cannot stomp it. Free numbers below the highest target are used
// too, so a target at RLIMIT_NOFILE - 1 still leaves room. -1 with errno set.
// Async-signal-safe (fcntl, close): the child and posix_spawn's parent use it.
static inline int copyAwayFromTargets(int from, const int *targets, int targetCount)
{
    int base = 3;
    for (;;) {
        int copy = fcntl(from, F_DUPFD_CLOEXEC, base);
        if (copy < 0 || !sortedContains(targets, targetCount, copy)) return copy;
        close(copy); // a target's number: free again for its dup2
        base = copy + 1;
    }
}

// Runs the child's steps and execs; on failure reports and _exits(127).
[[noreturn]] void runChild(ChildProgram *program);

} // namespace spawnlab::detail
