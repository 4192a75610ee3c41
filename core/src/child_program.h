// ChildProgram: everything the child needs, prepared in the parent as flat,
// pre-sized arrays, so the child only reads them and makes system calls.
// Shared between prepare.cpp (parent) and child.cpp (child): keep it plain data.
#pragma once

#include "spawnlab/result.h"

#include <sys/types.h>

#include <cstdint>

namespace spawnlab::detail {

enum class FdOpKind : std::uint8_t {
    MoveHigh, // slots[slot] = fcntl(slots[slot], F_DUPFD_CLOEXEC, highBase): out of harm's way
    Dup2,     // dup2(slots[slot], fd)
    Inherit,  // clear FD_CLOEXEC on fd (a dup onto itself, pass_fds)
    Open,     // open(path, flags, mode), then onto fd
    Close,    // close(fd); EBADF is fine: it was not open
};

struct FdOp {
    FdOpKind kind;
    int planIndex; // fds[planIndex] or pass_fds[planIndex]; -1 for MoveHigh
    int slot;      // MoveHigh, Dup2: index into ChildProgram::slots
    int fd;        // the child's fd
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

struct ChildProgram {
    SharedState *shared;

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
    int slotCount;
    int errorPipeSlot; // -1: no error pipe (vfork/clone_vm report through `shared`)
    int highBase;      // above every fd the ops name
    const FdOp *fdOps;
    int fdOpCount;

    ResolvedCloseMethod closeMethod;
    const int *keepFds; // sorted; fds >= 3 that close_fds keeps (error pipe aside)
    int keepCount;
    int bruteMax; // brute force closes [3, bruteMax)

    bool stopBeforeCloseFds;
    bool stopAfterCloseFds;
    bool traceExec; // PTRACE_TRACEME: the parent sees the table after exec

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

// Runs the child's steps and execs; on failure reports and _exits(127).
[[noreturn]] void runChild(ChildProgram *program);

} // namespace spawnlab::detail
