// SPDX-License-Identifier: GPL-3.0-or-later
// Which error to report when every PATH candidate fails to exec: the first
// that is not "not here" (ENOENT, ENOTDIR), else the last one (CPython's
// rule: a found but non-executable program says EACCES, not ENOENT). Used by
// the child after vfork and by the posix_spawn strategy in the parent, so it
// is plain arithmetic on ints: no library call, no allocation.
#pragma once

#include <errno.h>

namespace spawnlab {
// Unnamed: each object file keeps its own copy, so the child runs the one
// compiled with its flags (no sanitizer), not a weak copy from posix_spawn.cpp.
namespace {

struct ExecErrorChoice {
    int err = ENOENT; // what to report; ENOENT when there was no candidate
    int index = -1;   // the candidate it came from; -1 when none was "there"

    // Candidate `i` failed with `attemptErr`; candidates come in order.
    void add(int i, int attemptErr)
    {
        if (index >= 0) return; // the first real error stands
        err = attemptErr;
        if (attemptErr != ENOENT && attemptErr != ENOTDIR) index = i;
    }
};

} // namespace
} // namespace spawnlab
