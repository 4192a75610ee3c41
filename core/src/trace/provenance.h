// SPDX-License-Identifier: GPL-3.0-or-later
// The tracer's mirror of each process's fd table: which fds are open, whether
// each is close-on-exec, and where its open file description was made.
#pragma once

#include "spawnlab/trace.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace spawnlab::detail {

struct FdRecord {
    std::shared_ptr<FdOrigin> origin; // shared by every fd on the same description
    bool cloexec = false;
    bool clearedOnPurpose = false; // fcntl(F_SETFD) or FIONCLEX cleared FD_CLOEXEC ...
    pid_t clearedBy = 0;           // ... in this process
    std::string target;            // readlink of the fd when it was made: its identity
    std::string via;               // "dup2(3, 5) in pid 812": moved onto this number
    // "ioctl(4, FIONCLEX) = 0 in pid 812": made close-on-exec, then inheritable here.
    std::string madeInheritableBy;
    // Both marks hold until the next exec: the program that made them decided
    // for that exec (its own, or a forked child's), not for the new program's.
    std::vector<FdCarry> carriedBy;
};

using FileTable = std::map<int, FdRecord>;

// A traced call that finished: its number, arguments and result, plus what
// the tracer read from the tracee for it.
struct FinishedCall {
    long nr = -1;
    std::uint64_t args[6] = {};
    long long rval = -1;
    int pair[2] = {-1, -1}; // pipe/pipe2/socketpair: the two fds it wrote
    // readlink of each fd the call made or used (a dup's source, F_SETFD's
    // fd), read at the exit stop: an fd whose number was closed and reused by
    // a call the filter lets pass is known by its changed target.
    std::map<int, std::string> targets;
    std::vector<std::string> stack; // --stacks: the calling thread's, innermost first
    pid_t pid = 0, tid = 0;
    std::string exe;
    double tUs = 0;
};

// The new fds a successful call made (one, two for a pair, none otherwise).
std::vector<int> newFds(const FinishedCall &call);

// Whether the stack of the call is worth unwinding: it made a new open file
// description (a dup copies an origin) without close-on-exec (a close-on-exec
// fd cannot leak unless a later call clears the flag, on purpose).
bool needsStack(const FinishedCall &call);

// Updates `table` for a call that finished (a failed call changes nothing,
// except close, which frees the number anyway).
void applyCall(FileTable &table, const FinishedCall &call);

// Every fd of `table`, carried by a fork from `ppid` to `pid` by `byTid`.
FileTable forkCopy(const FileTable &table, FdCarry carry);

// exec: the close-on-exec fds are gone.
void dropCloexec(FileTable &table);

// A record for an fd the tracer did not see being made.
FdRecord unknownRecord(std::string why, bool cloexec);

} // namespace spawnlab::detail
