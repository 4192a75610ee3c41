// SPDX-License-Identifier: GPL-3.0-or-later
// How a plan's fd actions become the child's fd table, planned once: the core's
// child and posix_spawn's file actions run these moves, and every code export
// writes them in its language.
//
// Every source is read from the parent's table as it was before any action
// (an fd action never sees another's result), so a source that some action
// overwrites is first copied out of the way, on a number no action targets:
// Go's first pass, which survives swaps and cycles (0<->1, 3->4->5->3).
#pragma once

#include "spawnlab/plan.h"

#include <vector>

namespace spawnlab {

enum class FdMoveKind {
    CopyAway, // sources[source] = a CLOEXEC copy on the lowest free number no action targets
    Dup2,     // dup2(sources[source], fd)
    Inherit,  // clear FD_CLOEXEC on fd: a dup onto itself, or a pass_fds entry
    Open,     // open fds[planIndex].path, then onto fd
    Close,    // close(fd)
};

struct FdMove {
    FdMoveKind kind;
    int planIndex;       // fds[planIndex], or pass_fds[planIndex] for its Inherit; -1 for CopyAway
    int source;          // CopyAway, Dup2: index into FdShuffle::sources; -1 otherwise
    int fd;              // the child fd (the copied source's parent fd for CopyAway)
    bool passFd = false; // an Inherit of pass_fds[planIndex], not of fds[planIndex]
};

struct FdShuffle {
    // The parent fd each action that copies a source reads (dup, null,
    // pipe_in, pipe_out), in fds[] order; -1 where the fd is not open yet.
    std::vector<int> sources;
    std::vector<int> targets; // sorted: child fds an action changes (a dup onto itself does not)
    std::vector<int> kept; // sorted: fds >= 3 close_fds keeps (every target but a close, pass_fds)
    std::vector<FdMove> moves; // in order: the copies away first, then fds[], then pass_fds

    bool overwrites(int fd) const; // fd is one of `targets`
    bool keeps(int fd) const;      // fd is one of `kept`
};

// `sourceFds` holds, for each action that copies a source, in fds[] order,
// the parent fd it reads: dup's `from`; for null and the pipes the fd the
// caller opened for it. Without it (a code export, where the program opens
// those later), dup sources are their `from` and the others -1. The plan must
// be valid (validate).
FdShuffle planFdShuffle(const SpawnPlan &plan, const std::vector<int> &sourceFds);
FdShuffle planFdShuffle(const SpawnPlan &plan);

} // namespace spawnlab
